package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/rules"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// Why a walk-in is refused.
var (
	ErrNotWalkInTime = errors.New("not in the office's walk-in hours")
	ErrWalkInDetails = errors.New("a walk-in needs a name and a known reason")
	ErrWalkInCard    = errors.New("a walk-in's card must be one its reason allows")
)

// WalkIn registers a person who comes without a booking for the default
// card of the reason (WalkInCard with no card chosen).
func (d *Desk) WalkIn(ctx context.Context, name, reason string) (verdict.Verdict, error) {
	return d.WalkInCard(ctx, name, reason, "")
}

// WalkInCards are the cards a walk-in may choose for reason, the default
// first (rules.Cards; a walk-in's age is not known, so a CIS is offered
// for every reason but a child's): none for a residence visa.
func (d *Desk) WalkInCards(reason string) []string { return rules.Cards(reason, -1) }

// WalkInCard registers a person who comes without a booking, in the
// office's walk-in hours (special situations, a CIP or a residence visa),
// for the card chosen (document: "cei", "cis", "cip", or "" for the
// reason's default; rules.CheckCard, else ErrWalkInCard), and records the
// arrival: the person then waits in the queue like everyone else, and the
// checklist is the card's (fee, documents, validity). The booking row,
// with its card, travels to the hub with the counter's events, and to the
// other counters in the next day pack.
func (d *Desk) WalkInCard(ctx context.Context, name, reason, document string) (verdict.Verdict, error) {
	now := d.now()
	var id [8]byte
	rand.Read(id[:])
	b := store.Booking{ID: "w-" + hex.EncodeToString(id[:]), Office: d.Cal.Office, Day: d.Cal.Day(now),
		SlotStart: now.Truncate(time.Minute), SlotMinutes: d.Cal.SlotMinutes, Kind: store.Intake,
		Name: strings.TrimSpace(name), Reason: reason, Status: store.WalkIn}
	if store.CheckWalkIn(b) != nil { // what the hub takes, no more
		return verdict.Verdict{}, ErrWalkInDetails
	}
	if err := rules.CheckCard(reason, document, -1); err != nil {
		return verdict.Verdict{}, fmt.Errorf("%w: %w", ErrWalkInCard, err)
	}
	if document != "" && reason != "residence_mention" {
		b.Document = rules.DocumentFor(reason, document)
	}
	if err := d.mayRecord("walk-in"); err != nil {
		return verdict.Verdict{}, err
	}
	if _, err := d.Cal.WalkInService(reason, now); err != nil { // only the walk-in services, in their hours
		return verdict.Verdict{}, fmt.Errorf("%w: %w", ErrNotWalkInTime, err)
	}
	e := d.event(b.ID, store.Arrived, now)
	e.Note = "walk-in"
	err := d.DB.Judge(ctx, b.ID, func([]store.Event) (store.Outcome, error) {
		return store.Outcome{Booking: &b, Event: e, Ticket: d.ticketFor(b, now)}, nil
	})
	if err != nil {
		return verdict.Verdict{}, fmt.Errorf("register walk-in: %w", err)
	}
	v := verdict.Queue(d.Judging(), verdict.WalkedIn, b, 0)
	v.Recorded, v.Ticket = e, e.Ticket
	slog.Info("walk-in registered", "booking", b.ID, "event", e.ID, "ticket", e.Ticket, "counter", d.Counter)
	return v, nil
}
