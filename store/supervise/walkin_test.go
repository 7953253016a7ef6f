package supervise

import (
	"context"
	"testing"

	"github.com/ghiseu/ghiseu/store/desk/desktest"
)

// TestUndoneWalkInIsNotExpected: a walk-in whose arrival the clerk undid
// leaves the supervisor's numbers as if it had never been registered; it
// is not counted among the people expected.
func TestUndoneWalkInIsNotExpected(t *testing.T) {
	ctx := context.Background()
	c := desktest.New(t)
	c.At(9, 25)
	before, err := Build(ctx, c.Desk)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		name            string
		do              func() error
		expected, queue int
	}{
		{"registered", func() error { _, err := c.WalkIn(ctx, "Grigore Vieru", "lost"); return err }, before.Counts.Expected, before.Counts.Waiting + 1},
		{"undone", func() error { _, err := c.Undo(ctx); return err }, before.Counts.Expected, before.Counts.Waiting},
	} {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		o, err := Build(ctx, c.Desk)
		if err != nil {
			t.Fatal(err)
		}
		if o.Counts.Expected != s.expected || o.Counts.Waiting != s.queue || len(o.Queue) != s.queue {
			t.Errorf("%s: expected %d, waiting %d (queue %d); want %d, %d", s.name, o.Counts.Expected, o.Counts.Waiting, len(o.Queue), s.expected, s.queue)
		}
		bookings := 0
		for _, h := range o.Hours {
			bookings += h.Bookings
		}
		if want := sum(before.Hours) + map[string]int{"registered": 1}[s.name]; bookings != want {
			t.Errorf("%s: %d bookings by the hour, want %d", s.name, bookings, want)
		}
	}
}

func sum(hs []Hour) int {
	n := 0
	for _, h := range hs {
		n += h.Bookings
	}
	return n
}
