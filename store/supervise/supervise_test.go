package supervise

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store/desk"
)

func TestOverview(t *testing.T) {
	ctx := context.Background()
	loc, _ := time.LoadLocation("Europe/Bucharest")
	clock := time.Date(2026, 11, 23, 8, 25, 0, 0, loc)
	d, err := desk.Open(ctx, desk.Config{DBPath: filepath.Join(t.TempDir(), "g.db"), Counter: "1", Clerk: "ana",
		Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, _ := d.Day(ctx, "2026-11-23")
	code := map[string]string{}
	for _, r := range rows {
		code[r.Name] = r.Code
	}
	c2 := *d
	c2.Counter, c2.Clerk = "2", "dan"
	d.CheckIn(ctx, code["Popescu Andrei"])
	d.CheckIn(ctx, code["Lupu Sorin"])
	clock = clock.Add(10 * time.Minute)
	c2.CallNext(ctx)
	clock = time.Date(2026, 11, 23, 9, 25, 0, 0, loc) // the 08:50 slot ended at 09:10, plus 10 minutes
	d.MarkNoShows(ctx)

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
}
