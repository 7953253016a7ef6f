package rules

import (
	"slices"
	"testing"
)

// TestDocumentsByReasonAndAge: every reason × age band (under 14, 14–17,
// adult) gets the documents DOMAIN.md asks for: a child under 14 the
// birth certificate, the parents' IDs and marriage or divorce papers and
// both parents' signatures (section 2), whatever the reason (issue 12: a
// child booked for a lost card got an adult's list); one of 14 to 17 the
// birth certificate and the ID of the parent who comes (section 3); an
// adult no parent's papers; a lost card (a new CEI: 70 lei) the proof of
// payment at every age; proof of payment exactly when there is a fee.
func TestDocumentsByReasonAndAge(t *testing.T) {
	day := date("2026-11-23")
	bands := []struct {
		name, born string
		want, not  []string
	}{
		{"under 14", "2016-06-01",
			[]string{"doc.birth_cert", "doc.parents_ids", "doc.parents_marriage", "doc.both_parents_sign"},
			[]string{"doc.parent_id", "doc.marriage_cert_if", "doc.divorce_if", "doc.children_birth_certs"}},
		{"14 to 17", "2010-01-01",
			[]string{"doc.birth_cert", "doc.parent_id"},
			[]string{"doc.parents_ids", "doc.both_parents_sign"}},
		{"adult", "1980-01-01", nil,
			[]string{"doc.parent_id", "doc.parents_ids", "doc.parents_marriage", "doc.both_parents_sign", "doc.custody_consent_if"}},
	}
	// own are documents each reason keeps at every age (DOMAIN's lists).
	own := map[string][]string{
		"expiry":               {"doc.current_id", "doc.birth_cert", "doc.address_proof_if"},
		"civil_status_change":  {"doc.current_id", "doc.birth_cert", "doc.address_proof_if"},
		"lost":                 {"doc.birth_cert", "doc.address_proof_if", "doc.payment_if_due"},
		"domicile_change":      {"doc.current_id", "doc.address_proof", "doc.host_consent_if"},
		"child_under_14":       {"doc.birth_cert", "doc.parents_ids", "doc.parents_marriage", "doc.payment", "doc.both_parents_sign"},
		"turning_14":           {"doc.birth_cert", "doc.parent_id", "doc.parents_marriage"},
		"residence_mention":    {"doc.application", "doc.current_id", "doc.host_id", "doc.residence_proof"},
		"domicile_from_abroad": {"doc.application", "doc.birth_cert", "doc.address_proof", "doc.ro_passport_or_citizenship", "doc.foreign_id"},
		"cip_abroad":           {"doc.application", "doc.passport_abroad", "doc.ro_civil_status", "doc.residence_proof", "doc.photos", "doc.payment"},
		"cip_no_domicile":      {"doc.application", "doc.birth_cert", "doc.photos", "doc.payment"},
		"citizenship_acquired": {"doc.citizenship_cert", "doc.birth_cert", "doc.residence_permit", "doc.photo_id", "doc.domicile_proof_30d"},
	}
	for _, reason := range Reasons() {
		if own[reason] == nil {
			t.Errorf("%s: no row", reason)
		}
		for _, band := range bands {
			born := date(band.born)
			if !ReasonFitsAge(reason, born, day) {
				continue
			}
			t.Run(reason+"/"+band.name, func(t *testing.T) {
				h := For(reason, born, day, DefaultFees)
				want := slices.Clone(own[reason])
				if reason != "residence_mention" {
					want = append(want, band.want...)
				}
				for _, d := range want {
					if d == "doc.payment" || d == "doc.payment_if_due" {
						continue // checked below, with the fee
					}
					if !slices.Contains(h.Documents, d) {
						t.Errorf("no %s in %v", d, h.Documents)
					}
				}
				for _, d := range band.not {
					if slices.Contains(h.Documents, d) && !slices.Contains(own[reason], d) {
						t.Errorf("%s listed: %v", d, h.Documents)
					}
				}
				proofs := 0
				for _, d := range h.Documents {
					if d == "doc.payment" || d == "doc.payment_if_due" {
						proofs++
					}
				}
				if want := min(h.FeeLei, 1); proofs != want {
					t.Errorf("fee %d lei, %d proofs of payment: %v", h.FeeLei, proofs, h.Documents)
				}
				if reason == "lost" && h.FeeLei == 0 {
					t.Error("a lost card is a new CEI: 70 lei")
				}
				if len(h.Documents) != len(slices.Compact(slices.Sorted(slices.Values(h.Documents)))) {
					t.Errorf("a document twice: %v", h.Documents)
				}
			})
		}
	}
	if len(documents["lost"]) != 5 {
		t.Fatalf("the shared table changed: %v", documents["lost"])
	}
}

// TestFeeOf: the fee the site shows beside each reason, by age band, is
// the one ForCard gives (DOMAIN.md's fees): a new CEI (lost, name or civil
// status change) 70 lei at every age, a first CEI free from 14 and 70 lei
// under, a CIP 1 leu, a residence mention nothing; -1 where the reason
// does not fit the age.
func TestFeeOf(t *testing.T) {
	tests := map[string]ReasonFee{
		"expiry":               {70, 0, 0},
		"civil_status_change":  {70, 70, 70},
		"lost":                 {70, 70, 70},
		"domicile_change":      {70, 0, 0},
		"child_under_14":       {70, -1, -1},
		"turning_14":           {-1, 0, -1},
		"residence_mention":    {0, 0, 0},
		"domicile_from_abroad": {70, 0, 0},
		"cip_abroad":           {1, 1, 1},
		"cip_no_domicile":      {1, 1, 1},
		"citizenship_acquired": {70, 0, 0},
	}
	for _, reason := range Reasons() {
		want, ok := tests[reason]
		if got := FeeOf(reason, DefaultFees); !ok || got != want {
			t.Errorf("FeeOf(%s) = %+v, want %+v", reason, got, want)
		}
	}
}
