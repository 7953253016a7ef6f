package cli

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/pack"
	"github.com/ghiseu/ghiseu/store/sync"
)

// importPack installs a day pack from a file (a USB stick during an outage).
func (e *env) importPack(args []string) error {
	pos, err := e.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{errors.New("give exactly one FILE")}
	}
	if st, err := os.Stat(pos[0]); err != nil {
		return usageError{fmt.Errorf("FILE: %w", err)}
	} else if st.IsDir() {
		return usageError{fmt.Errorf("FILE %s is a folder", pos[0])}
	}
	d, err := e.open()
	if err != nil {
		return err
	}
	defer d.Close()
	m, err := pack.Import(e.ctx, d.DB, pos[0], nil)
	var r *pack.Refusal
	switch {
	case errors.As(err, &r): // the pack's fault: exit 1
		return refusal{errors.New(pack.Explain(e.lang, err))}
	case err != nil: // the database's: exit 2
		return errors.New(pack.Explain(e.lang, err))
	}
	if e.json {
		return e.printJSON(m)
	}
	fmt.Fprintln(e.out, i18n.T(e.lang, "pack.done", map[string]string{"office": m.Office,
		"sequence": fmt.Sprint(m.Sequence), "from": m.From, "to": m.To}))
	return nil
}

// sync runs one round with the hub, or keeps syncing with --loop.
func (e *env) sync(args []string) error {
	return e.withStore(args, func(db *store.DB) error {
		link, ok, err := sync.Linked(e.ctx, db)
		if err != nil {
			return err
		}
		if !ok {
			return usageError{errors.New(i18n.T(e.lang, "cli.error.not_linked", nil))}
		}
		if e.retry {
			n, err := db.RetryParked(e.ctx)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.out, i18n.T(e.lang, "cli.sync.retried", map[string]string{"count": fmt.Sprint(n)}))
		}
		s := &sync.Syncer{DB: db, T: sync.NewHTTP(link), Link: link}
		if e.loop > 0 {
			ctx, stop := signal.NotifyContext(e.ctx, syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			s.Run(ctx, e.loop)
			return nil
		}
		err = s.Once(e.ctx)
		st := s.Status()
		if e.json {
			if err := e.printJSON(map[string]any{"state": st.State, "online": st.Online(), "pending": st.Pending,
				"parked": st.Parked, "clock_offset_ms": st.ClockOffset.Milliseconds(), "clock_wrong": st.ClockWrong(),
				"error": errString(err)}); err != nil {
				return err
			}
		} else {
			fmt.Fprintln(e.out, st.Text(e.lang, officeZone(e.ctx, db)))
		}
		if err != nil {
			e.code = ExitRefused
		}
		return nil
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// conflicts lists the day's duplicates and check-ins of cancelled bookings.
func (e *env) conflicts(args []string) error {
	return e.withReader(args, func(d *desk.Desk) error {
		day := e.dayOr(d)
		cs, err := d.Conflicts(e.ctx, day)
		if err != nil {
			return err
		}
		if e.json {
			if cs == nil {
				return e.printJSON([]any{})
			}
			return e.printJSON(cs)
		}
		for _, c := range cs {
			fmt.Fprintf(e.out, "%s  %s  %s  %v\n", c.Booking.SlotStart.Format("15:04"), c.Booking.Name,
				i18n.T(e.lang, "conflict."+c.Kind, nil), c.Events)
		}
		return nil
	})
}
