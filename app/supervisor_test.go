package app

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ghiseu/ghiseu/store/verdict"
)

// newSupervisor builds the supervisor's window on the fixture's counter
// without its ticker: the test refreshes it.
func newSupervisor(f *fixture) *supervisorView {
	v := f.c.newSupervisorView()
	f.c.supervisors = append(f.c.supervisors, v)
	v.refresh()
	v.win.Show()
	return v
}

// objects counts every object drawn in the window, widgets' insides too.
func objects(v *supervisorView) int {
	var walk func(o fyne.CanvasObject) int
	walk = func(o fyne.CanvasObject) int {
		n := 1
		var children []fyne.CanvasObject
		switch x := o.(type) {
		case *fyne.Container:
			children = x.Objects
		case fyne.Widget:
			children = test.WidgetRenderer(x).Objects()
		}
		for _, c := range children {
			n += walk(c)
		}
		return n
	}
	return walk(v.win.Content())
}

func TestSupervisorNumbersAndColours(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true) // 10:12, slot 10:10
	f.at(10, 36)
	f.keys(f.c.manual, f.code("Constantinescu Irina"), 4*time.Millisecond, true) // slot 10:50
	f.at(10, 55)
	v := newSupervisor(f)
	if got := v.win.Canvas().Focused(); got != nil {
		t.Fatalf("the supervisor's window took the focus: %T", got)
	}
	red, amber := cardColours[verdict.Red][0], cardColours[verdict.Amber][0]
	waiting := v.tiles["waiting"]
	if waiting.big.Text != "2" || waiting.sub[0].Text != "cel mai mult 43 min" || waiting.sub[1].Text != "în medie 31 min" || waiting.bg.FillColor != red {
		t.Fatalf("waiting tile: %q, %q, %q, %v", waiting.big.Text, waiting.sub[0].Text, waiting.sub[1].Text, waiting.bg.FillColor)
	}
	if v.thresholds.Text != "galben peste 15 min, roșu peste 30 min" {
		t.Fatalf("thresholds %q", v.thresholds.Text)
	}
	r := test.WidgetRenderer(v.queue).(*linesRenderer)
	if !strings.Contains(r.texts[0].Text, "Bălan Ana · 43 min") || r.bands[0].FillColor != red ||
		!strings.Contains(r.texts[1].Text, "Constantinescu Irina · 19 min") || r.bands[1].FillColor != amber {
		t.Fatalf("queue: %q on %v, %q on %v", r.texts[0].Text, r.bands[0].FillColor, r.texts[1].Text, r.bands[1].FillColor)
	}
	if _, err := f.d.CallNext(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.at(11, 2)
	v.refresh()
	if !strings.Contains(v.desks.Text, "Ghișeul 3 · maria: D-001 · Bălan Ana, de 7 min") {
		t.Fatalf("counters %q", v.desks.Text)
	}
	if waiting.big.Text != "1" || waiting.bg.FillColor != amber || v.tiles["serving"].big.Text != "1" {
		t.Fatalf("after the call: waiting %q on %v, serving %q", waiting.big.Text, waiting.bg.FillColor, v.tiles["serving"].big.Text)
	}
	if _, err := f.d.Serve(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.at(11, 10)
	v.refresh()
	if s := v.tiles["served"]; s.big.Text != "1" || s.sub[0].Text != "servire în medie 7 min" {
		t.Fatalf("served tile %q, %q", s.big.Text, s.sub[0].Text)
	}
	if p := v.tiles["pickups"]; p.sub[0].Text != "din 4 programate" || v.tiles["noshows"].sub[0].Text != "sosiți târziu: 0" {
		t.Fatalf("pickups %q, late %q", p.sub[0].Text, v.tiles["noshows"].sub[0].Text)
	}
}

// TestSupervisorChart: hours with their labels and a legend, laid out in
// whatever size the chart is given.
func TestSupervisorChart(t *testing.T) {
	f := newFixture(t)
	v := newSupervisor(f)
	r := test.WidgetRenderer(v.chart).(*chartRenderer)
	if len(v.chart.hours) != 5 || r.labels[0].Text != "08" || r.labels[4].Text != "12" || r.labels[5].Visible() {
		t.Fatalf("hours %+v, first label %q", v.chart.hours, r.labels[0].Text)
	}
	if r.legend[0].Text != "Programări" || r.legend[1].Text != "Sosiri" {
		t.Fatalf("legend %q, %q", r.legend[0].Text, r.legend[1].Text)
	}
	small, big := fyne.NewSize(400, 240), fyne.NewSize(1200, 700)
	r.Layout(small)
	h1, w1 := r.bars[0][0].Size().Height, r.xAxis.Position2.X
	r.Layout(big)
	if h2, w2 := r.bars[0][0].Size().Height, r.xAxis.Position2.X; h2 <= h1 || w2 <= w1 {
		t.Fatalf("the chart did not grow: bar %v to %v, axis to %v then %v", h1, h2, w1, w2)
	}
}

func TestChartScale(t *testing.T) {
	for _, tt := range []struct{ largest, top, step int }{
		{0, 1, 1}, {3, 3, 1}, {5, 5, 1}, {6, 6, 2}, {11, 15, 5}, {23, 25, 5}, {26, 30, 10}, {140, 150, 50},
	} {
		if top, step := scale(tt.largest); top != tt.top || step != tt.step {
			t.Errorf("scale(%d) = %d, %d; want %d, %d", tt.largest, top, step, tt.top, tt.step)
		}
	}
}

// TestSupervisorConstantMemory refreshes the window 100 times, the clock
// moving: the number of objects it draws does not grow.
func TestSupervisorConstantMemory(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	v := newSupervisor(f)
	before := objects(v)
	for range 100 {
		f.now = f.now.Add(2 * time.Second)
		v.refresh()
	}
	if after := objects(v); after != before {
		t.Fatalf("%d objects before 100 refreshes, %d after", before, after)
	}
	if got := v.win.Canvas().Focused(); got != nil {
		t.Fatalf("a refresh took the focus: %T", got)
	}
}

func TestReportOpenAndPrint(t *testing.T) {
	f := newFixture(t)
	v := newSupervisor(f)
	var said string
	v.say = func(_, msg string) { said = msg }
	var ran []string
	v.run = func(name string, args ...string) error {
		ran = append(ran, name+" "+strings.Join(args, " "))
		return nil
	}
	missing := func(string) (string, error) { return "", exec.ErrNotFound }
	present := func(p string) (string, error) { return "/usr/bin/" + p, nil }
	tests := []struct {
		name     string
		look     func(string) (string, error)
		run      func(string, ...string) error
		action   func(string) string
		want     string // in what is said; "" when nothing is
		wantExec string
	}{
		{"no opener", missing, nil, v.open, "(xdg-open). Raportul este salvat în: ", ""},
		{"opened", present, nil, v.open, "", "xdg-open "},
		{"opener fails", present, func(string, ...string) error { return errors.New("exit status 3") }, v.open, "nu a putut fi deschis (exit status 3)", ""},
		{"no printer", missing, nil, v.print, "Ctrl+P", ""},
		{"printed", present, nil, v.print, "trimis la imprimantă", "lp -o landscape -- "},
	}
	for _, tt := range tests {
		said, ran = "", nil
		v.lookPath = tt.look
		if tt.run != nil {
			v.run = tt.run
		} else {
			v.run = func(name string, args ...string) error {
				ran = append(ran, name+" "+strings.Join(args, " "))
				return nil
			}
		}
		done := make(chan struct{})
		v.reportThen(func(path string) string {
			defer close(done)
			return tt.action(path)
		})
		<-done
		if tt.want != "" {
			f.waitFor(func() bool { return said != "" })
		}
		if tt.want != "" && (!strings.Contains(said, tt.want) || !strings.Contains(said, "reports/ghiseu-TM-DUMBRAVITA-2026-11-23.")) || tt.want == "" && said != "" {
			t.Errorf("%s: said %q, want %q and the path", tt.name, said, tt.want)
		}
		if tt.wantExec != "" && (len(ran) != 1 || !strings.HasPrefix(ran[0], tt.wantExec) || !strings.Contains(ran[0], "reports/ghiseu-TM-DUMBRAVITA-2026-11-23.")) {
			t.Errorf("%s: ran %q, want %q and the path", tt.name, ran, tt.wantExec)
		}
		if tt.wantExec == "lp -o landscape -- " && len(ran) == 1 {
			page, err := os.ReadFile(strings.TrimPrefix(ran[0], tt.wantExec))
			if err != nil || !strings.HasPrefix(string(page), "Raportul zilei\nSPCLEP Dumbrăvița · 2026-11-23") {
				t.Errorf("the page sent to the printer: %q, %v", page, err)
			}
		}
	}
}

// TestSupervisorHighContrast: the window's own texts take the larger text
// of high contrast at the next refresh, like Fyne's labels.
func TestSupervisorHighContrast(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	v := newSupervisor(f)
	f.shortcut(fyne.KeyH)
	v.refresh()
	lines := test.WidgetRenderer(v.queue).(*linesRenderer)
	chart := test.WidgetRenderer(v.chart).(*chartRenderer)
	if lines.texts[0].TextSize != 18 || v.tiles["waiting"].name.TextSize != 18 || chart.labels[0].TextSize != 18*0.85 {
		t.Fatalf("text sizes in high contrast: queue %v, tile %v, chart %v", lines.texts[0].TextSize,
			v.tiles["waiting"].name.TextSize, chart.labels[0].TextSize)
	}
	if w := v.win.Content().MinSize().Width; w > 1366 {
		t.Fatalf("in high contrast the window needs %v pixels, wider than a 1366-pixel screen", w)
	}
}

// A supervisor's line wider than the window ends in "…" and fits.
func TestEllipsize(t *testing.T) {
	const size = 14
	long := "Ghișeul 3 · Maria-Magdalena Constantinescu-Vlădescu: liber (ultima activitate 10:02)"
	for _, room := range []float32{2000, 400, 150, 20} {
		got := ellipsize(long, size, fyne.TextStyle{}, room)
		w := fyne.MeasureText(got, size, fyne.TextStyle{}).Width
		switch {
		case room == 2000 && got != long:
			t.Errorf("room %v: %q cut though it fits", room, got)
		case room < 2000 && (!strings.HasSuffix(got, "…") || w > room):
			t.Errorf("room %v: %q is %v px wide", room, got, w)
		}
	}
}

// The supervisor sees how many people the clerks sent away with a reason.
func TestSupervisorCountsTheRefused(t *testing.T) {
	f := newFixture(t)
	f.c.Refuse(f.bookingID("Bălan Ana"), "data_mismatch")
	v := f.c.OpenSupervisor()
	defer v.close()
	if got := v.tiles["noshows"].sub[1].Text; got != "refuzați: 1" {
		t.Fatalf("the no-shows tile says %q under it", got)
	}
}
