package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// Why a walk-in is refused.
var (
	ErrNotWalkInTime = errors.New("not in the office's walk-in hours")
	ErrWalkInDetails = errors.New("a walk-in needs a name and a known reason")
)

// WalkIn registers a person who comes without a booking, in the office's
// walk-in hours (special situations), and records the arrival: the person
// then waits in the queue like everyone else. The booking row travels to
// the hub with the counter's events, and to the other counters in the
// next day pack.
func (d *Desk) WalkIn(ctx context.Context, name, reason string) (verdict.Verdict, error) {
	now := d.now()
	var id [8]byte
	rand.Read(id[:])
	b := store.Booking{ID: "w-" + hex.EncodeToString(id[:]), Office: d.Cal.Office, Day: d.Cal.Day(now),
		SlotStart: now.Truncate(time.Minute), SlotMinutes: d.Cal.SlotMinutes, Kind: store.Intake,
		Name: strings.TrimSpace(name), Reason: reason, Status: store.WalkIn}
	if store.CheckWalkIn(b) != nil { // what the hub takes, no more
		return verdict.Verdict{}, ErrWalkInDetails
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
		return store.Outcome{Booking: &b, Event: e}, nil
	})
	if err != nil {
		return verdict.Verdict{}, fmt.Errorf("register walk-in: %w", err)
	}
	v := verdict.Queue(d.Judging(), verdict.WalkedIn, b, 0)
	v.Recorded = e
	return v, nil
}
