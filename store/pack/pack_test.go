package pack

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
)

var (
	signer  = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32))
	other   = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, 32))
	trusted = rescode.Keyring{{ID: 4, Public: signer.Public().(ed25519.PublicKey), From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
	cal     = calendar.Default()
)

// contents is a pack of n bookings for Dumbrăvița, 23-27 Nov 2026.
func contents(seq int64, n int) Contents {
	loc := cal.Location()
	return Contents{
		Manifest: Manifest{Office: cal.Office, From: "2026-11-23", To: "2026-11-27", Sequence: seq, Created: time.Now()},
		Office:   Office{Calendar: cal, Fees: rules.DefaultFees},
		Keys:     trusted,
		Bookings: func(yield func(Booking) error) error {
			for i := 0; i < n; i++ {
				start := time.Date(2026, 11, 23+i%3, 8, 30+20*(i%13), 0, 0, loc)
				if err := yield(Booking{ID: fmt.Sprint(1000 + i), SlotStart: start, SlotMinutes: 20, Kind: "intake",
					Name: fmt.Sprintf("Persoana %d Ștefănescu", i), Reason: "expiry", BirthDate: "1980-01-01"}); err != nil {
					return err
				}
			}
			return nil
		},
		Cancelled: []string{"1001"},
		Revoked:   []string{"1002"},
	}
}

// build writes a pack zip into dir and returns its path.
func build(t testing.TB, dir string, key ed25519.PrivateKey, c Contents) string {
	t.Helper()
	path := filepath.Join(dir, "pack.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(f, key, 4, c); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// explode writes the files of a pack zip into dir/files, optionally
// changing one with edit.
func explode(t *testing.T, zipPath, dir string, edit func(name string, data []byte) []byte) string {
	t.Helper()
	out := filepath.Join(dir, "files")
	os.MkdirAll(out, 0o755)
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if edit != nil {
			data = edit(f.Name, data)
		}
		if data != nil {
			os.WriteFile(filepath.Join(out, f.Name), data, 0o644)
		}
	}
	return out
}

func archiveWith(t *testing.T, tool, dir, files string) string {
	t.Helper()
	if _, err := exec.LookPath(strings.TrimSuffix(tool, ".gz")); err != nil { // tar.gz is made by tar
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing in CI", tool)
		}
		t.Skipf("%s not installed", tool)
	}
	var cmd *exec.Cmd
	var out string
	switch tool {
	case "zip":
		out = filepath.Join(dir, "p.zip")
		cmd = exec.Command("zip", "-q", "-r", out, ".")
	case "7z":
		out = filepath.Join(dir, "p.7z")
		cmd = exec.Command("7z", "a", "-bd", out, ".")
	case "tar":
		out = filepath.Join(dir, "p.tar")
		cmd = exec.Command("tar", "-cf", out, ".")
	case "tar.gz":
		out = filepath.Join(dir, "p.tar.gz")
		cmd = exec.Command("tar", "-czf", out, ".")
	}
	cmd.Dir = files
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, b)
	}
	return out
}

func openCounter(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "counter.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.PutKeys(context.Background(), trusted); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestImportFromRealArchivers(t *testing.T) {
	for _, tool := range []string{"zip", "7z", "tar", "tar.gz"} {
		t.Run(tool, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			src := archiveWith(t, tool, dir, explode(t, build(t, dir, signer, contents(7, 100)), dir, nil))
			db := openCounter(t)
			var progressed int64
			m, err := Import(ctx, db, src, func(done, total int64) { progressed = done })
			if err != nil {
				t.Fatal(err)
			}
			if m.Sequence != 7 || m.Office != cal.Office || progressed == 0 {
				t.Fatalf("manifest %+v, progress %d", m, progressed)
			}
			got, _, err := db.Office(ctx)
			if err != nil || got.Office != cal.Office {
				t.Fatalf("office after import: %+v, %v", got, err)
			}
			day, _ := db.DayBookings(ctx, cal.Office, "2026-11-23")
			if len(day) != 34 {
				t.Fatalf("%d bookings on 23 Nov, want 34", len(day))
			}
			for id, want := range map[string]store.Status{"1000": store.Confirmed, "1001": store.Cancelled, "1002": store.Replaced} {
				if b, _ := db.BookingByID(ctx, id); b.Status != want || !strings.HasPrefix(b.Name, "Persoana") {
					t.Errorf("booking %s: %+v, want %s", id, b, want)
				}
			}
		})
	}
}

