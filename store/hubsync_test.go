package store

import (
	"context"
	"testing"
	"time"
)

// A counter's token speaks for that counter only.
func TestAcceptGivesLeastPrivilege(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	from := func(counter string, walkIns []Booking, es ...Event) Answer {
		t.Helper()
		a, err := db.Accept(ctx, Exchange{Counter: counter, Now: now, MaxAhead: 5 * time.Minute, Office: "O", Day: day,
			WalkIns: walkIns, Events: es})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	ev := func(id, booking string, typ EventType, counter string) Event {
		return Event{ID: id, BookingID: booking, Type: typ, At: now, Counter: counter, Clerk: "ana"}
	}
	walkIn := Booking{ID: "w-00000000000000aa", SlotStart: now, SlotMinutes: 20, Kind: Intake, Name: "Pop Ion", Reason: "lost", Status: WalkIn}
	a := from("1", []Booking{walkIn}, ev("a1", "1000001", Arrived, "1"))
	if a.Events[0].Status != ResultAccepted || a.WalkIns[0].Status != ResultAccepted || !a.Changed {
		t.Fatalf("counter 1's own: %+v", a)
	}
	undo := ev("u1", "1000001", Undone, "2")
	undo.Undoes = "a1"
	forgedWalkIn := walkIn
	forgedWalkIn.Name = "Someone Else"
	lateUndo := ev("u2", "1000001", Undone, "2")
	lateUndo.Undoes = "never-seen"
	ahead := ev("f1", "1000003", Arrived, "2")
	ahead.At = now.Add(3 * time.Hour)
	a = from("2", []Booking{forgedWalkIn},
		ev("s1", "1000002", Arrived, "system"),
		undo,
		ev("p1", "../../etc/passwd", Arrived, "2"),
		ev("n1", "1000002", NoShow, "2"),
		lateUndo,
		ahead,
		ev("a1", "1000001", Arrived, "2"), // counter 1's event ID, resent by counter 2
		ev("ok", "1000002", Arrived, "1"), // claims counter 1: recorded as 2, its token's
	)
	want := []struct{ status, reason string }{
		{ResultRefused, "system_only_hub"}, {ResultRefused, "undo_other_counter"}, {ResultRefused, "booking_id"},
		{ResultRefused, "no_show_derived"}, {ResultRefused, "undo_unknown"}, {ResultRefused, "clock_ahead"},
		{ResultDuplicate, ""}, {ResultAccepted, ""},
	}
	for i, w := range want {
		if r := a.Events[i]; r.Status != w.status || r.Reason != w.reason {
			t.Errorf("event %d (%s): %s %s, want %s %s", i, r.ID, r.Status, r.Reason, w.status, w.reason)
		}
	}
	if a.WalkIns[0].Reason != "walk_in_other_counter" || a.Changed {
		t.Fatalf("counter 2 overwriting counter 1's walk-in: %+v", a)
	}
	es, _ := db.EventsAfter(ctx, 0, 100)
	got := map[string]string{}
	for _, e := range es {
		got[e.ID] = e.Counter
	}
	if len(got) != 2 || got["a1"] != "1" || got["ok"] != "2" {
		t.Fatalf("the hub holds %v, want a1 by 1 and ok by 2", got)
	}
	if b, _ := db.BookingByID(ctx, walkIn.ID); b.Name != "Pop Ion" {
		t.Fatalf("the walk-in became %q", b.Name)
	}
	// Sending the same walk-in again changes nothing: the pack stays.
	if a := from("1", []Booking{walkIn}); a.WalkIns[0].Status != ResultDuplicate || a.Changed {
		t.Fatalf("the same walk-in again: %+v", a)
	}
	// Counter 1 may undo its own event.
	own := ev("u3", "1000001", Undone, "1")
	own.Undoes = "a1"
	if a := from("1", nil, own); a.Events[0].Status != ResultAccepted {
		t.Fatalf("counter 1 undoing its own event: %+v", a.Events[0])
	}
}
