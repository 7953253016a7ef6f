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

// Whatever the card shows next withdraws the day list's offer: an Enter
// in the empty code field then checks in nobody the card does not show.
func TestNewCardWithdrawsTheDayListOffer(t *testing.T) {
	for _, tc := range []struct {
		what string
		do   func(f *fixture)
	}{
		{"a scan", func(f *fixture) { f.keys(f.c.manual, f.code("Popescu Andrei"), 4*time.Millisecond, true) }},
		{"a refusal", func(f *fixture) { f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true) }},
		{"not a code", func(f *fixture) { f.c.Scan("https://example.com/poster") }},
		{"undo with nothing to undo", func(f *fixture) { f.shortcut(fyne.KeyZ) }},
		{"an empty queue", func(f *fixture) { f.shortcut(fyne.KeyN) }},
	} {
		t.Run(tc.what, func(t *testing.T) {
			f := newFixture(t)
			day := f.c.day
			day.list.Select(f.rowOf("Bălan Ana"))
			if day.picked == "" {
				t.Fatal("the click picked nobody")
			}
			tc.do(f)
			if day.picked != "" || !day.offer.Disabled() {
				t.Fatalf("the offer stayed after %s: %q", tc.what, day.offer.Text)
			}
			f.keys(f.c.manual, "", 0, true) // Enter, nothing typed
			if s := f.state("Bălan Ana"); s != store.Expected {
				t.Fatalf("Enter after %s checked in the picked person: %s, card %q", tc.what, s, f.c.card.who.Text)
			}
		})
	}
}
