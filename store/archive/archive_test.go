package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var lim = Limits{Entries: 16, Files: 4, FileSize: 50 << 20, TotalSize: 60 << 20, SolidSize: 8 << 20}

// tool runs an archiver in dir, failing (in CI) or skipping when it is missing.
func tool(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing in CI", name)
		}
		t.Skipf("%s not installed", name)
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// files writes two files into dir/in (one inside a folder) and returns
// their SHA-256 by base name.
func files(t *testing.T, dir string) map[string]string {
	in := filepath.Join(dir, "in")
	os.MkdirAll(filepath.Join(in, "zi"), 0o755)
	want := map[string]string{}
	for name, content := range map[string]string{
		"manifest.json":     `{"format":2}`,
		"zi/bookings.jsonl": strings.Repeat(`{"id":"1","name":"Țîrlea Mihai"}`+"\n", 5000),
	} {
		os.WriteFile(filepath.Join(in, name), []byte(content), 0o644)
		sum := sha256.Sum256([]byte(content))
		want[filepath.Base(name)] = hex.EncodeToString(sum[:])
	}
	return want
}

// walkAll reads every file of an archive and returns their SHA-256 by
// base name.
func walkAll(path string, lim Limits) (map[string]string, error) {
	got := map[string]string{}
	err := Walk(path, lim, func(e Entry, r io.Reader) error {
		h := sha256.New()
		n, err := io.Copy(h, r)
		if err == nil && n != e.Size {
			err = errors.New("size differs")
		}
		got[e.Base] = hex.EncodeToString(h.Sum(nil))
		return err
	})
	return got, err
}

func TestRealArchivers(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func(t *testing.T, dir string) string
	}{
		{"zip", func(t *testing.T, dir string) string {
			tool(t, filepath.Join(dir, "in"), "zip", "-q", "-r", "../p.zip", ".")
			return "p.zip"
		}},
		{"7z, encoded header", func(t *testing.T, dir string) string {
			tool(t, filepath.Join(dir, "in"), "7z", "a", "-bd", "-m0=lzma2", "../p.7z", ".")
			return "p.7z"
		}},
		{"7z, plain header", func(t *testing.T, dir string) string {
			tool(t, filepath.Join(dir, "in"), "7z", "a", "-bd", "-mhc=off", "../p.7z", ".")
			return "p.7z"
		}},
		{"7z, LZMA", func(t *testing.T, dir string) string {
			tool(t, filepath.Join(dir, "in"), "7z", "a", "-bd", "-m0=lzma", "-ms=off", "../p.7z", ".")
			return "p.7z"
		}},
		{"tar", func(t *testing.T, dir string) string {
			tool(t, dir, "tar", "-cf", "p.tar", "-C", "in", ".")
			return "p.tar"
		}},
		{"tar, POSIX", func(t *testing.T, dir string) string {
			tool(t, dir, "tar", "--format=posix", "-cf", "p.tar", "-C", "in", ".")
			return "p.tar"
		}},
		{"tar.gz", func(t *testing.T, dir string) string {
			tool(t, dir, "tar", "-czf", "p.tar.gz", "-C", "in", ".")
			return "p.tar.gz"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			want := files(t, dir)
			got, err := walkAll(filepath.Join(dir, tc.make(t, dir)), lim)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d files, want %d: %v", len(got), len(want), got)
			}
			for name, sum := range want {
				if got[name] != sum {
					t.Errorf("%s: hash %s, want %s", name, got[name], sum)
				}
			}
		})
	}
}

func TestRAR4(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/gen2brain/go-unarr").Output()
	if err != nil {
		t.Skip("go-unarr's module folder not found")
	}
	// test.rar in go-unarr's test data was made by RAR itself.
	got, err := walkAll(filepath.Join(strings.TrimSpace(string(out)), "testdata", "test.rar"), lim)
	if err != nil || len(got) != 1 {
		t.Fatalf("RAR's own archive: %v, %v", got, err)
	}
	// Ours, with a folder and a file inside it, Unix and Windows.
	src := filepath.Join(t.TempDir(), "p.rar")
	writeRAR(t, src, false, []rarEntry{
		{name: "zi", host: rarHostUnix, attr: 0o40755, flags: rarFileDir},
		{name: "zi/manifest.json", data: "{}", host: rarHostUnix, attr: 0o100644},
		{name: `zi\bookings.jsonl`, data: "line\n", host: rarHostWin32, attr: 0x20},
	})
	got, err = walkAll(src, lim)
	sum := sha256.Sum256([]byte("line\n"))
	if err != nil || len(got) != 2 || got["bookings.jsonl"] != hex.EncodeToString(sum[:]) {
		t.Fatalf("our RAR 4: %v, %v", got, err)
	}
}

