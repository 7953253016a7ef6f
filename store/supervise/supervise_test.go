package supervise

import (
	"context"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store/desk/desktest"
)

func TestOverview(t *testing.T) {
	ctx := context.Background()
	c := desktest.New(t)
	d, code := c.Desk, c.Codes
	c2 := c.Other("2", "dan")
	d.CheckIn(ctx, code["Popescu Andrei"])
	d.CheckIn(ctx, code["Lupu Sorin"])
	c.At(8, 35)
	c2.CallNext(ctx)
	c.At(9, 25) // the 08:50 slot ended at 09:10, plus 10 minutes: a no-show, derived

	o, err := Build(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{Expected: 13, Waiting: 1, Serving: 1, NoShows: 1, Served: 0, Pickups: 0}
	if o.Counts != want {
		t.Fatalf("counts %+v, want %+v", o.Counts, want)
	}
	if len(o.Queue) != 1 || o.Queue[0].Name != "Popescu Andrei" || o.Queue[0].Waited != time.Hour {
		t.Fatalf("queue %+v", o.Queue)
	}
	if len(o.Counters) != 2 || o.Counters[1].Serving != "Lupu Sorin" || o.Counters[1].Clerk != "dan" || o.Counters[0].Serving != "" {
		t.Fatalf("counters %+v", o.Counters)
	}
	if len(o.NoShows) != 1 || o.NoShows[0] != "Ionescu Maria-Ștefania" {
		t.Fatalf("no-shows %v", o.NoShows)
	}
	if len(o.Hours) != 5 || o.Hours[0].Hour != 8 || o.Hours[0].Bookings != 3 || o.Hours[0].Arrived != 2 {
		t.Fatalf("hours %+v", o.Hours)
	}

	// Taken anyway after the no-show: an arrival, no longer absent.
	if v, err := d.Override(ctx, code["Ionescu Maria-Ștefania"], "the tram was late"); err != nil || v.Recorded == nil {
		t.Fatalf("override: %+v, %v", v, err)
	}
	if o, err = Build(ctx, d); err != nil {
		t.Fatal(err)
	}
	want = Counts{Expected: 13, Waiting: 2, Serving: 1}
	if o.Counts != want || len(o.NoShows) != 0 || o.Hours[0].Arrived != 3 {
		t.Fatalf("after the override: counts %+v, no-shows %v, hours %+v; want %+v", o.Counts, o.NoShows, o.Hours[0], want)
	}
}
