package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/demo"
	"github.com/ghiseu/ghiseu/store/sync"
)

// link links this counter to its hub with the enrolment string that
// `ghiseu-hub enroll` printed, read from standard input: the token in it
// never appears on a command line.
func (e *env) link(args []string) error {
	return e.withStore(args, func(db *store.DB) error {
		raw, err := io.ReadAll(io.LimitReader(e.in, 64<<10))
		if err != nil {
			return err
		}
		en, err := sync.ParseEnrolment(string(raw))
		if err != nil {
			return usageError{errors.New(i18n.T(e.lang, "cli.error.enrolment", map[string]string{"err": err.Error()}))}
		}
		if err := sync.Link(e.ctx, db, en); err != nil {
			return err
		}
		fmt.Fprintln(e.out, i18n.T(e.lang, "cli.link.done", map[string]string{"office": en.Office,
			"counter": en.Counter, "url": en.URL}))
		if isDemo, err := db.Setting(e.ctx, demo.KeyDemo); err != nil || isDemo != "1" {
			return err
		}
		fmt.Fprintln(e.out, e.t("cli.link.demo"))
		return nil
	})
}

// parked lists what the hub refused, with its reasons; it only looks.
func (e *env) parked(args []string) error {
	return e.withStoreReader(args, func(db *store.DB) error {
		items, err := db.ParkedItems(e.ctx)
		if err != nil {
			return err
		}
		if e.json {
			if items == nil {
				items = []store.Parked{}
			}
			return e.printJSON(items)
		}
		for _, p := range items {
			fmt.Fprintln(e.out, sync.ParkedText(e.lang, p, officeZone(e.ctx, db)))
		}
		return nil
	})
}

// officeZone is the office's time zone, where times are told; this
// computer's when the database has no office yet.
func officeZone(ctx context.Context, db *store.DB) *time.Location {
	if cal, _, err := db.Office(ctx); err == nil {
		return cal.Location()
	}
	return time.Local
}
