package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

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
	// Bookings calls put for every booking, each already verified; an
	// error from it or from put stops the install.
	Bookings func(put func(Booking) error) error
}

// packBatch is how many bookings are gathered, then sorted by ID, before
// they are written: a pack comes in slot order, and its IDs, in no order,
// would otherwise touch pages all over the ID index in every transaction
// (2.3 times slower for a million bookings). packTxTime bounds one write
// transaction, so that a check-in waiting for the writer never waits
// longer.
const (
	packBatch  = 65536
	packTxTime = 25 * time.Millisecond
)

// upsertPackBooking is upsertBooking leaving alone a row the pack does not
// change: a pack installed again writes only what changed.
const upsertPackBooking = upsertBooking + `
	WHERE office IS NOT excluded.office OR day IS NOT excluded.day OR slot_start IS NOT excluded.slot_start
		OR slot_minutes IS NOT excluded.slot_minutes OR kind IS NOT excluded.kind OR name IS NOT excluded.name
		OR reason IS NOT excluded.reason OR status IS NOT excluded.status OR birth_date IS NOT excluded.birth_date
		OR ready_on IS NOT excluded.ready_on OR excluded.code IS NOT NULL AND code IS NOT excluded.code`

// PackSequence is the sequence number of the last installed pack, 0 if none.
func (db *DB) PackSequence(ctx context.Context) (int64, error) {
	v, err := db.Setting(ctx, keyPackSequence)
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// InstallPack installs a verified pack: bookings (inserted or updated),
// then cancellations and revocations, in short transactions of at most
// packTxTime each, so that the counter's own writes (a check-in) slip in
// between them; then, in one last short transaction, the keys, the office
// settings and the sequence number. The event log is never touched. A
// database that was a demo office stops being one.
//
// An install that stops half-way (an error, a full disk, a killed
// process) leaves some of the pack's verified bookings written and the
// sequence number unchanged: the same pack installs again.
func (db *DB) InstallPack(ctx context.Context, p PackContents) error {
	w := &packWriter{db: db}
	defer w.restoreCache(ctx)
	batch := make([]Booking, 0, packBatch)
	err := p.Bookings(func(b Booking) error {
		if batch = append(batch, b); len(batch) < packBatch {
			return nil
		}
		err := w.bookings(ctx, batch)
		batch = batch[:0]
		return err
	})
	if err == nil {
		err = w.bookings(ctx, batch)
	}
	if err != nil {
		return err
	}
	for status, ids := range map[Status][]string{Cancelled: p.Cancelled, Replaced: p.Revoked} {
		err := w.write(ctx, `UPDATE bookings SET status = ? WHERE id = ?`, len(ids), func(st *sql.Stmt, i int) error {
			if _, err := st.ExecContext(ctx, status, ids[i]); err != nil {
				return fmt.Errorf("mark booking %s %s: %w", ids[i], status, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return db.tx(ctx, func(t *sql.Tx) error { return finishPackTx(ctx, t, p) })
}

// packWriter writes rows in transactions of at most packTxTime.
type packWriter struct {
	db     *DB
	cached bool // the writer's page cache was enlarged
}

// bookings writes a batch, sorted by ID.
func (w *packWriter) bookings(ctx context.Context, batch []Booking) error {
	slices.SortFunc(batch, func(a, b Booking) int { return strings.Compare(a.ID, b.ID) })
	return w.write(ctx, upsertPackBooking, len(batch), func(st *sql.Stmt, i int) error { return putBooking(ctx, st, batch[i]) })
}

// write calls put for rows 0 to n-1 with query prepared, committing
// whenever a transaction has taken packTxTime.
func (w *packWriter) write(ctx context.Context, query string, n int, put func(st *sql.Stmt, i int) error) error {
	for i := 0; i < n; {
		err := w.db.tx(ctx, func(t *sql.Tx) error {
			if !w.cached {
				// A large pack grows its B-trees at scattered places: give
				// the writer a page cache that holds most of them (64 MiB).
				if _, err := t.ExecContext(ctx, `PRAGMA cache_size = -65536`); err != nil {
					return err
				}
				w.cached = true
			}
			st, err := t.PrepareContext(ctx, query)
			if err != nil {
				return err
			}
			defer st.Close()
			start := i
			for deadline := time.Now().Add(packTxTime); i < n && (i == start || time.Now().Before(deadline)); i++ {
				if err := put(st, i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// restoreCache gives the writer back its usual page cache.
func (w *packWriter) restoreCache(ctx context.Context) {
	if w.cached {
		ctx = context.WithoutCancel(ctx)
		w.db.tx(ctx, func(t *sql.Tx) error {
			_, err := t.ExecContext(ctx, `PRAGMA cache_size = -2000`)
			return err
		})
	}
}

// finishPackTx writes the keys, the office settings and the sequence.
func finishPackTx(ctx context.Context, t *sql.Tx, p PackContents) error {
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
}

func setSettingTx(ctx context.Context, t *sql.Tx, key, value string) error {
	_, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}
