package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// open reports whether w is still one of the app's windows.
func (f *fixture) open(w fyne.Window) bool {
	for _, o := range f.c.app.Driver().AllWindows() {
		if o == w {
			return true
		}
	}
	return false
}

// Closing the window mid-shift asks first, in words, answered from the
// keyboard: Escape stays, Enter closes; with nobody signed in it closes at
// once.
func TestClosingAsksMidShift(t *testing.T) {
	f := newFixture(t)
	f.c.askClose() // as Alt+F4 does through the window's close intercept
	f.c.askClose() // twice: one question
	if !f.open(f.c.win) || len(f.c.win.Canvas().Overlays().List()) != 1 {
		t.Fatalf("Alt+F4 mid-shift: window open %v, %d questions", f.open(f.c.win), len(f.c.win.Canvas().Overlays().List()))
	}
	if told := f.told(); !strings.Contains(told, "Închideți Ghișeu?") || !strings.Contains(told, "maria") {
		t.Fatalf("the question: %q", told)
	}
	escapeAt(f.c.win)
	if !f.open(f.c.win) || f.c.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape did not keep the window open without the question")
	}
	f.c.askClose()
	f.c.manual.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if f.open(f.c.win) {
		t.Fatal("Enter did not close the window")
	}

	g := newFixture(t)
	g.c.desk.Clerk = ""
	g.c.askClose()
	if g.open(g.c.win) {
		t.Fatal("with nobody signed in the window did not close at once")
	}
}
