// Package demo creates the demo office: a realistic day of bookings for
// today with signed codes, so that Ghișeu can be tried with no booking
// system behind it.
package demo

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ghiseu/ghiseu/assets"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
)

// KeyDemo is the settings key that marks a demo database.
const KeyDemo = "demo"

// Password is the demo office's supervisor password (set when the demo
// is installed and no password is): a real office sets its own.
const Password = "supervizor"

// KeyID is the demo signing key's ID.
const KeyID = 1

// SigningKey is the demo booking system's key. It is derived from a public
// phrase: anyone can sign demo codes, so only demo offices trust it.
func SigningKey() ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("Ghișeu demo booking system: not a secret"))
	return ed25519.NewKeyFromSeed(seed[:])
}

// Keyring is what a demo counter trusts: the demo key, for any date.
func Keyring() rescode.Keyring {
	return rescode.Keyring{{ID: KeyID, Public: SigningKey().Public().(ed25519.PublicKey),
		From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}
}

// Calendar is SPCLEP Dumbrăvița's, open every day for intake, pickups and
// walk-ins (every walk-in service in the mornings).
func Calendar() calendar.Calendar {
	c := calendar.Default()
	morning := []calendar.Window{{Start: 8*60 + 30, End: 13 * 60}}
	c.Intake, c.Pickup, c.WalkIn = calendar.Week{}, calendar.Week{}, calendar.Week{}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		c.Intake[d], c.Pickup[d], c.WalkIn[d] = morning, morning, morning
	}
	for i := range c.Services { // every walk-in service in the walk-in hours
		c.Services[i].Hours = nil
	}
	return c
}

// person is one demo booking as embedded in assets.
type person struct {
	Slot      string `json:"slot"` // HH:MM
	Minutes   int    `json:"minutes"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Reason    string `json:"reason"`
	Age       int    `json:"age"`
	Status    string `json:"status"`
	DayOffset int    `json:"day_offset"`
	ReadyAgo  int    `json:"ready_days_ago"`
}

// Day lays the demo bookings on the office-local day of now, with their
// signed codes. The same day always gives the same bookings and codes.
func Day(now time.Time) ([]store.Booking, error) {
	var file struct{ Bookings []person }
	if err := json.Unmarshal(assets.DemoOffice, &file); err != nil {
		return nil, fmt.Errorf("read demo office: %w", err)
	}
	cal := Calendar()
	loc := cal.Location()
	y, m, d := now.In(loc).Date()
	out := make([]store.Booking, 0, len(file.Bookings))
	for i, p := range file.Bookings {
		b, err := p.booking(cal, time.Date(y, m, d+p.DayOffset, 0, 0, 0, 0, loc), i)
		if err != nil {
			return nil, fmt.Errorf("demo booking %d: %w", i+1, err)
		}
		out = append(out, b)
	}
	return out, nil
}

func (p person) booking(cal calendar.Calendar, day time.Time, i int) (store.Booking, error) {
	k, err := calendar.ParseClock(p.Slot)
	if err != nil {
		return store.Booking{}, err
	}
	start := cal.At(day, k)
	id := uint64(day.Year()*10000+int(day.Month())*100+day.Day())*100 + uint64(i+1)
	kind := rescode.Intake
	if p.Kind == string(store.Pickup) {
		kind = rescode.Pickup
	}
	code, err := rescode.Issue(SigningKey(), rescode.Claims{KeyID: KeyID, BookingID: id, Office: cal.Office,
		SlotStart: start, SlotMinutes: p.Minutes, Kind: kind})
	if err != nil {
		return store.Booking{}, err
	}
	b := store.Booking{
		ID: strconv.FormatUint(id, 10), Office: cal.Office, Day: start.Format(time.DateOnly),
		SlotStart: start, SlotMinutes: p.Minutes, Kind: store.Kind(p.Kind), Name: p.Name, Reason: p.Reason,
		BirthDate: day.AddDate(-p.Age, -1-i%11, -i).Format(time.DateOnly),
		Status:    store.Status(p.Status), Code: code,
	}
	if b.Status == "" {
		b.Status = store.Confirmed
	}
	if b.Kind == store.Pickup {
		b.ReadyOn = day.AddDate(0, 0, -p.ReadyAgo).Format(time.DateOnly)
	}
	return b, nil
}

// Install makes db serve the demo office and gives it the demo bookings of
// now's day. Installing again changes nothing: the bookings and codes of a
// day are always the same, recorded events are never touched, and office
// settings already there (a supervisor's changes) stay unless reset.
func Install(ctx context.Context, db *store.DB, now time.Time, reset bool) error {
	bs, err := Day(now)
	if err != nil {
		return err
	}
	if _, _, err := db.Office(ctx); reset || errors.Is(err, store.ErrNotFound) {
		if err := db.SetOffice(ctx, Calendar(), rules.DefaultFees); err != nil {
			return fmt.Errorf("install demo office: %w", err)
		}
	}
	if err := db.PutKeys(ctx, Keyring()); err != nil {
		return fmt.Errorf("install demo office: %w", err)
	}
	if err := db.SetSetting(ctx, KeyDemo, "1"); err != nil {
		return fmt.Errorf("install demo office: %w", err)
	}
	if set, err := db.HasSupervisorPassword(ctx); err != nil || !set {
		if err := errors.Join(err, db.SetSupervisorPassword(ctx, Password)); err != nil {
			return fmt.Errorf("install demo office: %w", err)
		}
	}
	if err := db.PutBookings(ctx, bs); err != nil {
		return fmt.Errorf("install demo office: %w", err)
	}
	return nil
}
