package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/ghiseu/ghiseu/cmd/internal/soak"
	"github.com/ghiseu/ghiseu/store/demo"
)

// benchSoak runs the real counter window for a shift's worth of actions
// on a virtual screen with a window manager and prints its memory over
// time and the time from a scan's Enter to its verdict.
func benchSoak(args []string) error {
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	bin := fs.String("ghiseu", "", "the ghiseu binary to measure; built from ./cmd/ghiseu when empty")
	scans := fs.Int("scans", 2000, "scans in all")
	languages := fs.Int("languages", 100, "language switches in all")
	supervisors := fs.Int("supervisors", 50, "supervisor windows opened and closed in all")
	rounds := fs.Int("rounds", 20, "memory samples after the first")
	keep := fs.Bool("keep", false, "keep the counter's data, the memory samples and the heap profile (for go tool pprof)")
	delay := fs.Duration("key-delay", time.Millisecond, "the scanner's time between two keys")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ghiseu-bench-soak-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Println("data, memory samples and the last heap profile in", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	if *bin == "" {
		*bin = filepath.Join(dir, "ghiseu")
		if out, err := exec.Command("go", "build", "-o", *bin, "./cmd/ghiseu").CombinedOutput(); err != nil {
			return fmt.Errorf("build ghiseu: %v\n%s", err, out)
		}
	}
	const row = "%7s %6s %9s %10s %12s %11s %7s %10s\n"
	fmt.Printf(row, "minutes", "scans", "languages", "supervisor", "heap live MB", "heap sys MB", "RSS MB", "goroutines")
	start := time.Now()
	res, err := soak.Run(context.Background(), soak.Config{
		Bin: *bin, Dir: dir, Width: 1366, Height: 768, Password: demo.Password,
		Scans: *scans, Languages: *languages, Supervisors: *supervisors, Rounds: *rounds, KeyDelay: *delay,
		Progress: func(p soak.Point) {
			fmt.Printf(row, fmt.Sprintf("%.1f", time.Since(start).Minutes()), fmt.Sprint(p.Scans), fmt.Sprint(p.Languages),
				fmt.Sprint(p.Supervisors), mb(p.HeapLive), mb(p.HeapSys), mb(p.RSS), fmt.Sprint(p.Goroutines))
		},
	})
	if err != nil {
		return err
	}
	heap, rss := res.Growth()
	fmt.Printf("\nlive heap grew %+.1f MB, RSS %+.1f MB over %d scans, %d language switches, %d supervisor windows\n",
		float64(heap)/(1<<20), float64(rss)/(1<<20), len(res.Latencies), *languages, *supervisors)
	fmt.Printf("live heap trend once warm: %+.1f MB a shift\n", float64(res.Trend())/(1<<20))
	first := soak.Result{Latencies: res.Latencies[:min(100, len(res.Latencies))]}
	fmt.Printf("Enter to verdict, first %d scans: median %v, p99 %v; all %d: median %v, p99 %v\n",
		len(first.Latencies), first.Percentile(50).Round(10*time.Microsecond), first.Percentile(99).Round(10*time.Microsecond),
		len(res.Latencies), res.Percentile(50).Round(10*time.Microsecond), res.Percentile(99).Round(10*time.Microsecond))
	return nil
}

// mb is bytes in MiB, for the table.
func mb(b uint64) string { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }
