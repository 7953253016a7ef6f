package hub

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
)

// arrive records at the hub, as a counter's sync does, the arrival of the
// person booked at b.
func arrive(t *testing.T, h *Hub, b store.Booking) {
	t.Helper()
	if err := h.DB.Append(context.Background(), store.Event{ID: store.NewEventID(), BookingID: b.ID, Type: store.Arrived,
		At: b.SlotStart, Counter: "1", Clerk: "Ana"}); err != nil {
		t.Fatal(err)
	}
}

// TestReadyNeedsAnIntake: a card is ready only for an application taken
// in (an arrival the counters recorded), or with force; a second notice
// says when the first was told and the pickup it booked; the notice says
// whether an e-mail went out.
func TestReadyNeedsAnIntake(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newHub(t, &now)
	book := func(name, email string, minute int) store.Booking {
		h.Letters = Letters{SiteURL: "https://p.example.ro", From: "Office <p@example.ro>"}
		token, _, err := h.Request(ctx, BookingRequest{Name: name, BirthDate: "1980-02-02", Reason: "expiry", Kind: store.Intake,
			Slot: time.Date(2026, 11, 23, 9, minute, 0, 0, loc), Email: email})
		if err != nil {
			t.Fatal(err)
		}
		b, err := h.Confirm(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ion, ana, dan := book("Ion Pop", "ion@example.ro", 10), book("Ana Pop", "", 30), book("Dan Pop", "dan@example.ro", 50)
	arrive(t, h, ana)
	now = time.Date(2026, 12, 3, 10, 0, 0, 0, loc)
	if _, err := h.Ready(ctx, ion.ID, false); !errors.Is(err, ErrNoIntake) {
		t.Errorf("ready for a booking nobody came to: %v, want ErrNoIntake", err)
	}
	n, err := h.Ready(ctx, ion.ID, true)
	if err != nil || !n.Emailed {
		t.Fatalf("ready --force for a booking taken in on paper: %+v, %v; want an e-mail", n, err)
	}
	_, err = h.Ready(ctx, ion.ID, true)
	var a *Announced
	if !errors.As(err, &a) || !errors.Is(err, ErrAnnounced) || !strings.Contains(err.Error(), "already announced on 2026-12-03") ||
		!strings.Contains(err.Error(), n.Pickup.SlotStart.In(loc).Format("2006-01-02 15:04")) {
		t.Errorf("ready twice: %v, want the first notice's day and the pickup's time", err)
	}
	if n, err := h.Ready(ctx, ana.ID, false); err != nil || n.Emailed {
		t.Errorf("ready for a booking without contact: %+v, %v; want no e-mail", n, err)
	}
	arrive(t, h, dan)
	h.Letters = Letters{}
	if _, err := h.Ready(ctx, dan.ID, false); !errors.Is(err, ErrNoSender) {
		t.Errorf("ready without a sender: %v, want ErrNoSender", err)
	}
}

// TestFindParts: find takes parts of the name, in any order, case and
// diacritics aside, and a birth date narrows it.
func TestFindParts(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newHub(t, &now)
	for i, name := range []string{"Ion Popescu", "Ștefan Țăran", "Ana Maria Pop"} {
		token, _, err := h.Request(ctx, BookingRequest{Name: name, BirthDate: "1980-02-0" + string(rune('1'+i)), Reason: "expiry",
			Kind: store.Intake, Slot: time.Date(2026, 11, 23, 8, 30+20*i, 0, 0, loc)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Confirm(ctx, token); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, birth string
		want        []string
	}{
		{"popescu", "", []string{"Ion Popescu"}},
		{"POPESCU ion", "", []string{"Ion Popescu"}},
		{"stefan taran", "", []string{"Ștefan Țăran"}},
		{"țăr", "", []string{"Ștefan Țăran"}},
		{"pop", "", []string{"Ion Popescu", "Ana Maria Pop"}},
		{"pop", "1980-02-03", []string{"Ana Maria Pop"}},
		{"ana ana", "", nil},
		{"vasile", "", nil},
	}
	for _, tt := range tests {
		found, err := h.Find(ctx, tt.name, tt.birth)
		var got []string
		for _, b := range found {
			got = append(got, b.Name)
		}
		if err != nil || strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Find(%q, %q) = %v, %v; want %v", tt.name, tt.birth, got, err, tt.want)
		}
	}
}
