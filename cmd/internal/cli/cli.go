// Package cli is the counter's command line: the same judgements as the
// GUI, with no display, for scripts and tests.
package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// Exit codes.
const (
	ExitOK      = 0 // done; for check and checkin: the verdict is green
	ExitRefused = 1 // check and checkin: the verdict is amber or red; import: the pack was refused
	ExitError   = 2 // bad arguments, or the database could not be used
)

// Commands lists the subcommands Run understands.
var Commands = map[string]func(*env, []string) error{
	"check":   func(e *env, a []string) error { return e.judge(a, "check") },
	"checkin": func(e *env, a []string) error { return e.judge(a, "checkin") },
	"accept":  func(e *env, a []string) error { return e.judge(a, "accept") },
	"list":    (*env).list,
	"demo":    (*env).demo,
	"import":  (*env).importPack,
	"sync":    (*env).sync,
	// link reads the enrolment string from standard input.
	"link":      (*env).link,
	"parked":    (*env).parked,
	"conflicts": (*env).conflicts,
	"report":    (*env).report,
	"purge":     (*env).purge,
	"walkin":    (*env).walkIn,
	"refuse":    (*env).refuse,
	// decode prints the text of every QR code in image files.
	"decode": (*env).decodeFiles,
	// supervisor-password reads the new password from standard input.
	"supervisor-password": (*env).supervisorPassword,
}

// IsCommand reports whether name is a subcommand of the command line.
func IsCommand(name string) bool { _, ok := Commands[name]; return ok }

// env is one run of the command line.
type env struct {
	ctx      context.Context
	in       io.Reader
	out      io.Writer
	lang     i18n.Lang
	json     bool
	db       string
	at       string
	counter  string
	clerk    string
	day      string
	reason   string
	retry    bool
	loop     time.Duration
	format   string
	outFile  string
	keepDays int
	name     string
	document string // walkin: the card chosen
	code     int
}

// usageError marks errors in the arguments.
type usageError struct{ error }

// refusal is a command that ran but refused what it was given (a day pack
// that does not verify): Run prints its message, already in the user's
// language, and exits with ExitRefused rather than ExitError.
type refusal struct{ error }

// Run runs one command (args without the program name) and returns the exit
// code. Messages for people go to stderr in the chosen language.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, in: stdin, out: stdout, lang: i18n.Parse(os.Getenv("GHISEU_LANG"))}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	switch {
	case len(args) > 0 && IsHelp(args[0]) && len(args) > 1 && IsCommand(args[1]): // help CMD
		e.help(stdout, args[1])
		return ExitOK
	case len(args) > 0 && IsHelp(args[0]):
		Usage(stdout, e.lang)
		return ExitOK
	case len(args) == 0:
		Usage(stderr, e.lang)
		return ExitError
	case !IsCommand(args[0]):
		fmt.Fprintln(stderr, i18n.T(e.lang, "cli.error.unknown", map[string]string{"command": args[0]}))
		Usage(stderr, e.lang)
		return ExitError
	}
	err := Commands[args[0]](e, args[1:])
	var ue usageError
	var re refusal
	switch {
	case errors.Is(err, errHelp):
		e.help(stdout, args[0])
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, i18n.T(e.lang, "cli.error.usage", map[string]string{"err": ue.Error()}))
		return ExitError
	case errors.As(err, &re):
		fmt.Fprintln(stderr, re.Error())
		return ExitRefused
	case err != nil:
		fmt.Fprintln(stderr, err)
		return ExitError
	}
	return e.code
}

