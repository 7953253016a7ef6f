package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Outbox lists up to limit (-1: all) events written here that the hub has neither
// acknowledged nor refused yet, oldest first.
func (db *DB) Outbox(ctx context.Context, limit int) ([]Event, error) {
	return db.events(ctx, db.ro, `WHERE synced = 0 AND parked = '' ORDER BY seq LIMIT ?`, limit)
}

// OutboxSize counts the events waiting for the hub, and the events and
// walk-ins the hub refused (parked).
func (db *DB) OutboxSize(ctx context.Context) (pending, parked int, err error) {
	err = db.ro.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM events WHERE synced = 0 AND parked = '') +
		(SELECT count(*) FROM bookings WHERE pending = 1 AND parked = ''),
		(SELECT count(*) FROM events WHERE parked != '') +
		(SELECT count(*) FROM bookings WHERE parked != '')`).Scan(&pending, &parked)
	if err != nil {
		return 0, 0, fmt.Errorf("count the outbox: %w", err)
	}
	return pending, parked, nil
}

// Result is the hub's answer about one event or walk-in a counter sent.
type Result struct {
	ID     string `json:"id"`
	Status string `json:"status"` // ResultAccepted, ResultDuplicate or ResultRefused
	Reason string `json:"reason,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Counter is, for an event, the counter the hub recorded it for: the
	// one its token belongs to, whatever the event said.
	Counter string `json:"counter,omitempty"`
}

// Result statuses.
const (
	ResultAccepted  = "accepted"  // new at the hub
	ResultDuplicate = "duplicate" // the hub had it already
	ResultRefused   = "refused"   // never: parked on the counter with the reason
)

// ApplyResults records the hub's answers: accepted and duplicate events are
// synced (under the counter name the hub gave them), refused ones are
// parked with the reason and leave the outbox, so that they never hold up
// the others. Walk-ins likewise.
func (db *DB) ApplyResults(ctx context.Context, events, walkIns []Result) error {
	return db.tx(ctx, func(t *sql.Tx) error {
		for _, r := range events {
			q, args := `UPDATE events SET synced = 1, counter = coalesce(NULLIF(?, ''), counter) WHERE id = ?`, []any{r.Counter, r.ID}
			if r.Status == ResultRefused {
				q, args = `UPDATE events SET parked = ? WHERE id = ? AND synced = 0`, []any{parkedText(r), r.ID}
			}
			if _, err := t.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("record the hub's answer for event %s: %w", r.ID, err)
			}
		}
		for _, r := range walkIns {
			q, args := `UPDATE bookings SET pending = 0 WHERE id = ?`, []any{r.ID}
			if r.Status == ResultRefused {
				q, args = `UPDATE bookings SET parked = ? WHERE id = ?`, []any{parkedText(r), r.ID}
			}
			if _, err := t.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("record the hub's answer for walk-in %s: %w", r.ID, err)
			}
		}
		return nil
	})
}

func parkedText(r Result) string {
	if r.Reason == "" {
		r.Reason = "refused"
	}
	return r.Reason + ": " + r.Detail
}

// Parked is an event or a walk-in that the hub refused, with its reason.
type Parked struct {
	Event  *Event   `json:"event,omitempty"`
	WalkIn *Booking `json:"walk_in,omitempty"`
	Reason string   `json:"reason"` // a machine name, see Result
	Detail string   `json:"detail"`
}

