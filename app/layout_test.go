package app

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/camera"
	"github.com/ghiseu/ghiseu/store/sync"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// screens are the counters' screens; a window there has a title bar of up
// to titleBar pixels unless full screen.
var screens = []fyne.Size{{Width: 1024, Height: 768}, {Width: 1280, Height: 720}, {Width: 1366, Height: 768}, {Width: 1920, Height: 1080}}

const titleBar = 32

// Long texts the window must hold without growing.
const (
	longClerk   = "Maria-Magdalena Constantinescu-Vlădescu."                     // 40 characters
	longCitizen = "Ionescu-Brâncoveanu Maria-Ștefania Alexandra Cristina-Ilinca" // 60
)

// longFixture is a counter showing every long text at once: a 40-character
// clerk, the hub offline with its error, the camera lost with its error
// and a 60-character citizen on the card, in the given theme and language.
func longFixture(t *testing.T, contrast bool, lang i18n.Lang) *fixture {
	t.Helper()
	f := newFixture(t)
	if n := len([]rune(longClerk)); n != 40 {
		t.Fatalf("the long clerk has %d characters", n)
	}
	if n := len([]rune(longCitizen)); n != 60 {
		t.Fatalf("the long citizen has %d characters", n)
	}
	f.c.app.Preferences().SetString(PrefLanguage, string(lang))
	f.c.lang = lang
	if contrast {
		f.shortcut(fyne.KeyH)
	}
	f.d.Clerk = longClerk
	f.c.camera.root.Show()
	f.c.build()
	f.c.showCamera(camera.Lost, errors.New("open /dev/video9: no such file or directory"))
	st := sync.Status{State: sync.Offline, Since: f.now.Add(-time.Hour), Pending: 12, Parked: 2,
		ClockKnown: true, ClockOffset: 7 * time.Minute, Err: errors.New("dial tcp 127.0.0.1:7443: connect: connection refused")}
	f.c.syncLabel.SetText(st.Text(lang, f.d.Cal.Location()))
	f.c.syncLabel.Importance = widget.DangerImportance
	f.c.show(cardContent{Colour: verdict.Green, Title: f.c.t("ui.scan.waiting", nil), Who: longCitizen,
		Lines:  "Depunere · 10:10, 20 min\nExpirare / schimbare stare civilă / preschimbare",
		Detail: "Sosire înregistrată 10:12", Help: "Cetățeanul trebuie să aibă pregătite actele.\nVerificați fotografia."})
	return f
}

// TestWindowFitsEveryScreen: with every long text at once, in both themes
// and languages, the counter's window asks for no more than each screen
// gives it, windowed (under a title bar) or full screen.
func TestWindowFitsEveryScreen(t *testing.T) {
	for _, contrast := range []bool{false, true} {
		for _, lang := range []i18n.Lang{i18n.Romanian, i18n.English} {
			t.Run(fmt.Sprintf("contrast=%v/%s", contrast, lang), func(t *testing.T) {
				f := longFixture(t, contrast, lang)
				for _, s := range screens {
					// Laid out at the screen's size (the action buttons
					// may go two to a row), the window asks for no more.
					f.c.win.Resize(fyne.NewSize(s.Width, s.Height-titleBar))
					min := f.c.win.Content().MinSize()
					if min.Width > s.Width || min.Height > s.Height-titleBar {
						t.Errorf("the window needs %v×%v, more than a %v×%v screen gives", min.Width, min.Height, s.Width, s.Height-titleBar)
					}
				}
				// Laid out at the smallest screen, the header's long texts
				// are cut, the clock and the buttons stay on the window.
				f.c.win.Resize(fyne.NewSize(1024, 768-titleBar))
				if p := f.c.clock.Position(); p.X+f.c.clock.Size().Width > 1024+1 {
					t.Errorf("the clock ends at %v, off a 1024-pixel window", p.X+f.c.clock.Size().Width)
				}
				if w := f.c.syncLabel.Size().Width; w >= naturalWidth(f.c.syncLabel) {
					t.Errorf("the hub's long state is %v wide: not cut", w)
				}
			})
		}
	}
}

