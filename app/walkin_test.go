package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store"
)

// Outside the walk-in hours Ctrl+W says so at once, before anything is
// typed; in them the form offers the reasons taken now and checks the name
// as it is typed.
func TestWalkInSaysFirstAndChecksAsTyped(t *testing.T) {
	f := newFixture(t)
	for _, hh := range []int{7, 19} {
		f.at(hh, 0)
		f.shortcut(fyne.KeyW)
		if f.overlays() != 0 || f.c.card.title.Text != "Acum nu este interval de primire fără programare." {
			t.Fatalf("Ctrl+W at %02d:00: %d dialogs, card %q", hh, f.overlays(), f.c.card.title.Text)
		}
	}
	f.at(10, 12)
	f.shortcut(fyne.KeyW)
	if f.overlays() != 1 {
		t.Fatal("Ctrl+W in the walk-in hours opened no form")
	}
	name := f.c.win.Canvas().Focused().(*scanEntry)
	if name.Validate() == nil {
		t.Fatal("an empty name is taken")
	}
	name.SetText(strings.Repeat("a", store.MaxName+1))
	if err := name.Validate(); err == nil || !strings.Contains(err.Error(), "cel mult 100 de caractere") {
		t.Fatalf("a name too long: %v", err)
	}
	name.SetText("")
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter with no name: nothing registered, the form stays
	if f.overlays() != 1 {
		t.Fatal("Enter with no name closed the form")
	}
	reasons := f.c.desk.WalkInReasons()
	var options []string // of the reasons' drop-down, a Select or one made for the router
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Select:
			options = x.Options
		case *scanSelect: // the first: the reason (then the card)
			if options == nil {
				options = x.Options
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(f.c.win.Canvas().Overlays().Top())
	if len(options) != len(reasons) || len(reasons) == 0 {
		t.Fatalf("reasons offered %v, taken now %v", options, reasons)
	}
	f.typeSlowly("Grigore Vieru", true)
	if f.overlays() != 0 || f.state("Grigore Vieru") != store.Present || f.c.card.title.Text != "Primit fără programare" {
		t.Fatalf("the walk-in: %d dialogs, %s, card %q", f.overlays(), f.state("Grigore Vieru"), f.c.card.title.Text)
	}
}