// fingerprint is what a refused import must leave as it was.
func fingerprint(t *testing.T, db *store.DB) string {
	ctx := context.Background()
	seq, _ := db.PackSequence(ctx)
	cal, _, _ := db.Office(ctx)
	keys, _ := db.Keyring(ctx)
	var days []string
	for d := 20; d < 30; d++ {
		bs, _ := db.DayBookings(ctx, cal.Office, fmt.Sprintf("2026-11-%d", d))
		for _, b := range bs {
			days = append(days, b.ID+string(b.Status))
		}
	}
	es, _ := db.Events(ctx, "1000")
	return fmt.Sprint(seq, cal.Office, len(keys), days, len(es))
}

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	tamper := func(name string) func(string, []byte) []byte {
		return func(n string, data []byte) []byte {
			if n == name {
				return bytes.Replace(data, []byte("Persoana 3 "), []byte("Persoana 9 "), 1)
			}
			return data
		}
	}
	drop := func(name string) func(string, []byte) []byte {
		return func(n string, data []byte) []byte {
			if n == name {
				return nil
			}
			return data
		}
	}
	tests := []struct {
		name string
		make func(t *testing.T, dir string) string
		want string
	}{
		{"a booking changed after signing", func(t *testing.T, dir string) string {
			return archiveWith(t, "zip", dir, explode(t, build(t, dir, signer, contents(9, 50)), dir, tamper(FileBookings)))
		}, "bad_hash"},
		{"the manifest changed after signing", func(t *testing.T, dir string) string {
			return archiveWith(t, "tar", dir, explode(t, build(t, dir, signer, contents(9, 50)), dir, func(n string, d []byte) []byte {
				if n == FileManifest {
					return bytes.Replace(d, []byte(`"sequence": 9`), []byte(`"sequence": 99`), 1)
				}
				return d
			}))
		}, "bad_signature"},
		{"signed by an unknown key", func(t *testing.T, dir string) string {
			c := contents(9, 50)
			path := filepath.Join(dir, "p.zip")
			f, _ := os.Create(path)
			Write(f, other, 8, c)
			f.Close()
			return path
		}, "unknown_key"},
		{"signed by another key under a trusted ID", func(t *testing.T, dir string) string {
			return build(t, dir, other, contents(9, 50))
		}, "bad_signature"},
		{"a file missing", func(t *testing.T, dir string) string {
			return archiveWith(t, "7z", dir, explode(t, build(t, dir, signer, contents(9, 50)), dir, drop(FileRevoked)))
		}, "missing_file"},
		{"truncated archive", func(t *testing.T, dir string) string {
			src := build(t, dir, signer, contents(9, 2000))
			data, _ := os.ReadFile(src)
			os.WriteFile(src, data[:len(data)*2/3], 0o600)
			return src
		}, ""},
		{"an older pack", func(t *testing.T, dir string) string {
			return build(t, dir, signer, contents(2, 50))
		}, "older"},
		{"another office", func(t *testing.T, dir string) string {
			c := contents(9, 50)
			c.Manifest.Office, c.Office.Calendar.Office = "CJ-DJEP", "CJ-DJEP"
			return build(t, dir, signer, c)
		}, "wrong_office"},
		{"a bad line", func(t *testing.T, dir string) string {
			c := contents(9, 50)
			good := c.Bookings
			c.Bookings = func(y func(Booking) error) error {
				good(y)
				return y(Booking{ID: "x", SlotStart: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), SlotMinutes: 20, Kind: "visit"})
			}
			return build(t, dir, signer, c)
		}, "bad_booking"},
		{"a zip bomb", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "bomb.zip")
			f, _ := os.Create(path)
			zw := zip.NewWriter(f)
			w, _ := zw.Create(FileBookings)
			zero := make([]byte, 1<<20)
			for i := 0; i < 1100; i++ { // 1.1 GiB of zeros, about 1 MiB compressed
				w.Write(zero)
			}
			zw.Close()
			f.Close()
			return path
		}, "too_large"},
		{"not an archive", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "notes.txt")
			os.WriteFile(path, []byte("programări pe mâine"), 0o600)
			return path
		}, "format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db := openCounter(t)
			if _, err := Import(ctx, db, build(t, t.TempDir(), signer, contents(5, 30)), nil); err != nil {
				t.Fatal(err)
			}
			if err := db.Append(ctx, store.Event{ID: "e1", BookingID: "1000", Type: store.Arrived, At: time.Now(), Counter: "1"}); err != nil {
				t.Fatal(err)
			}
			before := fingerprint(t, db)
			_, err := Import(ctx, db, tt.make(t, dir), nil)
			var r *Refusal
			if !errors.As(err, &r) || tt.want != "" && r.Key != tt.want {
				t.Fatalf("error %v, want refusal %q", err, tt.want)
			}
			if after := fingerprint(t, db); after != before {
				t.Fatalf("a refused pack changed the database:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func TestReimportKeepsEvents(t *testing.T) {
	ctx := context.Background()
	db := openCounter(t)
	src := build(t, t.TempDir(), signer, contents(3, 30))
	if _, err := Import(ctx, db, src, nil); err != nil {
		t.Fatal(err)
	}
	db.Append(ctx, store.Event{ID: "e1", BookingID: "1000", Type: store.Arrived, At: time.Now(), Counter: "1"})
	if _, err := Import(ctx, db, src, nil); err != nil {
		t.Fatalf("the same pack again: %v", err)
	}
	if es, _ := db.Events(ctx, "1000"); len(es) != 1 {
		t.Fatalf("events after re-import: %v", es)
	}
}
