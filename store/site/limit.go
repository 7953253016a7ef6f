package site

import (
	"sync"
	"time"
)

// limiter is a token bucket per key (a visitor's prefix, an e-mail address's
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

// refund gives back the token allow took of key's bucket (a request that
// turned out to hold nothing).
func (l *limiter) refund(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.m[key]; ok {
		b.tokens = min(l.burst, b.tokens+1)
	}
}

// window counts events per key (a visitor's prefix) over a sliding span
// given with each event: at most n events in any span, unlike a token
// bucket, which lets n more through as it refills. It remembers at most
// max keys; when full it forgets the keys whose events are all older than
// the last span, then any.
type window struct {
	mu   sync.Mutex
	n    int
	max  int
	span time.Duration // the last span asked, for forgetting old keys
	m    map[string][]time.Time
}

func newWindow(n, max int) *window {
	return &window{n: n, max: max, m: map[string][]time.Time{}}
}

// allow records an event of key at now if fewer than n of its events fall
// within span before now; else it says how long until the oldest of them
// leaves the span.
func (w *window) allow(key string, now time.Time, span time.Duration) (bool, time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.span = span
	ts := w.recent(w.m[key], now)
	if len(ts) >= w.n {
		w.m[key] = ts
		return false, ts[0].Add(span).Sub(now)
	}
	if _, ok := w.m[key]; !ok && len(w.m) >= w.max {
		w.evict(now)
	}
	w.m[key] = append(ts, now)
	return true, 0
}

// undo forgets key's event at (a request that turned out to hold nothing).
func (w *window) undo(key string, at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ts := w.m[key]
	for i := len(ts) - 1; i >= 0; i-- {
		if ts[i].Equal(at) {
			w.m[key] = append(ts[:i:i], ts[i+1:]...)
			return
		}
	}
}

// recent are the times of ts within the span before now (ts is in order).
func (w *window) recent(ts []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= w.span {
		i++
	}
	return ts[i:]
}

// evict makes room for one key.
func (w *window) evict(now time.Time) {
	for k, ts := range w.m {
		if len(w.recent(ts, now)) == 0 {
			delete(w.m, k)
		}
	}
	for k := range w.m {
		if len(w.m) < w.max {
			break
		}
		delete(w.m, k)
	}
}

// size is how many keys the window remembers.
func (w *window) size() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.m)
}