// flags is the flag set of every command, bound to e; lang receives
// --lang.
func (e *env) flags(lang *strings.Builder) *flag.FlagSet {
	fs := flag.NewFlagSet("ghiseu", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&e.json, "json", false, "print JSON")
	fs.StringVar(&e.db, "db", "", "database file")
	fs.StringVar(&e.at, "at", "", "judge at this time (RFC 3339, 'YYYY-MM-DD HH:MM' or 'HH:MM' today)")
	fs.StringVar(&e.counter, "counter", "", "counter number (the enrolled one when linked to a hub; 1 otherwise)")
	fs.StringVar(&e.clerk, "clerk", currentUser(), "clerk's name")
	fs.StringVar(&e.day, "day", "", "day to list (YYYY-MM-DD), today by default")
	fs.StringVar(&e.reason, "reason", "", "accept: why the clerk takes the person anyway; walkin, refuse: the reason")
	fs.BoolVar(&e.retry, "retry-parked", false, "sync: send again what the hub refused")
	fs.DurationVar(&e.loop, "loop", 0, "sync: keep syncing at this interval")
	fs.StringVar(&e.format, "format", "", "report: csv, html or text")
	fs.StringVar(&e.outFile, "out", "", "report: write to this file")
	fs.IntVar(&e.keepDays, "keep-days", 0, "purge: keep this many days (remembered)")
	fs.StringVar(&e.name, "name", "", "walkin: the person's name")
	fs.StringVar(&e.document, "document", "", "walkin: the card, cei (default), cis or cip (a CIP only for cip_abroad and cip_no_domicile, no CIS for child_under_14)")
	lang.WriteString(string(e.lang))
	fs.Func("lang", "language: ro or en (default "+string(e.lang)+")", func(s string) error {
		lang.Reset()
		lang.WriteString(s)
		return nil
	})
	return fs
}

// parse reads the flags, which may come before or after the positional
// arguments, and returns the positional ones; -h or --help gives errHelp.
func (e *env) parse(args []string) ([]string, error) {
	lang := new(strings.Builder)
	fs := e.flags(lang)
	var pos []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			e.lang = i18n.Parse(lang.String())
			return nil, errHelp
		} else if err != nil {
			return nil, usageError{err}
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	e.lang = i18n.Parse(lang.String())
	if err := store.CheckText(e.clerk, e.reason); err != nil {
		return nil, usageError{fmt.Errorf("--clerk or --reason: %w", err)}
	}
	if e.counter != "" {
		if err := store.CheckCounter(e.counter); err != nil {
			return nil, usageError{fmt.Errorf("--counter: %w", err)}
		}
	}
	return pos, nil
}

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "?"
}

// withDesk parses the flags, opens the counter and runs fn with it.
func (e *env) withDesk(args []string, fn func(*desk.Desk) error) error {
	if _, err := e.parse(args); err != nil {
		return err
	}
	d, err := e.open()
	if err != nil {
		return err
	}
	defer d.Close()
	return fn(d)
}

// withReader is withDesk for the commands that only look (list,
// conflicts, report): the database is opened read-only, so that they work
// on a read-only copy and can never write, and --day is checked first.
func (e *env) withReader(args []string, fn func(*desk.Desk) error) error {
	if _, err := e.parse(args); err != nil {
		return err
	}
	if _, err := time.Parse(time.DateOnly, e.day); e.day != "" && err != nil {
		return usageError{fmt.Errorf("--day %q: want YYYY-MM-DD", e.day)}
	}
	d, err := e.openReader()
	if err != nil {
		return err
	}
	defer d.Close()
	return fn(d)
}

// withStore parses the flags, opens the database alone and runs fn.
func (e *env) withStore(args []string, fn func(*store.DB) error) error {
	return e.withDB(args, store.Open, fn)
}

// withStoreReader is withStore for a command that only looks: the
// database is opened read-only, and must exist.
func (e *env) withStoreReader(args []string, fn func(*store.DB) error) error {
	return e.withDB(args, store.OpenReadOnly, fn)
}

func (e *env) withDB(args []string, open func(context.Context, string) (*store.DB, error), fn func(*store.DB) error) error {
	if _, err := e.parse(args); err != nil {
		return err
	}
	db, err := e.openStore(open)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

// dayOr is the day given with --day, or today at the counter.
func (e *env) dayOr(d *desk.Desk) string {
	if e.day != "" {
		return e.day
	}
	return d.Today()
}

// openStore opens the database alone, for commands that need no office.
func (e *env) openStore(open func(context.Context, string) (*store.DB, error)) (*store.DB, error) {
	path := e.db
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	db, err := open(e.ctx, path)
	if err != nil {
		return nil, errors.New(i18n.T(e.lang, "cli.error.db", map[string]string{"err": err.Error()}))
	}
	return db, nil
}

// exists reports whether the database at path (the default one when
// empty) exists.
func exists(path string) bool {
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return false
		}
		path = p
	}
	_, err := os.Stat(path)
	return err == nil
}

