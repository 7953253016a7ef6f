package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestWalkInCardUnderXvfb: in the real window (Xvfb, openbox), the walk-in
// form (Ctrl+W) is filled from the keyboard alone: the name, Tab to the
// reason, the arrows to a CIP reason (the card then is the CIP, nothing to
// choose), or Tab on to the card and the arrow to a CIS; Enter from the
// name registers the walk-in, whose booking holds the card (issue 14).
func TestWalkInCardUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	s := newShift(t, 1366, 768)
	s.withOpenbox()
	s.start("09:15", "") // the demo office takes every walk-in service in the mornings
	tests := []struct {
		name string
		keys []string // from the name: Tab to the reason, ...
		card string
	}{
		// rules.Reasons' order: cip_abroad is the ninth.
		{"Lupu Eva", []string{"Tab", "Right", "Right", "Right", "Right", "Right", "Right", "Right", "Right", "shift+Tab"}, "cip"},
		{"Rusu Dan", []string{"Tab", "Tab", "Right", "shift+Tab", "shift+Tab"}, "cis"},
		{"Pop Ion", nil, "cei"}, // the default
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.keys("ctrl+w")
			time.Sleep(500 * time.Millisecond)
			s.typeAt(70, tt.name)
			s.keys(tt.keys...)
			shot := s.shot("walkin-card-" + strings.ReplaceAll(tt.name, " ", "-"))
			s.keys("Return")
			if got := s.state(tt.name, "arrived", 5*time.Second); got != "arrived" {
				t.Fatalf("the walk-in %s is %q, see %s", tt.name, got, shot)
			}
			var rows []struct{ Name, Document string }
			if err := json.Unmarshal([]byte(s.cli("list", "--json", "--day", s.day, "--at", "09:20")), &rows); err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(rows, func(r struct{ Name, Document string }) bool { return r.Name == tt.name })
			if i < 0 || rows[i].Document != tt.card {
				t.Fatalf("the walk-in %s: %+v, want card %q, see %s", tt.name, rows, tt.card, shot)
			}
		})
	}
}
