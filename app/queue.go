package app

import (
	"context"
	"errors"

	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// CallNext calls the first waiting person (earliest slot, then earliest
// arrival) to this counter and shows their checklist.
func (c *Counter) CallNext() {
	defer c.win.Canvas().Focus(c.manual)
	if !c.signedIn() {
		return
	}
	r, err := c.desk.CallNext(context.Background())
	if errors.Is(err, desk.ErrQueueEmpty) {
		c.current = nil
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("ui.queue.empty", nil)})
		return
	}
	if err != nil {
		c.fail(err)
		return
	}
	v := verdict.Queue(c.desk.Judging(), verdict.CalledIn, r.Booking, c.desk.Time().Sub(r.Last.At))
	c.current = &v
	c.show(c.contentOf(v))
}

// Serve marks the person called to this counter as served.
func (c *Counter) Serve() {
	defer c.win.Canvas().Focus(c.manual)
	if !c.signedIn() {
		return
	}
	r, err := c.desk.Serve(context.Background())
	if errors.Is(err, desk.ErrNobodyCalled) {
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("ui.queue.nobody_called", nil)})
		return
	}
	if err != nil {
		c.fail(err)
		return
	}
	v := verdict.Queue(c.desk.Judging(), verdict.ServedDone, r.Booking, 0)
	c.current = nil
	c.show(c.contentOf(v))
}
