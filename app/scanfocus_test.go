package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
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
	f.typeNow(w, text, gap, enter)
}

// typeNow is drive before the focus keeper's next round: right after a
// click, the keys reach whatever the click focused.
func (f *fixture) typeNow(w fyne.Window, text string, gap time.Duration, enter bool) {
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

// TestScanRightAfterAClick: a click on a row of the day list, on its
// filter or on the walk-in form's reason gives them the focus, and a scan
// right after it, before the focus keeper's next round, is caught all the
// same; a name typed right after a click in the day list lands in the
// code field.
func TestScanRightAfterAClick(t *testing.T) {
	f := newFixture(t)
	clicks := []struct {
		name  string
		click func()
	}{
		{"a row of the day list", func() { f.c.win.Canvas().Focus(f.c.day.list) }}, // what a click on a row does
		{"the day list's filter", func() { test.Tap(f.c.day.filter) }},             // its options open
		{"the walk-in form's reason", func() { // its options open over the form
			f.c.askWalkIn()
			for _, w := range focusables(f.c.win.Canvas().Overlays().Top()) {
				if s, ok := w.(*scanSelect); ok {
					test.Tap(s)
					return
				}
			}
			t.Fatal("no reason drop-down in the walk-in form")
		}},
	}
	for _, cl := range clicks {
		t.Run(cl.name, func(t *testing.T) {
			f.c.idle()
			cl.click()
			if cl.name == "a row of the day list" && f.c.win.Canvas().Focused() != f.c.day.list {
				t.Fatalf("the list did not take the focus: %T", f.c.win.Canvas().Focused())
			}
			f.typeNow(f.c.win, f.code("Bălan Ana"), 4*time.Millisecond, true)
			if !f.judged() {
				t.Fatalf("the scan right after the click was lost: card %q", f.c.card.title.Text)
			}
			if f.c.manual.Text != "" || f.c.day.search.Text != "" {
				t.Fatalf("the scan leaked: code field %q, search %q", f.c.manual.Text, f.c.day.search.Text)
			}
			for f.c.win.Canvas().Overlays().Top() != nil {
				f.c.win.Canvas().Overlays().Remove(f.c.win.Canvas().Overlays().Top())
			}
			if cl.name == "the walk-in form's reason" {
				return // a name typed there: see TestPeopleTypingFast
			}
			f.c.idle()
			cl.click()
			f.typeNow(f.c.win, "Ionescu", 70*time.Millisecond, false)
			if got := f.c.manual.Text; got != "Ionescu" {
				t.Fatalf("a name typed right after the click: code field %q", got)
			}
			f.c.manual.SetText("")
			for f.c.win.Canvas().Overlays().Top() != nil {
				f.c.win.Canvas().Overlays().Remove(f.c.win.Canvas().Overlays().Top())
			}
		})
	}
	if n := f.arrivals("Bălan Ana"); n != 1 {
		t.Fatalf("%d arrivals recorded", n)
	}
}

// TestScanWhileAMessageIsOver: a message or question over the window takes
// no focus and is answered from the keyboard (Enter, Escape), yet the
// Enter that ends a scan is the scan's: the scan is judged, the code does
// not stay in the code field, the question is not answered.
func TestScanWhileAMessageIsOver(t *testing.T) {
	f := newFixture(t)
	called := 0
	asks := []struct {
		name string
		open func()
	}{
		{"a message", func() { f.c.tell("Parolă greșită", "Parola supervizorului nu este corectă.") }},
		{"a question", func() {
			d := dialog.NewConfirm("?", "!", func(bool) {}, f.c.win)
			f.c.ask(d, func() { called++ })
		}},
	}
	for _, a := range asks {
		t.Run(a.name, func(t *testing.T) {
			f.c.idle()
			a.open()
			f.drive(f.c.win, f.code("Bălan Ana"), 4*time.Millisecond, true)
			if !f.judged() {
				t.Fatalf("the scan was lost: card %q", f.c.card.title.Text)
			}
			if f.c.manual.Text != "" {
				t.Fatalf("the scan stayed in the code field: %q", f.c.manual.Text)
			}
			if f.c.asking == nil || called != 0 {
				t.Fatal("the scanner's Enter answered the question")
			}
			f.drive(f.c.win, "", 0, true) // a person's Enter answers it
			if f.c.asking != nil {
				t.Fatal("Enter did not answer the question")
			}
		})
	}
	if called != 1 {
		t.Fatalf("the question's default answer ran %d times", called)
	}
}

// TestTabGoesOnFromAWidgetTheFocusWasTakenOff: Tab goes from the walk-in
// form's name to its reason and its card (drop-downs of the app's, which
// keep the focus), then to the form's first button (Fyne's, whose focus the focus
// keeper takes off); Shift+Tab then goes back to the card, Tab on to the
// other button, as they would have from that button, not from the form's
// first or last widget.
func TestTabGoesOnFromAWidgetTheFocusWasTakenOff(t *testing.T) {
	f := newFixture(t)
	f.c.askWalkIn()
	c := f.c.win.Canvas()
	tab, shiftTab := c.(interface{ FocusNext() }).FocusNext, c.(interface{ FocusPrevious() }).FocusPrevious
	name, ok := c.Focused().(*scanEntry)
	if !ok {
		t.Fatalf("the walk-in name has no focus: %T", c.Focused())
	}
	name.SetText("Vlad Munteanu") // OK is enabled
	var first fyne.Focusable
	moves := []struct {
		name string
		move func()
		want func(fyne.Focusable) bool
	}{
		{"Shift+Tab", shiftTab, func(w fyne.Focusable) bool { _, ok := w.(*scanSelect); return ok }},
		{"Tab", tab, func(w fyne.Focusable) bool { _, ok := w.(*widget.Button); return ok && w != first }},
	}
	for _, m := range moves {
		t.Run(m.name, func(t *testing.T) {
			c.Focus(name)
			tab()
			f.c.keepFocus()
			if _, ok := c.Focused().(*scanSelect); !ok {
				t.Fatalf("Tab from the name: %T has the focus", c.Focused())
			}
			tab() // on to the card, another drop-down of the app's
			if _, ok := c.Focused().(*scanSelect); !ok {
				t.Fatalf("Tab from the reason: %T has the focus", c.Focused())
			}
			tab()
			if first = c.Focused(); first == nil {
				t.Fatal("Tab from the card: nothing has the focus")
			}
			f.c.keepFocus()
			if c.Focused() != nil {
				t.Fatalf("the focus keeper left the focus on %T", c.Focused())
			}
			f.c.keys.resume(f.c.win) // the driver's key-down, before it moves the focus
			m.move()
			if !m.want(c.Focused()) {
				t.Fatalf("%s went to %T", m.name, c.Focused())
			}
		})
	}
}

// TestTabGoesRoundTheCounter: Tab from the code field reaches every
// widget of the counter's window and comes back: the day list and its
// filter keep the focus (they catch a scan themselves), so the focus
// keeper does not send it back to the code field before the header's and
// the footer's buttons.
func TestTabGoesRoundTheCounter(t *testing.T) {
	f := newFixture(t)
	c := f.c.win.Canvas()
	c.Focus(f.c.manual)
	seen := map[fyne.Focusable]bool{}
	var order []string
	for i := 0; i < 60 && (i == 0 || c.Focused() != f.c.manual); i++ {
		c.(interface{ FocusNext() }).FocusNext()
		f.c.keepFocus()
		w := c.Focused()
		if w == nil {
			t.Fatalf("Tab %d: nothing has the focus (after %v)", i+1, order)
		}
		seen[w] = true
		order = append(order, fmt.Sprintf("%T", w))
	}
	if c.Focused() != f.c.manual {
		t.Fatalf("Tab did not come back to the code field: %v", order)
	}
	for _, w := range focusables(f.c.win.Content()) {
		if d, ok := w.(fyne.Disableable); ok && d.Disabled() {
			continue
		}
		if !seen[w] {
			t.Errorf("Tab never reached a %T (the order: %v)", w, order)
		}
	}
	t.Logf("%d Tab stops: %v", len(order), order)
}

// TestKeysOnTheDayList: the day list and its filter keep the focus, yet
// the window's keys work there (F2 signs in); the arrows on the list move
// its selection as in the code field, on the filter open its options.
func TestKeysOnTheDayList(t *testing.T) {
	f := newFixture(t)
	c := f.c.win.Canvas()
	for _, w := range []fyne.Focusable{f.c.day.list, f.c.day.filter} {
		t.Run(fmt.Sprintf("%T", w), func(t *testing.T) {
			c.Focus(w)
			f.press(c, fyne.KeyF2)
			if c.Overlays().Top() == nil {
				t.Fatal("F2 opened no sign-in")
			}
			c.Overlays().Remove(c.Overlays().Top())
			c.Focus(w)
			f.c.day.unpick()
			f.press(c, fyne.KeyDown)
			switch w {
			case f.c.day.list: // as in the code field: the first row is picked
				if f.c.day.picked == "" {
					t.Fatalf("the arrow down on the list picked nobody; %T has the focus", c.Focused())
				}
			case f.c.day.filter: // its options open
				if c.Overlays().Top() == nil {
					t.Fatal("the arrow down on the filter did not open its options")
				}
			}
			for c.Overlays().Top() != nil {
				c.Overlays().Remove(c.Overlays().Top())
			}
		})
	}
}
