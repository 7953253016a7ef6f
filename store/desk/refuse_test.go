package desk

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// TestRefuse: the clerk's "refuse with a reason" records why and cancels
// the booking; a scan afterwards says so (issue 14, rule 7).
func TestRefuse(t *testing.T) {
	ctx := context.Background()
	at := func(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, bucharest) }
	tests := []struct {
		name, booking, reason string
		arrive                bool
		status                store.Status // the booking's, when set
		at                    time.Time    // the desk's clock, when set (newDesk's: 10:12, slot 10:10)
		err                   error
		why                   string // NotRefusable.Why
	}{
		{"missing documents, after arriving", "1", "missing_documents", true, "", time.Time{}, nil, ""},
		{"data mismatch, at the scan", "1", "data_mismatch", false, "", time.Time{}, nil, ""},
		{"arrived, refused past the slot's grace", "1", "data_mismatch", true, "", at(11, 11), nil, ""},
		{"no reason", "1", "", false, "", time.Time{}, ErrRefusalReason, ""},
		{"not a refusal reason", "1", "no_show", false, "", time.Time{}, ErrRefusalReason, ""},
		{"a pickup is not refused", "2", "missing_documents", false, "", time.Time{}, ErrNotRefusable, NotAnIntake},
		{"a no-show is not refused", "1", "missing_documents", false, "", at(11, 11), ErrNotRefusable, NotAfterAbsent},
		{"a cancelled booking is not refused", "1", "data_mismatch", false, store.Cancelled, time.Time{}, ErrNotRefusable, NotBooked},
		{"a replaced booking is not refused", "1", "data_mismatch", false, store.Replaced, time.Time{}, ErrNotRefusable, NotBooked},
		{"before the slot, nobody there", "1", "data_mismatch", false, "", at(8, 30), ErrNotRefusable, NotHere},
		{"another day's booking", "3", "data_mismatch", false, "", time.Time{}, ErrNotRefusable, NotHere},
		{"unknown booking", "99", "data_mismatch", false, "", time.Time{}, store.ErrNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, codes := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
			if tt.arrive {
				if _, err := d.CheckIn(ctx, codes[0]); err != nil {
					t.Fatal(err)
				}
			}
			if tt.status != "" {
				b, err := d.DB.BookingByID(ctx, tt.booking)
				if err != nil {
					t.Fatal(err)
				}
				b.Status = tt.status
				if err := d.DB.PutBookings(ctx, []store.Booking{b}); err != nil {
					t.Fatal(err)
				}
			}
			if !tt.at.IsZero() {
				d.Now = func() time.Time { return tt.at }
			}
			v, err := d.Refuse(ctx, tt.booking, tt.reason)
			if !errors.Is(err, tt.err) {
				t.Fatalf("refuse: %v, want %v", err, tt.err)
			}
			var nr NotRefusable
			if tt.why != "" && (!errors.As(err, &nr) || nr.Why != tt.why) {
				t.Fatalf("refuse: %v, want why %q", err, tt.why)
			}
			if err != nil {
				return
			}
			if v.Name != verdict.Turned || v.CancelReason() != tt.reason || v.Recorded == nil || v.Recorded.Note != tt.reason {
				t.Fatalf("refusal %+v", v)
			}
			again, err := d.Check(ctx, codes[0])
			if err != nil || again.Name != verdict.Turned || again.CancelReason() != tt.reason {
				t.Fatalf("scan after the refusal: %s %q, %v", again.Name, again.CancelReason(), err)
			}
			if _, err := d.Refuse(ctx, tt.booking, tt.reason); !errors.As(err, &nr) || nr.Why != NotAgain {
				t.Fatalf("refused twice: %v", err)
			}
		})
	}
}

// TestWalkInServices: the counter's walk-in takes exactly the services
// without appointment, in their hours (issue 14, rule 1).
func TestWalkInServices(t *testing.T) {
	ctx := context.Background()
	thu := func(h, m int) time.Time { return time.Date(2026, 11, 26, h, m, 0, 0, bucharest) }
	tests := []struct {
		name, reason string
		at           time.Time
		err          error
	}{
		{"special situation at 08:40", "lost", thu(8, 40), nil},
		{"CIP at 08:40: its hour is 09:00-10:00", "cip_abroad", thu(8, 40), calendar.ErrNotWalkInHours},
		{"CIP at 09:20", "cip_abroad", thu(9, 20), nil},
		{"residence visa at 09:59", "residence_mention", thu(9, 59), nil},
		{"after 10:00", "lost", thu(10, 0), calendar.ErrNotWalkInHours},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
			d.Now = func() time.Time { return tt.at }
			v, err := d.WalkIn(ctx, "Pop Ion", tt.reason)
			if !errors.Is(err, tt.err) || tt.err != nil && !errors.Is(err, ErrNotWalkInTime) {
				t.Fatalf("walk-in: %v, want %v", err, tt.err)
			}
			if err == nil && v.Name != verdict.WalkedIn {
				t.Fatalf("walk-in: %s", v.Name)
			}
		})
	}
}

// TestWalkInReasons: the walk-in offers exactly the reasons of the
// services open at the desk's clock.
func TestWalkInReasons(t *testing.T) {
	d, _ := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	tests := []struct {
		at   time.Time
		want []string
	}{
		{time.Date(2026, 11, 26, 8, 40, 0, 0, bucharest), calendar.CEIReasons},
		{time.Date(2026, 11, 26, 9, 30, 0, 0, bucharest), append(append([]string{}, calendar.CEIReasons...), calendar.WalkInOnlyReasons...)},
		{time.Date(2026, 11, 26, 10, 0, 0, 0, bucharest), nil},
		{time.Date(2026, 11, 23, 9, 30, 0, 0, bucharest), nil},
	}
	for _, tt := range tests {
		d.Now = func() time.Time { return tt.at }
		got := d.WalkInReasons()
		if len(got) != len(tt.want) {
			t.Fatalf("at %s: %v, want %v", tt.at, got, tt.want)
		}
		for _, r := range tt.want {
			if !slices.Contains(got, r) {
				t.Fatalf("at %s: no %s in %v", tt.at, r, got)
			}
		}
	}
}
