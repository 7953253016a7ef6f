package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "ghiseu.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func sampleBooking(id, code string) Booking {
	return Booking{ID: id, Office: "B1", Day: "2026-11-23",
		SlotStart: time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC), SlotMinutes: 20,
		Kind: Intake, Name: "Popescu Ana", Reason: "expiry", Code: code, Status: Confirmed}
}

func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := open(ctx, path, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = old.sql.Exec(`INSERT INTO bookings (id, office, day, slot_start, slot_minutes, kind, name, reason, code)
		VALUES ('b1', 'B1', '2026-11-23', 1795423800, 20, 'intake', 'Popescu Ana', 'expiry', 'GHX')`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = old.sql.Exec(`INSERT INTO events (id, booking_id, type, at, counter, clerk) VALUES ('e1', 'b1', 'arrived', 1795424000000, '2', 'ana')`)
	if err != nil {
		t.Fatal(err)
	}
	old.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.SchemaVersion(ctx); v != len(migrations) {
		t.Fatalf("schema version %d, want %d", v, len(migrations))
	}
	b, err := db.BookingByID(ctx, "b1")
	if err != nil {
		t.Fatal(err)
	}
	if b.Name != "Popescu Ana" || b.BirthDate != "" || b.Status != Confirmed || b.Code != "GHX" || b.ReadyOn != "" {
		t.Fatalf("booking after upgrade: %+v", b)
	}
	if b.SlotStart.Unix() != 1795423800 {
		t.Fatalf("slot after upgrade: %v", b.SlotStart)
	}
	es, err := db.Events(ctx, "b1")
	if err != nil || len(es) != 1 || es[0].Counter != "2" || es[0].Note != "" {
		t.Fatalf("events after upgrade: %v, %v", es, err)
	}
	// Version 3 lets bookings without a known code coexist.
	if err := db.PutBookings(ctx, []Booking{sampleBooking("b2", ""), sampleBooking("b3", "")}); err != nil {
		t.Fatalf("bookings without codes after upgrade: %v", err)
	}
	if err := db.SetSetting(ctx, "office", "B1"); err != nil {
		t.Fatalf("settings table missing after upgrade: %v", err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.sql.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, db.Path()); err == nil {
		t.Fatal("opened a database from a newer program")
	}
}

func TestBookingsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	in := sampleBooking("b1", "GHA")
	in.BirthDate = "2015-03-01"
	in.ReadyOn = "2026-11-20"
	if err := db.PutBookings(ctx, []Booking{in, sampleBooking("b2", "GHB")}); err != nil {
		t.Fatal(err)
	}
	got, err := db.BookingByID(ctx, "b1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.SlotStart.Equal(in.SlotStart) {
		t.Fatalf("slot %v, want %v", got.SlotStart, in.SlotStart)
	}
	got.SlotStart = in.SlotStart
	if !reflect.DeepEqual(got, in) {
		t.Fatalf("got %+v\nwant %+v", got, in)
	}
	day, err := db.DayBookings(ctx, "B1", "2026-11-23")
	if err != nil || len(day) != 2 {
		t.Fatalf("day bookings: %v, %v", day, err)
	}
	if _, err := db.BookingByID(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown booking: %v", err)
	}
	in.Status = Cancelled
	if err := db.PutBookings(ctx, []Booking{in}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.BookingByID(ctx, "b1"); got.Status != Cancelled {
		t.Fatalf("status after update: %s", got.Status)
	}
}

func TestAppendIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	e := Event{ID: "e1", BookingID: "b1", Type: Arrived, At: time.UnixMilli(1795424000123), Counter: "1", Clerk: "ana", Note: "late, taken as walk-in"}
	for i := 0; i < 3; i++ {
		if err := db.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	es, err := db.Events(ctx, "b1")
	if err != nil || len(es) != 1 {
		t.Fatalf("events: %v, %v", es, err)
	}
	if !es[0].At.Equal(e.At) || es[0].Note != e.Note {
		t.Fatalf("read back %+v, want %+v (millisecond precision)", es[0], e)
	}
	if err := db.Append(ctx, Event{BookingID: "b1", Type: Arrived}); err == nil {
		t.Fatal("appended an event with no ID")
	}
}

func TestDerive(t *testing.T) {
	ev := func(id string, typ EventType, undoes string) Event {
		return Event{ID: id, Type: typ, Undoes: undoes}
	}
	tests := []struct {
		name   string
		events []Event
		want   State
		last   string
	}{
		{"no events", nil, Expected, ""},
		{"arrived", []Event{ev("a", Arrived, "")}, Present, "a"},
		{"arrival undone", []Event{ev("a", Arrived, ""), ev("u", Undone, "a")}, Expected, ""},
		{"no-show then arrival", []Event{ev("n", NoShow, ""), ev("a", Arrived, "")}, Present, "a"},
		{"an old no-show event counts for nothing", []Event{ev("n", NoShow, "")}, Expected, ""},
		{"picked up", []Event{ev("a", Arrived, ""), ev("p", PickedUp, "")}, Collected, "p"},
		{"pickup undone falls back to arrival", []Event{ev("a", Arrived, ""), ev("p", PickedUp, ""), ev("u", Undone, "p")}, Present, "a"},
		{"undo of unknown event changes nothing", []Event{ev("a", Arrived, ""), ev("u", Undone, "zz")}, Present, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Derive(tt.events)
			if d.State != tt.want {
				t.Fatalf("state %s, want %s", d.State, tt.want)
			}
			if (d.Last == nil) != (tt.last == "") || d.Last != nil && d.Last.ID != tt.last {
				t.Fatalf("last %+v, want %q", d.Last, tt.last)
			}
		})
	}
}

func TestDeriveAt(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Bucharest")
	at := func(hh, mm int) time.Time { return time.Date(2026, 11, 23, hh, mm, 0, 0, loc) }
	const grace = 10 * time.Minute
	booking := func(kind Kind, status Status) Booking { // 10:10 to 10:30, a no-show after 10:40
		return Booking{ID: "b", Day: "2026-11-23", SlotStart: at(10, 10), SlotMinutes: 20, Kind: kind, Status: status}
	}
	intake := booking(Intake, Confirmed)
	ev := func(id string, typ EventType, hh, mm int) Event {
		return Event{ID: id, BookingID: "b", Type: typ, At: at(hh, mm), Counter: "1"}
	}
	oldNoShow := Event{ID: "no-show-b", BookingID: "b", Type: NoShow, At: at(9, 0), Counter: "system", Clerk: "system"}
	override := ev("o", Arrived, 11, 5)
	override.Note = "came late, head of office agreed"
	undo := ev("u", Undone, 10, 14)
	undo.Undoes = "a"
	tests := []struct {
		name   string
		b      Booking
		events []Event
		now    time.Time
		want   State
		since  bool
	}{
		{"before the slot", intake, nil, at(9, 0), Expected, false},
		{"slot over, grace running", intake, nil, at(10, 35), Expected, false},
		{"exactly at the end of the grace", intake, nil, at(10, 40), Expected, false},
		{"after the grace", intake, nil, at(10, 41), Absent, true},
		{"another day, nobody came", intake, nil, at(10, 10).AddDate(0, 0, 3), Absent, true},
		{"arrived", intake, []Event{ev("a", Arrived, 10, 12)}, at(18, 0), Present, false},
		{"called", intake, []Event{ev("a", Arrived, 10, 12), ev("c", Called, 10, 20)}, at(18, 0), InService, false},
		{"served", intake, []Event{ev("a", Arrived, 10, 12), ev("c", Called, 10, 20), ev("s", Served, 10, 40)}, at(18, 0), Done, false},
		{"arrived, then undone", intake, []Event{ev("a", Arrived, 10, 12), undo}, at(18, 0), Absent, true},
		{"cancelled", booking(Intake, Cancelled), nil, at(18, 0), Expected, false},
		{"replaced", booking(Intake, Replaced), nil, at(18, 0), Expected, false},
		{"walk-in", booking(Intake, WalkIn), nil, at(18, 0), Expected, false},
		{"known only from its code", booking(Intake, Unlisted), nil, at(18, 0), Expected, false},
		{"pickup nobody came for", booking(Pickup, Confirmed), nil, at(18, 0), Absent, true},
		{"pickup handed over", booking(Pickup, Confirmed), []Event{ev("p", PickedUp, 10, 15)}, at(18, 0), Collected, false},
		{"old system no-show, on time by the reader's clock", intake, []Event{oldNoShow}, at(10, 12), Expected, false},
		{"old system no-show, then the person came", intake, []Event{oldNoShow, ev("a", Arrived, 10, 12)}, at(18, 0), Present, false},
		{"taken anyway after the no-show", intake, []Event{override}, at(18, 0), Present, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := DeriveAt(tt.b, tt.events, tt.now, grace)
			if d.State != tt.want {
				t.Fatalf("state %s, want %s", d.State, tt.want)
			}
			if !d.NoShowAt.IsZero() != tt.since || tt.since && !d.NoShowAt.Equal(at(10, 40)) {
				t.Fatalf("no-show since %v", d.NoShowAt)
			}
			if d.State == Absent && d.Last != nil {
				t.Fatalf("a derived no-show shows event %+v", d.Last)
			}
		})
	}
}

