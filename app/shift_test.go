package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ghiseu/ghiseu/store"
)

// The card never shows a text that no longer holds: with nobody signed in
// it says to sign in (not that the reader is ready); signing in replaces
// the prompt and the previous clerk's last verdict with the idle card of
// the new clerk, and the buttons no longer act on that verdict's person.
func TestCardAfterSignIn(t *testing.T) {
	f := newFixture(t)
	f.d.Clerk = ""
	c := NewCounter(f.c.app, test.NewWindow(nil), f.d)
	if got := c.card.title.Text; !strings.Contains(got, "Începeți tura") || strings.Contains(c.card.detail.Text, "pregătit") {
		t.Fatalf("idle card with nobody signed in: %q / %q", got, c.card.detail.Text)
	}
	f.c.desk.Clerk = ""
	f.c.idle()
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	if !strings.Contains(f.c.card.title.Text, "Începeți tura") || f.c.card.bg.FillColor != cardColours["red"][0] {
		t.Fatalf("a scan with nobody signed in: %q", f.c.card.title.Text)
	}
	for i, clerk := range []string{"Ion Pop", "Ana Rus"} {
		f.c.askSignIn()
		f.typeSlowly(clerk, true)
		if f.c.desk.Clerk != clerk || f.c.card.title.Text != "Scanați codul QR al programării" ||
			!strings.Contains(f.c.card.detail.Text, clerk) || f.c.current != nil {
			t.Fatalf("sign-in %d: clerk %q, card %q / %q", i, f.c.desk.Clerk, f.c.card.title.Text, f.c.card.detail.Text)
		}
		if f.c.card.bg.FillColor == cardColours["red"][0] {
			t.Fatalf("sign-in %d: the card stayed red", i)
		}
		// The first clerk's last verdict: a late person, whom Ctrl+R could take.
		f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true)
		if f.c.accept.Disabled() {
			t.Fatalf("late: %q", f.c.card.title.Text)
		}
	}
	f.c.askSignIn()
	f.typeSlowly("Dan Mihai", true)
	if !f.c.accept.Disabled() || f.c.card.who.Text != "" {
		t.Fatal("after a new sign-in, the buttons still act on the previous clerk's person")
	}
	f.shortcut(fyne.KeyL)
	if f.c.card.title.Text != "Scan the booking's QR code" || !strings.Contains(f.c.card.detail.Text, "Dan Mihai") {
		t.Fatalf("in English: %q / %q", f.c.card.title.Text, f.c.card.detail.Text)
	}
	if f.state("Stănescu Gheorghe") != store.Expected {
		t.Fatal("nothing was recorded for the late person")
	}
}