// open opens the counter to record, with its clock set by --at.
func (e *env) open() (*desk.Desk, error) { return e.openDesk(false) }

// openReader opens the counter read-only (desk.Config.ReadOnly), with its
// clock set by --at: the database must exist; nothing is written.
func (e *env) openReader() (*desk.Desk, error) { return e.openDesk(true) }

// openDesk opens the counter, read-only or not, with its clock set by --at.
// A database that does not exist yet is made as at any first start (the
// demo office): a first look on a new machine works like the window.
func (e *env) openDesk(readOnly bool) (*desk.Desk, error) {
	if readOnly && !exists(e.db) {
		readOnly = false
	}
	d, err := desk.Open(e.ctx, desk.Config{DBPath: e.db, Counter: e.counter, Clerk: e.clerk, ReadOnly: readOnly})
	if err != nil {
		return nil, errors.New(i18n.T(e.lang, "cli.error.db", map[string]string{"err": err.Error()}))
	}
	if e.at == "" {
		return d, nil
	}
	at, err := ParseTime(e.at, d.Cal.Location(), time.Now())
	if err != nil {
		d.Close()
		return nil, usageError{errors.New(i18n.T(e.lang, "cli.error.at", map[string]string{"err": err.Error()}))}
	}
	d.Now = func() time.Time { return at }
	return d, nil
}

// ParseTime reads a moment given on the command line: RFC 3339, or a date
// and time or a bare time (today) in the office's time zone.
func ParseTime(s string, loc *time.Location, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("15:04", s, loc); err == nil {
		y, m, d := now.In(loc).Date()
		return time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, loc), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time like 2026-11-23T10:15:00+02:00, 2026-11-23 10:15 or 10:15", s)
}

// supervisorSays reads the supervisor's password from the first line of
// standard input and checks it: taking a person anyway needs it, at the
// command line as in the window; a live office with none set refuses.
func (e *env) supervisorSays(db *store.DB) error {
	line, _ := bufio.NewReader(io.LimitReader(e.in, 4096)).ReadString('\n')
	ok, err := db.CheckSupervisor(e.ctx, store.AtCounter, strings.TrimRight(line, "\r\n"))
	var locked store.TooManyTries
	switch {
	case errors.Is(err, store.ErrNoPassword):
		return refusal{errors.New(e.t("ui.supervisor.no_password") + ". " + e.t("ui.supervisor.no_password.how"))}
	case errors.As(err, &locked):
		return refusal{errors.New(e.t("ui.supervisor.locked") + ". " +
			i18n.T(e.lang, "ui.supervisor.locked.detail", map[string]string{"wait": i18n.Wait(e.lang, time.Until(locked.Until))}))}
	case err != nil:
		return err
	case !ok:
		return refusal{errors.New(e.t("ui.supervisor.wrong") + " (accept reads the supervisor's password on standard input)")}
	}
	return nil
}

// t translates a message without arguments.
func (e *env) t(key string) string { return i18n.T(e.lang, key, nil) }

// judge runs check, checkin or accept.
func (e *env) judge(args []string, how string) error {
	pos, err := e.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{errors.New("give exactly one CODE, REFERENCE or NAME (in quotes)")}
	}
	open := e.open
	if how == "check" {
		open = e.openReader
	}
	d, err := open()
	if err != nil {
		return err
	}
	defer d.Close()
	var v verdict.Verdict
	switch how {
	case "check": // a code, a short reference or a name, as the window's manual field takes
		v, err = d.CheckTyped(e.ctx, pos[0])
	case "checkin":
		v, err = d.CheckInTyped(e.ctx, pos[0])
	case "accept":
		if strings.TrimSpace(e.reason) == "" {
			return usageError{errors.New("accept needs --reason")}
		}
		if err := e.supervisorSays(d.DB); err != nil {
			return err
		}
		v, err = d.Override(e.ctx, pos[0], e.reason)
	}
	if errors.Is(err, desk.ErrNoReason) {
		return usageError{errors.New("accept needs --reason")}
	}
	if err != nil {
		return err
	}
	if v.Colour != verdict.Green {
		e.code = ExitRefused
	}
	return e.printVerdict(v)
}

