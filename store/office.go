package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
)

// Settings keys.
const (
	keyCalendar = "calendar"
	keyFees     = "fees"
)

// Office reads the settings of the office this counter serves, or
// ErrNotFound when none is set up yet.
func (db *DB) Office(ctx context.Context) (calendar.Calendar, rules.Fees, error) {
	raw, err := db.Setting(ctx, keyCalendar)
	if err != nil {
		return calendar.Calendar{}, rules.Fees{}, err
	}
	if raw == "" {
		return calendar.Calendar{}, rules.Fees{}, fmt.Errorf("office settings: %w", ErrNotFound)
	}
	cal, err := calendar.Parse([]byte(raw))
	if err != nil {
		return cal, rules.Fees{}, err
	}
	fees := rules.DefaultFees
	if raw, err := db.Setting(ctx, keyFees); err != nil {
		return cal, fees, err
	} else if raw != "" {
		if err := json.Unmarshal([]byte(raw), &fees); err != nil {
			return cal, fees, fmt.Errorf("office fees: %w", err)
		}
	}
	return cal, fees, nil
}

// SetOffice stores the office's settings.
func (db *DB) SetOffice(ctx context.Context, cal calendar.Calendar, fees rules.Fees) error {
	if err := cal.Validate(); err != nil {
		return err
	}
	c, err := json.Marshal(cal)
	if err != nil {
		return err
	}
	f, err := json.Marshal(fees)
	if err != nil {
		return err
	}
	if err := db.SetSetting(ctx, keyCalendar, string(c)); err != nil {
		return err
	}
	return db.SetSetting(ctx, keyFees, string(f))
}
