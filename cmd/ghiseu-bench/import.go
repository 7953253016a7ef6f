package main

import (
	"context"
	"crypto/ed25519"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/pack"
	"github.com/ghiseu/ghiseu/store/rules"
)

var benchKey = ed25519.NewKeyFromSeed([]byte("ghiseu-bench pack key, 32 bytes!"))

// benchImport builds packs of the given sizes and imports each into a fresh
// database in a child process, reporting its time and peak memory.
func benchImport(args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	sizes := fs.String("sizes", "100,1000000", "pack sizes in bookings")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ghiseu-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "bookings\tpack (MB)\tbuild (s)\timport (s)\tpeak RSS (MB)\tbookings/s\t")
	for _, field := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(field)
		if err != nil {
			return err
		}
		row, err := measure(dir, n)
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, row)
	}
	return tw.Flush()
}

func measure(dir string, n int) (string, error) {
	src := filepath.Join(dir, fmt.Sprintf("pack-%d.zip", n))
	t0 := time.Now()
	if err := writePack(src, n); err != nil {
		return "", err
	}
	build := time.Since(t0)
	st, _ := os.Stat(src)
	db := filepath.Join(dir, fmt.Sprintf("counter-%d.db", n))
	ctx := context.Background()
	d, err := store.Open(ctx, db)
	if err != nil {
		return "", err
	}
	err = d.PutKeys(ctx, rescode.Keyring{{ID: 1, Public: benchKey.Public().(ed25519.PublicKey)}})
	d.Close()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(os.Args[0], "import-one", src, db)
	cmd.Stderr = os.Stderr
	t1 := time.Now()
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("import of %d bookings: %w", n, err)
	}
	took := time.Since(t1)
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
	return fmt.Sprintf("%d\t%.1f\t%.2f\t%.2f\t%.0f\t%.0f\t", n, float64(st.Size())/1e6, build.Seconds(),
		took.Seconds(), float64(rss)/1024, float64(n)/took.Seconds()), nil
}

// writePack writes a pack of n bookings over 30 days, as a national
// 30-day window would hold.
func writePack(path string, n int) error {
	cal := calendar.Default()
	loc := cal.Location()
	first := time.Date(2026, 11, 23, 8, 0, 0, 0, loc)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	reasons := rules.Reasons()
	err = pack.Write(f, benchKey, 1, pack.Contents{
		Manifest: pack.Manifest{Office: cal.Office, From: "2026-11-23", To: "2026-12-22", Sequence: 1, Created: time.Now()},
		Office:   pack.Office{Calendar: cal, Fees: rules.DefaultFees},
		Keys:     rescode.Keyring{{ID: 1, Public: benchKey.Public().(ed25519.PublicKey)}},
		Bookings: func(yield func(pack.Booking) error) error {
			for i := 0; i < n; i++ {
				start := first.AddDate(0, 0, i%30).Add(time.Duration(i/30%27) * 20 * time.Minute)
				err := yield(pack.Booking{ID: strconv.Itoa(1_000_000 + i), SlotStart: start, SlotMinutes: 20,
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

// importOne is the child: it imports one pack into one database.
func importOne(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("import-one PACK DB")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, args[1])
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = pack.Import(ctx, db, args[0], nil)
	return err
}
