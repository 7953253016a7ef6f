// Package rules tells the clerk what a booking's case requires, from the
// rules of DOMAIN.md: the documents to check, the fee, who must come with a
// minor, whether fingerprints are taken and how long the new card is valid.
// Texts are translation keys (assets/i18n).
package rules

import (
	"slices"
	"time"
)

// Fees are the amounts in lei (they change over time: office settings).
type Fees struct {
	CEI int `json:"cei"` // an electronic identity card, when not free
	CIS int `json:"cis"` // a simple identity card
	CIP int `json:"cip"` // a provisional identity card, paid at the town hall
}

// DefaultFees are DOMAIN.md's amounts.
var DefaultFees = Fees{CEI: 70, CIS: 40, CIP: 1}

// Help is what the verdict card tells the clerk about a booking.
type Help struct {
	Age          int      // at the day of the visit; -1 when the birth date is unknown
	Document     string   // "cei", "cis", "cip", or "residence" (a mention, no new card)
	Documents    []string // translation keys, to check in the original
	FeeLei       int      // 0: free
	FeeNote      string   // translation key: why free, or where to pay
	Escort       string   // translation key, "" when the person comes alone
	Fingerprints bool     // taken from age 12
	ValidYears   int      // of the new card; 0 with Unlimited
	Unlimited    bool     // 70 and over
	ValidUntil   time.Time
	// Where is a translation key: at which office the application may be
	// filed ("where.any_office" for a CEI, "where.domicile_only" for a CIS,
	// a CIP or a residence visa).
	Where string
	// Warnings are translation keys of what makes the case wrong as
	// booked (a CIS under 14: "warn.cis_under_14").
	Warnings []string
	// AddressRule: a domicile change, where an address with more than 10
	// people registered needs the holder's extended-family exception.
	AddressRule bool
	// Handover is a translation key: to whom a pickup's card is handed
	// ("help.pickup_minor" for a child under 14: one parent or legal
	// representative is enough); "" for the holder.
	Handover string
	// ReadyFrom and ReadyBy are, for an intake, when the card is expected
	// to be ready for pickup (filled in by the verdict, which knows the
	// office's working days); PickupAt is the other office chosen for the
	// pickup, if any.
	ReadyFrom time.Time `json:",omitzero"`
	ReadyBy   time.Time `json:",omitzero"`
	PickupAt  string    `json:",omitempty"`
}

// documents by reason for issuance (DOMAIN.md, "Documents the clerk checks").
var documents = map[string][]string{
	"expiry":               {"doc.current_id", "doc.birth_cert", "doc.marriage_cert_if", "doc.divorce_if", "doc.address_proof_if", "doc.payment_if_due"},
	"civil_status_change":  {"doc.current_id", "doc.birth_cert", "doc.marriage_cert_if", "doc.divorce_if", "doc.address_proof_if", "doc.payment_if_due"},
	"domicile_change":      {"doc.current_id", "doc.birth_cert", "doc.marriage_cert_if", "doc.divorce_if", "doc.address_proof", "doc.host_consent_if", "doc.payment_if_due"},
	"lost":                 {"doc.birth_cert", "doc.marriage_cert_if", "doc.divorce_if", "doc.address_proof_if", "doc.payment_if_due"},
	"child_under_14":       {"doc.birth_cert", "doc.parents_ids", "doc.parents_marriage", "doc.payment", "doc.both_parents_sign"},
	"turning_14":           {"doc.birth_cert", "doc.parent_id", "doc.parents_marriage", "doc.custody_consent_if", "doc.payment_if_due"},
	"residence_mention":    {"doc.application", "doc.current_id", "doc.host_id", "doc.residence_proof"},
	"domicile_from_abroad": {"doc.application", "doc.birth_cert", "doc.civil_status_certs", "doc.children_birth_certs", "doc.address_proof", "doc.ro_passport_or_citizenship", "doc.foreign_id", "doc.other_parent_consent_if", "doc.payment"},
	"cip_abroad":           {"doc.application", "doc.passport_abroad", "doc.ro_civil_status", "doc.divorce_if", "doc.residence_proof", "doc.photos", "doc.payment"},
	"cip_no_domicile":      {"doc.application", "doc.birth_cert", "doc.civil_status_certs", "doc.children_birth_certs", "doc.photos", "doc.payment"},
	"citizenship_acquired": {"doc.citizenship_cert", "doc.birth_cert", "doc.residence_permit", "doc.photo_id", "doc.domicile_proof_30d", "doc.host_consent_if", "doc.ro_civil_status"},
}

// Reasons lists the known reasons for issuance.
func Reasons() []string {
	return []string{"expiry", "civil_status_change", "lost", "domicile_change", "child_under_14", "turning_14",
		"residence_mention", "domicile_from_abroad", "cip_abroad", "cip_no_domicile", "citizenship_acquired"}
}

// For works out the help for a person born on birth (zero: unknown) who
// comes on day for reason, applying for the card the reason implies (a CEI,
// or a CIP for the CIP reasons).
func For(reason string, birth, day time.Time, fees Fees) Help {
	return ForCard(reason, "", birth, day, fees)
}

