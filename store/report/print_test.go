package report

import (
	"strings"
	"testing"
	"time"
)

func TestPrintable(t *testing.T) {
	r := Report{Office: "TM-DUMBRAVITA", Day: "2026-11-23",
		Totals:   Totals{Bookings: 16, Arrivals: 3, NoShows: 9, Pickups: 1, Served: 2, AvgWait: 16*time.Minute + 30*time.Second, AvgService: 15 * time.Minute},
		Counters: []Totals{{Name: "1", Arrivals: 3, Served: 1}, {Name: "2", Served: 1, Pickups: 1}},
		Clerks:   []Totals{{Name: "ana\nlines\x1b[2J", Served: 2}}, Conflicts: 1}
	var b strings.Builder
	if err := r.Printable(&b, "ro", "SPCLEP Dumbrăvița"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Raportul zilei\nSPCLEP Dumbrăvița · 2026-11-23\n",
		"Ziua          16       3        9         1        2                   16.5                 15.0\n",
		"Pe ghișee\n",
		"ana lines [2J",
		"Sosiri înregistrate de două ori: 1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b") {
		t.Errorf("a control character was printed:\n%q", out)
	}
}
