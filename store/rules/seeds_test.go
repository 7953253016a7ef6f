package rules

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
)

// TestForCard: the card applied for decides the fee, where it may be filed
// and what is wrong with the case (issue 14, rules 2, 4 and 5).
func TestForCard(t *testing.T) {
	day := date("2026-11-23")
	tests := []struct {
		name, reason, doc, born string
		document                string
		fee                     int
		feeNote, where          string
		warnings                []string
		address                 bool
		handover                string
	}{
		{"CEI by default, any office", "expiry", "", "1980-01-01", CEI, 0, "fee.free_first_cei", "where.any_office", nil, false, ""},
		{"CIS: 40 lei at CEC, domicile only", "expiry", CIS, "1980-01-01", CIS, 40, "fee.cec", "where.domicile_only", nil, false, ""},
		{"CIS lost: still 40", "lost", CIS, "1980-01-01", CIS, 40, "fee.cec", "where.domicile_only", nil, false, ""},
		{"CIS at 14: allowed", "turning_14", CIS, "2012-11-23", CIS, 40, "fee.cec", "where.domicile_only", nil, false, ""},
		{"CIS under 14: never", "child_under_14", CIS, "2015-01-01", CIS, 40, "fee.cec", "where.domicile_only", []string{"warn.cis_under_14"}, false, "help.pickup_minor"},
		{"CIP: 1 leu at the town hall, domicile only", "cip_abroad", "", "1990-01-01", CIP, 1, "fee.town_hall", "where.domicile_only", nil, false, ""},
		{"CIP whatever was chosen", "cip_no_domicile", CIS, "1990-01-01", CIP, 1, "fee.town_hall", "where.domicile_only", nil, false, ""},
		{"residence visa: domicile only, no fee, no card", "residence_mention", "", "1990-01-01", Residence, 0, "fee.residence", "where.domicile_only", nil, false, ""},
		{"domicile change: the address rule", "domicile_change", "", "1990-01-01", CEI, 0, "fee.free_first_cei", "where.any_office", nil, true, ""},
		{"from abroad: the address rule", "domicile_from_abroad", "", "1990-01-01", CEI, 0, "fee.free_first_cei", "where.any_office", nil, true, ""},
		{"citizenship: the address rule", "citizenship_acquired", "", "1990-01-01", CEI, 0, "fee.free_first_cei", "where.any_office", nil, true, ""},
		{"child: handed to one parent", "child_under_14", "", "2020-01-01", CEI, 70, "fee.cec", "where.any_office", nil, false, "help.pickup_minor"},
		{"14: handed to the holder", "turning_14", "", "2012-11-23", CEI, 0, "fee.free_first_cei", "where.any_office", nil, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := ForCard(tt.reason, tt.doc, date(tt.born), day, DefaultFees)
			if h.Document != tt.document || h.FeeLei != tt.fee || h.FeeNote != tt.feeNote || h.Where != tt.where ||
				!slices.Equal(h.Warnings, tt.warnings) || h.AddressRule != tt.address || h.Handover != tt.handover {
				t.Fatalf("got %s %d %s %s %v %v %q", h.Document, h.FeeLei, h.FeeNote, h.Where, h.Warnings, h.AddressRule, h.Handover)
			}
		})
	}
}

func TestAllowedFor(t *testing.T) {
	tests := []struct {
		doc  string
		age  int
		want bool
	}{{CIS, 13, false}, {CIS, 0, false}, {CIS, 14, true}, {CIS, -1, true}, {CEI, 0, true}, {CIP, 5, true}}
	for _, tt := range tests {
		if got := AllowedFor(tt.doc, tt.age); got != tt.want {
			t.Errorf("AllowedFor(%s, %d) = %v", tt.doc, tt.age, got)
		}
	}
}