// ForCard is For for a chosen card: document is "cei", "cis", "cip" or ""
// (the one the reason implies, see DocumentFor).
func ForCard(reason, document string, birth, day time.Time, fees Fees) Help {
	h := Help{Age: -1, Document: DocumentFor(reason, document)}
	if !birth.IsZero() {
		h.Age = AgeOn(birth, day)
	}
	h.Documents = documentsFor(reason, h.Age)
	h.Where = "where.any_office"
	if DomicileOnly(reason, h.Document) {
		h.Where = "where.domicile_only"
	}
	if h.Document == CIS && h.Age >= 0 && h.Age < 14 {
		h.Warnings = append(h.Warnings, "warn.cis_under_14")
	}
	h.AddressRule = DomicileChange(reason)
	if h.Age >= 0 && h.Age < 14 {
		h.Handover = "help.pickup_minor"
	}
	h.FeeLei, h.FeeNote = fee(h, reason, birth, day, fees)
	if h.FeeLei == 0 { // nothing to pay: no proof of payment to check
		h.Documents = withoutPayment(h.Documents)
	}
	switch {
	case h.Age < 0 || h.Age >= 18:
	case h.Age < 14 && reason != "turning_14": // the card at 14 (002 §3), asked for up to 30 days before: one parent
		h.Escort = "escort.both_parents"
	default:
		h.Escort = "escort.one_parent"
	}
	h.Fingerprints = h.Age >= 12 && h.Document != Residence
	h.ValidYears, h.Unlimited = validity(h)
	if h.ValidYears > 0 {
		h.ValidUntil = day.AddDate(h.ValidYears, 0, 0)
	}
	return h
}

func fee(h Help, reason string, birth, day time.Time, fees Fees) (int, string) {
	switch {
	case h.Document == CIP:
		return fees.CIP, "fee.town_hall"
	case h.Document == CIS:
		return fees.CIS, "fee.cec"
	case h.Document == Residence:
		return 0, "fee.residence"
	case h.Age < 0:
		return fees.CEI, "fee.age_unknown"
	case h.Age < 14 && !birth.AddDate(14, 0, 0).After(day.AddDate(0, 0, 30)):
		return 0, "fee.free_near_14" // applied at most 30 days before turning 14
	case h.Age < 14:
		return fees.CEI, "fee.cec"
	case reason == "lost" || reason == "civil_status_change":
		return fees.CEI, "fee.cec" // a new card replacing a CEI
	}
	return 0, "fee.free_first_cei"
}

func validity(h Help) (years int, unlimited bool) {
	switch {
	case h.Document == CIP:
		return 1, false
	case h.Document == Residence: // no new card
		return 0, false
	case h.Age < 0:
		return 0, false
	case h.Age < 2:
		return 2, false
	case h.Age < 14:
		return 4, false
	case h.Age < 18:
		return 5, false
	case h.Age < 70:
		return 10, false
	}
	return 0, true
}

// The documents of a minor's application that are not the reason's own
// (DOMAIN.md, "Documents the clerk checks" 2 and 3): under 14 the parents
// come and sign, and bring their IDs (the child's proof of address) and
// their marriage or divorce papers; from 14 to 17 one parent comes, with
// an ID (the proof of address). The birth certificate is the child's.
var (
	minorUnder14 = []string{"doc.birth_cert", "doc.parents_ids", "doc.parents_marriage", "doc.both_parents_sign"}
	minor14to17  = []string{"doc.birth_cert", "doc.parent_id"}
	// adultOnly are a person's own civil status papers and children's
	// certificates, which a child under 14 does not have.
	adultOnly = []string{"doc.marriage_cert_if", "doc.divorce_if", "doc.civil_status_certs", "doc.children_birth_certs"}
)

// documentsFor is reason's checklist for a person aged age (-1: unknown):
// the reason's own documents and, for a minor applying for a card with a
// reason that is not the minors' own (a lost card, an expiring one, a
// move...), what DOMAIN asks of a minor: a child under 14 comes with both
// parents and their papers, one aged 14 to 17 with one parent and an ID.
// A new slice: the table is shared.
func documentsFor(reason string, age int) []string {
	docs := slices.Clone(documents[reason])
	var add []string
	switch {
	case age < 0 || age >= 18 || reason == "residence_mention":
		return docs
	case age < 14 && reason != "turning_14":
		docs = slices.DeleteFunc(docs, func(d string) bool { return slices.Contains(adultOnly, d) })
		add = minorUnder14
	default:
		add = minor14to17
	}
	for _, d := range add {
		if !slices.Contains(docs, d) {
			docs = append(docs, d)
		}
	}
	if age < 14 && reason != "turning_14" && !slices.Contains(docs, "doc.payment") && !slices.Contains(docs, "doc.payment_if_due") {
		docs = append(docs, "doc.payment") // a child's card costs, unless near 14 (then dropped as free)
	}
	return docs
}

// withoutPayment is docs less the proofs of payment (a new slice: the
// table is shared).
func withoutPayment(docs []string) []string {
	var out []string
	for _, d := range docs {
		if d != "doc.payment" && d != "doc.payment_if_due" {
			out = append(out, d)
		}
	}
	return out
}

// AgeOn is the age in whole years on day of a person born on birth.
func AgeOn(birth, day time.Time) int {
	y, m, d := day.Date()
	by, bm, bd := birth.Date()
	age := y - by
	if m < bm || m == bm && d < bd {
		age--
	}
	return age
}
