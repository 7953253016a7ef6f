// Package rescode defines the reservation code, version 1: the text inside
// the QR code the booking system e-mails to the citizen. The code carries
// the booking's identity, signed with Ed25519, so that a counter can judge it
// offline. The format is specified in docs/reservation-code.md; everything
// that knows it lives here.
package rescode

import (
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Prefix starts every code; the rest is Base32 of the signed body.
const Prefix = "GH"

// Version is the code format this package writes.
const Version = 1

// Kind is what the booking is for.
type Kind byte

// Booking kinds, as carried in the code.
const (
	Intake Kind = 1
	Pickup Kind = 2
)

// Claims is what a code says about its booking.
type Claims struct {
	Version     int
	KeyID       uint8     // which booking-system key signed it
	BookingID   uint64    // the booking system's ID
	Office      string    // the office's ID, at most MaxOffice bytes of ASCII
	SlotStart   time.Time // to the minute
	SlotMinutes int       // 1..255
	Kind        Kind
}

// MaxOffice is the longest office ID a code can carry.
const MaxOffice = 16

// Why a code is refused. ErrNotACode: the text is not a Ghișeu code at all;
// every other error means a code that looks like ours but cannot be trusted.
var (
	ErrNotACode   = errors.New("not a reservation code")
	ErrTruncated  = errors.New("truncated or damaged code")
	ErrVersion    = errors.New("unsupported code version")
	ErrUnknownKey = errors.New("signed with an unknown key")
	ErrKeyExpired = errors.New("signed with a key not valid for the slot's date")
	ErrForged     = errors.New("signature does not match: forged or altered code")
)

// signContext separates these signatures from any other use of the keys.
const signContext = "ghiseu reservation code v1\x00"

// payload layout, version 1 (big-endian):
//
//	0      version (1)
//	1      key ID
//	2..9   booking ID
//	10..13 slot start, Unix minutes
//	14     slot length, minutes
//	15     kind (1 intake, 2 pickup)
//	16     office ID length n
//	17..   office ID, n bytes of ASCII
//
// followed by the 64-byte Ed25519 signature of signContext + payload.
const fixedLen = 17

func (c Claims) payload() ([]byte, error) {
	switch {
	case len(c.Office) == 0 || len(c.Office) > MaxOffice:
		return nil, fmt.Errorf("office ID %q: want 1 to %d bytes", c.Office, MaxOffice)
	case !isASCII(c.Office):
		return nil, fmt.Errorf("office ID %q: want ASCII", c.Office)
	case c.SlotMinutes < 1 || c.SlotMinutes > 255:
		return nil, fmt.Errorf("slot length %d: want 1 to 255 minutes", c.SlotMinutes)
	case c.Kind != Intake && c.Kind != Pickup:
		return nil, fmt.Errorf("kind %d: want intake or pickup", c.Kind)
	case c.SlotStart.Unix() < 0 || c.SlotStart.Unix()/60 > 1<<32-1:
		return nil, fmt.Errorf("slot start %v out of range", c.SlotStart)
	}
	p := make([]byte, fixedLen, fixedLen+len(c.Office))
	p[0] = Version
	p[1] = c.KeyID
	binary.BigEndian.PutUint64(p[2:], c.BookingID)
	binary.BigEndian.PutUint32(p[10:], uint32(c.SlotStart.Unix()/60))
	p[14] = byte(c.SlotMinutes)
	p[15] = byte(c.Kind)
	p[16] = byte(len(c.Office))
	return append(p, c.Office...), nil
}

func parsePayload(p []byte) (Claims, error) {
	if len(p) < fixedLen || len(p) != fixedLen+int(p[16]) {
		return Claims{}, ErrTruncated
	}
	c := Claims{
		Version:     int(p[0]),
		KeyID:       p[1],
		BookingID:   binary.BigEndian.Uint64(p[2:]),
		SlotStart:   time.Unix(int64(binary.BigEndian.Uint32(p[10:]))*60, 0).UTC(),
		SlotMinutes: int(p[14]),
		Kind:        Kind(p[15]),
		Office:      string(p[fixedLen:]),
	}
	if c.SlotMinutes == 0 || (c.Kind != Intake && c.Kind != Pickup) || c.Office == "" || !isASCII(c.Office) {
		return Claims{}, ErrTruncated
	}
	return c, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// Issue makes the code for a booking, signed with the booking system's key.
func Issue(key ed25519.PrivateKey, c Claims) (string, error) {
	p, err := c.payload()
	if err != nil {
		return "", fmt.Errorf("issue code for booking %d: %w", c.BookingID, err)
	}
	sig := ed25519.Sign(key, append([]byte(signContext), p...))
	return Prefix + encode(append(p, sig...)), nil
}

// Parse reads a scanned or typed code and verifies it against the keyring.
// Case and the spaces or dashes a person may type do not matter. The claims
// are returned only with a nil error.
func Parse(text string, keys Keyring) (Claims, error) {
	body, err := unwrap(text)
	if err != nil {
		return Claims{}, err
	}
	if body[0] != Version {
		return Claims{}, fmt.Errorf("code version %d: %w", body[0], ErrVersion)
	}
	if len(body) < fixedLen+ed25519.SignatureSize {
		return Claims{}, ErrTruncated
	}
	p, sig := body[:len(body)-ed25519.SignatureSize], body[len(body)-ed25519.SignatureSize:]
	c, err := parsePayload(p)
	if err != nil {
		return Claims{}, err
	}
	k, ok := keys.find(c.KeyID)
	if !ok {
		return Claims{}, fmt.Errorf("key %d: %w", c.KeyID, ErrUnknownKey)
	}
	if !ed25519.Verify(k.Public, append([]byte(signContext), p...), sig) {
		return Claims{}, ErrForged
	}
	if !k.covers(c.SlotStart) {
		return Claims{}, fmt.Errorf("key %d, slot %s: %w", c.KeyID, c.SlotStart.Format(time.DateOnly), ErrKeyExpired)
	}
	return c, nil
}

// unwrap checks the prefix and alphabet and decodes the body.
func unwrap(text string) ([]byte, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(text)))
	if !strings.HasPrefix(s, Prefix) || len(s) == len(Prefix) {
		return nil, ErrNotACode
	}
	body, ok, exact := decode(s[len(Prefix):])
	if !ok {
		return nil, ErrNotACode
	}
	if !exact || len(body) == 0 {
		return nil, ErrTruncated
	}
	return body, nil
}

// Whole reports whether text has the form of a whole Ghișeu code (prefix,
// alphabet, and room for the claims and a signature), whether or not it
// verifies: what a scanner reads, never a word a person would choose.
func Whole(text string) bool {
	body, err := unwrap(text)
	return err == nil && len(body) >= fixedLen+ed25519.SignatureSize
}

// Looks reports whether text has the form of a Ghișeu code (prefix and
// alphabet), whether or not it verifies.
func Looks(text string) bool {
	_, err := unwrap(text)
	return err == nil || errors.Is(err, ErrTruncated)
}
