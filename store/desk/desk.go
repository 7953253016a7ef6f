// Package desk is the counter's use of the store: it turns a scanned text
// into a verdict and, when asked, records what the clerk did. The GUI and the
// command line both go through it, so they judge alike.
package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// System is the counter and clerk name of the no-show events older
// versions recorded by themselves. Nothing writes it any more (no-shows are
// derived when read, see store.DeriveAt); it is kept to recognise those
// events in old logs, which count for no counter or clerk.
const System = "system"

// Desk is one counter of an office.
type Desk struct {
	DB      *store.DB
	Cal     calendar.Calendar // the office and its hours
	Fees    rules.Fees
	Keys    rescode.Keyring // the booking system's public keys
	Counter string
	Clerk   string
	// Now is the clock; when nil, this computer's clock corrected by the
	// offset last measured against the hub's (see SetClockOffset).
	Now  func() time.Time
	Demo bool // the demo office

	offset *atomic.Int64 // nanoseconds the hub's clock is ahead of this computer's
	shift  time.Time     // when Clerk signed in (SignIn); zero: not known
}

// SignIn starts a clerk's shift at the counter: what they record is theirs,
// and Undo reaches back no further than this moment (nor to another
// clerk's actions).
func (d *Desk) SignIn(clerk string) {
	d.Clerk = clerk
	d.shift = d.now()
	slog.Info("shift started", "clerk", clerk, "counter", d.Counter)
}

func (d *Desk) now() time.Time {
	if d.Now == nil {
		return store.Now().Add(d.ClockOffset())
	}
	return d.Now()
}

// Judging is what the verdict engine needs from this desk, at its clock.
func (d *Desk) Judging() verdict.Context {
	return verdict.Context{Cal: d.Cal, Fees: d.Fees, Now: d.now()}
}

// Time is the desk's clock in the office's time zone.
func (d *Desk) Time() time.Time { return d.now().In(d.Cal.Location()) }

// Today is the office-local date now.
func (d *Desk) Today() string { return d.Cal.Day(d.now()) }

// Check judges a scanned or typed code, or a booking's short reference,
// without recording anything.
func (d *Desk) Check(ctx context.Context, text string) (verdict.Verdict, error) {
	return d.judgeText(ctx, text, "", false)
}

// CheckIn judges a code or a short reference (as Check) and, when the
// verdict accepts it, records the arrival. The event is on disk before
// CheckIn returns.
func (d *Desk) CheckIn(ctx context.Context, text string) (verdict.Verdict, error) {
	return d.judgeText(ctx, text, "arrive", false)
}

// ErrNoReason says that an override needs the clerk's reason.
var ErrNoReason = errors.New("an override needs a reason")

// Override takes a person whose verdict allows it (early, late as a
// walk-in, or after a no-show) with the clerk's reason, and records the
// arrival; text is their code or their booking's short reference. Other
// verdicts are returned unchanged, with nothing recorded.
func (d *Desk) Override(ctx context.Context, text, reason string) (verdict.Verdict, error) {
	if strings.TrimSpace(reason) == "" {
		return verdict.Verdict{}, ErrNoReason
	}
	return d.judgeText(ctx, text, strings.TrimSpace(reason), false)
}

// judge verifies a code and judges it; action is "" (judge only),
// "arrive" (record an accepted arrival) or the reason of an override.
func (d *Desk) judge(ctx context.Context, text, action string) (verdict.Verdict, error) {
	claims, err := rescode.Parse(text, d.Keys)
	if err != nil {
		slog.Info("code refused", "err", err, "counter", d.Counter)
		return verdict.Refuse(err), nil
	}
	id := strconv.FormatUint(claims.BookingID, 10)
	var local *store.Booking
	switch b, err := d.DB.BookingByID(ctx, id); {
	case err == nil:
		local = &b
	case !errors.Is(err, store.ErrNotFound):
		return verdict.Verdict{}, fmt.Errorf("check code: %w", err)
	}
	return d.record(ctx, claims, local, action, false)
}

