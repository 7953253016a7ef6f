package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/demo"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/report"
)

// report prints or writes a day's report, reading the database read-only.
// With --out the file is made readable by its owner only (report.Create);
// it may not be the database itself.
func (e *env) report(args []string) error {
	return e.withReader(args, func(d *desk.Desk) error {
		if e.outFile != "" && isDatabase(e.outFile, d.DB.Path()) {
			return usageError{fmt.Errorf("--out %s is the database", e.outFile)}
		}
		r, err := report.Build(e.ctx, d, e.dayOr(d))
		if err != nil {
			return err
		}
		write, err := e.reportWriter(r, d)
		if err != nil {
			return err
		}
		if e.outFile == "" {
			return write(e.out)
		}
		f, err := report.Create(e.outFile)
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return fmt.Errorf("write report %s: %w", e.outFile, err)
		}
		return f.Close()
	})
}

// isDatabase reports whether path is the database file db or one of its
// SQLite side files.
func isDatabase(path, db string) bool {
	p, err := os.Stat(path)
	if err != nil {
		return false
	}
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		if s, err := os.Stat(f); err == nil && os.SameFile(p, s) {
			return true
		}
	}
	return false
}

// reportWriter writes r in the format asked for, or says that there is no
// such format.
func (e *env) reportWriter(r report.Report, d *desk.Desk) (func(io.Writer) error, error) {
	switch {
	case e.json:
		return func(w io.Writer) error { e.out = w; return e.printJSON(r) }, nil
	case e.format == "csv":
		return r.CSV, nil
	case e.format == "html":
		return func(w io.Writer) error { return r.HTML(w, e.lang, d.Cal.OfficeName) }, nil
	case e.format == "" || e.format == "text":
		return func(w io.Writer) error { _, err := fmt.Fprintln(w, e.reportText(r)); return err }, nil
	}
	return nil, usageError{fmt.Errorf("--format %q: csv, html or text", e.format)}
}

// reportText is the day's totals in one line, in the command line's
// language (as list and check speak it).
func (e *env) reportText(r report.Report) string {
	t := r.Totals
	minutes := func(d time.Duration) string {
		m := strconv.FormatFloat(d.Minutes(), 'f', 1, 64)
		if e.lang == i18n.Romanian {
			m = strings.Replace(m, ".", ",", 1) // the decimal comma
		}
		return m
	}
	n := strconv.Itoa
	return i18n.T(e.lang, "cli.report.text", map[string]string{"office": r.Office, "day": r.Day,
		"bookings": n(t.Bookings), "arrivals": n(t.Arrivals), "noshows": n(t.NoShows), "pickups": n(t.Pickups),
		"served": n(t.Served), "wait": minutes(t.AvgWait), "service": minutes(t.AvgService),
		"mismatch": n(t.DataMismatch), "missing": n(t.MissingDocuments)})
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
		password := strings.TrimRight(line, "\r\n")
		if isDemo, err := db.Setting(e.ctx, demo.KeyDemo); err != nil {
			return err
		} else if password == demo.Password && isDemo != "1" {
			return usageError{errors.New("the demo's password is public: a live office needs its own")}
		}
		if err := db.SetSupervisorPassword(e.ctx, password); err != nil {
			return usageError{err}
		}
		fmt.Fprintln(e.out, "ok")
		return nil
	})
}

// walkIn registers a person without a booking in the walk-in hours, for
// the card chosen with --document (the reason's default without it).
func (e *env) walkIn(args []string) error {
	return e.withDesk(args, func(d *desk.Desk) error {
		v, err := d.WalkInCard(e.ctx, e.name, e.reason, e.document)
		key := ""
		switch {
		case errors.Is(err, desk.ErrWalkInDetails):
			key = "walkin.details"
		case errors.Is(err, desk.ErrNotWalkInTime):
			key = "walkin.time"
		case errors.Is(err, desk.ErrWalkInCard):
			key = "walkin.card"
		}
		if key != "" {
			e.code = ExitRefused
			fmt.Fprintln(e.out, i18n.T(e.lang, key, nil))
			return nil
		}
		if err != nil {
			return err
		}
		return e.printVerdict(v)
	})
}
