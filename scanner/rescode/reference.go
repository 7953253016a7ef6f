package rescode

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// A short reference stands for a booking when its code cannot be scanned:
// a clerk types it from the e-mail or from what the citizen reads out. It
// is the booking ID enciphered under the office (a keyed permutation, so
// two bookings of an office never share a reference, and the counter reads
// the ID back without storing anything), written in the code's alphabet,
// followed by a check digit that catches every single wrong character and
// every swap of two characters. See docs/reservation-code.md, "Short
// reference". A reference is not a credential: anyone who knows the office
// and a booking ID can make it, and the clerk checks the identity document
// as for any arrival.

// Why a typed reference is refused.
var (
	// ErrNotAReference: the text does not have a reference's form at all.
	ErrNotAReference = errors.New("not a booking reference")
	// ErrReferenceTypo: the text has a reference's characters, but its
	// check digit or its length is wrong: a character was mistyped,
	// swapped, left out or added.
	ErrReferenceTypo = errors.New("booking reference with a typo")
)

// refTier is a reference length: booking IDs below 2^bits are written in
// digits Base32 digits, plus the check digit. Real IDs take the first.
type refTier struct{ digits, bits int }

var refTiers = []refTier{{7, 35}, {8, 40}, {13, 64}}

// Reference lengths, check digit included: 8 for booking IDs below 2^35,
// 9 below 2^40, 14 for the rest.
const (
	MinReference = 8
	MaxReference = 14
)

// feistelRounds of the permutation; each round mixes one half into the other.
const feistelRounds = 6

// refKey is the permutation's round keys for an office.
type refKey [feistelRounds]uint64

func officeKey(office string) refKey {
	sum := sha256.Sum256([]byte("ghiseu booking reference v1\x00" + office))
	var k refKey
	for i := range k {
		k[i] = binary.BigEndian.Uint64(sum[(i*8)%len(sum):]) ^ uint64(i)*0x9e3779b97f4a7c15
	}
	return k
}

// mix is the round function: SplitMix64's finaliser of x under key k.
func mix(k, x uint64) uint64 {
	x ^= k
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// permute enciphers x, below 2^bits, into another number below 2^bits: a
// balanced Feistel network on the even number of bits at or above bits,
// repeated while the result falls outside the domain (cycle walking), which
// keeps it a permutation of [0, 2^bits).
func (k refKey) permute(x uint64, bits int) uint64 {
	half := uint((bits + 1) / 2)
	mask := uint64(1)<<half - 1
	for {
		l, r := x>>half, x&mask
		for _, rk := range k {
			l, r = r, l^mix(rk, r)&mask
		}
		x = l<<half | r
		if bits == 64 || x < uint64(1)<<bits {
			return x
		}
	}
}

// unpermute is permute's inverse.
func (k refKey) unpermute(x uint64, bits int) uint64 {
	half := uint((bits + 1) / 2)
	mask := uint64(1)<<half - 1
	for {
		l, r := x>>half, x&mask
		for i := len(k) - 1; i >= 0; i-- {
			l, r = r^mix(k[i], l)&mask, l
		}
		x = l<<half | r
		if bits == 64 || x < uint64(1)<<bits {
			return x
		}
	}
}

// Reference is the short reference of booking bookingID at office: 8
// characters for any real booking ID (below 2^35), the last a check digit.
func Reference(office string, bookingID uint64) string {
	t := refTiers[len(refTiers)-1]
	for _, tt := range refTiers {
		if tt.bits == 64 || bookingID < uint64(1)<<tt.bits {
			t = tt
			break
		}
	}
	return spell(officeKey(office).permute(bookingID, t.bits), t.digits)
}

// spell writes x in n digits and the check digit.
func spell(x uint64, n int) string {
	out := make([]byte, n, n+1)
	for i := n - 1; i >= 0; i-- {
		out[i] = alphabet[x&31]
		x >>= 5
	}
	return string(append(out, alphabet[checkDigit(out)]))
}

// ReferenceOf is Reference for a booking ID as the store keeps it, in
// decimal; "" for an ID that is not a number (a walk-in's).
func ReferenceOf(office, bookingID string) string {
	var id uint64
	if bookingID == "" || len(bookingID) > 20 {
		return ""
	}
	for i := 0; i < len(bookingID); i++ {
		c := bookingID[i]
		if c < '0' || c > '9' || id > (1<<64-1-uint64(c-'0'))/10 {
			return ""
		}
		id = id*10 + uint64(c-'0')
	}
	return Reference(office, id)
}

// ParseReference reads a typed reference: case, spaces and dashes do not
// matter. It returns the reference as Reference writes it, or the error
// ErrNotAReference, or ErrReferenceTypo for text of the code's alphabet
// whose check digit or length is wrong. It does not say whose it is: see
// ReferenceBooking.
func ParseReference(text string) (string, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(text)))
	_, short := tierOf(len(s) + 1)
	_, long := tierOf(len(s) - 1)
	if _, ok := tierOf(len(s)); !ok && !short && !long { // not even one character left out or added
		return "", fmt.Errorf("%q: %w", text, ErrNotAReference)
	}
	for i := 0; i < len(s); i++ {
		if digitOf[s[i]] < 0 {
			return "", fmt.Errorf("%q: %w", text, ErrNotAReference)
		}
	}
	if _, ok := tierOf(len(s)); !ok || checkDigit([]byte(s[:len(s)-1])) != digitOf[s[len(s)-1]] {
		return "", fmt.Errorf("%q: %w", text, ErrReferenceTypo)
	}
	return s, nil
}

func tierOf(length int) (refTier, bool) {
	for _, t := range refTiers {
		if t.digits+1 == length {
			return t, true
		}
	}
	return refTier{}, false
}

// ReferenceBooking is the booking ID that ref, as ParseReference returns
// it, stands for at office; false when office never issues ref (another
// office's reference, or a spelling Reference does not write).
func ReferenceBooking(office, ref string) (uint64, bool) {
	t, ok := tierOf(len(ref))
	if !ok {
		return 0, false
	}
	var x uint64
	for i := 0; i < t.digits; i++ {
		d := digitOf[ref[i]]
		if d < 0 || (t.bits == 64 && i == 0 && d > 15) { // 13 digits hold 65 bits
			return 0, false
		}
		x = x<<5 | uint64(d)
	}
	if t.bits < 64 && x >= uint64(1)<<t.bits {
		return 0, false
	}
	id := officeKey(office).unpermute(x, t.bits)
	return id, Reference(office, id) == strings.ToUpper(ref)
}

// checkDigit is the value of the digit that makes the weighted sum of all
// the digits zero in GF(32): digit i from the right (the check digit is 0)
// weighs α^i, α a generator of the field. The weights are distinct and not
// zero, so a single wrong digit or two digits swapped, adjacent or not,
// always change the sum.
func checkDigit(data []byte) int8 {
	var sum, w byte = 0, 1
	for i := len(data) - 1; i >= 0; i-- {
		w = gfMul(w, 2)
		sum ^= gfMul(w, byte(digitOf[data[i]]))
	}
	return int8(sum)
}

// gfMul multiplies in GF(32) = GF(2)[x]/(x^5 + x^2 + 1).
func gfMul(a, b byte) byte {
	var p byte
	for ; b != 0; b >>= 1 {
		if b&1 != 0 {
			p ^= a
		}
		a <<= 1
		if a&32 != 0 {
			a ^= 0x25
		}
	}
	return p
}
