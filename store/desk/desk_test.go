package desk

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/verdict"
)

var bucharest, _ = time.LoadLocation("Europe/Bucharest")

// newDesk opens a database at path with two bookings for 23 Nov 2026 and
// returns a desk whose clock stands at 10:12 that day, with the codes.
func newDesk(t *testing.T, path string) (*Desk, []string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	codes := []string{rescode.New(), rescode.New(), rescode.New()}
	slot := time.Date(2026, 11, 23, 10, 10, 0, 0, bucharest)
	bs := []store.Booking{
		{ID: "b1", Office: "B1", Day: "2026-11-23", SlotStart: slot, SlotMinutes: 20, Kind: store.Intake, Name: "Popescu Ana", Reason: "expiry", Code: codes[0]},
		{ID: "b2", Office: "B1", Day: "2026-11-23", SlotStart: slot.Add(20 * time.Minute), SlotMinutes: 20, Kind: store.Pickup, Name: "Ionescu Dan", Reason: "lost", Code: codes[1]},
		{ID: "b3", Office: "B1", Day: "2026-11-25", SlotStart: slot.AddDate(0, 0, 2), SlotMinutes: 20, Kind: store.Intake, Name: "Rusu Ion", Reason: "expiry", Code: codes[2]},
	}
	if err := db.PutBookings(ctx, bs); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 12, 0, 0, bucharest)
	return &Desk{DB: db, Office: "B1", Counter: "1", Clerk: "maria", Loc: bucharest,
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
	for text, want := range map[string]verdict.Name{
		"":                  verdict.NotACode,
		"hello world":       verdict.NotACode,
		rescode.New():       verdict.UnknownCode,
		codes[2]:            verdict.WrongDay,
		codes[0][:10] + "-": verdict.NotACode,
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
	if _, err := d.CheckIn(ctx, codes[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Record(ctx, "b2", store.PickedUp); err != nil {
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
	es, _ := d.DB.Events(ctx, "b2")
	if len(es) != 4 {
		t.Fatalf("the log has %d events, want 4: undo must append, never delete", len(es))
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
	es, _ := d.DB.Events(ctx, "b1")
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
	es, err := db.Events(context.Background(), "b1")
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
	d := &Desk{DB: db, Office: "B1", Counter: "1", Clerk: "x", Loc: bucharest, Now: func() time.Time { return now }}
	v, err := d.CheckIn(context.Background(), os.Getenv("GHISEU_HELPER_CODE"))
	if err != nil {
		fmt.Println("error", err)
		return
	}
	fmt.Println("verdict", v.Name)
	time.Sleep(time.Minute) // wait to be killed, with the database still open
}
