package store

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
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
	_, err = db.sql.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, keyTries) // a new password lifts a lock
	return err
}

// HasSupervisorPassword reports whether a supervisor password is set.
func (db *DB) HasSupervisorPassword(ctx context.Context) (bool, error) {
	stored, err := db.Setting(ctx, keySupervisor)
	return stored != "", err
}

// keyTries holds the wrong supervisor passwords in a row and, once they
// are too many, the Unix time in milliseconds before which no password is
// checked: "3", "6 1795500000123".
const keyTries = "supervisor_tries"

// Guessing the supervisor's password is slowed: FreeTries wrong ones in a
// row are answered at once; each further one locks the checks for
// firstLock, doubled each time up to maxLock. A supervisor who mistypes
// waits seconds; someone guessing at a kiosk or an unattended counter
// gets a few dozen tries a day. The lock is kept in the database, so
// starting the program again does not lift it, and it holds for every
// program on the computer (the counter, the kiosk, the command line).
const (
	FreeTries = 5
	firstLock = 30 * time.Second
	maxLock   = 15 * time.Minute
)

// TooManyTries refuses a supervisor password check while guessing is
// locked: no password, right or wrong, is checked before Until.
type TooManyTries struct{ Until time.Time }

func (e TooManyTries) Error() string {
	return fmt.Sprintf("too many wrong supervisor passwords: try again after %s", e.Until.Format(time.TimeOnly))
}

// CheckSupervisor reports whether password is the supervisor's, counting
// wrong ones: after FreeTries in a row it answers TooManyTries (see there)
// until the lock ends, and a right one clears the count.
func (db *DB) CheckSupervisor(ctx context.Context, password string) (bool, error) {
	now := time.Now()
	n, until, err := db.tries(ctx)
	if err != nil {
		return false, err
	}
	if now.Before(until) {
		if until.After(now.Add(maxLock)) { // the clock was set back: the lock lasts no longer
			until = now.Add(maxLock)
			if err := db.SetSetting(ctx, keyTries, fmt.Sprintf("%d %d", n, until.UnixMilli())); err != nil {
				return false, err
			}
		}
		return false, TooManyTries{Until: until}
	}
	ok, err := db.supervisorMatches(ctx, password)
	if err != nil {
		return false, err
	}
	if ok {
		if n > 0 {
			_, err = db.sql.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, keyTries)
		}
		return err == nil, err
	}
	n++
	if n <= FreeTries {
		return false, db.SetSetting(ctx, keyTries, strconv.Itoa(n))
	}
	until = now.Add(min(firstLock<<min(n-FreeTries-1, 10), maxLock))
	if err := db.SetSetting(ctx, keyTries, fmt.Sprintf("%d %d", n, until.UnixMilli())); err != nil {
		return false, err
	}
	return false, TooManyTries{Until: until}
}

// tries reads the wrong passwords in a row and the lock's end.
func (db *DB) tries(ctx context.Context) (int, time.Time, error) {
	v, err := db.Setting(ctx, keyTries)
	if err != nil || v == "" {
		return 0, time.Time{}, err
	}
	count, at, _ := strings.Cut(v, " ")
	n, _ := strconv.Atoi(count)
	var until time.Time
	if ms, err := strconv.ParseInt(at, 10, 64); err == nil {
		until = time.UnixMilli(ms)
	}
	return n, until, nil
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
