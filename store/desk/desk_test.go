package desk

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
	"github.com/ghiseu/ghiseu/store/verdict"
)

var (
	cal       = calendar.Default()
	bucharest = cal.Location()
	signer    = ed25519.NewKeyFromSeed(make([]byte, 32))
	keys      = rescode.Keyring{{ID: 1, Public: signer.Public().(ed25519.PublicKey)}}
)

// code issues the code of a booking.
func code(t testing.TB, b store.Booking) string {
	t.Helper()
	id, _ := strconv.ParseUint(b.ID, 10, 64)
	kind := rescode.Intake
	if b.Kind == store.Pickup {
		kind = rescode.Pickup
	}
	c, err := rescode.Issue(signer, rescode.Claims{KeyID: 1, BookingID: id, Office: b.Office,
		SlotStart: b.SlotStart, SlotMinutes: b.SlotMinutes, Kind: kind})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newDesk opens a database at path with three bookings of Dumbrăvița around
// Monday 23 Nov 2026 and returns a desk whose clock stands at 10:12 that
// day, with the bookings' codes.
func newDesk(t testing.TB, path string) (*Desk, []string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	slot := time.Date(2026, 11, 23, 10, 10, 0, 0, bucharest)
	bs := []store.Booking{
		{ID: "1", Office: cal.Office, Day: "2026-11-23", SlotStart: slot, SlotMinutes: 20, Kind: store.Intake, Name: "Popescu Ana", Reason: "expiry"},
		{ID: "2", Office: cal.Office, Day: "2026-11-23", SlotStart: slot.Add(5 * time.Minute), SlotMinutes: 15, Kind: store.Pickup, Name: "Ionescu Dan", Reason: "lost", ReadyOn: "2026-11-16"},
		{ID: "3", Office: cal.Office, Day: "2026-11-25", SlotStart: slot.AddDate(0, 0, 2), SlotMinutes: 20, Kind: store.Intake, Name: "Rusu Ion", Reason: "expiry"},
	}
	if err := db.PutBookings(ctx, bs); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 12, 0, 0, bucharest)
	codes := []string{code(t, bs[0]), code(t, bs[1]), code(t, bs[2])}
	return &Desk{DB: db, Cal: cal, Fees: rules.DefaultFees, Keys: keys, Counter: "1", Clerk: "maria",
		Now: func() time.Time { return now }}, codes
}

func TestCheckInThenAgain(t *testing.T) {
	ctx := context.Background()
	d, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))

	v, err := d.Check(ctx, codes[0])
	if err != nil || v.Name != verdict.Valid || v.Recorded != nil {
		t.Fatalf("check: %+v, %v", v, err)
	}
	v, err = d.CheckIn(ctx, strings.ToLower(codes[0]))
	if err != nil || v.Name != verdict.Valid || v.Recorded == nil {
		t.Fatalf("first check-in: %+v, %v", v, err)
	}
	if v.Details["at"] != "2026-11-23T10:12:00+02:00" {
		t.Fatalf("recorded at %q", v.Details["at"])
	}
	d.Counter = "2"
	v, err = d.CheckIn(ctx, codes[0])
	if err != nil || v.Name != verdict.AlreadyArrived || v.Recorded != nil {
		t.Fatalf("second check-in: %+v, %v", v, err)
	}
	if v.Details["counter"] != "1" {
		t.Fatalf("already arrived at counter %q, want 1", v.Details["counter"])
	}
}

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	d, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	unlisted := store.Booking{ID: "99", Office: cal.Office, SlotStart: time.Date(2026, 11, 23, 10, 30, 0, 0, bucharest), SlotMinutes: 20}
	for text, want := range map[string]verdict.Name{
		"":                verdict.NotACode,
		"hello world":     verdict.NotACode,
		codes[2]:          verdict.WrongDay,
		codes[0][:60]:     verdict.Forged,
		code(t, unlisted): verdict.Early,
	} {
		v, err := d.CheckIn(ctx, text)
		if err != nil || v.Name != want || v.Recorded != nil {
			t.Errorf("CheckIn(%q) = %s (recorded %v), %v; want %s", text, v.Name, v.Recorded, err, want)
		}
	}
	rows, _ := d.Day(ctx, "2026-11-23")
	for _, r := range rows {
		if r.State != store.Expected {
			t.Errorf("a refused scan changed %s to %s", r.ID, r.State)
		}
	}
}

