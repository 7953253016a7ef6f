package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/demo"
)

// drive types text into window w as Fyne's desktop driver delivers it: to
// the focused widget, else to the window's canvas; then Enter if asked. The
// counter's focus keeper runs first, as its 50 ms ticker does between a
// click or a Tab and a scan.
func (f *fixture) drive(w fyne.Window, text string, gap time.Duration, enter bool) {
	f.c.keepFocus()
	c := w.Canvas()
	for _, r := range text {
		f.pause(gap)
		// The driver reports the key itself first (Shift too), then the
		// character, each to the focused widget or else to the window.
		if unicode.IsUpper(r) {
			f.press(c, desktop.KeyShiftLeft)
		}
		f.press(c, fyne.KeyName(strings.ToUpper(string(r))))
		if focused := c.Focused(); focused != nil {
			focused.TypedRune(r)
		} else if on := c.OnTypedRune(); on != nil {
			on(r)
		}
	}
	f.keyTime = f.keyTime.Add(gap)
	if enter {
		ev := &fyne.KeyEvent{Name: fyne.KeyReturn}
		if focused := c.Focused(); focused != nil {
			focused.TypedKey(ev)
		} else if on := c.OnTypedKey(); on != nil {
			on(ev)
		}
	}
	f.keyTime = f.keyTime.Add(time.Second)
	if f.pending != nil {
		p := f.pending
		f.pending = nil
		p()
	}
}

// press delivers a key as the driver does: to the focused widget, else to
// the window.
func (f *fixture) press(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if focused := c.Focused(); focused != nil {
		focused.TypedKey(ev)
	} else if on := c.OnTypedKey(); on != nil {
		on(ev)
	}
}

// focusables are the visible widgets of o that can take the keyboard.
func focusables(o fyne.CanvasObject) []fyne.Focusable {
	if o == nil || !o.Visible() {
		return nil
	}
	var out []fyne.Focusable
	if f, ok := o.(fyne.Focusable); ok {
		out = append(out, f)
	}
	switch o := o.(type) {
	case *fyne.Container:
		for _, child := range o.Objects {
			out = append(out, focusables(child)...)
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(o).Objects() {
			out = append(out, focusables(child)...)
		}
	}
	return out
}

// texts are the texts of the entries among ws, to see that none changed.
func texts(ws []fyne.Focusable) string {
	var s string
	for _, w := range ws {
		switch e := w.(type) {
		case *scanEntry:
			s += e.Text + "|"
		case *widget.Entry:
			s += e.Text + "|"
		}
	}
	return s
}

// judged reports whether the card shows a verdict, not the idle card.
func (f *fixture) judged() bool { return f.c.card.title.Text != f.c.t("ui.scan.waiting", nil) }

// arrivals counts the arrivals recorded for the named person.
func (f *fixture) arrivals(name string) int {
	es, err := f.d.DB.Events(context.Background(), f.bookingID(name))
	if err != nil {
		f.t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Type == store.Arrived {
			n++
		}
	}
	return n
}

func TestScanWhateverHasTheFocus(t *testing.T) {
	f := newFixture(t)
	ws := focusables(f.c.win.Content())
	if len(ws) < 10 {
		t.Fatalf("only %d focusable widgets in the counter's window", len(ws))
	}
	code := f.code("Bălan Ana")
	for i, w := range ws {
		t.Run(fmt.Sprintf("%d %T", i, w), func(t *testing.T) {
			f.c.idle()
			f.c.win.Canvas().Focus(w)
			before := texts(ws)
			f.drive(f.c.win, code, 4*time.Millisecond, true)
			if title := f.c.card.title.Text; title != "Programare validă" && title != "Sosire deja înregistrată" {
				t.Fatalf("the scan was not judged: card %q", title)
			}
			if after := texts(ws); after != before {
				t.Fatalf("the scan leaked into a field: %q, was %q", after, before)
			}
		})
	}
	if n := f.arrivals("Bălan Ana"); n != 1 {
		t.Fatalf("%d arrivals recorded", n)
	}
}

func TestScanWhileADialogIsOpen(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true) // late: overridable
	dialogs := []struct {
		name string
		open func()
		who  string
	}{
		{"sign-in", f.c.askSignIn, "Bălan Ana"},
		{"override", f.c.askOverride, "Popescu Andrei"}, // a no-show: judged, not recorded
		{"walk-in", f.c.askWalkIn, "Ionescu Maria-Ștefania"},
		{"supervisor password", f.c.askSupervisor, "Bălan Ana"},
	}
	for _, d := range dialogs {
		t.Run(d.name, func(t *testing.T) {
			if d.name == "override" && !f.c.canOverride() {
				f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true)
			}
			d.open()
			field, ok := f.c.win.Canvas().Focused().(*scanEntry)
			if !ok {
				t.Fatalf("the dialog's field has no focus: %T", f.c.win.Canvas().Focused())
			}
			before := f.arrivals(d.who)
			f.c.idle()
			f.drive(f.c.win, f.code(d.who), 3*time.Millisecond, true)
			if f.arrivals(d.who) == before && !f.judged() {
				t.Fatalf("the scan did not reach the counter: card %q", f.c.card.title.Text)
			}
			if field.Text != "" {
				t.Fatalf("the scan leaked into the dialog's field: %q", field.Text)
			}
			// The dialog's buttons too, reached with Tab.
			for _, w := range focusables(f.c.win.Canvas().Overlays().Top()) {
				if _, ok := w.(*widget.Button); ok {
					f.c.win.Canvas().Focus(w)
					f.c.idle()
					f.drive(f.c.win, f.code(d.who), 3*time.Millisecond, true)
					if !f.judged() {
						t.Fatalf("a scan with the dialog's button focused: card %q", f.c.card.title.Text)
					}
				}
			}
			if top := f.c.win.Canvas().Overlays().Top(); top != nil {
				f.c.win.Canvas().Overlays().Remove(top)
			}
		})
	}
}

