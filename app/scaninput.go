package app

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/scanner/wedge"
)

// keyRouter is the one place that decides where the keyboard goes: a
// handheld scanner's bursts (a reservation code, by length and alphabet) to
// onScan, a person's typing, unchanged and in order, to the widget it was
// typed into. Every window of the app sends it its keys: the text fields
// (scanEntry) and buttons (scanButton) the app makes type through it, each
// window does when nothing has the focus (routeKeys), and keepFocus takes
// the focus off the widgets Fyne makes (lists, selects, a dialog's buttons),
// which would swallow a scan.
type keyRouter struct {
	det     *wedge.Detector
	onScan  func(code string)
	now     func() time.Time
	after   func(time.Duration, func())    // schedules a call on the GUI thread
	target  fyne.Focusable                 // the widget that gets released typing; nil: none
	guarded []guardedWindow                // the windows whose focus keepFocus watches
	parked  map[fyne.Window]fyne.Focusable // the widget each window's focus was taken off
}

// guardedWindow is a window whose keyboard the router watches, and where
// its focus goes when a widget that swallows scans takes it (nil: nowhere).
type guardedWindow struct {
	win  fyne.Window
	home func() fyne.Focusable
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

// rune takes a character typed into field (nil: into a window with no
// focus). Keys held for another widget are released to it first.
func (k *keyRouter) rune(field fyne.Focusable, r rune) {
	k.retarget(field)
	k.apply(k.det.Rune(r, k.now()))
	k.after(k.det.Pause()+10*time.Millisecond, k.tick)
}

// retarget makes field the widget that gets typing (nil: none), once what
// was held for the previous one is released to it.
func (k *keyRouter) retarget(field fyne.Focusable) {
	if k.target != field {
		k.flush()
		k.target = field
	}
}

// enter takes the Enter key; it reports whether a person pressed it, in
// which case the field should act on it as usual.
func (k *keyRouter) enter(field fyne.Focusable) (personal bool) {
	k.retarget(field)
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
		for _, r := range a.Text {
			typeInto(k.target, r)
		}
	case wedge.Retract:
		if e, ok := k.target.(*scanEntry); ok {
			if text, ok := strings.CutSuffix(e.Text, a.Text); ok {
				e.SetText(text)
				e.CursorColumn = len([]rune(text))
			}
		}
	}
}

// typeInto gives r to w as if typed there, past the router.
func typeInto(w fyne.Focusable, r rune) {
	switch w := w.(type) {
	case nil:
	case *scanEntry:
		w.Entry.TypedRune(r)
	case *scanButton:
		w.Button.TypedRune(r)
	default:
		w.TypedRune(r)
	}
}

// guard has keepFocus watch w; home, if not nil, says where its focus goes
// when a widget that swallows scans takes it.
func (k *keyRouter) guard(w fyne.Window, home func() fyne.Focusable) {
	k.guarded = append(k.guarded, guardedWindow{win: w, home: home})
	if c, ok := w.Canvas().(desktop.Canvas); ok {
		// The driver reports a key here when nothing has the focus,
		// before it moves the focus on Tab.
		c.SetOnKeyDown(func(ev *fyne.KeyEvent) {
			if ev.Name == fyne.KeyTab {
				k.resume(w)
			}
		})
	}
}

// resume gives the focus back to the widget w's focus was taken off, when
// the window's focus is still nowhere: Tab and Shift+Tab, which the driver
// handles after this, then move on from that widget as they would have,
// not from the window's first or last widget.
func (k *keyRouter) resume(w fyne.Window) {
	p := k.parked[w]
	if p == nil || w.Canvas().Focused() != nil {
		return
	}
	delete(k.parked, w)
	w.Canvas().Focus(p)
}

// keepFocus takes the focus of every watched window off a widget that
// would swallow a scan: Fyne's own lists, selects, menus and dialog
// buttons, and buttons made without the router. The focus goes home, or
// nowhere, where the window routes keys itself. Text fields and the app's
// own buttons, lists and drop-downs, which catch a scan, are left alone.
// The counter calls it every 50 ms; open is the app's windows, and closed
// ones are forgotten.
func (k *keyRouter) keepFocus(open []fyne.Window) {
	kept := k.guarded[:0]
	for _, g := range k.guarded {
		for _, w := range open {
			if w == g.win {
				kept = append(kept, g)
				k.steer(g)
				break
			}
		}
	}
	k.guarded = kept
}

// steer moves the window's focus off a widget that would swallow a scan:
// home, else nowhere, the widget parked so that the keys that act on it
// (Space, the arrows) still reach it.
func (k *keyRouter) steer(g guardedWindow) {
	switch f := g.win.Canvas().Focused().(type) {
	case nil:
	case *scanEntry, *scanButton, *widget.Entry, *scanList, *scanSelect: // they catch a scan themselves
		delete(k.parked, g.win)
	default:
		k.takeOff(g, f)
	}
}

// takeOff moves the window's focus off f: home, else nowhere, f parked.
func (k *keyRouter) takeOff(g guardedWindow, f fyne.Focusable) {
	c := g.win.Canvas()
	delete(k.parked, g.win)
	if g.home != nil {
		c.Focus(g.home())
	}
	if c.Focused() == f {
		c.Unfocus()
		if k.parked == nil {
			k.parked = map[fyne.Window]fyne.Focusable{}
		}
		k.parked[g.win] = f
	}
}

