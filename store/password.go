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
)

// keySupervisor holds the supervisor password's hash.
const keySupervisor = "supervisor_password"

// pbkdf2Iterations follows OWASP's advice for PBKDF2-HMAC-SHA256.
const pbkdf2Iterations = 600_000

// ErrNoPassword says that no supervisor password was set.
var ErrNoPassword = errors.New("no supervisor password set: run ghiseu supervisor-password")

// SetSupervisorPassword stores a salted PBKDF2-SHA256 hash of the password,
// never the password.
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
	return db.SetSetting(ctx, keySupervisor, fmt.Sprintf("pbkdf2-sha256$%d$%s$%s",
		pbkdf2Iterations, enc.EncodeToString(salt), enc.EncodeToString(key)))
}

// CheckSupervisor reports whether password is the supervisor's.
func (db *DB) CheckSupervisor(ctx context.Context, password string) (bool, error) {
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
	ok, err := db.CheckSupervisor(ctx, password)
	if errors.Is(err, ErrNoPassword) || err == nil && !ok {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = db.sql.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, keySupervisor)
	return err
}
