package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// arrive writes an arrival of booking id through Judge with a ticket of
// day and letter; fail makes the transaction fail after the ticket is
// taken (the event cannot be written), as a crash would.
func arrive(t *testing.T, db *DB, id, day, letter string, fail bool) (Event, error) {
	t.Helper()
	e := &Event{ID: NewEventID(), BookingID: id, Type: Arrived, At: time.Now(), Counter: "1", Clerk: "ana"}
	if fail {
		e.ID = "" // insertEvent refuses it: the whole transaction rolls back
	}
	err := db.Judge(context.Background(), id, func([]Event) (Outcome, error) {
		return Outcome{Event: e, Ticket: TicketFor{Day: day, Letter: letter}}, nil
	})
	return *e, err
}

// TestTicketInTheArrivalsTransaction: the number is taken in the
// transaction that writes the arrival: a transaction that fails gives no
// number away (the next arrival gets it, and it is on one event only),
// and a committed arrival's number is never given again.
func TestTicketInTheArrivalsTransaction(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	const day = "2026-11-23"
	steps := []struct {
		id, letter string
		fail       bool
		want       string
	}{
		{"1", "D", false, "D-001"},
		{"2", "D", true, ""}, // rolled back: D-002 stays free
		{"2", "D", false, "D-002"},
		{"3", "R", false, "R-001"},
		{"4", "D", false, "D-003"},
	}
	for _, s := range steps {
		e, err := arrive(t, db, s.id, day, s.letter, s.fail)
		if s.fail != (err != nil) {
			t.Fatalf("booking %s: err %v, want failure %v", s.id, err, s.fail)
		}
		if !s.fail && e.Ticket != s.want {
			t.Errorf("booking %s: ticket %q, want %q", s.id, e.Ticket, s.want)
		}
		if !s.fail {
			es, err := db.Events(ctx, s.id)
			if err != nil || len(es) != 1 || es[0].Ticket != s.want {
				t.Errorf("booking %s: logged %+v (%v), want one arrival with %s", s.id, es, err, s.want)
			}
		}
	}
	// Another day starts again at 1.
	if e, err := arrive(t, db, "5", "2026-11-24", "D", false); err != nil || e.Ticket != "D-001" {
		t.Errorf("next day: %q, %v; want D-001", e.Ticket, err)
	}
}

// TestTicketsOfALinkedCounter: leased numbers first, lowest first; with
// none left, the counter's offline range; the hub's leases stay out of
// every offline range; a linked counter without an index records the
// arrival without a ticket.
func TestTicketsOfALinkedCounter(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	const day = "2026-11-23"
	if err := db.SetHubLinked(ctx); err != nil {
		t.Fatal(err)
	}
	if e, err := arrive(t, db, "1", day, "D", false); err != nil || e.Ticket != "" {
		t.Fatalf("linked, no index: ticket %q, %v; want the arrival without one", e.Ticket, err)
	}
	if err := db.KeepLease(ctx, TicketLease{Day: day, Index: 3, Blocks: []TicketBlock{{"D", 11, 12}, {"D", 1, 2}}}); err != nil {
		t.Fatal(err)
	}
	left, err := db.TicketsLeft(ctx, day)
	if err != nil || left["D"] != 4 {
		t.Fatalf("left %v, %v; want D:4", left, err)
	}
	var got []string
	for i := range 6 {
		e, err := arrive(t, db, fmt.Sprint(10+i), day, "D", false)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.Ticket)
	}
	want := []string{"D-001", "D-002", "D-011", "D-012", "D-3001", "D-3002"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tickets %v, want %v", got, want)
	}
	// A new lease is used before the offline range goes on.
	if err := db.KeepLease(ctx, TicketLease{Day: day, Index: 3, Blocks: []TicketBlock{{"D", 21, 21}}}); err != nil {
		t.Fatal(err)
	}
	if left, _ := db.TicketsLeft(ctx, day); left["D"] != 1 {
		t.Errorf("left %v with the offline range open; want D:1 (it does not count)", left)
	}
	for _, want := range []string{"D-021", "D-3003"} {
		if e, err := arrive(t, db, NewEventID()[:8], day, "D", false); err != nil || e.Ticket != want {
			t.Errorf("ticket %q, %v; want %s", e.Ticket, err, want)
		}
	}
	// No lease can reach into an offline range.
	bad := []TicketBlock{{"D", 999, 1000}, {"D", 1500, 1510}, {"D", 0, 3}, {"D", 5, 4}}
	for _, b := range bad {
		if err := db.KeepLease(ctx, TicketLease{Day: day, Index: 3, Blocks: []TicketBlock{b}}); err == nil {
			t.Errorf("block %v kept", b)
		}
	}
}

