package desk

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// SetClockOffset makes the desk's clock the hub's: this computer's clock
// plus offset. The sync measures it at every round; the hub's clock is the
// one that counts, so a PC whose clock is wrong still judges right.
func (d *Desk) SetClockOffset(offset time.Duration) {
	if d.offset == nil {
		d.offset = new(atomic.Int64)
	}
	d.offset.Store(int64(offset))
}

// ClockOffset is how far the desk's clock is set from this computer's.
func (d *Desk) ClockOffset() time.Duration {
	if d.offset == nil {
		return 0
	}
	return time.Duration(d.offset.Load())
}

// loadLink takes from the database what the hub said last: the clock
// offset, and the counter's number as the hub knows it (a mistyped number
// at the counter gives way to the enrolled one).
func (d *Desk) loadLink(ctx context.Context) error {
	offset, checked, err := d.DB.ClockOffset(ctx)
	if err != nil {
		return err
	}
	if d.offset == nil || !checked.IsZero() {
		d.SetClockOffset(offset)
	}
	counter, err := d.DB.HubCounter(ctx)
	switch {
	case err != nil:
		return err
	case counter == "" && d.Counter == "":
		d.Counter = DefaultCounter
	case counter == "" || counter == d.Counter:
	case d.Counter != "":
		slog.Warn("counter number differs from the enrolled one: the enrolled one is used",
			"set", d.Counter, "enrolled", counter)
		fallthrough
	default:
		d.Counter = counter
	}
	return nil
}

// DefaultCounter is the number of a counter that was given none and is not
// linked to a hub.
const DefaultCounter = "1"
