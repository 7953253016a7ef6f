// Package demo creates the demo office: a realistic day of bookings for
// today, so that Ghișeu can be tried with no booking system behind it.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ghiseu/ghiseu/assets"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
)

// Settings keys under which the office the counter serves is stored.
const (
	KeyOffice     = "office"
	KeyOfficeName = "office_name"
	KeyTimezone   = "timezone"
	KeyDemo       = "demo"
)

// Office is the demo office's definition as embedded in assets.
type Office struct {
	Office struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Timezone string `json:"timezone"`
	} `json:"office"`
	Bookings []struct {
		Slot      string `json:"slot"` // HH:MM
		Minutes   int    `json:"minutes"`
		Kind      string `json:"kind"`
		Name      string `json:"name"`
		Reason    string `json:"reason"`
		Age       int    `json:"age"`
		Status    string `json:"status"`
		DayOffset int    `json:"day_offset"`
	} `json:"bookings"`
}

// Load reads the embedded demo office.
func Load() (Office, error) {
	var o Office
	if err := json.Unmarshal(assets.DemoOffice, &o); err != nil {
		return o, fmt.Errorf("read demo office: %w", err)
	}
	return o, nil
}

// Day lays the demo bookings on the office-local day of now, each with a
// fresh reservation code.
func (o Office) Day(now time.Time) ([]store.Booking, error) {
	loc, err := time.LoadLocation(o.Office.Timezone)
	if err != nil {
		return nil, fmt.Errorf("demo office time zone: %w", err)
	}
	y, m, d := now.In(loc).Date()
	out := make([]store.Booking, 0, len(o.Bookings))
	for i, p := range o.Bookings {
		var hh, mm int
		if _, err := fmt.Sscanf(p.Slot, "%d:%d", &hh, &mm); err != nil {
			return nil, fmt.Errorf("demo booking %d: slot %q: %w", i, p.Slot, err)
		}
		start := time.Date(y, m, d+p.DayOffset, hh, mm, 0, 0, loc)
		born := time.Date(y-p.Age, m, d, 0, 0, 0, 0, loc).AddDate(0, -1-i%11, -i)
		status := store.Status(p.Status)
		if status == "" {
			status = store.Confirmed
		}
		out = append(out, store.Booking{
			ID:          fmt.Sprintf("demo-%s-%02d", start.Format("20060102"), i+1),
			Office:      o.Office.ID,
			Day:         start.Format(time.DateOnly),
			SlotStart:   start,
			SlotMinutes: p.Minutes,
			Kind:        store.Kind(p.Kind),
			Name:        p.Name,
			Reason:      p.Reason,
			BirthDate:   born.Format(time.DateOnly),
			Status:      status,
			Code:        rescode.New(),
		})
	}
	return out, nil
}

// Install makes db serve the demo office and gives it today's bookings.
// Bookings already there for today are kept, so that the codes a tester has
// printed stay valid; recorded events are never touched.
func Install(ctx context.Context, db *store.DB, now time.Time) error {
	o, err := Load()
	if err != nil {
		return err
	}
	bs, err := o.Day(now)
	if err != nil {
		return err
	}
	for k, v := range map[string]string{KeyOffice: o.Office.ID, KeyOfficeName: o.Office.Name,
		KeyTimezone: o.Office.Timezone, KeyDemo: "1"} {
		if err := db.SetSetting(ctx, k, v); err != nil {
			return fmt.Errorf("install demo office: %w", err)
		}
	}
	var missing []store.Booking
	for _, b := range bs {
		if _, err := db.BookingByID(ctx, b.ID); err != nil {
			missing = append(missing, b)
		}
	}
	if err := db.PutBookings(ctx, missing); err != nil {
		return fmt.Errorf("install demo office: %w", err)
	}
	return nil
}
