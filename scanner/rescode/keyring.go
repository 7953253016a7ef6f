package rescode

import (
	"crypto/ed25519"
	"time"
)

// Key is one of the booking system's public keys, as the counter holds it.
// A key vouches for codes whose slot falls in [From, Until); a zero Until
// means no end. Keys rotate by overlapping periods: the booking system signs
// with the new key while codes signed with the old one stay good until their
// slots have passed.
type Key struct {
	ID     uint8
	Public ed25519.PublicKey
	From   time.Time
	Until  time.Time
}

func (k Key) covers(t time.Time) bool {
	return !t.Before(k.From) && (k.Until.IsZero() || t.Before(k.Until))
}

// Keyring is the set of keys a counter trusts.
type Keyring []Key

func (r Keyring) find(id uint8) (Key, bool) {
	for _, k := range r {
		if k.ID == id && len(k.Public) == ed25519.PublicKeySize {
			return k, true
		}
	}
	return Key{}, false
}
