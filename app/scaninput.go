package app

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/scanner/wedge"
)

// keyRouter sends the keyboard to where it belongs: a handheld scanner's
// bursts to onScan, a person's typing to the field that had the focus. Every
// text field of the counter window types through it, and so does the window
// when no field has the focus, so a scan is caught wherever the focus is and
// never lands inside a field.
type keyRouter struct {
	det    *wedge.Detector
	onScan func(code string)
	now    func() time.Time
	after  func(time.Duration, func()) // schedules a call on the GUI thread
	target *scanEntry                  // the field that gets released typing
}

func newKeyRouter(onScan func(string)) *keyRouter {
	return &keyRouter{
		det:    wedge.New(),
		onScan: onScan,
		now:    time.Now,
		after: func(d time.Duration, f func()) {
			time.AfterFunc(d, func() { fyne.Do(f) })
		},
	}
}

// rune takes a character typed into field (nil: into the window).
func (k *keyRouter) rune(field *scanEntry, r rune) {
	k.apply(k.det.Rune(r, k.now()))
	k.target = field
	k.after(k.det.Pause()+10*time.Millisecond, k.tick)
}

// enter takes the Enter key; it reports whether a person pressed it, in
// which case the field should act on it as usual.
func (k *keyRouter) enter(field *scanEntry) (personal bool) {
	if field != nil && k.target != field {
		k.apply(k.det.Tick(k.now().Add(time.Hour)))
		k.target = field
	}
	for _, a := range k.det.Enter(k.now()) {
		if a.Kind == wedge.Submit {
			return true
		}
		k.do(a)
	}
	return false
}

// flush releases held keys as typing before a key that is not a character.
func (k *keyRouter) flush() { k.apply(k.det.Tick(k.now().Add(time.Hour))) }

func (k *keyRouter) tick() { k.apply(k.det.Tick(k.now())) }

func (k *keyRouter) apply(actions []wedge.Action) {
	for _, a := range actions {
		k.do(a)
	}
}

func (k *keyRouter) do(a wedge.Action) {
	switch a.Kind {
	case wedge.Scan:
		k.onScan(a.Text)
	case wedge.Type:
		if k.target == nil {
			return
		}
		for _, r := range a.Text {
			k.target.Entry.TypedRune(r)
		}
	case wedge.Retract:
		if k.target != nil {
			if text, ok := strings.CutSuffix(k.target.Text, a.Text); ok {
				k.target.SetText(text)
				k.target.CursorColumn = len([]rune(text))
			}
		}
	}
}

// scanEntry is a text field whose keys go through the keyRouter.
type scanEntry struct {
	widget.Entry
	keys      *keyRouter
	shortcuts map[string]func() // the window's shortcuts, which win over the field's
	onEscape  func()            // in a dialog: cancel it
}

func newScanEntry(keys *keyRouter, shortcuts map[string]func()) *scanEntry {
	e := &scanEntry{keys: keys, shortcuts: shortcuts}
	e.ExtendBaseWidget(e)
	return e
}

// TypedRune holds the character until the router knows who typed it.
func (e *scanEntry) TypedRune(r rune) { e.keys.rune(e, r) }

// TypedKey ends a scan on Enter and otherwise behaves as a normal field.
func (e *scanEntry) TypedKey(ev *fyne.KeyEvent) {
	if f, ok := e.shortcuts[string(ev.Name)]; ok { // F2, F11
		f()
		return
	}
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.keys.flush()
		e.onEscape()
		return
	}
	switch {
	case ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter:
		if !e.keys.enter(e) {
			return
		}
	case editingKeys[ev.Name]:
		e.keys.flush()
	}
	e.Entry.TypedKey(ev)
}

// editingKeys act on the text typed so far, so held keys are released
// before them. Fyne also reports character keys and modifiers here; those
// must not break a scanner's burst.
var editingKeys = map[fyne.KeyName]bool{
	fyne.KeyBackspace: true, fyne.KeyDelete: true, fyne.KeyLeft: true, fyne.KeyRight: true,
	fyne.KeyUp: true, fyne.KeyDown: true, fyne.KeyHome: true, fyne.KeyEnd: true,
	fyne.KeyPageUp: true, fyne.KeyPageDown: true, fyne.KeyTab: true, fyne.KeyEscape: true,
}

// TypedShortcut gives the window's own shortcuts precedence over the
// field's, so Ctrl+Z undoes the last counter action even while typing.
func (e *scanEntry) TypedShortcut(s fyne.Shortcut) {
	if f, ok := e.shortcuts[s.ShortcutName()]; ok {
		f()
		return
	}
	e.Entry.TypedShortcut(s)
}
