package sync

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/calls"
	"github.com/ghiseu/ghiseu/store/desk"
)

// booked gives the hub a booking for today (a person with a name the
// feed must never show) and has the counter sync it.
func booked(t *testing.T, o *office, d *desk.Desk, s *Syncer) store.Booking {
	t.Helper()
	ctx := context.Background()
	cal := calendar.Default()
	now := time.Now()
	b := store.Booking{ID: "2099000001", Office: cal.Office, Day: cal.Day(now), SlotStart: now.Truncate(time.Minute),
		SlotMinutes: 20, Kind: store.Intake, Name: "Zamfirescu Ileana", Reason: "expiry", Status: store.Confirmed}
	if err := o.hub.DB.PutBookings(ctx, []store.Booking{b}); err != nil {
		t.Fatal(err)
	}
	if err := o.hub.DB.Bump(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	return b
}

func appendEvent(t *testing.T, d *desk.Desk, b store.Booking, typ store.EventType, ticket string) {
	t.Helper()
	e := store.Event{ID: store.NewEventID(), BookingID: b.ID, Type: typ, At: time.Now(), Counter: d.Counter, Clerk: "ana", Ticket: ticket}
	if err := d.DB.Append(context.Background(), e); err != nil {
		t.Fatal(err)
	}
}

// A display long-polling the hub learns of a counter's call within 2 s:
// the counter nudges its syncer after the call, the hub answers the
// waiting request when the call arrives. With nothing new it answers at
// the wait, with the same feed.
func TestTheHubsCallsFeedAnswersACallAtOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := newOffice(t, time.Now)
	d, s := counter(t, o.enrol(t, "1"))
	if err := s.Once(ctx); err != nil {
		t.Fatal(err)
	}
	b := booked(t, o, d, s)
	appendEvent(t, d, b, store.Arrived, "D-017")
	go s.Run(ctx, time.Hour) // only nudges make rounds
	s.Nudge()

	display := NewCalls(o.enrol(t, "ecran"))
	var f calls.Feed
	for deadline := time.Now().Add(5 * time.Second); f.Waiting != 1; {
		var err error
		if f, err = display.Wait(ctx, f.Seq, time.Second); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the arrival never reached the feed: %+v", f)
		}
	}
	start := time.Now()
	quiet, err := display.Wait(ctx, f.Seq, 700*time.Millisecond)
	if took := time.Since(start); err != nil || quiet.Seq != f.Seq || took < 600*time.Millisecond || took > 5*time.Second {
		t.Fatalf("nothing new: seq %d after %v (%v), want %d after the wait", quiet.Seq, took, err, f.Seq)
	}

	for i, typ := range []store.EventType{store.Called, store.Recalled} {
		got := make(chan calls.Feed, 1)
		go func() {
			g, err := display.Wait(ctx, f.Seq, 25*time.Second)
			if err != nil {
				t.Error(err)
			}
			got <- g
		}()
		time.Sleep(300 * time.Millisecond) // the request waits at the hub
		start = time.Now()
		appendEvent(t, d, b, typ, "")
		s.Nudge()
		select {
		case f = <-got:
		case <-time.After(10 * time.Second):
			t.Fatal("no answer 10 s after the call")
		}
		took := time.Since(start)
		if took > 2*time.Second {
			t.Errorf("%s reached the display after %v, want within 2 s", typ, took)
		}
		if len(f.Calls) != i+1 {
			t.Fatalf("after %s: %+v", typ, f.Calls)
		}
		last := f.Calls[i]
		if last.Ticket != "D-017" || last.Counter != "1" || last.Repeat != (typ == store.Recalled) || f.Waiting != 0 {
			t.Errorf("after %s: %+v, waiting %d", typ, last, f.Waiting)
		}
		raw, _ := json.Marshal(f)
		for _, secret := range []string{b.Name, "Zamfirescu", b.ID} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("the feed shows %q: %s", secret, raw)
			}
		}
		t.Logf("%s: on the display after %v", typ, took)
	}
}

// A display with a revoked token is told so, as a counter is.
func TestTheCallsFeedNeedsAToken(t *testing.T) {
	o := newOffice(t, time.Now)
	e := o.enrol(t, "ecran")
	if err := o.hub.Revoke(context.Background(), "ecran"); err != nil {
		t.Fatal(err)
	}
	_, err := NewCalls(e).Wait(context.Background(), 0, time.Second)
	var he *HubError
	if !errors.As(err, &he) || he.Status != 403 {
		t.Fatalf("a revoked display: %v, want 403", err)
	}
}
