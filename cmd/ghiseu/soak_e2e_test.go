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
// and requires that no scan is lost and that the live heap, once warm,
// trends up by 10 MB a shift at most (a leak of 5 KB a scan fails it; the
// first round's warm-up of Fyne's caches is not a leak, and a single
// sample swings by a few MB with the last collection). The whole growth is
// bounded too. `ghiseu-bench soak` prints the same run as a table.
func TestSoakUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	needTools(t, soak.Tools...)
	const maxTrend, maxGrowth = 10 << 20, 40 << 20
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
	trend := res.Trend()
	t.Logf("live heap %+.1f MB, RSS %+.1f MB, trend once warm %+.1f MB a shift; Enter to verdict: median %v, p99 %v",
		float64(heap)/(1<<20), float64(rss)/(1<<20), float64(trend)/(1<<20), res.Percentile(50), res.Percentile(99))
	if trend > maxTrend {
		t.Errorf("the live heap trends up by %.1f MB a shift once warm, want at most %d MB", float64(trend)/(1<<20), maxTrend>>20)
	}
	if heap > maxGrowth {
		t.Errorf("the live heap grew by %.1f MB over the shift, want at most %d MB", float64(heap)/(1<<20), maxGrowth>>20)
	}
	if len(res.Latencies) != 2000 {
		t.Errorf("%d verdicts for 2000 scans", len(res.Latencies))
	}
}
