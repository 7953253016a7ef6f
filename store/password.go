package store

import (
	"cmp"
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// keySupervisor holds the supervisor password's hash.
const keySupervisor = "supervisor_password"

// pbkdf2Iterations follows OWASP's advice for PBKDF2-HMAC-SHA256.
const pbkdf2Iterations = 600_000

// ErrNoPassword says that no supervisor password was set.
var ErrNoPassword = errors.New("no supervisor password set: run ghiseu supervisor-password")

// SetSupervisorPassword stores a salted PBKDF2-SHA256 hash of the password,
// never the password, and lifts a lock on guessing (see CheckSupervisor).
func (db *DB) SetSupervisorPassword(ctx context.Context, password string) error {
	if len(password) < 8 {
		return errors.New("the supervisor password needs at least 8 characters")
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	key, err := pbkdf2.Key(sha256.New, password, salt, pbkdf2Iterations, 32)
	if err != nil {
		return err
	}
	enc := base64.RawStdEncoding
	if err := db.SetSetting(ctx, keySupervisor, fmt.Sprintf("pbkdf2-sha256$%d$%s$%s",
		pbkdf2Iterations, enc.EncodeToString(salt), enc.EncodeToString(key))); err != nil {
		return err
	}
	_, err = db.sql.ExecContext(ctx, `DELETE FROM settings WHERE key LIKE 'supervisor\_tries:%' ESCAPE '\'`) // a new password lifts the locks
	return err
}

// HasSupervisorPassword reports whether a supervisor password is set.
func (db *DB) HasSupervisorPassword(ctx context.Context) (bool, error) {
	stored, err := db.Setting(ctx, keySupervisor)
	return stored != "", err
}

// Place is where a supervisor password is asked. Guesses are counted and
// locked for each place apart, so that someone at the kiosk, which may
// share the counter's database, cannot lock the counter's supervisor out.
type Place string

// The places that ask for the supervisor's password.
const (
	AtCounter Place = "counter" // the counter's window and its command line
	AtKiosk   Place = "kiosk"   // the self check-in kiosk's corner
)

// keyTries is the settings key of a place's wrong passwords in a row, the
// Unix time in milliseconds before which it checks none, and that of the
// last wrong one: "supervisor_tries:kiosk" = "6 1795500030123 1795500000123".
func keyTries(at Place) string { return "supervisor_tries:" + string(at) }

// Guessing the supervisor's password is slowed: FreeTries wrong ones in a
// row are answered at once; each further one locks the place's checks for
// firstLock, doubled each time up to maxLock; wrong ones are forgotten
// after forgetTries without another. A supervisor who mistypes waits
// seconds; someone guessing gets a few dozen tries a day. The count is in
// the database, so starting the program again does not lift it, and a try
// is counted (and a lock set) before its password is checked, in one
// transaction, so that guesses made at once are counted too.
const (
	FreeTries   = 5
	firstLock   = 30 * time.Second
	maxLock     = 15 * time.Minute
	forgetTries = time.Hour
)

// TooManyTries refuses a supervisor password check while guessing is
// locked: no password, right or wrong, is checked before Until.
type TooManyTries struct{ Until time.Time }

func (e TooManyTries) Error() string {
	return fmt.Sprintf("too many wrong supervisor passwords: try again after %s", e.Until.Format(time.TimeOnly))
}

// CheckSupervisor reports whether password is the supervisor's, asked at
// a place, counting wrong ones: after FreeTries in a row the place answers
// TooManyTries (see there) until the lock ends; a right one clears the
// count.
func (db *DB) CheckSupervisor(ctx context.Context, at Place, password string) (bool, error) {
	if set, err := db.HasSupervisorPassword(ctx); err != nil || !set {
		return false, cmp.Or(err, ErrNoPassword)
	}
	until, err := db.countTry(ctx, at, time.Now())
	if err != nil {
		return false, err
	}
	ok, err := db.supervisorMatches(ctx, password)
	switch {
	case err != nil:
		return false, err
	case ok:
		_, err = db.sql.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, keyTries(at))
		return err == nil, err
	case !until.IsZero():
		return false, TooManyTries{Until: until}
	}
	return false, nil
}

// countTry counts a try at a place, before its password is checked: it
// refuses with TooManyTries while the place is locked, and a try beyond
// FreeTries sets the next lock (the zero time: none).
func (db *DB) countTry(ctx context.Context, at Place, now time.Time) (time.Time, error) {
	var next, locked time.Time
	err := db.tx(ctx, func(t *sql.Tx) error { // BEGIN IMMEDIATE: one try at a time
		var v string
		if err := t.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, keyTries(at)).Scan(&v); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var n int
		var until, last int64
		fmt.Sscan(v, &n, &until, &last) // a damaged value counts from nothing
		if locked = time.UnixMilli(until); now.Before(locked) {
			if locked.After(now.Add(maxLock)) { // the clock was set back: the lock lasts no longer
				locked = now.Add(maxLock)
			}
			return save(ctx, t, keyTries(at), n, locked, last)
		}
		locked = time.Time{}
		if now.Sub(time.UnixMilli(last)) > forgetTries {
			n = 0
		}
		n++
		if n > FreeTries {
			next = now.Add(min(firstLock<<min(n-FreeTries-1, 10), maxLock))
		}
		return save(ctx, t, keyTries(at), n, next, now.UnixMilli())
	})
	switch {
	case err != nil:
		return time.Time{}, fmt.Errorf("supervisor password: %w", err)
	case !locked.IsZero():
		return time.Time{}, TooManyTries{Until: locked}
	}
	return next, nil
}

// save writes a place's tries: their count, the lock's end (the zero time:
// none) and the last one's Unix milliseconds.
func save(ctx context.Context, t *sql.Tx, key string, n int, until time.Time, last int64) error {
	var ms int64
	if !until.IsZero() {
		ms = until.UnixMilli()
	}
	_, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, fmt.Sprintf("%d %d %d", n, ms, last))
	return err
}

// supervisorMatches reports whether password is the supervisor's, uncounted.
func (db *DB) supervisorMatches(ctx context.Context, password string) (bool, error) {
	stored, err := db.Setting(ctx, keySupervisor)
	if err != nil {
		return false, err
	}
	if stored == "" {
		return false, ErrNoPassword
	}
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false, errors.New("supervisor password: unknown hash format")
	}
	iter, err := strconv.Atoi(parts[1])
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err := errors.Join(err, err1, err2); err != nil {
		return false, fmt.Errorf("supervisor password: %w", err)
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, len(want))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// ForgetPassword removes the supervisor password if it is password (the
// demo's, when a counter leaves the demo): a live office then has none,
// and overrides, settings and the supervisor's view are refused until a
// real one is set.
func (db *DB) ForgetPassword(ctx context.Context, password string) error {
	ok, err := db.supervisorMatches(ctx, password)
	if errors.Is(err, ErrNoPassword) || err == nil && !ok {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = db.sql.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, keySupervisor)
	return err
}
