package verdict

import (
	"maps"
	"strconv"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/rules"
)

// Message is a verdict in words, as the counter shows it.
type Message struct {
	Title  string   // the headline: what the verdict is
	Who    string   // the booking's person, when known
	Lines  []string // the booking: kind, slot, reason
	Detail string   // what was done, or why the code was refused
	Help   []string // what the clerk must check: escort, fee, fingerprints, validity, documents
}

// Message words the verdict in l.
func (v Verdict) Message(l i18n.Lang) Message {
	key := "verdict." + string(v.Name)
	m := Message{Title: i18n.T(l, key+".title", nil), Detail: i18n.T(l, detailKey(v), v.Details)}
	if v.Name == Forged {
		m.Detail = i18n.T(l, key+".detail", map[string]string{"why": i18n.T(l, "forged."+v.Details["reason"], nil)})
	}
	if v.Name == Turned {
		args := maps.Clone(v.Details)
		args["why"] = i18n.T(l, "cancel."+v.Details["cancel"], nil)
		m.Detail = i18n.T(l, detailKey(v), args)
	}
	if b := v.Booking; b != nil {
		m.Who = b.Name
		if b.Status == store.Unlisted {
			m.Who = i18n.T(l, "booking.unlisted", map[string]string{"id": b.ID})
		}
		if ref := rescode.ReferenceOf(b.Office, b.ID); ref != "" {
			m.Who += " · " + ref // what the clerk types when the code cannot be scanned
		}
		slot := i18n.T(l, "ui.slot", map[string]string{
			"slot":    b.SlotStart.Format(time.RFC3339),
			"minutes": strconv.Itoa(b.SlotMinutes),
		})
		m.Lines = []string{i18n.T(l, "kind."+string(b.Kind), nil) + " · " + slot}
		if b.Reason != "" {
			m.Lines = append(m.Lines, i18n.T(l, "reason."+b.Reason, nil))
		}
	}
	if v.Help != nil && v.Colour != Red {
		m.Help = helpLines(l, v)
	}
	return m
}

// detailKey is the key of the verdict's detail. A verdict that would record
// an arrival but recorded nothing (a check only) has its own wording, which
// says nothing about recording and needs no time of arrival.
func detailKey(v Verdict) string {
	key := "verdict." + string(v.Name)
	switch {
	case v.Accepts() && v.Recorded == nil:
		return key + ".check"
	case v.Name == NotReady && v.Details["from"] == "":
		return key + ".unknown"
	case v.Details["counter"] == store.SystemCounter: // the hub's own record names no counter
		return key + ".hub"
	}
	return key + ".detail"
}

// helpLines words the clerk's checklist.
func helpLines(l i18n.Lang, v Verdict) []string {
	h := *v.Help
	var out []string
	if v.Booking.Kind == store.Pickup {
		out = append(out, i18n.T(l, "help.pins", nil))
		if h.Handover != "" {
			out = append(out, i18n.T(l, h.Handover, nil))
		}
		if k := rules.PickupHandIn(v.Booking.Reason); k != "" {
			out = append(out, i18n.T(l, k, nil))
		}
		return out
	}
	for _, w := range h.Warnings {
		out = append(out, i18n.T(l, w, nil))
	}
	if h.Escort != "" {
		out = append(out, i18n.T(l, h.Escort, nil))
	}
	out = append(out, i18n.T(l, "help.card", map[string]string{"card": i18n.T(l, "card."+h.Document, nil),
		"where": i18n.T(l, h.Where, nil)}))
	fee := i18n.T(l, "help.fee", map[string]string{"lei": strconv.Itoa(h.FeeLei), "note": i18n.T(l, h.FeeNote, nil)})
	if h.FeeLei == 0 {
		fee = i18n.T(l, "help.fee_free", map[string]string{"note": i18n.T(l, h.FeeNote, nil)})
	}
	out = append(out, fee)
	if h.Age >= 0 && h.Document != rules.Residence {
		prints := "help.no_fingerprints"
		if h.Fingerprints {
			prints = "help.fingerprints"
		}
		out = append(out, i18n.T(l, prints, map[string]string{"age": strconv.Itoa(h.Age)}))
	}
	switch {
	case h.Unlimited:
		out = append(out, i18n.T(l, "help.valid_unlimited", nil))
	case h.ValidYears > 0:
		out = append(out, i18n.T(l, "help.valid", map[string]string{"years": strconv.Itoa(h.ValidYears),
			"until": h.ValidUntil.Format(time.RFC3339)}))
	}
	if h.AddressRule {
		out = append(out, i18n.T(l, "help.address_limit", map[string]string{"max": strconv.Itoa(rules.MaxPeoplePerAddress)}))
	}
	if !h.ReadyFrom.IsZero() {
		args := map[string]string{"from": h.ReadyFrom.Format(time.RFC3339), "by": h.ReadyBy.Format(time.RFC3339),
			"office": h.PickupAt}
		key := "help.ready"
		if h.PickupAt != "" {
			key = "help.ready_elsewhere"
		}
		if h.ReadyBy.Equal(h.ReadyFrom) { // both ends fall to the same pickup day
			key += "_on"
		}
		out = append(out, i18n.T(l, key, args))
	}
	if len(h.Documents) > 0 {
		out = append(out, i18n.T(l, "help.originals", nil))
	}
	for _, d := range h.Documents {
		out = append(out, "☐ "+i18n.T(l, d, nil))
	}
	return out
}
