package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/rules"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// Why a refusal is not recorded.
var (
	ErrRefusalReason = errors.New("a refusal needs a reason: missing documents or data that does not match the form")
	ErrNotRefusable  = errors.New("only the application of a person at the counter can be refused")
)

// Why a booking is not refusable (NotRefusable.Why); the user's text is
// the translation of "refuse.not." followed by it.
const (
	NotAnIntake    = "pickup"    // a pickup is handed over or not, never refused
	NotBooked      = "cancelled" // the booking is cancelled or was replaced
	NotAgain       = "refused"   // refused already
	NotAfterAbsent = "absent"    // a no-show is its own cause, not a refusal
	NotServed      = "served"    // the application was taken already
	NotHere        = "not_here"  // the person has not arrived and the slot does not admit them now
)

// NotRefusable is the error of a refusal that does not make sense: Why
// says what (NotAnIntake, ...). It is ErrNotRefusable for errors.Is.
type NotRefusable struct{ Why string }

// Error says why in English, for logs; the user sees "refuse.not."+Why.
func (e NotRefusable) Error() string { return ErrNotRefusable.Error() + ": " + e.Why }

// Is makes errors.Is(err, ErrNotRefusable) hold.
func (e NotRefusable) Is(target error) bool { return target == ErrNotRefusable }

// refusable says why the booking b, in the state d at the context's clock,
// cannot be refused, or "": only an intake booking still standing whose
// person is there (arrived, called to a counter) or is being judged now (a
// scan that its slot's window admits), as the seeds keep a no-show, a
// cancelled booking and a refusal apart.
func refusable(c verdict.Context, b store.Booking, d store.Derived) string {
	switch {
	case b.Kind != store.Intake:
		return NotAnIntake
	case d.State == store.Turned:
		return NotAgain
	case b.Status == store.Cancelled || b.Status == store.Replaced:
		return NotBooked
	case d.State == store.Present || d.State == store.InService:
		return ""
	case d.State == store.Done:
		return NotServed
	case d.State == store.Absent:
		return NotAfterAbsent
	case d.State == store.Expected && b.Status != store.WalkIn && verdict.JudgeTyped(c, b, d).Accepts():
		return "" // at the scan: the card shows them, in their slot's window
	}
	return NotHere
}

// Refuse sends away the person of an intake booking (or walk-in) with a
// reason of rules.RefusalReasons: missing documents, or data that does not
// match the booking form. The seeds say such a booking is cancelled and
// the person must book anew; the refusal is an event (store.Refused, the
// reason as its note), which the verdict of a later scan and the day
// report read. Only a person who is there is refused (refusable); the
// others get a NotRefusable saying why.
func (d *Desk) Refuse(ctx context.Context, bookingID, reason string) (verdict.Verdict, error) {
	if !rules.IsRefusalReason(reason) {
		return verdict.Verdict{}, ErrRefusalReason
	}
	if err := d.mayRecord(reason); err != nil {
		return verdict.Verdict{}, err
	}
	b, err := d.DB.BookingByID(ctx, bookingID)
	if err != nil {
		return verdict.Verdict{}, fmt.Errorf("refuse: %w", err)
	}
	e := d.event(b.ID, store.Refused, d.now())
	e.Note = reason
	err = d.DB.Judge(ctx, b.ID, func(es []store.Event) (store.Outcome, error) {
		c := d.Judging()
		if why := refusable(c, b, c.Derive(b, es)); why != "" {
			return store.Outcome{}, NotRefusable{Why: why}
		}
		return store.Outcome{Event: e}, nil
	})
	if err != nil {
		return verdict.Verdict{}, fmt.Errorf("refuse booking %s: %w", b.ID, err)
	}
	slog.Info("refused at the counter", "booking", b.ID, "reason", reason, "event", e.ID, "counter", d.Counter)
	return verdict.Refused(d.Judging(), b, *e), nil
}
