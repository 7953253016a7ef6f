package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
)

// PutCounter enrolls a counter (or gives it a new token), un-revoking it.
func (db *DB) PutCounter(ctx context.Context, id, tokenHash string, now time.Time) error {
	_, err := db.sql.ExecContext(ctx, `INSERT INTO counters (id, token_hash, created_at) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, revoked = 0`, id, tokenHash, now.Unix())
	if err != nil {
		return fmt.Errorf("enroll counter %s: %w", id, err)
	}
	return nil
}

// RevokeCounter stops a counter's token from working.
func (db *DB) RevokeCounter(ctx context.Context, id string) error {
	res, err := db.sql.ExecContext(ctx, `UPDATE counters SET revoked = 1 WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("revoke counter %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("revoke counter %s: %w", id, ErrNotFound)
	}
	return nil
}

// CounterEnrolled reports whether a counter holds a token that works.
func (db *DB) CounterEnrolled(ctx context.Context, id string) (bool, error) {
	var n int
	err := db.ro.QueryRowContext(ctx, `SELECT count(*) FROM counters WHERE id = ? AND revoked = 0`, id).Scan(&n)
	return n > 0, err
}

// CounterByToken finds the counter a token hash belongs to.
func (db *DB) CounterByToken(ctx context.Context, tokenHash string) (id string, revoked bool, err error) {
	err = db.ro.QueryRowContext(ctx, `SELECT id, revoked FROM counters WHERE token_hash = ?`, tokenHash).Scan(&id, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, ErrNotFound
	}
	return id, revoked, err
}

// Request is a booking waiting for the citizen's confirmation by e-mail.
type Request struct {
	Token     string
	Booking   string // JSON of the booking to create
	Person    string
	SlotStart time.Time
	Kind      Kind
	Expires   time.Time
	Email     string // where the confirmation goes (the booking site's requests)
	Lang      string // the site's language when it was asked
}

// PutRequest stores a pending booking request.
func (db *DB) PutRequest(ctx context.Context, r Request) error {
	return db.tx(ctx, func(t *sql.Tx) error { return putRequestTx(ctx, t, r) })
}

func putRequestTx(ctx context.Context, t *sql.Tx, r Request) error {
	_, err := t.ExecContext(ctx, `INSERT INTO requests (token, booking, person, slot_start, kind, expires_at, email, lang)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.Token, r.Booking, r.Person, r.SlotStart.Unix(), r.Kind, r.Expires.Unix(), r.Email, r.Lang)
	return err
}

// TakeRequest removes and returns a pending request.
func (db *DB) TakeRequest(ctx context.Context, token string) (Request, error) {
	var r Request
	err := db.tx(ctx, func(t *sql.Tx) (err error) {
		r, err = takeRequestTx(ctx, t, token)
		return err
	})
	return r, err
}

func takeRequestTx(ctx context.Context, t *sql.Tx, token string) (Request, error) {
	var r Request
	var start, expires int64
	err := t.QueryRowContext(ctx, `SELECT token, booking, person, slot_start, kind, expires_at, email, lang FROM requests WHERE token = ?`,
		token).Scan(&r.Token, &r.Booking, &r.Person, &start, &r.Kind, &expires, &r.Email, &r.Lang)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, err
	}
	r.SlotStart, r.Expires = time.Unix(start, 0), time.Unix(expires, 0)
	_, err = t.ExecContext(ctx, `DELETE FROM requests WHERE token = ?`, token)
	return r, err
}

// Holds counts what stands in the way of a new booking at now: the person's
// bookings and live requests with a slot still ahead, and the bookings and
// live requests of that kind in the same slot. A booking whose person a
// counter refused (a Refused event the hub holds, not undone) is cancelled
// by that refusal and holds nothing: the person books anew (seed 003).
func (db *DB) Holds(ctx context.Context, person string, slot time.Time, kind Kind, now time.Time) (personal, inSlot int, err error) {
	return holds(ctx, db.ro, person, slot, kind, now)
}

