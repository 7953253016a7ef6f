package store

import (
	"log/slog"
	"os"
	"sync"
	"time"
)

// Now is this computer's clock as Ghișeu reads it, before any correction
// by the hub's clock. The environment variable GHISEU_CLOCK_SKEW (a Go
// duration such as "3h" or "-26m") shifts it: tests and demos play a PC
// whose clock is wrong with it, since Go programs read the system clock
// directly (faketime cannot move it).
func Now() time.Time { return time.Now().Add(skew()) }

var skew = sync.OnceValue(func() time.Duration {
	raw := os.Getenv("GHISEU_CLOCK_SKEW")
	if raw == "" {
		return 0
	}
	d, err := time.ParseDuration(raw)
	if err != nil {
		slog.Warn("GHISEU_CLOCK_SKEW is not a duration: ignored", "value", raw)
		return 0
	}
	return d
})
