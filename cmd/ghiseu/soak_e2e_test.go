package main

import (
	"context"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/cmd/internal/soak"
	"github.com/ghiseu/ghiseu/store/demo"
)

// TestSoakUnderXvfb runs the real counter window under a window manager for
// a shift's worth of actions — 2,000 scans, 100 language switches, 50
// supervisor windows opened with the password and closed with Alt+F4 —
// and requires that no scan is lost and the live heap grows by 20 MB at
// most. `ghiseu-bench soak` prints the same run as a table.
func TestSoakUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	needTools(t, soak.Tools...)
	const maxGrowth = 20 << 20
	res, err := soak.Run(context.Background(), soak.Config{
		Bin: buildBinary(t), Dir: t.TempDir(), Width: 1366, Height: 768, Password: demo.Password,
		Scans: 2000, Languages: 100, Supervisors: 50, Rounds: 10, KeyDelay: time.Millisecond,
		Progress: func(p soak.Point) {
			t.Logf("%4d scans %3d languages %2d supervisor windows: live heap %5.1f MB, RSS %5.1f MB",
				p.Scans, p.Languages, p.Supervisors, float64(p.HeapLive)/(1<<20), float64(p.RSS)/(1<<20))
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	heap, rss := res.Growth()
	t.Logf("live heap %+.1f MB, RSS %+.1f MB; Enter to verdict: median %v, p99 %v",
		float64(heap)/(1<<20), float64(rss)/(1<<20), res.Percentile(50), res.Percentile(99))
	if heap > maxGrowth {
		t.Errorf("the live heap grew by %.1f MB over the shift, want at most %d MB", float64(heap)/(1<<20), maxGrowth>>20)
	}
	if len(res.Latencies) != 2000 {
		t.Errorf("%d verdicts for 2000 scans", len(res.Latencies))
	}
}
