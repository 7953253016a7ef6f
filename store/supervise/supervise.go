// Package supervise is the office at a glance for the head of office: who
// is expected, who waits and for how long, who is being served and where,
// who did not come, pickups, the day hour by hour, conflicts. The
// supervisor window shows it and refreshes it every few seconds.
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

// Waiting is one person in the queue.
type Waiting struct {
	Name   string
	Slot   time.Time
	Waited time.Duration
}

// Counter is what one counter is doing.
type Counter struct {
	Name     string
	Clerk    string
	Serving  string    // the person called there and not yet served; "" when idle
	LastSeen time.Time // its latest event, by the hub's clock when known
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
	At        time.Time
	Counts    Counts
	Queue     []Waiting
	Counters  []Counter
	NoShows   []string
	Hours     []Hour
	Conflicts []desk.Conflict
}

// Build looks at the office's day at the desk's clock.
func Build(ctx context.Context, d *desk.Desk) (Overview, error) {
	now := d.Time()
	o := Overview{At: now}
	rows, err := d.Day(ctx, d.Today())
	if err != nil {
		return o, err
	}
	q, err := d.Queue(ctx)
	if err != nil {
		return o, err
	}
	for _, r := range q {
		o.Queue = append(o.Queue, Waiting{Name: r.Name, Slot: r.SlotStart, Waited: now.Sub(r.Last.At).Round(time.Minute)})
	}
	counters := map[string]*Counter{}
	hours := map[int]*Hour{}
	for _, r := range rows {
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
		if r.State == store.Absent {
			o.NoShows = append(o.NoShows, r.Name)
		}
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
		if r.State == store.InService && counters[r.Last.Counter] != nil {
			counters[r.Last.Counter].Serving = r.Name
		}
	}
	for _, c := range counters {
		o.Counters = append(o.Counters, *c)
	}
	sort.Slice(o.Counters, func(i, j int) bool { return o.Counters[i].Name < o.Counters[j].Name })
	for _, h := range hours {
		o.Hours = append(o.Hours, *h)
	}
	sort.Slice(o.Hours, func(i, j int) bool { return o.Hours[i].Hour < o.Hours[j].Hour })
	o.Conflicts, err = d.Conflicts(ctx, d.Today())
	return o, err
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
