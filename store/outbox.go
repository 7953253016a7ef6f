package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The mail outbox keeps every e-mail the hub owes a citizen until the mail
// server has taken it: a message is stored in the same transaction as the
// change it tells of, retried with back-off while the server is away, and
// deleted once sent. Times in mail_outbox are Unix milliseconds. The package
// store/mail delivers it (mail.Outbox); nothing here logs a recipient or a
// message.

// QueuedMail is one message waiting in the outbox.
type QueuedMail struct {
	ID        int64
	Recipient string    // the one envelope recipient
	Message   []byte    // the whole RFC 5322 message
	Created   time.Time // when it was queued
	Attempts  int       // failed deliveries so far
	NextAt    time.Time // not to be tried before this
	LastError string    // why the last attempt failed
}

// EnqueueMail queues msg for recipient, due at once.
func (db *DB) EnqueueMail(ctx context.Context, recipient string, msg []byte, now time.Time) error {
	return db.tx(ctx, func(t *sql.Tx) error { return enqueueMail(ctx, t, recipient, msg, now) })
}

// enqueueMail queues msg for recipient inside the caller's transaction, so
// that the e-mail exists if and only if the change it tells of does.
func enqueueMail(ctx context.Context, t *sql.Tx, recipient string, msg []byte, now time.Time) error {
	return enqueueMailUntil(ctx, t, recipient, msg, now, time.Time{})
}

// enqueueMailUntil is enqueueMail for a message worth nothing from expires
// on (a confirmation link that lapsed, a booking whose time has passed):
// it is then deleted unsent (zero: never).
func enqueueMailUntil(ctx context.Context, t *sql.Tx, recipient string, msg []byte, now, expires time.Time) error {
	return enqueueRequestMail(ctx, t, recipient, msg, now, expires, "")
}

// enqueueRequestMail is enqueueMailUntil for the e-mail of a booking
// request (its token; "": of none), which goes with the request if a newer
// one of the same person replaces it before it is sent.
func enqueueRequestMail(ctx context.Context, t *sql.Tx, recipient string, msg []byte, now, expires time.Time, request string) error {
	if recipient == "" || len(msg) == 0 {
		return errors.New("queue mail: no recipient or empty message")
	}
	var until int64
	if !expires.IsZero() {
		until = expires.UnixMilli()
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO mail_outbox (recipient, message, created_at, next_at, expires_at, request)
		VALUES (?, ?, ?, ?, ?, ?)`, recipient, msg, now.UnixMilli(), now.UnixMilli(), until, request); err != nil {
		return fmt.Errorf("queue mail: %w", err)
	}
	return nil
}

// DeleteExpiredMail deletes the queued messages not worth sending at now.
func (db *DB) DeleteExpiredMail(ctx context.Context, now time.Time) (int, error) {
	res, err := db.sql.ExecContext(ctx, `DELETE FROM mail_outbox WHERE expires_at != 0 AND expires_at <= ?`, now.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("delete expired mail: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// DueMail returns up to limit queued messages whose time has come at now,
// the longest waiting first.
func (db *DB) DueMail(ctx context.Context, now time.Time, limit int) ([]QueuedMail, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT id, recipient, message, created_at, attempts, next_at, last_error
		FROM mail_outbox WHERE next_at <= ? AND (expires_at = 0 OR expires_at > ?) ORDER BY next_at, id LIMIT ?`,
		now.UnixMilli(), now.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("read due mail: %w", err)
	}
	defer rows.Close()
	var ms []QueuedMail
	for rows.Next() {
		var m QueuedMail
		var created, next int64
		if err := rows.Scan(&m.ID, &m.Recipient, &m.Message, &created, &m.Attempts, &next, &m.LastError); err != nil {
			return nil, fmt.Errorf("read due mail: %w", err)
		}
		m.Created, m.NextAt = time.UnixMilli(created), time.UnixMilli(next)
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read due mail: %w", err)
	}
	return ms, nil
}

// MailSent deletes a message the mail server has taken.
func (db *DB) MailSent(ctx context.Context, id int64) error {
	if _, err := db.sql.ExecContext(ctx, `DELETE FROM mail_outbox WHERE id = ?`, id); err != nil {
		return fmt.Errorf("mark mail %d sent: %w", id, err)
	}
	return nil
}

// MailFailed records a failed delivery of a message: one more attempt, the
// reason, and when to try again.
func (db *DB) MailFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	if _, err := db.sql.ExecContext(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, next_at = ?
		WHERE id = ?`, reason, next.UnixMilli(), id); err != nil {
		return fmt.Errorf("mark mail %d failed: %w", id, err)
	}
	return nil
}

// PendingMail counts the queued messages and tells when the oldest of them
// was queued (the zero time when there is none).
func (db *DB) PendingMail(ctx context.Context) (count int, oldest time.Time, err error) {
	var first sql.NullInt64
	if err := db.ro.QueryRowContext(ctx, `SELECT count(*), min(created_at) FROM mail_outbox`).Scan(&count, &first); err != nil {
		return 0, time.Time{}, fmt.Errorf("count queued mail: %w", err)
	}
	if first.Valid {
		oldest = time.UnixMilli(first.Int64)
	}
	return count, oldest, nil
}

// NextMailAt tells when the next queued message falls due; ok is false when
// the outbox is empty.
func (db *DB) NextMailAt(ctx context.Context) (next time.Time, ok bool, err error) {
	var at sql.NullInt64
	if err := db.ro.QueryRowContext(ctx, `SELECT min(next_at) FROM mail_outbox`).Scan(&at); err != nil {
		return time.Time{}, false, fmt.Errorf("read next mail time: %w", err)
	}
	if !at.Valid {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(at.Int64), true, nil
}
