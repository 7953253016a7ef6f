package app

import (
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// askOverride asks the clerk why the last scanned person is taken anyway
// (early, late as a walk-in, or after a no-show) and records it.
func (c *Counter) askOverride() {
	if !c.canOverride() {
		return
	}
	reason := newScanEntry(c.keys, c.shortcuts)
	reason.SetPlaceHolder(c.t("ui.accept.placeholder", nil))
	var d dialog.Dialog
	submit := func() {
		if strings.TrimSpace(reason.Text) == "" {
			return
		}
		d.Hide()
		c.Override(reason.Text)
	}
	reason.OnSubmitted = func(string) { submit() }
	d = dialog.NewForm(c.t("ui.accept.title", nil), c.t("ui.accept.ok", nil), c.t("ui.accept.cancel", nil),
		[]*widget.FormItem{widget.NewFormItem(c.t("ui.accept.reason", nil), reason)},
		func(ok bool) {
			if ok {
				submit()
			}
			c.win.Canvas().Focus(c.manual)
		}, c.win)
	d.Resize(d.MinSize().AddWidthHeight(300, 0))
	d.Show()
	c.win.Canvas().Focus(reason)
}
