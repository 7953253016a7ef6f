package desk

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
)

// TestUndoIsTheClerksOwn: Ctrl+Z undoes only what the clerk signed in did
// in their shift; after another clerk (or the same one anew) signs in, the
// previous shift's actions stay as they are.
func TestUndoIsTheClerksOwn(t *testing.T) {
	ctx := context.Background()
	d, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	now := d.now()
	d.Now = func() time.Time { return now }
	state := func(id string) store.State {
		rows, err := d.Day(ctx, "2026-11-23")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.ID == id {
				return r.State
			}
		}
		t.Fatalf("booking %s is not in the day", id)
		return ""
	}
	steps := []struct {
		name    string
		do      func() error
		undo    error  // what Undo then returns
		undone  string // the booking whose event it undid, when it did
		booking string // and the state of this booking afterwards
		want    store.State
	}{
		{"maria checks in Popescu Ana", func() error { _, err := d.CheckIn(ctx, codes[0]); return err }, nil, "", "", ""},
		{"dan signs in: maria's arrival is not his", func() error { d.SignIn("dan"); return nil }, ErrNothingToUndo, "", "1", store.Present},
		{"dan checks in Ionescu Dan", func() error { _, err := d.CheckIn(ctx, codes[1]); return err }, nil, "2", "2", store.Expected},
		{"dan's undo stops at his own actions", func() error { return nil }, ErrNothingToUndo, "", "1", store.Present},
		{"dan checks in Ionescu Dan again", func() error { _, err := d.CheckIn(ctx, codes[1]); return err }, nil, "", "", ""},
		{"maria signs in anew: a new shift", func() error { d.SignIn("maria"); return nil }, ErrNothingToUndo, "", "2", store.Present},
		{"the app sets a clerk without a shift", func() error { d.Clerk, d.shift = "dan", time.Time{}; return nil }, nil, "2", "2", store.Expected},
		{"nobody signed in", func() error { d.Clerk = ""; return nil }, ErrNothingToUndo, "", "1", store.Present},
	}
	for _, s := range steps {
		now = now.Add(10 * time.Second) // within the undo window
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if s.undo == nil && s.undone == "" {
			continue // an action only
		}
		e, err := d.Undo(ctx)
		if !errors.Is(err, s.undo) || s.undone != "" && e.BookingID != s.undone {
			t.Fatalf("%s: undo %+v, %v; want booking %q, %v", s.name, e, err, s.undone, s.undo)
		}
		if got := state(s.booking); got != s.want {
			t.Fatalf("%s: booking %s is %s, want %s", s.name, s.booking, got, s.want)
		}
	}
}

// TestUndoneWalkInLeavesTheDay: a walk-in exists through its arrival; once
// that is undone nobody is expected: the day list, the queue and the
// conflicts do not have it.
func TestUndoneWalkInLeavesTheDay(t *testing.T) {
	ctx := context.Background()
	d, _ := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	thursday := time.Date(2026, 11, 26, 9, 0, 0, 0, bucharest) // Thu 08:30-10:00
	d.Now = func() time.Time { return thursday }
	count := func() (day, queue int) {
		rows, err := d.Day(ctx, "2026-11-26")
		if err != nil {
			t.Fatal(err)
		}
		q, err := d.Queue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(rows), len(q)
	}
	for _, s := range []struct {
		name       string
		do         func() error
		day, queue int
	}{
		{"before", func() error { return nil }, 0, 0},
		{"walk-in", func() error { _, err := d.WalkIn(ctx, "Pop Ion", "lost"); return err }, 1, 1},
		{"undone", func() error { _, err := d.Undo(ctx); return err }, 0, 0},
	} {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if day, queue := count(); day != s.day || queue != s.queue {
			t.Errorf("%s: %d in the day, %d in the queue; want %d, %d", s.name, day, queue, s.day, s.queue)
		}
	}
}
