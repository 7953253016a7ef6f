package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
)

// Keyring reads the booking system's public keys the counter trusts.
func (db *DB) Keyring(ctx context.Context) (rescode.Keyring, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT id, public_key, valid_from, valid_until FROM keys ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read keyring: %w", err)
	}
	defer rows.Close()
	var ring rescode.Keyring
	for rows.Next() {
		var k rescode.Key
		var from int64
		var until sql.NullInt64
		if err := rows.Scan(&k.ID, &k.Public, &from, &until); err != nil {
			return nil, fmt.Errorf("read keyring: %w", err)
		}
		k.From = time.Unix(from, 0)
		if until.Valid {
			k.Until = time.Unix(until.Int64, 0)
		}
		ring = append(ring, k)
	}
	return ring, rows.Err()
}

// PutKeys adds or replaces public keys, in one transaction.
func (db *DB) PutKeys(ctx context.Context, ring rescode.Keyring) error {
	return db.tx(ctx, func(t *sql.Tx) error { return putKeysTx(ctx, t, ring) })
}

func putKeysTx(ctx context.Context, t *sql.Tx, ring rescode.Keyring) error {
	for _, k := range ring {
		var until any
		if !k.Until.IsZero() {
			until = k.Until.Unix()
		}
		_, err := t.ExecContext(ctx, `INSERT INTO keys (id, public_key, valid_from, valid_until) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET public_key = excluded.public_key,
				valid_from = excluded.valid_from, valid_until = excluded.valid_until`,
			k.ID, []byte(k.Public), k.From.Unix(), until)
		if err != nil {
			return fmt.Errorf("put key %d: %w", k.ID, err)
		}
	}
	return nil
}