func TestScanInOtherWindows(t *testing.T) {
	f := newFixture(t)
	v := f.c.OpenSupervisor()
	who := []string{"Bălan Ana", "Popescu Andrei", "Ionescu Maria-Ștefania"}
	targets := append([]fyne.Focusable{nil}, focusables(v.win.Content())...)
	for i, w := range targets {
		name := who[i%len(who)]
		v.win.Canvas().Unfocus()
		if w != nil {
			v.win.Canvas().Focus(w)
		}
		before := f.arrivals(name)
		f.c.idle()
		f.drive(v.win, f.code(name), 5*time.Millisecond, true)
		if f.arrivals(name) == before && !f.judged() {
			t.Fatalf("supervisor window, focus on %T: the scan was lost, card %q", w, f.c.card.title.Text)
		}
	}
}

// TestPeopleTypingFast types into the dialogs as fast as people do, as the
// first keys after start: nothing is taken for a scan.
func TestPeopleTypingFast(t *testing.T) {
	for _, gap := range []time.Duration{30, 45, 70, 110, 200} {
		gap *= time.Millisecond
		t.Run(gap.String(), func(t *testing.T) {
			f := newFixture(t)
			f.c.askSignIn()
			f.drive(f.c.win, "48213", gap, true)
			if f.c.desk.Clerk != "48213" {
				t.Fatalf("staff number: clerk %q, card %q", f.c.desk.Clerk, f.c.card.title.Text)
			}
			f.c.askSignIn()
			f.drive(f.c.win, "Ștefan Gheorghiță", gap, true)
			if f.c.desk.Clerk != "Ștefan Gheorghiță" {
				t.Fatalf("name: clerk %q, card %q", f.c.desk.Clerk, f.c.card.title.Text)
			}
			windows := len(f.c.app.Driver().AllWindows())
			f.c.askSupervisor()
			f.drive(f.c.win, demo.Password, gap, true)
			if len(f.c.app.Driver().AllWindows()) != windows+1 {
				t.Fatalf("password: the supervisor's window did not open, card %q", f.c.card.title.Text)
			}
			f.c.win.Canvas().Focus(f.c.day.search)
			f.drive(f.c.win, "stef", gap, false)
			if f.c.day.search.Text != "stef" {
				t.Fatalf("search: %q", f.c.day.search.Text)
			}
		})
	}
}

func TestScanWhileTheSettingsAreOpen(t *testing.T) {
	f := newFixture(t)
	v := f.c.OpenSupervisor()
	f.c.showSettings(v.win)
	ws := focusables(v.win.Canvas().Overlays().Top())
	for _, w := range ws {
		v.win.Canvas().Focus(w)
		before := texts(ws)
		f.c.idle()
		f.drive(v.win, f.code("Bălan Ana"), 5*time.Millisecond, true)
		if !f.judged() {
			t.Fatalf("settings, focus on %T: the scan was lost", w)
		}
		if after := texts(ws); after != before {
			t.Fatalf("settings, focus on %T: the scan leaked: %q, was %q", w, after, before)
		}
	}
	if f.arrivals("Bălan Ana") != 1 {
		t.Fatal("no arrival recorded")
	}
}

// TestScanBeforeSignIn: the scan cannot be recorded; the card is red (the
// error sound) and says why.
func TestScanBeforeSignIn(t *testing.T) {
	f := newFixture(t)
	f.c.desk.Clerk = ""
	f.drive(f.c.win, f.code("Bălan Ana"), 4*time.Millisecond, true)
	if f.c.card.bg.FillColor != cardColours["red"][0] || f.c.card.title.Text != f.c.t("ui.signin.first", nil) {
		t.Fatalf("card %q", f.c.card.title.Text)
	}
}

// TestSpaceOnADialogButton: the focus keeper takes the focus off a dialog's
// button reached with Tab, yet Space still presses it.
func TestSpaceOnADialogButton(t *testing.T) {
	f := newFixture(t)
	f.c.askSignIn()
	var cancel *widget.Button
	for _, w := range focusables(f.c.win.Canvas().Overlays().Top()) {
		if b, ok := w.(*widget.Button); ok && b.Text == f.c.t("ui.accept.cancel", nil) {
			cancel = b
		}
	}
	if cancel == nil {
		t.Fatal("no Cancel button in the sign-in dialog")
	}
	f.c.win.Canvas().Focus(cancel)
	f.c.keepFocus()
	if f.c.win.Canvas().Focused() != nil {
		t.Fatalf("the focus stayed on %T", f.c.win.Canvas().Focused())
	}
	f.press(f.c.win.Canvas(), fyne.KeySpace)
	if f.c.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Space did not press the dialog's Cancel button")
	}
}
