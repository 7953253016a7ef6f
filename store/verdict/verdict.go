// Package verdict judges a scanned reservation code against the office's
// rules and says what the counter should show: a stable machine name, a
// colour and the details a message needs. It does no I/O; store/desk feeds
// it the verified code, the local booking and its events.
package verdict

import (
	"errors"
	"strconv"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
)

// Name is a verdict's stable machine name, used in JSON output and as the
// key of its translated messages.
type Name string

// The verdicts.
const (
	Valid           Name = "valid"             // intake, on time: arrival recorded
	Ready           Name = "ready"             // pickup, card ready, on time: arrival recorded
	NotInList       Name = "not_in_list"       // signed and valid, missing locally: recorded with a warning
	Early           Name = "early"             // before the early window: come back later
	Late            Name = "late"              // past the slot and its grace: the booking lapsed
	WrongDay        Name = "wrong_day"         // booked for another day
	WrongOffice     Name = "wrong_office"      // booked at another office
	AlreadyArrived  Name = "already_arrived"   // arrival already recorded
	NoShowRecorded  Name = "no_show_recorded"  // a no-show: the slot and its grace passed, nobody came
	AlreadyPickedUp Name = "already_picked_up" // the card was handed over
	NotReady        Name = "not_ready"         // pickup before the card may be collected
	Cancelled       Name = "cancelled"         // cancelled in the booking system
	Replaced        Name = "replaced"          // replaced by another booking or code
	NotACode        Name = "not_a_code"        // not a Ghișeu reservation code
	Forged          Name = "forged"            // looks like a code but does not verify
	Overridden      Name = "accepted_by_clerk" // taken anyway by the clerk, with a reason
	CalledIn        Name = "called"            // the clerk called the next person in the queue
	ServedDone      Name = "served"            // the clerk finished with them
	WalkedIn        Name = "walk_in"           // registered by hand, without a booking
	// Turned: the clerk refused the person with a reason (missing
	// documents, data that does not match the form): the booking is
	// cancelled and the person must book anew.
	Turned Name = "refused"
)

// Colour is how the verdict card is painted.
type Colour string

// Green: go ahead. Amber: look before acting. Red: refused.
const (
	Green Colour = "green"
	Amber Colour = "amber"
	Red   Colour = "red"
)

var colours = map[Name]Colour{
	Valid: Green, Ready: Green, Overridden: Green, CalledIn: Green, ServedDone: Green, WalkedIn: Green,
	NotInList: Amber, Early: Amber, Late: Amber, AlreadyArrived: Amber, NoShowRecorded: Amber,
	WrongDay: Red, WrongOffice: Red, AlreadyPickedUp: Red, NotReady: Red, Cancelled: Red,
	Replaced: Red, NotACode: Red, Forged: Red, Turned: Red,
	ReferenceTypo: Amber, NameAmbiguous: Amber, NameIncomplete: Amber, UnknownReference: Red, NameNotFound: Red,
}

// Names lists every verdict.
func Names() []Name {
	out := make([]Name, 0, len(colours))
	for n := range colours {
		out = append(out, n)
	}
	return out
}

// Verdict is the answer to one scan.
type Verdict struct {
	Name    Name           `json:"verdict"`
	Colour  Colour         `json:"colour"`
	Booking *store.Booking `json:"booking,omitempty"`
	State   store.State    `json:"state,omitempty"`
	// Recorded is the event this scan wrote, if any.
	Recorded *store.Event `json:"recorded,omitempty"`
	// Ticket is the person's number (D-017): the one this arrival gave,
	// or the one an earlier arrival gave a person already here; "" when
	// they have not arrived (or arrived before tickets existed).
	Ticket string `json:"ticket,omitempty"`
	// Details are the message's arguments: times in RFC 3339, the rest as is.
	Details map[string]string `json:"details,omitempty"`
	// Help is what the clerk must check for this booking.
	Help *rules.Help `json:"help,omitempty"`
	// Manual: the booking was typed by its short reference or its person's
	// name, not scanned: judged by the local booking, no code verified.
	Manual bool `json:"manual,omitempty"`
}

// Accepts reports whether the verdict records an arrival by itself.
func (v Verdict) Accepts() bool { return v.Name == Valid || v.Name == Ready || v.Name == NotInList }

// Overridable reports whether the clerk may take the person anyway, giving
// a reason: early, late (as a walk-in), or a no-show. The override is an
// arrival with the reason as its note; it outranks the no-show.
func (v Verdict) Overridable() bool {
	return v.Name == Early || v.Name == Late || v.Name == NoShowRecorded
}

// Context is what the counter knows when it judges.
type Context struct {
	Cal  calendar.Calendar
	Fees rules.Fees
	Now  time.Time
}

// Derive is a booking's state at this context's clock, with the office's
// no-show grace (store.DeriveAt).
func (c Context) Derive(b store.Booking, events []store.Event) store.Derived {
	return store.DeriveAt(b, events, c.Now, time.Duration(c.Cal.NoShowAfter))
}

