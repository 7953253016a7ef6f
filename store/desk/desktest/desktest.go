// Package desktest gives tests a demo counter on Monday 23 November 2026
// with a clock they move, and the demo codes by name.
package desktest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store/desk"
)

// Counter is a demo counter for a test.
type Counter struct {
	*desk.Desk
	Codes map[string]string // the demo bookings' codes by name
	clock time.Time
}

// New opens counter 1, clerk "ana", on a fresh demo database, at 08:25.
func New(t testing.TB) *Counter {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/Bucharest")
	c := &Counter{clock: time.Date(2026, 11, 23, 8, 25, 0, 0, loc), Codes: map[string]string{}}
	d, err := desk.Open(context.Background(), desk.Config{DBPath: filepath.Join(t.TempDir(), "g.db"),
		Counter: "1", Clerk: "ana", Now: func() time.Time { return c.clock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	c.Desk = d
	rows, err := d.Day(context.Background(), "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		c.Codes[r.Name] = r.Code
	}
	return c
}

// At sets the clock to hh:mm on the day.
func (c *Counter) At(hh, mm int) {
	c.clock = time.Date(2026, 11, 23, hh, mm, 0, 0, c.clock.Location())
}

// Other is another counter of the same office and database, sharing the
// clock.
func (c *Counter) Other(counter, clerk string) *desk.Desk {
	o := *c.Desk
	o.Counter, o.Clerk = counter, clerk
	return &o
}