// judgeBooking judges a booking typed by its reference or its person's
// name, by the local copy (no code to verify); an arrival it records says
// so in its note (ManualNote).
func (d *Desk) judgeBooking(ctx context.Context, b store.Booking, action string) (verdict.Verdict, error) {
	if action != "" {
		if err := d.mayRecord(noteOf(action, true)); err != nil {
			return verdict.Verdict{}, err
		}
	}
	return d.record(ctx, verdict.FromBooking(b), &b, action, true)
}

// noteOf is the note of the arrival an action records: none for a scanned
// arrival, the reason of an override, ManualNote before either for a
// typed booking.
func noteOf(action string, manual bool) string {
	note := strings.TrimPrefix(action, "arrive")
	switch {
	case !manual:
		return note
	case note == "":
		return ManualNote
	}
	return ManualNote + ": " + note
}

// record judges claims with the local booking (nil: the list does not
// have it; a typed booking, manual, always has one) and records what action
// asks for, when the verdict allows it, in one transaction.
func (d *Desk) record(ctx context.Context, claims rescode.Claims, local *store.Booking, action string, manual bool) (verdict.Verdict, error) {
	id := strconv.FormatUint(claims.BookingID, 10)
	if manual {
		id = local.ID
	}
	var v verdict.Verdict
	err := d.DB.Judge(ctx, id, func(es []store.Event) (store.Outcome, error) {
		c := d.Judging()
		b := verdict.FromClaims(c, claims)
		if local != nil {
			b = *local
		}
		if manual {
			v = verdict.JudgeTyped(c, b, c.Derive(b, es))
		} else {
			v = verdict.Judge(c, claims, local, c.Derive(b, es))
		}
		v.Ticket = store.TicketOf(es) // a person already here keeps their number
		if action == "" || action == "arrive" && !v.Accepts() || action != "arrive" && !v.Overridable() {
			return store.Outcome{}, nil
		}
		o := store.Outcome{Event: d.event(id, store.Arrived, c.Now), Ticket: d.ticketFor(b, c.Now)}
		o.Event.Note = noteOf(action, manual)
		if local == nil {
			o.Booking = v.Booking // keep what the code says, until the next sync brings the booking
		}
		if action != "arrive" {
			v = v.Overridden(c, *o.Event)
			o.Event = v.Recorded // Judge writes the ticket on the verdict's event
			return o, nil
		}
		v.Recorded = o.Event
		v.Details["at"] = c.Stamp(c.Now)
		return o, nil
	})
	if err != nil {
		return verdict.Verdict{}, fmt.Errorf("check in booking %s: %w", id, err)
	}
	if v.Recorded != nil {
		v.Ticket = v.Recorded.Ticket
		slog.Info("arrival recorded", "booking", id, "event", v.Recorded.ID, "verdict", v.Name, "manual", manual, "counter", d.Counter, "ticket", v.Ticket)
	}
	return v, nil
}

// Record logs an event for a booking by hand (a pickup handed over), and
// returns it once it is on disk.
func (d *Desk) Record(ctx context.Context, bookingID string, t store.EventType) (store.Event, error) {
	if err := d.mayRecord(""); err != nil {
		return store.Event{}, err
	}
	e := d.event(bookingID, t, d.now())
	if err := d.DB.Append(ctx, *e); err != nil {
		return store.Event{}, err
	}
	slog.Info("event recorded", "type", t, "booking", bookingID, "event", e.ID, "counter", d.Counter)
	return *e, nil
}

// Why an undo is refused.
var (
	ErrNothingToUndo = errors.New("nothing to undo")
	ErrUndoTooLate   = errors.New("the last action is too old to undo")
)

// UndoWindow is how long after an action it can be undone.
const UndoWindow = 5 * time.Minute

