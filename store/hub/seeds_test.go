package hub

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
)

// TestSeedRulesOfBooking: the hub books only services by appointment, no
// CIS under 14, no CIP, no CIS collected at another office, no reason the
// age contradicts, priority slots only for priority cases, no pickup
// before the counter would hand the card over, and keeps the card and the
// pickup office chosen (issue 14, rules 1, 2, 3 and 6).
func TestSeedRulesOfBooking(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc) // a Friday
	h := newHub(t, &now)
	cal, fees, err := h.DB.Office(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cal.Priority = calendar.Week{"mon": {{Start: 8*60 + 30, End: 9*60 + 10}}} // 08:30 and 08:50
	if err := h.DB.SetOffice(ctx, cal, fees); err != nil {
		t.Fatal(err)
	}
	monday := func(hh, mm int) time.Time { return time.Date(2026, 11, 23, hh, mm, 0, 0, loc) }
	friday := time.Date(2026, 11, 27, 8, 30, 0, 0, loc)
	tests := []struct {
		name         string
		r            BookingRequest
		err          error
		doc, pickupt string
	}{
		{"CEI intake", BookingRequest{Reason: "lost", BirthDate: "1980-01-01", Slot: monday(10, 10)}, nil, "", ""},
		{"CIS at 40", BookingRequest{Reason: "lost", BirthDate: "1981-01-01", Slot: monday(10, 30), Document: "cis"}, nil, "cis", ""},
		{"CIS under 14", BookingRequest{Reason: "child_under_14", BirthDate: "2016-01-01", Slot: monday(10, 50), Document: "cis"}, ErrCISUnder14, "", ""},
		{"an unknown card", BookingRequest{Reason: "lost", BirthDate: "1982-01-01", Slot: monday(10, 50), Document: "passport"}, ErrBadRequest, "", ""},
		{"CIP: walk-in only", BookingRequest{Reason: "cip_abroad", BirthDate: "1983-01-01", Slot: monday(11, 10)}, calendar.ErrNotByAppointment, "", ""},
		{"residence visa: walk-in only", BookingRequest{Reason: "residence_mention", BirthDate: "1984-01-01", Slot: monday(11, 10)}, calendar.ErrNotByAppointment, "", ""},
		{"pickup at another office", BookingRequest{Reason: "expiry", BirthDate: "1985-01-01", Slot: monday(11, 30), PickupOffice: "CJ-CLUJ"}, nil, "", "CJ-CLUJ"},
		{"an office that is no office code", BookingRequest{Reason: "expiry", BirthDate: "1985-02-01", Slot: monday(11, 30), PickupOffice: "Cluj, please"}, ErrBadRequest, "", ""},
		{"pickup here is no other office", BookingRequest{Reason: "expiry", BirthDate: "1986-01-01", Slot: monday(11, 50), PickupOffice: "TM-DUMBRAVITA"}, nil, "", ""},
		{"priority slot: expiring ID", BookingRequest{Reason: "expiry", BirthDate: "1987-01-01", Slot: monday(8, 30)}, nil, "", ""},
		{"priority slot: turning 14", BookingRequest{Reason: "turning_14", BirthDate: "2012-12-20", Slot: monday(8, 50)}, nil, "", ""},
		{"priority slot: a lost card", BookingRequest{Reason: "lost", BirthDate: "1988-01-01", Slot: monday(8, 30)}, ErrPriorityOnly, "", ""},
		{"priority slot: a child", BookingRequest{Reason: "child_under_14", BirthDate: "2020-01-01", Slot: monday(8, 30)}, ErrPriorityOnly, "", ""},
		{"a card applied for elsewhere, collected here", BookingRequest{Reason: "expiry", BirthDate: "1989-01-01", Slot: friday, Kind: store.Pickup, ReadyOn: "2026-11-10", PickupOffice: "TM-DUMBRAVITA"}, nil, "", "TM-DUMBRAVITA"},
		{"CIP asked for by appointment", BookingRequest{Reason: "expiry", BirthDate: "1990-01-01", Slot: monday(12, 10), Document: "cip"}, ErrCIPNotBooked, "", ""},
		{"CIS collected at another office", BookingRequest{Reason: "lost", BirthDate: "1990-02-01", Slot: monday(12, 10), Document: "cis", PickupOffice: "CJ-CLUJ"}, ErrDomicileOnly, "", ""},
		{"CIS collected here", BookingRequest{Reason: "lost", BirthDate: "1990-03-01", Slot: monday(12, 10), Document: "cis", PickupOffice: "TM-DUMBRAVITA"}, nil, "cis", ""},
		{"a CIS applied for elsewhere, collected here", BookingRequest{Reason: "lost", BirthDate: "1990-04-01", Slot: friday.Add(15 * time.Minute), Kind: store.Pickup, ReadyOn: "2026-11-02", Document: "cis", PickupOffice: "TM-DUMBRAVITA"}, ErrDomicileOnly, "", ""},
		{"priority slot: turning 14 at 46", BookingRequest{Reason: "turning_14", BirthDate: "1980-01-01", Slot: monday(8, 50)}, ErrReasonAge, "", ""},
		{"turning 14 at 46, any slot", BookingRequest{Reason: "turning_14", BirthDate: "1980-01-02", Slot: monday(12, 30)}, ErrReasonAge, "", ""},
		{"priority slot: a child under 14 who is 46", BookingRequest{Reason: "child_under_14", BirthDate: "1980-01-03", Slot: monday(8, 50)}, ErrReasonAge, "", ""},
		{"a child under 14", BookingRequest{Reason: "child_under_14", BirthDate: "2016-01-01", Slot: monday(12, 30)}, nil, "", ""},
		{"pickup before the card may be collected", BookingRequest{Reason: "expiry", BirthDate: "1991-01-01", Slot: friday.Add(15 * time.Minute), Kind: store.Pickup, ReadyOn: "2026-11-26"}, ErrNotReadyYet, "", ""},
		{"pickup with no ready date", BookingRequest{Reason: "expiry", BirthDate: "1991-02-01", Slot: friday.Add(15 * time.Minute), Kind: store.Pickup}, ErrNotReadyYet, "", ""},
		{"pickup elsewhere, not yet 10 working days more", BookingRequest{Reason: "expiry", BirthDate: "1991-03-01", Slot: friday.Add(15 * time.Minute), Kind: store.Pickup, ReadyOn: "2026-11-20", PickupOffice: "TM-DUMBRAVITA"}, ErrNotReadyYet, "", ""},
		{"pickup 2 working days after the notice", BookingRequest{Reason: "expiry", BirthDate: "1991-04-01", Slot: friday.Add(15 * time.Minute), Kind: store.Pickup, ReadyOn: "2026-11-25"}, nil, "", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			r.Name = "Persoana " + string(rune('A'+i))
			if r.Kind == "" {
				r.Kind = store.Intake
			}
			token, _, err := h.Request(ctx, r)
			if !errors.Is(err, tt.err) {
				t.Fatalf("request: %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			b, err := h.Confirm(ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			if b, err = h.DB.BookingByID(ctx, b.ID); err != nil || b.Document != tt.doc || b.PickupOffice != tt.pickupt {
				t.Fatalf("stored document %q, pickup office %q, %v", b.Document, b.PickupOffice, err)
			}
		})
	}
}
