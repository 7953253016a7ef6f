// Package hub is the office hub: it keeps the office's bookings, takes new
// ones in by the booking rules, issues their signed codes, builds day packs
// and passes events between the office's counters. ghiseu-hub serves it
// over HTTP (see Handler).
package hub

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	gosync "sync"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/pack"
	"github.com/ghiseu/ghiseu/store/rules"
)

// Hub is one office's hub.
type Hub struct {
	DB       *store.DB
	Key      ed25519.PrivateKey // the booking system's signing key
	KeyID    uint8
	PackDays int              // how many days a pack covers, from today
	Now      func() time.Time // the clock; store.Now when nil
	// Letters says how the hub writes to the citizens who book on the site.
	Letters Letters

	cache packCache
}

// packCache holds the last pack built, by its tag.
type packCache struct {
	gosync.Mutex
	tag  string
	data []byte
}

func (h *Hub) now() time.Time {
	if h.Now == nil {
		return store.Now()
	}
	return h.Now()
}

// Init makes db a hub for the office cal, trusting key under keyID.
func Init(ctx context.Context, db *store.DB, cal calendar.Calendar, key ed25519.PrivateKey, keyID uint8, now time.Time) error {
	if err := cal.CheckBooking(); err != nil {
		return err
	}
	if err := db.SetOffice(ctx, cal, rules.DefaultFees); err != nil {
		return err
	}
	ring := rescode.Keyring{{ID: keyID, Public: key.Public().(ed25519.PublicKey), From: now.AddDate(0, 0, -1)}}
	if err := db.PutKeys(ctx, ring); err != nil {
		return err
	}
	if _, err := (&Hub{DB: db}).personKey(ctx); err != nil { // made before any request can race for it
		return err
	}
	return db.Bump(ctx)
}

// Errors of authentication.
var (
	ErrUnauthorized = errors.New("no valid counter token")
	ErrRevoked      = errors.New("counter token revoked")
)

// hashToken is how tokens are kept: never in clear.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Enroll gives a counter a new token; an old one stops working.
func (h *Hub) Enroll(ctx context.Context, counter string) (string, error) {
	if err := store.CheckCounter(counter); err != nil {
		return "", fmt.Errorf("enroll: %w", err)
	}
	var b [20]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	if err := h.DB.PutCounter(ctx, counter, hashToken(token), h.now()); err != nil {
		return "", err
	}
	slog.Info("counter enrolled", "counter", counter)
	return token, nil
}

// Revoke stops a counter's token from working.
func (h *Hub) Revoke(ctx context.Context, counter string) error {
	return h.DB.RevokeCounter(ctx, counter)
}

// Authenticate finds the counter a token belongs to.
func (h *Hub) Authenticate(ctx context.Context, token string) (string, error) {
	if token == "" {
		return "", ErrUnauthorized
	}
	id, revoked, err := h.DB.CounterByToken(ctx, hashToken(token))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", ErrUnauthorized
	case err != nil:
		return "", err
	case revoked:
		return "", ErrRevoked
	}
	return id, nil
}

// PackTag identifies the pack WritePack would write now, for conditional
// requests: it changes when the bookings or the day change.
func (h *Hub) PackTag(ctx context.Context) (string, error) {
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return "", err
	}
	v, err := h.DB.Version(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`"%s-%d-%s"`, cal.Office, v, cal.Day(h.now())), nil
}

// WritePack writes the day pack of today and the next days.
func (h *Hub) WritePack(ctx context.Context, w io.Writer) error {
	cal, fees, err := h.DB.Office(ctx)
	if err != nil {
		return err
	}
	keys, err := h.DB.Keyring(ctx)
	if err != nil {
		return err
	}
	seq, err := h.DB.Version(ctx)
	if err != nil {
		return err
	}
	days := max(h.PackDays, 1)
	from, to := cal.Day(h.now()), cal.Day(h.now().AddDate(0, 0, days-1))
	return pack.Write(w, h.Key, h.KeyID, pack.Contents{
		Manifest: pack.Manifest{Office: cal.Office, From: from, To: to, Sequence: seq, Created: h.now()},
		Office:   pack.Office{Calendar: cal, Fees: fees},
		Keys:     keys,
		Bookings: func(yield func(pack.Booking) error) error {
			return h.DB.BookingsBetween(ctx, cal.Office, from, to, func(b store.Booking) error {
				return yield(pack.FromStore(b))
			})
		},
	})
}
