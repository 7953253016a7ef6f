package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
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
		return nil
	})
}

// parked lists what the hub refused, with its reasons.
func (e *env) parked(args []string) error {
	return e.withStore(args, func(db *store.DB) error {
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
			fmt.Fprintln(e.out, ParkedLine(e.lang, p))
		}
		return nil
	})
}

// ParkedLine words one refused item for a person.
func ParkedLine(l i18n.Lang, p store.Parked) string {
	why := i18n.T(l, "sync.refused."+p.Reason, nil)
	if strings.HasPrefix(why, "sync.refused.") {
		why = p.Reason
	}
	if p.WalkIn != nil {
		return fmt.Sprintf("%s  %s  %s: %s", p.WalkIn.SlotStart.Format("2006-01-02 15:04"), p.WalkIn.Name, why, p.Detail)
	}
	ev := p.Event
	return fmt.Sprintf("%s  %s  %s  %s %s  %s: %s", ev.At.Format("2006-01-02 15:04"), ev.BookingID, ev.Type,
		ev.Counter, ev.Clerk, why, p.Detail)
}
