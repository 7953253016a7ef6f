// Package supervise is the office at a glance for the head of office: who
// is expected, who waits and for how long, who is being served, where and
// for how long, who did not come or came late, pickups, the day hour by
// hour, conflicts. The supervisor window shows it and refreshes it every
// few seconds; every number and colour is decided here, without the GUI.
package supervise

import (
	"context"
	"sort"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calls"
	"github.com/ghiseu/ghiseu/store/desk"
)

// KioskCounter is the counter a self check-in kiosk records its arrivals
// as (app.KioskCounter). It calls nobody: the supervisor sees it apart
// from the counters, as the kiosk's arrivals.
const KioskCounter = "kiosk"

// Counts are the day's numbers.
type Counts struct {
	Expected, Waiting, Serving, Served, NoShows, Pickups int
}

// Level is how urgent a wait is: the colour the supervisor sees.
type Level int

// The levels of a wait, against the office's thresholds
// (calendar.WaitThresholds).
const (
	Normal Level = iota
	Amber        // longer than the amber threshold
	Red          // longer than the red threshold
)

// Thresholds are the waits past which a wait is Amber and Red.
type Thresholds struct {
	Amber, Red time.Duration
}

// Level says how urgent a wait of d is: strictly longer than a threshold
// passes it.
func (t Thresholds) Level(d time.Duration) Level {
	switch {
	case d > t.Red:
		return Red
	case d > t.Amber:
		return Amber
	}
	return Normal
}

// Waiting is one person in the queue.
type Waiting struct {
	Name   string
	Ticket string // their arrival's number (D-017); "" for none
	Kiosk  bool   // they checked in at the kiosk
	Slot   time.Time
	// Arrived is when they came (the standing arrival).
	Arrived time.Time
	Waited  time.Duration // since the arrival, to the minute
	Level   Level
}

// Waits sums up the queue.
type Waits struct {
	Count            int
	Longest, Average time.Duration // to the minute; zero when nobody waits
	Level            Level         // the longest wait's
}

// Service sums up the people served today.
type Service struct {
	Count   int           // served
	Timed   int           // served with a call to time from
	Average time.Duration // from being called to served, to the minute
}

// CounterState is what a counter is doing now.
type CounterState int

// The states of a counter.
const (
	// Quiet: it called, served or sent away nobody for calls.OpenWindow
	// (an hour), so the waiting room's expected wait does not count it.
	Quiet CounterState = iota
	Free               // it has worked within the hour and serves nobody now
	Busy               // someone it called is at it, not yet served
)

// Call is a counter's call of a person, as the supervisor sees it.
type Call struct {
	Ticket string    // the person's number; "" when their arrival got none
	At     time.Time // when the clerk called
	Repeat bool      // a call again (store.Recalled)
}

// Counter is what one counter is doing.
type Counter struct {
	Name     string
	Clerk    string
	State    CounterState
	Serving  string        // the person called there and not yet served; "" when idle
	Ticket   string        // the served person's ticket (D-017); "" for none
	For      time.Duration // how long since that person was called, to the minute
	Calls    int           // its calls today (Ctrl+N), not undone
	Recalls  int           // its calls again today (Ctrl+Shift+N)
	LastCall Call          // its latest call or call again; zero when none
	LastSeen time.Time     // its latest event, by the hub's clock when known
	worked   time.Time     // its latest call, call again, serving, refusal or pickup
}

// Kiosk is what the self check-in kiosk did today.
type Kiosk struct {
	Arrivals int       // people whose standing arrival the kiosk recorded today
	Waiting  int       // of them, those still waiting to be called
	Last     time.Time // the latest of those arrivals; zero when none
}

// Hour is one hour of the day: bookings whose slot starts in it, and how
// many of those people came.
type Hour struct {
	Hour     int
	Bookings int
	Arrived  int
}