func TestLastEventSkipsUndone(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	at := time.Now()
	for _, e := range []Event{
		{ID: "a1", BookingID: "b1", Type: Arrived, At: at, Counter: "1"},
		{ID: "a2", BookingID: "b2", Type: Arrived, At: at, Counter: "1"},
		{ID: "x", BookingID: "b3", Type: Arrived, At: at, Counter: "2"},
		{ID: "u", BookingID: "b2", Type: Undone, At: at, Counter: "1", Undoes: "a2"},
	} {
		if err := db.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	last, err := db.LastEvent(ctx, "1")
	if err != nil || last.ID != "a1" {
		t.Fatalf("last event %+v, %v; want a1", last, err)
	}
	if _, err := db.LastEvent(ctx, "9"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty counter: %v", err)
	}
}

func TestKeyring(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	pub := make([]byte, 32)
	pub[0] = 7
	ring := rescode.Keyring{
		{ID: 1, Public: pub, From: time.Unix(1700000000, 0), Until: time.Unix(1800000000, 0)},
		{ID: 2, Public: pub, From: time.Unix(1790000000, 0)},
	}
	if err := db.PutKeys(ctx, ring); err != nil {
		t.Fatal(err)
	}
	got, err := db.Keyring(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].Until.Equal(ring[0].Until) || !got[1].Until.IsZero() || got[1].Public[0] != 7 {
		t.Fatalf("keyring read back as %+v", got)
	}
	if err := db.PutKeys(ctx, rescode.Keyring{{ID: 3, Public: pub[:31]}}); err == nil {
		t.Fatal("stored a 31-byte public key")
	}
}

func TestDeriveIgnoresOrder(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 11, 23, 10, m, 0, 0, time.UTC) }
	events := []Event{
		{ID: "n", Type: NoShow, At: at(40), Counter: "system"},
		{ID: "a1", Type: Arrived, At: at(45), Counter: "1"},
		{ID: "a2", Type: Arrived, At: at(44), Counter: "2"},
		{ID: "u", Type: Undone, Undoes: "x", At: at(50), Counter: "2"},
	}
	want := Derive(events)
	if want.State != Present || want.Last.ID != "a2" || !want.Duplicate() {
		t.Fatalf("derived %+v, want arrived via a2 and a duplicate", want)
	}
	perms := [][]int{{3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}}
	for _, p := range perms {
		shuffled := []Event{events[p[0]], events[p[1]], events[p[2]], events[p[3]]}
		got := Derive(shuffled)
		if got.State != want.State || got.Last.ID != want.Last.ID || got.Arrivals != want.Arrivals {
			t.Fatalf("order %v derived %+v, want %+v", p, got, want)
		}
	}
}