func TestRefusals(t *testing.T) {
	zero := func(n int) string { return string(make([]byte, n)) }
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		want error
	}{
		{"zip: escape with ..", zipOf(zipEntry{name: "../../etc/evil"}), ErrName},
		{"zip: absolute path", zipOf(zipEntry{name: "/etc/passwd"}), ErrName},
		{"zip: hidden file", zipOf(zipEntry{name: ".bashrc"}), ErrName},
		{"zip: hidden folder", zipOf(zipEntry{name: ".git/config"}), ErrName},
		{"zip: backslash", zipOf(zipEntry{name: `..\evil`}), ErrName},
		{"zip: control character", zipOf(zipEntry{name: "a\nb"}), ErrName},
		{"zip: empty part", zipOf(zipEntry{name: "a//b"}), ErrName},
		{"zip: same name twice", zipOf(zipEntry{name: "a/x"}, zipEntry{name: "b/x"}), ErrDuplicate},
		{"zip: symbolic link", zipOf(zipEntry{name: "link", data: "/etc/passwd", mode: fs.ModeSymlink | 0o777}), ErrType},
		{"zip: device", zipOf(zipEntry{name: "dev", mode: fs.ModeDevice | 0o600}), ErrType},
		{"zip: FIFO", zipOf(zipEntry{name: "fifo", mode: fs.ModeNamedPipe | 0o600}), ErrType},
		{"zip: folder with data", zipOf(zipEntry{name: "d/", data: "x", raw: true}), ErrType},
		{"zip: too large", zipOf(zipEntry{name: "bookings.jsonl", data: zero(51 << 20)}), ErrTooLarge},
		{"zip: too much in all", zipOf(zipEntry{name: "a", data: zero(40 << 20)}, zipEntry{name: "b", data: zero(40 << 20)}), ErrTooLarge},
		{"zip: too many files", zipOf(zipEntry{name: "1"}, zipEntry{name: "2"}, zipEntry{name: "3"}, zipEntry{name: "4"}, zipEntry{name: "5"}), ErrTooLarge},
		{"zip: encrypted", zipOf(zipEntry{name: "a", flags: 1}), ErrUnsupported},
		{"zip: a huge directory", func(t *testing.T, path string) {
			var es []zipEntry
			for i := 0; i < 20000; i++ {
				es = append(es, zipEntry{name: strings.Repeat("n", 40) + string(rune('a'+i%26)) + strings.Repeat("x", i%50)})
			}
			zipOf(es...)(t, path)
		}, ErrTooLarge},
		{"tar: symbolic link", tarOf(false, &tar.Header{Name: "manifest.json", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}), ErrType},
		{"tar: hard link", tarOf(false, &tar.Header{Name: "manifest.json", Typeflag: tar.TypeLink, Linkname: "/etc/shadow"}), ErrType},
		{"tar: character device", tarOf(false, &tar.Header{Name: "c", Typeflag: tar.TypeChar, Devmajor: 1, Devminor: 3}), ErrType},
		{"tar: block device", tarOf(true, &tar.Header{Name: "b", Typeflag: tar.TypeBlock, Devmajor: 8}), ErrType},
		{"tar: FIFO", tarOf(false, &tar.Header{Name: "f", Typeflag: tar.TypeFifo}), ErrType},
		{"tar: escape with ..", tarOf(false, &tar.Header{Name: "../evil", Typeflag: tar.TypeReg}), ErrName},
		{"tar: absolute path", tarOf(true, &tar.Header{Name: "/etc/cron.d/x", Typeflag: tar.TypeReg}), ErrName},
		{"tar: same name twice", tarOf(false, &tar.Header{Name: "a/x", Typeflag: tar.TypeReg}, &tar.Header{Name: "x", Typeflag: tar.TypeReg}), ErrDuplicate},
		{"tar: declared too large", tarOf(true, &tar.Header{Name: "x", Typeflag: tar.TypeReg, Size: 1 << 40}), ErrTooLarge},
		{"tar: too many entries", func(t *testing.T, path string) {
			var hs []*tar.Header
			for i := 0; i < 20; i++ {
				hs = append(hs, &tar.Header{Name: strings.Repeat("d", i+1) + "/", Typeflag: tar.TypeDir})
			}
			tarOf(false, hs...)(t, path)
		}, ErrTooLarge},
		{"RAR: Unix symbolic link", rarOf(rarEntry{name: "manifest.json", data: "/etc/passwd", host: rarHostUnix, attr: 0o120777}), ErrType},
		{"RAR: Unix device", rarOf(rarEntry{name: "d", host: rarHostUnix, attr: 0o20600}), ErrType},
		{"RAR: Unix FIFO", rarOf(rarEntry{name: "f", host: rarHostUnix, attr: 0o10600}), ErrType},
		{"RAR: unknown Unix type", rarOf(rarEntry{name: "f", host: rarHostUnix, attr: 0o644}), ErrType},
		{"RAR: Windows reparse point", rarOf(rarEntry{name: "f", host: rarHostWin32, attr: 0x420}), ErrType},
		{"RAR: unknown host", rarOf(rarEntry{name: "f", host: 9, attr: 0x20}), ErrType},
		{"RAR: escape with ..", rarOf(rarEntry{name: `..\..\evil`, host: rarHostWin32, attr: 0x20}), ErrName},
		{"RAR: absolute path", rarOf(rarEntry{name: "/etc/evil", host: rarHostUnix, attr: 0o100644}), ErrName},
		{"RAR: same name twice", rarOf(rarEntry{name: "a/x", host: rarHostUnix, attr: 0o100644}, rarEntry{name: "x", host: rarHostUnix, attr: 0o100644}), ErrDuplicate},
		{"RAR: encrypted entry", rarOf(rarEntry{name: "x", host: rarHostUnix, attr: 0o100644, flags: rarFilePassword}), ErrUnsupported},
		{"RAR: split entry", rarOf(rarEntry{name: "x", host: rarHostUnix, attr: 0o100644, flags: 0x02}), ErrUnsupported},
		{"RAR: solid and too large", func(t *testing.T, path string) {
			writeRAR(t, path, true, []rarEntry{{name: "x", data: zero(9 << 20), host: rarHostUnix, attr: 0o100644}})
		}, ErrSolid},
		{"not an archive", raw([]byte("this is plain text, not an archive at all")), ErrFormat},
		{"RAR5", raw(append([]byte("Rar!\x1a\x07\x01\x00"), make([]byte, 64)...)), ErrRAR5},
		{"damaged gzip", raw(append([]byte{0x1f, 0x8b, 8, 0}, make([]byte, 64)...)), ErrCorrupt},
		{"7z signature only", raw(append(append([]byte{}, sevenZipMagic...), make([]byte, 40)...)), ErrCorrupt},
		{"empty file", raw([]byte{}), ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := filepath.Join(t.TempDir(), "pack")
			tt.make(t, src)
			read := 0
			err := Walk(src, lim, func(e Entry, r io.Reader) error {
				n, err := io.Copy(io.Discard, r)
				read += int(n)
				return err
			})
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if read > 0 && tt.want != ErrDuplicate && tt.want != ErrTooLarge {
				t.Errorf("%d bytes read before the refusal", read)
			}
		})
	}
}

