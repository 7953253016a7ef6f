package pack

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/pack/packtest"
)

// The tests below run imports in child processes (this test binary, see
// TestMain) to measure their peak memory, or to kill them.
const (
	childEnv     = "GHISEU_PACK_CHILD" // the pack; the database in childEnv+"_DB"
	childMaxRSS  = 64 << 20
	childRunning = "importing"
)

func TestMain(m *testing.M) {
	if src := os.Getenv(childEnv); src != "" {
		os.Exit(child([]string{src, os.Getenv(childEnv + "_DB")}))
	}
	os.Exit(m.Run())
}

// child imports a pack, printing its refusal key (or "ok") and, when
// asked, a line once it is half-way through the bookings.
func child(args []string) int {
	ctx := context.Background()
	db, err := store.Open(ctx, args[1])
	if err != nil {
		fmt.Println(err)
		return 2
	}
	defer db.Close()
	said := false
	_, err = Import(ctx, db, args[0], func(done, total int64) {
		if !said && done > total*6/10 {
			fmt.Println(childRunning)
			said = true
		}
	})
	answer, code := "ok", 0
	if r, ok := err.(*Refusal); ok {
		answer, code = r.Key, 1
	} else if err != nil {
		answer, code = err.Error(), 2
	}
	fmt.Println(answer, peakRSS())
	return code
}

// peakRSS is this process's peak resident memory in bytes (VmHWM: its
// own, unlike a child's ru_maxrss, which also counts what its parent had
// when it forked).
func peakRSS() int64 {
	status, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return -1
}

// runChild imports src into the database at db in a child process whose
// temp folder is tmp; it returns the child's answer and its peak RSS.
func runChild(t *testing.T, src, db, tmp string) (string, int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"="+src, childEnv+"_DB="+db, "TMPDIR="+tmp)
	out, err := cmd.Output()
	fields := strings.Fields(string(out))
	if len(fields) != 2 {
		t.Fatalf("child: %q, %v", out, err)
	}
	rss, _ := strconv.ParseInt(fields[1], 10, 64)
	return fields[0], rss
}

func zipBomb(t *testing.T, path string, files map[string][]byte, bombs map[string]int) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := packtest.ZipBomb(f, files, bombs); err != nil {
		t.Fatal(err)
	}
}

func tarGzBomb(t *testing.T, path string, files map[string][]byte, mib int) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := packtest.TarGzBomb(f, files, FileBookings, mib); err != nil {
		t.Fatal(err)
	}
}

// signedFiles is a real small pack's files, the manifest and its
// signature among them.
func signedFiles(t *testing.T) map[string][]byte {
	return packFiles(t, build(t, t.TempDir(), signer, contents(9, 20)))
}

func only(files map[string][]byte, names ...string) map[string][]byte {
	out := map[string][]byte{}
	for _, n := range names {
		out[n] = files[n]
	}
	return out
}

