package verdict

import (
	"strconv"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
)

// Message is a verdict in words, as the counter shows it.
type Message struct {
	Title  string   // the headline: what the verdict is
	Who    string   // the booking's person, when there is a booking
	Lines  []string // the booking: kind, slot, reason
	Detail string   // what was done, or why the code was refused
}

// Message words the verdict in l.
func (v Verdict) Message(l i18n.Lang) Message {
	key := "verdict." + string(v.Name)
	m := Message{Title: i18n.T(l, key+".title", nil)}
	switch {
	case v.Name == Valid && v.Recorded == nil:
		m.Detail = i18n.T(l, key+".check", v.Details)
	default:
		m.Detail = i18n.T(l, key+".detail", v.Details)
	}
	if b := v.Booking; b != nil {
		m.Who = b.Name
		slot := i18n.T(l, "ui.slot", map[string]string{
			"slot":    b.SlotStart.Format(time.RFC3339),
			"minutes": strconv.Itoa(b.SlotMinutes),
		})
		m.Lines = []string{
			i18n.T(l, "kind."+string(b.Kind), nil) + " · " + slot,
			i18n.T(l, "reason."+b.Reason, nil),
		}
	}
	return m
}
