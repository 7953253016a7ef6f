package store

import (
	"context"
	"database/sql"
	"strconv"
)

// keyRetention is how many days of bookings and events a database keeps.
const keyRetention = "retention_days"

// DefaultRetention is the number of days kept when none is set.
const DefaultRetention = 90

// Retention is the number of days kept.
func (db *DB) Retention(ctx context.Context) (int, error) {
	v, err := db.Setting(ctx, keyRetention)
	if err != nil || v == "" {
		return DefaultRetention, err
	}
	return strconv.Atoi(v)
}

// SetRetention sets the number of days kept.
func (db *DB) SetRetention(ctx context.Context, days int) error {
	return db.SetSetting(ctx, keyRetention, strconv.Itoa(days))
}

// Purge deletes the bookings of days before the given one (YYYY-MM-DD) and
// their events: personal data is kept no longer than needed. A booking
// with an event the hub has not acknowledged yet is kept until it has.
// It returns how many bookings were deleted.
func (db *DB) Purge(ctx context.Context, before string) (int, error) {
	var n int64
	err := db.tx(ctx, func(t *sql.Tx) error {
		const old = `SELECT id FROM bookings WHERE day < ? AND id NOT IN
			(SELECT booking_id FROM events WHERE synced = 0 AND EXISTS
				(SELECT 1 FROM settings WHERE key = ? AND value = '1'))`
		if _, err := t.ExecContext(ctx, `DELETE FROM events WHERE booking_id IN (`+old+`)`, before, keyHubLinked); err != nil {
			return err
		}
		res, err := t.ExecContext(ctx, `DELETE FROM bookings WHERE id IN (`+old+`)`, before, keyHubLinked)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		// A citizen's e-mail address goes with the booking it was for.
		_, err = t.ExecContext(ctx, `DELETE FROM contacts WHERE booking_id NOT IN (SELECT id FROM bookings)`)
		return err
	})
	return int(n), err
}
