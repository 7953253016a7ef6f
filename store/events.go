package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// NewEventID makes a random, globally unique event ID.
func NewEventID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

const eventColumns = `seq, id, booking_id, type, at, counter, clerk, undoes, note, received_at, ticket`

func scanEvent(row interface{ Scan(...any) error }) (Event, error) {
	var e Event
	var at int64
	var undoes sql.NullString
	var received sql.NullInt64
	err := row.Scan(&e.Seq, &e.ID, &e.BookingID, &e.Type, &at, &e.Counter, &e.Clerk, &undoes, &e.Note, &received, &e.Ticket)
	e.At = time.UnixMilli(at)
	e.Undoes = undoes.String
	if received.Valid {
		e.ReceivedAt = time.UnixMilli(received.Int64)
	}
	return e, err
}

// Append writes an event to the log and returns once it is on disk. An event
// whose ID is already logged is ignored, so appending is idempotent.
func (db *DB) Append(ctx context.Context, e Event) error {
	return db.tx(ctx, func(t *sql.Tx) error { return appendTx(ctx, t, e) })
}

func appendTx(ctx context.Context, t *sql.Tx, e Event) error {
	_, err := insertEvent(ctx, t, e, false)
	return err
}

// insertEvent appends e unless its ID is logged already; synced marks an
// event that came from (or was acknowledged by) the hub. It reports whether
// the event was new.
func insertEvent(ctx context.Context, t *sql.Tx, e Event, synced bool) (bool, error) {
	if e.ID == "" {
		return false, fmt.Errorf("append %s event for booking %s: no event ID", e.Type, e.BookingID)
	}
	var received any
	if !e.ReceivedAt.IsZero() {
		received = e.ReceivedAt.UnixMilli()
	}
	res, err := t.ExecContext(ctx, `INSERT INTO events (id, booking_id, type, at, counter, clerk, undoes, note, received_at, synced, ticket)
		VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		e.ID, e.BookingID, e.Type, e.At.UnixMilli(), e.Counter, e.Clerk, e.Undoes, e.Note, received, synced, e.Ticket)
	if err != nil {
		return false, fmt.Errorf("append %s event for booking %s: %w", e.Type, e.BookingID, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// Events lists a booking's events in the order they were logged.
func (db *DB) Events(ctx context.Context, bookingID string) ([]Event, error) {
	return db.events(ctx, db.ro, `WHERE booking_id = ? ORDER BY seq`, bookingID)
}

// LastEvent is the most recent event logged at a counter that is not itself
// an undo, or ErrNotFound.
func (db *DB) LastEvent(ctx context.Context, counter string) (Event, error) {
	es, err := db.events(ctx, db.ro, `WHERE counter = ? AND type != 'undone'
		AND id NOT IN (SELECT undoes FROM events WHERE undoes IS NOT NULL)
		ORDER BY seq DESC LIMIT 1`, counter)
	if err != nil {
		return Event{}, err
	}
	if len(es) == 0 {
		return Event{}, fmt.Errorf("last event at counter %s: %w", counter, ErrNotFound)
	}
	return es[0], nil
}

// LastEventBy is LastEvent for one clerk at a counter, among the events
// logged at or after since (the start of the clerk's shift; zero for any
// time): what that clerk may still undo. A call again (Recalled) is
// passed over: it changed nothing to undo.
func (db *DB) LastEventBy(ctx context.Context, counter, clerk string, since time.Time) (Event, error) {
	es, err := db.events(ctx, db.ro, `WHERE counter = ? AND clerk = ? AND at >= ? AND type NOT IN ('undone', 'recalled')
		AND id NOT IN (SELECT undoes FROM events WHERE undoes IS NOT NULL)
		ORDER BY seq DESC LIMIT 1`, counter, clerk, since.UnixMilli())
	if err != nil {
		return Event{}, err
	}
	if len(es) == 0 {
		return Event{}, fmt.Errorf("last event of %s at counter %s: %w", clerk, counter, ErrNotFound)
	}
	return es[0], nil
}

// DayEvents lists the events of every booking of an office's day, by
// booking, in the order they were logged: one query for a whole day.
func (db *DB) DayEvents(ctx context.Context, office, day string) (map[string][]Event, error) {
	es, err := db.events(ctx, db.ro, `WHERE booking_id IN
		(SELECT id FROM bookings WHERE office = ? AND day = ?) ORDER BY seq`, office, day)
	if err != nil {
		return nil, err
	}
	byBooking := map[string][]Event{}
	for _, e := range es {
		byBooking[e.BookingID] = append(byBooking[e.BookingID], e)
	}
	return byBooking, nil
}

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

func (db *DB) events(ctx context.Context, q querier, where string, args ...any) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+eventColumns+` FROM events `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("read events: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Outcome is what a judgement writes: an event, and the booking itself when
// the local list did not have it.
type Outcome struct {
	Event   *Event
	Booking *Booking
	// Ticket, when its letter is set, gives Event (an arrival with no
	// ticket yet) the next ticket of that day and letter, in the same
	// transaction (tickets.go).
	Ticket TicketFor
}

// Judge runs fn with a booking's current events and writes what fn returns
// in the same transaction, so that two scans of one code at once cannot both
// record an arrival. The outcome is on disk when Judge returns.
func (db *DB) Judge(ctx context.Context, bookingID string, fn func([]Event) (Outcome, error)) error {
	return db.tx(ctx, func(t *sql.Tx) error {
		es, err := db.events(ctx, t, `WHERE booking_id = ? ORDER BY seq`, bookingID)
		if err != nil {
			return err
		}
		o, err := fn(es)
		if err != nil {
			return err
		}
		if o.Booking != nil {
			if err := putBookingsTx(ctx, t, []Booking{*o.Booking}); err != nil {
				return err
			}
			if o.Booking.Status == WalkIn { // registered here: to send to the hub
				if _, err := t.ExecContext(ctx, `UPDATE bookings SET pending = 1 WHERE id = ?`, o.Booking.ID); err != nil {
					return err
				}
			}
		}
		if o.Event == nil {
			return nil
		}
		if o.Ticket.Letter != "" && o.Event.Type == Arrived && o.Event.Ticket == "" {
			o.Event.Ticket, err = giveTicketTx(ctx, t, o.Ticket.Day, o.Ticket.Letter)
			if errors.Is(err, ErrNoTicket) { // the arrival counts more than its number
				slog.Warn("arrival recorded without a ticket", "booking", bookingID, "err", err)
				err = nil
			}
			if err != nil {
				return err
			}
		}
		return appendTx(ctx, t, *o.Event)
	})
}
