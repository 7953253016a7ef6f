package app

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// askSignIn asks who works at the counter for this shift. Every event
// records who did it; until someone signs in, scans are not recorded.
func (c *Counter) askSignIn() {
	name := newScanEntry(c.keys, c.shortcuts)
	name.SetPlaceHolder(c.t("ui.signin.name", nil))
	name.Validator = c.clerkName
	var d dialog.Dialog
	submit := func() {
		n := strings.TrimSpace(name.Text)
		if n == "" || name.Validate() != nil {
			return
		}
		d.Hide()
		c.desk.SignIn(n) // a shift of their own: Ctrl+Z undoes nothing from before it
		c.app.Preferences().SetString("clerk", n)
		// The new shift starts on the idle card: neither the prompt to sign
		// in nor the previous clerk's last verdict (nor its person, for the
		// buttons) stays.
		c.current, c.lastCode = nil, ""
		c.idle()
		c.build()
	}
	name.OnSubmitted = func(string) { submit() }
	d = dialog.NewForm(c.t("ui.signin.title", nil), c.t("ui.signin.ok", nil), c.t("ui.accept.cancel", nil),
		[]*widget.FormItem{widget.NewFormItem(c.t("ui.signin.name", nil), name)},
		func(ok bool) {
			if ok {
				submit()
			}
			c.win.Canvas().Focus(c.manual)
		}, c.win)
	d.Resize(d.MinSize().AddWidthHeight(240, 0))
	if c.modal(d, name) {
		c.win.Canvas().Focus(name)
	}
}

// idleContent is the card while nothing is scanned: the reader ready for
// the clerk signed in or, with nobody signed in, how to sign in first (a
// scan would not be recorded).
func (c *Counter) idleContent() cardContent {
	if c.desk.Clerk == "" {
		return cardContent{Title: c.t("ui.signin.first", nil), Detail: c.t("ui.signin.first.detail", nil)}
	}
	return cardContent{Title: c.t("ui.scan.waiting", nil), Detail: c.t("ui.scan.ready", map[string]string{"clerk": c.desk.Clerk})}
}

// signedIn reports whether a clerk has signed in, and says so when not,
// with the error sound: a scan then is not recorded.
func (c *Counter) signedIn() bool {
	if c.desk.Clerk != "" {
		return true
	}
	c.show(cardContent{Colour: verdict.Red, Title: c.t("ui.signin.first", nil)})
	return false
}

// modal shows d, one dialog at a time: it shows nothing and reports false
// while another dialog or a question is open over the window (a shortcut
// pressed twice, Ctrl+U Ctrl+U, stacks no second dialog), whose field gets
// the keyboard back. Escape cancels d, in any of its fields or wherever
// the keyboard is, and gives the keyboard back to the code field.
func (c *Counter) modal(d dialog.Dialog, fields ...*scanEntry) bool {
	if c.busy() {
		return false
	}
	var first fyne.Focusable
	if len(fields) > 0 {
		first = fields[0]
	}
	untrack := c.track(d.Hide, first)
	d.SetOnClosed(untrack)
	for _, f := range fields {
		f.onEscape = func() {
			d.Hide()
			c.win.Canvas().Focus(c.manual)
		}
	}
	d.Show()
	return true
}

// atMost refuses, as the entry is typed, a text longer than the limit that
// the hub applies too: what a counter records can always be synced.
func (c *Counter) atMost(limit int) fyne.StringValidator {
	return func(s string) error {
		if utf8.RuneCountInString(strings.TrimSpace(s)) > limit {
			return errors.New(c.t("ui.too_long", map[string]string{"max": strconv.Itoa(limit)}))
		}
		return nil
	}
}

// clerkName refuses, as it is typed, a name the hub would refuse: too
// long, with control characters, or the hub's own "system".
func (c *Counter) clerkName(s string) error {
	if err := c.atMost(store.MaxClerk)(s); err != nil {
		return err
	}
	if store.CheckText(strings.TrimSpace(s), "") != nil {
		return errors.New(c.t("ui.signin.bad", nil))
	}
	return nil
}