// TestSpecialFilesFromRealTools: the archivers' own symbolic links, hard
// links and FIFOs.
func TestSpecialFilesFromRealTools(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func(t *testing.T, dir string) string
	}{
		{"tar, symbolic link", func(t *testing.T, dir string) string {
			os.Symlink("/etc/passwd", filepath.Join(dir, "in", "link"))
			tool(t, dir, "tar", "-cf", "p.tar", "-C", "in", ".")
			return "p.tar"
		}},
		{"tar.gz, hard link", func(t *testing.T, dir string) string {
			os.Link(filepath.Join(dir, "in", "manifest.json"), filepath.Join(dir, "in", "hard"))
			tool(t, dir, "tar", "-czf", "p.tgz", "-C", "in", ".")
			return "p.tgz"
		}},
		{"tar, FIFO", func(t *testing.T, dir string) string {
			tool(t, filepath.Join(dir, "in"), "mkfifo", "fifo")
			tool(t, dir, "tar", "-cf", "p.tar", "-C", "in", ".")
			return "p.tar"
		}},
		{"zip, symbolic link", func(t *testing.T, dir string) string {
			os.Symlink("/etc/passwd", filepath.Join(dir, "in", "link"))
			tool(t, filepath.Join(dir, "in"), "zip", "-q", "-r", "-y", "../p.zip", ".")
			return "p.zip"
		}},
		{"tar, sparse file", func(t *testing.T, dir string) string {
			f, _ := os.Create(filepath.Join(dir, "in", "sparse"))
			f.Truncate(4 << 20)
			f.WriteAt([]byte("x"), 1<<20)
			f.Close()
			tool(t, dir, "tar", "-S", "-cf", "p.tar", "-C", "in", ".")
			return "p.tar"
		}},
		{"tar, POSIX sparse file", func(t *testing.T, dir string) string {
			f, _ := os.Create(filepath.Join(dir, "in", "sparse"))
			f.Truncate(4 << 20)
			f.WriteAt([]byte("x"), 1<<20)
			f.Close()
			tool(t, dir, "tar", "--format=posix", "-S", "-cf", "p.tar", "-C", "in", ".")
			return "p.tar"
		}},
		{"7z, symbolic link", func(t *testing.T, dir string) string {
			os.Symlink("manifest.json", filepath.Join(dir, "in", "link"))
			tool(t, filepath.Join(dir, "in"), "7z", "a", "-bd", "-snl", "../p.7z", ".")
			return "p.7z"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files(t, dir)
			_, err := walkAll(filepath.Join(dir, tc.make(t, dir)), lim)
			if !errors.Is(err, ErrType) {
				t.Fatalf("error %v, want %v", err, ErrType)
			}
		})
	}
}

