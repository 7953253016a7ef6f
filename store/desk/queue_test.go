package desk

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/verdict"
)

func TestQueue(t *testing.T) {
	ctx := context.Background()
	d, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	if _, err := d.CallNext(ctx); !errors.Is(err, ErrQueueEmpty) {
		t.Fatalf("empty queue: %v", err)
	}
	// The pickup (10:15) arrives first, the 10:10 intake second: the
	// earlier slot is called first.
	clock := time.Date(2026, 11, 23, 10, 5, 0, 0, bucharest)
	d.Now = func() time.Time { return clock }
	if v, _ := d.CheckIn(ctx, codes[1]); v.Name != verdict.Ready {
		t.Fatalf("pickup: %s", v.Name)
	}
	clock = clock.Add(3 * time.Minute)
	if v, _ := d.CheckIn(ctx, codes[0]); v.Name != verdict.Valid {
		t.Fatalf("intake: %s", v.Name)
	}
	q, _ := d.Queue(ctx)
	if len(q) != 2 || q[0].ID != "1" || q[1].ID != "2" {
		t.Fatalf("queue %v", q)
	}
	if _, err := d.Serve(ctx); !errors.Is(err, ErrNobodyCalled) {
		t.Fatalf("serve before calling: %v", err)
	}
	first, err := d.CallNext(ctx)
	if err != nil || first.ID != "1" {
		t.Fatalf("call next: %v, %v", first.ID, err)
	}
	other := *d
	other.Counter = "2"
	second, err := other.CallNext(ctx)
	if err != nil || second.ID != "2" {
		t.Fatalf("counter 2 calls: %v, %v", second.ID, err)
	}
	if r, ok, _ := d.Serving(ctx); !ok || r.ID != "1" {
		t.Fatalf("counter 1 serves %v", r.ID)
	}
	if _, err := d.Serve(ctx); err != nil {
		t.Fatal(err)
	}
	rows, _ := d.Day(ctx, "2026-11-23")
	if rows[0].State != store.Done || rows[1].State != store.InService {
		t.Fatalf("states %s, %s", rows[0].State, rows[1].State)
	}
	if v, _ := d.CheckIn(ctx, codes[0]); v.Name != verdict.AlreadyArrived {
		t.Fatalf("a served person scanned again: %s", v.Name)
	}
	// Undo of the serving puts them back in service.
	if _, err := d.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if r, ok, _ := d.Serving(ctx); !ok || r.ID != "1" {
		t.Fatal("undoing served did not put the person back in service")
	}
}

func TestWalkIn(t *testing.T) {
	ctx := context.Background()
	d, _ := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	if _, err := d.WalkIn(ctx, "Pop Ion", "lost"); !errors.Is(err, ErrNotWalkInTime) {
		t.Fatalf("Monday 10:12 is not a walk-in window: %v", err)
	}
	thursday := time.Date(2026, 11, 26, 9, 0, 0, 0, bucharest) // Thu 08:30-10:00
	d.Now = func() time.Time { return thursday }
	for name, reason := range map[string]string{"": "lost", "Pop Ion": "vacation"} {
		if _, err := d.WalkIn(ctx, name, reason); !errors.Is(err, ErrWalkInDetails) {
			t.Fatalf("walk-in %q, %q: %v", name, reason, err)
		}
	}
	v, err := d.WalkIn(ctx, "Pop Ion", "lost")
	if err != nil || v.Name != verdict.WalkedIn || v.Recorded == nil || v.Help == nil {
		t.Fatalf("walk-in: %+v, %v", v, err)
	}
	q, _ := d.Queue(ctx)
	if len(q) != 1 || q[0].Name != "Pop Ion" || q[0].Status != store.WalkIn {
		t.Fatalf("queue %+v", q)
	}
	ws, _ := d.DB.PendingWalkIns(ctx, -1)
	if len(ws) != 1 || ws[0].ID != q[0].ID {
		t.Fatalf("walk-ins to send: %+v", ws)
	}
}