// TestLeaseTickets: the hub gives each counter one stable index and
// blocks that never overlap, nor reach 1000–99999.
func TestLeaseTickets(t *testing.T) {
	ctx := context.Background()
	hub := openTemp(t)
	const office, day = "TM-X", "2026-11-23"
	l1, err := hub.LeaseTickets(ctx, office, "1", day, map[string]int{"D": 10, "R": 10})
	if err != nil {
		t.Fatal(err)
	}
	l2, err := hub.LeaseTickets(ctx, office, "2", day, map[string]int{"D": 10})
	if err != nil {
		t.Fatal(err)
	}
	l1b, err := hub.LeaseTickets(ctx, office, "1", day, map[string]int{"D": 990})
	if err != nil {
		t.Fatal(err)
	}
	l3, err := hub.LeaseTickets(ctx, office, "1", day, map[string]int{"D": 10})
	if err != nil {
		t.Fatal(err)
	}
	if l1.Index != 1 || l2.Index != 2 || l1b.Index != 1 {
		t.Errorf("indexes %d %d %d, want 1 2 1", l1.Index, l2.Index, l1b.Index)
	}
	wantBlocks := []struct {
		got  []TicketBlock
		want string
	}{
		{l1.Blocks, "[{D 1 10} {R 1 10}]"},
		{l2.Blocks, "[{D 11 20}]"},
		{l1b.Blocks, "[{D 21 999}]"}, // stops at 999
		{l3.Blocks, "[{D 100000 100009}]"},
	}
	for i, w := range wantBlocks {
		if fmt.Sprint(w.got) != w.want {
			t.Errorf("lease %d: %v, want %s", i, w.got, w.want)
		}
	}
	if _, err := hub.LeaseTickets(ctx, "TM-Y", "1", day, map[string]int{"D": 1}); err != nil {
		t.Fatal(err)
	}
	for i := 3; i <= MaxDeskIndex; i++ {
		if _, err := hub.LeaseTickets(ctx, office, fmt.Sprint("c", i), day, nil); err != nil {
			t.Fatalf("desk %d: %v", i, err)
		}
	}
	if _, err := hub.LeaseTickets(ctx, office, "one too many", day, nil); !errors.Is(err, ErrTooManyDesks) {
		t.Errorf("desk %d: %v, want ErrTooManyDesks", MaxDeskIndex+1, err)
	}
}

func TestParseTicket(t *testing.T) {
	for _, c := range []struct {
		in     string
		letter string
		n      int64
		ok     bool
	}{{"D-017", "D", 17, true}, {"F-2001", "F", 2001, true}, {"D017", "", 0, false}, {"-1", "", 0, false}, {"D-0", "", 0, false}, {"D-x", "", 0, false}} {
		l, n, err := ParseTicket(c.in)
		if (err == nil) != c.ok || l != c.letter || n != c.n {
			t.Errorf("ParseTicket(%q) = %q %d %v", c.in, l, n, err)
		}
		if c.ok && FormatTicket(l, n) != c.in {
			t.Errorf("FormatTicket(%q, %d) = %q", l, n, FormatTicket(l, n))
		}
	}
}
