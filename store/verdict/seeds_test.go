package verdict

import (
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
)

// TestChecklistOfTheSeeds: the clerk's checklist says the card applied for
// and where, the CIS and CIP fees, the address rule on a domicile change,
// the child's handover at pickup and when the card can be collected, here
// or at another office (issue 14, rules 2 to 5).
func TestChecklistOfTheSeeds(t *testing.T) {
	with := func(edit func(*store.Booking)) func(*store.Booking, *rescode.Claims) {
		return func(b *store.Booking, _ *rescode.Claims) { edit(b) }
	}
	tests := []struct {
		name     string
		scan     scan
		has, not []string // English lines
	}{
		// Applied for on Monday 23 Nov: issued 3 to 7 Dec, collectable two
		// working days later (7 to 9 Dec), and Dumbrăvița hands cards
		// over only on Fridays: both ends fall to Friday 11 Dec.
		{"a CEI", booked(23, 10, 10), []string{"Electronic identity card (CEI): may be applied for at any ID office",
			"The card can be collected from about 11 Dec 2026 (issued in 10–14 days)."}, []string{"New domicile", "Pickup at", "to 11 Dec"}},
		{"a CIS", booked(23, 10, 10, with(func(b *store.Booking) { b.Document = "cis" })),
			[]string{"Simple identity card (CIS): may be applied for only at the ID office of the domicile", "Fee: 40 lei (at CEC Bank"}, nil},
		{"a CIS for a child", booked(23, 10, 10, with(func(b *store.Booking) { b.Document, b.BirthDate, b.Reason = "cis", "2016-01-01", "child_under_14" })),
			[]string{"⚠ No simple identity card (CIS) under 14"}, nil},
		{"a CIP", booked(23, 10, 10, with(func(b *store.Booking) { b.Reason = "cip_abroad" })),
			[]string{"Provisional identity card (CIP): may be applied for only at the ID office of the domicile", "Fee: 1 leu (paid at the town hall)"}, nil},
		{"a residence visa: no card, no fee", booked(23, 10, 10, with(func(b *store.Booking) { b.Reason = "residence_mention" })),
			[]string{"Residence visa (a mention in the current identity document): may be applied for only at the ID office of the domicile", "Fee: none (no fee: a mention in the current ID)"},
			[]string{"New card", "fingerprints", "can be collected"}},
		{"a domicile change", booked(23, 10, 10, with(func(b *store.Booking) { b.Reason = "domicile_change" })),
			[]string{"New domicile: if more than 10 people are already registered"}, nil},
		// Applied for on Friday 20 Nov: 30 Nov and 1 Dec are holidays, so
		// the ends are Thursday 3 Dec and Tuesday 8 Dec, moved to Fridays 4
		// and 11 Dec.
		{"a CEI whose range spans two Fridays", booked(20, 10, 10), []string{"The card can be collected from about 4 Dec 2026 to 11 Dec 2026 (issued"}, nil},
		{"collected at another office", booked(23, 10, 10, with(func(b *store.Booking) { b.PickupOffice = "CJ-CLUJ" })),
			[]string{"Pickup at CJ-CLUJ: 10 working days later, from about 21 Dec 2026 to 23 Dec 2026"}, []string{"The card can be collected"}},
		{"a child's card at pickup", booked(23, 10, 10, pickup("2026-11-18")),
			[]string{"Child under 14: the card is handed to one parent or the legal representative; one is enough"}, []string{"both parents (or"}},
		{"originals", booked(23, 10, 10), []string{"Documents in the original (certified copies are not accepted):\n☐ Current identity document"}, nil},
		{"a new citizen's card at pickup", booked(23, 10, 10, pickup("2026-11-18"), with(func(b *store.Booking) { b.BirthDate, b.Reason = "1980-01-01", "citizenship_acquired" })),
			[]string{"Hands in the residence permit"}, nil},
		{"an adult's card at pickup", booked(23, 10, 10, pickup("2026-11-18"), with(func(b *store.Booking) { b.BirthDate = "1980-01-01" })),
			nil, []string{"Child under 14"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := testCtx
			if day := tt.scan.local.SlotStart; day.Day() != monday.Day() {
				ctx.Now = time.Date(day.Year(), day.Month(), day.Day(), 10, 12, 0, 0, loc)
			}
			v := Judge(ctx, tt.scan.claims, tt.scan.local, tt.scan.state)
			lines := strings.Join(v.Message(i18n.English).Help, "\n")
			for _, s := range tt.has {
				if !strings.Contains(lines, s) {
					t.Errorf("no %q in\n%s", s, lines)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(lines, s) {
					t.Errorf("%q in\n%s", s, lines)
				}
			}
		})
	}
}

// TestPickupHelp: a pickup's checklist (its --json "help") holds only what
// the hand-over needs, as its text does: not the application's documents,
// fee, escort, fingerprints or validity (a child's card is handed to one
// parent, not signed for by both; issue 14).
func TestPickupHelp(t *testing.T) {
	with := func(edit func(*store.Booking)) func(*store.Booking, *rescode.Claims) {
		return func(b *store.Booking, _ *rescode.Claims) { edit(b) }
	}
	tests := []struct {
		name     string
		scan     scan
		handover string
	}{
		{"a child's card", booked(23, 10, 10, pickup("2026-11-18"), with(func(b *store.Booking) { b.Reason = "child_under_14" })), "help.pickup_minor"},
		{"an adult's card", booked(23, 10, 10, pickup("2026-11-18"), with(func(b *store.Booking) { b.BirthDate = "1980-01-01" })), ""},
		{"a new citizen's card", booked(23, 10, 10, pickup("2026-11-18"), with(func(b *store.Booking) { b.BirthDate, b.Reason = "1980-01-01", "citizenship_acquired" })), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(testCtx, tt.scan.claims, tt.scan.local, tt.scan.state)
			if v.Name != Ready || v.Help == nil {
				t.Fatalf("%s, help %v", v.Name, v.Help)
			}
			h := *v.Help
			if len(h.Documents) != 0 || h.Escort != "" || h.FeeLei != 0 || h.FeeNote != "" || h.Fingerprints ||
				h.ValidYears != 0 || !h.ValidUntil.IsZero() || len(h.Warnings) != 0 || h.Handover != tt.handover {
				t.Fatalf("a pickup's help has the application's rules: %+v", h)
			}
		})
	}
	intake := Judge(testCtx, booked(23, 10, 10).claims, booked(23, 10, 10).local, store.Derived{State: store.Expected})
	if intake.Help == nil || len(intake.Help.Documents) == 0 || intake.Help.FeeNote == "" {
		t.Fatalf("an intake lost its checklist: %+v", intake.Help)
	}
}

// TestReadyOnOneDayInRomanian: a range whose two ends fall to the same
// pickup day is said as one date, in Romanian too.
func TestReadyOnOneDayInRomanian(t *testing.T) {
	s := booked(23, 10, 10)
	v := Judge(testCtx, s.claims, s.local, s.state)
	lines := strings.Join(v.Message(i18n.Romanian).Help, "\n")
	if want := "Cartea se poate ridica aproximativ de pe 11 dec. 2026"; !strings.Contains(lines, want) || strings.Contains(lines, "între") {
		t.Fatalf("no %q (or a range) in\n%s", want, lines)
	}
}
