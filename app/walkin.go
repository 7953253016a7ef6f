package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/rules"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// askWalkIn registers a person without a booking (the office's walk-in
// hours): name and reason, then they wait in the queue.
func (c *Counter) askWalkIn() {
	if !c.signedIn() {
		return
	}
	name := newScanEntry(c.keys, c.shortcuts)
	labels := map[string]string{}
	var options []string
	for _, r := range rules.Reasons() {
		l := c.t("reason."+r, nil)
		labels[l] = r
		options = append(options, l)
	}
	reason := widget.NewSelect(options, nil)
	reason.SetSelectedIndex(0)
	d := dialog.NewForm(c.t("ui.walkin.title", nil), c.t("ui.accept.ok", nil), c.t("ui.accept.cancel", nil),
		[]*widget.FormItem{widget.NewFormItem(c.t("ui.walkin.name", nil), name),
			widget.NewFormItem(c.t("ui.walkin.reason", nil), reason)},
		func(ok bool) {
			defer c.win.Canvas().Focus(c.manual)
			if ok {
				c.WalkIn(name.Text, labels[reason.Selected])
			}
		}, c.win)
	d.Resize(d.MinSize().AddWidthHeight(300, 0))
	if c.modal(d, name) {
		c.win.Canvas().Focus(name)
	}
}

// WalkIn registers a walk-in and shows the card.
func (c *Counter) WalkIn(name, reason string) {
	v, err := c.desk.WalkIn(context.Background(), name, reason)
	switch {
	case errors.Is(err, desk.ErrNotWalkInTime):
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("walkin.time", nil)})
	case errors.Is(err, desk.ErrWalkInDetails):
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("walkin.details", nil)})
	case err != nil:
		c.fail(err)
	default:
		c.showVerdict(v, "")
	}
}
