package supervise

import (
	"context"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store/calendar"
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

	// Sent away for missing documents: counted as refused.
	rows, err := d.Day(ctx, d.Today())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Name == "Popescu Andrei" {
			if _, err := d.Refuse(ctx, r.ID, "missing_documents"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if o, err = Build(ctx, d); err != nil || o.Refused != 1 {
		t.Fatalf("after a refusal: %d refused, %v", o.Refused, err)
	}
}

func TestThresholdLevels(t *testing.T) {
	th := Thresholds{Amber: 15 * time.Minute, Red: 30 * time.Minute}
	for _, tt := range []struct {
		wait time.Duration
		want Level
	}{
		{0, Normal}, {14 * time.Minute, Normal}, {15 * time.Minute, Normal},
		{16 * time.Minute, Amber}, {30 * time.Minute, Amber}, {31 * time.Minute, Red}, {3 * time.Hour, Red},
	} {
		if got := th.Level(tt.wait); got != tt.want {
			t.Errorf("a wait of %v: level %d, want %d", tt.wait, got, tt.want)
		}
	}
}

// TestWaitsAndServiceTimes walks a morning with the clock, two counters
// calling and serving, and checks the waits, their colours, the service
// times, what each counter does and the late arrivals at every step.
func TestWaitsAndServiceTimes(t *testing.T) {
	ctx := context.Background()
	c := desktest.New(t)
	d := c.Desk
	c2 := c.Other("2", "dan")
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	type counter struct {
		serving string
		for_    time.Duration
	}
	steps := []struct {
		name       string
		hh, mm     int
		do         func()
		waits      Waits
		service    Service
		late       int
		counter1   counter
		counter2   counter
		firstLevel Level // of the head of the queue, when there is one
	}{
		{name: "two arrive", hh: 8, mm: 25, do: func() {
			must(d.CheckIn(ctx, c.Codes["Popescu Andrei"]))
			must(d.CheckIn(ctx, c.Codes["Lupu Sorin"]))
		}, waits: Waits{Count: 2}},
		{name: "15 minutes is not over 15", hh: 8, mm: 40,
			waits: Waits{Count: 2, Longest: 15 * time.Minute, Average: 15 * time.Minute}},
		{name: "16 minutes is amber", hh: 8, mm: 41,
			waits: Waits{Count: 2, Longest: 16 * time.Minute, Average: 16 * time.Minute, Level: Amber}, firstLevel: Amber},
		{name: "counter 2 calls the first in line", hh: 8, mm: 45, do: func() { must(c2.CallNext(ctx)) },
			waits:    Waits{Count: 1, Longest: 20 * time.Minute, Average: 20 * time.Minute, Level: Amber},
			counter2: counter{"Lupu Sorin", 0}, firstLevel: Amber},
		{name: "a 31-minute wait is red", hh: 8, mm: 56,
			waits:    Waits{Count: 1, Longest: 31 * time.Minute, Average: 31 * time.Minute, Level: Red},
			counter2: counter{"Lupu Sorin", 11 * time.Minute}, firstLevel: Red},
		{name: "served after 12 minutes", hh: 8, mm: 57, do: func() { must(c2.Serve(ctx)) },
			waits:   Waits{Count: 1, Longest: 32 * time.Minute, Average: 32 * time.Minute, Level: Red},
			service: Service{Count: 1, Timed: 1, Average: 12 * time.Minute}, firstLevel: Red},
		{name: "counter 1 calls the last one", hh: 9, mm: 0, do: func() { must(d.CallNext(ctx)) },
			service:  Service{Count: 1, Timed: 1, Average: 12 * time.Minute},
			counter1: counter{"Popescu Andrei", 0}},
		{name: "late past the grace, taken anyway; another within it", hh: 9, mm: 5, do: func() {
			must(d.Override(ctx, c.Codes["Ionescu Maria-Ștefania"], "the tram was late"))
			c.At(9, 15)
			must(d.CheckIn(ctx, c.Codes["Dumitrescu Ilinca"])) // 09:10 slot, 5 minutes late: within the grace
			c.At(9, 5)
		}, waits: Waits{Count: 2}, service: Service{Count: 1, Timed: 1, Average: 12 * time.Minute}, late: 1,
			counter1: counter{"Popescu Andrei", 5 * time.Minute}},
		{name: "served after 6: the average is 9", hh: 9, mm: 6, do: func() { must(d.Serve(ctx)) },
			waits:   Waits{Count: 2, Longest: time.Minute, Average: time.Minute},
			service: Service{Count: 2, Timed: 2, Average: 9 * time.Minute}, late: 1},
	}
	for _, s := range steps {
		c.At(s.hh, s.mm)
		if s.do != nil {
			s.do()
		}
		o, err := Build(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if o.Waits != s.waits || o.Service != s.service || o.Late != s.late {
			t.Errorf("%s: waits %+v, service %+v, late %d; want %+v, %+v, %d", s.name, o.Waits, o.Service, o.Late, s.waits, s.service, s.late)
		}
		if len(o.Queue) > 0 && o.Queue[0].Level != s.firstLevel {
			t.Errorf("%s: the head of the queue is at level %d, want %d", s.name, o.Queue[0].Level, s.firstLevel)
		}
		got := map[string]counter{}
		for _, k := range o.Counters {
			got[k.Name] = counter{k.Serving, k.For}
		}
		if got["1"] != s.counter1 || got["2"] != s.counter2 {
			t.Errorf("%s: counters %+v, want 1: %+v, 2: %+v", s.name, o.Counters, s.counter1, s.counter2)
		}
	}
}

// TestThresholdsFromTheCalendar: an office that sets its own thresholds.
func TestThresholdsFromTheCalendar(t *testing.T) {
	ctx := context.Background()
	c := desktest.New(t)
	c.Cal.WaitAmber, c.Cal.WaitRed = calendar.Duration(5*time.Minute), calendar.Duration(10*time.Minute)
	if _, err := c.CheckIn(ctx, c.Codes["Popescu Andrei"]); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		mm   int
		want Level
	}{{30, Normal}, {31, Amber}, {36, Red}} {
		c.At(8, tt.mm)
		o, err := Build(ctx, c.Desk)
		if err != nil {
			t.Fatal(err)
		}
		if o.Waits.Level != tt.want || o.Queue[0].Level != tt.want {
			t.Errorf("08:%d: levels %d and %d, want %d", tt.mm, o.Waits.Level, o.Queue[0].Level, tt.want)
		}
	}
}

func TestHoursFilled(t *testing.T) {
	got := fill(map[int]*Hour{8: {Hour: 8, Bookings: 3}, 11: {Hour: 11, Bookings: 1, Arrived: 1}})
	want := []Hour{{8, 3, 0}, {9, 0, 0}, {10, 0, 0}, {11, 1, 1}}
	if len(got) != len(want) {
		t.Fatalf("hours %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("hours %+v, want %+v", got, want)
		}
	}
	if fill(nil) != nil {
		t.Fatal("hours of an empty day")
	}
}
