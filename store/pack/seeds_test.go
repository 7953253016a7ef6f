package pack

import (
	"context"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
)

// TestCardOptionsTravel: a pack carries the card applied for and the
// other office chosen for the pickup to the counter (issue 14, rules 2
// and 3); a booking without them stays a CEI collected here.
func TestCardOptionsTravel(t *testing.T) {
	ctx := context.Background()
	loc := cal.Location()
	tests := []store.Booking{
		{ID: "2001", Document: "cis"},
		{ID: "2002", PickupOffice: "CJ-CLUJ"},
		{ID: "2003", Kind: store.Pickup, PickupOffice: cal.Office, ReadyOn: "2026-11-10"},
		{ID: "2004"},
	}
	c := contents(1, 0)
	c.Cancelled, c.Revoked = nil, nil
	c.Bookings = func(yield func(Booking) error) error {
		for i, b := range tests {
			b.SlotStart, b.SlotMinutes, b.Name, b.Reason = time.Date(2026, 11, 23, 8, 30+20*i, 0, 0, loc), 20, "Persoana "+b.ID, "expiry"
			if b.Kind == "" {
				b.Kind = store.Intake
			}
			if err := yield(FromStore(b)); err != nil {
				return err
			}
		}
		return nil
	}
	db := openCounter(t)
	if _, err := Import(ctx, db, build(t, t.TempDir(), signer, c), nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range tests {
		got, err := db.BookingByID(ctx, want.ID)
		if err != nil || got.Document != want.Document || got.PickupOffice != want.PickupOffice {
			t.Errorf("booking %s: document %q, pickup office %q (%v); want %q, %q", want.ID, got.Document, got.PickupOffice, err, want.Document, want.PickupOffice)
		}
	}
}
