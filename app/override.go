package app

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// askOverride asks why the person on the card is taken anyway (early,
// late as a walk-in, or after a no-show), with the supervisor's password,
// and records it. The dialog names that person and their slot, and acts on
// them whatever is scanned while it is open. A wrong password keeps it
// open, with its reason and its person: only the password is typed again.
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
	wrong := widget.NewLabel("") // what was wrong with the password, in the dialog
	wrong.Importance = widget.DangerImportance
	wrong.Wrapping = fyne.TextWrapWord
	wrong.Hide()
	var d dialog.Dialog
	submit := func() {
		if strings.TrimSpace(reason.Text) == "" || reason.Validate() != nil {
			c.win.Canvas().Focus(reason)
			return
		}
		ok, err := c.desk.DB.CheckSupervisor(context.Background(), store.AtCounter, pw.Text)
		pw.SetText("")
		if isLocked(err) || err == nil && !ok {
			text := c.t("ui.supervisor.wrong", nil) + ". " + c.t("ui.supervisor.wrong.detail", nil)
			if isLocked(err) {
				text = c.t("ui.supervisor.locked", nil) + ". " + c.t("ui.supervisor.locked.detail", map[string]string{"wait": lockWait(c.lang, err)})
			}
			wrong.SetText(text)
			wrong.Show()
			c.sound(verdict.Red)
			c.win.Canvas().Focus(pw)
			return
		}
		d.Hide()
		c.win.Canvas().Focus(c.manual)
		switch {
		case errors.Is(err, store.ErrNoPassword):
			c.tell(c.t("ui.supervisor.no_password", nil), c.t("ui.supervisor.no_password.how", nil))
		case err != nil:
			c.fail(err)
		default:
			c.overrideCode(code, reason.Text)
		}
	}
	reason.OnSubmitted = func(string) { c.win.Canvas().Focus(pw) }
	pw.OnSubmitted = func(string) { submit() }
	form := &widget.Form{
		Items: []*widget.FormItem{widget.NewFormItem(c.t("ui.accept.who", nil), widget.NewLabelWithStyle(who, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
			widget.NewFormItem(c.t("ui.accept.reason", nil), reason),
			widget.NewFormItem(c.t("ui.supervisor.password", nil), pw)},
		SubmitText: c.t("ui.accept.ok", nil),
		CancelText: c.t("ui.accept.cancel", nil),
		OnSubmit:   submit,
		OnCancel: func() {
			d.Hide()
			c.win.Canvas().Focus(c.manual)
		},
	}
	d = dialog.NewCustomWithoutButtons(c.t("ui.accept.title", nil), container.NewVBox(form, wrong), c.win)
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
