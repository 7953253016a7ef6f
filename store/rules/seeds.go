package rules

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// The cards a person may apply for.
const (
	CEI = "cei" // electronic identity card: at any office in the country
	CIS = "cis" // simple identity card: never under 14, only at the domicile's office
	CIP = "cip" // provisional identity card: only at the domicile's office
	// Residence is no card: a residence mention is written into the
	// current identity document (only at the domicile's office, no fee).
	Residence = "residence"
)

// cipReasons are the reasons for which the card is a provisional one: the
// only cases seed 002 issues a CIP for (its documents 6 and 7: a Romanian
// domiciled abroad living in Romania for a while, a person who cannot
// prove a domicile address).
var cipReasons = []string{"cip_abroad", "cip_no_domicile"}

// CIPReason reports whether a provisional card (CIP) may be issued for
// reason; for those reasons it is the only card.
func CIPReason(reason string) bool { return slices.Contains(cipReasons, reason) }

// DocumentFor is the card applied for: a residence mention for the
// residence visa, a CIP for the CIP reasons (whatever was chosen: it is
// the only card they have), else the one chosen (a CIS when chosen, a CEI
// by default). A CIP chosen for a reason that cannot have one is read as
// the CEI default: where a card is chosen (the counter's walk-in, the hub)
// CheckCard refuses it before it is recorded.
func DocumentFor(reason, chosen string) string {
	switch {
	case reason == "residence_mention":
		return Residence
	case CIPReason(reason):
		return CIP
	case chosen == CIS:
		return CIS
	}
	return CEI
}

// Cards are the cards a person aged age (-1: unknown) may choose for
// reason, the default first: none for a residence visa (a mention in the
// current card), only the CIP for the CIP reasons, else a CEI and, from
// 14 (AllowedFor; never for a child under 14), a CIS.
func Cards(reason string, age int) []string {
	switch {
	case reason == "residence_mention":
		return nil
	case CIPReason(reason):
		return []string{CIP}
	case reason == "child_under_14" || !AllowedFor(CIS, age):
		return []string{CEI}
	}
	return []string{CEI, CIS}
}

// Why a card chosen cannot be applied for.
var (
	// ErrCardUnknown: not a card's name.
	ErrCardUnknown = errors.New("unknown card: want cei, cis or cip")
	// ErrCardNotForReason: the card chosen is not one the reason and age
	// allow (Cards): a CIP only for the CIP reasons, no CIS under 14, no
	// card for a residence visa.
	ErrCardNotForReason = errors.New("this card cannot be applied for with this reason (or at this age)")
)

// CheckCard says whether document ("" : the default of the reason) may be
// chosen for reason by a person aged age (-1: unknown): ErrCardUnknown,
// ErrCardNotForReason, or nil.
func CheckCard(reason, document string, age int) error {
	switch {
	case !KnownDocument(document):
		return fmt.Errorf("%w: %q", ErrCardUnknown, document)
	case document == "" || slices.Contains(Cards(reason, age), document):
		return nil
	}
	return fmt.Errorf("%w: %s for %s", ErrCardNotForReason, document, reason)
}

// KnownDocument reports whether d names a card ("" is the default, CEI).
func KnownDocument(d string) bool { return d == "" || d == CEI || d == CIS || d == CIP }

// DomicileOnly reports whether an application may be filed only at the
// office of the person's domicile: a CIS, a CIP or a residence visa. A CEI
// may be applied for at any office in the country.
func DomicileOnly(reason, document string) bool {
	return reason == "residence_mention" || DocumentFor(reason, document) != CEI
}

// AllowedFor says whether a person aged age (-1: unknown) may apply for
// document: a CIS is never issued under 14.
func AllowedFor(document string, age int) bool {
	return document != CIS || age < 0 || age >= 14
}

// DomicileChange reports whether the reason writes a (new) domicile
// address into the card, where the more-than-10-people rule applies.
func DomicileChange(reason string) bool {
	return reason == "domicile_change" || reason == "domicile_from_abroad" || reason == "citizenship_acquired"
}

// MaxPeoplePerAddress is how many people may be registered at an address
// before a new domicile there needs the extended-family exception (OUG
// 97/2005, art. 28 (4)-(6)).
const MaxPeoplePerAddress = 10

