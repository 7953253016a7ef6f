package store

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ghiseu/ghiseu/store/rules"
)

// Limits that a counter and its hub apply alike: the counter refuses
// what the hub would refuse, where the text is typed, so that no event is
// recorded that can never be synced.
const (
	MaxClerk = 80  // characters of a clerk's name or staff number
	MaxNote  = 500 // characters of a clerk's reason for an override
	MaxName  = 100 // characters of a walk-in's name
)

// SystemCounter is the counter name of what the hub records itself. No
// counter may speak as it.
const SystemCounter = "system"

var (
	eventIDForm   = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
	bookingIDForm = regexp.MustCompile(`^(?:[1-9][0-9]{0,19}|w-[0-9a-f]{16})$`) // a code's booking ID is any uint64
	counterForm   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,31}$`)
	walkInIDForm  = regexp.MustCompile(`^w-[0-9a-f]{16}$`)
)

// ValidBookingID reports whether id has the form of a booking system's ID
// (a decimal number) or of a walk-in registered at a counter.
func ValidBookingID(id string) bool { return bookingIDForm.MatchString(id) }

// ValidWalkInID reports whether id has the form of a walk-in's ID.
func ValidWalkInID(id string) bool { return walkInIDForm.MatchString(id) }

// A Refusal is why an event or a walk-in cannot be accepted: Reason is a
// machine name (the translation key is "sync.refused."+Reason).
type Refusal struct {
	Reason string
	Detail string
}

func (r *Refusal) Error() string { return r.Reason + ": " + r.Detail }

func refusal(reason, format string, args ...any) *Refusal {
	return &Refusal{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// CheckText refuses a clerk's name or a reason longer than the limits,
// with control characters (a line break, an escape), or a clerk who
// claims to be the hub's system.
func CheckText(clerk, note string) error {
	switch {
	case !utf8.ValidString(clerk) || !utf8.ValidString(note):
		return refusal("text", "not UTF-8")
	case strings.ContainsFunc(clerk+note, unicode.IsControl):
		return refusal("text", "a control character")
	case utf8.RuneCountInString(clerk) > MaxClerk:
		return refusal("clerk_too_long", "the clerk's name has more than %d characters", MaxClerk)
	case utf8.RuneCountInString(note) > MaxNote:
		return refusal("note_too_long", "the reason has more than %d characters", MaxNote)
	case strings.EqualFold(strings.TrimSpace(clerk), SystemCounter):
		return refusal("system_only_hub", "only the hub records as %q", SystemCounter)
	}
	return nil
}

// CheckCounter refuses a counter name that the hub would not enrol:
// letters, digits and '-', at most 32, and not the hub's own "system".
func CheckCounter(name string) error {
	if !counterForm.MatchString(name) || strings.EqualFold(name, SystemCounter) {
		return refusal("counter", "counter name %q: letters, digits and '-', at most 32, not %q", name, SystemCounter)
	}
	return nil
}

// Validate checks an event's form: what every copy of the log must hold.
// Who may send it and when it was stamped are the hub's concern.
func (e Event) Validate() error {
	switch {
	case !eventIDForm.MatchString(e.ID):
		return refusal("event_id", "event ID %q", e.ID)
	case !ValidBookingID(e.BookingID):
		return refusal("booking_id", "booking ID %q", e.BookingID)
	case e.At.IsZero() || e.At.Year() < 1 || e.At.Year() > 9999:
		return refusal("time", "no time, or none a calendar has")
	case e.Type == Undone && !eventIDForm.MatchString(e.Undoes):
		return refusal("undo", "undoes %q", e.Undoes)
	case e.Type != Undone && e.Undoes != "":
		return refusal("undo", "a %s event undoes nothing", e.Type)
	}
	switch e.Type {
	case Arrived, NoShow, PickedUp, Undone, Called, Served, Refused, Recalled:
		return CheckText(e.Clerk, e.Note)
	}
	return refusal("type", "event type %q", e.Type)
}

// CheckWalkIn checks a walk-in's form, as the counter records it and the
// hub takes it.
func CheckWalkIn(b Booking) error {
	switch {
	case !ValidWalkInID(b.ID):
		return refusal("booking_id", "walk-in ID %q", b.ID)
	case b.Status != WalkIn || b.Kind != Intake:
		return refusal("walk_in", "walk-in %s: status %q, kind %q", b.ID, b.Status, b.Kind)
	case b.Name == "" || utf8.RuneCountInString(b.Name) > MaxName || !utf8.ValidString(b.Name):
		return refusal("walk_in_name", "walk-in %s: a name of 1 to %d characters", b.ID, MaxName)
	case !slices.Contains(rules.Reasons(), b.Reason):
		return refusal("walk_in", "walk-in %s: reason %q", b.ID, b.Reason)
	case b.SlotMinutes <= 0 || b.SlotMinutes > 240:
		return refusal("walk_in", "walk-in %s: slot of %d minutes", b.ID, b.SlotMinutes)
	case b.SlotStart.Year() < 2020 || b.SlotStart.Year() > 2100:
		return refusal("time", "walk-in %s: time %s", b.ID, b.SlotStart.Format(time.RFC3339))
	}
	return nil
}
