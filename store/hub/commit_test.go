package hub

import (
	"context"
	"database/sql"
	"fmt"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
)

func exchange(counter string, now time.Time, ids ...string) store.Exchange {
	x := store.Exchange{Counter: counter, Now: now, MaxAhead: MaxAhead, Office: "TM-DUMBRAVITA",
		Day: func(t time.Time) string { return t.Format(time.DateOnly) }}
	for _, id := range ids {
		x.Events = append(x.Events, store.Event{ID: id, BookingID: "1000001", Type: store.Arrived, At: now,
			Counter: counter, Clerk: "ana"})
	}
	return x
}

// Many counters posting at once each get their own answers, as if each
// had posted alone, and everything answered as accepted is stored once.
func TestGroupCommitAnswersEachExchange(t *testing.T) {
	now := time.Now()
	h := newHub(t, &now)
	const counters, rounds = 20, 10
	var wg gosync.WaitGroup
	var sharedAccepted atomic.Int32
	errs := make(chan error, counters*rounds)
	for c := 1; c <= counters; c++ {
		wg.Go(func() {
			for r := range rounds {
				mine := fmt.Sprintf("c%d-r%d", c, r)
				shared := fmt.Sprintf("shared-r%d", r) // every counter sends it: one is accepted
				a, err := accept(context.Background(), h.DB, exchange(fmt.Sprint(c), now, mine, shared))
				switch {
				case err != nil:
					errs <- err
				case len(a.Events) != 2 || a.Events[0].ID != mine || a.Events[0].Status != store.ResultAccepted:
					errs <- fmt.Errorf("counter %d round %d: %+v", c, r, a.Events)
				case a.Events[1].Status == store.ResultAccepted:
					sharedAccepted.Add(1)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := sharedAccepted.Load(); n != rounds {
		t.Errorf("a shared event accepted %d times in %d rounds, want once each", n, rounds)
	}
	es, err := h.DB.EventsAfter(context.Background(), 0, 10_000)
	if err != nil || len(es) != counters*rounds+rounds {
		t.Errorf("the hub holds %d events (%v), want %d", len(es), err, counters*rounds+rounds)
	}
}

// An exchange that fails in a group is undone alone: the exchanges before
// and after it are kept and answered.
func TestGroupCommitIsolatesAFailedExchange(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	h := newHub(t, &now)
	raw, err := sql.Open("sqlite", "file:"+h.DB.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	_, err = raw.Exec(`CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.id = 'boom'
		BEGIN SELECT RAISE(ABORT, 'the disk said no'); END`)
	if err != nil {
		t.Fatal(err)
	}
	as, errs, err := h.DB.AcceptAll(ctx, []store.Exchange{
		exchange("1", now, "a1"), exchange("2", now, "b1", "boom"), exchange("3", now, "c1", "b1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("errors %v, want one for the second exchange only", errs)
	}
	if as[0].Events[0].Status != store.ResultAccepted || as[2].Events[1].Status != store.ResultAccepted {
		t.Errorf("answers %+v and %+v, want a1 accepted and b1 accepted from counter 3", as[0], as[2])
	}
	es, err := h.DB.EventsAfter(ctx, 0, 100)
	if err != nil || len(es) != 3 || es[1].ID != "c1" || es[2].Counter != "3" {
		t.Errorf("the hub holds %+v (%v), want a1, c1 and b1 of counter 3", es, err)
	}
}
