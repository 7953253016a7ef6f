package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Outbox lists up to limit events written here that the hub has not
// acknowledged yet, oldest first.
func (db *DB) Outbox(ctx context.Context, limit int) ([]Event, error) {
	return db.events(ctx, db.ro, `WHERE synced = 0 ORDER BY seq LIMIT ?`, limit)
}

// OutboxSize counts the events waiting for the hub.
func (db *DB) OutboxSize(ctx context.Context) (int, error) {
	var n int
	err := db.ro.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE synced = 0`).Scan(&n)
	return n, err
}

// MarkSynced records that the hub acknowledged these events.
func (db *DB) MarkSynced(ctx context.Context, ids []string) error {
	return db.tx(ctx, func(t *sql.Tx) error {
		for _, id := range ids {
			if _, err := t.ExecContext(ctx, `UPDATE events SET synced = 1 WHERE id = ?`, id); err != nil {
				return fmt.Errorf("mark event %s synced: %w", id, err)
			}
		}
		return nil
	})
}

// Receive stores events that came from elsewhere (the hub, or a counter
// through the hub) as already synced; events already logged are skipped,
// but learn when the hub received them. It returns how many were new.
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
			if !e.ReceivedAt.IsZero() {
				if _, err := t.ExecContext(ctx, `UPDATE events SET received_at = ?, synced = 1 WHERE id = ?`,
					e.ReceivedAt.UnixMilli(), e.ID); err != nil {
					return err
				}
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

// Accept stores events a counter sent to the hub, stamping them with the
// hub's clock. Resent events change nothing. It returns the IDs now held.
func (db *DB) Accept(ctx context.Context, es []Event, now time.Time) ([]string, error) {
	ids := make([]string, 0, len(es))
	err := db.tx(ctx, func(t *sql.Tx) error {
		for _, e := range es {
			e.ReceivedAt = now
			if _, err := insertEvent(ctx, t, e, true); err != nil {
				return err
			}
			ids = append(ids, e.ID)
		}
		return nil
	})
	return ids, err
}

// keyHubLinked marks a counter that trusts a hub's keys (see store/sync).
const keyHubLinked = "hub_trusted"

// HubLinked reports whether this counter is linked to a hub.
func (db *DB) HubLinked(ctx context.Context) (bool, error) {
	v, err := db.Setting(ctx, keyHubLinked)
	return v == "1", err
}

// SetHubLinked records that this counter now trusts its hub's keys.
func (db *DB) SetHubLinked(ctx context.Context) error {
	return db.SetSetting(ctx, keyHubLinked, "1")
}