// printVerdict prints a verdict as the counter's card words it; --json
// says the same (title, message, checklist) with the verdict's fields.
func (e *env) printVerdict(v verdict.Verdict) error {
	m := v.Message(e.lang)
	if e.json {
		ref := ""
		if v.Booking != nil {
			ref = rescode.ReferenceOf(v.Booking.Office, v.Booking.ID)
		}
		return e.printJSON(struct {
			verdict.Verdict
			Ref     string `json:"ref,omitempty"` // the booking's short reference
			Title   string `json:"title"`
			Message string `json:"message"`
			// Checklist is the clerk's checklist, line by line, as the
			// text output and the window show it.
			Checklist []string `json:"checklist,omitempty"`
		}{v, ref, m.Title, m.Detail, m.Help})
	}
	fmt.Fprintf(e.out, "%s: %s\n", strings.ToUpper(string(v.Colour)), m.Title)
	if v.Ticket != "" {
		fmt.Fprintln(e.out, i18n.T(e.lang, "ui.ticket", map[string]string{"ticket": v.Ticket}))
	}
	if m.Who != "" {
		fmt.Fprintln(e.out, m.Who)
	}
	for _, l := range m.Lines {
		fmt.Fprintln(e.out, l)
	}
	if m.Detail != "" {
		fmt.Fprintln(e.out, m.Detail)
	}
	for _, l := range m.Help {
		fmt.Fprintln(e.out, "  "+l)
	}
	return nil
}

// list prints a day's bookings with their states at the desk's clock
// (no-shows derived, nothing written).
func (e *env) list(args []string) error {
	return e.withReader(args, func(d *desk.Desk) error {
		day := e.dayOr(d)
		rows, err := d.Day(e.ctx, day)
		if err != nil {
			return err
		}
		if e.json {
			out := make([]listRow, len(rows))
			for i, r := range rows {
				out[i] = listRow{Row: r, State: string(r.State)}
				if shown := shownState(r); shown != string(r.State) {
					out[i].State, out[i].Visit = shown, r.State
				}
			}
			return e.printJSON(out)
		}
		if len(rows) == 0 {
			fmt.Fprintln(e.out, i18n.T(e.lang, "cli.list.empty", map[string]string{"day": day}))
		}
		for _, r := range rows {
			state := i18n.T(e.lang, "state."+string(r.State), nil)
			if shown := shownState(r); shown != string(r.State) {
				state = i18n.T(e.lang, "status."+shown, nil)
			}
			line := fmt.Sprintf("%s  %s  %s  %s  %s  %s", r.SlotStart.Format("15:04"), pad(r.Ref, rescode.MinReference),
				pad(i18n.T(e.lang, "kind."+string(r.Kind), nil), 11), pad(state, 9),
				pad(r.Name, 28), i18n.T(e.lang, "reason."+r.Reason, nil))
			if r.Ticket != "" {
				line += "  " + r.Ticket
			}
			fmt.Fprintln(e.out, line)
		}
		return nil
	})
}

// listRow is a row of list --json. Its state is the one the text list and
// the counter's day list show: the booking system's "cancelled" or
// "replaced" wins over what happened at the counter, which stays in visit
// (e.g. "arrived" for a person checked in before the cancellation came).
type listRow struct {
	desk.Row
	State string      `json:"state"`
	Visit store.State `json:"visit,omitempty"`
}

// shownState is the state a row shows: its booking's status when the
// booking system cancelled or replaced it, its derived state otherwise.
func shownState(r desk.Row) string {
	if r.Status == store.Cancelled || r.Status == store.Replaced { // as the counter's day list says
		return string(r.Status)
	}
	return string(r.State)
}

func (e *env) demo(args []string) error {
	return e.withDesk(args, func(d *desk.Desk) error {
		if err := d.ResetDemo(e.ctx); err != nil {
			return err
		}
		rows, err := d.Day(e.ctx, d.Today())
		if err != nil {
			return err
		}
		if e.json {
			return e.printJSON(map[string]any{"office": d.Cal.Office, "day": d.Today(), "bookings": len(rows)})
		}
		fmt.Fprintln(e.out, i18n.T(e.lang, "cli.demo.done", map[string]string{"office": d.Cal.OfficeName,
			"count": fmt.Sprint(len(rows)), "day": d.Time().Format(time.RFC3339)}))
		return nil
	})
}

// pad fills s with spaces to n characters (not bytes: names have diacritics).
func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
