// Package desk is the counter's use of the store: it turns a scanned text
// into a verdict and, when asked, records what the clerk did. The GUI and the
// command line both go through it, so they judge alike.
package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// Desk is one counter of an office.
type Desk struct {
	DB         *store.DB
	Office     string // the office's ID
	OfficeName string
	Counter    string
	Clerk      string
	Loc        *time.Location
	Now        func() time.Time // the clock; time.Now when nil
}

func (d *Desk) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

func (d *Desk) context(now time.Time) verdict.Context {
	return verdict.Context{Office: d.Office, Now: now, Loc: d.Loc}
}

// Time is the desk's clock in the office's time zone.
func (d *Desk) Time() time.Time { return d.now().In(d.Loc) }

// Today is the office-local date now.
func (d *Desk) Today() string { return d.context(d.now()).Day(d.now()) }

// Check judges a scanned text without recording anything.
func (d *Desk) Check(ctx context.Context, text string) (verdict.Verdict, error) {
	return d.judge(ctx, text, false)
}

// CheckIn judges a scanned text and, when the verdict accepts it, records
// the arrival. The event is on disk before CheckIn returns.
func (d *Desk) CheckIn(ctx context.Context, text string) (verdict.Verdict, error) {
	return d.judge(ctx, text, true)
}

func (d *Desk) judge(ctx context.Context, text string, record bool) (verdict.Verdict, error) {
	ref, err := rescode.Parse(text)
	if err != nil {
		return verdict.Refuse(verdict.NotACode), nil
	}
	b, err := d.DB.BookingByCode(ctx, ref.Key)
	if errors.Is(err, store.ErrNotFound) {
		return verdict.Refuse(verdict.UnknownCode), nil
	}
	if err != nil {
		return verdict.Verdict{}, fmt.Errorf("check code: %w", err)
	}
	var v verdict.Verdict
	err = d.DB.Judge(ctx, b.ID, func(es []store.Event) (*store.Event, error) {
		now := d.now()
		c := d.context(now)
		v = verdict.Judge(c, b, store.Derive(es))
		if !record || !v.Accepts() {
			return nil, nil
		}
		v.Recorded = d.event(b.ID, store.Arrived, now)
		v.Details["at"] = c.Stamp(now)
		return v.Recorded, nil
	})
	if err != nil {
		return verdict.Verdict{}, fmt.Errorf("check in booking %s: %w", b.ID, err)
	}
	if v.Recorded != nil {
		slog.Info("arrival recorded", "booking", b.ID, "event", v.Recorded.ID, "counter", d.Counter)
	}
	return v, nil
}

// Record logs an event for a booking by hand (a pickup handed over, a
// no-show), and returns it once it is on disk.
func (d *Desk) Record(ctx context.Context, bookingID string, t store.EventType) (store.Event, error) {
	e := d.event(bookingID, t, d.now())
	if err := d.DB.Append(ctx, *e); err != nil {
		return store.Event{}, err
	}
	slog.Info("event recorded", "type", t, "booking", bookingID, "event", e.ID, "counter", d.Counter)
	return *e, nil
}

// ErrNothingToUndo says that this counter has no action left to undo.
var ErrNothingToUndo = errors.New("nothing to undo")

// Undo cancels this counter's latest action that is not yet undone by
// logging an undo event; nothing is deleted. It returns the undone event.
func (d *Desk) Undo(ctx context.Context) (store.Event, error) {
	last, err := d.DB.LastEvent(ctx, d.Counter)
	if errors.Is(err, store.ErrNotFound) {
		return store.Event{}, ErrNothingToUndo
	}
	if err != nil {
		return store.Event{}, fmt.Errorf("undo: %w", err)
	}
	u := d.event(last.BookingID, store.Undone, d.now())
	u.Undoes = last.ID
	if err := d.DB.Append(ctx, *u); err != nil {
		return store.Event{}, fmt.Errorf("undo: %w", err)
	}
	slog.Info("event undone", "booking", last.BookingID, "event", last.ID, "counter", d.Counter)
	return last, nil
}

func (d *Desk) event(bookingID string, t store.EventType, at time.Time) *store.Event {
	return &store.Event{ID: store.NewEventID(), BookingID: bookingID, Type: t,
		At: at, Counter: d.Counter, Clerk: d.Clerk}
}

// Row is one line of the day list.
type Row struct {
	store.Booking
	store.Derived
}

// Day lists an office day's bookings with their states, by slot.
func (d *Desk) Day(ctx context.Context, day string) ([]Row, error) {
	bs, err := d.DB.DayBookings(ctx, d.Office, day)
	if err != nil {
		return nil, err
	}
	states, err := d.DB.DayStates(ctx, d.Office, day)
	if err != nil {
		return nil, err
	}
	rows := make([]Row, len(bs))
	for i, b := range bs {
		st, ok := states[b.ID]
		if !ok {
			st = store.Derived{State: store.Expected}
		}
		b.SlotStart = b.SlotStart.In(d.Loc)
		rows[i] = Row{Booking: b, Derived: st}
	}
	return rows, nil
}
