package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Why the hub will not hold a request (see HoldRequest).
var (
	ErrPersonHolds = errors.New("the person holds a booking or a request already")
	ErrSlotFull    = errors.New("the slot is full")
)

// HoldRequest stores a pending booking request if, at now, its slot has
// fewer than capacity bookings and live requests of its kind and its
// person holds no booking or live request. The check and the insert are
// one transaction, so a rush of requests never fills a slot past capacity
// nor gives one person two. mail, when given, is the e-mail asking to
// confirm: it joins the outbox in the same transaction (worth sending until
// the request lapses), so a held slot always has its e-mail on the way.
//
// A person who holds something already gets ErrPersonHolds, yet the slot
// is held all the same, without an e-mail, until the request lapses: the
// booking site shows everyone the same page and the same free places, so
// nobody learns from it whether a person has a booking. The slot is checked
// first for the same reason: a full slot is refused whoever asks.
func (db *DB) HoldRequest(ctx context.Context, r Request, capacity int, now time.Time, mail []byte) error {
	decoy := false
	err := db.tx(ctx, func(t *sql.Tx) error {
		personal, inSlot, err := holds(ctx, t, r.Person, r.SlotStart, r.Kind, now)
		switch {
		case err != nil:
			return fmt.Errorf("hold request: %w", err)
		case inSlot >= max(capacity, 1):
			return ErrSlotFull
		case personal > 0:
			decoy, r.Email, mail = true, "", nil
		}
		if err := putRequestTx(ctx, t, r); err != nil {
			return fmt.Errorf("hold request: %w", err)
		}
		if mail == nil {
			return nil
		}
		return enqueueMailUntil(ctx, t, r.Email, mail, now, r.Expires)
	})
	if err == nil && decoy {
		err = ErrPersonHolds
	}
	return err
}

// Confirmation is a booking the hub adds, with what the citizen's side
// keeps of it: whose it is (a hash), the e-mail address and language its
// letters go to and the hash of its cancel token (all empty for a booking
// made without the site), and the e-mail to send now (nil: none).
type Confirmation struct {
	Booking     Booking
	Person      string
	Email, Lang string
	CancelHash  string
	Mail        []byte
}

// ConfirmRequest confirms the request token names: in one transaction it
// stores the booking build makes of it (given the request and the next
// free booking ID), its contact and its e-mail, and marks the request
// confirmed. Confirming again (a second press, a reload) gives the same
// booking and sends nothing. A request that lapsed before now, or whose
// slot has begun, is deleted and, like an unknown token, gives ErrNotFound.
func (db *DB) ConfirmRequest(ctx context.Context, token string, now time.Time, build func(Request, uint64) (Confirmation, error)) (Booking, error) {
	var b Booking
	lapsed := false
	err := db.tx(ctx, func(t *sql.Tx) error {
		var r Request
		var start, expires int64
		var done string
		err := t.QueryRowContext(ctx, `SELECT token, booking, person, slot_start, kind, expires_at, email, lang, booking_id
			FROM requests WHERE token = ?`, token).Scan(&r.Token, &r.Booking, &r.Person, &start, &r.Kind, &expires, &r.Email, &r.Lang, &done)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return ErrNotFound
		case err != nil:
			return err
		case done != "":
			b, err = scanBooking(t.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE id = ?`, done))
			return err
		}
		r.SlotStart, r.Expires = time.Unix(start, 0), time.Unix(expires, 0)
		if !now.Before(r.Expires) || !now.Before(r.SlotStart) {
			lapsed = true
			_, err := t.ExecContext(ctx, `DELETE FROM requests WHERE token = ?`, token)
			return err // the deletion stands
		}
		id, err := nextBookingID(ctx, t)
		if err != nil {
			return err
		}
		c, err := build(r, id)
		if err != nil {
			return err
		}
		if err := addTx(ctx, t, c, now); err != nil {
			return err
		}
		b = c.Booking
		_, err = t.ExecContext(ctx, `UPDATE requests SET booking_id = ?, email = '' WHERE token = ?`, b.ID, token)
		return err
	})
	if err == nil && lapsed {
		err = ErrNotFound
	}
	return b, err
}

// AddBooking stores, in one transaction, the booking build makes given
// the next free booking ID, with its contact and its e-mail.
func (db *DB) AddBooking(ctx context.Context, now time.Time, build func(uint64) (Confirmation, error)) (Booking, error) {
	var c Confirmation
	err := db.tx(ctx, func(t *sql.Tx) error {
		id, err := nextBookingID(ctx, t)
		if err != nil {
			return err
		}
		if c, err = build(id); err != nil {
			return err
		}
		return addTx(ctx, t, c, now)
	})
	return c.Booking, err
}

func nextBookingID(ctx context.Context, t *sql.Tx) (uint64, error) {
	var max sql.NullInt64
	if err := t.QueryRowContext(ctx, `SELECT max(CAST(id AS INTEGER)) FROM bookings`).Scan(&max); err != nil {
		return 0, fmt.Errorf("next booking id: %w", err)
	}
	return uint64(max.Int64) + 1, nil
}

func addTx(ctx context.Context, t *sql.Tx, c Confirmation, now time.Time) error {
	if err := putBookingsTx(ctx, t, []Booking{c.Booking}); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `UPDATE bookings SET person = ? WHERE id = ?`, c.Person, c.Booking.ID); err != nil {
		return fmt.Errorf("add booking %s: %w", c.Booking.ID, err)
	}
	if c.Email != "" {
		if _, err := t.ExecContext(ctx, `INSERT INTO contacts (booking_id, email, lang, cancel_hash) VALUES (?, ?, ?, ?)`,
			c.Booking.ID, c.Email, c.Lang, c.CancelHash); err != nil {
			return fmt.Errorf("add booking %s: contact: %w", c.Booking.ID, err)
		}
	}
	if c.Mail != nil { // worth sending until the booked time
		if err := enqueueMailUntil(ctx, t, c.Email, c.Mail, now, c.Booking.SlotStart); err != nil {
			return err
		}
	}
	return bumpTx(ctx, t)
}

// Contact is where a booking's letters go.
type Contact struct {
	Email, Lang string
	Person      string // the booking's person hash
}

// ContactOf finds the contact of a booking made on the site.
func (db *DB) ContactOf(ctx context.Context, bookingID string) (Contact, error) {
	var c Contact
	err := db.ro.QueryRowContext(ctx, `SELECT c.email, c.lang, b.person FROM contacts c JOIN bookings b ON b.id = c.booking_id
		WHERE c.booking_id = ?`, bookingID).Scan(&c.Email, &c.Lang, &c.Person)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("contact of booking %s: %w", bookingID, ErrNotFound)
	}
	return c, err
}

// ErrStarted: the booking's time has begun or passed; it can no longer be
// cancelled by its citizen.
var ErrStarted = errors.New("the appointment has begun or passed")

// BookingByCancel finds the confirmed booking whose cancel token hashes to
// hash, if its time is still ahead at now.
func (db *DB) BookingByCancel(ctx context.Context, hash string, now time.Time) (Booking, error) {
	return byCancel(ctx, db.ro, hash, now)
}

func byCancel(ctx context.Context, q rowQuerier, hash string, now time.Time) (Booking, error) {
	b, err := scanBooking(q.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE status = 'confirmed' AND id =
		(SELECT booking_id FROM contacts WHERE cancel_hash = ?)`, hash))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Booking{}, ErrNotFound
	case err != nil:
		return Booking{}, err
	case !now.Before(b.SlotStart):
		return b, ErrStarted
	}
	return b, nil
}