// PriorityCase reports whether a booking may take a slot the office
// reserves for priority cases: an expiring identity card (reason "expiry"),
// or a 14-year-old (reason "turning_14", or aged 14 on the slot's day).
func PriorityCase(reason string, birth, day time.Time) bool {
	if reason == "expiry" || reason == "turning_14" {
		return true
	}
	return !birth.IsZero() && AgeOn(birth, day) == 14
}

// ReasonFitsAge reports whether a reason agrees with the age of a person
// born on birth on day (the slot's): "turning_14" needs a person aged 14,
// or aged 13 within 30 days of turning 14; "child_under_14" needs a person
// under 14. Every other reason fits any age, as does an unknown birth date.
func ReasonFitsAge(reason string, birth, day time.Time) bool {
	if birth.IsZero() {
		return true
	}
	age := AgeOn(birth, day)
	switch reason {
	case "turning_14":
		return age == 14 || age == 13 && !birth.AddDate(14, 0, 0).After(day.AddDate(0, 0, 30))
	case "child_under_14":
		return age >= 0 && age < 14
	}
	return true
}

// The issuance term and the delay of a pickup at another office.
const (
	IssueDaysMin        = 10 // calendar days from the application to the card
	IssueDaysMax        = 14
	PickupElsewhereDays = 10 // working days more when collected at another office
)

// Cancellation reasons: a booking cancelled for one of them must be booked
// anew. A no-show is derived from the clock; the clerk records the others
// by refusing the person with that reason.
const (
	CancelNoShow           = "no_show"
	CancelDataMismatch     = "data_mismatch"
	CancelMissingDocuments = "missing_documents"
)

// CancelReasons lists every cancellation reason, as the report counts them.
func CancelReasons() []string {
	return []string{CancelNoShow, CancelDataMismatch, CancelMissingDocuments}
}

// RefusalReasons are the cancellation reasons a clerk gives when refusing
// a person at the counter.
func RefusalReasons() []string { return []string{CancelMissingDocuments, CancelDataMismatch} }

// IsRefusalReason reports whether r is one of RefusalReasons.
func IsRefusalReason(r string) bool { return slices.Contains(RefusalReasons(), r) }

// ForPickup is the checklist of a pickup, from the one of its card
// (ForCard): the card, the holder's age and to whom it is handed
// (Handover), and none of what the application needed (documents, fee,
// escort, fingerprints, validity, warnings), which was checked when it was
// filed; the pickup's text says the same (a child's card is handed to one
// parent, not signed for by both).
func ForPickup(h Help) Help {
	return Help{Age: h.Age, Document: h.Document, Handover: h.Handover}
}

// PickupHandIn is a translation key of what the holder hands in when
// collecting the card, or "": the residence permit (or a declaration that
// it is lost) on acquiring citizenship.
func PickupHandIn(reason string) string {
	if reason == "citizenship_acquired" {
		return "help.pickup_permit"
	}
	return ""
}

// ReasonFee is what the card of a reason costs, in lei, by the age of the
// person at the visit: a child under 14 (more than 30 days before turning
// 14), a minor of 14 to 17 and an adult; -1 where the reason does not fit
// the age (ReasonFitsAge: a "child_under_14" is no adult).
type ReasonFee struct{ Under14, Minor, Adult int }

// FeeOf is reason's ReasonFee for its default card, as ForCard works it
// out (the same fee the verdict and the e-mails give): what the booking
// site shows beside the reason.
func FeeOf(reason string, fees Fees) ReasonFee {
	day := time.Date(2026, time.January, 15, 0, 0, 0, 0, time.UTC)
	at := func(age int) int {
		birth := day.AddDate(-age, -6, 0) // half a year past the birthday: not near the next one
		if !ReasonFitsAge(reason, birth, day) {
			return -1
		}
		return For(reason, birth, day, fees).FeeLei
	}
	f := ReasonFee{Under14: at(10), Minor: at(16), Adult: at(30)}
	if reason == "turning_14" {
		f.Minor = at(14) // the reason is the card at 14
	}
	return f
}
