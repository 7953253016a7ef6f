package app

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/demo"
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
		if f.c.personal.Disabled() || !f.c.canHandOver() {
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
	if !f.c.personal.Disabled() {
		t.Fatal("hand-over still enabled after the hand-over")
	}
	f.keys(f.c.manual, f.code("Rusu Daria"), 4*time.Millisecond, true) // already picked up
	if !f.c.personal.Disabled() {
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

// Ctrl+D after a walk-in shows the codes of the bookings that have one and
// leaves the card alone.
func TestDemoCodesAfterAWalkIn(t *testing.T) {
	f := newFixture(t)
	f.c.WalkIn("Grigore Vieru", "lost")
	title, who := f.c.card.title.Text, f.c.card.who.Text
	windows := len(f.c.app.Driver().AllWindows())
	f.shortcut(fyne.KeyD)
	all := f.c.app.Driver().AllWindows()
	if len(all) != windows+1 {
		t.Fatalf("Ctrl+D after a walk-in opened no window; card %q %q, told %q", f.c.card.title.Text, f.c.card.detail.Text, f.told())
	}
	defer all[len(all)-1].Close()
	if f.c.card.title.Text != title || f.c.card.who.Text != who || f.told() != "" {
		t.Fatalf("the card went from %q %q to %q %q; told %q", title, who, f.c.card.title.Text, f.c.card.who.Text, f.told())
	}
	grid := all[len(all)-1].Content().(*container.Scroll).Content.(*fyne.Container)
	rows, _ := f.d.Day(t.Context(), f.d.Today())
	coded := 0
	for _, r := range rows {
		if r.Code != "" {
			coded++
		}
	}
	if coded == len(rows) || len(grid.Objects) != coded {
		t.Fatalf("%d codes shown for %d bookings, %d of them with a code", len(grid.Objects), len(rows), coded)
	}
}

// A wrong supervisor password keeps the override dialog open with its
// reason and its person; only the password is typed again, and the
// approval still goes to the person the dialog was opened for.
func TestOverrideWrongPasswordKeepsTheDialog(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true) // 09:50, late at 10:12
	f.shortcut(fyne.KeyR)
	reason := f.c.win.Canvas().Focused().(*scanEntry)
	f.typeSlowly("tren întârziat", true)
	pw := f.c.win.Canvas().Focused().(*scanEntry)
	if pw == reason || !pw.Password {
		t.Fatal("Enter in the reason did not move to the password")
	}
	f.typeSlowly("greșită", true)
	top := f.c.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(f.told(), "Stănescu Gheorghe · 23.11 09:50") || !strings.Contains(f.told(), "Parolă greșită") {
		t.Fatalf("after a wrong password the dialog shows %q", f.told())
	}
	if reason.Text != "tren întârziat" || pw.Text != "" || f.c.win.Canvas().Focused() != pw {
		t.Fatalf("reason %q, password %q, focus on the password %v", reason.Text, pw.Text, f.c.win.Canvas().Focused() == pw)
	}
	if f.state("Stănescu Gheorghe") != store.Expected && f.state("Stănescu Gheorghe") != store.Absent {
		t.Fatalf("a wrong password took Stănescu: %s", f.state("Stănescu Gheorghe"))
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true) // a scan while the dialog is open
	f.c.win.Canvas().Focus(pw)
	f.typeSlowly(demo.Password, true)
	if f.c.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("the right password left the dialog open: %q", f.told())
	}
	es, _ := f.d.DB.Events(t.Context(), f.bookingID("Stănescu Gheorghe"))
	if len(es) != 1 || es[0].Note != "tren întârziat" {
		t.Fatalf("Stănescu's events %+v: the override with its reason", es)
	}
}

// Guessing in the override dialog: after store.FreeTries wrong passwords
// the dialog says the checks are locked and for how long, keeps its reason
// and person, and takes nobody, not even with the right password.
func TestOverrideGuessesAreLocked(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true) // 09:50, late at 10:12
	f.shortcut(fyne.KeyR)
	f.typeSlowly("tren întârziat", true)
	for i := range store.FreeTries + 1 {
		f.typeSlowly(fmt.Sprintf("ghicit-%d", i), true)
	}
	if !strings.Contains(f.told(), "Prea multe parole greșite") || !strings.Contains(f.told(), "Încercați din nou peste ") {
		t.Fatalf("after %d wrong passwords the dialog shows %q", store.FreeTries+1, f.told())
	}
	f.typeSlowly(demo.Password, true)
	if f.c.win.Canvas().Overlays().Top() == nil || !strings.Contains(f.told(), "Prea multe parole greșite") {
		t.Fatalf("the right password while locked: dialog %q", f.told())
	}
	if es, _ := f.d.DB.Events(t.Context(), f.bookingID("Stănescu Gheorghe")); len(es) != 0 {
		t.Fatalf("a locked override took Stănescu: %+v", es)
	}
}

