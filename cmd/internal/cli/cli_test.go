package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/demo"
)

// run runs the command line on db and returns exit code, stdout and stderr.
func run(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	return runIn(t, "", db, args...)
}

// runIn runs a command with stdin as its standard input.
func runIn(t *testing.T, stdin, db string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	args = append([]string{args[0], "--db", db}, args[1:]...) // a later --db wins
	code := Run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// newDemo makes a demo database for today and returns its path: the
// commands that only look open it read-only and need it to exist.
func newDemo(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "g.db")
	if code, _, errOut := run(t, db, "demo"); code != ExitOK {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	return db
}

// demoCode returns the code of the demo booking of the named person.
func demoCode(t *testing.T, db, name string) string {
	t.Helper()
	code, out, errOut := run(t, db, "list", "--json", "--at", "08:00")
	if code != ExitOK {
		t.Fatalf("list: %d %s", code, errOut)
	}
	var rows []struct{ Name, Code, State string }
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Name == name {
			return r.Code
		}
	}
	t.Fatalf("no demo booking for %s in %s", name, out)
	return ""
}

// Guessing the supervisor's password at the command line is slowed like
// everywhere: after store.FreeTries wrong ones, even the right one is
// refused for a while, and the refusal says so.
func TestAcceptPasswordCannotBeGuessed(t *testing.T) {
	db := newDemo(t)
	late := demoCode(t, db, "Popescu Andrei")
	for i := 0; i <= store.FreeTries; i++ {
		runIn(t, fmt.Sprintf("ghicit-%d\n", i), db, "accept", late, "--at", "12:01", "--reason", "x", "--lang", "en")
	}
	exit, out, errOut := runIn(t, demo.Password+"\n", db, "accept", late, "--at", "12:01", "--reason", "x", "--lang", "en")
	if exit != ExitRefused || out != "" || !strings.Contains(errOut, "Too many wrong passwords") || !regexp.MustCompile(`Try again in \d{1,2} seconds`).MatchString(errOut) {
		t.Fatalf("the right password while locked: exit %d, out %q, err %q", exit, out, errOut)
	}
}

func TestCheckInScenario(t *testing.T) {
	db := newDemo(t)
	code := demoCode(t, db, "Bălan Ana")
	late := demoCode(t, db, "Popescu Andrei") // 08:30
	steps := []struct {
		args    []string
		exit    int
		verdict string
		message string
	}{
		{[]string{"check", code, "--at", "09:50", "--json", "--lang", "en"}, ExitRefused, "early", "The booking is at 10:10; can be taken from 09:55."},
		{[]string{"check", code, "--at", "10:05", "--json"}, ExitOK, "valid", "Programare validă pentru azi"},
		{[]string{"checkin", code, "--at", "10:12", "--json", "--lang", "en"}, ExitOK, "valid", "Arrival recorded 10:12"},
		{[]string{"checkin", code, "--at", "10:14", "--counter", "2", "--json"}, ExitRefused, "already_arrived", "A sosit deja la 10:12, la ghișeul 1."},
		{[]string{"check", code[:len(code)-3] + "AAA", "--json"}, ExitRefused, "forged", ""},
		{[]string{"check", "https://example.com", "--json"}, ExitRefused, "not_a_code", ""},
		{[]string{"checkin", late, "--at", "12:00", "--json"}, ExitRefused, "no_show_recorded", ""},
		{[]string{"accept", late, "--at", "12:01", "--reason", "a venit cu trenul întârziat", "--json"}, ExitOK, "accepted_by_clerk", "Sosire înregistrată 12:01. Motiv: a venit cu trenul întârziat"},
	}
	// Taking a person anyway needs the supervisor's password, on stdin.
	for _, pw := range []string{"", "ghicit\n"} {
		if exit, out, _ := runIn(t, pw, db, "accept", late, "--at", "12:01", "--reason", "x", "--json"); exit != ExitRefused || out != "" {
			t.Fatalf("accept with password %q: exit %d %s", pw, exit, out)
		}
	}
	for _, s := range steps {
		exit, out, errOut := runIn(t, demo.Password+"\n", db, s.args...)
		if exit != s.exit {
			t.Fatalf("%v: exit %d, want %d (%s)", s.args, exit, s.exit, errOut)
		}
		var v struct{ Verdict, Message string }
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v: %v in %q", s.args, err, out)
		}
		if v.Verdict != s.verdict || s.message != "" && v.Message != s.message {
			t.Fatalf("%v: got %s %q, want %s %q", s.args, v.Verdict, v.Message, s.verdict, s.message)
		}
	}
	_, out, _ := run(t, db, "list", "--lang", "en")
	if !strings.Contains(out, "Arrived    Bălan Ana") {
		t.Fatalf("list does not show the arrival:\n%s", out)
	}
	// Popescu, taken anyway after the no-show, has arrived; Lupu (08:30,
	// nobody came) is a no-show at 12:05 and was not one at 08:00: derived
	// when read, never written.
	for at, want := range map[string]map[string]string{
		"12:05": {"Popescu Andrei": "arrived", "Lupu Sorin": "no_show"},
		"08:00": {"Popescu Andrei": "arrived", "Lupu Sorin": "expected"},
	} {
		if got := states(t, db, at); got["Popescu Andrei"] != want["Popescu Andrei"] || got["Lupu Sorin"] != want["Lupu Sorin"] {
			t.Fatalf("list at %s: %v, want %v", at, got, want)
		}
	}
	if n := noShowEvents(t, db); n != 0 {
		t.Fatalf("the commands wrote %d no-show events", n)
	}
}