// Overview is the office at one moment.
type Overview struct {
	At         time.Time
	Thresholds Thresholds
	Counts     Counts
	Waits      Waits
	Service    Service
	Late       int // people who came after their slot's start and the late grace
	Refused    int // people the clerks sent away with a reason (their bookings cancelled)
	PickupsDue int // pickup bookings of the day (Counts.Pickups were handed over)
	Queue      []Waiting
	// Longest is the person waiting longest since their arrival (the
	// supervisor sees their ticket and wait, not their name); nil when
	// nobody waits.
	Longest   *Waiting
	Counters  []Counter
	Kiosk     Kiosk
	NoShows   []string
	Hours     []Hour // every hour from the first booked to the last, empty ones too
	Conflicts []desk.Conflict
}

// Build looks at the office's day at the desk's clock.
func Build(ctx context.Context, d *desk.Desk) (Overview, error) {
	now := d.Time()
	amber, red := d.Cal.WaitThresholds()
	o := Overview{At: now, Thresholds: Thresholds{Amber: amber, Red: red}}
	rows, err := d.Day(ctx, d.Today())
	if err != nil {
		return o, err
	}
	q, err := d.Queue(ctx)
	if err != nil {
		return o, err
	}
	o.queue(q, now)
	counters := map[string]*Counter{}
	hours := map[int]*Hour{}
	var services []time.Duration
	lateGrace := time.Duration(d.Cal.LateGrace)
	for _, r := range rows {
		if r.State == store.Turned {
			o.Refused++
		}
		if r.Status == store.Cancelled || r.Status == store.Replaced {
			continue
		}
		h := hours[r.SlotStart.Hour()]
		if h == nil {
			h = &Hour{Hour: r.SlotStart.Hour()}
			hours[h.Hour] = h
		}
		h.Bookings++
		if r.State.Came() {
			h.Arrived++
		}
		o.Counts.add(r)
		if r.Kind == store.Pickup {
			o.PickupsDue++
		}
		if r.State == store.Absent {
			o.NoShows = append(o.NoShows, r.Name)
		}
		if late(r, lateGrace) {
			o.Late++
		}
		if a := arrival(r.Events); a != nil && a.Counter == KioskCounter && r.State.Came() {
			o.Kiosk.Arrivals++
			if r.State == store.Present {
				o.Kiosk.Waiting++
			}
			if a.At.After(o.Kiosk.Last) {
				o.Kiosk.Last = a.At
			}
		}
		if s, ok := serviceTime(r); ok {
			services = append(services, s)
		}
		seeCounters(counters, r)
		if r.State == store.InService && counters[r.Last.Counter] != nil {
			k := counters[r.Last.Counter]
			k.Serving, k.For, k.Ticket = r.Name, minutes(now.Sub(r.Last.At)), r.Ticket
		}
	}
	o.Service = Service{Count: o.Counts.Served, Timed: len(services), Average: average(services)}
	for _, c := range counters {
		switch {
		case c.Serving != "":
			c.State = Busy
		case !c.worked.IsZero() && now.Sub(c.worked) <= calls.OpenWindow:
			c.State = Free
		}
		o.Counters = append(o.Counters, *c)
	}
	sort.Slice(o.Counters, func(i, j int) bool { return o.Counters[i].Name < o.Counters[j].Name })
	o.Hours = fill(hours)
	o.Conflicts, err = d.Conflicts(ctx, d.Today())
	return o, err
}

// queue lists the waiting people with their waits and sums them up.
func (o *Overview) queue(q []desk.Row, now time.Time) {
	var waits []time.Duration
	for _, r := range q {
		w := minutes(now.Sub(r.Last.At))
		a := arrival(r.Events)
		o.Queue = append(o.Queue, Waiting{Name: r.Name, Ticket: r.Ticket, Kiosk: a != nil && a.Counter == KioskCounter,
			Slot: r.SlotStart, Arrived: r.Last.At, Waited: w, Level: o.Thresholds.Level(w)})
		waits = append(waits, now.Sub(r.Last.At))
		if w > o.Waits.Longest {
			o.Waits.Longest = w
		}
	}
	for i := range o.Queue { // the earliest arrival; of two at once, the first in line
		if o.Longest == nil || o.Queue[i].Arrived.Before(o.Longest.Arrived) {
			o.Longest = &o.Queue[i]
		}
	}
	o.Waits.Count, o.Waits.Average = len(q), average(waits)
	o.Waits.Level = o.Thresholds.Level(o.Waits.Longest)
}

