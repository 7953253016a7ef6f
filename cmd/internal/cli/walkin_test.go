package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestWalkInCard: `ghiseu walkin --document` records the card chosen, its
// checklist (text and --json alike) is that card's, and a card the reason
// does not allow is refused with a message (issue 14).
func TestWalkInCard(t *testing.T) {
	const thursday = "2026-11-26 09:30" // both walk-in services of the demo office open
	tests := []struct {
		name   string
		args   []string
		exit   int
		card   string // the booking's document in --json
		has    string // a checklist line (English)
		output string // the refusal's words
	}{
		{"a CEI by default", []string{"--name", "Pop Ion", "--reason", "lost"}, ExitOK, "", "Electronic identity card (CEI)", ""},
		{"a CIS", []string{"--name", "Pop Ana", "--reason", "lost", "--document", "cis"}, ExitOK, "cis", "Fee: 40 lei", ""},
		{"a CIP", []string{"--name", "Lupu Eva", "--reason", "cip_abroad", "--document", "cip"}, ExitOK, "cip", "Fee: 1 leu (paid at the town hall)", ""},
		{"a CIP for an expiry", []string{"--name", "Rusu Dan", "--reason", "expiry", "--document", "cip"}, ExitRefused, "", "", "The card chosen does not fit the reason"},
		{"a CIS for a child", []string{"--name", "Rusu Ana", "--reason", "child_under_14", "--document", "cis"}, ExitRefused, "", "", "The card chosen does not fit the reason"},
		{"no such card", []string{"--name", "Rusu Eva", "--reason", "lost", "--document", "passport"}, ExitRefused, "", "", "The card chosen does not fit the reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "g.db")
			args := append([]string{"walkin", "--at", thursday, "--lang", "en"}, tt.args...)
			exit, text, errOut := run(t, db, args...)
			if exit != tt.exit {
				t.Fatalf("exit %d, want %d: %s %s", exit, tt.exit, text, errOut)
			}
			if tt.exit != ExitOK {
				if !strings.Contains(text, tt.output) {
					t.Fatalf("no %q in %q", tt.output, text)
				}
				return
			}
			if !strings.Contains(text, tt.has) {
				t.Errorf("no %q in the text:\n%s", tt.has, text)
			}
			db2 := filepath.Join(t.TempDir(), "g.db")
			exit, out, errOut := run(t, db2, append(args, "--json")...)
			var a struct {
				Booking   struct{ Document string }
				Checklist []string
			}
			if err := json.Unmarshal([]byte(out), &a); err != nil || exit != ExitOK {
				t.Fatalf("--json: %d %v %q %s", exit, err, out, errOut)
			}
			if a.Booking.Document != tt.card || !strings.Contains(strings.Join(a.Checklist, "\n"), tt.has) {
				t.Errorf("--json: card %q, checklist %v; want %q, %q", a.Booking.Document, a.Checklist, tt.card, tt.has)
			}
		})
	}
}
