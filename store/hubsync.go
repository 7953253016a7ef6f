package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ghiseu/ghiseu/store/rules"
)

// Exchange is what one counter sends the hub in one request.
type Exchange struct {
	Counter string    // who sent it: the counter its token belongs to
	Now     time.Time // the hub's clock
	// MaxAhead is how far ahead of the hub's clock an event may be
	// stamped; further is a counter's wrong clock.
	MaxAhead time.Duration
	Office   string // the hub's office, for walk-ins
	Day      func(time.Time) string
	WalkIns  []Booking
	Events   []Event
}

// Answer is the hub's answer to an Exchange: one result per item, in
// order, and whether the bookings changed (the pack's version moves on).
type Answer struct {
	WalkIns []Result
	Events  []Result
	Changed bool
}

// Accept is the hub's side of an exchange: each walk-in and each event is
// judged on its own (one bad item never holds up the others) and what is
// accepted is stored in one transaction, stamped with the hub's clock. A
// counter speaks only for itself: the counter name of its events is the
// one its token belongs to, it may not speak as the hub ("system"), undo
// another counter's event or change another counter's walk-in. No-shows
// are derived by whoever reads, never sent.
func (db *DB) Accept(ctx context.Context, x Exchange) (Answer, error) {
	var a Answer
	err := db.tx(ctx, func(t *sql.Tx) error {
		var err error
		a, err = acceptTx(ctx, t, x)
		return err
	})
	return a, err
}

