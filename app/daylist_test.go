package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
)

// The day list's filter offers every state a person goes through, and the
// cancelled bookings, which no longer show as expected.
func TestDayListFilterEveryState(t *testing.T) {
	f := newFixture(t)
	names := func(choice string) []string {
		t.Helper()
		f.c.day.filter.SetSelected(choice)
		if f.c.day.filter.Selected != choice {
			t.Fatalf("no filter choice %q in %v", choice, f.c.day.filter.Options)
		}
		var out []string
		for _, r := range f.c.day.shown {
			out = append(out, r.Name)
		}
		return out
	}
	has := func(list []string, name string) bool {
		for _, n := range list {
			if n == name {
				return true
			}
		}
		return false
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	f.shortcut(fyne.KeyN)
	if got := names("Chemat"); len(got) != 1 || got[0] != "Bălan Ana" {
		t.Fatalf("called: %v", got)
	}
	f.shortcut(fyne.KeyE)
	if got := names("Servit"); len(got) != 1 || got[0] != "Bălan Ana" {
		t.Fatalf("served: %v", got)
	}
	if got := names("Chemat"); len(got) != 0 {
		t.Fatalf("called after serving: %v", got)
	}
	if got := names("Anulată"); !has(got, "Moldovan Radu") || has(got, "Bălan Ana") {
		t.Fatalf("cancelled: %v", got)
	}
	if got := names("Așteptat"); has(got, "Moldovan Radu") || len(got) == 0 {
		t.Fatalf("a cancelled booking is listed as expected: %v", got)
	}
	f.shortcut(fyne.KeyL) // the choices in English too
	if got := names("Cancelled"); !has(got, "Moldovan Radu") {
		t.Fatalf("cancelled, in English: %v", got)
	}
}

// rowOf is the index of name's row in the day list as shown.
func (f *fixture) rowOf(name string) int {
	for i, r := range f.c.day.shown {
		if r.Name == name {
			return i
		}
	}
	f.t.Fatalf("%s is not listed", name)
	return -1
}

// A person picked in the day list, by a click or the arrows, is checked in
// by Enter in the code field or the offer's button, through the same
// verdicts as their reference typed, recorded as a manual check-in; the
// keyboard stays in the code field and scans go on.
func TestCheckInFromTheDayList(t *testing.T) {
	f := newFixture(t)
	day := f.c.day
	if !day.offer.Disabled() || !strings.Contains(day.offer.Text, "Clic pe o persoană") {
		t.Fatalf("the offer with nobody picked: %q, disabled %v", day.offer.Text, day.offer.Disabled())
	}
	// A click on Bălan Ana's row.
	day.list.Select(f.rowOf("Bălan Ana"))
	if day.offer.Disabled() || !strings.Contains(day.offer.Text, "Bălan Ana") {
		t.Fatalf("the offer after a click: %q, disabled %v", day.offer.Text, day.offer.Disabled())
	}
	// A scan meanwhile is a scan, of its own person.
	f.keys(f.c.manual, f.code("Popescu Andrei"), 4*time.Millisecond, true)
	if f.state("Popescu Andrei") != store.Absent && f.state("Popescu Andrei") != store.Present || f.state("Bălan Ana") != store.Expected {
		t.Fatalf("a scan with a person picked: Popescu %s, Bălan %s", f.state("Popescu Andrei"), f.state("Bălan Ana"))
	}
	// It withdrew the offer: the card shows Popescu now.
	day.list.Select(f.rowOf("Bălan Ana"))
	f.keys(f.c.manual, "", 0, true) // Enter, nothing typed
	if f.state("Bălan Ana") != store.Present || f.c.card.title.Text != "Programare validă" || !strings.HasPrefix(f.c.card.who.Text, "Bălan Ana") {
		t.Fatalf("Enter: %s, card %q %q", f.state("Bălan Ana"), f.c.card.title.Text, f.c.card.who.Text)
	}
	es, _ := f.d.DB.Events(t.Context(), f.bookingID("Bălan Ana"))
	if len(es) != 1 || es[0].Note != desk.ManualNote || es[0].Clerk != "maria" {
		t.Fatalf("events %+v: one manual check-in by the clerk", es)
	}
	if day.picked != "" || !day.offer.Disabled() {
		t.Fatal("the offer stayed after the check-in")
	}
	// The arrows in the code field pick, the offer's button checks in.
	f.c.manual.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	f.c.manual.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	f.c.manual.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	f.c.manual.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	first := day.shown[1]
	if day.picked != first.ID || !strings.Contains(day.offer.Text, first.Name) {
		t.Fatalf("the arrows picked %q, offer %q; want %s", day.picked, day.offer.Text, first.Name)
	}
	test.Tap(day.offer)
	if !strings.HasPrefix(f.c.card.who.Text, first.Name) || day.picked != "" {
		t.Fatalf("the button: card %q for %q, want %s", f.c.card.title.Text, f.c.card.who.Text, first.Name)
	}
	// Escape withdraws the offer; Enter then checks nobody in.
	day.list.Select(f.rowOf("Moldovan Radu"))
	f.c.manual.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if day.picked != "" || !day.offer.Disabled() {
		t.Fatal("Escape did not withdraw the offer")
	}
	// A cancelled booking picked: the verdict engine refuses it.
	day.list.Select(f.rowOf("Moldovan Radu"))
	f.keys(f.c.manual, "", 0, true)
	if f.c.card.title.Text != "Programare anulată" || f.c.win.Canvas().Focused() != f.c.manual {
		t.Fatalf("a cancelled booking checked in from the list: %q, focus on %T", f.c.card.title.Text, f.c.win.Canvas().Focused())
	}
}

// A walk-in, who has no reference, is not offered.
func TestDayListWalkInNotOffered(t *testing.T) {
	f := newFixture(t)
	f.c.WalkIn("Grigore Vieru", "lost")
	f.c.day.list.Select(f.rowOf("Grigore Vieru"))
	if !f.c.day.offer.Disabled() || f.c.day.checkInPicked() {
		t.Fatalf("a walk-in offered: %q", f.c.day.offer.Text)
	}
}
