package soak

import (
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/cmd/internal/memlog"
)

func TestShareSpreadsActionsOverRounds(t *testing.T) {
	for _, tt := range []struct{ n, rounds, want0, wantLast int }{
		{2000, 10, 200, 2000},
		{50, 10, 5, 50},
		{3, 10, 0, 3},
		{0, 5, 0, 0},
	} {
		if got := share(tt.n, 0, tt.rounds); got != tt.want0 {
			t.Errorf("share(%d, 0, %d) = %d, want %d", tt.n, tt.rounds, got, tt.want0)
		}
		if got := share(tt.n, tt.rounds-1, tt.rounds); got != tt.wantLast {
			t.Errorf("share(%d, last, %d) = %d, want %d", tt.n, tt.rounds, got, tt.wantLast)
		}
	}
}

func TestResultFigures(t *testing.T) {
	r := Result{Points: []Point{
		{Sample: memlog.Sample{HeapLive: 50 << 20, RSS: 200 << 20}},
		{Sample: memlog.Sample{HeapLive: 80 << 20, RSS: 190 << 20}},
		{Sample: memlog.Sample{HeapLive: 60 << 20, RSS: 210 << 20}},
	}}
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(101-i)*time.Millisecond)
	}
	if heap, rss := r.Growth(); heap != 10<<20 || rss != 10<<20 {
		t.Errorf("growth %d, %d; want first to last: 10 MiB each", heap, rss)
	}
	if got := r.Trend(); got != -20<<20*2 {
		t.Errorf("trend %d, want the warm slope (-20 MiB a round) over 2 rounds", got)
	}
	if got := (Result{Points: r.Points[:2]}).Trend(); got != 0 {
		t.Errorf("trend of one warm point %d, want 0", got)
	}
	if got := r.Percentile(50); got != 50*time.Millisecond {
		t.Errorf("median %v, want 50ms", got)
	}
	if got := r.Percentile(99); got != 99*time.Millisecond {
		t.Errorf("p99 %v, want 99ms", got)
	}
}

func TestVerdictLogLine(t *testing.T) {
	line := `2026/11/23 07:27:11 INFO verdict shown verdict=valid after=12.5ms`
	m := verdictShown.FindStringSubmatch(line)
	if m == nil || m[1] != "12.5ms" {
		t.Fatalf("the app's log line %q gives %q", line, m)
	}
}
