package app

import (
	"fyne.io/fyne/v2/dialog"
)

// interceptClose has closing the counter's window (Alt+F4, the title
// bar's ×) ask first while a clerk is signed in: the shift is not left by
// a slip of the hand. With nobody signed in it closes at once.
func (c *Counter) interceptClose() { c.win.SetCloseIntercept(c.askClose) }

// askClose is what closing the window does: it closes when nobody is
// signed in, and otherwise asks, Enter to close, Escape to stay.
func (c *Counter) askClose() {
	if c.desk.Clerk == "" {
		c.win.Close()
		return
	}
	if c.asking != nil && c.asking.closing { // Alt+F4 twice: one question
		return
	}
	d := dialog.NewConfirm(c.t("ui.close.title", nil),
		c.t("ui.close.question", map[string]string{"clerk": c.desk.Clerk}),
		func(yes bool) {
			if yes {
				c.win.Close()
			}
		}, c.win)
	d.SetConfirmText(c.t("ui.close.ok", nil))
	d.SetDismissText(c.t("ui.close.stay", nil))
	c.ask(d, c.win.Close) // Enter closes, Escape stays
	c.asking.closing = true
}
