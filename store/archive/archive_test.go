package archive

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var lim = Limits{Entries: 8, EntrySize: 50 << 20, TotalSize: 60 << 20}

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

// files writes two files into dir/in and returns their SHA-256 by name.
func files(t *testing.T, dir string) map[string]string {
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	want := map[string]string{}
	for name, content := range map[string]string{
		"manifest.json":  `{"format":1}`,
		"bookings.jsonl": strings.Repeat(`{"id":"1","name":"Țîrlea Mihai"}`+"\n", 5000),
	} {
		os.WriteFile(filepath.Join(in, name), []byte(content), 0o644)
		sum := sha256.Sum256([]byte(content))
		want[name] = hex.EncodeToString(sum[:])
	}
	return want
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
		{"7z LZMA2", func(t *testing.T, dir string) string {
			tool(t, filepath.Join(dir, "in"), "7z", "a", "-bd", "-m0=lzma2", "../p.7z", ".")
			return "p.7z"
		}},
		{"tar", func(t *testing.T, dir string) string {
			tool(t, dir, "tar", "-cf", "p.tar", "-C", "in", ".")
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
			src := filepath.Join(dir, tc.make(t, dir))
			out := filepath.Join(dir, "out")
			os.Mkdir(out, 0o700)
			entries, err := Unpack(src, out, lim)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != len(want) {
				t.Fatalf("%d entries, want %d: %+v", len(entries), len(want), entries)
			}
			for _, e := range entries {
				data, _ := os.ReadFile(e.Path)
				sum := sha256.Sum256(data)
				if want[e.Name] == "" || e.SHA256 != want[e.Name] || hex.EncodeToString(sum[:]) != e.SHA256 {
					t.Errorf("%s: hash %s, file %x, want %s", e.Name, e.SHA256, sum, want[e.Name])
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
	src := filepath.Join(strings.TrimSpace(string(out)), "testdata", "test.rar")
	dir := t.TempDir()
	entries, err := Unpack(src, dir, lim)
	if err != nil || len(entries) == 0 {
		t.Fatalf("RAR4: %v, %v", entries, err)
	}
}

// writeZip makes a zip archive with the given entries (name → size of zeros).
func writeZip(t *testing.T, path string, entries [][2]any) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	zero := make([]byte, 1<<20)
	for _, e := range entries {
		w, err := zw.Create(e[0].(string))
		if err != nil {
			t.Fatal(err)
		}
		for left := e[1].(int); left > 0; left -= len(zero) {
			w.Write(zero[:min(left, len(zero))])
		}
	}
	zw.Close()
	f.Close()
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name    string
		entries [][2]any
		raw     []byte
		want    error
	}{
		{"escape with ..", [][2]any{{"../../etc/evil", 10}}, nil, ErrName},
		{"absolute path", [][2]any{{"/etc/passwd", 10}}, nil, ErrName},
		{"hidden file", [][2]any{{".bashrc", 10}}, nil, ErrName},
		{"backslash", [][2]any{{`..\evil`, 10}}, nil, ErrName},
		{"same name twice", [][2]any{{"a/x", 1}, {"b/x", 1}}, nil, ErrName},
		{"zip bomb", [][2]any{{"bookings.jsonl", 200 << 20}}, nil, ErrTooLarge},
		{"too much in all", [][2]any{{"a", 40 << 20}, {"b", 40 << 20}}, nil, ErrTooLarge},
		{"too many files", [][2]any{{"1", 1}, {"2", 1}, {"3", 1}, {"4", 1}, {"5", 1}, {"6", 1}, {"7", 1}, {"8", 1}, {"9", 1}}, nil, ErrTooLarge},
		{"not an archive", nil, []byte("this is plain text, not an archive at all"), ErrFormat},
		{"RAR5", nil, append([]byte("Rar!\x1a\x07\x01\x00"), make([]byte, 64)...), ErrRAR5},
		{"damaged gzip", nil, append([]byte{0x1f, 0x8b, 8, 0}, make([]byte, 64)...), ErrCorrupt},
		{"empty file", nil, []byte{}, ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "pack")
			if tt.raw != nil {
				os.WriteFile(src, tt.raw, 0o600)
			} else {
				writeZip(t, src, tt.entries)
			}
			out := filepath.Join(dir, "out")
			os.Mkdir(out, 0o700)
			if _, err := Unpack(src, out, lim); !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "..", "etc")); err == nil && tt.want == ErrName {
				t.Fatal("an entry escaped")
			}
		})
	}
}

func TestTruncatedZip(t *testing.T) {
	dir := t.TempDir()
	files(t, dir)
	tool(t, filepath.Join(dir, "in"), "zip", "-q", "-r", "../p.zip", ".")
	data, _ := os.ReadFile(filepath.Join(dir, "p.zip"))
	os.WriteFile(filepath.Join(dir, "cut.zip"), data[:len(data)/2], 0o600)
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o700)
	if _, err := Unpack(filepath.Join(dir, "cut.zip"), out, lim); err == nil {
		t.Fatal("a zip cut in half unpacked without error")
	}
}
