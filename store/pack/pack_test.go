package pack

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/archive"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/pack/packtest"
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
	if _, err := exec.LookPath(strings.TrimSuffix(strings.TrimSuffix(tool, ".gz"), "0")); err != nil { // tar.gz is made by tar, zip0 by zip
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
	case "zip0": // stored, not compressed
		out = filepath.Join(dir, "p.zip")
		cmd = exec.Command("zip", "-q", "-0", "-r", out, ".")
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
			zipBomb(t, path, nil, map[string]int{FileBookings: 1100}) // 1.1 GiB of zeros in 1.1 MB
			return path
		}, "too_large"},
		{"a format 1 manifest", func(t *testing.T, dir string) string {
			return archiveWith(t, "zip", dir, explode(t, build(t, dir, signer, contents(9, 50)), dir, func(n string, d []byte) []byte {
				if n == FileManifest {
					return bytes.Replace(d, []byte(`"format": 2`), []byte(`"format": 1`), 1)
				}
				return d
			}))
		}, "format_version"},
		{"a manifest over 64 KiB", func(t *testing.T, dir string) string {
			return archiveWith(t, "zip", dir, explode(t, build(t, dir, signer, contents(9, 50)), dir, func(n string, d []byte) []byte {
				if n == FileManifest {
					return append(d, bytes.Repeat([]byte(" "), 64<<10)...)
				}
				return d
			}))
		}, "too_large"},
		{"a signature over 64 KiB", func(t *testing.T, dir string) string {
			return archiveWith(t, "tar", dir, explode(t, build(t, dir, signer, contents(9, 50)), dir, func(n string, d []byte) []byte {
				if n == FileSignature {
					return append(d, bytes.Repeat([]byte("\n"), 65<<10)...)
				}
				return d
			}))
		}, "too_large"},
		{"bookings longer than signed", func(t *testing.T, dir string) string {
			return archiveWith(t, "tar.gz", dir, explode(t, build(t, dir, signer, contents(9, 50)), dir, func(n string, d []byte) []byte {
				if n == FileBookings {
					return append(d, d[:bytes.IndexByte(d, '\n')+1]...)
				}
				return d
			}))
		}, "bad_size"},
		{"bookings shorter than signed", func(t *testing.T, dir string) string {
			return archiveWith(t, "7z", dir, explode(t, build(t, dir, signer, contents(9, 50)), dir, func(n string, d []byte) []byte {
				if n == FileBookings {
					return d[:len(d)-10]
				}
				return d
			}))
		}, "bad_size"},
		{"a zip entry yielding more than it declares", func(t *testing.T, dir string) string {
			files := packFiles(t, build(t, dir, signer, contents(9, 50)))
			return zipLying(t, dir, files, FileBookings, []byte(`{"id":"1","kind":"intake"}`+"\n"))
		}, "damaged|bad_size"},
		{"a tar cut in the middle of the bookings", func(t *testing.T, dir string) string {
			src := archiveWith(t, "tar", dir, explode(t, build(t, dir, signer, contents(9, 2000)), dir, nil))
			data, _ := os.ReadFile(src)
			os.WriteFile(src, data[:len(data)/2], 0o600)
			return src
		}, "damaged"},
		{"a stored zip with a flipped byte (CRC)", func(t *testing.T, dir string) string {
			src := archiveWith(t, "zip0", dir, explode(t, build(t, dir, signer, contents(9, 2000)), dir, nil))
			flip(t, src)
			return src
		}, "damaged|bad_hash"},
		{"a 7z with a flipped byte (CRC)", func(t *testing.T, dir string) string {
			src := archiveWith(t, "7z", dir, explode(t, build(t, dir, signer, contents(9, 2000)), dir, nil))
			flip(t, src)
			return src
		}, "damaged|bad_hash"},
		{"a tar with a symbolic link", func(t *testing.T, dir string) string {
			files := explode(t, build(t, dir, signer, contents(9, 50)), dir, nil)
			os.Symlink("/etc/passwd", filepath.Join(files, "notes.txt"))
			return archiveWith(t, "tar", dir, files)
		}, "not_regular"},
		{"a tar whose bookings are a hard link", func(t *testing.T, dir string) string {
			files := explode(t, build(t, dir, signer, contents(9, 50)), dir, nil)
			os.Link(filepath.Join(files, FileBookings), filepath.Join(files, "copy.jsonl"))
			return archiveWith(t, "tar", dir, files)
		}, "not_regular"},
		{"a RAR with a symbolic link", func(t *testing.T, dir string) string {
			entries := rarEntries(packFiles(t, build(t, dir, signer, contents(9, 50))))
			entries = append(entries, packtest.RAREntry{Name: "link", Data: "/etc/shadow", Host: 3, Attr: 0o120777})
			path := filepath.Join(dir, "p.rar")
			os.WriteFile(path, packtest.RAR4(false, entries), 0o600)
			return path
		}, "not_regular"},
		{"the same file twice, in two folders", func(t *testing.T, dir string) string {
			files := explode(t, build(t, dir, signer, contents(9, 50)), dir, nil)
			os.Mkdir(filepath.Join(files, "b"), 0o755)
			os.WriteFile(filepath.Join(files, "b", FileBookings), []byte("{}\n"), 0o644)
			return archiveWith(t, "zip", dir, files)
		}, "duplicate"},
		{"a hidden file", func(t *testing.T, dir string) string {
			files := explode(t, build(t, dir, signer, contents(9, 50)), dir, nil)
			os.WriteFile(filepath.Join(files, ".profile"), []byte("x"), 0o644)
			return archiveWith(t, "zip", dir, files)
		}, "unsafe_name"},
		{"a file the manifest does not list", func(t *testing.T, dir string) string {
			files := explode(t, build(t, dir, signer, contents(9, 50)), dir, nil)
			os.WriteFile(filepath.Join(files, "notes.txt"), []byte("x"), 0o644)
			return archiveWith(t, "tar.gz", dir, files)
		}, "unlisted_file"},
		{"a 2 GiB zip bomb", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "bomb.zip")
			zipBomb(t, path, nil, map[string]int{FileBookings: 1024, FileCancelled: 1024})
			return path
		}, "missing_file"},
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
			if !errors.As(err, &r) || tt.want != "" && !slices.Contains(strings.Split(tt.want, "|"), r.Key) {
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

// packFiles reads the files of a pack zip.
func packFiles(t *testing.T, zipPath string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return files
}

// zipLying writes the files as a zip in which name yields extra bytes
// beyond the size it declares (and the CRC of what it declares).
func zipLying(t *testing.T, dir string, files map[string][]byte, name string, extra []byte) string {
	path := filepath.Join(dir, "lying.zip")
	f, _ := os.Create(path)
	defer f.Close()
	zw := zip.NewWriter(f)
	for n, data := range files {
		if n != name {
			w, _ := zw.Create(n)
			w.Write(data)
			continue
		}
		var z bytes.Buffer
		fw, _ := flate.NewWriter(&z, flate.BestSpeed)
		fw.Write(data)
		fw.Write(extra)
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: n, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(data),
			CompressedSize64: uint64(z.Len()), UncompressedSize64: uint64(len(data))})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(z.Bytes())
	}
	zw.Close()
	return path
}

