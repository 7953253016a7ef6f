package desk

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// TestTicketsOfArrivals: each kind of arrival gets its letter's next
// number in the transaction that writes it; a re-scan shows the same
// ticket and gives none; an undone arrival's number is not given again.
func TestTicketsOfArrivals(t *testing.T) {
	ctx := context.Background()
	d, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	walkInAt := time.Date(2026, 11, 26, 9, 30, 0, 0, bucharest) // Thursday's walk-in hours

	steps := []struct {
		name string
		do   func() (verdict.Verdict, error)
		want string
	}{
		{"intake by appointment", func() (verdict.Verdict, error) { return d.CheckIn(ctx, codes[0]) }, "D-001"},
		{"re-scan: the same ticket", func() (verdict.Verdict, error) { return d.CheckIn(ctx, codes[0]) }, "D-001"},
		{"check only: the same ticket", func() (verdict.Verdict, error) { return d.Check(ctx, codes[0]) }, "D-001"},
		{"pickup", func() (verdict.Verdict, error) { return d.CheckIn(ctx, codes[1]) }, "R-001"},
		{"undo the pickup, scan again: a new number", func() (verdict.Verdict, error) {
			if _, err := d.Undo(ctx); err != nil {
				return verdict.Verdict{}, err
			}
			return d.CheckIn(ctx, codes[1])
		}, "R-002"},
		{"walk-in (another day: its own numbers)", func() (verdict.Verdict, error) {
			d.Now = func() time.Time { return walkInAt }
			return d.WalkIn(ctx, "Marin Ioana", "lost")
		}, "F-001"},
	}
	for _, s := range steps {
		v, err := s.do()
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if v.Ticket != s.want {
			t.Errorf("%s: ticket %q, want %q (verdict %s)", s.name, v.Ticket, s.want, v.Name)
		}
		if v.Recorded != nil && v.Recorded.Ticket != v.Ticket {
			t.Errorf("%s: the event's ticket %q, the verdict's %q", s.name, v.Recorded.Ticket, v.Ticket)
		}
	}
	rows, err := d.Day(ctx, "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r.ID] = r.Ticket
	}
	if got["1"] != "D-001" || got["2"] != "R-002" || got["3"] != "" {
		t.Errorf("day list tickets %v, want 1:D-001 2:R-002 3:none", got)
	}
	es, err := d.DB.Events(ctx, "1")
	if err != nil {
		t.Fatal(err)
	}
	if arrivals := countType(es, store.Arrived); arrivals != 1 {
		t.Errorf("%d arrivals of booking 1 after re-scans, want 1", arrivals)
	}
}

// TestTicketLettersOfTheOffice: an office's own letters are used.
func TestTicketLettersOfTheOffice(t *testing.T) {
	ctx := context.Background()
	d, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	d.Cal.Tickets.Intake, d.Cal.Tickets.Pickup = "A", "P"
	for i, want := range []string{"A-001", "P-001"} {
		v, err := d.CheckIn(ctx, codes[i])
		if err != nil || v.Ticket != want {
			t.Errorf("booking %d: ticket %q (%v), want %s", i+1, v.Ticket, err, want)
		}
	}
}

func countType(es []store.Event, typ store.EventType) int {
	n := 0
	for _, e := range es {
		if e.Type == typ {
			n++
		}
	}
	return n
}
