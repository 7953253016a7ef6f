package store

import "time"

// Kind says what a booking is for.
type Kind string

// The two kinds of counter visit.
const (
	Intake Kind = "intake" // filing an application for a new card
	Pickup Kind = "pickup" // collecting a finished card
)

// Status is a booking's status in the booking system, as last synced.
type Status string

// Booking system statuses.
const (
	Confirmed Status = "confirmed"
	Cancelled Status = "cancelled"
	Replaced  Status = "replaced"
	// Unlisted marks a booking known only from its signed code: the local
	// list did not have it when it was scanned.
	Unlisted Status = "unlisted"
	// WalkIn marks a visit without a booking, registered by a clerk in the
	// office's walk-in hours.
	WalkIn Status = "walk_in"
)

// Booking is one appointment as the counter needs it: no more personal data
// than the clerk must see.
type Booking struct {
	ID          string    `json:"id"`
	Office      string    `json:"office"`
	Day         string    `json:"day"` // YYYY-MM-DD in the office's time zone
	SlotStart   time.Time `json:"slot_start"`
	SlotMinutes int       `json:"slot_minutes"`
	Kind        Kind      `json:"kind"`
	Name        string    `json:"name"`
	Reason      string    `json:"reason"`               // a reason code, see assets/i18n "reason.*"
	BirthDate   string    `json:"birth_date,omitempty"` // YYYY-MM-DD, for minors' rules and fees
	ReadyOn     string    `json:"ready_on,omitempty"`   // pickups: YYYY-MM-DD of the "card ready" notice
	Status      Status    `json:"status"`
	Code        string    `json:"code,omitempty"` // the reservation code, when known (demo, issuing)
	// Document is the card applied for: "cei" (the default when empty),
	// "cis" (a simple ID card) or "cip" (a provisional one); see rules.
	Document string `json:"document,omitempty"`
	// PickupOffice is set when the card is collected at another office than
	// the one it was applied at (chosen only when applying): on an intake,
	// the office chosen; on a pickup, the collecting office itself. Such a
	// card comes 10 working days later (rules.PickupElsewhereDays).
	PickupOffice string `json:"pickup_office,omitempty"`
}

// SlotEnd is when the booked slot ends.
func (b Booking) SlotEnd() time.Time {
	return b.SlotStart.Add(time.Duration(b.SlotMinutes) * time.Minute)
}

// EventType is what happened to a booking at the counter.
type EventType string

// Event types. Events are never deleted; an Undone event cancels an earlier one.
const (
	Arrived  EventType = "arrived"
	NoShow   EventType = "no_show" // written by old versions only; ignored (see Derive)
	PickedUp EventType = "picked_up"
	Undone   EventType = "undone"
	Called   EventType = "called" // a clerk called the waiting person to the counter
	Served   EventType = "served" // the clerk finished with them
	// Refused: the clerk sent the person away and the booking is
	// cancelled (the note says why: a cancellation reason such as
	// "missing_documents" or "data_mismatch"); they must book anew.
	Refused EventType = "refused"
	// Recalled: the clerk announced the call again (the person did not
	// come up); it changes no state.
	Recalled EventType = "recalled"
)

// Event is one entry of the append-only log.
type Event struct {
	ID        string    `json:"id"`
	BookingID string    `json:"booking_id"`
	Type      EventType `json:"type"`
	At        time.Time `json:"at"`
	Counter   string    `json:"counter"`
	Clerk     string    `json:"clerk"`
	Undoes    string    `json:"undoes,omitempty"` // for Undone: the ID of the cancelled event
	Note      string    `json:"note,omitempty"`   // the clerk's reason for an override
	// Ticket is the number an arrival gave the person (D-017), which
	// calls show; empty on other events and before issue 13.
	Ticket string `json:"ticket,omitempty"`
	// ReceivedAt is when the hub received the event, by the hub's clock
	// (zero until known): counters' clocks may disagree.
	ReceivedAt time.Time `json:"received_at,omitzero"`
	Seq        int64     `json:"seq,omitempty"` // order of appending in this database
}

// State is a booking's state at the counter, derived from its events.
type State string

// Booking states.
const (
	Expected  State = "expected"
	Present   State = "arrived" // arrived, waiting to be called
	Absent    State = "no_show" // derived when read: see DeriveAt
	Collected State = "picked_up"
	InService State = "called" // called to a counter, being served
	Done      State = "served"
	Turned    State = "refused" // sent away by the clerk: the booking is cancelled
)

