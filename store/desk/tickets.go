package desk

import (
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
)

// ticketFor is what an arrival of booking b at time now asks of
// store.DB.Judge: a ticket of the office's day, with the letter of the
// visit's kind (a walk-in, a pickup, an intake by appointment).
func (d *Desk) ticketFor(b store.Booking, now time.Time) store.TicketFor {
	kind := calendar.TicketIntake
	switch {
	case b.Status == store.WalkIn:
		kind = calendar.TicketWalkIn
	case b.Kind == store.Pickup:
		kind = calendar.TicketPickup
	}
	return store.TicketFor{Day: d.Cal.Day(now), Letter: d.Cal.TicketLetter(kind)}
}
