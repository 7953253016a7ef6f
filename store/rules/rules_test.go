package rules

import (
	"reflect"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
)

func date(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestFor(t *testing.T) {
	day := date("2026-11-23")
	tests := []struct {
		name, reason, born string
		age                int
		fee                int
		feeNote, escort    string
		prints             bool
		years              int
		unlimited          bool
	}{
		{"baby", "child_under_14", "2025-12-01", 0, 70, "fee.cec", "escort.both_parents", false, 2, false},
		{"two exactly", "child_under_14", "2024-11-23", 2, 70, "fee.cec", "escort.both_parents", false, 4, false},
		{"eleven", "child_under_14", "2015-06-01", 11, 70, "fee.cec", "escort.both_parents", false, 4, false},
		{"twelve: fingerprints", "child_under_14", "2014-11-23", 12, 70, "fee.cec", "escort.both_parents", true, 4, false},
		{"13, turning 14 in 30 days: free", "turning_14", "2012-12-23", 13, 0, "fee.free_near_14", "escort.one_parent", true, 4, false},
		{"13, turning 14 in 31 days: pays", "turning_14", "2012-12-24", 13, 70, "fee.cec", "escort.one_parent", true, 4, false},
		{"14: first CEI free, one parent", "turning_14", "2012-11-23", 14, 0, "fee.free_first_cei", "escort.one_parent", true, 5, false},
		{"17", "expiry", "2009-11-24", 16, 0, "fee.free_first_cei", "escort.one_parent", true, 5, false},
		{"18: alone, 10 years", "expiry", "2008-11-23", 18, 0, "fee.free_first_cei", "", true, 10, false},
		{"lost: a new CEI costs", "lost", "1980-01-01", 46, 70, "fee.cec", "", true, 10, false},
		{"69", "expiry", "1957-11-24", 68, 0, "fee.free_first_cei", "", true, 10, false},
		{"70: unlimited", "expiry", "1956-11-23", 70, 0, "fee.free_first_cei", "", true, 0, true},
		{"CIP at the town hall, 1 year", "cip_abroad", "1990-05-05", 36, 1, "fee.town_hall", "", true, 1, false},
		{"unknown birth date", "expiry", "", -1, 70, "fee.age_unknown", "", false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var born time.Time
			if tt.born != "" {
				born = date(tt.born)
			}
			h := For(tt.reason, born, day, DefaultFees)
			got := []any{h.Age, h.FeeLei, h.FeeNote, h.Escort, h.Fingerprints, h.ValidYears, h.Unlimited}
			want := []any{tt.age, tt.fee, tt.feeNote, tt.escort, tt.prints, tt.years, tt.unlimited}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("age, fee, note, escort, prints, years, unlimited = %v, want %v", got, want)
			}
			if tt.years > 0 && !h.ValidUntil.Equal(day.AddDate(tt.years, 0, 0)) {
				t.Fatalf("valid until %v", h.ValidUntil)
			}
			if len(h.Documents) == 0 {
				t.Fatal("no documents to check")
			}
		})
	}
}

func TestEveryReasonHasTranslatedDocuments(t *testing.T) {
	for _, r := range Reasons() {
		docs := documents[r]
		if len(docs) == 0 {
			t.Errorf("reason %s has no documents", r)
		}
		keys := append([]string{"reason." + r}, docs...)
		for _, k := range keys {
			for _, l := range i18n.Langs {
				if !i18n.Has(l, k) {
					t.Errorf("%s: no %s translation for %s", r, l, k)
				}
			}
		}
	}
	for _, k := range []string{"fee.town_hall", "fee.age_unknown", "fee.free_near_14", "fee.cec", "fee.free_first_cei",
		"escort.both_parents", "escort.one_parent"} {
		if !i18n.Has(i18n.Romanian, k) || !i18n.Has(i18n.English, k) {
			t.Errorf("no translation for %s", k)
		}
	}
}

// A free card asks for no proof of payment; one that costs does.
func TestPaymentProofOnlyWhenThereIsAFee(t *testing.T) {
	day := date("2026-11-23")
	free := DefaultFees
	free.CEI = 0
	for _, tt := range []struct {
		name, reason, born string
		fees               Fees
		proof              bool
	}{
		{"13, turning 14 in 30 days: free", "turning_14", "2012-12-23", DefaultFees, false},
		{"13, turning 14 in 31 days: pays", "turning_14", "2012-12-24", DefaultFees, true},
		{"18: first CEI free", "expiry", "2008-11-23", DefaultFees, false},
		{"lost: pays", "lost", "1980-01-01", DefaultFees, true},
		{"child under 14: pays", "child_under_14", "2015-06-01", DefaultFees, true},
		{"child under 14, the office's fee 0", "child_under_14", "2015-06-01", free, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := For(tt.reason, date(tt.born), day, tt.fees)
			proof := false
			for _, d := range h.Documents {
				proof = proof || d == "doc.payment" || d == "doc.payment_if_due"
			}
			if proof != tt.proof || (h.FeeLei > 0) != tt.proof {
				t.Fatalf("fee %d lei, proof of payment listed %v: %v", h.FeeLei, proof, h.Documents)
			}
		})
	}
	if h := For("lost", date("1980-01-01"), day, free); len(documents["lost"]) != 5 || len(h.Documents) != 4 {
		t.Fatalf("the shared table changed: %v", documents["lost"])
	}
}
