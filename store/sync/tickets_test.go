package sync

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/desk"
)

// thursday is a clock in Dumbrăvița's walk-in hours (Thursday 08:30–10:00)
// that moves with the real one.
func thursday() func() time.Time {
	start := time.Now()
	at := time.Date(2026, 11, 26, 8, 45, 0, 0, calendar.Default().Location())
	return func() time.Time { return at.Add(time.Since(start)) }
}

// ticketDesk is a counter of its own SQLite file, linked with the office
// as counter name, on clock now: its syncer reaches the hub while online
// is true, else a port where nothing answers.
type ticketDesk struct {
	d      *desk.Desk
	on     *Syncer
	off    *Syncer
	online bool
}

func newTicketDesk(t *testing.T, o *office, name string, now func() time.Time) *ticketDesk {
	t.Helper()
	ctx := context.Background()
	e := o.enrol(t, name)
	d, err := desk.Open(ctx, desk.Config{DBPath: filepath.Join(t.TempDir(), "counter-"+name+".db"), Counter: name, Clerk: "ana", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := Link(ctx, d.DB, e); err != nil {
		t.Fatal(err)
	}
	dead := e
	dead.URL = "https://127.0.0.1:1"
	td := &ticketDesk{d: d, online: true,
		on:  &Syncer{DB: d.DB, T: NewHTTP(e), Link: e, OnClock: d.SetClockOffset},
		off: &Syncer{DB: d.DB, T: NewHTTP(dead), Link: e}}
	td.sync(t)
	return td
}

// sync runs a round: it goes through online, and fails offline.
func (td *ticketDesk) sync(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if !td.online {
		if err := td.off.Once(ctx); err == nil {
			t.Fatal("a round went through offline")
		}
		return
	}
	if err := td.on.Once(ctx); err != nil {
		t.Fatalf("counter %s: %v", td.d.Counter, err)
	}
	// The office's calendar came with the pack: the desk judges by it.
	cal, _, err := td.d.DB.Office(ctx)
	if err != nil {
		t.Fatal(err)
	}
	td.d.Cal = cal
}

// walkIn registers a walk-in and returns its ticket.
func (td *ticketDesk) walkIn(t *testing.T, i int) string {
	t.Helper()
	v, err := td.d.WalkIn(context.Background(), fmt.Sprintf("Pop Ion %d", i), "lost")
	if err != nil {
		t.Fatalf("counter %s, walk-in %d: %v", td.d.Counter, i, err)
	}
	if _, _, err := store.ParseTicket(v.Ticket); err != nil {
		t.Fatalf("counter %s, walk-in %d: %v", td.d.Counter, i, err)
	}
	return v.Ticket
}

// tickets lists the tickets of the arrivals in db, by ticket, each with
// the events that carry it.
func tickets(t *testing.T, db *store.DB) map[string][]string {
	t.Helper()
	es, err := db.EventsAfter(context.Background(), 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, e := range es {
		if e.Type == store.Arrived {
			out[e.Ticket] = append(out[e.Ticket], e.ID)
		}
	}
	return out
}

// noneTwice checks that db holds want arrivals, each with a ticket of its
// own.
func noneTwice(t *testing.T, where string, db *store.DB, want int) {
	t.Helper()
	got := tickets(t, db)
	n := 0
	for ticket, ids := range got {
		n += len(ids)
		if ticket == "" {
			t.Errorf("%s: %d arrivals without a ticket", where, len(ids))
		}
		if len(ids) > 1 {
			t.Errorf("%s: ticket %s given %d times", where, ticket, len(ids))
		}
	}
	if n != want {
		t.Errorf("%s: %d arrivals, want %d", where, n, want)
	}
}

// TestTwoOfflineCountersNeverGiveOneNumberTwice: two counters, each its
// own database, lease numbers from a real hub over HTTPS, lose the hub,
// go on handing out numbers (their leases, then their offline ranges),
// come back and sync: no number was given twice, on the hub or on either
// counter.
func TestTwoOfflineCountersNeverGiveOneNumberTwice(t *testing.T) {
	now := thursday()
	o := newOffice(t, now)
	c1, c2 := newTicketDesk(t, o, "1", now), newTicketDesk(t, o, "2", now)
	for _, c := range []*ticketDesk{c1, c2} {
		idx, err := c.d.DB.DeskIndex(context.Background())
		if err != nil || idx == 0 {
			t.Fatalf("counter %s: desk index %d, %v", c.d.Counter, idx, err)
		}
	}
	c1.online, c2.online = false, false
	var given []string
	for i := range 25 {
		given = append(given, c1.walkIn(t, i), c2.walkIn(t, 100+i))
	}
	c1.sync(t) // fails: offline
	if given[0] != "F-001" || given[1] != "F-011" || given[20] != "F-1001" || given[21] != "F-2001" {
		t.Errorf("offline tickets start %v, want F-001 F-011 … F-1001 F-2001 (leases, then each counter's range)", given[:22])
	}
	c1.online, c2.online = true, true
	for range 2 {
		c1.sync(t)
		c2.sync(t)
	}
	for i := range 5 {
		given = append(given, c1.walkIn(t, 200+i), c2.walkIn(t, 300+i))
	}
	if given[50] != "F-021" {
		t.Errorf("back online, counter 1 gave %s, want F-021 (a new lease)", given[50])
	}
	for range 2 {
		c1.sync(t)
		c2.sync(t)
	}
	noneTwice(t, "hub", o.hub.DB, 60)
	noneTwice(t, "counter 1", c1.d.DB, 60)
	noneTwice(t, "counter 2", c2.d.DB, 60)
}

// TestTicketsRandomInterleaving: three counters give numbers, sync, lose
// and find the hub in a random order (the seed is logged); whatever the
// order, no number is given twice.
func TestTicketsRandomInterleaving(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 7))
	now := thursday()
	o := newOffice(t, now)
	cs := []*ticketDesk{newTicketDesk(t, o, "1", now), newTicketDesk(t, o, "2", now), newTicketDesk(t, o, "3", now)}
	given := map[string]string{} // ticket → the counter that gave it
	n := 0
	for step := range 240 {
		c := cs[r.IntN(len(cs))]
		switch x := r.IntN(10); {
		case x < 6:
			ticket := c.walkIn(t, step)
			if by, ok := given[ticket]; ok {
				t.Fatalf("step %d: counter %s gave %s, which counter %s gave", step, c.d.Counter, ticket, by)
			}
			given[ticket] = c.d.Counter
			n++
		case x < 8:
			c.sync(t)
		default:
			c.online = !c.online
		}
	}
	for _, c := range cs {
		c.online = true
	}
	for range 2 {
		for _, c := range cs {
			c.sync(t)
		}
	}
	noneTwice(t, "hub", o.hub.DB, n)
	for _, c := range cs {
		noneTwice(t, "counter "+c.d.Counter, c.d.DB, n)
	}
}

// TestLeaseForTheDesksDay: a window's syncer runs on the desk's clock,
// which already tells the hub's time (as --clock does, or the offset
// applied): the numbers it leases are for the desk's today, not a day the
// offset moves again. Here the hub and the desk live on Thursday, days from
// this computer's clock.
func TestLeaseForTheDesksDay(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, thursday())
	td := newTicketDesk(t, o, "1", thursday())
	s := &Syncer{DB: td.d.DB, T: td.on.T, Link: td.on.Link, OnClock: td.d.SetClockOffset, Now: td.d.Time}
	for range 2 { // the first round measures the offset, the second leases with it known
		if err := s.Once(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if off := s.Status().ClockOffset; off > -time.Hour && off < time.Hour {
		t.Fatalf("clock offset %v: the test wants the desk's clock days from the hub's", off)
	}
	left, err := td.d.DB.TicketsLeft(ctx, td.d.Today())
	if err != nil {
		t.Fatal(err)
	}
	if left["D"] < 5 {
		t.Errorf("numbers leased for the desk's day %s: %v, want D topped up", td.d.Today(), left)
	}
}
