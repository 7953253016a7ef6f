package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store"
)

// askOverride asks why the person on the card is taken anyway (early,
// late as a walk-in, or after a no-show), with the supervisor's password,
// and records it. The dialog names that person and their slot, and acts on
// them whatever is scanned while it is open.
func (c *Counter) askOverride() {
	if !c.canOverride() {
		return
	}
	code, who := c.lastCode, c.overrideTarget()
	reason := newScanEntry(c.keys, c.shortcuts)
	reason.SetPlaceHolder(c.t("ui.accept.placeholder", nil))
	reason.Validator = c.atMost(store.MaxNote)
	pw := newScanEntry(c.keys, c.shortcuts) // a scan here is a scan, never a password
	pw.Password = true
	var d dialog.Dialog
	submit := func() {
		if strings.TrimSpace(reason.Text) == "" || reason.Validate() != nil {
			return
		}
		d.Hide()
		if c.supervisorOK(pw.Text) {
			c.overrideCode(code, reason.Text)
		}
	}
	reason.OnSubmitted = func(string) { c.win.Canvas().Focus(pw) }
	pw.OnSubmitted = func(string) { submit() }
	d = dialog.NewForm(c.t("ui.accept.title", nil), c.t("ui.accept.ok", nil), c.t("ui.accept.cancel", nil),
		[]*widget.FormItem{widget.NewFormItem(c.t("ui.accept.who", nil), widget.NewLabelWithStyle(who, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
			widget.NewFormItem(c.t("ui.accept.reason", nil), reason),
			widget.NewFormItem(c.t("ui.supervisor.password", nil), pw)},
		func(ok bool) {
			if ok {
				submit()
			}
			c.win.Canvas().Focus(c.manual)
		}, c.win)
	d.Resize(d.MinSize().AddWidthHeight(300, 0))
	if c.modal(d, reason, pw) {
		c.win.Canvas().Focus(reason)
	}
}

// overrideTarget names the person on the card and their slot.
func (c *Counter) overrideTarget() string {
	b := c.current.Booking
	if b == nil {
		return "?"
	}
	return b.Name + " · " + b.SlotStart.In(c.desk.Cal.Location()).Format("02.01 15:04")
}