func TestPriorityCase(t *testing.T) {
	day := date("2026-11-23")
	tests := []struct {
		reason, born string
		want         bool
	}{
		{"expiry", "1980-01-01", true},
		{"turning_14", "2012-12-01", true},
		{"lost", "2012-11-23", true}, // aged 14 on the day
		{"lost", "1980-01-01", false},
		{"child_under_14", "2020-01-01", false},
		{"residence_mention", "", false},
	}
	for _, tt := range tests {
		var born time.Time
		if tt.born != "" {
			born = date(tt.born)
		}
		if got := PriorityCase(tt.reason, born, day); got != tt.want {
			t.Errorf("PriorityCase(%s, %s) = %v, want %v", tt.reason, tt.born, got, tt.want)
		}
	}
}

// TestReasonFitsAge: "turning_14" only at 14 or within 30 days of it,
// "child_under_14" only under 14 (issue 14: the hub refused neither, so a
// 46-year-old booked a priority slot as a 14-year-old).
func TestReasonFitsAge(t *testing.T) {
	day := date("2026-11-23")
	tests := []struct {
		reason, born string
		want         bool
	}{
		{"turning_14", "1980-01-01", false},
		{"turning_14", "2012-11-23", true},  // 14 today
		{"turning_14", "2011-11-24", true},  // 14 until tomorrow
		{"turning_14", "2011-11-23", false}, // 15 today
		{"turning_14", "2012-12-23", true},  // 14 in 30 days
		{"turning_14", "2012-12-24", false}, // 14 in 31 days
		{"turning_14", "2016-01-01", false},
		{"child_under_14", "1980-01-01", false},
		{"child_under_14", "2012-11-23", false},
		{"child_under_14", "2012-11-24", true},
		{"expiry", "1980-01-01", true},
		{"turning_14", "", true}, // unknown birth date: nothing to contradict
	}
	for _, tt := range tests {
		var born time.Time
		if tt.born != "" {
			born = date(tt.born)
		}
		if got := ReasonFitsAge(tt.reason, born, day); got != tt.want {
			t.Errorf("ReasonFitsAge(%s, %s) = %v, want %v", tt.reason, tt.born, got, tt.want)
		}
	}
}

func TestCancelReasons(t *testing.T) {
	for _, r := range CancelReasons() {
		for _, l := range i18n.Langs {
			if !i18n.Has(l, "cancel."+r) {
				t.Errorf("no %s translation for cancel.%s", l, r)
			}
		}
	}
	tests := []struct {
		reason string
		want   bool
	}{{"missing_documents", true}, {"data_mismatch", true}, {"no_show", false}, {"rude", false}, {"", false}}
	for _, tt := range tests {
		if IsRefusalReason(tt.reason) != tt.want {
			t.Errorf("IsRefusalReason(%q) = %v", tt.reason, !tt.want)
		}
	}
	for _, k := range []string{"card.cei", "card.cis", "card.cip", "where.any_office", "where.domicile_only", "warn.cis_under_14", "help.address_limit"} {
		for _, l := range i18n.Langs {
			if !i18n.Has(l, k) {
				t.Errorf("no %s translation for %s", l, k)
			}
		}
	}
}