// states lists today's bookings' states at hh:mm by name.
func states(t *testing.T, db, at string) map[string]string {
	t.Helper()
	code, out, errOut := run(t, db, "list", "--json", "--at", at)
	var rows []struct{ Name, State string }
	if err := json.Unmarshal([]byte(out), &rows); code != ExitOK || err != nil {
		t.Fatalf("list --at %s: %d %v %s", at, code, err, errOut)
	}
	m := map[string]string{}
	for _, r := range rows {
		m[r.Name] = r.State
	}
	return m
}

// noShowEvents counts the no-show events of today's demo bookings.
func noShowEvents(t *testing.T, path string) int {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cal, _, err := db.Office(ctx)
	if err != nil {
		t.Fatal(err)
	}
	events, err := db.DayEvents(ctx, cal.Office, cal.Day(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, es := range events {
		for _, e := range es {
			if e.Type == store.NoShow {
				n++
			}
		}
	}
	return n
}

// TestLookingAtANewMachine: the commands that only look open an existing
// database read-only; on a new machine, with none yet, they make it as the
// window's first start does (the demo office), so that a first look works.
func TestLookingAtANewMachine(t *testing.T) {
	for _, args := range [][]string{{"list"}, {"check", "GH123"}, {"conflicts"}, {"report"}} {
		db := filepath.Join(t.TempDir(), "none.db")
		if code, out, errOut := run(t, db, args...); code == ExitError {
			t.Errorf("%v on a new machine: exit %d, %q %q", args, code, out, errOut)
		}
		if _, err := os.Stat(db); err != nil {
			t.Fatalf("%v did not make the demo database: %v", args, err)
		}
	}
	db := newDemo(t)
	if code, _, errOut := run(t, db, "report", "--out", db); code != ExitError || !strings.Contains(errOut, "is the database") {
		t.Fatalf("report --out the database: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, db, "list"); code != ExitOK {
		t.Fatalf("the database after report --out refused: exit %d, %q", code, errOut)
	}
}

func TestBadInvocations(t *testing.T) {
	db := newDemo(t)
	dir := filepath.Dir(db)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no code", []string{"check"}, "exactly one CODE"},
		{"two codes", []string{"checkin", "a", "b"}, "exactly one CODE"},
		{"unknown flag", []string{"list", "--bogus"}, "bogus"},
		{"bad time", []string{"check", "x", "--at", "25:00"}, "--at"},
		{"bad day", []string{"list", "--day", "23/11/2026"}, "YYYY-MM-DD"},
		{"accept without a reason", []string{"accept", "GH123"}, "--reason"},
		{"not a database", []string{"list", "--db", "/etc/passwd"}, "nu se poate deschide baza de date"},
		{"directory as database", []string{"list", "--db", dir}, "nu se poate deschide baza de date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exit, _, errOut := run(t, db, tt.args...)
			if exit != ExitError || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", exit, errOut, ExitError, tt.want)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Bucharest")
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, loc)
	want := time.Date(2026, 11, 23, 10, 15, 0, 0, loc)
	for _, s := range []string{"10:15", "2026-11-23 10:15", "2026-11-23T10:15", "2026-11-23T10:15:00+02:00", "2026-11-23T08:15:00Z"} {
		got, err := ParseTime(s, loc, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if _, err := ParseTime("tomorrow", loc, now); err == nil {
		t.Error("ParseTime accepted \"tomorrow\"")
	}
}

// A cancelled booking is listed as cancelled, in text as in JSON, never as
// expected.
func TestListShowsCancelled(t *testing.T) {
	db := newDemo(t)
	for _, tt := range []struct{ lang, want string }{{"ro", "Anulată"}, {"en", "Cancelled"}} {
		_, out, _ := run(t, db, "list", "--at", "08:00", "--lang", tt.lang)
		var line string
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "Moldovan Radu") {
				line = l
			}
		}
		if !strings.Contains(line, tt.want) || strings.Contains(line, map[string]string{"ro": "Așteptat", "en": "Expected"}[tt.lang]) {
			t.Errorf("%s: the cancelled booking is listed as %q", tt.lang, line)
		}
	}
	_, out, _ := run(t, db, "list", "--json", "--at", "08:00")
	var rows []struct{ Name, Status string }
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Name == "Moldovan Radu" && r.Status != "cancelled" {
			t.Fatalf("--json: status %q", r.Status)
		}
	}
}
