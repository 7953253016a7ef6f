// Package store keeps the counter's data in one SQLite file: the office's
// bookings as synced from the booking system, and the append-only log of what
// happened at the counter. A booking's state is never stored; it is derived
// from its events.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DB is an open Ghișeu database.
type DB struct {
	sql  *sql.DB
	path string
}

// DefaultPath is where the database lives when none is given: the user's
// XDG data directory ($XDG_DATA_HOME, else ~/.local/share).
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find data directory: %w", err)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "ghiseu", "ghiseu.db"), nil
}

// Open opens (creating if needed) the database at path and brings its schema
// up to date. Writes are synchronous: a committed event survives a killed
// process and a power cut.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return open(ctx, path, len(migrations))
}

// open opens the database and migrates it to schema version upTo.
func open(ctx context.Context, path string, upTo int) (*DB, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=busy_timeout(5000)&_pragma=foreign_keys(ON)&_txlock=immediate"
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{sql: sqldb, path: path}
	if err := db.migrate(ctx, upTo); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

// ErrNotFound is returned when a looked-up record does not exist.
var ErrNotFound = errors.New("not found")

// tx runs fn in one transaction, committed only if fn returns nil.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	t, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(t); err != nil {
		t.Rollback()
		return err
	}
	return t.Commit()
}
