package cli

import (
	"crypto/ed25519"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store/demo"
	"github.com/ghiseu/ghiseu/store/pack"
	"github.com/ghiseu/ghiseu/store/rules"
)

// demoPack writes a day pack for the demo office, signed with key, and
// returns its path.
func demoPack(t *testing.T, dir string, key ed25519.PrivateKey) string {
	t.Helper()
	cal := demo.Calendar()
	start := time.Date(2026, 11, 24, 9, 10, 0, 0, cal.Location())
	c := pack.Contents{
		Manifest: pack.Manifest{Office: cal.Office, From: "2026-11-24", To: "2026-11-24", Sequence: 1, Created: time.Now()},
		Office:   pack.Office{Calendar: cal, Fees: rules.DefaultFees},
		Keys:     demo.Keyring(),
		Bookings: func(yield func(pack.Booking) error) error {
			return yield(pack.Booking{ID: "5000", SlotStart: start, SlotMinutes: 20, Kind: "intake",
				Name: "Pop Ion", Reason: "expiry", BirthDate: "1980-02-02"})
		},
	}
	f, err := os.CreateTemp(dir, "pack-*.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pack.Write(f, key, demo.KeyID, c); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// zipOf makes a zip with the real zip tool, holding one text file.
func zipOf(t *testing.T, dir string) string {
	t.Helper()
	if _, err := exec.LookPath("zip"); err != nil {
		t.Skip("zip is not installed")
	}
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("not a day pack\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "notes.zip")
	if b, err := exec.Command("zip", "-j", "-q", out, notes).CombinedOutput(); err != nil {
		t.Fatalf("zip: %v\n%s", err, b)
	}
	return out
}

// TestImportExitCodes imports real files: a refused pack exits 1 with its
// reason on stderr, in the chosen language; bad arguments and an unusable
// database exit 2; a good pack exits 0.
func TestImportExitCodes(t *testing.T) {
	dir := t.TempDir()
	notADB := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(notADB, []byte(strings.Repeat("not a database\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stranger, _ := ed25519.GenerateKey(nil)
	text := filepath.Join(dir, "pack.txt")
	if err := os.WriteFile(text, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   func(t *testing.T) []string
		exit   int
		stderr string // part of it; "" for none at all
	}{
		{"a good pack", func(t *testing.T) []string { return []string{demoPack(t, dir, demo.SigningKey())} }, ExitOK, ""},
		{"a zip that is not a pack", func(t *testing.T) []string { return []string{zipOf(t, dir)} },
			ExitRefused, "The pack was not imported: the file manifest.json is missing. Nothing was changed."},
		{"a zip that is not a pack, in Romanian", func(t *testing.T) []string { return []string{zipOf(t, dir), "--lang", "ro"} },
			ExitRefused, "Pachetul nu a fost importat: lipsește fișierul manifest.json."},
		{"not an archive", func(t *testing.T) []string { return []string{text} }, ExitRefused, "is not an archive"},
		{"signed by a stranger", func(t *testing.T) []string { return []string{demoPack(t, dir, stranger)} },
			ExitRefused, "the signature does not match"},
		{"no file", func(t *testing.T) []string { return nil }, ExitError, "exactly one FILE"},
		{"a missing file", func(t *testing.T) []string { return []string{filepath.Join(dir, "missing.zip")} }, ExitError, "missing.zip"},
		{"a directory", func(t *testing.T) []string { return []string{dir} }, ExitError, dir},
		{"an unusable database", func(t *testing.T) []string { return []string{zipOf(t, dir), "--db", notADB} },
			ExitError, "database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "g.db")
			args := append([]string{"import", "--lang", "en"}, tt.args(t)...)
			exit, out, errOut := run(t, db, args...)
			if exit != tt.exit {
				t.Fatalf("exit %d, want %d\nstdout %q\nstderr %q", exit, tt.exit, out, errOut)
			}
			if tt.stderr == "" && errOut != "" || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("stderr %q, want %q", errOut, tt.stderr)
			}
			if exit != ExitOK && out != "" {
				t.Fatalf("a refused import printed %q on stdout", out)
			}
		})
	}
}
