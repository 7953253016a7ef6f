// Package pack is the day pack: the unit of booking data for one office and
// a range of days, signed by the booking system. The hub builds packs; a
// counter imports them from the hub or from a USB stick. The format is
// specified in docs/day-pack.md.
package pack

import (
	"archive/zip"
	"bufio"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
)

// Format is the pack format version this package writes and reads.
// Format 2 signs each file's length as well as its hash.
const Format = 2

// The files of a pack.
const (
	FileManifest  = "manifest.json"
	FileSignature = "manifest.sig"
	FileOffice    = "office.json"
	FileKeys      = "keys.json"
	FileBookings  = "bookings.jsonl"
	FileCancelled = "cancelled.jsonl"
	FileRevoked   = "revoked.jsonl"
)

// contentFiles are the files the manifest lists.
var contentFiles = []string{FileOffice, FileKeys, FileBookings, FileCancelled, FileRevoked}

// signContext separates pack signatures from any other use of the keys.
const signContext = "ghiseu day pack v1\x00"

// Manifest describes a pack and gives the SHA-256 and length of every
// other file.
type Manifest struct {
	Format   int             `json:"format"`
	Office   string          `json:"office"`
	From     string          `json:"from"` // first day, YYYY-MM-DD
	To       string          `json:"to"`   // last day
	Sequence int64           `json:"sequence"`
	Created  time.Time       `json:"created"`
	KeyID    uint8           `json:"key_id"`
	Files    map[string]File `json:"files"` // by name
}

// File is what the manifest says of one file.
type File struct {
	SHA256 string `json:"sha256"` // hex
	Size   int64  `json:"size"`   // bytes
}

// Office is office.json: the calendar and the fees.
type Office struct {
	Calendar calendar.Calendar `json:"calendar"`
	Fees     rules.Fees        `json:"fees"`
}

// Key is one entry of keys.json.
type Key struct {
	ID     uint8     `json:"id"`
	Public string    `json:"public"` // base64
	From   time.Time `json:"from"`
	Until  time.Time `json:"until,omitzero"`
}

// KeyOf writes a key as keys.json holds it.
func KeyOf(k rescode.Key) Key {
	return Key{ID: k.ID, Public: base64.StdEncoding.EncodeToString(k.Public), From: k.From, Until: k.Until}
}

// Keyring reads keys as keys.json holds them.
func Keyring(keys []Key) (rescode.Keyring, error) {
	var ring rescode.Keyring
	for _, k := range keys {
		pub, err := base64.StdEncoding.DecodeString(k.Public)
		if err != nil || len(pub) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("key %d: not an Ed25519 public key", k.ID)
		}
		ring = append(ring, rescode.Key{ID: k.ID, Public: pub, From: k.From, Until: k.Until})
	}
	return ring, nil
}

// Booking is one line of bookings.jsonl.
type Booking struct {
	ID          string    `json:"id"`
	SlotStart   time.Time `json:"slot_start"`
	SlotMinutes int       `json:"slot_minutes"`
	Kind        string    `json:"kind"`
	Name        string    `json:"name"`
	Reason      string    `json:"reason"`
	BirthDate   string    `json:"birth_date,omitempty"`
	ReadyOn     string    `json:"ready_on,omitempty"`
	Status      string    `json:"status,omitempty"`
	// Document and PickupOffice: see store.Booking (absent in older packs).
	Document     string `json:"document,omitempty"`
	PickupOffice string `json:"pickup_office,omitempty"`
}

// Ref is one line of cancelled.jsonl or revoked.jsonl.
type Ref struct {
	ID string `json:"id"`
}

// Contents is what a pack carries, for building one.
type Contents struct {
	Manifest  Manifest // Format, Files and KeyID are filled in by Write
	Office    Office
	Keys      rescode.Keyring
	Bookings  func(yield func(Booking) error) error
	Cancelled []string
	Revoked   []string
}

// Write builds the pack as a zip archive, signed with key (whose ID in the
// counters' keyring is keyID).
func Write(w io.Writer, key ed25519.PrivateKey, keyID uint8, c Contents) error {
	zw := zip.NewWriter(w)
	m := c.Manifest
	m.Format, m.KeyID, m.Files = Format, keyID, map[string]File{}
	keys := make([]Key, len(c.Keys))
	for i, k := range c.Keys {
		keys[i] = KeyOf(k)
	}
	writers := map[string]func(io.Writer) error{
		FileOffice:    func(w io.Writer) error { return json.NewEncoder(w).Encode(c.Office) },
		FileKeys:      func(w io.Writer) error { return json.NewEncoder(w).Encode(keys) },
		FileBookings:  func(w io.Writer) error { return writeLines(w, c.Bookings) },
		FileCancelled: func(w io.Writer) error { return writeRefs(w, c.Cancelled) },
		FileRevoked:   func(w io.Writer) error { return writeRefs(w, c.Revoked) },
	}
	for _, name := range contentFiles {
		f, err := zw.Create(name)
		if err != nil {
			return err
		}
		h := &counter{Hash: sha256.New()}
		if err := writers[name](io.MultiWriter(f, h)); err != nil {
			return fmt.Errorf("write pack %s: %w", name, err)
		}
		m.Files[name] = File{SHA256: hex.EncodeToString(h.Sum(nil)), Size: h.n}
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	sig := ed25519.Sign(key, append([]byte(signContext), manifest...))
	for name, data := range map[string][]byte{FileManifest: manifest, FileSignature: []byte(base64.StdEncoding.EncodeToString(sig))} {
		f, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// counter hashes and counts what is written.
type counter struct {
	hash.Hash
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.Hash.Write(p)
}

func writeLines(w io.Writer, each func(func(Booking) error) error) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	if each != nil {
		if err := each(func(b Booking) error { return enc.Encode(b) }); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func writeRefs(w io.Writer, ids []string) error {
	enc := json.NewEncoder(w)
	for _, id := range ids {
		if err := enc.Encode(Ref{ID: id}); err != nil {
			return err
		}
	}
	return nil
}

// FromStore turns a stored booking into a pack line.
func FromStore(b store.Booking) Booking {
	return Booking{ID: b.ID, SlotStart: b.SlotStart, SlotMinutes: b.SlotMinutes, Kind: string(b.Kind),
		Name: b.Name, Reason: b.Reason, BirthDate: b.BirthDate, ReadyOn: b.ReadyOn, Status: string(b.Status),
		Document: b.Document, PickupOffice: b.PickupOffice}
}