// Stamp writes t as a verdict detail: RFC 3339 in the office's time zone.
func (c Context) Stamp(t time.Time) string { return t.In(c.Cal.Location()).Format(time.RFC3339) }

// Refuse is the verdict for a code that did not verify.
func Refuse(err error) Verdict {
	if errors.Is(err, rescode.ErrNotACode) {
		return Verdict{Name: NotACode, Colour: Red}
	}
	why := "forged"
	for reason, e := range map[string]error{"truncated": rescode.ErrTruncated, "version": rescode.ErrVersion,
		"unknown_key": rescode.ErrUnknownKey, "key_expired": rescode.ErrKeyExpired} {
		if errors.Is(err, e) {
			why = reason
		}
	}
	return Verdict{Name: Forged, Colour: Red, Details: map[string]string{"reason": why}}
}

// FromClaims is the booking a verified code describes, for when the local
// list does not have it.
func FromClaims(c Context, cl rescode.Claims) store.Booking {
	kind := store.Intake
	if cl.Kind == rescode.Pickup {
		kind = store.Pickup
	}
	return store.Booking{ID: strconv.FormatUint(cl.BookingID, 10), Office: cl.Office,
		Day: c.Cal.Day(cl.SlotStart), SlotStart: cl.SlotStart, SlotMinutes: cl.SlotMinutes,
		Kind: kind, Status: store.Unlisted}
}

// Judge decides about a verified code, given the local booking (nil when
// the list does not have it) and its state at c's clock (c.Derive). Checks go from what the
// code and the booking system say to what the counter saw to the clock, so
// that the reason shown is the one that matters most.
func Judge(c Context, cl rescode.Claims, local *store.Booking, d store.Derived) Verdict {
	b := FromClaims(c, cl)
	if local != nil {
		b = *local
	}
	b.SlotStart = b.SlotStart.In(c.Cal.Location())
	v := Verdict{Booking: &b, State: d.State, Details: map[string]string{}}
	if b.Status != store.Unlisted {
		h := help(c, b)
		v.Help = &h
	}
	start := b.SlotStart
	switch {
	case cl.Office != c.Cal.Office:
		v.Details["office"] = cl.Office
		return v.is(WrongOffice)
	case b.Status == store.Cancelled:
		return v.is(Cancelled)
	case b.Status == store.Replaced || !cl.SlotStart.Equal(b.SlotStart) || b.Office != cl.Office:
		return v.is(Replaced) // the booking moved: this code is an old one
	case d.State == store.Present || d.State == store.InService || d.State == store.Done:
		return v.after(c, d.Last, AlreadyArrived)
	case d.State == store.Collected:
		return v.after(c, d.Last, AlreadyPickedUp)
	case d.State == store.Turned: // refused at a counter: the booking is cancelled
		if d.Last != nil {
			v.Details["cancel"] = d.Last.Note
		}
		return v.after(c, d.Last, Turned)
	case d.State == store.Absent: // derived: nobody came by the end of the slot's grace
		v.Details["at"], v.Details["cancel"] = c.Stamp(d.NoShowAt), rules.CancelNoShow
		return v.is(NoShowRecorded)
	case b.Day != c.Cal.Day(c.Now):
		v.Details["slot"] = c.Stamp(start)
		return v.is(WrongDay)
	}
	if b.Kind == store.Pickup && b.Status != store.Unlisted {
		if from, ok := readyFrom(c, b); !ok || c.Now.Before(from) {
			if ok {
				v.Details["from"] = c.Stamp(from)
			}
			return v.is(NotReady)
		}
	}
	early, late := start.Add(-time.Duration(c.Cal.EarlyGrace)), start.Add(time.Duration(c.Cal.LateGrace))
	switch {
	case c.Now.Before(early):
		v.Details["slot"], v.Details["from"] = c.Stamp(start), c.Stamp(early)
		return v.is(Early)
	case c.Now.After(late):
		v.Details["slot"], v.Details["until"] = c.Stamp(start), c.Stamp(late)
		v.Details["cancel"] = rules.CancelNoShow // not there at the booked time
		return v.is(Late)
	case b.Status == store.Unlisted:
		return v.is(NotInList)
	case b.Kind == store.Pickup:
		return v.is(Ready)
	}
	return v.is(Valid)
}

// readyFrom is the first day a finished card may be collected: the set
// number of working days after the "card ready" notice, and 10 working
// days more when it is collected at another office than the one it was
// applied at (store.Booking.PickupOffice), moved on to the office's next
// pickup day (PickupDay).
func readyFrom(c Context, b store.Booking) (time.Time, bool) { return ReadyFrom(c.Cal, b) }