func TestSyncBookkeeping(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	mine := Event{ID: "m1", BookingID: "b", Type: Arrived, At: time.UnixMilli(1000), Counter: "1"}
	if err := db.Append(ctx, mine); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := db.OutboxSize(ctx); n != 1 {
		t.Fatalf("outbox %d, want 1", n)
	}
	theirs := Event{ID: "t1", BookingID: "b", Type: Arrived, At: time.UnixMilli(2000), Counter: "2", ReceivedAt: time.UnixMilli(5000)}
	echo := mine
	echo.ReceivedAt = time.UnixMilli(4000)
	n, err := db.Receive(ctx, []Event{theirs, echo, theirs})
	if err != nil || n != 1 {
		t.Fatalf("received %d new, %v; want 1", n, err)
	}
	if n, _, _ := db.OutboxSize(ctx); n != 0 {
		t.Fatalf("outbox %d after the hub echoed our event, want 0", n)
	}
	es, _ := db.Events(ctx, "b")
	if len(es) != 2 || !es[0].ReceivedAt.Equal(time.UnixMilli(4000)) {
		t.Fatalf("events %+v", es)
	}
}

func TestPurge(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	old, kept, unsent := sampleBooking("old", ""), sampleBooking("kept", ""), sampleBooking("unsent", "")
	old.Day, unsent.Day = "2026-08-01", "2026-08-01"
	db.PutBookings(ctx, []Booking{old, kept, unsent})
	db.Append(ctx, Event{ID: "e1", BookingID: "old", Type: Arrived, At: time.Now(), Counter: "1"})
	db.Append(ctx, Event{ID: "e2", BookingID: "unsent", Type: Arrived, At: time.Now(), Counter: "1"})
	db.ApplyResults(ctx, []Result{{ID: "e1", Status: ResultAccepted}}, nil)
	db.SetHubLinked(ctx)
	n, err := db.Purge(ctx, "2026-09-01")
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	if _, err := db.BookingByID(ctx, "old"); !errors.Is(err, ErrNotFound) {
		t.Fatal("the old booking is still there")
	}
	if es, _ := db.Events(ctx, "old"); len(es) != 0 {
		t.Fatal("the old booking's events are still there")
	}
	for _, id := range []string{"kept", "unsent"} {
		if _, err := db.BookingByID(ctx, id); err != nil {
			t.Fatalf("%s was purged", id)
		}
	}
	if days, _ := db.Retention(ctx); days != DefaultRetention {
		t.Fatalf("retention %d", days)
	}
}

