package app

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSavedReportIsOwnerOnly saves the day report from the supervisor's
// window under umask 0, twice (the second time over the first files, made
// world-readable meanwhile): the CSV and the HTML file are mode 0600.
func TestSavedReportIsOwnerOnly(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	f := newFixture(t)
	for round := 1; round <= 2; round++ {
		path, err := f.c.saveReport()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{path, strings.TrimSuffix(path, ".html") + ".csv"} {
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("round %d: %s has mode %v, want 0600", round, filepath.Base(p), st.Mode().Perm())
			}
			if err := os.Chmod(p, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
