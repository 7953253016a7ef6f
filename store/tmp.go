package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// TempDir is the database's own folder for temporary files (a downloaded
// pack): beside the database and named after it, readable by its owner
// only, never the system's shared temp folder nor a folder of the user's.
func (db *DB) TempDir() string { return db.path + ".tmp" }

// CreateTemp creates a temporary file in TempDir, mode 0600, named after
// this process so that a later start can tell a leftover of a killed
// process from a file in use. The caller removes it.
func (db *DB) CreateTemp(pattern string) (*os.File, error) {
	dir := db.TempDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("temporary folder: %w", err)
	}
	f, err := os.CreateTemp(dir, strconv.Itoa(os.Getpid())+"-"+pattern)
	if err != nil {
		return nil, fmt.Errorf("temporary file: %w", err)
	}
	return f, nil
}

// cleanTemp removes what killed processes left in dir: the files this
// program made there (named PID-…) whose process no longer runs. Nothing
// else is touched.
func cleanTemp(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, _, ok := strings.Cut(e.Name(), "-")
		n, err := strconv.Atoi(pid)
		if !ok || err != nil || !e.Type().IsRegular() || alive(n) {
			continue
		}
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

// alive reports whether a process with this ID runs.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// CreatePrivate creates (or truncates) a file readable by its owner only,
// whatever the umask, also when it existed before with a wider mode: for
// files that hold names, birth dates or secrets.
func CreatePrivate(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("make %s private: %w", path, err)
	}
	return f, nil
}
