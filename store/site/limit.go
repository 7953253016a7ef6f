package site

import (
	"sync"
	"time"
)

// limiter is a token bucket per key (a client address, an e-mail address's
// hash): burst tokens, refilled at burst per period. It remembers at most
// max keys; when full it forgets the keys whose buckets are full again,
// then any.
type limiter struct {
	mu    sync.Mutex
	burst float64
	rate  float64 // tokens per second
	max   int
	m     map[string]*bucket
	// period is the time a bucket takes to fill; swept is when the keys
	// of full buckets were last forgotten: a key is kept at most about two
	// periods after its last use.
	period time.Duration
	swept  time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(burst int, period time.Duration, max int) *limiter {
	return &limiter{burst: float64(burst), rate: float64(burst) / period.Seconds(), max: max, m: map[string]*bucket{}, period: period}
}

// allow takes one token of key's bucket at now; when there is none it
// says how long until there is.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) >= l.period {
		l.sweep(now)
		l.swept = now
	}
	b, ok := l.m[key]
	if !ok {
		if len(l.m) >= l.max {
			l.evict(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.m[key] = b
	} else {
		b.tokens = l.level(b, now)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// level is a bucket's tokens at now.
func (l *limiter) level(b *bucket, now time.Time) float64 {
	return min(l.burst, b.tokens+max(0, now.Sub(b.at).Seconds())*l.rate)
}

// sweep forgets the keys whose buckets are full again (unused for a
// period).
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.m {
		if l.level(b, now) >= l.burst {
			delete(l.m, k)
		}
	}
}

// evict makes room for one key.
func (l *limiter) evict(now time.Time) {
	l.sweep(now)
	for k := range l.m {
		if len(l.m) < l.max {
			break
		}
		delete(l.m, k)
	}
}

// size is how many keys the limiter remembers.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}
