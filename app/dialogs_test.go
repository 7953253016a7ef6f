package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/ghiseu/ghiseu/store/demo"
)

// overlays counts the dialogs over the counter's window.
func (f *fixture) overlays() int { return len(f.c.win.Canvas().Overlays().List()) }

// escapeAt presses Escape where the keyboard is: the focused widget, or
// the window when nothing has the focus (keepFocus takes it off Fyne's
// lists and buttons, a file dialog's too).
func escapeAt(w fyne.Window) {
	ev := &fyne.KeyEvent{Name: fyne.KeyEscape}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	w.Canvas().OnTypedKey()(ev)
}

// Every dialog a shortcut opens opens once however often the shortcut is
// pressed, and Escape closes it wherever the keyboard is.
func TestDialogShortcutsOpenOnceAndEscapeCloses(t *testing.T) {
	f := newFixture(t)
	if err := f.d.DB.SetSupervisorPassword(t.Context(), demo.Password); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		key     fyne.KeyName
		unfocus bool // the keyboard is nowhere, as keepFocus leaves it over a file dialog
	}{
		{"password, in its field", fyne.KeyU, false},
		{"password, nowhere", fyne.KeyU, true},
		{"walk-in", fyne.KeyW, false},
		{"file dialog", fyne.KeyI, true},
	} {
		f.shortcut(tt.key)
		pressIn(f.c.win, tt.key) // pressed again, where the keyboard is
		if f.overlays() != 1 {
			t.Fatalf("%s: %d dialogs after pressing the shortcut twice", tt.name, f.overlays())
		}
		if tt.unfocus {
			f.c.win.Canvas().Unfocus()
		}
		escapeAt(f.c.win)
		if f.overlays() != 0 {
			t.Fatalf("%s: Escape left %d dialogs", tt.name, f.overlays())
		}
		if f.c.win.Canvas().Focused() != f.c.manual {
			t.Fatalf("%s: the keyboard is on %T, not the code field", tt.name, f.c.win.Canvas().Focused())
		}
	}
	// F2 over the walk-in form opens no second dialog; Escape closes the form.
	f.shortcut(fyne.KeyW)
	f.c.askSignIn()
	if f.overlays() != 1 {
		t.Fatalf("%d dialogs after F2 over the walk-in form", f.overlays())
	}
	escapeAt(f.c.win)
	if f.overlays() != 0 {
		t.Fatal("Escape did not close the walk-in form")
	}
}

// pressIn presses Ctrl+key in w's focused field, or at w when nothing
// has the focus, as Fyne's desktop driver delivers it.
func pressIn(w fyne.Window, key fyne.KeyName) {
	s := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierControl}
	if f, ok := w.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(s)
}

// The demo codes' window opens once, and Escape closes it.
func TestDemoCodesOnceAndEscape(t *testing.T) {
	f := newFixture(t)
	windows := len(f.c.app.Driver().AllWindows())
	f.shortcut(fyne.KeyD)
	f.shortcut(fyne.KeyD)
	all := f.c.app.Driver().AllWindows()
	if len(all) != windows+1 {
		t.Fatalf("%d windows after Ctrl+D twice, want %d", len(all), windows+1)
	}
	escapeAt(all[len(all)-1])
	if n := len(f.c.app.Driver().AllWindows()); n != windows {
		t.Fatalf("Escape left %d windows, want %d", n, windows)
	}
	f.shortcut(fyne.KeyD)
	if n := len(f.c.app.Driver().AllWindows()); n != windows+1 {
		t.Fatalf("Ctrl+D after closing: %d windows", n)
	}
}
