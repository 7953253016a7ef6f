package app

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// askWalkIn registers a person without a booking (the office's walk-in
// hours): name and reason, then they wait in the queue. Outside the
// walk-in hours it says so at once, before anything is typed; the reasons
// offered are those taken now, and the name is checked as it is typed
// (OK waits for a usable one).
func (c *Counter) askWalkIn() {
	if !c.signedIn() || c.busy() {
		return
	}
	reasons := c.desk.WalkInReasons()
	if len(reasons) == 0 {
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("walkin.time", nil), Detail: c.t("walkin.time.detail", nil)})
		return
	}
	name := newScanEntry(c.keys, c.shortcuts)
	name.Validator = c.walkInName
	labels := map[string]string{}
	var options []string
	for _, r := range reasons {
		l := c.t("reason."+r, nil)
		labels[l] = r
		options = append(options, l)
	}
	reason := newScanSelect(c.keys, options, nil) // a scan right after a click on it is caught (scaninput.go)
	reason.SetSelectedIndex(0)
	var d *dialog.FormDialog
	d = dialog.NewForm(c.t("ui.walkin.title", nil), c.t("ui.accept.ok", nil), c.t("ui.accept.cancel", nil),
		[]*widget.FormItem{widget.NewFormItem(c.t("ui.walkin.name", nil), name),
			widget.NewFormItem(c.t("ui.walkin.reason", nil), reason)},
		func(ok bool) {
			defer c.win.Canvas().Focus(c.manual)
			if ok {
				c.WalkIn(name.Text, labels[reason.Selected])
			}
		}, c.win)
	name.OnSubmitted = func(string) { d.Submit() } // Enter: OK, once the name is usable
	d.Resize(d.MinSize().AddWidthHeight(300, 0))
	if c.modal(d, name) {
		c.win.Canvas().Focus(name)
	}
}

// walkInName refuses, as it is typed, a name the hub would refuse: none,
// too long, or with control characters.
func (c *Counter) walkInName(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New(c.t("ui.walkin.name.empty", nil))
	}
	if err := c.atMost(store.MaxName)(s); err != nil {
		return err
	}
	if store.CheckText("", strings.TrimSpace(s)) != nil { // control characters
		return errors.New(c.t("ui.walkin.name.bad", nil))
	}
	return nil
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
