package supervise

import (
	"context"
	"testing"

	"github.com/ghiseu/ghiseu/store/desk/desktest"
)

// The supervisor's queue and counters carry the people's tickets.
func TestOverviewTickets(t *testing.T) {
	ctx := context.Background()
	c := desktest.New(t)
	d, code := c.Desk, c.Codes
	c2 := c.Other("2", "dan")
	d.CheckIn(ctx, code["Popescu Andrei"]) // D-001
	d.CheckIn(ctx, code["Lupu Sorin"])     // a pickup: R-001
	c.At(8, 35)
	c2.CallNext(ctx)
	o, err := Build(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Queue) != 1 || o.Queue[0].Ticket != "D-001" {
		t.Errorf("queue %+v, want Popescu Andrei with D-001", o.Queue)
	}
	if len(o.Counters) != 2 || o.Counters[1].Serving != "Lupu Sorin" || o.Counters[1].Ticket != "R-001" {
		t.Errorf("counters %+v, want counter 2 serving Lupu Sorin, R-001", o.Counters)
	}
}