// ReadyFrom is the first day (at its midnight) a pickup booking's card may
// be collected at cal's office, as the pickup verdict judges it: the
// office's working days after the "card ready" notice (b.ReadyOn), 10 more
// when it is collected at another office than the one it was applied at,
// then the first day from that one on which the office hands cards over
// (PickupDay: SPCLEP Dumbrăvița only on Fridays); false when the booking
// holds no valid notice date. The hub books a pickup only from then, so
// that hub and counter agree.
func ReadyFrom(cal calendar.Calendar, b store.Booking) (time.Time, bool) {
	notice, err := time.ParseInLocation(time.DateOnly, b.ReadyOn, cal.Location())
	if err != nil {
		return time.Time{}, false
	}
	return PickupDay(cal, cal.AddWorkingDays(notice, pickupDelay(Context{Cal: cal}, b))), true
}

// pickupSearchDays bounds PickupDay's search: a year and a week covers any
// weekly pickup hours and every run of closed days.
const pickupSearchDays = 372

// PickupDay is the first day (at its midnight), t's date or a later one,
// on which cal's office hands finished cards over: one with pickup slots
// (calendar.Calendar.Slots), not closed. An office with no pickup hours
// in the coming year gets t's date back, so that a card is never
// "ready" never.
func PickupDay(cal calendar.Calendar, t time.Time) time.Time {
	day := cal.At(t, 0)
	for i := 0; i < pickupSearchDays; i++ {
		d := cal.At(day.AddDate(0, 0, i), 0)
		if len(cal.Slots(d, true)) > 0 {
			return d
		}
	}
	return day
}

// pickupDelay is the working days from the notice to the pickup.
func pickupDelay(c Context, b store.Booking) int {
	if b.PickupOffice != "" {
		return c.Cal.PickupWorkDays + rules.PickupElsewhereDays
	}
	return c.Cal.PickupWorkDays
}

// help is the clerk's checklist for a booking (for a pickup, only what the
// hand-over needs: rules.ForPickup), with, for an intake, when
// the card is expected to be collectable: 10 to 14 days of issuance, then
// the pickup's working days (10 more at another office).
func help(c Context, b store.Booking) rules.Help {
	day := c.Now.In(c.Cal.Location())
	h := rules.ForCard(b.Reason, b.Document, birth(b), day, c.Fees)
	if b.Kind == store.Pickup {
		return rules.ForPickup(h) // what the hand-over needs, as the checklist's text says
	}
	if b.Kind == store.Intake && (h.Document == rules.CEI || h.Document == rules.CIS) {
		from, by := c.Cal.At(day, 0).AddDate(0, 0, rules.IssueDaysMin), c.Cal.At(day, 0).AddDate(0, 0, rules.IssueDaysMax)
		h.ReadyFrom, h.ReadyBy = c.Cal.AddWorkingDays(from, pickupDelay(c, b)), c.Cal.AddWorkingDays(by, pickupDelay(c, b))
		if b.PickupOffice != "" && b.PickupOffice != c.Cal.Office {
			h.PickupAt = b.PickupOffice // its pickup hours are that office's, unknown here
		} else {
			h.ReadyFrom, h.ReadyBy = PickupDay(c.Cal, h.ReadyFrom), PickupDay(c.Cal, h.ReadyBy)
		}
	}
	return h
}

// CancelReason is why the verdict's booking is cancelled and must be
// booked anew (rules.CancelReasons), or "".
func (v Verdict) CancelReason() string { return v.Details["cancel"] }

func birth(b store.Booking) time.Time {
	t, _ := time.Parse(time.DateOnly, b.BirthDate)
	return t
}

func (v Verdict) is(n Name) Verdict {
	v.Name, v.Colour = n, colours[n]
	return v
}

// after fills in the event that put the booking in its current state.
func (v Verdict) after(c Context, e *store.Event, n Name) Verdict {
	if e != nil {
		v.Details["at"] = c.Stamp(e.At)
		v.Details["counter"] = e.Counter
	}
	return v.is(n)
}

// Overridden is the verdict after the clerk took the person anyway.
func (v Verdict) Overridden(c Context, e store.Event) Verdict {
	v.Recorded = &e
	v.State = store.Present
	v.Details = map[string]string{"at": c.Stamp(e.At), "note": e.Note}
	return v.is(Overridden)
}

// Refused is the verdict after the clerk refused the person with a reason
// (rules.RefusalReasons): the event e records it and the booking is
// cancelled.
func Refused(c Context, b store.Booking, e store.Event) Verdict {
	b.SlotStart = b.SlotStart.In(c.Cal.Location())
	v := Verdict{Booking: &b, State: store.Turned, Recorded: &e,
		Details: map[string]string{"cancel": e.Note, "at": c.Stamp(e.At), "counter": e.Counter}}
	return v.is(Turned)
}

// Queue is the card for a person called from the queue (CalledIn, with how
// long they waited) or marked served (ServedDone), with the clerk's
// checklist.
func Queue(c Context, n Name, b store.Booking, waited time.Duration) Verdict {
	b.SlotStart = b.SlotStart.In(c.Cal.Location())
	h := help(c, b)
	v := Verdict{Booking: &b, Help: &h, Details: map[string]string{"minutes": strconv.Itoa(int(waited.Minutes()))}}
	if n == ServedDone {
		v.Help = nil
	}
	return v.is(n)
}