// AcceptAll accepts several exchanges with one commit, and so one sync to
// disk, for all (the hub's group commit): each is judged as Accept judges
// it, in turn, so that a later one sees what an earlier one stored. An
// exchange that fails is rolled back alone and gets its own error in errs;
// the others are kept. err is an error of the whole transaction, and then
// nothing is kept.
func (db *DB) AcceptAll(ctx context.Context, xs []Exchange) (as []Answer, errs []error, err error) {
	err = db.tx(ctx, func(t *sql.Tx) error {
		as, errs = make([]Answer, len(xs)), make([]error, len(xs))
		for i, x := range xs {
			var terr error
			if as[i], errs[i], terr = acceptSavepoint(ctx, t, x); terr != nil {
				return terr
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("accept %d exchanges: %w", len(xs), err)
	}
	return as, errs, nil
}

// acceptSavepoint accepts one exchange of a group inside a savepoint, so
// that its failure (xerr) undoes it alone; err is a failure to undo it.
func acceptSavepoint(ctx context.Context, t *sql.Tx, x Exchange) (a Answer, xerr, err error) {
	if _, err := t.ExecContext(ctx, `SAVEPOINT exchange`); err != nil {
		return Answer{}, nil, err
	}
	a, xerr = acceptTx(ctx, t, x)
	if xerr != nil {
		if _, err := t.ExecContext(ctx, `ROLLBACK TO exchange`); err != nil {
			return Answer{}, nil, fmt.Errorf("undo the exchange of counter %s (%v): %w", x.Counter, xerr, err)
		}
		a, xerr = Answer{}, fmt.Errorf("exchange of counter %s: %w", x.Counter, xerr)
	}
	_, err = t.ExecContext(ctx, `RELEASE exchange`)
	return a, xerr, err
}

// acceptTx judges and stores one exchange in t.
func acceptTx(ctx context.Context, t *sql.Tx, x Exchange) (Answer, error) {
	var a Answer
	for _, b := range x.WalkIns {
		r, changed, err := acceptWalkIn(ctx, t, x, b)
		if err != nil {
			return Answer{}, err
		}
		a.WalkIns = append(a.WalkIns, r)
		a.Changed = a.Changed || changed
	}
	if a.Changed {
		if err := bumpTx(ctx, t); err != nil {
			return Answer{}, err
		}
	}
	for _, e := range x.Events {
		r, err := acceptEvent(ctx, t, x, e)
		if err != nil {
			return Answer{}, err
		}
		a.Events = append(a.Events, r)
	}
	return a, nil
}

func refused(id string, err error) (Result, error) {
	var r *Refusal
	if errors.As(err, &r) {
		return Result{ID: id, Status: ResultRefused, Reason: r.Reason, Detail: r.Detail}, nil
	}
	return Result{}, err
}

func acceptEvent(ctx context.Context, t *sql.Tx, x Exchange, e Event) (Result, error) {
	if err := checkEvent(ctx, t, x, e); err != nil {
		return refused(e.ID, err)
	}
	e.Counter, e.ReceivedAt, e.Seq = x.Counter, x.Now, 0
	added, err := insertEvent(ctx, t, e, true)
	if err != nil {
		return Result{}, err
	}
	r := Result{ID: e.ID, Status: ResultAccepted, Counter: x.Counter}
	if !added {
		r.Status = ResultDuplicate
		if err := t.QueryRowContext(ctx, `SELECT counter FROM events WHERE id = ?`, e.ID).Scan(&r.Counter); err != nil {
			return Result{}, err
		}
	}
	return r, nil
}

// checkEvent is the hub's policy for one event a counter sent.
func checkEvent(ctx context.Context, t *sql.Tx, x Exchange, e Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	switch {
	case e.Counter == SystemCounter || e.Clerk == SystemCounter:
		return refusal("system_only_hub", "only the hub records as %q", SystemCounter)
	case e.Type == NoShow:
		return refusal("no_show_derived", "no-shows are derived when read, never sent")
	case e.At.Year() < 2020:
		return refusal("clock_behind", "stamped %s: the counter's clock was wrong", e.At.UTC().Format(time.RFC3339))
	case e.At.After(x.Now.Add(x.MaxAhead)):
		return refusal("clock_ahead", "stamped %s, %s ahead of the hub's clock", e.At.UTC().Format(time.RFC3339),
			e.At.Sub(x.Now).Round(time.Second))
	}
	if e.Type != Undone {
		return nil
	}
	var counter, booking string
	err := t.QueryRowContext(ctx, `SELECT counter, booking_id FROM events WHERE id = ?`, e.Undoes).Scan(&counter, &booking)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return refusal("undo_unknown", "undoes %s, which the hub does not hold", e.Undoes)
	case err != nil:
		return err
	case counter != x.Counter:
		return refusal("undo_other_counter", "undoes an event of counter %s", counter)
	case booking != e.BookingID:
		return refusal("undo", "undoes an event of another booking")
	}
	return nil
}

func acceptWalkIn(ctx context.Context, t *sql.Tx, x Exchange, b Booking) (Result, bool, error) {
	b.Office, b.Code, b.BirthDate, b.ReadyOn = x.Office, "", "", ""
	b.Day = x.Day(b.SlotStart)
	if err := CheckWalkIn(b); err != nil {
		r, err := refused(b.ID, err)
		return r, false, err
	}
	if err := rules.CheckCard(b.Reason, b.Document, -1); err != nil { // a card its reason allows, as the counter checks
		r, err := refused(b.ID, refusal("walk_in", "walk-in %s: %v", b.ID, err))
		return r, false, err
	}
	var owner string
	var status Status
	err := t.QueryRowContext(ctx, `SELECT owner, status FROM bookings WHERE id = ?`, b.ID).Scan(&owner, &status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return Result{}, false, err
	case status != WalkIn || owner != "" && owner != x.Counter: // "": kept before walk-ins had owners
		r, err := refused(b.ID, refusal("walk_in_other_counter", "walk-in %s belongs to counter %s", b.ID, owner))
		return r, false, err
	}
	res, err := t.ExecContext(ctx, `INSERT INTO bookings (`+bookingColumns+`, owner)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, '', ?)
		ON CONFLICT (id) DO UPDATE SET day = excluded.day, slot_start = excluded.slot_start,
			slot_minutes = excluded.slot_minutes, name = excluded.name, reason = excluded.reason,
			document = excluded.document, owner = excluded.owner
		WHERE (day, slot_start, slot_minutes, name, reason, document, owner) IS NOT
			(excluded.day, excluded.slot_start, excluded.slot_minutes, excluded.name, excluded.reason, excluded.document, excluded.owner)`,
		b.ID, b.Office, b.Day, b.SlotStart.Unix(), b.SlotMinutes, b.Kind, b.Name, b.Reason, b.Status, "", "", b.Document, x.Counter)
	if err != nil {
		return Result{}, false, fmt.Errorf("store walk-in %s: %w", b.ID, err)
	}
	n, _ := res.RowsAffected()
	status2 := ResultAccepted
	if n == 0 {
		status2 = ResultDuplicate
	}
	return Result{ID: b.ID, Status: status2}, n > 0, nil
}

func bumpTx(ctx context.Context, t *sql.Tx) error {
	_, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('bookings_version', '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`)
	return err
}