// Undo cancels the clerk's latest action at this counter that is not yet
// undone, if it is at most UndoWindow old, by logging an undo event;
// nothing is deleted. Only the clerk's own actions of their shift count:
// after another clerk signs in (or the same one anew, SignIn), what was
// done before is not theirs to undo (ErrNothingToUndo). It returns the
// undone event.
func (d *Desk) Undo(ctx context.Context) (store.Event, error) {
	if d.Clerk == "" {
		return store.Event{}, ErrNothingToUndo
	}
	last, err := d.DB.LastEventBy(ctx, d.Counter, d.Clerk, d.shift)
	if errors.Is(err, store.ErrNotFound) {
		return store.Event{}, ErrNothingToUndo
	}
	if err != nil {
		return store.Event{}, fmt.Errorf("undo: %w", err)
	}
	if d.now().Sub(last.At) > UndoWindow {
		return last, ErrUndoTooLate
	}
	if err := d.mayRecord(""); err != nil {
		return store.Event{}, err
	}
	u := d.event(last.BookingID, store.Undone, d.now())
	u.Undoes = last.ID
	if err := d.DB.Append(ctx, *u); err != nil {
		return store.Event{}, fmt.Errorf("undo: %w", err)
	}
	slog.Info("event undone", "booking", last.BookingID, "event", last.ID, "counter", d.Counter)
	return last, nil
}

// mayRecord refuses, before anything is written, what the hub would
// refuse: a clerk's name or a reason longer than the limits both apply.
func (d *Desk) mayRecord(note string) error { return store.CheckText(d.Clerk, note) }

func (d *Desk) event(bookingID string, t store.EventType, at time.Time) *store.Event {
	return &store.Event{ID: store.NewEventID(), BookingID: bookingID, Type: t,
		At: at, Counter: d.Counter, Clerk: d.Clerk}
}

// Row is one line of the day list.
type Row struct {
	store.Booking
	store.Derived
	Ref    string        `json:"ref,omitempty"`    // the short reference (rescode.Reference); none for a walk-in
	Ticket string        `json:"ticket,omitempty"` // the standing arrival's number (D-017); "" before arriving
	Events []store.Event `json:"-"`                // the booking's log, oldest first
}

// Day lists an office day's bookings with their states at the desk's
// clock, by slot: a booking nobody came to shows as a no-show once its slot
// and the grace are over, without anything being written. A walk-in whose
// arrival was undone is not listed (store.Withdrawn).
func (d *Desk) Day(ctx context.Context, day string) ([]Row, error) {
	bs, err := d.DB.DayBookings(ctx, d.Cal.Office, day)
	if err != nil {
		return nil, err
	}
	events, err := d.DB.DayEvents(ctx, d.Cal.Office, day)
	if err != nil {
		return nil, err
	}
	c := d.Judging() // one reading of the clock for the whole list
	rows := make([]Row, 0, len(bs))
	for _, b := range bs {
		b.SlotStart = b.SlotStart.In(d.Cal.Location())
		es := events[b.ID]
		r := Row{Booking: b, Derived: c.Derive(b, es), Events: es, Ref: rescode.ReferenceOf(b.Office, b.ID), Ticket: store.TicketOf(es)}
		if store.Withdrawn(r.Booking, r.Derived) { // an undone walk-in: never expected
			continue
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// Conflict is something the supervisor must look at.
type Conflict struct {
	Kind    string   `json:"kind"` // "duplicate_arrival" or "cancelled_but_arrived"
	Booking Row      `json:"booking"`
	Events  []string `json:"counters"` // the counters involved
}

// Conflicts lists a day's conflicts: a person checked in twice (two
// counters cut off from each other), or checked in although the booking
// system had cancelled the booking.
func (d *Desk) Conflicts(ctx context.Context, day string) ([]Conflict, error) {
	rows, err := d.Day(ctx, day)
	if err != nil {
		return nil, err
	}
	var out []Conflict
	for _, r := range rows {
		kind := ""
		switch {
		case r.Duplicate():
			kind = "duplicate_arrival"
		case (r.Status == store.Cancelled || r.Status == store.Replaced) && r.State.Came():
			kind = "cancelled_but_arrived"
		default:
			continue
		}
		c := Conflict{Kind: kind, Booking: r}
		for _, e := range r.Events {
			if e.Type == store.Arrived {
				c.Events = append(c.Events, e.Counter)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// PurgeOld deletes the days older than the retention setting.
func (d *Desk) PurgeOld(ctx context.Context) (int, error) {
	days, err := d.DB.Retention(ctx)
	if err != nil {
		return 0, err
	}
	n, err := d.DB.Purge(ctx, d.Cal.Day(d.now().AddDate(0, 0, -days)))
	if n > 0 {
		slog.Info("old days purged", "bookings", n, "retention_days", days)
	}
	return n, err
}
