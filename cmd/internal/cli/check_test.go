package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store/demo"
)

// TestCheckOfAnUnlistedCode checks a valid code the local list lacks: the
// verdict is amber, and in either language the output neither claims an
// arrival was recorded nor shows a raw placeholder; and nothing is
// recorded.
func TestCheckOfAnUnlistedCode(t *testing.T) {
	db := newDemo(t) // check opens it read-only: it must exist
	loc, _ := time.LoadLocation("Europe/Bucharest")
	code, err := rescode.Issue(demo.SigningKey(), rescode.Claims{KeyID: demo.KeyID, BookingID: 999,
		Office: demo.Calendar().Office, SlotStart: time.Date(2026, 11, 23, 8, 30, 0, 0, loc), SlotMinutes: 20, Kind: rescode.Intake})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lang, recorded string }{{"en", "recorded"}, {"ro", "înregistrat"}}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			exit, out, errOut := run(t, db, "check", code, "--at", "2026-11-23 08:25", "--lang", tt.lang)
			if exit != ExitRefused || !strings.HasPrefix(out, "AMBER: ") {
				t.Fatalf("exit %d, output %q (%s); want %d and an amber verdict", exit, out, errOut, ExitRefused)
			}
			if strings.ContainsAny(out, "{}") || strings.Contains(strings.ToLower(out), tt.recorded) {
				t.Fatalf("check says:\n%s", out)
			}
		})
	}
	_, out, _ := run(t, db, "list", "--json", "--day", "2026-11-23", "--at", "2026-11-23 08:26")
	if strings.Contains(out, `"id": "999"`) {
		t.Fatalf("check recorded the unlisted booking:\n%s", out)
	}
}