// seeCounters notes, for every counter in r's log, its latest event and
// the clerk who did it, its calls and when it last worked. The kiosk is
// no counter here (Overview.Kiosk).
func seeCounters(counters map[string]*Counter, r desk.Row) {
	for _, e := range store.Effective(r.Events) {
		if e.Counter == desk.System || e.Counter == KioskCounter {
			continue
		}
		c := counters[e.Counter]
		if c == nil {
			c = &Counter{Name: e.Counter}
			counters[e.Counter] = c
		}
		switch e.Type {
		case store.Called:
			c.Calls++
		case store.Recalled:
			c.Recalls++
		}
		if (e.Type == store.Called || e.Type == store.Recalled) && !e.At.Before(c.LastCall.At) {
			c.LastCall = Call{Ticket: e.Ticket, At: e.At, Repeat: e.Type == store.Recalled}
			if c.LastCall.Ticket == "" { // a call written before tickets: the arrival's
				c.LastCall.Ticket = r.Ticket
			}
		}
		switch e.Type {
		case store.Called, store.Recalled, store.Served, store.Refused, store.PickedUp:
			if e.At.After(c.worked) {
				c.worked = e.At
			}
		}
	}
	for _, e := range r.Events {
		if e.Counter == desk.System || e.Counter == KioskCounter {
			continue
		}
		c := counters[e.Counter]
		if c == nil {
			c = &Counter{Name: e.Counter}
			counters[e.Counter] = c
		}
		seen := e.At
		if !e.ReceivedAt.IsZero() {
			seen = e.ReceivedAt
		}
		if seen.After(c.LastSeen) {
			c.LastSeen, c.Clerk = seen, e.Clerk
		}
	}
}

// arrival is a log's standing arrival: its first arrival not undone; nil
// when none.
func arrival(events []store.Event) *store.Event {
	for _, e := range store.Effective(events) {
		if e.Type == store.Arrived {
			return &e
		}
	}
	return nil
}

// late reports whether a booked person came after their slot's start and
// the late grace: taken anyway, as the verdict "late" or after a no-show.
func late(r desk.Row, grace time.Duration) bool {
	if r.Status != store.Confirmed || !r.State.Came() {
		return false
	}
	for _, e := range store.Effective(r.Events) {
		if e.Type == store.Arrived {
			return e.At.After(r.SlotStart.Add(grace))
		}
	}
	return false
}

// serviceTime is how long a served person was at the counter: from the
// last call before they were served to the serving.
func serviceTime(r desk.Row) (time.Duration, bool) {
	if r.State != store.Done {
		return 0, false
	}
	served := *r.Last
	var called *store.Event
	for _, e := range store.Effective(r.Events) {
		if e.Type == store.Called && !e.At.After(served.At) && (called == nil || e.At.After(called.At)) {
			called = &e
		}
	}
	if called == nil {
		return 0, false
	}
	return served.At.Sub(called.At), true
}

// fill lists the hours from the first to the last, with empty ones between.
func fill(hours map[int]*Hour) []Hour {
	if len(hours) == 0 {
		return nil
	}
	first, last := 24, -1
	for h := range hours {
		first, last = min(first, h), max(last, h)
	}
	out := make([]Hour, 0, last-first+1)
	for h := first; h <= last; h++ {
		if hours[h] != nil {
			out = append(out, *hours[h])
		} else {
			out = append(out, Hour{Hour: h})
		}
	}
	return out
}

// minutes rounds a duration to the minute; a negative one (counters whose
// clocks disagree) counts as none.
func minutes(d time.Duration) time.Duration { return max(d, 0).Round(time.Minute) }

// average is the mean of ds to the minute, zero for none.
func average(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range ds {
		sum += max(d, 0)
	}
	return minutes(sum / time.Duration(len(ds)))
}

func (c *Counts) add(r desk.Row) {
	switch r.State {
	case store.Expected:
		c.Expected++
	case store.Present:
		c.Waiting++
	case store.InService:
		c.Serving++
	case store.Done:
		c.Served++
	case store.Absent:
		c.NoShows++
	case store.Collected:
		c.Pickups++
	}
}