func TestUndoAndPickup(t *testing.T) {
	ctx := context.Background()
	d, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	if _, err := d.Undo(ctx); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("undo on a fresh counter: %v", err)
	}
	if v, err := d.CheckIn(ctx, codes[1]); err != nil || v.Name != verdict.Ready {
		t.Fatalf("pickup: %s, %v", v.Name, err)
	}
	v, err := d.CheckIn(ctx, codes[1])
	if err != nil || v.Name != verdict.AlreadyArrived {
		t.Fatalf("second scan of the pickup: %s, %v", v.Name, err)
	}
	if _, err := d.Record(ctx, "2", store.PickedUp); err != nil {
		t.Fatal(err)
	}
	state := func() store.State {
		rows, err := d.Day(ctx, "2026-11-23")
		if err != nil {
			t.Fatal(err)
		}
		return rows[1].State
	}
	if s := state(); s != store.Collected {
		t.Fatalf("after hand-over: %s", s)
	}
	undone, err := d.Undo(ctx)
	if err != nil || undone.Type != store.PickedUp {
		t.Fatalf("undo: %+v, %v", undone, err)
	}
	if s := state(); s != store.Present {
		t.Fatalf("after undoing the hand-over: %s", s)
	}
	if _, err := d.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if s := state(); s != store.Expected {
		t.Fatalf("after undoing the arrival: %s", s)
	}
	es, _ := d.DB.Events(ctx, "2")
	if len(es) != 4 {
		t.Fatalf("the log has %d events, want 4: undo must append, never delete", len(es))
	}
	if _, err := d.CheckIn(ctx, codes[1]); err != nil {
		t.Fatal(err)
	}
	later := d.now().Add(UndoWindow + time.Second)
	d.Now = func() time.Time { return later }
	if _, err := d.Undo(ctx); !errors.Is(err, ErrUndoTooLate) {
		t.Fatalf("undo after %v: %v", UndoWindow, err)
	}
}

func TestConcurrentScansRecordOneArrival(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	d, codes := newDesk(t, path)
	var wg sync.WaitGroup
	results := make(chan verdict.Name, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := d.CheckIn(ctx, codes[0])
			if err != nil {
				t.Error(err)
			}
			results <- v.Name
		}()
	}
	wg.Wait()
	close(results)
	valid := 0
	for n := range results {
		if n == verdict.Valid {
			valid++
		}
	}
	es, _ := d.DB.Events(ctx, "1")
	if valid != 1 || len(es) != 1 {
		t.Fatalf("%d valid verdicts and %d events for one person, want 1 and 1", valid, len(es))
	}
}

// TestKilledRightAfterCheckIn checks in from a child process that is killed
// with SIGKILL the moment it reports the verdict; the arrival must be there.
func TestKilledRightAfterCheckIn(t *testing.T) {
	if os.Getenv("GHISEU_HELPER_DB") != "" {
		t.Skip("helper run")
	}
	path := filepath.Join(t.TempDir(), "g.db")
	_, codes := newDesk(t, path)
	for i := 0; i < 3; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCheckIn$")
		cmd.Env = append(os.Environ(), "GHISEU_HELPER_DB="+path, "GHISEU_HELPER_CODE="+codes[0])
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		cmd.Process.Kill()
		cmd.Wait()
		want := "verdict valid"
		if i > 0 {
			want = "verdict already_arrived"
		}
		if strings.TrimSpace(line) != want {
			t.Fatalf("run %d: helper said %q, want %q", i, line, want)
		}
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	es, err := db.Events(context.Background(), "1")
	if err != nil || len(es) != 1 || es[0].Type != store.Arrived {
		t.Fatalf("after kill -9: events %+v, %v; want one arrival", es, err)
	}
}

// TestHelperCheckIn is the child of TestKilledRightAfterCheckIn.
func TestHelperCheckIn(t *testing.T) {
	path := os.Getenv("GHISEU_HELPER_DB")
	if path == "" {
		t.Skip("only run as a helper process")
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		fmt.Println("error", err)
		return
	}
	now := time.Date(2026, 11, 23, 10, 12, 0, 0, bucharest)
	d := &Desk{DB: db, Cal: cal, Keys: keys, Counter: "1", Clerk: "x", Now: func() time.Time { return now }}
	v, err := d.CheckIn(context.Background(), os.Getenv("GHISEU_HELPER_CODE"))
	if err != nil {
		fmt.Println("error", err)
		return
	}
	fmt.Println("verdict", v.Name)
	time.Sleep(time.Minute) // wait to be killed, with the database still open
}

func TestUnlistedCodeIsRecordedWithWarning(t *testing.T) {
	ctx := context.Background()
	d, _ := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	b := store.Booking{ID: "77", Office: cal.Office, SlotStart: time.Date(2026, 11, 23, 10, 10, 0, 0, bucharest), SlotMinutes: 20, Kind: store.Intake}
	v, err := d.CheckIn(ctx, code(t, b))
	if err != nil || v.Name != verdict.NotInList || v.Recorded == nil {
		t.Fatalf("unlisted code: %+v, %v", v, err)
	}
	rows, _ := d.Day(ctx, "2026-11-23")
	found := false
	for _, r := range rows {
		if r.ID == "77" {
			found = r.State == store.Present && r.Status == store.Unlisted
		}
	}
	if !found {
		t.Fatal("the unlisted arrival is not in the day list")
	}
	if v, _ := d.CheckIn(ctx, code(t, b)); v.Name != verdict.AlreadyArrived {
		t.Fatalf("second scan: %s", v.Name)
	}
}

