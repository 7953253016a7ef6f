package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// question is a message or a question over the window. The keyboard stays
// in the code field (scans must reach the counter), so Enter there (with
// nothing typed) gives its default answer and Escape dismisses it.
type question struct {
	d       dialog.Dialog
	yes     func()
	closing bool // the question whether to close the window (close.go)
}

// overlays are the dialogs open over the counter's window, the last on
// top, and the demo codes' window. One dialog at a time: a shortcut
// pressed again while its dialog is open (Ctrl+U twice) opens no second
// one, and Escape closes the top one wherever the keyboard is (in its
// field, in the code field, or nowhere, where keepFocus left it).
type overlays struct {
	dialogs []*openDialog
	demo    fyne.Window // the demo codes' window (Ctrl+D), while open
}

// openDialog is a dialog over the window: how to close it (as its Cancel
// does) and where its keyboard goes.
type openDialog struct {
	close func()
	field fyne.Focusable // nil: none
}

// busy reports whether a dialog or a question is open over the window; it
// then keeps the keyboard (its field has the focus again) and no other
// dialog opens over it.
func (c *Counter) busy() bool {
	c.settle()
	if n := len(c.over.dialogs); n > 0 {
		if f := c.over.dialogs[n-1].field; f != nil {
			c.win.Canvas().Focus(f)
		}
		return true
	}
	return c.asking != nil
}

// settle forgets the dialogs and the question when nothing is shown over
// the window any more (an overlay hidden as such, not through its dialog,
// says nothing).
func (c *Counter) settle() {
	if c.win.Canvas().Overlays().Top() == nil {
		c.over.dialogs, c.asking = nil, nil
	}
}

// track notes that a dialog is open until untrack is called (when it
// closes): close closes it as its Cancel does; field is where its keyboard
// goes.
func (c *Counter) track(close func(), field fyne.Focusable) (untrack func()) {
	o := &openDialog{close: close, field: field}
	c.over.dialogs = append(c.over.dialogs, o)
	c.manual.onEscape = func() { c.escape() }
	return func() {
		for i, d := range c.over.dialogs {
			if d == o {
				c.over.dialogs = append(c.over.dialogs[:i], c.over.dialogs[i+1:]...)
				break
			}
		}
	}
}

// escape answers the open question no, or else closes the top dialog, or
// else withdraws the day list's offer; the keyboard goes back to the code
// field. It reports whether there was one.
func (c *Counter) escape() bool {
	c.settle()
	if c.asking != nil {
		return c.answer(false)
	}
	n := len(c.over.dialogs)
	if n == 0 {
		if c.day != nil && c.day.picked != "" { // the offer to check in the person picked in the day list
			c.day.list.UnselectAll()
			c.day.unpick()
			return true
		}
		return false
	}
	top := c.over.dialogs[n-1]
	c.over.dialogs = c.over.dialogs[:n-1]
	top.close()
	c.win.Canvas().Focus(c.manual)
	return true
}

// ask shows d, whose default answer is yes, answerable from the keyboard.
func (c *Counter) ask(d dialog.Dialog, yes func()) {
	q := &question{d: d, yes: yes}
	c.asking = q
	c.manual.onEscape = func() { c.escape() }
	d.SetOnClosed(func() {
		if c.asking == q {
			c.asking = nil
		}
		c.win.Canvas().Focus(c.manual)
	})
	d.Show()
	c.win.Canvas().Focus(c.manual)
}

// answer answers the open question, yes (Enter) or no (Escape); false
// when none is open. Escape with no question open closes the top dialog.
func (c *Counter) answer(yes bool) bool {
	q := c.asking
	if q == nil {
		return !yes && c.escape()
	}
	c.asking = nil
	if yes {
		q.yes()
	}
	q.d.Hide()
	return true
}