func TestSupervisorPassword(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.CheckSupervisor(ctx, AtCounter, "anything"); !errors.Is(err, ErrNoPassword) {
		t.Fatalf("no password set: %v", err)
	}
	if err := db.SetSupervisorPassword(ctx, "short"); err == nil {
		t.Fatal("a 5-character password was accepted")
	}
	if err := db.SetSupervisorPassword(ctx, "Șefa-de-birou-2026"); err != nil {
		t.Fatal(err)
	}
	stored, _ := db.Setting(ctx, "supervisor_password")
	if strings.Contains(stored, "Șefa") || !strings.HasPrefix(stored, "pbkdf2-sha256$600000$") {
		t.Fatalf("stored %q", stored)
	}
	for pw, want := range map[string]bool{"Șefa-de-birou-2026": true, "sefa-de-birou-2026": false, "": false} {
		if ok, err := db.CheckSupervisor(ctx, AtCounter, pw); ok != want || err != nil {
			t.Errorf("CheckSupervisor(%q) = %v, %v", pw, ok, err)
		}
	}
}

// Guessing the supervisor's password is slowed: FreeTries wrong ones are
// answered, the next locks every check at that place (the right password
// too) for 30 s, doubling; the lock survives the program's restart and a
// clock set back; it holds at its place only (the kiosk's guesses do not
// lock the counter); once it ends the right password opens and clears the
// count; wrong ones an hour old are forgotten; a new password lifts it.
func TestGuessingThePasswordIsSlowed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ghiseu.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	const right = "Șefa-de-birou-2026"
	if err := db.SetSupervisorPassword(ctx, right); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= FreeTries; i++ {
		if ok, err := db.CheckSupervisor(ctx, AtKiosk, fmt.Sprintf("guess-%d", i)); ok || err != nil {
			t.Fatalf("wrong password %d: %v, %v; want a plain no", i, ok, err)
		}
	}
	locked := func(what string, at Place, password string, lock time.Duration) {
		t.Helper()
		ok, err := db.CheckSupervisor(ctx, at, password)
		var tooMany TooManyTries
		if ok || !errors.As(err, &tooMany) {
			t.Fatalf("%s: %v, %v; want TooManyTries", what, ok, err)
		}
		if left := time.Until(tooMany.Until); left < lock-15*time.Second || left > lock { // PBKDF2 is slow under -race
			t.Errorf("%s: locked for %v, want %v", what, left, lock)
		}
	}
	locked("one guess too many", AtKiosk, "guess-6", 30*time.Second)
	locked("the right password while locked", AtKiosk, right, 30*time.Second)
	if ok, err := db.CheckSupervisor(ctx, AtCounter, right); !ok || err != nil {
		t.Fatalf("the counter while the kiosk is locked: %v, %v; want it opens", ok, err)
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	locked("after a restart", AtKiosk, right, 30*time.Second)

	set := func(n int, until, last time.Time) { // the kiosk's tries, as time has passed
		t.Helper()
		if err := db.SetSetting(ctx, keyTries(AtKiosk), fmt.Sprintf("%d %d %d", n, until.UnixMilli(), last.UnixMilli())); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	set(6, now.Add(-time.Second), now.Add(-31*time.Second)) // the lock has ended
	locked("a wrong one after the lock", AtKiosk, "guess-7", time.Minute)
	set(7, now.Add(3*time.Hour), now)
	locked("a clock set back three hours", AtKiosk, right, maxLock)
	set(7, now.Add(-time.Second), now.Add(-time.Minute))
	if ok, err := db.CheckSupervisor(ctx, AtKiosk, right); !ok || err != nil {
		t.Fatalf("the right password after the lock: %v, %v", ok, err)
	}
	if ok, err := db.CheckSupervisor(ctx, AtKiosk, "guess-8"); ok || err != nil {
		t.Errorf("a wrong one after the right one: %v, %v; want a plain no (the count starts again)", ok, err)
	}
	set(9, now.Add(-time.Hour), now.Add(-2*time.Hour))
	if ok, err := db.CheckSupervisor(ctx, AtKiosk, "guess-9"); ok || err != nil {
		t.Errorf("a wrong one two hours after the last: %v, %v; want a plain no (forgotten)", ok, err)
	}
	for i := 0; i <= FreeTries; i++ {
		db.CheckSupervisor(ctx, AtKiosk, "guess")
	}
	locked("locked again", AtKiosk, right, 30*time.Second)
	if err := db.SetSupervisorPassword(ctx, "a-new-one-2026"); err != nil { // the administrator, who has the computer
		t.Fatal(err)
	}
	if ok, err := db.CheckSupervisor(ctx, AtKiosk, "a-new-one-2026"); !ok || err != nil {
		t.Errorf("a new password set: %v, %v; want it opens at once", ok, err)
	}
}

// Guesses made at once, by as many programs, are counted as they come:
// no more than FreeTries of them are checked before the lock.
func TestGuessesAtOnceAreCounted(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ghiseu.db")
	first, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if err := first.SetSupervisorPassword(ctx, "Șefa-de-birou-2026"); err != nil {
		t.Fatal(err)
	}
	const guessers = 12
	answers := make(chan error, guessers)
	for i := range guessers {
		go func() {
			db, err := Open(ctx, path) // a program of its own
			if err != nil {
				answers <- err
				return
			}
			defer db.Close()
			ok, err := db.CheckSupervisor(ctx, AtCounter, fmt.Sprintf("guess-%d", i))
			if ok {
				err = errors.New("a guess opened")
			}
			answers <- err
		}()
	}
	plain := 0
	for range guessers {
		err := <-answers
		var tooMany TooManyTries
		switch {
		case err == nil:
			plain++
		case !errors.As(err, &tooMany):
			t.Fatal(err)
		}
	}
	if plain != FreeTries {
		t.Errorf("%d of %d guesses at once were answered plainly, want %d (the rest locked)", plain, guessers, FreeTries)
	}
}

// The database and its WAL hold names and birth dates: they are the
// owner's only, whatever the umask, and an older file is made so.
func TestTheDatabaseIsPrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "g.db")
	if err := os.WriteFile(path, nil, 0o666); err != nil { // as an older Ghișeu left it
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetSetting(context.Background(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), st.Mode().Perm())
		}
	}
	f, err := CreatePrivate(filepath.Join(t.TempDir(), "pack.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if st, _ := f.Stat(); st.Mode().Perm() != 0o600 {
		t.Errorf("CreatePrivate made mode %v", st.Mode().Perm())
	}
}

