package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
)

// benchStartup measures what a counter pays to start on a national-size
// database: the real ghiseu binary lists today, checks a code and checks
// one in, each on a fresh copy of the database, twice (the first start
// after a week off, then the next one), at 18:00 today, when every slot of
// the week is over.
func benchStartup(args []string) error {
	fs := flag.NewFlagSet("startup", flag.ContinueOnError)
	perDay := fs.Int("bookings", 33000, "bookings a day")
	days := fs.Int("days", 8, "days of bookings: today and the ones before")
	bin := fs.String("ghiseu", "", "the ghiseu binary to measure; built from ./cmd/ghiseu when empty")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ghiseu-bench-startup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if *bin == "" {
		*bin = filepath.Join(dir, "ghiseu")
		if out, err := exec.Command("go", "build", "-o", *bin, "./cmd/ghiseu").CombinedOutput(); err != nil {
			return fmt.Errorf("build ghiseu: %v\n%s", err, out)
		}
	}
	cal := calendar.Default()
	now := time.Now().In(cal.Location())
	at := time.Date(now.Year(), now.Month(), now.Day(), 18, 0, 0, 0, cal.Location())
	pristine := filepath.Join(dir, "pristine.db")
	t0 := time.Now()
	code, err := writeNationalDB(pristine, cal, at, *perDay, *days)
	if err != nil {
		return err
	}
	fmt.Printf("%d bookings a day for %d days written in %.1f s; judged at %s\n\n",
		*perDay, *days, time.Since(t0).Seconds(), at.Format(time.RFC3339))
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "command\tstart\ttime (s)\tevents after\tanswer\t")
	for _, c := range [][]string{{"list"}, {"check", code}, {"checkin", code}} {
		if err := startTwice(tw, *bin, pristine, at, c); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// startTwice runs one command twice on a fresh copy of the database and
// writes a row for each run.
func startTwice(w io.Writer, bin, pristine string, at time.Time, command []string) error {
	db := filepath.Join(filepath.Dir(pristine), "run.db")
	if err := copyFile(pristine, db); err != nil {
		return err
	}
	defer removeDB(db)
	for _, start := range []string{"first", "second"} {
		args := append(append([]string{}, command...), "--db", db, "--at", at.Format(time.RFC3339))
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "GHISEU_LANG=en")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		t0 := time.Now()
		err := cmd.Run()
		took := time.Since(t0)
		if _, refused := err.(*exec.ExitError); err != nil && !(refused && cmd.ProcessState.ExitCode() == 1) {
			return fmt.Errorf("ghiseu %s: %w", command[0], err)
		}
		n, err := countEvents(db)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\t%s\t%.2f\t%d\t%s\t\n", command[0], start, took.Seconds(), n, answer(command[0], out.String()))
	}
	return nil
}

// answer sums up what a command printed: the rows of a list, the
// verdict's first line otherwise.
func answer(command, out string) string {
	if command == "list" {
		return fmt.Sprintf("%d rows", strings.Count(out, "\n"))
	}
	first, _, _ := strings.Cut(out, "\n")
	return first
}

// writeNationalDB makes a counter database of the default office holding
// perDay confirmed bookings on each of days days up to at's day, nobody
// having come, and returns the code of one of today's bookings.
func writeNationalDB(path string, cal calendar.Calendar, at time.Time, perDay, days int) (string, error) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if err := db.SetOffice(ctx, cal, rules.DefaultFees); err != nil {
		return "", fmt.Errorf("office: %w", err)
	}
	if err := db.PutKeys(ctx, rescode.Keyring{{ID: 1, Public: benchKey.Public().(ed25519.PublicKey)}}); err != nil {
		return "", fmt.Errorf("keys: %w", err)
	}
	reasons := rules.Reasons()
	for d := days - 1; d >= 0; d-- {
		day := at.AddDate(0, 0, -d)
		first := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, cal.Location())
		bs := make([]store.Booking, perDay)
		for i := range bs {
			id := 10_000_000 + d*1_000_000 + i
			bs[i] = store.Booking{ID: strconv.Itoa(id), Office: cal.Office, Day: cal.Day(first),
				SlotStart: first.Add(time.Duration(i%24) * 20 * time.Minute), SlotMinutes: 20, Kind: store.Intake,
				Name: fmt.Sprintf("Popescu-Ștefănescu Maria %d", id), Reason: reasons[i%len(reasons)],
				BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 40+i%60, 1+i%12, 1+i%28), Status: store.Confirmed}
		}
		if err := db.PutBookings(ctx, bs); err != nil {
			return "", fmt.Errorf("bookings of %s: %w", cal.Day(first), err)
		}
		if d == 0 {
			id, _ := strconv.ParseUint(bs[6].ID, 10, 64)
			return rescode.Issue(benchKey, rescode.Claims{KeyID: 1, BookingID: id, Office: cal.Office,
				SlotStart: bs[6].SlotStart, SlotMinutes: 20, Kind: rescode.Intake})
		}
	}
	return "", fmt.Errorf("no days to write")
}

// countEvents counts the events a database holds.
func countEvents(path string) (int, error) {
	ctx := context.Background()
	db, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	es, err := db.EventsAfter(ctx, 0, 10_000_000)
	return len(es), err
}

// removeDB removes a database and its SQLite side files.
func removeDB(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600)
}
