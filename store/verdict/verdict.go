// Package verdict judges a scanned reservation against the office's rules
// and says what the counter should show: a stable machine name, a colour and
// the details a message needs. It does no I/O; store/desk feeds it.
package verdict

import (
	"time"

	"github.com/ghiseu/ghiseu/store"
)

// Name is a verdict's stable machine name, used in JSON output and as the
// key of its translated messages.
type Name string

// The verdicts.
const (
	Valid           Name = "valid"
	NotACode        Name = "not_a_code"
	UnknownCode     Name = "unknown_code"
	WrongDay        Name = "wrong_day"
	WrongOffice     Name = "wrong_office"
	Cancelled       Name = "cancelled"
	Replaced        Name = "replaced"
	AlreadyArrived  Name = "already_arrived"
	NoShowRecorded  Name = "no_show_recorded"
	AlreadyPickedUp Name = "already_picked_up"
)

// Colour is how the verdict card is painted.
type Colour string

// Green: go ahead. Amber: look before acting. Red: refused.
const (
	Green Colour = "green"
	Amber Colour = "amber"
	Red   Colour = "red"
)

// Verdict is the answer to one scan.
type Verdict struct {
	Name    Name           `json:"verdict"`
	Colour  Colour         `json:"colour"`
	Booking *store.Booking `json:"booking,omitempty"`
	State   store.State    `json:"state,omitempty"`
	// Recorded is the event this scan wrote, if any.
	Recorded *store.Event `json:"recorded,omitempty"`
	// Details are the message's arguments: times in RFC 3339, the rest as is.
	Details map[string]string `json:"details,omitempty"`
}

// Accepts reports whether the verdict lets the clerk record an arrival.
func (v Verdict) Accepts() bool { return v.Name == Valid }

// Context is what the counter knows when it judges.
type Context struct {
	Office string         // the counter's office
	Now    time.Time      // the moment of the scan
	Loc    *time.Location // the office's time zone
}

// Day is the office-local date of t.
func (c Context) Day(t time.Time) string { return t.In(c.Loc).Format(time.DateOnly) }

// Stamp writes t as a verdict detail: RFC 3339 in the office's time zone.
func (c Context) Stamp(t time.Time) string { return t.In(c.Loc).Format(time.RFC3339) }

// Judge decides about a booking found for a valid code, given its derived
// state. Checks go from what the booking system says to what the counter
// saw, so that the reason shown is the one that matters most.
func Judge(c Context, b store.Booking, d store.Derived) Verdict {
	b.SlotStart = b.SlotStart.In(c.Loc)
	v := Verdict{Booking: &b, State: d.State, Details: map[string]string{}}
	switch {
	case b.Status == store.Cancelled:
		return v.with(Cancelled, Red)
	case b.Status == store.Replaced:
		return v.with(Replaced, Red)
	case b.Office != c.Office:
		v.Details["office"] = b.Office
		return v.with(WrongOffice, Red)
	case d.State == store.Present:
		return v.after(c, d.Last, AlreadyArrived, Amber)
	case d.State == store.Collected:
		return v.after(c, d.Last, AlreadyPickedUp, Red)
	case d.State == store.Absent:
		return v.after(c, d.Last, NoShowRecorded, Amber)
	case b.Day != c.Day(c.Now):
		v.Details["slot"] = c.Stamp(b.SlotStart)
		return v.with(WrongDay, Red)
	}
	return v.with(Valid, Green)
}

// Refuse is the verdict for a text that led to no booking.
func Refuse(name Name) Verdict {
	return Verdict{Name: name, Colour: Red}
}

func (v Verdict) with(n Name, c Colour) Verdict {
	v.Name, v.Colour = n, c
	return v
}

// after fills in the event that put the booking in its current state.
func (v Verdict) after(c Context, e *store.Event, n Name, col Colour) Verdict {
	if e != nil {
		v.Details["at"] = c.Stamp(e.At)
		v.Details["counter"] = e.Counter
	}
	return v.with(n, col)
}
