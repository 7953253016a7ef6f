package desk

import (
	"context"
	"fmt"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/demo"
)

// Config says where the data is and which counter this is.
type Config struct {
	DBPath  string           // the database file; store.DefaultPath when empty
	Counter string           // the counter's number as the office calls it
	Clerk   string           // who works at it
	Now     func() time.Time // the clock; time.Now when nil
}

// Open opens the counter's database and the office it serves. A database
// with no office yet gets the demo office; a demo office with no bookings
// today gets today's demo day.
func Open(ctx context.Context, cfg Config) (*Desk, error) {
	path := cfg.DBPath
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	d := &Desk{DB: db, Counter: cfg.Counter, Clerk: cfg.Clerk, Now: cfg.Now}
	if err := d.loadOffice(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

func (d *Desk) loadOffice(ctx context.Context) error {
	office, err := d.DB.Setting(ctx, demo.KeyOffice)
	if err != nil {
		return err
	}
	isDemo, err := d.DB.Setting(ctx, demo.KeyDemo)
	if err != nil {
		return err
	}
	if office == "" || isDemo == "1" {
		if err := d.refreshDemo(ctx, office); err != nil {
			return err
		}
	}
	return d.readOffice(ctx)
}

// refreshDemo installs the demo office unless it already has today's day.
func (d *Desk) refreshDemo(ctx context.Context, office string) error {
	if office != "" {
		if err := d.readOffice(ctx); err != nil {
			return err
		}
		today, err := d.DB.DayBookings(ctx, office, d.Today())
		if err != nil || len(today) > 0 {
			return err
		}
	}
	return demo.Install(ctx, d.DB, d.now())
}

func (d *Desk) readOffice(ctx context.Context) error {
	var tz string
	for key, dst := range map[string]*string{demo.KeyOffice: &d.Office, demo.KeyOfficeName: &d.OfficeName, demo.KeyTimezone: &tz} {
		v, err := d.DB.Setting(ctx, key)
		if err != nil {
			return err
		}
		*dst = v
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return fmt.Errorf("office %s: time zone %q: %w", d.Office, tz, err)
	}
	d.Loc = loc
	return nil
}

// ResetDemo replaces the database's office with a fresh demo office whose
// bookings of today get new codes. Events already recorded stay in the log.
func (d *Desk) ResetDemo(ctx context.Context) error {
	if err := d.DB.DeleteDay(ctx, d.Office, d.Today()); err != nil {
		return err
	}
	if err := demo.Install(ctx, d.DB, d.now()); err != nil {
		return err
	}
	return d.readOffice(ctx)
}

// Close closes the database.
func (d *Desk) Close() error { return d.DB.Close() }
