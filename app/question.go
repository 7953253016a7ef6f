package app

import "fyne.io/fyne/v2/dialog"

// question is a message or a question over the window. The keyboard stays
// in the code field (scans must reach the counter), so Enter there (with
// nothing typed) gives its default answer and Escape dismisses it.
type question struct {
	d   dialog.Dialog
	yes func()
}

// ask shows d, whose default answer is yes, answerable from the keyboard.
func (c *Counter) ask(d dialog.Dialog, yes func()) {
	q := &question{d: d, yes: yes}
	c.asking = q
	c.manual.onEscape = func() { c.answer(false) }
	d.SetOnClosed(func() {
		if c.asking == q {
			c.asking, c.manual.onEscape = nil, nil
		}
		c.win.Canvas().Focus(c.manual)
	})
	d.Show()
	c.win.Canvas().Focus(c.manual)
}

// answer answers the open question, yes (Enter) or no (Escape); false
// when none is open.
func (c *Counter) answer(yes bool) bool {
	q := c.asking
	if q == nil {
		return false
	}
	c.asking, c.manual.onEscape = nil, nil
	if yes {
		q.yes()
	}
	q.d.Hide()
	return true
}
