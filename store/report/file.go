package report

import (
	"fmt"
	"os"
)

// Create opens path for writing a report, emptying it, readable and
// writable by its owner only whatever the umask: a report names the clerks.
// A file that was already there is set to mode 0600 before anything is
// written to it.
func Create(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create report: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("create report %s: %w", path, err)
	}
	return f, nil
}
