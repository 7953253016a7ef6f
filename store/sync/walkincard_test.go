package sync

import (
	"context"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store/calendar"
)

// TestAWalkInsCardReachesTheHub: the card a walk-in chose at the counter
// (desk.Desk.WalkInCard) travels with the walk-in's booking to the hub, so
// that the hub, its reports and the other counters read the same card
// (issue 14).
func TestAWalkInsCardReachesTheHub(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, time.Now)
	d, s := counter(t, o.enrol(t, "1"))
	if err := s.Once(ctx); err != nil { // linked: the first link leaves the local (demo) data behind
		t.Fatal(err)
	}
	// Walk-ins at any hour of the day, so that the walk-ins are today's
	// and the hub keeps them.
	all := []calendar.Window{{Start: 0, End: 24 * 60}}
	d.Cal.Services = []calendar.Service{{Name: "special", Mode: calendar.WithoutBooking,
		Hours: calendar.Week{"mon": all, "tue": all, "wed": all, "thu": all, "fri": all, "sat": all, "sun": all}}}
	if d.Cal.IsClosed(time.Now()) {
		t.Skip("a public holiday: no walk-in today")
	}
	tests := []struct{ name, reason, document, want string }{
		{"Pop Ion", "cip_abroad", "cip", "cip"},
		{"Lupu Ana", "lost", "cis", "cis"},
		{"Rusu Dan", "expiry", "", ""},
	}
	var ids []string
	for _, tt := range tests {
		v, err := d.WalkInCard(ctx, tt.name, tt.reason, tt.document)
		if err != nil {
			t.Fatalf("walk-in %s: %v", tt.name, err)
		}
		ids = append(ids, v.Booking.ID)
	}
	for range 2 { // the first round links the counter, the next pushes
		if err := s.Once(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if ws, _ := d.DB.PendingWalkIns(ctx, -1); len(ws) != 0 {
		t.Fatalf("%d walk-ins not sent", len(ws))
	}
	for i, tt := range tests {
		b, err := o.hub.DB.BookingByID(ctx, ids[i])
		if err != nil || b.Name != tt.name || b.Document != tt.want {
			t.Errorf("the hub's walk-in %s: %q, %v; want card %q", tt.name, b.Document, err, tt.want)
		}
	}
}
