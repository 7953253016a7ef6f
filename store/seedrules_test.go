package store

import (
	"context"
	"testing"
	"time"
)

// TestCardOptionsRoundTrip: the card applied for and the pickup office
// chosen at intake (issue 14, rules 2 and 3) are kept.
func TestCardOptionsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	tests := []struct{ id, doc, pickup string }{
		{"1", "", ""},
		{"2", "cis", ""},
		{"3", "cei", "CJ-CLUJ"},
		{"4", "cip", ""},
	}
	for _, tt := range tests {
		b := sampleBooking(tt.id, "code"+tt.id)
		b.Document, b.PickupOffice = tt.doc, tt.pickup
		if err := db.PutBookings(ctx, []Booking{b}); err != nil {
			t.Fatal(err)
		}
		got, err := db.BookingByID(ctx, tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Document != tt.doc || got.PickupOffice != tt.pickup {
			t.Errorf("booking %s: document %q, pickup office %q; want %q, %q", tt.id, got.Document, got.PickupOffice, tt.doc, tt.pickup)
		}
	}
}

// TestDeriveRefused: a refusal at the counter (issue 14, rule 7) ends the
// visit as Turned; it outranks being served, an undo takes it back, and a
// refused person came.
func TestDeriveRefused(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	ev := func(id string, ty EventType, min int) Event {
		return Event{ID: id, BookingID: "b", Type: ty, At: at.Add(time.Duration(min) * time.Minute), Note: "missing_documents"}
	}
	tests := []struct {
		name   string
		events []Event
		want   State
	}{
		{"arrived, refused", []Event{ev("a", Arrived, 0), ev("r", Refused, 5)}, Turned},
		{"called, refused", []Event{ev("a", Arrived, 0), ev("c", Called, 2), ev("r", Refused, 5)}, Turned},
		{"served then refused", []Event{ev("a", Arrived, 0), ev("s", Served, 4), ev("r", Refused, 5)}, Turned},
		{"refusal undone", []Event{ev("a", Arrived, 0), ev("r", Refused, 5), {ID: "u", BookingID: "b", Type: Undone, Undoes: "r", At: at}}, Present},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Derive(tt.events)
			if d.State != tt.want {
				t.Fatalf("state %s, want %s", d.State, tt.want)
			}
			if !d.State.Came() {
				t.Fatalf("%s: did not come", d.State)
			}
		})
	}
	e := ev("0123456789abcdef0123456789abcdef", Refused, 0)
	e.BookingID = "42"
	if err := e.Validate(); err != nil {
		t.Fatalf("a refusal is not a valid event: %v", err)
	}
}

// TestAcceptWalkInCard: the hub keeps a walk-in's card (a CIP for the CIP
// reasons) and refuses one it does not know or the reason does not allow,
// as the counter does (rules.CheckCard); a refusal travels like any event
// (issue 14).
func TestAcceptWalkInCard(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	now := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	tests := []struct {
		id, why, doc, status, reason string
	}{
		{"w-00000000000000a1", "cip_abroad", "", ResultAccepted, ""},
		{"w-00000000000000a2", "cip_abroad", "cip", ResultAccepted, ""},
		{"w-00000000000000a3", "cip_abroad", "passport", ResultRefused, "walk_in"},
		{"w-00000000000000a4", "cip_abroad", "cis", ResultRefused, "walk_in"}, // a CIP reason takes the CIP only
		{"w-00000000000000a5", "lost", "cip", ResultRefused, "walk_in"},       // no CIP for a lost card
		{"w-00000000000000a6", "lost", "cis", ResultAccepted, ""},
	}
	for _, tt := range tests {
		b := Booking{ID: tt.id, SlotStart: now, SlotMinutes: 20, Kind: Intake, Name: "Pop Ion", Reason: tt.why, Status: WalkIn, Document: tt.doc}
		refusal := Event{ID: "r" + tt.id[2:], BookingID: tt.id, Type: Refused, At: now, Counter: "1", Clerk: "ana", Note: "missing_documents"}
		a, err := db.Accept(ctx, Exchange{Counter: "1", Now: now, MaxAhead: time.Minute, Office: "O", Day: day,
			WalkIns: []Booking{b}, Events: []Event{refusal}})
		if err != nil {
			t.Fatal(err)
		}
		if r := a.WalkIns[0]; r.Status != tt.status || r.Reason != tt.reason {
			t.Errorf("walk-in %s: %s %s, want %s %s", tt.id, r.Status, r.Reason, tt.status, tt.reason)
		}
		if a.Events[0].Status != ResultAccepted {
			t.Errorf("refusal of %s: %+v", tt.id, a.Events[0])
		}
		if got, err := db.BookingByID(ctx, tt.id); tt.status == ResultAccepted && (err != nil || got.Document != tt.doc) {
			t.Errorf("walk-in %s kept as %q, %v", tt.id, got.Document, err)
		}
	}
}
