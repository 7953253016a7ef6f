package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

const bookingColumns = `id, office, day, slot_start, slot_minutes, kind, name, reason, status, birth_date, ready_on, code, document, pickup_office`

func scanBooking(row interface{ Scan(...any) error }) (Booking, error) {
	var b Booking
	var start int64
	var code sql.NullString
	err := row.Scan(&b.ID, &b.Office, &b.Day, &start, &b.SlotMinutes, &b.Kind,
		&b.Name, &b.Reason, &b.Status, &b.BirthDate, &b.ReadyOn, &code, &b.Document, &b.PickupOffice)
	b.SlotStart = time.Unix(start, 0)
	b.Code = code.String
	return b, err
}

// PutBookings inserts or replaces bookings, all in one transaction. Events
// are never touched.
func (db *DB) PutBookings(ctx context.Context, bs []Booking) error {
	return db.tx(ctx, func(t *sql.Tx) error { return putBookingsTx(ctx, t, bs) })
}

const upsertBooking = `INSERT INTO bookings (` + bookingColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?)` + upsertTail

const upsertTail = `
	ON CONFLICT (id) DO UPDATE SET office = excluded.office, day = excluded.day,
		slot_start = excluded.slot_start, slot_minutes = excluded.slot_minutes,
		kind = excluded.kind, name = excluded.name, reason = excluded.reason,
		status = excluded.status, birth_date = excluded.birth_date,
		ready_on = excluded.ready_on, code = coalesce(excluded.code, code),
		document = excluded.document, pickup_office = excluded.pickup_office`

func putBookingsTx(ctx context.Context, t *sql.Tx, bs []Booking) error {
	st, err := t.PrepareContext(ctx, upsertBooking)
	if err != nil {
		return fmt.Errorf("put bookings: %w", err)
	}
	defer st.Close()
	for _, b := range bs {
		if err := putBooking(ctx, st, b); err != nil {
			return err
		}
	}
	return nil
}

func putBooking(ctx context.Context, st *sql.Stmt, b Booking) error {
	if b.Status == "" {
		b.Status = Confirmed
	}
	_, err := st.ExecContext(ctx, b.ID, b.Office, b.Day, b.SlotStart.Unix(), b.SlotMinutes,
		b.Kind, b.Name, b.Reason, b.Status, b.BirthDate, b.ReadyOn, b.Code, b.Document, b.PickupOffice)
	if err != nil {
		return fmt.Errorf("put booking %s: %w", b.ID, err)
	}
	return nil
}

// BookingByID finds a booking by its ID.
func (db *DB) BookingByID(ctx context.Context, id string) (Booking, error) {
	row := db.ro.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE id = ?`, id)
	b, err := scanBooking(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Booking{}, fmt.Errorf("booking %s: %w", id, ErrNotFound)
	}
	return b, err
}

// DayBookings lists an office's bookings of one day (YYYY-MM-DD), by slot.
func (db *DB) DayBookings(ctx context.Context, office, day string) ([]Booking, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+bookingColumns+` FROM bookings
		WHERE office = ? AND day = ? ORDER BY slot_start, name`, office, day)
	if err != nil {
		return nil, fmt.Errorf("list bookings of %s: %w", day, err)
	}
	defer rows.Close()
	var out []Booking
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, fmt.Errorf("list bookings of %s: %w", day, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Setting reads one office setting; a missing key gives "".
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.ro.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// FirstSetting stores value under key unless the key holds one already
// (a non-empty one), and returns the value the key holds: the first
// writer wins, whoever races it, in this process or another.
func (db *DB) FirstSetting(ctx context.Context, key, value string) (string, error) {
	var v string
	err := db.tx(ctx, func(t *sql.Tx) error {
		if _, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE settings.value = ''`, key, value); err != nil {
			return err
		}
		return t.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	})
	if err != nil {
		return "", fmt.Errorf("write setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting stores one office setting.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	_, err := db.sql.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}