// TestDocumentsOfTheSeeds: each reason's checklist holds the documents
// the seeds list for it (docs/rules.md names the sentence of each).
func TestDocumentsOfTheSeeds(t *testing.T) {
	tests := []struct {
		reason string
		want   []string
	}{
		{"expiry", []string{"doc.current_id", "doc.birth_cert", "doc.marriage_cert_if", "doc.divorce_if", "doc.address_proof_if", "doc.payment_if_due"}},
		{"civil_status_change", []string{"doc.current_id", "doc.birth_cert", "doc.marriage_cert_if", "doc.divorce_if", "doc.address_proof_if"}},
		{"domicile_change", []string{"doc.current_id", "doc.address_proof", "doc.host_consent_if"}},
		{"child_under_14", []string{"doc.birth_cert", "doc.parents_ids", "doc.parents_marriage", "doc.payment", "doc.both_parents_sign"}},
		{"turning_14", []string{"doc.birth_cert", "doc.parent_id", "doc.parents_marriage", "doc.custody_consent_if", "doc.payment_if_due"}},
		{"residence_mention", []string{"doc.application", "doc.current_id", "doc.host_id", "doc.residence_proof"}},
		{"domicile_from_abroad", []string{"doc.application", "doc.birth_cert", "doc.civil_status_certs", "doc.children_birth_certs",
			"doc.address_proof", "doc.ro_passport_or_citizenship", "doc.foreign_id", "doc.other_parent_consent_if", "doc.payment"}},
		{"cip_abroad", []string{"doc.application", "doc.passport_abroad", "doc.ro_civil_status", "doc.divorce_if", "doc.residence_proof", "doc.photos", "doc.payment"}},
		{"cip_no_domicile", []string{"doc.application", "doc.birth_cert", "doc.civil_status_certs", "doc.children_birth_certs", "doc.photos", "doc.payment"}},
		{"citizenship_acquired", []string{"doc.citizenship_cert", "doc.birth_cert", "doc.residence_permit", "doc.photo_id",
			"doc.domicile_proof_30d", "doc.host_consent_if", "doc.ro_civil_status"}},
	}
	for _, tt := range tests {
		got := documents[tt.reason]
		for _, d := range tt.want {
			if !slices.Contains(got, d) {
				t.Errorf("%s: no %s in %v", tt.reason, d, got)
			}
		}
	}
	if PickupHandIn("citizenship_acquired") != "help.pickup_permit" || PickupHandIn("expiry") != "" {
		t.Error("only a new citizen hands in the residence permit at pickup")
	}
}

// TestCards: a CIP only for the two reasons seed 002 issues one for (and
// then only it), no CIS under 14 or for a child's reason, no card for a
// residence visa; a chosen CIP stays a CIP for its reasons and is refused
// for any other (issue 14).
func TestCards(t *testing.T) {
	tests := []struct {
		reason string
		age    int
		cards  []string
	}{
		{"expiry", -1, []string{CEI, CIS}},
		{"expiry", 40, []string{CEI, CIS}},
		{"lost", 13, []string{CEI}},
		{"turning_14", 14, []string{CEI, CIS}},
		{"child_under_14", -1, []string{CEI}},
		{"cip_abroad", -1, []string{CIP}},
		{"cip_no_domicile", 30, []string{CIP}},
		{"residence_mention", 30, nil},
	}
	for _, tt := range tests {
		if got := Cards(tt.reason, tt.age); !slices.Equal(got, tt.cards) {
			t.Errorf("Cards(%s, %d) = %v, want %v", tt.reason, tt.age, got, tt.cards)
		}
	}
}

func TestCheckCard(t *testing.T) {
	tests := []struct {
		reason, doc string
		age         int
		err         error
		document    string // DocumentFor when allowed
	}{
		{"expiry", "", -1, nil, CEI},
		{"expiry", CEI, -1, nil, CEI},
		{"expiry", CIS, -1, nil, CIS},
		{"cip_abroad", CIP, -1, nil, CIP},
		{"cip_no_domicile", CIP, 30, nil, CIP},
		{"cip_abroad", "", -1, nil, CIP},
		{"expiry", CIP, -1, ErrCardNotForReason, ""},
		{"lost", CIP, 40, ErrCardNotForReason, ""},
		{"cip_abroad", CEI, -1, ErrCardNotForReason, ""},
		{"cip_abroad", CIS, -1, ErrCardNotForReason, ""},
		{"child_under_14", CIS, -1, ErrCardNotForReason, ""},
		{"expiry", CIS, 13, ErrCardNotForReason, ""},
		{"residence_mention", CEI, -1, ErrCardNotForReason, ""},
		{"residence_mention", "", -1, nil, Residence},
		{"expiry", "passport", -1, ErrCardUnknown, ""},
	}
	for _, tt := range tests {
		err := CheckCard(tt.reason, tt.doc, tt.age)
		if !errors.Is(err, tt.err) || tt.err == nil && err != nil {
			t.Errorf("CheckCard(%s, %q, %d) = %v, want %v", tt.reason, tt.doc, tt.age, err, tt.err)
			continue
		}
		if err == nil {
			if got := DocumentFor(tt.reason, tt.doc); got != tt.document {
				t.Errorf("DocumentFor(%s, %q) = %s, want %s", tt.reason, tt.doc, got, tt.document)
			}
		}
	}
}
