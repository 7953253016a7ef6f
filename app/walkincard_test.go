package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
)

// walkInSelects are the walk-in form's drop-downs: the reason, the card.
func walkInSelects(t *testing.T, o fyne.CanvasObject) (reason, card *scanSelect) {
	t.Helper()
	var got []*scanSelect
	for _, w := range test.LaidOutObjects(o) {
		if s, ok := w.(*scanSelect); ok {
			got = append(got, s)
		}
	}
	if len(got) != 2 {
		t.Fatalf("the walk-in form has %d drop-downs, want the reason and the card", len(got))
	}
	return got[0], got[1]
}

// TestWalkInAsksTheCard: the walk-in form (Ctrl+W) asks the card too,
// offering those the reason allows (a CEI by default or a CIS, the CIP
// alone for a CIP reason, no card for a residence visa), reached and
// chosen by the keyboard; the card chosen is the booking's, and the
// checklist on the card is that card's (issue 14).
func TestWalkInAsksTheCard(t *testing.T) {
	f := newFixture(t)
	f.d.Cal = calendar.Default()
	f.now = time.Date(2026, 11, 26, 9, 15, 0, 0, f.now.Location()) // Thursday: every walk-in service open
	tests := []struct {
		name, reason string   // the reason's label (Romanian)
		cards        []string // offered
		enabled      bool
		right        bool   // Tab to the card, then the right arrow: the next card
		document     string // the booking's
		help         string // on the checklist
	}{
		{"Pop Ion", "Pierdere, furt sau deteriorare", []string{"Carte electronică de identitate (CEI)", "Carte de identitate simplă (CIS)"}, true, false, "cei", "Taxă: 70 de lei"},
		{"Pop Ana", "Pierdere, furt sau deteriorare", []string{"Carte electronică de identitate (CEI)", "Carte de identitate simplă (CIS)"}, true, true, "cis", "Taxă: 40 de lei (la CEC Bank"},
		{"Lupu Eva", "CIP: domiciliu în străinătate", []string{"Carte de identitate provizorie (CIP)"}, false, false, "cip", "Taxă: 1 leu (se plătește la primărie)"},
		{"Moga Dan", "Copil sub 14 ani", []string{"Carte electronică de identitate (CEI)"}, false, false, "cei", "Taxă: 70 de lei"},
		{"Stan Ana", "Mențiune de reședință", []string{"Viză de reședință (mențiune în actul de identitate)"}, false, false, "", "Taxă: nu (fără taxă"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.shortcut(fyne.KeyW)
			if f.overlays() != 1 {
				t.Fatalf("%d dialogs", f.overlays())
			}
			c := f.c.win.Canvas()
			name := c.Focused().(*scanEntry)
			reason, card := walkInSelects(t, c.Overlays().Top())
			if !slices.Contains(reason.Options, tt.reason) {
				t.Fatalf("no reason %q in %v", tt.reason, reason.Options)
			}
			reason.SetSelected(tt.reason)
			if !slices.Equal(card.Options, tt.cards) || card.Selected != tt.cards[0] || card.Disabled() == tt.enabled {
				t.Fatalf("cards %v (%q chosen, disabled %v), want %v", card.Options, card.Selected, card.Disabled(), tt.cards)
			}
			name.SetText(tt.name)
			if tt.right {
				tab := c.(interface{ FocusNext() }).FocusNext
				tab()
				tab()
				if c.Focused() != card {
					t.Fatalf("two Tabs from the name: %T has the focus, not the card", c.Focused())
				}
				f.press(c, fyne.KeyRight)
				c.Focus(name)
			}
			name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			if f.overlays() != 0 || f.state(tt.name) != store.Present {
				t.Fatalf("not registered: %d dialogs, %s, card %q", f.overlays(), f.state(tt.name), f.c.card.title.Text)
			}
			ws, _ := f.d.DB.PendingWalkIns(t.Context(), -1)
			i := slices.IndexFunc(ws, func(b store.Booking) bool { return b.Name == tt.name })
			if i < 0 || ws[i].Document != tt.document {
				t.Fatalf("the booking's card: %+v, want %q", ws, tt.document)
			}
			if !strings.Contains(f.c.card.help.Text, tt.help) {
				t.Fatalf("no %q in the checklist:\n%s", tt.help, f.c.card.help.Text)
			}
		})
	}
}