// stray takes the focus off w, a list or drop-down that takes no typing,
// when a character or Enter reaches it (a scan right after a click on a
// row of the day list, or with the focus there by Tab). It returns the
// canvas whose focus moved, to deliver the key again as the driver would
// have, or nil when w has the focus of no watched window.
func (k *keyRouter) stray(w fyne.Focusable) fyne.Canvas {
	for _, g := range k.guarded {
		if c := g.win.Canvas(); c.Focused() == w {
			k.takeOff(g, w)
			if c.Focused() == w {
				return nil
			}
			return c
		}
	}
	return nil
}

// steerNow takes the focus of the watched window showing o off a widget
// that swallows scans at once, not at keepFocus's next round.
func (k *keyRouter) steerNow(o fyne.CanvasObject) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	for _, g := range k.guarded {
		if g.win.Canvas() == c {
			k.steer(g)
		}
	}
}

// deliverRune gives r to c as the driver does: to the focused widget, else
// to the canvas.
func deliverRune(c fyne.Canvas, r rune) {
	if f := c.Focused(); f != nil {
		f.TypedRune(r)
	} else if on := c.OnTypedRune(); on != nil {
		on(r)
	}
}

// deliverKey gives ev to c as the driver does.
func deliverKey(c fyne.Canvas, ev *fyne.KeyEvent) {
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if on := c.OnTypedKey(); on != nil {
		on(ev)
	}
}

// unpark gives a key that acts on a widget (Space, the arrows) to the
// widget w's focus was taken off, focused again; it reports whether it did.
func (k *keyRouter) unpark(w fyne.Window, ev *fyne.KeyEvent) bool {
	p := k.parked[w]
	if _, list := p.(*scanList); p == nil || list { // a list sends its keys where typing goes
		return false
	}
	delete(k.parked, w)
	if w.Canvas().Focus(p); w.Canvas().Focused() != p { // gone, with its dialog
		return false
	}
	p.TypedKey(ev)
	return true
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

// TypedRune holds the character until the router knows who typed it (a
// field without a router takes it at once).
func (e *scanEntry) TypedRune(r rune) {
	if e.keys == nil {
		e.Entry.TypedRune(r)
		return
	}
	e.keys.rune(e, r)
}

// TypedKey ends a scan on Enter and otherwise behaves as a normal field.
func (e *scanEntry) TypedKey(ev *fyne.KeyEvent) {
	if f, ok := e.shortcuts[string(ev.Name)]; ok { // F2, F11
		f()
		return
	}
	if e.keys == nil {
		e.Entry.TypedKey(ev)
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

// scanButton is a button whose keys go through the keyRouter, so a scan
// while it has the focus (reached with Tab) is caught.
type scanButton struct {
	widget.Button
	keys      *keyRouter
	shortcuts map[string]func() // F2, F11
	bar       *buttonBar        // the row of actions it is in, if any (relabel)
}

func newScanButton(keys *keyRouter, shortcuts map[string]func(), label string, tapped func()) *scanButton {
	b := &scanButton{keys: keys, shortcuts: shortcuts}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedRune holds the character until the router knows who typed it.
func (b *scanButton) TypedRune(r rune) { b.keys.rune(b, r) }

// TypedKey ends a scan on Enter; Space presses the button as usual.
func (b *scanButton) TypedKey(ev *fyne.KeyEvent) {
	if f, ok := b.shortcuts[string(ev.Name)]; ok {
		f()
		return
	}
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		b.keys.enter(b)
		return
	}
	if editingKeys[ev.Name] || ev.Name == fyne.KeySpace { // character keys leave a burst alone
		b.keys.flush()
	}
	b.Button.TypedKey(ev)
}

// scanList is a list that keeps the focus (a click on a row, Tab) and
// loses no key: a key that reaches it takes the focus off it and goes
// where typing goes, so a scan right after a click is caught.
type scanList struct {
	widget.List
	keys *keyRouter
}

func newScanList(keys *keyRouter, length func() int, create func() fyne.CanvasObject,
	update func(widget.ListItemID, fyne.CanvasObject)) *scanList {
	l := &scanList{keys: keys}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedRune sends the character where the window's typing goes.
func (l *scanList) TypedRune(r rune) {
	if c := l.keys.stray(l); c != nil {
		deliverRune(c, r)
	}
}

// TypedKey sends the key where typing goes: Enter may end a scan, and
// the code field's arrows move the day list's selection (daylist.go).
func (l *scanList) TypedKey(ev *fyne.KeyEvent) {
	if c := l.keys.stray(l); c != nil {
		deliverKey(c, ev)
	}
}

// scanSelect is a drop-down list that keeps the focus (Tab) and loses no
// key: a character or Enter that reaches it takes the focus off it and
// goes where typing goes; a click opens its options with the keyboard left
// where a scan is caught (Space and the arrows still choose).
type scanSelect struct {
	widget.Select
	keys *keyRouter
}

func newScanSelect(keys *keyRouter, options []string, changed func(string)) *scanSelect {
	s := &scanSelect{keys: keys}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

// Tapped opens the options; the focus their menu takes is steered at once.
func (s *scanSelect) Tapped(ev *fyne.PointEvent) {
	s.Select.Tapped(ev)
	s.keys.steerNow(s)
}

// TypedRune sends the character where the window's typing goes.
func (s *scanSelect) TypedRune(r rune) {
	if c := s.keys.stray(s); c != nil {
		deliverRune(c, r)
	}
}

// TypedKey opens the options with Space and the arrows up and down, and
// chooses with the arrows left and right; any other key (Enter, which may
// end a scan, F2, Escape) goes where typing goes.
func (s *scanSelect) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeySpace, fyne.KeyUp, fyne.KeyDown, fyne.KeyLeft, fyne.KeyRight:
		s.Select.TypedKey(ev)
	default:
		if c := s.keys.stray(s); c != nil {
			deliverKey(c, ev)
		}
	}
}
