package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/demo"
)

// The override dialog names the person it was opened for and acts on them,
// whatever is scanned while it is open; Ctrl+R does nothing once the card
// shows something else (a refused walk-in).
func TestOverrideKeepsItsPerson(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true) // 09:50, late at 10:12
	f.shortcut(fyne.KeyR)
	if !strings.Contains(f.told(), "Stănescu Gheorghe · 23.11 09:50") {
		t.Fatalf("the override dialog names %q", f.told())
	}
	f.typeSlowly("fără programare", true)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true) // a scan while the dialog is open
	f.typeSlowly(demo.Password, true)
	if f.state("Stănescu Gheorghe") != store.Present || f.state("Bălan Ana") != store.Present {
		t.Fatalf("after the override: Stănescu %s, Bălan %s", f.state("Stănescu Gheorghe"), f.state("Bălan Ana"))
	}
	es, _ := f.d.DB.Events(context.Background(), f.bookingID("Bălan Ana"))
	if len(es) != 1 || es[0].Note != "" {
		t.Fatalf("Bălan Ana's events %+v: the approval went to her", es)
	}

	f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true)
	f.keys(f.c.manual, f.code("Ionescu Maria-Ștefania"), 4*time.Millisecond, true) // 08:50: late, overridable
	if !f.c.canOverride() {
		t.Fatal("Ctrl+R is off for a late person")
	}
	f.c.WalkIn("", "lost") // refused: the card no longer shows her
	if f.c.canOverride() || !f.c.accept.Disabled() {
		t.Fatal("Ctrl+R stays on after a refused walk-in")
	}
}

// A second Ctrl+N asks first, naming whom the counter still serves; Ctrl+E
// marks served the person the card shows.
func TestCallNextAsksFirst(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	f.at(10, 20)
	f.keys(f.c.manual, f.code("Dumitrescu Ilinca"), 4*time.Millisecond, true) // 09:10: late
	f.c.Override("tren")
	f.shortcut(fyne.KeyN) // the earliest slot first: Dumitrescu
	if f.state("Dumitrescu Ilinca") != store.InService {
		t.Fatalf("first call: %s", f.state("Dumitrescu Ilinca"))
	}
	f.shortcut(fyne.KeyN)
	if !strings.Contains(f.told(), "Dumitrescu Ilinca") || f.state("Bălan Ana") != store.Present {
		t.Fatalf("a second Ctrl+N: told %q, Bălan %s", f.told(), f.state("Bălan Ana"))
	}
	f.c.manual.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) // no: nobody else called
	if f.state("Bălan Ana") != store.Present || f.c.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("after Escape: Bălan Ana %s, a dialog still open: %v", f.state("Bălan Ana"), f.c.win.Canvas().Overlays().Top() != nil)
	}
	f.shortcut(fyne.KeyN)
	f.keys(f.c.manual, "", 0, true) // yes: Enter, the keyboard still in the code field
	if f.state("Bălan Ana") != store.InService || !strings.HasPrefix(f.c.card.who.Text, "Bălan Ana") {
		t.Fatalf("called anyway: %s, card %q", f.state("Bălan Ana"), f.c.card.who.Text)
	}
	f.shortcut(fyne.KeyE)
	if f.state("Bălan Ana") != store.Done || f.state("Dumitrescu Ilinca") != store.InService {
		t.Fatalf("Ctrl+E on Bălan's card: Bălan %s, Dumitrescu %s", f.state("Bălan Ana"), f.state("Dumitrescu Ilinca"))
	}
}

// Ctrl+E with another person on the card asks first, naming whom this
// counter serves: Escape leaves them served by nobody's hand, Enter marks
// them served.
func TestServeAsksWhenTheCardShowsSomeoneElse(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	f.shortcut(fyne.KeyN) // Bălan Ana is called
	f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true)
	f.shortcut(fyne.KeyE)
	if !strings.Contains(f.told(), "Bălan Ana") || f.state("Bălan Ana") != store.InService {
		t.Fatalf("Ctrl+E on Stănescu's card: told %q, Bălan %s", f.told(), f.state("Bălan Ana"))
	}
	f.c.manual.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.state("Bălan Ana") != store.InService || f.c.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("after Escape: Bălan %s, a dialog still open: %v", f.state("Bălan Ana"), f.c.win.Canvas().Overlays().Top() != nil)
	}
	f.shortcut(fyne.KeyE)
	f.keys(f.c.manual, "", 0, true) // yes
	if f.state("Bălan Ana") != store.Done || f.state("Stănescu Gheorghe") == store.Done {
		t.Fatalf("after Enter: Bălan %s, Stănescu %s", f.state("Bălan Ana"), f.state("Stănescu Gheorghe"))
	}
	if !strings.HasPrefix(f.c.card.who.Text, "Bălan Ana") {
		t.Fatalf("the card names %q, not whom it marked served", f.c.card.who.Text)
	}
}

// The sixth action button is the hand-over for a pickup's person and the
// refusal with a reason for an intake's: its label and action follow the
// card, and it is off on a card that names nobody it applies to.
func TestPersonalButtonFollowsTheCard(t *testing.T) {
	f := newFixture(t)
	steps := []struct {
		name   string
		hh, mm int
		label  string
		on     bool
	}{
		{"Rusu Daria", 9, 16, f.c.t("ui.handover", nil), true},         // a pickup
		{"Stănescu Gheorghe", 9, 16, f.c.t("ui.handover", nil), false}, // an intake, early: not taken, so not refused
		{"Bălan Ana", 10, 12, f.c.t("ui.refuse", nil), true},           // an intake, arrived
	}
	for _, s := range steps {
		f.at(s.hh, s.mm)
		f.keys(f.c.manual, f.code(s.name), 4*time.Millisecond, true)
		if got := f.c.personal.bar.full[5]; got != s.label || f.c.personal.Disabled() == s.on {
			t.Fatalf("%s: the button says %q, on %v; want %q, on %v", s.name, got, !f.c.personal.Disabled(), s.label, s.on)
		}
	}
	f.c.personal.OnTapped() // the refusal, for the intake on the card
	if !strings.Contains(f.told(), "Bălan Ana") {
		t.Fatalf("the refusal's dialog: %q", f.told())
	}
	f.c.manual.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	f.c.show(cardContent{Title: "idle"})
	if !f.c.personal.Disabled() {
		t.Fatal("the button is on with nobody on the card")
	}
}