// "Servit" with nobody called says so over the window and leaves the card
// (its checklist and Ctrl+R for the person there); the button is off while
// this counter serves nobody and the card shows nobody called.
func TestServeWithNobodyCalledLeavesTheCard(t *testing.T) {
	f := newFixture(t)
	if !f.c.served.Disabled() {
		t.Fatal("Servit is on with nobody called")
	}
	f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true) // 09:50, late at 10:12
	title, who := f.c.card.title.Text, f.c.card.who.Text
	if !f.c.served.Disabled() {
		t.Fatal("Servit is on for a late person nobody called")
	}
	f.shortcut(fyne.KeyE)
	if f.c.card.title.Text != title || f.c.card.who.Text != who || !f.c.canOverride() || f.c.accept.Disabled() {
		t.Fatalf("Ctrl+E with nobody called: card %q %q (was %q %q), Ctrl+R on %v", f.c.card.title.Text, f.c.card.who.Text, title, who, f.c.canOverride())
	}
	if !strings.Contains(f.told(), "Nu ați chemat pe nimeni") {
		t.Fatalf("Ctrl+E with nobody called told %q", f.told())
	}
	f.keys(f.c.manual, "", 0, true) // OK
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	f.shortcut(fyne.KeyN)
	if f.c.served.Disabled() {
		t.Fatal("Servit is off for the person called")
	}
	f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true)
	if f.c.served.Disabled() {
		t.Fatal("Servit is off while this counter serves Bălan Ana")
	}
	f.c.serve(f.bookingID("Bălan Ana"))
	if f.state("Bălan Ana") != store.Done || !f.c.served.Disabled() {
		t.Fatalf("after serving: Bălan %s, Servit disabled %v", f.state("Bălan Ana"), f.c.served.Disabled())
	}
}

// Escape closes the supervisor's settings, with the keyboard in a field
// or nowhere; the window's keys then go back to how they were.
func TestEscapeClosesTheSettings(t *testing.T) {
	for _, where := range []string{"field", "nowhere"} {
		t.Run(where, func(t *testing.T) {
			f := newFixture(t)
			v := f.c.OpenSupervisor()
			before := len(v.win.Canvas().Overlays().List())
			_, form := f.c.showSettings(v.win)
			if len(v.win.Canvas().Overlays().List()) != before+1 {
				t.Fatal("the settings did not open")
			}
			if where == "field" {
				v.win.Canvas().Focus(form.late)
			} else {
				v.win.Canvas().Unfocus()
			}
			escapeAt(v.win)
			if n := len(v.win.Canvas().Overlays().List()); n != before {
				t.Fatalf("Escape with the keyboard in %s: %d dialogs open", where, n)
			}
			f.drive(v.win, f.code("Bălan Ana"), 5*time.Millisecond, true) // the window's keys still reach the counter
			if f.state("Bălan Ana") != store.Present {
				t.Fatal("a scan after the settings closed was lost")
			}
		})
	}
}

// The settings name the languages, not their codes.
func TestSettingsNameTheLanguage(t *testing.T) {
	f := newFixture(t)
	_, form := f.c.showSettings(f.c.win)
	if form.lang.Selected != "Română" || !slices.Equal(form.lang.Options, []string{"Română", "English"}) {
		t.Fatalf("the language shows as %q of %q", form.lang.Selected, form.lang.Options)
	}
	form.lang.SetSelected("English")
	if err := f.c.saveSettings(form); err != nil || f.c.lang != "en" {
		t.Fatalf("English chosen: %v, the language is %q", err, f.c.lang)
	}
}

// The supervisor password field of Ctrl+U is wide enough to show what is
// typed.
func TestSupervisorPasswordFieldWidth(t *testing.T) {
	f := newFixture(t)
	f.shortcut(fyne.KeyU)
	pw, ok := f.c.win.Canvas().Focused().(*scanEntry)
	if !ok || !pw.Password {
		t.Fatalf("Ctrl+U: the focus is on %T", f.c.win.Canvas().Focused())
	}
	if w := pw.Size().Width; w < 200 {
		t.Fatalf("the password field is %.0f px wide", w)
	}
}

// headerWho is the header's text naming the counter (and its clerk).
func (f *fixture) headerWho() string {
	var who string
	walkObjects(f.c.win.Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && who == "" && strings.HasPrefix(l.Text, "Ghișeul ") {
			who = l.Text
		}
	})
	return who
}

// The texts the tester found wrong: a gendered "îl" for any person, the
// screen called "cardul" (a bank card), a dangling "·" in the header
// before anyone signs in.
func TestClerkTexts(t *testing.T) {
	f := newFixture(t)
	if got := f.headerWho(); got != "Ghișeul 3 · maria" {
		t.Fatalf("signed in, the header says %q", got)
	}
	f.c.desk.Clerk = ""
	f.c.build()
	if got := f.headerWho(); got != "Ghișeul 3" {
		t.Fatalf("before anyone signs in, the header says %q", got)
	}
	for _, tc := range []struct{ key, bad string }{
		{"ui.queue.still_serving", " îl "},
		{"ui.queue.still_serving", " o "},
		{"ui.queue.serve.confirm", "Cardul"},
	} {
		got := i18n.T(i18n.Romanian, tc.key, map[string]string{"name": "Bălan Ana"})
		if strings.Contains(got, tc.bad) || !strings.Contains(got, "Bălan Ana") {
			t.Errorf("%s: %q", tc.key, got)
		}
	}
}