func TestOverride(t *testing.T) {
	ctx := context.Background()
	d, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	if _, err := d.Override(ctx, codes[0], "  "); !errors.Is(err, ErrNoReason) {
		t.Fatalf("override without a reason: %v", err)
	}
	v, err := d.Override(ctx, codes[0], "on time anyway")
	if err != nil || v.Name != verdict.Valid || v.Recorded != nil {
		t.Fatalf("override of a valid verdict must change nothing: %+v, %v", v, err)
	}
	later := time.Date(2026, 11, 23, 10, 35, 0, 0, bucharest) // late; a no-show only after 10:40
	d.Now = func() time.Time { return later }
	if v, _ := d.CheckIn(ctx, codes[0]); v.Name != verdict.Late || v.Recorded != nil {
		t.Fatalf("late scan: %s", v.Name)
	}
	v, err = d.Override(ctx, codes[0], "walk-in: trafic")
	if err != nil || v.Name != verdict.Overridden || v.Recorded == nil || v.Recorded.Note != "walk-in: trafic" {
		t.Fatalf("override of a late arrival: %+v, %v", v, err)
	}
	es, _ := d.DB.Events(ctx, "1")
	if len(es) != 1 || es[0].Note != "walk-in: trafic" {
		t.Fatalf("events %+v", es)
	}
}

// TestNoShows: a no-show is derived when read, at the desk's clock;
// nothing is written, and taking the person anyway is an arrival with the
// clerk's reason, after which the booking is an arrival.
func TestNoShows(t *testing.T) {
	ctx := context.Background()
	d, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	if rows, err := d.Day(ctx, "2026-11-23"); err != nil || rows[0].State != store.Expected {
		t.Fatalf("at 10:12: %+v, %v", rows, err)
	}
	evening := time.Date(2026, 11, 23, 18, 0, 0, 0, bucharest)
	d.Now = func() time.Time { return evening }
	if _, err := d.Record(ctx, "2", store.Arrived); err != nil { // the pickup came
		t.Fatal(err)
	}
	rows, err := d.Day(ctx, "2026-11-23")
	if err != nil || rows[0].State != store.Absent || rows[1].State != store.Present {
		t.Fatalf("in the evening: %+v, %v; want Popescu absent, Ionescu arrived", rows, err)
	}
	if !rows[0].NoShowAt.Equal(time.Date(2026, 11, 23, 10, 40, 0, 0, bucharest)) || rows[0].Last != nil {
		t.Fatalf("derived no-show %+v: want it since 10:40 (10:30 plus 10 minutes), with no event", rows[0].Derived)
	}
	if es, _ := d.DB.Events(ctx, "1"); len(es) != 0 {
		t.Fatalf("reading wrote events: %+v", es)
	}
	v, err := d.CheckIn(ctx, codes[0])
	if err != nil || v.Name != verdict.NoShowRecorded || !v.Overridable() || v.Recorded != nil ||
		v.Details["at"] != "2026-11-23T10:40:00+02:00" {
		t.Fatalf("scan after the no-show: %+v, %v", v, err)
	}
	v, err = d.Override(ctx, codes[0], "came late, accepted by the head of office")
	if err != nil || v.Name != verdict.Overridden {
		t.Fatalf("reversing the no-show: %s, %v", v.Name, err)
	}
	rows, _ = d.Day(ctx, "2026-11-23")
	if rows[0].State != store.Present {
		t.Fatalf("after the reversal: %s", rows[0].State)
	}
	es, _ := d.DB.Events(ctx, "1")
	if len(es) != 1 || es[0].Type != store.Arrived || es[0].Note == "" || es[0].Counter != "1" {
		t.Fatalf("the reversal is not one arrival with a reason: %+v", es)
	}
}