// TestBombs: archive bombs cost neither memory nor disk. Each is imported
// by a child process whose peak RSS must stay under 64 MB, with nothing
// left in its temp folder or the database's.
func TestBombs(t *testing.T) {
	signed := signedFiles(t)
	small := only(signed, FileManifest, FileSignature, FileOffice, FileKeys, FileCancelled, FileRevoked)
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"zip, 2 GiB in 2 MB, unsigned", func(t *testing.T, path string) {
			zipBomb(t, path, nil, map[string]int{FileBookings: 1024, FileCancelled: 1024})
		}, "missing_file"},
		{"zip, 2 GiB in 2 MB, signed but lying", func(t *testing.T, path string) {
			zipBomb(t, path, only(signed, FileManifest, FileSignature, FileOffice, FileKeys, FileRevoked),
				map[string]int{FileBookings: 1024, FileCancelled: 1000})
		}, "bad_size"},
		{"zip, over 2 GiB in all", func(t *testing.T, path string) {
			zipBomb(t, path, small, map[string]int{FileBookings: 1024, "more.jsonl": 1024})
		}, "too_large"},
		{"zip, 1 GiB where 1 MiB is signed", func(t *testing.T, path string) {
			zipBomb(t, path, small, map[string]int{FileBookings: 1024})
		}, "bad_size"},
		{"tar.gz, 1 GiB in 1 MB, signed but lying", func(t *testing.T, path string) {
			tarGzBomb(t, path, small, 1024)
		}, "bad_size"},
		{"7z, 100 MiB of zeros", func(t *testing.T, path string) {
			dir := t.TempDir()
			f, _ := os.Create(filepath.Join(dir, FileBookings))
			f.Truncate(100 << 20)
			f.Close()
			for name, data := range small {
				os.WriteFile(filepath.Join(dir, name), data, 0o600)
			}
			run(t, dir, "7z", "a", "-bd", "-mx1", path+".7z", ".")
			os.Rename(path+".7z", path)
		}, "solid_too_large"},
		{"7z, 47 MiB decoded to reach the manifest", func(t *testing.T, path string) {
			dir := t.TempDir()
			f, _ := os.Create(filepath.Join(dir, FileBookings))
			f.Truncate(47 << 20)
			f.Close()
			names := []string{FileBookings}
			for name, data := range small {
				os.WriteFile(filepath.Join(dir, name), data, 0o600)
				names = append(names, name)
			}
			// One solid folder, the bookings first: the manifest comes out
			// only after them.
			run(t, dir, "7z", append([]string{"a", "-bd", "-mx1", path + ".7z"}, names...)...)
			os.Rename(path+".7z", path)
		}, "bad_size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "bomb")
			tt.make(t, src)
			db := filepath.Join(dir, "db", "counter.db")
			seed(t, db)
			tmp := t.TempDir()
			start := time.Now()
			got, rss := runChild(t, src, db, tmp)
			st, _ := os.Stat(src)
			t.Logf("%s: %d kB archive refused (%s) in %v, peak RSS %.1f MB", tt.name, st.Size()>>10, got, time.Since(start).Round(time.Millisecond), float64(rss)/1e6)
			if got != tt.want {
				t.Fatalf("child said %q, want %q", got, tt.want)
			}
			if rss > childMaxRSS && !raceEnabled {
				t.Errorf("peak RSS %d MB, at most %d", rss>>20, childMaxRSS>>20)
			}
			for _, d := range []string{tmp, db + ".tmp"} { // the system's and the database's temp folders
				if left, _ := os.ReadDir(d); len(left) > 0 {
					t.Errorf("%s holds %d files after the import", d, len(left))
				}
			}
		})
	}
}

// run runs a tool in dir, failing (in CI) or skipping when it is missing.
func run(t *testing.T, dir, name string, args ...string) {
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

// seed makes a counter database that trusts the test key.
func seed(t *testing.T, path string) {
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.PutKeys(context.Background(), trusted); err != nil {
		t.Fatal(err)
	}
}

// TestKilledImport: an import killed with SIGKILL half-way leaves nothing
// on disk but the database; the next start opens it, the pack is not
// recorded as installed, and it installs whole when imported again.
func TestKilledImport(t *testing.T) {
	dir := t.TempDir()
	src := build(t, dir, signer, contents(12, 60_000))
	db := filepath.Join(dir, "db", "counter.db")
	seed(t, db)
	tmp := t.TempDir()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"="+src, childEnv+"_DB="+db, "TMPDIR="+tmp)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n') // the child is half-way
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if strings.TrimSpace(line) != childRunning {
		t.Fatalf("the child said %q before it was killed", line)
	}
	for _, d := range []string{tmp, db + ".tmp"} { // the system's and the database's temp folders
		if left, _ := os.ReadDir(d); len(left) > 0 {
			t.Errorf("%s holds %d files after a killed import", d, len(left))
		}
	}
	ctx := context.Background()
	d, err := store.Open(ctx, db)
	if err != nil {
		t.Fatalf("the next start: %v", err)
	}
	defer d.Close()
	if seq, _ := d.PackSequence(ctx); seq != 0 {
		t.Errorf("a killed import recorded sequence %d", seq)
	}
	if _, err := Import(ctx, d, src, nil); err != nil {
		t.Fatalf("importing again: %v", err)
	}
	if seq, _ := d.PackSequence(ctx); seq != 12 {
		t.Errorf("sequence %d after the second import, want 12", seq)
	}
	if day, _ := d.DayBookings(ctx, cal.Office, "2026-11-23"); len(day) != 20_000 {
		t.Errorf("%d bookings on 23 Nov, want 20000", len(day))
	}
}
