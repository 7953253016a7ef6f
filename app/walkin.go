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
// hours): name, reason and card, then they wait in the queue. Outside the
// walk-in hours it says so at once, before anything is typed; the reasons
// offered are those taken now, the cards those the reason allows
// (desk.Desk.WalkInCards: a CEI by default or a CIS, the CIP alone for a
// CIP reason, none for a residence visa; Tab reaches the drop-down and the
// arrows choose), and the name is checked as it is typed (OK waits for a
// usable one).
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
	card := newScanSelect(c.keys, nil, nil)
	cards := map[string]string{} // label: card
	chooseCards := func(label string) {
		clear(cards)
		var options []string
		for _, d := range c.desk.WalkInCards(labels[label]) {
			l := c.t("card."+d, nil)
			cards[l] = d
			options = append(options, l)
		}
		card.Enable()
		switch len(options) {
		case 0: // a residence visa: a mention in the current card
			options = []string{c.t("card.residence", nil)}
			card.Disable()
		case 1: // the CIP of a CIP reason: nothing to choose
			card.Disable()
		}
		card.Options = options
		card.SetSelectedIndex(0) // the default card: a CEI
	}
	reason := newScanSelect(c.keys, options, chooseCards) // a scan right after a click on it is caught (scaninput.go)
	reason.SetSelectedIndex(0)
	var d *dialog.FormDialog
	d = dialog.NewForm(c.t("ui.walkin.title", nil), c.t("ui.accept.ok", nil), c.t("ui.accept.cancel", nil),
		[]*widget.FormItem{widget.NewFormItem(c.t("ui.walkin.name", nil), name),
			widget.NewFormItem(c.t("ui.walkin.reason", nil), reason),
			widget.NewFormItem(c.t("ui.walkin.card", nil), card)},
		func(ok bool) {
			defer c.win.Canvas().Focus(c.manual)
			if ok {
				c.WalkInCard(name.Text, labels[reason.Selected], cards[card.Selected])
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

// WalkIn registers a walk-in for the reason's default card and shows the
// card.
func (c *Counter) WalkIn(name, reason string) { c.WalkInCard(name, reason, "") }

// WalkInCard registers a walk-in for the card chosen ("cei", "cis", "cip";
// "": the reason's default) and shows the verdict, whose checklist is that
// card's.
func (c *Counter) WalkInCard(name, reason, document string) {
	v, err := c.desk.WalkInCard(context.Background(), name, reason, document)
	switch {
	case errors.Is(err, desk.ErrNotWalkInTime):
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("walkin.time", nil)})
	case errors.Is(err, desk.ErrWalkInDetails):
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("walkin.details", nil)})
	case errors.Is(err, desk.ErrWalkInCard):
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("walkin.card", nil)})
	case err != nil:
		c.fail(err)
	default:
		c.showVerdict(v, "")
	}
}
