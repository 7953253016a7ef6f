package calls

import (
	"context"
	"time"

	"github.com/ghiseu/ghiseu/store"
)

// Source gives the waiting room its feed.
type Source interface {
	// Wait returns the feed as soon as it holds something after the
	// sequence number after (at once when it does already, or when after
	// is ahead of the log: another log), else the unchanged feed once wait
	// has passed.
	Wait(ctx context.Context, after int64, wait time.Duration) (Feed, error)
}

// DefaultWait is how long a request waits for something new.
const DefaultWait = 25 * time.Second

// MaxWait bounds the wait a request may ask for.
const MaxWait = 50 * time.Second

// PollEvery is how often a waiting request looks at the log: a call is
// seen at most this long after it is written.
const PollEvery = 100 * time.Millisecond

// Local is the feed of a database: the hub's, or a lone counter's (an
// office with one counter and no hub).
type Local struct {
	DB  *store.DB
	Now func() time.Time // the clock; store.Now when nil
}

func (l Local) now() time.Time {
	if l.Now == nil {
		return store.Now()
	}
	return l.Now()
}

// Wait implements Source by looking at the log every PollEvery.
func (l Local) Wait(ctx context.Context, after int64, wait time.Duration) (Feed, error) {
	wait = min(max(wait, 0), MaxWait)
	deadline := time.Now().Add(wait)
	f, err := l.feed(ctx)
	if err != nil || f.Seq != after { // something newer, or a log the asker does not know
		return f, err
	}
	for {
		select {
		case <-ctx.Done():
			return Feed{}, ctx.Err()
		case <-time.After(PollEvery):
		}
		newer, err := l.DB.EventsAfter(ctx, after, 1)
		if err != nil {
			return Feed{}, err
		}
		if len(newer) > 0 || time.Now().After(deadline) {
			return l.feed(ctx)
		}
	}
}

func (l Local) feed(ctx context.Context) (Feed, error) {
	cal, _, err := l.DB.Office(ctx)
	if err != nil {
		return Feed{}, err
	}
	return Compute(ctx, l.DB, cal, l.now())
}
