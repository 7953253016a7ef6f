package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/rules"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// askRefuse asks why the person on the card is sent away, missing
// documents or data that does not match the booking form, and records it:
// the seeds say the booking is then cancelled and the person books anew.
// The dialog names that person and their slot, and acts on them whatever
// is scanned while it is open.
func (c *Counter) askRefuse() {
	if !c.canRefuse() {
		return
	}
	id, who := c.current.Booking.ID, c.overrideTarget()
	labels := map[string]string{}
	var options []string
	for _, r := range rules.RefusalReasons() {
		l := c.t("cancel."+r, nil)
		labels[l] = r
		options = append(options, l)
	}
	reason := widget.NewRadioGroup(options, nil)
	reason.SetSelected(options[0])
	reason.Required = true
	d := dialog.NewForm(c.t("ui.refuse.title", nil), c.t("ui.refuse.ok", nil), c.t("ui.accept.cancel", nil),
		[]*widget.FormItem{widget.NewFormItem(c.t("ui.accept.who", nil), widget.NewLabelWithStyle(who, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
			widget.NewFormItem(c.t("ui.refuse.reason", nil), reason)},
		func(ok bool) {
			defer c.win.Canvas().Focus(c.manual)
			if ok && reason.Selected != "" {
				c.Refuse(id, labels[reason.Selected])
			}
		}, c.win)
	d.Resize(d.MinSize().AddWidthHeight(200, 0))
	c.modal(d)
}

// Refuse sends away the person of a booking with a reason of
// rules.RefusalReasons and shows the card: refused, the booking cancelled.
func (c *Counter) Refuse(bookingID, reason string) {
	v, err := c.desk.Refuse(context.Background(), bookingID, reason)
	var nr desk.NotRefusable
	switch {
	case errors.As(err, &nr): // why, in the clerk's language
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("refuse.not", map[string]string{"why": c.t("refuse.not."+nr.Why, nil)})})
	case errors.Is(err, desk.ErrNotRefusable):
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("ui.refuse.not", nil)})
	case err != nil:
		c.fail(err)
	default:
		c.showVerdict(v, "")
	}
}

// canRefuse reports whether the card shows an application the clerk may
// refuse: a booking or walk-in of this office, for an intake, whose person
// is here (just arrived, arrived before, or called), not refused already.
func (c *Counter) canRefuse() bool {
	v := c.current
	here := v != nil && (v.Recorded != nil || v.Name == verdict.AlreadyArrived || v.Name == verdict.CalledIn)
	return here && v.Booking != nil && v.Booking.Kind == store.Intake && v.Booking.Status != store.Unlisted && v.Name != verdict.Turned
}
