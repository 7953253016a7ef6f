package main

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/pack"
	"github.com/ghiseu/ghiseu/store/pack/packtest"
	"github.com/ghiseu/ghiseu/store/rules"
)

var benchKey = ed25519.NewKeyFromSeed([]byte("ghiseu-bench pack key, 32 bytes!"))

// benchImport builds packs of the given sizes and imports each into a fresh
// database in a child process, which checks people in every --every while
// it imports; it reports the import's time, its peak memory and how long
// the check-ins took. With --bombs it imports archive bombs.
func benchImport(args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	sizes := fs.String("sizes", "100,1000000", "pack sizes in bookings")
	every := fs.Duration("every", 20*time.Millisecond, "a check-in this often during the import")
	bombs := fs.Bool("bombs", false, "import archive bombs instead")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ghiseu-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if *bombs {
		return benchBombs(dir)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "bookings\tpack (MB)\tbuild (s)\timport (s)\tpeak RSS (MB)\tbookings/s\tcheck-ins\tp50 (ms)\tp99 (ms)\tmax (ms)\t")
	for _, field := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(field)
		if err != nil {
			return err
		}
		rows, err := measure(dir, n, *every)
		if err != nil {
			return err
		}
		for _, row := range rows {
			fmt.Fprintln(tw, row)
		}
	}
	return tw.Flush()
}

// result is what the child reports.
type result struct {
	Seconds  float64   `json:"seconds"`
	PeakRSS  int64     `json:"peak_rss"` // bytes
	Refusal  string    `json:"refusal,omitempty"`
	CheckIns []float64 `json:"check_ins,omitempty"` // ms each
	TempLeft int       `json:"temp_left"`           // files left in the temp folders
}

// measure imports a pack of n bookings into a fresh database, then the
// same pack again (nothing changes), and returns a row for each.
func measure(dir string, n int, every time.Duration) ([]string, error) {
	src := filepath.Join(dir, fmt.Sprintf("pack-%d.zip", n))
	t0 := time.Now()
	if err := writePack(src, n); err != nil {
		return nil, err
	}
	build := time.Since(t0)
	st, _ := os.Stat(src)
	db, err := newCounter(dir)
	if err != nil {
		return nil, err
	}
	var rows []string
	for _, again := range []string{"", " again"} {
		r, err := importInChild(db, src, every)
		if err != nil {
			return nil, fmt.Errorf("import of %d bookings: %w", n, err)
		}
		if r.Refusal != "" {
			return nil, fmt.Errorf("import of %d bookings: refused: %s", n, r.Refusal)
		}
		lat := slices.Sorted(slices.Values(r.CheckIns))
		rows = append(rows, fmt.Sprintf("%d%s\t%.1f\t%.2f\t%.2f\t%.0f\t%.0f\t%d\t%.1f\t%.1f\t%.1f\t", n, again, float64(st.Size())/1e6,
			build.Seconds(), r.Seconds, float64(r.PeakRSS)/1e6, float64(n)/r.Seconds, len(lat), pct(lat, 50), pct(lat, 99), pct(lat, 100)))
	}
	return rows, nil
}

// pct is the p-th percentile of sorted values (nearest rank).
func pct(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// newCounter makes a counter database in dir that trusts the bench key.
func newCounter(dir string) (string, error) {
	db := filepath.Join(dir, fmt.Sprintf("counter-%d", time.Now().UnixNano()), "counter.db")
	ctx := context.Background()
	d, err := store.Open(ctx, db)
	if err != nil {
		return "", err
	}
	err = d.PutKeys(ctx, rescode.Keyring{{ID: 1, Public: benchKey.Public().(ed25519.PublicKey)}})
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return db, err
}

// importInChild imports src into the database db in a child process with
// a temp folder of its own, and counts what is left in the temp folders.
func importInChild(db, src string, every time.Duration) (result, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Dir(db)), "tmp-")
	if err != nil {
		return result{}, err
	}
	cmd := exec.Command(os.Args[0], "import-one", "--every", every.String(), src, db)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, err
	}
	var r result
	if err := json.Unmarshal(out, &r); err != nil {
		return r, fmt.Errorf("the child said %q: %w", out, err)
	}
	for _, d := range []string{tmp, db + ".tmp"} {
		left, _ := os.ReadDir(d)
		r.TempLeft += len(left)
	}
	return r, nil
}

