package supervise

import (
	"context"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store/desk/desktest"
)

// TestKioskCallsAndLongestWait walks a morning on a real demo database
// with a moving clock: a kiosk and counter 1 take arrivals, counters 1 and
// 2 call, call again, serve and undo. At every step it checks the kiosk's
// arrivals and who is marked as one, each counter's calls, last call and
// state, and the longest current wait with its colour.
func TestKioskCallsAndLongestWait(t *testing.T) {
	ctx := context.Background()
	c := desktest.New(t)
	kiosk, c2 := c.Other(KioskCounter, ""), c.Other("2", "dan")
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	at := func(hh, mm int) time.Time { return time.Date(2026, 11, 23, hh, mm, 0, 0, c.Cal.Location()) }
	type counter struct {
		state          CounterState
		ticket         string // the one served
		calls, recalls int
		last           Call
	}
	type longest struct {
		ticket string
		waited time.Duration
		level  Level
	}
	steps := []struct {
		name     string
		hh, mm   int
		do       func()
		kiosk    Kiosk
		queue    []string // tickets in line, "k" after a kiosk arrival's
		longest  longest
		counters map[string]counter // counters not named are not listed
	}{
		{name: "the kiosk takes the first", hh: 8, mm: 25, do: func() { must(kiosk.CheckIn(ctx, c.Codes["Popescu Andrei"])) },
			kiosk: Kiosk{Arrivals: 1, Waiting: 1, Last: at(8, 25)}, queue: []string{"D-001k"}, longest: longest{"D-001", 0, Normal},
			counters: map[string]counter{}},
		{name: "counter 1 takes a pickup", hh: 8, mm: 28, do: func() { must(c.CheckIn(ctx, c.Codes["Lupu Sorin"])) },
			kiosk: Kiosk{Arrivals: 1, Waiting: 1, Last: at(8, 25)}, queue: []string{"D-001k", "R-001"}, longest: longest{"D-001", 3 * time.Minute, Normal},
			counters: map[string]counter{"1": {state: Quiet}}},
		{name: "the kiosk takes another", hh: 8, mm: 40, do: func() { must(kiosk.CheckIn(ctx, c.Codes["Ionescu Maria-Ștefania"])) },
			kiosk: Kiosk{Arrivals: 2, Waiting: 2, Last: at(8, 40)}, queue: []string{"D-001k", "R-001", "D-002k"}, longest: longest{"D-001", 15 * time.Minute, Normal},
			counters: map[string]counter{"1": {state: Quiet}}},
		{name: "counter 2 calls the first", hh: 8, mm: 45, do: func() { must(c2.CallNext(ctx)) },
			kiosk: Kiosk{Arrivals: 2, Waiting: 1, Last: at(8, 40)}, queue: []string{"R-001", "D-002k"}, longest: longest{"R-001", 17 * time.Minute, Amber},
			counters: map[string]counter{"1": {state: Quiet}, "2": {Busy, "D-001", 1, 0, Call{"D-001", at(8, 45), false}}}},
		{name: "and calls again", hh: 8, mm: 47, do: func() { must3(t)(c2.Recall(ctx)) },
			kiosk: Kiosk{Arrivals: 2, Waiting: 1, Last: at(8, 40)}, queue: []string{"R-001", "D-002k"}, longest: longest{"R-001", 19 * time.Minute, Amber},
			counters: map[string]counter{"1": {state: Quiet}, "2": {Busy, "D-001", 1, 1, Call{"D-001", at(8, 47), true}}}},
		{name: "counter 2 serves, counter 1 calls", hh: 8, mm: 58, do: func() { must(c2.Serve(ctx)); must(c.CallNext(ctx)) },
			kiosk: Kiosk{Arrivals: 2, Waiting: 1, Last: at(8, 40)}, queue: []string{"D-002k"}, longest: longest{"D-002", 18 * time.Minute, Amber},
			counters: map[string]counter{"1": {Busy, "R-001", 1, 0, Call{"R-001", at(8, 58), false}}, "2": {Free, "", 1, 1, Call{"D-001", at(8, 47), true}}}},
		{name: "counter 1 undoes its call: no call of it counts", hh: 8, mm: 59, do: func() { must(c.Undo(ctx)) },
			kiosk: Kiosk{Arrivals: 2, Waiting: 1, Last: at(8, 40)}, queue: []string{"R-001", "D-002k"}, longest: longest{"R-001", 31 * time.Minute, Red},
			counters: map[string]counter{"1": {state: Quiet}, "2": {Free, "", 1, 1, Call{"D-001", at(8, 47), true}}}},
		{name: "an hour without a call: counter 2 is quiet", hh: 9, mm: 59,
			kiosk: Kiosk{Arrivals: 2, Waiting: 1, Last: at(8, 40)}, queue: []string{"R-001", "D-002k"}, longest: longest{"R-001", 91 * time.Minute, Red},
			counters: map[string]counter{"1": {state: Quiet}, "2": {Quiet, "", 1, 1, Call{"D-001", at(8, 47), true}}}},
	}
	for _, s := range steps {
		c.At(s.hh, s.mm)
		if s.do != nil {
			s.do()
		}
		o, err := Build(ctx, c.Desk)
		if err != nil {
			t.Fatal(err)
		}
		if !o.Kiosk.Last.Equal(s.kiosk.Last) || o.Kiosk.Arrivals != s.kiosk.Arrivals || o.Kiosk.Waiting != s.kiosk.Waiting {
			t.Errorf("%s: kiosk %+v, want %+v", s.name, o.Kiosk, s.kiosk)
		}
		var queue []string
		for _, w := range o.Queue {
			queue = append(queue, w.Ticket+map[bool]string{true: "k"}[w.Kiosk])
		}
		if len(queue) != len(s.queue) {
			t.Errorf("%s: queue %q, want %q", s.name, queue, s.queue)
		}
		for i := range min(len(queue), len(s.queue)) {
			if queue[i] != s.queue[i] {
				t.Errorf("%s: queue %q, want %q", s.name, queue, s.queue)
				break
			}
		}
		if o.Longest == nil {
			t.Errorf("%s: nobody waits longest, want %+v", s.name, s.longest)
		} else if got := (longest{o.Longest.Ticket, o.Longest.Waited, o.Longest.Level}); got != s.longest {
			t.Errorf("%s: the longest wait %+v, want %+v", s.name, got, s.longest)
		}
		got := map[string]counter{}
		for _, k := range o.Counters {
			got[k.Name] = counter{k.State, k.Ticket, k.Calls, k.Recalls, Call{k.LastCall.Ticket, k.LastCall.At, k.LastCall.Repeat}}
		}
		if len(got) != len(s.counters) {
			t.Errorf("%s: counters %+v, want %+v", s.name, got, s.counters)
		}
		for name, want := range s.counters {
			g := got[name]
			if g.state != want.state || g.ticket != want.ticket || g.calls != want.calls || g.recalls != want.recalls ||
				g.last.Ticket != want.last.Ticket || !g.last.At.Equal(want.last.At) || g.last.Repeat != want.last.Repeat {
				t.Errorf("%s: counter %s %+v, want %+v", s.name, name, g, want)
			}
		}
	}
}

// TestNobodyWaits: with nobody in line there is no longest wait, and a
// day without a kiosk has no kiosk arrivals.
func TestNobodyWaits(t *testing.T) {
	c := desktest.New(t)
	o, err := Build(context.Background(), c.Desk)
	if err != nil {
		t.Fatal(err)
	}
	if o.Longest != nil || o.Kiosk != (Kiosk{}) || len(o.Counters) != 0 {
		t.Fatalf("an empty morning: longest %+v, kiosk %+v, counters %+v", o.Longest, o.Kiosk, o.Counters)
	}
}

func must3(t *testing.T) func(_, _ any, err error) {
	return func(_, _ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}
