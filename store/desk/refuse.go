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
	ErrNotRefusable  = errors.New("only an application not already refused can be refused")
)

// Refuse sends away the person of an intake booking (or walk-in) with a
// reason of rules.RefusalReasons: missing documents, or data that does not
// match the booking form. The seeds say such a booking is cancelled and
// the person must book anew; the refusal is an event (store.Refused, the
// reason as its note), which the verdict of a later scan and the day
// report read. A picked-up or already refused booking is not refused.
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
		if s := store.Derive(es).State; b.Kind != store.Intake || s == store.Turned || s == store.Collected {
			return store.Outcome{}, ErrNotRefusable
		}
		return store.Outcome{Event: e}, nil
	})
	if err != nil {
		return verdict.Verdict{}, fmt.Errorf("refuse booking %s: %w", b.ID, err)
	}
	slog.Info("refused at the counter", "booking", b.ID, "reason", reason, "event", e.ID, "counter", d.Counter)
	return verdict.Refused(d.Judging(), b, *e), nil
}
