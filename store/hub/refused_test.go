package hub

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
)

// TestRefusedPersonBooksAnew: a refusal at a counter cancels the booking
// (seed 003: "În cazul anulării programării, solicitantul va aplica pentru
// o nouă programare."), so once the hub holds the refused event the person
// may book again; an arrival alone, or a refusal undone, still holds the
// booking (issue 14).
func TestRefusedPersonBooksAnew(t *testing.T) {
	loc := calendar.Default().Location()
	tests := []struct {
		name   string
		events []store.EventType // sent by counter 1 for the booking, in order; Undone undoes the one before
		want   error
	}{
		{"refused after arriving", []store.EventType{store.Arrived, store.Refused}, nil},
		{"refused at the scan", []store.EventType{store.Refused}, nil},
		{"arrived only", []store.EventType{store.Arrived}, ErrPersonHasBooking},
		{"refusal undone", []store.EventType{store.Arrived, store.Refused, store.Undone}, ErrPersonHasBooking},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc) // a Friday
			h := newHub(t, &now)
			ana := BookingRequest{Name: "Ana Ștefănescu", BirthDate: "1990-04-04", Reason: "expiry", Kind: store.Intake,
				Slot: time.Date(2026, 11, 23, 10, 10, 0, 0, loc)}
			token, _, err := h.Request(ctx, ana)
			if err != nil {
				t.Fatal(err)
			}
			b, err := h.Confirm(ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			now = time.Date(2026, 11, 23, 10, 6, 0, 0, loc) // at the counter, before the slot's start
			x := exchange("1", now)
			for i, typ := range tt.events {
				e := store.Event{ID: store.NewEventID(), BookingID: b.ID, Type: typ, At: now.Add(time.Duration(i) * time.Second),
					Counter: "1", Clerk: "ana"}
				switch typ {
				case store.Refused:
					e.Note = "missing_documents"
				case store.Undone:
					e.Undoes = x.Events[i-1].ID
				}
				x.Events = append(x.Events, e)
			}
			a, err := h.DB.Accept(ctx, x)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range a.Events {
				if r.Status != store.ResultAccepted {
					t.Fatalf("event not accepted: %+v", r)
				}
			}
			if _, _, err := h.Request(ctx, ana.with(time.Date(2026, 11, 24, 10, 10, 0, 0, loc))); !errors.Is(err, tt.want) {
				t.Fatalf("booking anew: %v, want %v", err, tt.want)
			}
		})
	}
}