// flip changes one byte in the middle of a file.
func flip(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x20
	os.WriteFile(path, data, 0o600)
}

// rarEntries are files as stored Unix entries of a RAR 4 archive.
func rarEntries(files map[string][]byte) []packtest.RAREntry {
	var out []packtest.RAREntry
	for _, name := range slices.Sorted(maps.Keys(files)) {
		out = append(out, packtest.RAREntry{Name: name, Data: string(files[name]), Host: 3, Attr: 0o100644})
	}
	return out
}

func TestImportRAR4(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	files := packFiles(t, build(t, dir, signer, contents(7, 100)))
	for _, solid := range []bool{false, true} {
		src := filepath.Join(dir, fmt.Sprint("p", solid, ".rar"))
		os.WriteFile(src, packtest.RAR4(solid, rarEntries(files)), 0o600)
		db := openCounter(t)
		if _, err := Import(ctx, db, src, nil); err != nil {
			t.Fatalf("solid %v: %v", solid, err)
		}
		if day, _ := db.DayBookings(ctx, cal.Office, "2026-11-23"); len(day) != 34 {
			t.Fatalf("solid %v: %d bookings on 23 Nov, want 34", solid, len(day))
		}
	}
}

// resigned is a pack zip of files, its manifest redone (each file's hash
// and length) and signed again: what the booking system would sign.
func resigned(t *testing.T, dir string, files map[string][]byte) string {
	t.Helper()
	var m Manifest
	if err := json.Unmarshal(files[FileManifest], &m); err != nil {
		t.Fatal(err)
	}
	for _, name := range contentFiles {
		sum := sha256.Sum256(files[name])
		m.Files[name] = File{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(files[name]))}
	}
	manifest, _ := json.Marshal(m)
	files[FileManifest] = manifest
	files[FileSignature] = []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(signer, append([]byte(signContext), manifest...))))
	path := filepath.Join(dir, "resigned.zip")
	f, _ := os.Create(path)
	defer f.Close()
	zw := zip.NewWriter(f)
	for name, data := range files {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	return path
}