// writePack writes a pack of n bookings over 30 days, as a national
// 30-day window would hold, in the hub's order (by slot); booking IDs are
// in no order.
func writePack(path string, n int) error {
	cal := calendar.Default()
	loc := cal.Location()
	first := time.Date(2026, 11, 23, 8, 0, 0, 0, loc)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	reasons := rules.Reasons()
	perDay := (n + 29) / 30
	err = pack.Write(f, benchKey, 1, pack.Contents{
		Manifest: pack.Manifest{Office: cal.Office, From: "2026-11-23", To: "2026-12-22", Sequence: 1, Created: time.Now()},
		Office:   pack.Office{Calendar: cal, Fees: rules.DefaultFees},
		Keys:     rescode.Keyring{{ID: 1, Public: benchKey.Public().(ed25519.PublicKey)}},
		Bookings: func(yield func(pack.Booking) error) error {
			for i := 0; i < n; i++ {
				start := first.AddDate(0, 0, i/perDay).Add(time.Duration(i%perDay*27/perDay) * 20 * time.Minute)
				id := 1_000_000 + (i*7919)%n // a permutation: n is never a multiple of 7919 here
				err := yield(pack.Booking{ID: strconv.Itoa(id), SlotStart: start, SlotMinutes: 20,
					Kind: "intake", Name: fmt.Sprintf("Popescu-Ștefănescu Maria %d", i), Reason: reasons[i%len(reasons)],
					BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 40+i%60, 1+i%12, 1+i%28)})
				if err != nil {
					return err
				}
			}
			return nil
		},
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// importOne is the child: it imports one pack into one database and,
// meanwhile, checks a person in every --every (a read of the booking,
// then the arrival recorded in a write transaction, as a scan does); it
// prints a result as JSON.
func importOne(args []string) error {
	fs := flag.NewFlagSet("import-one", flag.ContinueOnError)
	every := fs.Duration("every", 0, "a check-in this often during the import")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("import-one [--every D] PACK DB")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, fs.Arg(1))
	if err != nil {
		return err
	}
	defer db.Close()
	stop := make(chan struct{})
	checkIns := make(chan []float64)
	go func() { checkIns <- checkInEvery(ctx, db, *every, stop) }()
	t0 := time.Now()
	_, err = pack.Import(ctx, db, fs.Arg(0), nil)
	r := result{Seconds: time.Since(t0).Seconds()}
	close(stop)
	r.CheckIns = <-checkIns
	var refusal *pack.Refusal
	switch {
	case errors.As(err, &refusal):
		r.Refusal = refusal.Key
	case err != nil:
		return err
	}
	r.PeakRSS = peakRSS()
	return json.NewEncoder(os.Stdout).Encode(r)
}

// checkInEvery records an arrival every d until stop, and returns how long
// each took, in ms.
func checkInEvery(ctx context.Context, db *store.DB, d time.Duration, stop chan struct{}) []float64 {
	var took []float64
	if d <= 0 {
		return nil
	}
	tick := time.NewTicker(d)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return took
		case <-tick.C:
		}
		t0 := time.Now()
		id := strconv.Itoa(1_000_000 + i)
		db.BookingByID(ctx, id)
		err := db.Judge(ctx, id, func([]store.Event) (store.Outcome, error) {
			return store.Outcome{Event: &store.Event{ID: fmt.Sprintf("bench-%d", i), BookingID: id, Type: store.Arrived,
				At: time.Now(), Counter: "1", Clerk: "bench"}}, nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "check-in:", err)
		}
		took = append(took, float64(time.Since(t0).Microseconds())/1000)
	}
}

