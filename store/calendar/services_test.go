package calendar

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// TestServices: per service, by appointment or only without appointment in
// its hours (issue 14, rule 1; SPCLEP Dumbrăvița's "Program cu publicul").
func TestServices(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	loc := c.Location()
	thu := func(h, m int) time.Time { return time.Date(2026, 11, 26, h, m, 0, 0, loc) }
	mon := time.Date(2026, 11, 23, 10, 0, 0, 0, loc)
	tests := []struct {
		name    string
		reason  string
		at      time.Time
		service string
		err     error
	}{
		{"special situation, Thursday 08:30", "lost", thu(8, 30), "special", nil},
		{"special situation, Thursday 09:59", "expiry", thu(9, 59), "special", nil},
		{"special situation ends at 10:00", "expiry", thu(10, 0), "", ErrNotWalkInHours},
		{"CIP, Thursday 08:45: not yet", "cip_abroad", thu(8, 45), "", ErrNotWalkInHours},
		{"CIP, Thursday 09:00", "cip_abroad", thu(9, 0), "residence_cip", nil},
		{"residence visa, Thursday 09:30", "residence_mention", thu(9, 30), "residence_cip", nil},
		{"CIP, Thursday 10:00: over", "cip_no_domicile", thu(10, 0), "", ErrNotWalkInHours},
		{"Monday: no walk-ins", "lost", mon, "", ErrNotWalkInHours},
		{"unknown reason", "vacation", thu(9, 0), "", ErrNotWalkIn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := c.WalkInService(tt.reason, tt.at)
			if s.Name != tt.service || !errors.Is(err, tt.err) {
				t.Fatalf("service %q, %v; want %q, %v", s.Name, err, tt.service, tt.err)
			}
		})
	}
	booked := []struct {
		reason string
		pickup bool
		err    error
	}{
		{"expiry", false, nil}, {"child_under_14", false, nil}, {"domicile_change", false, nil},
		{"cip_abroad", false, ErrNotByAppointment}, {"cip_no_domicile", false, ErrNotByAppointment},
		{"residence_mention", false, ErrNotByAppointment}, {"", true, nil},
	}
	for _, tt := range booked {
		if err := c.Booked(tt.reason, tt.pickup); !errors.Is(err, tt.err) {
			t.Errorf("Booked(%s, %v) = %v, want %v", tt.reason, tt.pickup, err, tt.err)
		}
	}
	all := append(append([]string{}, CEIReasons...), WalkInOnlyReasons...)
	if got := c.WalkInReasons(all, thu(8, 45)); !slices.Equal(got, CEIReasons) {
		t.Errorf("walk-ins at 08:45: %v", got)
	}
	if got := c.WalkInReasons(all, thu(9, 15)); !slices.Equal(got, all) {
		t.Errorf("walk-ins at 09:15: %v", got)
	}
	if got := c.WalkInReasons(all, mon); len(got) != 0 {
		t.Errorf("walk-ins on Monday: %v", got)
	}
}

// TestServicesOfAnOldCalendar: a calendar written before services had
// walk-ins for every reason in its WalkIn hours, and every intake booked.
func TestServicesOfAnOldCalendar(t *testing.T) {
	c, err := Parse([]byte(`{"office": "X", "time_zone": "Europe/Bucharest", "slot_minutes": 20, "pickup_minutes": 15,
		"booking_days": 30, "walk_in": {"thu": [{"start": "08:30", "end": "10:00"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 9, 30, 0, 0, c.Location())
	if _, err := c.WalkInService("cip_abroad", at); err != nil {
		t.Fatalf("old calendar: %v", err)
	}
	if err := c.Booked("cip_abroad", false); err != nil {
		t.Fatalf("old calendar: %v", err)
	}
}

func TestServicesValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Calendar)
	}{
		{"unknown mode", func(c *Calendar) { c.Services[0].Mode = "phone" }},
		{"no name", func(c *Calendar) { c.Services[0].Name = "" }},
		{"empty hours", func(c *Calendar) { c.Services[1].Hours = Week{"thu": {{600, 600}}} }},
		{"bad priority day", func(c *Calendar) { c.Priority = Week{"someday": {{600, 630}}} }},
	}
	for _, tt := range tests {
		c := Default()
		tt.edit(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

// TestPriority: slots the office reserves for priority cases (rule 6).
func TestPriority(t *testing.T) {
	c := Default()
	c.Priority = Week{"mon": {{8*60 + 30, 9*60 + 10}}}
	loc := c.Location()
	tests := []struct {
		h, m int
		want bool
	}{{8, 30, true}, {8, 50, true}, {9, 10, false}, {10, 0, false}}
	for _, tt := range tests {
		if got := c.IsPriority(time.Date(2026, 11, 23, tt.h, tt.m, 0, 0, loc)); got != tt.want {
			t.Errorf("%02d:%02d priority %v", tt.h, tt.m, got)
		}
	}
}