// TestSolidBound: a 7z archive of more than Limits.SolidSize is refused
// before unarr decodes it (whole, in memory), whatever its header.
func TestSolidBound(t *testing.T) {
	for _, args := range [][]string{{"-mhc=on"}, {"-mhc=off"}} {
		t.Run(args[0], func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "bookings.jsonl"), make([]byte, 9<<20), 0o600)
			tool(t, dir, "7z", append([]string{"a", "-bd", "-mx1"}, append(args, "p.7z", "bookings.jsonl")...)...)
			if _, err := walkAll(filepath.Join(dir, "p.7z"), lim); !errors.Is(err, ErrSolid) {
				t.Fatalf("error %v, want %v", err, ErrSolid)
			}
		})
	}
}

// TestDamage: truncated archives and flipped bytes end in an error or a
// different hash, never in the same content.
func TestDamage(t *testing.T) {
	for _, tc := range []struct{ name, file string }{
		{"zip", "p.zip"}, {"zip stored", "s.zip"}, {"7z", "p.7z"}, {"tar", "p.tar"}, {"tar.gz", "p.tar.gz"}, {"RAR", "p.rar"},
	} {
		dir := t.TempDir()
		want := files(t, dir)
		in := filepath.Join(dir, "in")
		switch tc.file {
		case "p.zip":
			tool(t, in, "zip", "-q", "-r", "../p.zip", ".")
		case "s.zip":
			tool(t, in, "zip", "-q", "-0", "-r", "../s.zip", ".")
		case "p.7z":
			tool(t, in, "7z", "a", "-bd", "../p.7z", ".")
		case "p.tar":
			tool(t, dir, "tar", "-cf", "p.tar", "-C", "in", ".")
		case "p.tar.gz":
			tool(t, dir, "tar", "-czf", "p.tar.gz", "-C", "in", ".")
		case "p.rar":
			data, _ := os.ReadFile(filepath.Join(in, "zi", "bookings.jsonl"))
			writeRAR(t, filepath.Join(dir, "p.rar"), false, []rarEntry{{name: "bookings.jsonl", data: string(data), host: rarHostUnix, attr: 0o100644}})
			want = map[string]string{"bookings.jsonl": want["bookings.jsonl"]}
		}
		data, err := os.ReadFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, cut := range []int{len(data) / 3, len(data) / 2} {
			t.Run(tc.name+" cut", func(t *testing.T) {
				src := filepath.Join(t.TempDir(), tc.file)
				os.WriteFile(src, data[:cut], 0o600)
				if got, err := walkAll(src, lim); err == nil && len(got) == len(want) {
					t.Fatalf("a %s cut at %d of %d read whole: %v", tc.name, cut, len(data), got)
				}
			})
		}
		t.Run(tc.name+" flipped", func(t *testing.T) {
			bad := bytes.Clone(data)
			bad[len(bad)/3] ^= 0x55 // inside the bookings, or their compressed form
			src := filepath.Join(t.TempDir(), tc.file)
			os.WriteFile(src, bad, 0o600)
			got, err := walkAll(src, lim)
			if err == nil && got["bookings.jsonl"] == want["bookings.jsonl"] {
				t.Fatalf("a flipped byte went unnoticed")
			}
		})
	}
}