// CancelByHash cancels the confirmed booking whose cancel token hashes to
// hash, if its time is still ahead at now, and forgets its contact: the
// token works once, and the e-mail address is not needed any more. The
// counters learn it with the next pack.
func (db *DB) CancelByHash(ctx context.Context, hash string, now time.Time) (Booking, error) {
	var b Booking
	err := db.tx(ctx, func(t *sql.Tx) error {
		var err error
		if b, err = byCancel(ctx, t, hash, now); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE bookings SET status = 'cancelled' WHERE id = ?`, b.ID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM contacts WHERE booking_id = ?`, b.ID); err != nil {
			return err
		}
		b.Status = Cancelled
		return bumpTx(ctx, t)
	})
	return b, err
}

// DeleteLapsed deletes the requests past their confirmation time: what a
// citizen typed is kept no longer than that (a confirmed one is a booking
// by then, and its marker goes too).
func (db *DB) DeleteLapsed(ctx context.Context, now time.Time) (int, error) {
	res, err := db.sql.ExecContext(ctx, `DELETE FROM requests WHERE expires_at <= ?`, now.Unix())
	if err != nil {
		return 0, fmt.Errorf("delete lapsed requests: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Taken counts, per slot start between from and to, the confirmed
// bookings and the requests live at now, of one kind. The keys are in UTC:
// compare them by instant (Unix), not as map keys of another location.
func (db *DB) Taken(ctx context.Context, from, to time.Time, kind Kind, now time.Time) (map[time.Time]int, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT slot_start, count(*) FROM (
			SELECT slot_start FROM bookings WHERE kind = ? AND status = 'confirmed' AND slot_start >= ? AND slot_start < ?
			UNION ALL
			SELECT slot_start FROM requests WHERE kind = ? AND expires_at > ? AND booking_id = '' AND slot_start >= ? AND slot_start < ?)
		GROUP BY slot_start`, kind, from.Unix(), to.Unix(), kind, now.Unix(), from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("taken slots: %w", err)
	}
	defer rows.Close()
	taken := map[time.Time]int{}
	for rows.Next() {
		var start int64
		var n int
		if err := rows.Scan(&start, &n); err != nil {
			return nil, err
		}
		taken[time.Unix(start, 0).UTC()] = n
	}
	return taken, rows.Err()
}
