package desk

import (
	"context"
	"errors"
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
	// ReadOnly opens an existing database for looking only
	// (store.OpenReadOnly): nothing is created, migrated, installed or
	// written, and a demo office shows the days it holds.
	ReadOnly bool
}

// Open opens the counter's database and the office it serves. A database
// with no office yet gets the demo office; a demo office gets today's demo
// day. Opened read-only (Config.ReadOnly), it must exist and hold an office.
func Open(ctx context.Context, cfg Config) (*Desk, error) {
	path := cfg.DBPath
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	open := store.Open
	if cfg.ReadOnly {
		open = store.OpenReadOnly
	}
	db, err := open(ctx, path)
	if err != nil {
		return nil, err
	}
	d := &Desk{DB: db, Counter: cfg.Counter, Clerk: cfg.Clerk, Now: cfg.Now}
	if err := d.load(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// ErrNoOffice says that a counter linked to a hub has no office yet.
var ErrNoOffice = errors.New("no office yet: sync with the hub or import a day pack")

// load reads the office's settings and keys, installing the demo office
// first when there is no office (and no hub) or it is the demo, unless the
// database is read-only.
func (d *Desk) load(ctx context.Context) error {
	if err := d.loadLink(ctx); err != nil {
		return err
	}
	isDemo, err := d.DB.Setting(ctx, demo.KeyDemo)
	if err != nil {
		return err
	}
	linked, err := d.DB.HubLinked(ctx)
	if err != nil {
		return err
	}
	_, _, err = d.DB.Office(ctx)
	if errors.Is(err, store.ErrNotFound) && (linked || d.DB.ReadOnly()) {
		return ErrNoOffice
	}
	if (errors.Is(err, store.ErrNotFound) || isDemo == "1") && !d.DB.ReadOnly() {
		if err := demo.Install(ctx, d.DB, d.now(), false); err != nil {
			return err
		}
	}
	if d.Cal, d.Fees, err = d.DB.Office(ctx); err != nil {
		return err
	}
	if isDemo, err = d.DB.Setting(ctx, demo.KeyDemo); err != nil {
		return err
	}
	d.Demo = isDemo == "1"
	d.Keys, err = d.DB.Keyring(ctx)
	return err
}

// Reload reads the office's settings and keys again (a demo office gets the
// demo day of the desk's clock).
func (d *Desk) Reload(ctx context.Context) error { return d.load(ctx) }

// ResetDemo makes this database a demo office again, with today's demo
// bookings. Events already recorded stay in the log.
func (d *Desk) ResetDemo(ctx context.Context) error {
	if err := demo.Install(ctx, d.DB, d.now(), true); err != nil {
		return err
	}
	return d.load(ctx)
}

// Close closes the database.
func (d *Desk) Close() error { return d.DB.Close() }