// peakRSS is this process's peak resident memory in bytes: VmHWM, its
// own, unlike a child's ru_maxrss, which also counts what its parent had
// when it forked.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return -1
}

// benchBombs imports archive bombs, each in a child process, and reports
// how each was refused, how fast, with what peak memory, and what it left
// in the temp folders.
func benchBombs(dir string) error {
	small, err := smallSignedFiles(dir)
	if err != nil {
		return err
	}
	bombs := []struct {
		name string
		make func(path string) error
	}{
		{"zip: 2 GiB of zeros, unsigned", func(path string) error {
			return writeWith(path, func(f *os.File) error {
				return packtest.ZipBomb(f, nil, map[string]int{pack.FileBookings: 1024, pack.FileCancelled: 1024})
			})
		}},
		{"zip: 2 GiB, signed manifest, lying sizes", func(path string) error {
			return writeWith(path, func(f *os.File) error {
				return packtest.ZipBomb(f, without(small, pack.FileCancelled), map[string]int{pack.FileBookings: 1024, pack.FileCancelled: 1000})
			})
		}},
		{"tar.gz: 1 GiB, signed manifest, lying size", func(path string) error {
			return writeWith(path, func(f *os.File) error { return packtest.TarGzBomb(f, small, pack.FileBookings, 1024) })
		}},
		{"7z: 1 GiB of zeros (7z -mx1)", func(path string) error { return sevenZipBomb(dir, path, small) }},
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "bomb\tarchive (kB)\trefused as\ttime (ms)\tpeak RSS (MB)\ttemp files left\t")
	for i, b := range bombs {
		src := filepath.Join(dir, fmt.Sprintf("bomb-%d", i))
		if err := b.make(src); err != nil {
			fmt.Fprintf(tw, "%s\t\t%v\t\t\t\t\n", b.name, err)
			continue
		}
		st, _ := os.Stat(src)
		db, err := newCounter(dir)
		if err != nil {
			return err
		}
		r, err := importInChild(db, src, 0)
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.0f\t%.1f\t%d\t\n", b.name, st.Size()>>10, r.Refusal, r.Seconds*1000, float64(r.PeakRSS)/1e6, r.TempLeft)
	}
	return tw.Flush()
}

// smallSignedFiles are the files of a signed pack of a few bookings,
// which the bombs borrow: manifest, signature, office, keys and lists.
func smallSignedFiles(dir string) (map[string][]byte, error) {
	src := filepath.Join(dir, "small.zip")
	if err := writePack(src, 10); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	err := listZip(src, func(name string, data []byte) { files[name] = data })
	delete(files, pack.FileBookings)
	return files, err
}

func without(m map[string][]byte, name string) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range m {
		if k != name {
			out[k] = v
		}
	}
	return out
}

func writeWith(path string, fn func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = fn(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// sevenZipBomb has the real 7z compress 1 GiB of zeros, as bookings.jsonl
// beside the small signed files (about 230 kB, 7 s).
func sevenZipBomb(dir, path string, small map[string][]byte) error {
	in := filepath.Join(dir, "7z-in")
	if err := os.MkdirAll(in, 0o700); err != nil {
		return err
	}
	for name, data := range small {
		if err := os.WriteFile(filepath.Join(in, name), data, 0o600); err != nil {
			return err
		}
	}
	f, err := os.Create(filepath.Join(in, pack.FileBookings))
	if err != nil {
		return err
	}
	f.Truncate(1 << 30)
	f.Close()
	cmd := exec.Command("7z", "a", "-bd", "-mx1", path+".7z", ".")
	cmd.Dir = in
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("7z: %v: %s", err, out)
	}
	os.RemoveAll(in)
	return os.Rename(path+".7z", path)
}

// listZip calls fn with every file of a zip archive.
func listZip(path string, fn func(name string, data []byte)) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		fn(f.Name, data)
	}
	return nil
}
