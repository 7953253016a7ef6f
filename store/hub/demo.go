package hub

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/rules"
)

var (
	surnames = []string{"Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe",
		"Rusu", "Munteanu", "Matei", "Constantin", "Șerban", "Moldovan", "Mureșan", "Țurcanu", "Bălan", "Lungu", "Kovács"}
	givenNames = []string{"Andrei", "Maria", "Ioana", "Mihai", "Elena", "Alexandru", "Ana", "Ștefan", "Cristina",
		"Gabriel", "Ilinca", "Tudor", "Răzvan", "Oana", "Sorina", "Luca", "Irina", "Bogdan", "Ecaterina", "Vlad"}
)

// Demo fills the coming days with realistic bookings, taken in through the
// same rules as real ones (Request and Confirm): about fill of every slot
// of the calendar, from tomorrow, for days days. It returns how many.
func (h *Hub) Demo(ctx context.Context, days int, fill float64, seed uint64) (int, error) {
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	now := h.now()
	var reasons []string // those booked by appointment (a CIP or a residence visa is a walk-in)
	for _, r := range rules.Reasons() {
		if cal.Booked(r, false) == nil {
			reasons = append(reasons, r)
		}
	}
	n := 0
	for d := 1; d <= days; d++ {
		day := now.AddDate(0, 0, d)
		for _, pickup := range []bool{false, true} {
			for _, slot := range cal.Slots(day, pickup) {
				if rng.Float64() >= fill {
					continue
				}
				reason := reasons[rng.IntN(len(reasons))]
				age := 1 + rng.IntN(85)
				switch reason { // an age the reason fits (rules.ReasonFitsAge)
				case "child_under_14":
					age = 1 + rng.IntN(13)
				case "turning_14":
					age = 14
				}
				r := BookingRequest{
					Name:      surnames[rng.IntN(len(surnames))] + " " + givenNames[rng.IntN(len(givenNames))],
					BirthDate: day.AddDate(-age, -rng.IntN(12), -rng.IntN(28)).Format(time.DateOnly),
					Reason:    reason,
					Kind:      store.Intake,
					Slot:      slot,
				}
				if age >= 14 && rng.IntN(8) == 0 {
					r.Document = rules.CIS // some choose the simple card
				}
				if pickup {
					r.Kind, r.ReadyOn = store.Pickup, day.AddDate(0, 0, -3-rng.IntN(10)).Format(time.DateOnly)
				}
				token, _, err := h.Request(ctx, r)
				if err != nil {
					continue // the same person twice, or a full slot: the rules said no
				}
				if _, err := h.Confirm(ctx, token); err != nil {
					return n, fmt.Errorf("demo booking: %w", err)
				}
				n++
			}
		}
	}
	return n, h.DB.SetSetting(ctx, keyDemo, "1")
}

const keyDemo = "hub_demo"

// IsDemo reports whether this hub holds demo bookings (Demo filled it):
// only then does its booking site show e-mails on its demo mailbox page.
func (h *Hub) IsDemo(ctx context.Context) (bool, error) {
	v, err := h.DB.Setting(ctx, keyDemo)
	return v == "1", err
}
