package rescode_test

import (
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/qr"
	"github.com/ghiseu/ghiseu/scanner/rescode"
)

// TestQRVersion checks the size docs/reservation-code.md promises: with a
// 13-character office ID a code is 153 characters and fits QR version 6
// (41×41 modules) at level M in alphanumeric mode; with the longest office
// ID, version 7 (45×45).
func TestQRVersion(t *testing.T) {
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	for _, tc := range []struct {
		office  string
		length  int
		version int
	}{
		{"TM-DUMBRAVITA", 153, 6},
		{strings.Repeat("X", rescode.MaxOffice), 158, 7},
	} {
		code, err := rescode.Issue(key, rescode.Claims{KeyID: 1, BookingID: 1<<64 - 1, Office: tc.office,
			SlotStart: time.Date(2026, 11, 25, 8, 20, 0, 0, time.UTC), SlotMinutes: 20, Kind: rescode.Pickup})
		if err != nil {
			t.Fatal(err)
		}
		v, mode, err := qr.Version(code)
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != tc.length || v != tc.version || mode != "ALPHANUMERIC" {
			t.Errorf("office %q: %d characters, QR version %d in %s mode; want %d, %d, ALPHANUMERIC",
				tc.office, len(code), v, mode, tc.length, tc.version)
		}
	}
}