// ParkedItems lists what the hub refused, oldest first.
func (db *DB) ParkedItems(ctx context.Context) ([]Parked, error) {
	var out []Parked
	rows, err := db.ro.QueryContext(ctx, `SELECT `+eventColumns+`, parked FROM events WHERE parked != '' ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("list parked events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Event
		var why string
		if e, err = scanEvent(scanPlus{rows, &why}); err != nil {
			return nil, fmt.Errorf("list parked events: %w", err)
		}
		p := Parked{Event: &e}
		p.Reason, p.Detail, _ = strings.Cut(why, ": ")
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	wrows, err := db.ro.QueryContext(ctx, `SELECT `+bookingColumns+`, parked FROM bookings WHERE parked != '' ORDER BY slot_start`)
	if err != nil {
		return nil, fmt.Errorf("list parked walk-ins: %w", err)
	}
	defer wrows.Close()
	for wrows.Next() {
		var why string
		b, err := scanBooking(scanPlus{wrows, &why})
		if err != nil {
			return nil, fmt.Errorf("list parked walk-ins: %w", err)
		}
		p := Parked{WalkIn: &b}
		p.Reason, p.Detail, _ = strings.Cut(why, ": ")
		out = append(out, p)
	}
	return out, wrows.Err()
}

// scanPlus scans a row with one more column than the scanner it is
// handed to expects, into extra.
type scanPlus struct {
	row   interface{ Scan(...any) error }
	extra any
}

func (s scanPlus) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra)...) }

// RetryParked puts what the hub refused back in the outbox (after the
// cause was mended, say a hub with new limits). It returns how many.
func (db *DB) RetryParked(ctx context.Context) (int, error) {
	var n int64
	err := db.tx(ctx, func(t *sql.Tx) error {
		for _, q := range []string{`UPDATE events SET parked = '' WHERE parked != ''`,
			`UPDATE bookings SET parked = '' WHERE parked != ''`} {
			res, err := t.ExecContext(ctx, q)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			n += k
		}
		return nil
	})
	return int(n), err
}

// PendingWalkIns lists up to limit (-1: all) walk-ins registered here that
// the hub has not acknowledged (nor refused) yet.
func (db *DB) PendingWalkIns(ctx context.Context, limit int) ([]Booking, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+bookingColumns+` FROM bookings
		WHERE pending = 1 AND parked = '' ORDER BY slot_start, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list walk-ins to send: %w", err)
	}
	defer rows.Close()
	var out []Booking
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Receive stores events that came from the hub (this counter's and the
// others') as synced; events already logged are skipped, but learn when
// the hub received them and which counter the hub recorded them for. It
// returns how many were new.
func (db *DB) Receive(ctx context.Context, es []Event) (int, error) {
	n := 0
	err := db.tx(ctx, func(t *sql.Tx) error {
		for _, e := range es {
			added, err := insertEvent(ctx, t, e, true)
			if err != nil {
				return err
			}
			if added {
				n++
				continue
			}
			var received any
			if !e.ReceivedAt.IsZero() {
				received = e.ReceivedAt.UnixMilli()
			}
			if _, err := t.ExecContext(ctx, `UPDATE events SET received_at = coalesce(?, received_at),
				counter = ?, synced = 1, parked = '' WHERE id = ?`, received, e.Counter, e.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// EventsAfter lists up to limit events with a sequence number above after,
// in order: the hub serves its counters from this.
func (db *DB) EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error) {
	return db.events(ctx, db.ro, `WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
}

// keyHubLinked marks a counter that trusts a hub's keys (see store/sync).
const keyHubLinked = "hub_trusted"

// HubLinked reports whether this counter is linked to a hub.
func (db *DB) HubLinked(ctx context.Context) (bool, error) {
	v, err := db.Setting(ctx, keyHubLinked)
	return v == "1", err
}

// ForgetHub makes the next contact with a hub a first contact again: its
// keys and its pack are taken anew (a reinstalled hub). Bookings and
// events stay.
func (db *DB) ForgetHub(ctx context.Context) error {
	_, err := db.sql.ExecContext(ctx, `DELETE FROM settings WHERE key IN (?, ?)`, keyHubLinked, keyPackSequence)
	return err
}

// SetHubLinked records that this counter now trusts its hub's keys.
func (db *DB) SetHubLinked(ctx context.Context) error {
	return db.SetSetting(ctx, keyHubLinked, "1")
}

// Settings keys of the trusted clock.
const (
	keyClockOffset  = "clock_offset_ms"
	keyClockChecked = "clock_checked_at"
	keyClockBoot    = "clock_boot_id"
)

// SetClockOffset records how far the hub's clock was ahead of this
// computer's (negative: behind), measured at checked by the hub's clock,
// in this boot of the computer.
func (db *DB) SetClockOffset(ctx context.Context, offset time.Duration, checked time.Time) error {
	return db.tx(ctx, func(t *sql.Tx) error {
		for k, v := range map[string]string{keyClockOffset: strconv.FormatInt(offset.Milliseconds(), 10),
			keyClockChecked: checked.UTC().Format(time.RFC3339Nano), keyClockBoot: bootID()} {
			if err := setSettingTx(ctx, t, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClockOffset is the last measured offset of the hub's clock from this
// computer's, and when it was measured (zero: never, or in an earlier boot
// of the computer: a clock that a dead battery resets at every start, or
// that someone set right since, makes an old offset wrong).
func (db *DB) ClockOffset(ctx context.Context) (time.Duration, time.Time, error) {
	raw, err := db.Setting(ctx, keyClockOffset)
	if err != nil || raw == "" {
		return 0, time.Time{}, err
	}
	boot, err := db.Setting(ctx, keyClockBoot)
	if err != nil || boot != bootID() {
		return 0, time.Time{}, err
	}
	ms, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("clock offset %q: %w", raw, err)
	}
	raw, err = db.Setting(ctx, keyClockChecked)
	if err != nil {
		return 0, time.Time{}, err
	}
	checked, _ := time.Parse(time.RFC3339Nano, raw)
	return time.Duration(ms) * time.Millisecond, checked, nil
}

// bootID names this boot of the computer (Linux), "" where unknown.
func bootID() string {
	id, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	return strings.TrimSpace(string(id))
}

// keyHubCounter is the counter's number as its hub knows it (from the
// enrolment and every hello).
const keyHubCounter = "hub_counter"

// HubCounter is this counter's number as its hub knows it, "" when it is
// not linked. It wins over the number set at the counter, which may be
// mistyped: events go out under the token's counter anyway.
func (db *DB) HubCounter(ctx context.Context) (string, error) { return db.Setting(ctx, keyHubCounter) }

// SetHubCounter records this counter's number as its hub knows it.
func (db *DB) SetHubCounter(ctx context.Context, counter string) error {
	if v, err := db.HubCounter(ctx); err != nil || v == counter {
		return err
	}
	return db.SetSetting(ctx, keyHubCounter, counter)
}
