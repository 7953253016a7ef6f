package app

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store/supervise"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// The supervisor's window names the kiosk as the kiosk does.
func TestKioskCounterIsTheSupervisors(t *testing.T) {
	if KioskCounter != supervise.KioskCounter {
		t.Fatalf("the kiosk records arrivals as %q, the supervisor looks for %q", KioskCounter, supervise.KioskCounter)
	}
}

// TestSupervisorTicketsKioskAndCalls: two people check in at the kiosk,
// one at counter 3, which calls the first and calls her again. In Romanian
// and in English the window shows each person's ticket, who came by the
// kiosk, the kiosk's tile, the counter's calls with the last one and the
// longest wait by its ticket alone, coloured, and never the kiosk as a
// counter.
func TestSupervisorTicketsKioskAndCalls(t *testing.T) {
	f := newFixture(t)
	kiosk := *f.d
	kiosk.Counter, kiosk.Clerk = KioskCounter, ""
	ctx := t.Context()
	f.at(10, 12)
	if v, err := kiosk.CheckIn(ctx, f.code("Bălan Ana")); err != nil || v.Ticket != "D-001" {
		t.Fatalf("the kiosk's first: %+v, %v", v, err)
	}
	f.at(10, 36)
	if v, err := kiosk.CheckIn(ctx, f.code("Constantinescu Irina")); err != nil || v.Ticket != "D-002" {
		t.Fatalf("the kiosk's second: %+v, %v", v, err)
	}
	f.at(10, 40)
	if _, err := f.d.CallNext(ctx); err != nil {
		t.Fatal(err)
	}
	f.at(10, 41)
	if _, _, err := f.d.Recall(ctx); err != nil {
		t.Fatal(err)
	}
	f.at(10, 55)
	if v, err := f.d.CheckIn(ctx, f.code("Șerban Luca")); err != nil || v.Ticket != "D-003" {
		t.Fatalf("the counter's arrival: %+v, %v", v, err)
	}
	f.at(10, 58)
	amber := cardColours[verdict.Amber][0]
	for _, tt := range []struct {
		lang                    i18n.Lang
		kioskName               string
		kioskSub                [2]string
		queue, counters         []string // lines, in order
		longest                 string
		notInQueue, notCounters string
	}{
		{lang: i18n.Romanian, kioskName: "Sosiți la chioșc", kioskSub: [2]string{"1 încă așteaptă", "ultima sosire la 10:36"},
			queue: []string{"10:50 · D-002 · Constantinescu Irina · chioșc · 22 min", "11:10 · D-003 · Șerban Luca · 3 min"},
			counters: []string{"Ghișeul 3 · maria: D-001 · Bălan Ana, de 18 min (ultima activitate 10:55)",
				"    1 chemare azi, 1 repetată · ultima: D-001 din nou la 10:41"},
			longest: "Cea mai lungă așteptare: D-002 · 22 min (sosit la 10:36)", notInQueue: "Bălan", notCounters: "kiosk"},
		{lang: i18n.English, kioskName: "Kiosk check-ins", kioskSub: [2]string{"1 still waiting", "last arrival 10:36"},
			queue: []string{"10:50 · D-002 · Constantinescu Irina · kiosk · 22 min", "11:10 · D-003 · Șerban Luca · 3 min"},
			counters: []string{"Counter 3 · maria: D-001 · Bălan Ana, for 18 min (last active 10:55)",
				"    1 call today, 1 again · last: D-001 again at 10:41"},
			longest: "Longest wait: D-002 · 22 min (arrived 10:36)", notInQueue: "Bălan", notCounters: "kiosk"},
	} {
		f.c.lang = tt.lang
		v := newSupervisor(f)
		k := v.tiles["kiosk"]
		if k.name.Text != tt.kioskName || k.big.Text != "2" || k.sub[0].Text != tt.kioskSub[0] || k.sub[1].Text != tt.kioskSub[1] {
			t.Errorf("%s: kiosk tile %q %q %q %q", tt.lang, k.name.Text, k.big.Text, k.sub[0].Text, k.sub[1].Text)
		}
		if got := strings.Split(v.queue.Text, "\n"); strings.Join(got, "|") != strings.Join(tt.queue, "|") || strings.Contains(v.queue.Text, tt.notInQueue) {
			t.Errorf("%s: queue %q, want %q", tt.lang, got, tt.queue)
		}
		if got := strings.Split(v.desks.Text, "\n"); strings.Join(got, "|") != strings.Join(tt.counters, "|") || strings.Contains(v.desks.Text, tt.notCounters) {
			t.Errorf("%s: counters %q, want %q", tt.lang, got, tt.counters)
		}
		r := test.WidgetRenderer(v.longest).(*linesRenderer)
		if v.longest.Text != tt.longest || r.bands[0].FillColor != amber || strings.Contains(v.longest.Text, "Constantinescu") {
			t.Errorf("%s: longest %q on %v, want %q on amber", tt.lang, v.longest.Text, r.bands[0].FillColor, tt.longest)
		}
		v.close()
	}
}

// TestSupervisorNobodyWaits: the longest wait says nobody waits, a
// counter that called nobody says so and the kiosk's tile is 0 without
// lines.
func TestSupervisorNobodyWaits(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Bălan Ana"), 0, true)
	if _, err := f.d.CallNext(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.d.Serve(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.at(11, 30)
	v := newSupervisor(f)
	r := test.WidgetRenderer(v.longest).(*linesRenderer)
	if v.longest.Text != "Nu așteaptă nimeni" || r.bands[0].FillColor != color.Transparent {
		t.Errorf("longest %q on %v", v.longest.Text, r.bands[0].FillColor)
	}
	if want := "Ghișeul 3 · maria: nicio chemare în ultima oră"; !strings.HasPrefix(v.desks.Text, want) ||
		!strings.HasSuffix(v.desks.Text, "    1 chemare azi · ultima: D-001 la 10:12") {
		t.Errorf("counters %q", v.desks.Text)
	}
	if k := v.tiles["kiosk"]; k.big.Text != "0" || k.sub[0].Text != "" {
		t.Errorf("kiosk tile %q, %q", k.big.Text, k.sub[0].Text)
	}
}