// TestVerdictTextScales: the card's title and name are readable from two
// metres, 48 and 36 pixels at least at 1366×768, larger at 1920×1080, and
// the card's text always fits the card.
func TestVerdictTextScales(t *testing.T) {
	for _, contrast := range []bool{false, true} {
		f := longFixture(t, contrast, i18n.Romanian)
		var titles []float32
		for _, s := range screens {
			for _, full := range []bool{false, true} {
				h := s.Height
				if !full {
					h -= titleBar
				}
				f.c.win.Resize(fyne.NewSize(s.Width, h))
				card := f.c.card
				th := card.theme
				title, who := th.Size(sizeVerdictTitle), th.Size(sizeVerdictWho)
				t.Logf("contrast=%v %v×%v: card %v, title %v px, name %v px", contrast, s.Width, h, card.root.Size(), title, who)
				if s.Width == 1366 && (title < 48 || who < 36) {
					t.Errorf("at 1366×%v the title is %v px and the name %v px, want 48 and 36", h, title, who)
				}
				if need, got := card.text.MinSize().Height, card.root.Size().Height; need > got {
					t.Errorf("at %v×%v the card's text needs %v px of %v", s.Width, h, need, got)
				}
				// As laid out: each label as tall as its wrapped text, the
				// last one inside the card.
				for _, l := range []*widget.Label{card.title, card.who, card.lines, card.detail, card.help} {
					if l.Visible() && l.Size().Height < l.MinSize().Height-0.5 {
						t.Errorf("at %v×%v the label %q is %v px high for %v px of text", s.Width, h, l.Text, l.Size().Height, l.MinSize().Height)
					}
				}
				if end := card.box.Position().Y + card.help.Position().Y + card.help.Size().Height; end > card.root.Size().Height {
					t.Errorf("at %v×%v the card's text ends at %v px, below the card's %v", s.Width, h, end, card.root.Size().Height)
				}
				if !full {
					titles = append(titles, title)
				}
			}
		}
		if titles[3] <= titles[2] {
			t.Errorf("the title is %v px at 1920×1080, no larger than the %v px at 1366×768", titles[3], titles[2])
		}
	}
}

// TestShortText: the buttons' texts lose their shortcut's hint only.
func TestShortText(t *testing.T) {
	for in, want := range map[string]string{"Supervisor (Ctrl+U)": "Supervisor", "Tură nouă (F2)": "Tură nouă",
		"English": "English", "(x)": "(x)"} {
		if got := shortText(in); got != want {
			t.Errorf("shortText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestShareOut: the room is shared out, short texts whole.
func TestShareOut(t *testing.T) {
	for _, c := range []struct {
		wants []float32
		room  float32
		want  string
	}{
		{[]float32{100, 200, 300}, 700, "[100 200 300]"},
		{[]float32{100, 200, 300}, 400, "[100 150 150]"},
		{[]float32{100, 500, 300}, 300, "[100 100 100]"},
		{[]float32{0, 500}, 300, "[0 300]"},
	} {
		if got := fmt.Sprint(shareOut(c.wants, c.room)); got != c.want {
			t.Errorf("shareOut(%v, %v) = %s, want %s", c.wants, c.room, got, c.want)
		}
	}
}

// TestHeaderShowsWholeText: a click on a header text cut with "…" shows
// it whole over the window, answerable from the keyboard.
func TestHeaderShowsWholeText(t *testing.T) {
	f := longFixture(t, false, i18n.Romanian)
	f.c.win.Resize(fyne.NewSize(1024, 768-titleBar))
	var area *tapArea
	walkObjects(f.c.win.Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*fyne.Container); ok && len(s.Objects) == 2 {
			if l, ok := s.Objects[0].(*widget.Label); ok && strings.Contains(l.Text, longClerk) {
				area, _ = s.Objects[1].(*tapArea)
			}
		}
	})
	if area == nil {
		t.Fatal("the clerk's header text has no click area")
	}
	test.Tap(area)
	shown := false
	for _, o := range f.c.win.Canvas().Overlays().List() {
		walkObjects(o, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, longClerk) {
				shown = true
			}
		})
	}
	if !shown || f.c.asking == nil {
		t.Fatal("a click on the cut clerk's name did not show it whole")
	}
	f.c.manual.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.c.asking != nil {
		t.Fatal("Escape did not close the whole text")
	}
}

// walkObjects calls fn on o and everything in it, widgets' parts included.
func walkObjects(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkObjects(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkObjects(c, fn)
		}
	}
}

// A checklist too long for the card even at its smallest text scrolls
// inside the card: all of it laid out, none of it drawn beyond the card
// (it ran under the buttons at 1280×720 in high contrast).
func TestLongChecklistScrollsInTheCard(t *testing.T) {
	f := longFixture(t, true, i18n.Romanian)
	var help []string
	for i := range 16 {
		help = append(help, fmt.Sprintf("☐ Document de verificat numărul %d, în original, cu o copie", i+1))
	}
	f.c.show(cardContent{Colour: verdict.Green, Title: "Sosire înregistrată", Who: longCitizen,
		Lines: "Depunere · 10:10, 20 min", Help: strings.Join(help, "\n")})
	for _, s := range screens {
		f.c.win.Resize(fyne.NewSize(s.Width, s.Height-titleBar))
		card := f.c.card
		if card.scroll.Size() != card.root.Size() {
			t.Errorf("at %v: the text's view is %v, the card %v", s, card.scroll.Size(), card.root.Size())
		}
		if need, got := card.text.MinSize().Height, card.themed.Size().Height; got < need {
			t.Errorf("at %v: the text is laid out %v px high, it needs %v", s, got, need)
		}
		if card.help.Size().Width > card.root.Size().Width {
			t.Errorf("at %v: the checklist is %v px wide on a %v px card", s, card.help.Size().Width, card.root.Size().Width)
		}
	}
}
