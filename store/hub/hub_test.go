package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
)

func newHub(t *testing.T, now *time.Time) *Hub {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	if err := Init(ctx, db, calendar.Default(), key, 1, *now); err != nil {
		t.Fatal(err)
	}
	return &Hub{DB: db, Key: key, KeyID: 1, PackDays: 7, Now: func() time.Time { return *now }}
}

func TestBookingRules(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc) // a Friday
	h := newHub(t, &now)
	monday := func(hh, mm int) time.Time { return time.Date(2026, 11, 23, hh, mm, 0, 0, loc) }
	ana := BookingRequest{Name: "Ana Ștefănescu", BirthDate: "1990-04-04", Reason: "expiry", Kind: store.Intake, Slot: monday(8, 30)}

	token, expires, err := h.Request(ctx, ana)
	if err != nil || !expires.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("first request: %v, expires %v", err, expires)
	}
	other := ana
	other.Name, other.BirthDate = "Dan Pop", "1970-01-01"
	if _, _, err := h.Request(ctx, other); !errors.Is(err, ErrSlotTaken) {
		t.Fatalf("the same slot while the first request is pending: %v", err)
	}
	b, err := h.Confirm(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	again := ana
	again.Name, again.Slot = "ana stefanescu", monday(9, 10) // the same person, written differently
	if _, _, err := h.Request(ctx, again); !errors.Is(err, ErrPersonHasBooking) {
		t.Fatalf("a second booking for one person: %v", err)
	}
	c, err := rescode.Parse(b.Code, rescode.Keyring{{ID: 1, Public: h.Key.Public().(ed25519.PublicKey)}})
	if err != nil || !c.SlotStart.Equal(monday(8, 30)) || c.Office != "TM-DUMBRAVITA" {
		t.Fatalf("the code of the confirmed booking: %+v, %v", c, err)
	}
	if again, err := h.Confirm(ctx, token); err != nil || again.ID != b.ID {
		t.Fatalf("confirming twice: %+v, %v; want the same booking", again, err)
	}

	// A request not confirmed in time lapses and frees its slot and person.
	late, _, err := h.Request(ctx, other.with(monday(9, 30)))
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(16 * time.Minute)
	if _, err := h.Confirm(ctx, late); !errors.Is(err, ErrLapsed) {
		t.Fatalf("confirming after the timeout: %v", err)
	}
	if _, _, err := h.Request(ctx, other.with(monday(9, 30))); err != nil {
		t.Fatalf("the lapsed request still holds the slot or person: %v", err)
	}

	for name, tc := range map[string]struct {
		slot time.Time
		want error
	}{
		"not a slot":            {monday(8, 40), calendar.ErrNoSlot},
		"a holiday (1 Dec)":     {time.Date(2026, 12, 1, 8, 30, 0, 0, loc), calendar.ErrClosed},
		"past":                  {time.Date(2026, 11, 19, 8, 30, 0, 0, loc), calendar.ErrPast},
		"beyond 30 days":        {time.Date(2027, 1, 4, 8, 30, 0, 0, loc), calendar.ErrTooFar},
		"Friday is for pickups": {time.Date(2026, 11, 27, 8, 30, 0, 0, loc), calendar.ErrNoSlot},
	} {
		r := BookingRequest{Name: "X " + name, BirthDate: "1980-01-01", Reason: "lost", Kind: store.Intake, Slot: tc.slot}
		if _, _, err := h.Request(ctx, r); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	if _, _, err := h.Request(ctx, BookingRequest{Name: "Y", BirthDate: "x", Reason: "expiry", Kind: store.Intake, Slot: monday(10, 10)}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("a bad birth date: %v", err)
	}
}

func (r BookingRequest) with(slot time.Time) BookingRequest { r.Slot = slot; return r }

func TestPackTagAndDemo(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, calendar.Default().Location())
	h := newHub(t, &now)
	n, err := h.Demo(ctx, 10, 0.7, 1)
	if err != nil || n < 40 {
		t.Fatalf("demo made %d bookings, %v", n, err)
	}
	token, err := h.Enroll(ctx, "1")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	get := func(etag string) (*http.Response, int) {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/pack", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		resp.Body.Close()
		return resp, buf.Len()
	}
	first, size := get("")
	tag := first.Header.Get("ETag")
	if first.StatusCode != 200 || size == 0 || tag == "" {
		t.Fatalf("pack: %d, %d bytes, tag %q", first.StatusCode, size, tag)
	}
	if again, size := get(tag); again.StatusCode != http.StatusNotModified || size != 0 {
		t.Fatalf("unchanged pack: %d, %d bytes", again.StatusCode, size)
	}
	var some string
	h.DB.BookingsBetween(ctx, "TM-DUMBRAVITA", "2026-11-21", "2026-12-31", func(b store.Booking) error {
		some = b.ID
		return nil
	})
	if _, err := h.Cancel(ctx, some); err != nil {
		t.Fatal(err)
	}
	if changed, _ := get(tag); changed.StatusCode != 200 || changed.Header.Get("ETag") == tag {
		t.Fatalf("after a cancellation: %d, tag %q", changed.StatusCode, changed.Header.Get("ETag"))
	}
}

// The one-booking-per-person check keeps an HMAC keyed with the office's
// own secret: a plain hash of name and birth date (guessable in a second)
// matches nothing, and hashes kept before the secret existed are keyed at
// the first use.
func TestPersonHashesAreKeyed(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newHub(t, &now)
	slot := time.Date(2026, 11, 23, 8, 30, 0, 0, loc)
	ana := BookingRequest{Name: "Ana Ștefănescu", BirthDate: "1990-04-04", Reason: "expiry", Kind: store.Intake, Slot: slot}
	token, _, err := h.Request(ctx, ana)
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Confirm(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(i18n.Fold(ana.Name) + "|" + ana.BirthDate))
	plain := hex.EncodeToString(sum[:16])
	key, err := h.personKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	keyed := personHash(key, ana.Name, ana.BirthDate)
	holds := func(who string) int {
		n, _, err := h.DB.Holds(ctx, who, slot, store.Intake, now)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if keyed == plain || holds(plain) != 0 || holds(keyed) != 1 {
		t.Fatalf("plain hash holds %d, keyed %d", holds(plain), holds(keyed))
	}
	// A hub from before the secret: its hashes are plain.
	h.DB.SetPerson(ctx, b.ID, plain)
	h.DB.SetSetting(ctx, keyPersonKey, "")
	if _, _, err := h.Request(ctx, ana.with(slot.Add(40*time.Minute))); !errors.Is(err, ErrPersonHasBooking) {
		t.Fatalf("after keying the old hashes, the same person again: %v", err)
	}
	if holds(plain) != 0 {
		t.Fatal("a plain hash is still kept")
	}
}
