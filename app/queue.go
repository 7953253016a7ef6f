package app

import (
	"context"
	"errors"
	"log/slog"

	"fyne.io/fyne/v2/dialog"

	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// CallNext calls the first waiting person (earliest slot, then earliest
// arrival) to this counter and shows their checklist. While this counter
// still serves someone, it asks first, naming them.
func (c *Counter) CallNext() {
	defer c.win.Canvas().Focus(c.manual)
	if !c.signedIn() {
		return
	}
	r, serving, err := c.desk.Serving(context.Background())
	if err != nil {
		c.fail(err)
		return
	}
	if !serving {
		c.callNext()
		return
	}
	d := dialog.NewConfirm(c.t("ui.queue.still_serving.title", nil),
		c.t("ui.queue.still_serving", map[string]string{"name": r.Name}),
		func(yes bool) {
			if yes {
				c.callNext()
			}
			c.win.Canvas().Focus(c.manual)
		}, c.win)
	d.SetConfirmText(c.t("ui.queue.call_anyway", nil))
	d.SetDismissText(c.t("ui.accept.cancel", nil))
	c.ask(d, c.callNext)
}

// callNext calls the first waiting person.
func (c *Counter) callNext() {
	r, err := c.desk.CallNext(context.Background())
	if errors.Is(err, desk.ErrQueueEmpty) {
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("ui.queue.empty", nil)})
		return
	}
	if err != nil {
		c.fail(err)
		return
	}
	c.nudge() // the waiting room learns of the call now (recall.go)
	v := verdict.Queue(c.desk.Judging(), verdict.CalledIn, r.Booking, c.desk.Time().Sub(r.Last.At))
	v.Ticket = r.Ticket // the card says the number the waiting room shows
	c.showVerdict(v, "")
	slog.Info("called to this counter", "ticket", v.Ticket, "counter", c.desk.Counter) // no name: the tests read it
}

// Serve marks as served the person called to this counter that the card
// shows. When the card shows someone else, or nobody, it asks first, naming
// the person this counter serves: an action never falls on a person the
// card does not show. With nobody to serve it says so over the window and
// leaves the card as it is.
func (c *Counter) Serve() {
	defer c.win.Canvas().Focus(c.manual)
	if !c.signedIn() {
		return
	}
	if v := c.current; v != nil && v.Name == verdict.CalledIn && v.Booking != nil {
		c.serve(v.Booking.ID)
		return
	}
	r, serving, err := c.desk.Serving(context.Background())
	if err != nil {
		c.fail(err)
		return
	}
	if !serving { // told over the window: the card keeps the person standing there
		c.tell(c.t("ui.queue.nobody_called", nil), c.t("ui.queue.nobody_called.detail", nil))
		return
	}
	id := r.ID
	d := dialog.NewConfirm(c.t("ui.queue.serve.title", nil),
		c.t("ui.queue.serve.confirm", map[string]string{"name": r.Name}),
		func(yes bool) {
			if yes {
				c.serve(id)
			}
			c.win.Canvas().Focus(c.manual)
		}, c.win)
	d.SetConfirmText(c.t("ui.queue.serve.yes", nil))
	d.SetDismissText(c.t("ui.accept.cancel", nil))
	c.ask(d, func() { c.serve(id) })
}

// serve marks this booking served, if this counter serves it.
func (c *Counter) serve(id string) {
	r, err := c.desk.ServeBooking(context.Background(), id)
	if errors.Is(err, desk.ErrNobodyCalled) {
		c.tell(c.t("ui.queue.nobody_called", nil), c.t("ui.queue.nobody_called.detail", nil))
		return
	}
	if err != nil {
		c.fail(err)
		return
	}
	v := verdict.Queue(c.desk.Judging(), verdict.ServedDone, r.Booking, 0)
	c.show(c.contentOf(v))
}
