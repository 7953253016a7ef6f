package cli

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/report"
)

// report prints or writes a day's report.
func (e *env) report(args []string) error {
	return e.withDesk(args, func(d *desk.Desk) error {
		day := e.dayOr(d)
		r, err := report.Build(e.ctx, d, day)
		if err != nil {
			return err
		}
		out := e.out
		if e.outFile != "" {
			f, err := os.Create(e.outFile)
			if err != nil {
				return err
			}
			defer f.Close()
			out = f
		}
		switch {
		case e.json:
			e.out = out
			return e.printJSON(r)
		case e.format == "csv":
			return r.CSV(out)
		case e.format == "html":
			return r.HTML(out, e.lang, d.Cal.OfficeName)
		case e.format == "" || e.format == "text":
			r.Text(out)
			return nil
		}
		return usageError{fmt.Errorf("--format %q: csv, html or text", e.format)}
	})
}

// purge deletes the days older than the retention (--keep-days sets it).
func (e *env) purge(args []string) error {
	return e.withDesk(args, func(d *desk.Desk) error {
		if e.keepDays != 0 {
			if e.keepDays < 1 {
				return usageError{errors.New("--keep-days must be at least 1")}
			}
			if err := d.DB.SetRetention(e.ctx, e.keepDays); err != nil {
				return err
			}
		}
		n, err := d.PurgeOld(e.ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "%d\n", n)
		return nil
	})
}

// supervisorPassword sets the supervisor password, read from standard input.
func (e *env) supervisorPassword(args []string) error {
	return e.withStore(args, func(db *store.DB) error {
		line, err := bufio.NewReader(e.in).ReadString('\n')
		if err != nil && line == "" {
			return usageError{errors.New("give the password on standard input")}
		}
		if err := db.SetSupervisorPassword(e.ctx, strings.TrimRight(line, "\r\n")); err != nil {
			return usageError{err}
		}
		fmt.Fprintln(e.out, "ok")
		return nil
	})
}

// walkIn registers a person without a booking in the walk-in hours.
func (e *env) walkIn(args []string) error {
	return e.withDesk(args, func(d *desk.Desk) error {
		v, err := d.WalkIn(e.ctx, e.name, e.reason)
		if errors.Is(err, desk.ErrWalkInDetails) || errors.Is(err, desk.ErrNotWalkInTime) {
			e.code = ExitRefused
			fmt.Fprintln(e.out, i18n.T(e.lang, "walkin."+map[bool]string{true: "details", false: "time"}[errors.Is(err, desk.ErrWalkInDetails)], nil))
			return nil
		}
		if err != nil {
			return err
		}
		if e.json {
			return e.printJSON(v)
		}
		fmt.Fprintln(e.out, v.Message(e.lang).Title)
		return nil
	})
}