// TestFastClockMarksNobodyAbsent: two counters share one log; counter 2's
// clock is 3 hours fast. Whatever it reads or judges writes nothing, and
// even the no-show an older version at that counter wrote (as "system",
// stamped by its fast clock) cannot make an on-time person absent at the
// counter whose clock is right.
func TestFastClockMarksNobodyAbsent(t *testing.T) {
	ctx := context.Background()
	onTime, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	fast := *onTime
	fast.Counter = "2"
	fast.Now = func() time.Time { return time.Date(2026, 11, 23, 13, 12, 0, 0, bucharest) }

	rows, err := fast.Day(ctx, "2026-11-23")
	if err != nil || rows[0].State != store.Absent {
		t.Fatalf("the fast counter sees %+v, %v; want Popescu absent by its own clock", rows, err)
	}
	if v, err := fast.Check(ctx, codes[0]); err != nil || v.Name != verdict.NoShowRecorded {
		t.Fatalf("the fast counter judges %s, %v", v.Name, err)
	}
	if n := eventCount(t, onTime.DB); n != 0 {
		t.Fatalf("reading and judging at the fast counter wrote %d events", n)
	}
	old := store.Event{ID: "no-show-1", BookingID: "1", Type: store.NoShow,
		At: time.Date(2026, 11, 23, 13, 0, 0, 0, bucharest), Counter: System, Clerk: System}
	if err := onTime.DB.Append(ctx, old); err != nil {
		t.Fatal(err)
	}
	v, err := onTime.CheckIn(ctx, codes[0])
	if err != nil || v.Name != verdict.Valid || v.Colour != verdict.Green || v.Recorded == nil {
		t.Fatalf("the on-time person at the on-time counter: %s/%s, %v; want valid and green", v.Name, v.Colour, err)
	}
	for _, d := range []*Desk{onTime, &fast} {
		if rows, _ := d.Day(ctx, "2026-11-23"); rows[0].State != store.Present {
			t.Fatalf("counter %s sees Popescu as %s after the arrival", d.Counter, rows[0].State)
		}
	}
}

// eventCount counts every event a database holds.
func eventCount(t *testing.T, db *store.DB) int {
	t.Helper()
	n := 0
	for _, id := range []string{"1", "2", "3"} {
		es, err := db.Events(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		n += len(es)
	}
	return n
}

// TestOpenReadOnly: a desk opened read-only shows what the database holds
// (a demo office gets no new demo day), derives no-shows at its clock,
// refuses to record, and leaves the database file as it was; a database
// that is missing or holds no office cannot be opened read-only.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	monday := time.Date(2026, 11, 23, 8, 25, 0, 0, bucharest)
	d, err := Open(ctx, Config{DBPath: path, Counter: "1", Now: func() time.Time { return monday }})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	tuesday := monday.AddDate(0, 0, 1)
	r, err := Open(ctx, Config{DBPath: path, Counter: "1", ReadOnly: true, Now: func() time.Time { return tuesday }})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.Demo || !r.DB.ReadOnly() {
		t.Fatalf("demo %v, read-only %v", r.Demo, r.DB.ReadOnly())
	}
	if rows, err := r.Day(ctx, "2026-11-24"); err != nil || len(rows) != 0 {
		t.Fatalf("Tuesday: %d rows, %v; want no demo day installed", len(rows), err)
	}
	rows, err := r.Day(ctx, "2026-11-23")
	if err != nil || len(rows) == 0 {
		t.Fatalf("Monday: %d rows, %v", len(rows), err)
	}
	for _, row := range rows {
		if row.Status == store.Confirmed && row.State != store.Absent {
			t.Fatalf("on Tuesday Monday's %s is %s, want a no-show", row.Name, row.State)
		}
	}
	if _, err := r.Record(ctx, rows[0].ID, store.Arrived); err == nil {
		t.Fatal("a read-only desk recorded an arrival")
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("the database file changed")
	}

	if _, err := Open(ctx, Config{DBPath: filepath.Join(t.TempDir(), "none.db"), ReadOnly: true}); err == nil {
		t.Fatal("opened a missing database read-only")
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	db, err := store.Open(ctx, empty)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, Config{DBPath: empty, ReadOnly: true}); !errors.Is(err, ErrNoOffice) {
		t.Fatalf("a database with no office, read-only: %v", err)
	}
}

// The desk refuses, before anything is written, what the hub would refuse:
// a clerk's name or a reason over the limits (every event it records can
// be synced).
func TestTheHubsLimitsAtTheDesk(t *testing.T) {
	ctx := context.Background()
	d, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	d.Now = func() time.Time { return time.Date(2026, 11, 23, 10, 8, 0, 0, bucharest) }
	d.Clerk = strings.Repeat("ș", store.MaxClerk+1)
	if _, err := d.CheckIn(ctx, codes[0]); err == nil {
		t.Fatal("a check-in by a clerk with too long a name was taken")
	}
	d.Clerk = "ana"
	if _, err := d.Override(ctx, codes[0], strings.Repeat("x", store.MaxNote+1)); err == nil {
		t.Fatal("an override with too long a reason was taken")
	}
	if n, _, _ := d.DB.OutboxSize(ctx); n != 0 {
		t.Fatalf("%d events recorded", n)
	}
	if v, err := d.CheckIn(ctx, codes[0]); err != nil || v.Recorded == nil {
		t.Fatalf("within the limits: %+v, %v", v, err)
	}
}
