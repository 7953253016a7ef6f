package verdict

import (
	"strconv"
	"strings"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
)

// The verdicts of text typed by hand that designates no single booking.
const (
	ReferenceTypo    Name = "reference_typo"    // a short reference whose check digit or length is wrong
	UnknownReference Name = "unknown_reference" // a valid reference that no booking of the office has
	NameNotFound     Name = "name_not_found"    // no booking of today has that name
	NameAmbiguous    Name = "name_ambiguous"    // several bookings of today have that name
	// NameIncomplete: the typed words are part of the names of one or more
	// bookings of today but name none of them fully (a surname alone, a
	// first name alone): nothing is recorded, the candidates are listed.
	NameIncomplete Name = "name_incomplete"
)

// FromBooking is what the counter's own copy of a booking says, in a
// code's terms: the claims of a booking typed by its reference or its
// person's name, which has no signed code at hand. Judge then applies every
// rule of office, status, day and time to it; only the code's signature,
// which there is none of, goes unchecked.
func FromBooking(b store.Booking) rescode.Claims {
	id, _ := strconv.ParseUint(b.ID, 10, 64)
	kind := rescode.Intake
	if b.Kind == store.Pickup {
		kind = rescode.Pickup
	}
	return rescode.Claims{Version: rescode.Version, BookingID: id, Office: b.Office, SlotStart: b.SlotStart,
		SlotMinutes: b.SlotMinutes, Kind: kind}
}

// JudgeTyped judges a booking found by its reference or its person's name
// (Judge on FromBooking), marked as a manual check.
func JudgeTyped(c Context, b store.Booking, d store.Derived) Verdict {
	v := Judge(c, FromBooking(b), &b, d)
	v.Manual = true
	return v
}

// Typo is the verdict for a reference with a typo: text is kept, so the
// clerk corrects it rather than typing it again.
func Typo(text string) Verdict {
	return Verdict{Details: map[string]string{"text": strings.TrimSpace(text)}, Manual: true}.is(ReferenceTypo)
}

// Unknown is the verdict for a valid reference that no booking of the
// office has (another office's, or a booking not in the list).
func Unknown(ref string) Verdict {
	return Verdict{Details: map[string]string{"ref": ref}, Manual: true}.is(UnknownReference)
}

// NoName is the verdict for a name no booking of today has.
func NoName(text string) Verdict {
	return Verdict{Details: map[string]string{"text": strings.TrimSpace(text)}, Manual: true}.is(NameNotFound)
}

// SeveralNames is the verdict for a name several bookings of today have:
// it lists them, with their slots and references, so the clerk types the
// reference or the whole name.
func SeveralNames(c Context, text string, bs []store.Booking) Verdict {
	return candidates(c, text, bs).is(NameAmbiguous)
}

// PartName is the verdict for typed words that are only part of the names
// of the bookings bs (a surname or a first name alone): it lists them, with
// their slots and references, so the clerk types the whole name or the
// reference. Nothing is recorded for a partial name: a relative with the
// same surname must not check a booked person in.
func PartName(c Context, text string, bs []store.Booking) Verdict {
	return candidates(c, text, bs).is(NameIncomplete)
}

// candidates is the unnamed verdict listing the bookings bs a typed name
// could designate: "bookings" and "count" in its details.
func candidates(c Context, text string, bs []store.Booking) Verdict {
	list := make([]string, len(bs))
	for i, b := range bs {
		list[i] = b.Name + " " + b.SlotStart.In(c.Cal.Location()).Format("15:04")
		if ref := rescode.ReferenceOf(b.Office, b.ID); ref != "" {
			list[i] += " " + ref
		}
	}
	return Verdict{Details: map[string]string{"text": strings.TrimSpace(text), "bookings": strings.Join(list, "; "),
		"count": strconv.Itoa(len(bs))}, Manual: true}
}
