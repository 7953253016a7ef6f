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
	"github.com/ghiseu/ghiseu/store/desk"
)

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
	Slot   time.Time
	Waited time.Duration // since the arrival, to the minute
	Level  Level
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

// Counter is what one counter is doing.
type Counter struct {
	Name     string
	Clerk    string
	Serving  string        // the person called there and not yet served; "" when idle
	Ticket   string        // the served person's ticket (D-017); "" for none
	For      time.Duration // how long since that person was called, to the minute
	LastSeen time.Time     // its latest event, by the hub's clock when known
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
	Counters   []Counter
	NoShows    []string
	Hours      []Hour // every hour from the first booked to the last, empty ones too
	Conflicts  []desk.Conflict
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
		o.Queue = append(o.Queue, Waiting{Name: r.Name, Ticket: r.Ticket, Slot: r.SlotStart, Waited: w, Level: o.Thresholds.Level(w)})
		waits = append(waits, now.Sub(r.Last.At))
		if w > o.Waits.Longest {
			o.Waits.Longest = w
		}
	}
	o.Waits.Count, o.Waits.Average = len(q), average(waits)
	o.Waits.Level = o.Thresholds.Level(o.Waits.Longest)
}

// seeCounters notes, for every counter in r's log, its latest event and
// the clerk who did it.
func seeCounters(counters map[string]*Counter, r desk.Row) {
	for _, e := range r.Events {
		if e.Counter == desk.System {
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
