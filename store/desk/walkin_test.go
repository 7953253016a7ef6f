package desk

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/rules"
)

// TestWalkInCard: a walk-in records the card chosen (CEI by default, a
// CIS, a CIP only for its reasons), the checklist is that card's (fee,
// where), and the card travels with the walk-in's booking to the hub; a
// card the reason does not allow is refused (issue 14).
func TestWalkInCard(t *testing.T) {
	ctx := context.Background()
	d, _ := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	thursday := time.Date(2026, 11, 26, 9, 30, 0, 0, bucharest) // both walk-in services open
	d.Now = func() time.Time { return thursday }
	tests := []struct {
		name, reason, document string
		err                    error
		stored, card           string // the booking's Document, the checklist's card
		fee                    int
	}{
		{"Pop Ion", "lost", "", nil, "", rules.CEI, 70},
		{"Pop Ana", "lost", rules.CEI, nil, rules.CEI, rules.CEI, 70},
		{"Rusu Dan", "lost", rules.CIS, nil, rules.CIS, rules.CIS, 40},
		{"Lupu Eva", "cip_abroad", rules.CIP, nil, rules.CIP, rules.CIP, 1},
		{"Lupu Ion", "cip_no_domicile", "", nil, "", rules.CIP, 1},
		{"Moga Ana", "residence_mention", "", nil, "", rules.Residence, 0},
		{"Stan Ion", "lost", rules.CIP, ErrWalkInCard, "", "", 0},
		{"Stan Ana", "cip_abroad", rules.CEI, ErrWalkInCard, "", "", 0},
		{"Stan Eva", "child_under_14", rules.CIS, ErrWalkInCard, "", "", 0},
		{"Stan Dan", "residence_mention", rules.CEI, ErrWalkInCard, "", "", 0},
		{"Stan Rus", "lost", "passport", ErrWalkInCard, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := d.WalkInCard(ctx, tt.name, tt.reason, tt.document)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("WalkInCard(%s, %q) = %v, want %v", tt.reason, tt.document, err, tt.err)
				}
				return
			}
			if err != nil || v.Booking == nil || v.Help == nil {
				t.Fatalf("walk-in: %+v, %v", v, err)
			}
			if v.Booking.Document != tt.stored || v.Help.Document != tt.card || v.Help.FeeLei != tt.fee {
				t.Fatalf("booking's card %q, checklist %s %d lei; want %q, %s %d", v.Booking.Document, v.Help.Document, v.Help.FeeLei, tt.stored, tt.card, tt.fee)
			}
			ws, _ := d.DB.PendingWalkIns(ctx, -1)
			i := slices.IndexFunc(ws, func(w store.Booking) bool { return w.ID == v.Booking.ID })
			if i < 0 || ws[i].Document != tt.stored {
				t.Fatalf("the walk-in sent to the hub: %+v", ws)
			}
		})
	}
	if got := d.WalkInCards("cip_abroad"); !slices.Equal(got, []string{rules.CIP}) {
		t.Errorf("WalkInCards(cip_abroad) = %v", got)
	}
}
