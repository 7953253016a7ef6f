// Package rescode defines the reservation code: the text inside the QR code
// the booking system e-mails to the citizen. Everything that knows the code's
// format lives here, so the format can change behind Parse and New.
package rescode

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
)

// prefix marks a Ghișeu token; the rest is tokenLen characters of alphabet.
const (
	prefix   = "GH"
	tokenLen = 16
	// alphabet avoids characters that keyboard layouts move about (Y, Z, 0)
	// and ones people confuse when typing a code by hand (I, O, 1).
	alphabet = "ABCDEFGHJKLMNPQRSTUVWX23456789"
)

// ErrNotACode says that a scanned text is not a reservation code at all.
var ErrNotACode = errors.New("not a reservation code")

// Ref is what a parsed code tells the counter: the key to find the booking.
type Ref struct {
	Key string // the normalised code text, as stored with the booking
}

// Parse reads a scanned or typed code. Case does not matter (Caps Lock), nor
// spaces or dashes a person may type between groups.
func Parse(text string) (Ref, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(text)))
	if len(s) != len(prefix)+tokenLen || !strings.HasPrefix(s, prefix) {
		return Ref{}, fmt.Errorf("parse %q: %w", text, ErrNotACode)
	}
	for _, r := range s[len(prefix):] {
		if !strings.ContainsRune(alphabet, r) {
			return Ref{}, fmt.Errorf("parse %q: character %q: %w", text, r, ErrNotACode)
		}
	}
	return Ref{Key: s}, nil
}

// New makes a fresh random code.
func New() string {
	var buf [tokenLen]byte
	rand.Read(buf[:])
	out := []byte(prefix)
	for _, b := range buf {
		out = append(out, alphabet[int(b)%len(alphabet)])
	}
	return string(out)
}
