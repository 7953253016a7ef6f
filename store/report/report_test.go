package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/desk/desktest"
)

func TestDayReport(t *testing.T) {
	ctx := context.Background()
	c := desktest.New(t)
	d, code, at := c.Desk, c.Codes, c.At
	rows, _ := d.Day(ctx, "2026-11-23")
	c2 := c.Other("2", "dan")

	at(8, 25)
	d.CheckIn(ctx, code["Popescu Andrei"]) // 08:30 intake
	d.CheckIn(ctx, code["Lupu Sorin"])     // 08:30 pickup
	at(8, 31)
	d.CallNext(ctx) // Popescu (earlier arrival, same slot) after 6 minutes
	at(8, 51)
	d.Serve(ctx) // served in 20 minutes
	at(8, 52)
	c2.CallNext(ctx) // Lupu after 27 minutes, at counter 2
	at(9, 2)
	c2.Serve(ctx) // 10 minutes
	if _, err := c2.Record(ctx, rows[0].ID, store.PickedUp); err != nil {
		t.Fatal(err)
	}
	at(8, 49)
	d.CheckIn(ctx, code["Ionescu Maria-Ștefania"]) // 08:50, arrives, never called
	// 13:30: every slot of the morning is over; the rest are no-shows, derived.
	at(13, 30)

	r, err := Build(ctx, d, "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	// 17 demo bookings today, one of them cancelled.
	want := Totals{Bookings: 16, Arrivals: 3, NoShows: 13, Pickups: 1, Served: 2,
		AvgWait: 16*time.Minute + 30*time.Second, AvgService: 15 * time.Minute}
	got := r.Totals
	got.waits, got.services = nil, nil
	if got.Bookings != want.Bookings || got.Arrivals != want.Arrivals || got.NoShows != want.NoShows ||
		got.Pickups != want.Pickups || got.Served != want.Served || got.AvgWait != want.AvgWait || got.AvgService != want.AvgService {
		t.Fatalf("totals %+v\nwant   %+v", got, want)
	}
	if len(r.Counters) != 2 || r.Counters[0].Name != "1" || r.Counters[0].Arrivals != 3 || r.Counters[1].Served != 1 ||
		r.Counters[1].Pickups != 1 || r.Counters[1].AvgService != 10*time.Minute {
		t.Fatalf("counters %+v", r.Counters)
	}
	if len(r.Clerks) != 2 || r.Clerks[0].Name != "ana" || r.Clerks[1].Name != "dan" {
		t.Fatalf("clerks %+v", r.Clerks)
	}

	var buf bytes.Buffer
	if err := r.CSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) != 1+1+2+2 || recs[1][2] != "day" || recs[1][5] != "3" || recs[1][9] != "16.5" {
		t.Fatalf("CSV %v, %v", recs, err)
	}
	buf.Reset()
	if err := r.HTML(&buf, i18n.Romanian, "SPCLEP Dumbrăvița"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Raportul zilei", "SPCLEP Dumbrăvița", "Pe funcționari", "<td>16.5</td>"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("the HTML page lacks %q", s)
		}
	}
}

// TestNoShowsDerived: the report counts as no-shows the bookings nobody
// came to by the desk's clock; a person taken anyway after their no-show
// counts as an arrival, and old no-show events (written by a counter's
// clock, as versions before did) count for nothing.
func TestNoShowsDerived(t *testing.T) {
	ctx := context.Background()
	c := desktest.New(t)
	d := c.Desk
	rows, _ := d.Day(ctx, "2026-11-23")
	for _, row := range rows { // a counter 5 hours fast, before this version
		e := store.Event{ID: "no-show-" + row.ID, BookingID: row.ID, Type: store.NoShow,
			At: row.SlotEnd().Add(10 * time.Minute), Counter: desk.System, Clerk: desk.System}
		if err := d.DB.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	count := func() Totals {
		t.Helper()
		r, err := Build(ctx, d, "2026-11-23")
		if err != nil {
			t.Fatal(err)
		}
		return r.Totals
	}
	if got := count(); got.NoShows != 0 || got.Arrivals != 0 {
		t.Fatalf("at 08:25 the old events make %d no-shows, %d arrivals; want none", got.NoShows, got.Arrivals)
	}
	c.At(13, 30)
	if got := count(); got.NoShows != 16 || got.Arrivals != 0 {
		t.Fatalf("at 13:30: %d no-shows, %d arrivals; want 16 (every booking not cancelled), 0", got.NoShows, got.Arrivals)
	}
	if v, err := d.Override(ctx, c.Codes["Bălan Ana"], "the bus broke down"); err != nil || v.Recorded == nil {
		t.Fatalf("taking a no-show anyway: %+v, %v", v, err)
	}
	if got := count(); got.NoShows != 15 || got.Arrivals != 1 {
		t.Fatalf("after the override: %d no-shows, %d arrivals; want 15, 1", got.NoShows, got.Arrivals)
	}
}
