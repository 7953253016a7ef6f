package app

import (
	"context"
	"errors"

	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// CallAgain (Ctrl+Shift+N) calls again the person this counter serves,
// who did not come up: the waiting room shows and announces the call
// again. Nothing changes for the person (and Ctrl+Z passes over it); the
// card shows them as called, as after Ctrl+N.
func (c *Counter) CallAgain() {
	defer c.win.Canvas().Focus(c.manual)
	if !c.signedIn() {
		return
	}
	r, _, err := c.desk.Recall(context.Background())
	if errors.Is(err, desk.ErrNobodyCalled) {
		c.tell(c.t("ui.queue.nobody_called", nil), c.t("ui.queue.nobody_called.detail", nil))
		return
	}
	if err != nil {
		c.fail(err)
		return
	}
	c.nudge()
	v := verdict.Queue(c.desk.Judging(), verdict.CalledIn, r.Booking, c.desk.Time().Sub(r.Last.At))
	c.showVerdict(v, "")
}

// nudge has the syncer send a call to the hub now, for the waiting room,
// rather than at its next round.
func (c *Counter) nudge() {
	if c.syncer != nil {
		c.syncer.Nudge()
	}
}
