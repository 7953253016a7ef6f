package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
)

// keyPackSequence holds the sequence number of the last installed pack.
const keyPackSequence = "pack_sequence"

// PackContents is a verified day pack, ready to install.
type PackContents struct {
	Office    calendar.Calendar
	Fees      rules.Fees
	Keys      rescode.Keyring
	Sequence  int64
	Cancelled []string // booking IDs cancelled in the booking system
	Revoked   []string // booking IDs whose codes were revoked (replaced)
	// Bookings calls put for every booking, in the same transaction; an
	// error from it or from put undoes the whole install.
	Bookings func(put func(Booking) error) error
	// Large says the pack holds many bookings: the day index is rebuilt
	// once at the end instead of grown row by row.
	Large bool
}

// createDayIndex is migration 4's day index, rebuilt after a large import.
const createDayIndex = `CREATE INDEX bookings_day ON bookings (office, day, slot_start)`

// PackSequence is the sequence number of the last installed pack, 0 if none.
func (db *DB) PackSequence(ctx context.Context) (int64, error) {
	v, err := db.Setting(ctx, keyPackSequence)
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// InstallPack installs a verified pack in one transaction: office settings,
// keys, bookings (inserted or updated), cancellations and revocations, the
// sequence number. The event log is never touched. A database that was a
// demo office stops being one.
func (db *DB) InstallPack(ctx context.Context, p PackContents) error {
	return db.tx(ctx, func(t *sql.Tx) error {
		// A large pack grows its B-trees at scattered places: give this
		// connection a page cache that holds most of them (64 MiB at most).
		if _, err := t.ExecContext(ctx, `PRAGMA cache_size = -65536`); err != nil {
			return err
		}
		defer t.ExecContext(ctx, `PRAGMA cache_size = -2000`)
		if p.Large {
			if _, err := t.ExecContext(ctx, `DROP INDEX bookings_day`); err != nil {
				return err
			}
		}
		st, err := t.PrepareContext(ctx, upsertBooking)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := p.Bookings(func(b Booking) error { return putBooking(ctx, st, b) }); err != nil {
			return err
		}
		if p.Large {
			if _, err := t.ExecContext(ctx, createDayIndex); err != nil {
				return err
			}
		}
		for status, ids := range map[Status][]string{Cancelled: p.Cancelled, Replaced: p.Revoked} {
			for _, id := range ids {
				if _, err := t.ExecContext(ctx, `UPDATE bookings SET status = ? WHERE id = ?`, status, id); err != nil {
					return fmt.Errorf("mark booking %s %s: %w", id, status, err)
				}
			}
		}
		if err := putKeysTx(ctx, t, p.Keys); err != nil {
			return err
		}
		cal, err := json.Marshal(p.Office)
		if err != nil {
			return err
		}
		fees, err := json.Marshal(p.Fees)
		if err != nil {
			return err
		}
		for k, v := range map[string]string{keyCalendar: string(cal), keyFees: string(fees),
			keyPackSequence: strconv.FormatInt(p.Sequence, 10), "demo": "0"} {
			if err := setSettingTx(ctx, t, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

func setSettingTx(ctx context.Context, t *sql.Tx, key, value string) error {
	_, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}
