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

// DB is an open Ghișeu database: one writer and many readers over one
// SQLite file in WAL mode. Writes go through a pool of a single connection,
// so that the program's own writers queue in Go instead of failing with
// "database is locked"; reads use their own pool and never wait for a
// writer (WAL lets them read the last committed state).
type DB struct {
	sql      *sql.DB // the writer: one connection, transactions begun IMMEDIATE
	ro       *sql.DB // the readers, read-only
	path     string
	readOnly bool
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
// process and a power cut. The file holds personal data: it is made (or
// made again) readable by its owner only, whatever the umask.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := ownerOnly(path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db, err := open(ctx, path, len(migrations))
	if err != nil {
		return nil, err
	}
	cleanTemp(db.TempDir())
	return db, nil
}

// ownerOnly creates the database file if it is missing, and makes it and
// its WAL and shared-memory files mode 0600 (SQLite gives those the mode of
// the database file when it creates them).
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// dsn is the address of the database file for the sqlite driver.
func dsn(path, params string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + params
}

// open opens the database and migrates it to schema version upTo.
func open(ctx context.Context, path string, upTo int) (*DB, error) {
	w, err := sql.Open("sqlite", dsn(path, "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"+
		"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	db := &DB{sql: w, ro: w, path: path}
	if err := db.migrate(ctx, upTo); err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if db.ro, err = sql.Open("sqlite", dsn(path, "mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)")); err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.ro.SetMaxOpenConns(8)
	return db, nil
}

// ErrReadOnlyOld says that a database opened read-only has an older schema
// than this program reads.
var ErrReadOnlyOld = errors.New("the database has an older schema and is read-only: open it once with write access to upgrade it")

// OpenReadOnly opens an existing database for reading only: a read-only
// copy, a file of another user, or a counter that only looks. Nothing is
// created, migrated or written; writing methods fail.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	mode := "mode=ro"
	if !exists(path+"-wal") && !exists(path+"-shm") {
		// No writer has it open and every write is in the file: read it as
		// an immutable file, so that SQLite does not create the WAL and
		// shared-memory files beside it (it would, wherever it may).
		mode = "immutable=1"
	}
	db, err := openReadOnly(ctx, path, mode)
	if err != nil {
		// A WAL database in a folder we may not write to cannot get its
		// shared-memory file: read it as an immutable file instead.
		db, err = openReadOnly(ctx, path, "immutable=1")
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s read-only: %w", path, err)
	}
	return db, nil
}

func openReadOnly(ctx context.Context, path, mode string) (*DB, error) {
	ro, err := sql.Open("sqlite", dsn(path, mode+"&_pragma=busy_timeout(10000)&_pragma=query_only(1)"))
	if err != nil {
		return nil, err
	}
	db := &DB{sql: ro, ro: ro, path: path, readOnly: true}
	v, err := db.SchemaVersion(ctx)
	switch {
	case err != nil:
		ro.Close()
		return nil, err
	case v > len(migrations):
		ro.Close()
		return nil, fmt.Errorf("schema version %d is newer than this program (%d): upgrade Ghișeu", v, len(migrations))
	case v < len(migrations):
		ro.Close()
		return nil, ErrReadOnlyOld
	}
	return db, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// ReadOnly reports whether the database was opened read-only.
func (db *DB) ReadOnly() bool { return db.readOnly }

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// Close closes the database.
func (db *DB) Close() error {
	if db.ro != db.sql {
		db.ro.Close()
	}
	return db.sql.Close()
}

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
