package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReportFileIsOwnerOnly writes the day report with --out under umask 0,
// to a new file and over a world-readable one: both end up mode 0600.
func TestReportFileIsOwnerOnly(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	db := newDemo(t) // report opens it read-only: it must exist
	dir := filepath.Dir(db)
	existing := filepath.Join(dir, "old.html")
	if err := os.WriteFile(existing, []byte("old"), 0o666); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, format string }{
		{"new csv", filepath.Join(dir, "day.csv"), "csv"},
		{"existing html", existing, "html"},
		{"new text", filepath.Join(dir, "day.txt"), "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exit, _, errOut := run(t, db, "report", "--day", "2026-11-23", "--format", tt.format, "--out", tt.path)
			if exit != ExitOK {
				t.Fatalf("exit %d: %s", exit, errOut)
			}
			st, err := os.Stat(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", st.Mode().Perm())
			}
			if st.Size() == 0 {
				t.Error("the report file is empty")
			}
		})
	}
}

// TestReportBadFormatWritesNoFile checks that a bad --format is a usage
// error that leaves no file behind.
func TestReportBadFormatWritesNoFile(t *testing.T) {
	db := newDemo(t)
	out := filepath.Join(filepath.Dir(db), "day.pdf")
	exit, _, errOut := run(t, db, "report", "--format", "pdf", "--out", out)
	if exit != ExitError || !strings.Contains(errOut, "pdf") {
		t.Fatalf("exit %d, want %d", exit, ExitError)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a file was left behind: %v", err)
	}
}
