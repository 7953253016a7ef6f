package desk

import (
	"context"
	"errors"
	"sort"

	"github.com/ghiseu/ghiseu/store"
)

// ErrQueueEmpty says nobody is waiting.
var ErrQueueEmpty = errors.New("nobody is waiting")

// Queue lists today's waiting people in the order they are called: the
// earliest slot first, then the earliest arrival.
func (d *Desk) Queue(ctx context.Context) ([]Row, error) {
	rows, err := d.Day(ctx, d.Today())
	if err != nil {
		return nil, err
	}
	var waiting []Row
	for _, r := range rows {
		if r.State == store.Present {
			waiting = append(waiting, r)
		}
	}
	sort.SliceStable(waiting, func(i, j int) bool {
		a, b := waiting[i], waiting[j]
		if !a.SlotStart.Equal(b.SlotStart) {
			return a.SlotStart.Before(b.SlotStart)
		}
		return a.Last.At.Before(b.Last.At)
	})
	return waiting, nil
}

// CallNext calls the first waiting person to this counter.
func (d *Desk) CallNext(ctx context.Context) (Row, error) {
	q, err := d.Queue(ctx)
	if err != nil {
		return Row{}, err
	}
	if len(q) == 0 {
		return Row{}, ErrQueueEmpty
	}
	if _, err := d.Record(ctx, q[0].ID, store.Called); err != nil {
		return Row{}, err
	}
	return q[0], nil
}

// Serving is the person this counter called and has not marked served.
func (d *Desk) Serving(ctx context.Context) (Row, bool, error) {
	rows, err := d.Day(ctx, d.Today())
	if err != nil {
		return Row{}, false, err
	}
	for _, r := range rows {
		if r.State == store.InService && r.Last.Counter == d.Counter {
			return r, true, nil
		}
	}
	return Row{}, false, nil
}

// ErrNobodyCalled says this counter has nobody to mark served.
var ErrNobodyCalled = errors.New("nobody called at this counter")

// Serve marks the person this counter called as served (the earliest
// slot's, if it called two).
func (d *Desk) Serve(ctx context.Context) (Row, error) {
	r, ok, err := d.Serving(ctx)
	if err != nil {
		return Row{}, err
	}
	if !ok {
		return Row{}, ErrNobodyCalled
	}
	_, err = d.Record(ctx, r.ID, store.Served)
	return r, err
}

// ServeBooking marks this booking served, if this counter called it and
// has not served it yet: the person the clerk has in front of them.
func (d *Desk) ServeBooking(ctx context.Context, id string) (Row, error) {
	rows, err := d.Day(ctx, d.Today())
	if err != nil {
		return Row{}, err
	}
	for _, r := range rows {
		if r.ID == id && r.State == store.InService && r.Last.Counter == d.Counter {
			_, err = d.Record(ctx, r.ID, store.Served)
			return r, err
		}
	}
	return Row{}, ErrNobodyCalled
}
