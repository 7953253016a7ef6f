package desk

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/ghiseu/ghiseu/store"
)

// Recall calls again the person this counter serves (the person did not
// come up): it logs a Recalled event, with the person's ticket, which the
// waiting room shows and announces again. It changes no state, and Undo
// passes over it (it undoes the call itself). ErrNobodyCalled when this
// counter serves nobody.
func (d *Desk) Recall(ctx context.Context) (Row, store.Event, error) {
	r, ok, err := d.Serving(ctx)
	if err != nil {
		return Row{}, store.Event{}, fmt.Errorf("call again: %w", err)
	}
	if !ok {
		return Row{}, store.Event{}, ErrNobodyCalled
	}
	if err := d.mayRecord(""); err != nil {
		return Row{}, store.Event{}, err
	}
	e := d.event(r.ID, store.Recalled, d.now())
	e.Ticket = r.Ticket // the standing arrival's (store.TicketOf)
	if err := d.DB.Append(ctx, *e); err != nil {
		return Row{}, store.Event{}, fmt.Errorf("call again: %w", err)
	}
	slog.Info("called again", "booking", r.ID, "event", e.ID, "ticket", e.Ticket, "counter", d.Counter)
	return r, *e, nil
}