// What a killed process left in the database's temp folder goes at the next
// start; nothing else there, and nothing of the user's beside it, is touched.
func TestLeftoversOfKilledProcesses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "g.db")
	tmp := path + ".tmp"
	userTmp := filepath.Join(dir, "tmp") // a folder of the user's, beside the database
	for _, d := range []string{tmp, filepath.Join(tmp, "999999-folder"), filepath.Join(userTmp, "photos")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]bool{ // path → kept
		filepath.Join(tmp, "999999-pack-1.zip"):                     false, // no such process
		filepath.Join(tmp, strconv.Itoa(os.Getpid())+"-pack-2.zip"): true,  // a running process's
		filepath.Join(tmp, "notes.txt"):                             true,
		filepath.Join(userTmp, "999999-mine.txt"):                   true,
		filepath.Join(userTmp, "photos", "a.jpg"):                   true,
	}
	for p := range files {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for p, kept := range files {
		if _, err := os.Stat(p); (err == nil) != kept {
			t.Errorf("%s: kept %v, want %v", p, err == nil, kept)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "999999-folder")); err != nil {
		t.Error("a folder in the temp folder was removed")
	}
}

// A measured clock offset holds for this boot of the computer only: a
// clock that a dead battery resets at every start makes an old one wrong.
func TestClockOffsetOfAnotherBoot(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if err := db.SetClockOffset(ctx, -2*time.Hour, time.Now()); err != nil {
		t.Fatal(err)
	}
	if off, checked, err := db.ClockOffset(ctx); err != nil || off != -2*time.Hour || checked.IsZero() {
		t.Fatalf("this boot: %v %v %v", off, checked, err)
	}
	if bootID() == "" {
		t.Skip("no boot ID on this system")
	}
	db.SetSetting(ctx, keyClockBoot, "an earlier boot")
	if off, checked, err := db.ClockOffset(ctx); err != nil || off != 0 || !checked.IsZero() {
		t.Fatalf("another boot: %v %v %v, want none", off, checked, err)
	}
}
