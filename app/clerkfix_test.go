package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ghiseu/ghiseu/store"
)

// Ctrl+P is on whenever the card shows a pickup person who has arrived and
// whose card is not handed over: just arrived, already arrived, or called
// to this counter; and it acts on that person.
func TestHandOverAfterACallOrASecondScan(t *testing.T) {
	f := newFixture(t)
	f.at(9, 16)
	f.keys(f.c.manual, f.code("Rusu Daria"), 4*time.Millisecond, true)
	for _, step := range []struct {
		what string
		do   func()
	}{
		{"arrival", func() {}},
		{"already arrived", func() { f.keys(f.c.manual, f.code("Rusu Daria"), 4*time.Millisecond, true) }},
		{"called", func() { f.shortcut(fyne.KeyN) }},
	} {
		step.do()
		if f.c.handover.Disabled() || !f.c.canHandOver() {
			t.Fatalf("%s: Ctrl+P is off, card %q %q", step.what, f.c.card.title.Text, f.c.card.who.Text)
		}
	}
	if f.state("Rusu Daria") != store.InService {
		t.Fatalf("Rusu Daria %s, not called", f.state("Rusu Daria"))
	}
	f.shortcut(fyne.KeyP)
	if s := f.state("Rusu Daria"); s != store.Collected {
		t.Fatalf("Ctrl+P on the called pickup: state %s", s)
	}
	if !f.c.handover.Disabled() {
		t.Fatal("hand-over still enabled after the hand-over")
	}
	f.keys(f.c.manual, f.code("Rusu Daria"), 4*time.Millisecond, true) // already picked up
	if !f.c.handover.Disabled() {
		t.Fatalf("hand-over enabled on %q", f.c.card.title.Text)
	}
}
