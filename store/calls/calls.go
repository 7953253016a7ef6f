// Package calls is the waiting room's feed: the calls of the day (a
// ticket number and a counter), how many people wait, how long they may
// expect to wait, and the office's hours. It is computed from a
// database's events (the hub's, or a lone counter's) and carries no name,
// booking ID or code: it is shown on a screen anyone in the room sees.
package calls

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
)

// Call is one call to a counter, as the waiting room sees it.
type Call struct {
	Seq     int64     `json:"seq"`     // the call event's place in the log
	Ticket  string    `json:"ticket"`  // the person's number (D-017); "" when the arrival gave none
	Counter string    `json:"counter"` // the counter called to
	At      time.Time `json:"at"`      // when the clerk called, in the office's time zone
	Repeat  bool      `json:"repeat"`  // a call again (Recalled), not a new one
}

// Hours is one of today's opening windows.
type Hours struct {
	Start string `json:"start"` // 08:30
	End   string `json:"end"`   // 13:00
	Kind  string `json:"kind"`  // "intake", "pickup" or "walk_in"
}

// Feed is what the waiting-room screen shows, as GET /v1/calls answers it.
type Feed struct {
	// Seq is the highest event sequence number the feed was computed from:
	// the next request asks for something after it.
	Seq   int64  `json:"seq"`
	Calls []Call `json:"calls"` // today's latest calls, oldest first (at most MaxCalls)
	// Waiting is how many people have arrived and wait to be called.
	Waiting int `json:"waiting"`
	// ExpectedWaitMinutes is Waiting times the mean service time over the
	// open counters, rounded up; 0 when nobody waits.
	ExpectedWaitMinutes int `json:"expected_wait_minutes"`
	// ServiceMinutes is the mean service time used: today's (called to
	// served) or, with no service finished today, the office's slot length.
	ServiceMinutes float64 `json:"service_minutes"`
	OpenCounters   int     `json:"open_counters"` // counters that called or served in the last hour (at least 1)
	Hours          []Hours `json:"hours"`         // today's; none on a closed day
	OfficeName     string  `json:"office_name"`
	TimeZone       string  `json:"time_zone"` // the office's, for the screen's clock
}

// MaxCalls bounds the calls a feed carries.
const MaxCalls = 12

// OpenWindow is how recently a counter must have called or served someone
// to count as open for the expected wait.
const OpenWindow = time.Hour

// Compute builds the feed of the office's day at now from db.
func Compute(ctx context.Context, db *store.DB, cal calendar.Calendar, now time.Time) (Feed, error) {
	day := cal.Day(now)
	bs, err := db.DayBookings(ctx, cal.Office, day)
	if err != nil {
		return Feed{}, fmt.Errorf("calls feed: %w", err)
	}
	events, err := db.DayEvents(ctx, cal.Office, day)
	if err != nil {
		return Feed{}, fmt.Errorf("calls feed: %w", err)
	}
	f := Feed{Calls: []Call{}, Hours: hoursOf(cal, now), OfficeName: cal.OfficeName, TimeZone: cal.Location().String()}
	var all []store.Event
	for _, es := range events {
		all = append(all, es...)
	}
	for _, e := range all {
		f.Seq = max(f.Seq, e.Seq)
	}
	// Events of other days (or of no known booking) move the log on too:
	// the feed's sequence is the log's, so that "after" never stays behind.
	for {
		more, err := db.EventsAfter(ctx, f.Seq, 500)
		if err != nil {
			return Feed{}, fmt.Errorf("calls feed: %w", err)
		}
		if len(more) == 0 {
			break
		}
		f.Seq = more[len(more)-1].Seq
	}
	loc := cal.Location()
	var service []time.Duration
	open := map[string]bool{}
	for _, b := range bs {
		es := events[b.ID]
		d := store.DeriveAt(b, es, now, time.Duration(cal.NoShowAfter))
		if store.Withdrawn(b, d) {
			continue
		}
		if d.State == store.Present {
			f.Waiting++
		}
		eff := store.Effective(es)
		ticket := arrivalTicket(eff)
		var called *store.Event
		for i := range eff {
			e := eff[i]
			switch e.Type {
			case store.Called, store.Recalled:
				t := e.Ticket
				if t == "" {
					t = ticket
				}
				f.Calls = append(f.Calls, Call{Seq: e.Seq, Ticket: t, Counter: e.Counter, At: e.At.In(loc), Repeat: e.Type == store.Recalled})
				if e.Type == store.Called {
					called = &eff[i]
				}
			case store.Served, store.Refused, store.PickedUp:
				if called != nil && e.At.After(called.At) {
					service = append(service, e.At.Sub(called.At))
					called = nil
				}
			}
			if (e.Type == store.Called || e.Type == store.Served || e.Type == store.Refused || e.Type == store.PickedUp) &&
				now.Sub(e.At) <= OpenWindow && e.Counter != "" {
				open[e.Counter] = true
			}
		}
	}
	sort.Slice(f.Calls, func(i, j int) bool { return f.Calls[i].Seq < f.Calls[j].Seq })
	if len(f.Calls) > MaxCalls {
		f.Calls = f.Calls[len(f.Calls)-MaxCalls:]
	}
	f.OpenCounters = max(len(open), 1)
	f.ServiceMinutes = float64(cal.SlotMinutes)
	if f.ServiceMinutes <= 0 {
		f.ServiceMinutes = 20
	}
	if len(service) > 0 {
		var sum time.Duration
		for _, s := range service {
			sum += s
		}
		f.ServiceMinutes = (sum / time.Duration(len(service))).Minutes()
	}
	if f.Waiting > 0 {
		f.ExpectedWaitMinutes = int(math.Ceil(float64(f.Waiting) * f.ServiceMinutes / float64(f.OpenCounters)))
	}
	return f, nil
}

// arrivalTicket is the ticket the booking's standing arrival gave.
func arrivalTicket(eff []store.Event) string {
	for _, e := range eff {
		if e.Type == store.Arrived && e.Ticket != "" {
			return e.Ticket
		}
	}
	return ""
}

// hoursOf lists the office's windows on now's day, by start.
func hoursOf(cal calendar.Calendar, now time.Time) []Hours {
	out := []Hours{}
	if cal.IsClosed(now) || !cal.WorkingDay(now) {
		return out
	}
	for _, k := range []struct {
		kind string
		week calendar.Week
	}{{"intake", cal.Intake}, {"pickup", cal.Pickup}, {"walk_in", cal.WalkIn}} {
		for _, w := range k.week.On(now.In(cal.Location())) {
			out = append(out, Hours{Start: w.Start.String(), End: w.End.String(), Kind: k.kind})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// Merged joins overlapping and touching windows: the hours the office is
// open at all, whatever for ("08:30–13:00" for a morning of intake and
// walk-ins).
func Merged(hs []Hours) []Hours {
	s := append([]Hours(nil), hs...)
	sort.Slice(s, func(i, j int) bool { return s[i].Start < s[j].Start })
	var out []Hours
	for _, h := range s {
		if n := len(out); n > 0 && h.Start <= out[n-1].End {
			if h.End > out[n-1].End {
				out[n-1].End = h.End
			}
			continue
		}
		out = append(out, Hours{Start: h.Start, End: h.End})
	}
	return out
}