// Came reports whether the person came: arrived, called, served or
// picked up.
func (s State) Came() bool {
	return s == Present || s == InService || s == Done || s == Collected || s == Turned
}

// Derived is a booking's state together with the event that put it there.
type Derived struct {
	State State  `json:"state"`
	Last  *Event `json:"last,omitempty"` // nil while Expected or Absent
	// Arrivals counts the arrivals not undone: more than one means two
	// counters checked the same person in (while cut off from each other).
	Arrivals int `json:"arrivals,omitempty"`
	// NoShowAt is when an Absent booking became a no-show: the end of its
	// slot plus the office's grace. Zero in every other state.
	NoShowAt time.Time `json:"no_show_at,omitzero"`
}

// Duplicate reports whether the person was checked in more than once.
func (d Derived) Duplicate() bool { return d.Arrivals > 1 }

// precedence orders the event types along a visit: arrived, called,
// served, picked up. A later step outranks an earlier one.
var precedence = map[EventType]int{Arrived: 1, Called: 2, Served: 3, Refused: 4, PickedUp: 5}

// Effective is what stands of a booking's events: every event that is not
// an undo and was not undone.
func Effective(events []Event) []Event {
	undone := map[string]bool{}
	for _, e := range events {
		if e.Type == Undone {
			undone[e.Undoes] = true
		}
	}
	var out []Event
	for _, e := range events {
		if e.Type != Undone && !undone[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

// Derive folds a booking's events into what they say about it: Expected,
// or how far the visit went. An undo removes the event it names; of the
// rest the highest-ranking type decides, and of that type the earliest
// event is the one shown. The result does not depend on the order the
// events come in, so counters that received the same events in different
// orders agree.
//
// Derive never says Absent: a no-show is not something anybody did, so no
// event can make it. DeriveAt adds it at the reader's clock.
//
// No-show events (NoShow) are ignored. Versions before this one wrote them
// by themselves, as counter "system", once a slot had passed by the clock
// of the counter that wrote them; a counter whose clock was hours fast
// wrote them for people still to come, the hub passed them to every
// counter, and on-time people were then turned away as no-shows. Old
// databases and hubs still hold such events: they are kept (the log is
// append-only) and read, but count for nothing.
func Derive(events []Event) Derived {
	undone := map[string]bool{}
	for _, e := range events {
		if e.Type == Undone {
			undone[e.Undoes] = true
		}
	}
	d := Derived{State: Expected}
	for i := range events {
		e := events[i]
		if precedence[e.Type] == 0 || undone[e.ID] { // undos, and the no-shows of old versions
			continue
		}
		if e.Type == Arrived {
			d.Arrivals++
		}
		if d.Last == nil || precedence[e.Type] > precedence[d.Last.Type] ||
			e.Type == d.Last.Type && (e.At.Before(d.Last.At) || e.At.Equal(d.Last.At) && e.ID < d.Last.ID) {
			d.State, d.Last = stateAfter(e.Type), &e
		}
	}
	return d
}

// DeriveAt is a booking's state as seen at the moment now: what its events
// say (Derive) and, for a confirmed booking nobody came to, Absent once its
// slot ended more than grace (the office's NoShowAfter) before now. This is
// the one place that decides what a no-show is; the day list, the verdict,
// the supervisor's view and the report all read states through it, each at
// its own trusted clock, and nothing about a no-show is ever written. An
// arrival recorded later (a clerk taking the person anyway) is an event
// and outranks it: the booking is Present again.
func DeriveAt(b Booking, events []Event, now time.Time, grace time.Duration) Derived {
	d := Derive(events)
	if d.State != Expected || b.Status != Confirmed {
		return d
	}
	if at := b.SlotEnd().Add(grace); now.After(at) {
		d.State, d.NoShowAt = Absent, at
	}
	return d
}

// Withdrawn reports whether a booking with the derived state d has left
// the day: a walk-in whose arrival was undone. A walk-in exists only
// through its arrival (the clerk registered someone who was there), so
// without it nobody is expected: it is neither listed nor counted.
func Withdrawn(b Booking, d Derived) bool { return b.Status == WalkIn && d.State == Expected }

func stateAfter(t EventType) State {
	switch t {
	case Arrived:
		return Present
	case PickedUp:
		return Collected
	case Called:
		return InService
	case Served:
		return Done
	case Refused:
		return Turned
	}
	return Expected
}