// rowQuerier is what holds reads with: the readers, or a write
// transaction that must see its own rows.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func holds(ctx context.Context, q rowQuerier, person string, slot time.Time, kind Kind, now time.Time) (personal, inSlot int, err error) {
	err = q.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM bookings b WHERE person = ? AND person != '' AND status = 'confirmed' AND slot_start > ?
			AND NOT EXISTS (SELECT 1 FROM events r WHERE r.booking_id = b.id AND r.type = 'refused'
				AND NOT EXISTS (SELECT 1 FROM events u WHERE u.type = 'undone' AND u.undoes = r.id))) +
		(SELECT count(*) FROM requests WHERE person = ? AND expires_at > ? AND booking_id = ''),
		(SELECT count(*) FROM bookings WHERE slot_start = ? AND kind = ? AND status = 'confirmed') +
		(SELECT count(*) FROM requests WHERE slot_start = ? AND kind = ? AND expires_at > ? AND booking_id = '')`,
		person, now.Unix(), person, now.Unix(), slot.Unix(), kind, slot.Unix(), kind, now.Unix()).Scan(&personal, &inSlot)
	return personal, inSlot, err
}

// NextBookingID is one more than the highest numeric booking ID.
func (db *DB) NextBookingID(ctx context.Context) (uint64, error) {
	var max sql.NullInt64
	if err := db.ro.QueryRowContext(ctx, `SELECT max(CAST(id AS INTEGER)) FROM bookings`).Scan(&max); err != nil {
		return 0, err
	}
	return uint64(max.Int64) + 1, nil
}

// SetPerson records whose a booking is (a hash, see store/hub).
func (db *DB) SetPerson(ctx context.Context, bookingID, person string) error {
	_, err := db.sql.ExecContext(ctx, `UPDATE bookings SET person = ? WHERE id = ?`, person, bookingID)
	return err
}

// SetStatus changes a booking's status in the booking system.
func (db *DB) SetStatus(ctx context.Context, bookingID string, s Status) error {
	res, err := db.sql.ExecContext(ctx, `UPDATE bookings SET status = ? WHERE id = ?`, s, bookingID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("booking %s: %w", bookingID, ErrNotFound)
	}
	return nil
}

// BookingsBetween streams the bookings whose day is in [from, to].
func (db *DB) BookingsBetween(ctx context.Context, office, from, to string, fn func(Booking) error) error {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+bookingColumns+` FROM bookings
		WHERE office = ? AND day BETWEEN ? AND ? ORDER BY slot_start, id`, office, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Version counts changes to the bookings; packs carry it as their sequence.
func (db *DB) Version(ctx context.Context) (int64, error) {
	v, err := db.Setting(ctx, "bookings_version")
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// Bump increments the bookings' version.
func (db *DB) Bump(ctx context.Context) error {
	return db.tx(ctx, func(t *sql.Tx) error { return bumpTx(ctx, t) })
}

// LeaveDemo prepares a database for a real office's hub, trusting keys from
// then on. A demo database loses all the demo: its office, keys, bookings
// and the practice recorded on them (which must never reach a real office,
// where a demo booking's ID may be a real person's). A database that held a
// real office already (from a pack on a stick) keeps its bookings and events
// and only trusts the hub's keys.
func (db *DB) LeaveDemo(ctx context.Context, keys rescode.Keyring) error {
	return db.tx(ctx, func(t *sql.Tx) error {
		var demo string
		err := t.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'demo'`).Scan(&demo)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		qs := []string{`DELETE FROM keys`}
		if demo == "1" {
			qs = append(qs, `DELETE FROM events`, `DELETE FROM bookings`,
				`DELETE FROM settings WHERE key IN ('calendar', 'fees', 'pack_sequence', 'demo')`)
		}
		for _, q := range qs {
			if _, err := t.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return putKeysTx(ctx, t, keys)
	})
}

// RehashPersons gives every booking that has a person hash a new one, made
// by hash from its name and birth date. It returns how many.
func (db *DB) RehashPersons(ctx context.Context, hash func(name, birth string) string) (int, error) {
	n := 0
	err := db.tx(ctx, func(t *sql.Tx) error {
		rows, err := t.QueryContext(ctx, `SELECT id, name, birth_date FROM bookings WHERE person != ''`)
		if err != nil {
			return err
		}
		type row struct{ id, name, birth string }
		var all []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.name, &r.birth); err != nil {
				rows.Close()
				return err
			}
			all = append(all, r)
		}
		rows.Close()
		for _, r := range all {
			if _, err := t.ExecContext(ctx, `UPDATE bookings SET person = ? WHERE id = ?`, hash(r.name, r.birth), r.id); err != nil {
				return err
			}
		}
		n = len(all)
		return rows.Err()
	})
	return n, err
}