func TestUnarrClosesOnce(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "p.rar")
	writeRAR(t, src, false, []rarEntry{{name: "x", data: "x", host: rarHostUnix, attr: 0o100644}})
	u, err := openUnarrArchive(src, kindRAR)
	if err != nil {
		t.Fatal(err)
	}
	u.close()
	u.close() // go-unarr's own Close crashes here
}

// --- archive makers ---

type zipEntry struct {
	name, data string
	mode       fs.FileMode
	flags      uint16
	raw        bool // written as is: a folder with data
}

func zipOf(entries ...zipEntry) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(f)
		for _, e := range entries {
			h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Flags: e.flags}
			if e.mode != 0 {
				h.SetMode(e.mode)
			}
			create := zw.CreateHeader
			if e.raw {
				h.Method, h.CRC32 = zip.Store, crc32.ChecksumIEEE([]byte(e.data))
				h.CompressedSize64, h.UncompressedSize64 = uint64(len(e.data)), uint64(len(e.data))
				create = zw.CreateRaw
			}
			w, err := create(h)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(w, e.data)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
}

func tarOf(gz bool, headers ...*tar.Header) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		for _, h := range headers {
			h.Mode, h.ModTime = 0o644, time.Unix(1e9, 0)
			size := h.Size
			if size > 1<<20 {
				h.Size = 0 // written below by hand
			}
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(err)
			}
			tw.Write(make([]byte, h.Size))
			if size != h.Size {
				patchTarSize(t, buf.Bytes()[buf.Len()-512:], size)
			}
		}
		tw.Close()
		data := buf.Bytes()
		if gz {
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			zw.Write(data)
			zw.Close()
			data = z.Bytes()
		}
		os.WriteFile(path, data, 0o600)
	}
}

// patchTarSize declares size in a written header (base-256, as GNU tar
// does for large files) and fixes its checksum.
func patchTarSize(t *testing.T, h []byte, size int64) {
	field := h[124:136]
	for i := range field {
		field[i] = 0
	}
	field[0] = 0x80
	for i := len(field) - 1; i > 0 && size > 0; i-- {
		field[i] = byte(size)
		size >>= 8
	}
	copy(h[148:156], "        ")
	sum := 0
	for _, c := range h[:512] {
		sum += int(c)
	}
	copy(h[148:156], []byte(strings.Repeat("0", 6-len(octal(sum)))+octal(sum)+"\x00 "))
}

func octal(n int) string {
	s := ""
	for ; n > 0; n /= 8 {
		s = string(rune('0'+n%8)) + s
	}
	return s
}

func raw(data []byte) func(*testing.T, string) {
	return func(t *testing.T, path string) { os.WriteFile(path, data, 0o600) }
}