// TestBadLineNumbers: a bad line is reported by its own number, blank
// lines counted, also when it is too long to be read.
func TestBadLineNumbers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	files := packFiles(t, build(t, dir, signer, contents(9, 3)))
	lines := bytes.SplitAfter(files[FileBookings], []byte("\n"))
	good := func(i int) string { return string(lines[i]) }
	long := `{"id":"x","name":"` + strings.Repeat("a", 1<<20) + `"}`
	for _, tc := range []struct {
		name, content, line string
	}{
		{"a bad line after a blank one", good(0) + "\n" + `{"id":"x","kind":"visit"}` + "\n", "3"},
		{"a line that is not JSON", good(0) + good(1) + "programare\n" + good(2), "3"},
		{"a line over 1 MiB", good(0) + long + "\n" + good(1), "2"},
		{"a last line over 1 MiB", good(0) + good(1) + long, "3"},
		{"a line over 1 MiB after CRLF lines", strings.ReplaceAll(good(0)+good(1), "\n", "\r\n") + long + "\n", "3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files[FileBookings] = []byte(tc.content)
			_, err := Import(ctx, openCounter(t), resigned(t, t.TempDir(), files), nil)
			var r *Refusal
			if !errors.As(err, &r) || r.Key != "bad_booking" || r.Args["line"] != tc.line {
				t.Fatalf("error %v, want bad_booking on line %s", err, tc.line)
			}
			if got := Explain(i18n.English, err); !strings.Contains(got, "line "+tc.line) {
				t.Errorf("explained as %q", got)
			}
		})
	}
	files[FileBookings] = []byte(strings.ReplaceAll(good(0)+"\n"+good(1), "\n", "\r\n"))
	if _, err := Import(ctx, openCounter(t), resigned(t, t.TempDir(), files), nil); err != nil {
		t.Fatalf("CRLF lines and a blank one: %v", err)
	}
}

// TestExplain: refusals in the clerk's words, a full disk among them.
func TestExplain(t *testing.T) {
	full := fmt.Errorf("put booking 7: %w", sqliteError{13})
	for _, tc := range []struct {
		err  error
		lang i18n.Lang
		want string
	}{
		{installRefusal(Manifest{}, full), i18n.English, "no space left on the disk"},
		{installRefusal(Manifest{}, fmt.Errorf("write: %w", syscall.ENOSPC)), i18n.Romanian, "nu mai este spațiu pe disc"},
		{archiveRefusal(fmt.Errorf("read: %w", syscall.ENOSPC)), i18n.English, "no space left on the disk"},
		{archiveRefusal(&archive.EntryError{Name: "../x", Type: archive.Symlink, Err: archive.ErrType}), i18n.Romanian,
			`arhiva conține "../x", care este o legătură simbolică, nu un fișier obișnuit`},
		{archiveRefusal(&archive.EntryError{Name: "a\nb", Err: archive.ErrName}), i18n.English, `unsafe file name ("a\nb")`},
		{refuse("format_version", nil, "version", "1", "want", "2"), i18n.English, "pack format 1 is not known (this counter reads format 2)"},
	} {
		if got := Explain(tc.lang, tc.err); !strings.Contains(got, tc.want) {
			t.Errorf("%v: %q, want %q in it", tc.err, got, tc.want)
		}
	}
}

// sqliteError is what the SQLite driver returns, with its code.
type sqliteError struct{ code int }

func (e sqliteError) Error() string { return fmt.Sprintf("sqlite error %d", e.code) }
func (e sqliteError) Code() int     { return e.code }

// TestCheckInsDuringImport: check-ins go on during an import, between its
// short transactions; they do not wait for its end (an import in one
// transaction would let one through at most). How long they wait is a
// benchmark's business: ghiseu-bench import prints it.
func TestCheckInsDuringImport(t *testing.T) {
	ctx := context.Background()
	db := openCounter(t)
	src := build(t, t.TempDir(), signer, contents(12, 60_000))
	stop := make(chan struct{})
	done := make(chan []time.Time)
	go func() {
		var finished []time.Time
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- finished
				return
			case <-tick.C:
			}
			err := db.Append(ctx, store.Event{ID: fmt.Sprint("e", i), BookingID: fmt.Sprint(1000 + i), Type: store.Arrived, At: time.Now(), Counter: "1"})
			if err != nil {
				t.Error(err)
			}
			finished = append(finished, time.Now())
		}
	}()
	t0 := time.Now()
	_, err := Import(ctx, db, src, nil)
	end := time.Now()
	close(stop)
	finished := <-done
	if err != nil {
		t.Fatal(err)
	}
	during := 0
	for _, f := range finished {
		if f.Before(end) {
			during++
		}
	}
	t.Logf("import %v; %d check-ins, %d done before it ended", end.Sub(t0).Round(time.Millisecond), len(finished), during)
	if during < 5 {
		t.Errorf("only %d check-ins were done during an import of %v: they waited for its end", during, end.Sub(t0))
	}
}

// TestEmptyFiles: empty cancelled and revoked lists, which 7z stores as
// files without a stream, in every archiver's form.
func TestEmptyFiles(t *testing.T) {
	for _, tool := range []string{"zip", "7z", "tar", "tar.gz"} {
		dir := t.TempDir()
		c := contents(7, 10)
		c.Cancelled, c.Revoked = nil, nil
		src := archiveWith(t, tool, dir, explode(t, build(t, dir, signer, c), dir, nil))
		if _, err := Import(context.Background(), openCounter(t), src, nil); err != nil {
			t.Fatalf("%s: %v", tool, err)
		}
	}
}
