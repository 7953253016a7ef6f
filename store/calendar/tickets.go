package calendar

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// TicketLetters are the letters of an office's ticket numbers, one per
// kind of visit (D-017 an intake, R-005 a pickup, F-003 without an
// appointment). An empty letter is the default one.
type TicketLetters struct {
	Intake string `json:"intake,omitempty"`  // by appointment; D by default
	Pickup string `json:"pickup,omitempty"`  // a finished card's pickup; R by default
	WalkIn string `json:"walk_in,omitempty"` // without an appointment; F by default
}

// Default ticket letters.
const (
	DefaultIntakeLetter = "D"
	DefaultPickupLetter = "R"
	DefaultWalkInLetter = "F"
)

// Ticket kinds, for TicketLetter.
const (
	TicketIntake = "intake"
	TicketPickup = "pickup"
	TicketWalkIn = "walk_in"
)

// TicketLetter is the office's letter for a kind of visit (TicketIntake,
// TicketPickup, TicketWalkIn).
func (c Calendar) TicketLetter(kind string) string {
	l, def := c.Tickets.Intake, DefaultIntakeLetter
	switch kind {
	case TicketPickup:
		l, def = c.Tickets.Pickup, DefaultPickupLetter
	case TicketWalkIn:
		l, def = c.Tickets.WalkIn, DefaultWalkInLetter
	}
	if l == "" {
		return def
	}
	return l
}

// CheckTickets checks the letters: each one to three capital letters,
// no two kinds alike (so that no two kinds' numbers look the same).
func (c Calendar) CheckTickets() error {
	seen := map[string]string{}
	for _, kind := range []string{TicketIntake, TicketPickup, TicketWalkIn} {
		l := c.TicketLetter(kind)
		if n := utf8.RuneCountInString(l); n > 3 {
			return fmt.Errorf("ticket letter %q of %s: at most 3 letters", l, kind)
		}
		for _, r := range l {
			if !unicode.IsUpper(r) {
				return fmt.Errorf("ticket letter %q of %s: capital letters only", l, kind)
			}
		}
		if other, ok := seen[l]; ok {
			return fmt.Errorf("ticket letter %q: both %s and %s", l, other, kind)
		}
		seen[l] = kind
	}
	return nil
}
