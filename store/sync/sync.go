// Package sync keeps a counter and its office hub in step: it pushes the
// counter's events and walk-ins until the hub has answered for each,
// pulls the other counters' events and the day pack, and measures the
// counter's clock against the hub's. A hub that is down or slow changes
// nothing for the clerk: events wait in the outbox and the status says so.
// The protocol and what it guarantees are described in docs/sync.md.
package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	gosync "sync"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/demo"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/pack"
)

// Transport moves data between a counter and its hub.
type Transport interface {
	// Hello asks the hub who it is and who it takes this counter for; the
	// hub must prove it knows the counter's token. It measures the clock.
	Hello(ctx context.Context) (Hello, error)
	// Pack writes the day pack to w unless its tag is etag; it returns the
	// pack's tag and whether anything was written.
	Pack(ctx context.Context, etag string, w io.Writer) (tag string, changed bool, err error)
	// Push sends events and walk-ins and returns the hub's answer for each.
	Push(ctx context.Context, events []store.Event, walkIns []store.Booking) (hub.Answer, error)
	// Pull returns events the hub holds after cursor, and the next cursor.
	Pull(ctx context.Context, after int64) ([]store.Event, int64, error)
}

// Hello is what the hub says about itself and this counter.
type Hello struct {
	Office  string
	Counter string // the counter the hub takes this one for (its token's)
	// Offset is how far the hub's clock is ahead of this computer's
	// (negative: behind), measured at HubTime with half the round trip.
	Offset  time.Duration
	HubTime time.Time
}

// Link states.
const (
	Online    = "online"    // the last round went through
	Offline   = "offline"   // the hub could not be reached
	HubFailed = "hub_error" // the hub answered, with an error
	Untrusted = "untrusted" // the other side is not the enrolled hub
)

// ClockTolerance is how far this computer's clock may be from the hub's
// before the counter warns (it judges with the hub's time either way).
const ClockTolerance = 2 * time.Minute

// Status is what the counter shows about its link to the hub.
type Status struct {
	State    string    // Online, Offline, HubFailed, Untrusted; "" before the first round
	Since    time.Time // when the link left Online (zero while online)
	LastSync time.Time
	Pending  int // events and walk-ins waiting for the hub
	Parked   int // events and walk-ins the hub refused: the supervisor looks
	// ClockOffset is the hub's clock minus this computer's, as last
	// measured; ClockKnown says whether it was.
	ClockOffset time.Duration
	ClockKnown  bool
	Err         error
}

// Online reports whether the last round went through.
func (s Status) Online() bool { return s.State == Online }

// ClockWrong reports whether this computer's clock is off by more than
// ClockTolerance.
func (s Status) ClockWrong() bool {
	return s.ClockKnown && (s.ClockOffset > ClockTolerance || s.ClockOffset < -ClockTolerance)
}

// Syncer syncs one counter's database with its hub.
type Syncer struct {
	DB       *store.DB
	T        Transport
	Link     Enrolment                  // what the counter was enrolled with
	OnChange func()                     // called after new events or a new pack arrived
	OnClock  func(offset time.Duration) // called with every clock measurement
	Now      func() time.Time           // the clock for the status; time.Now when nil

	mu     gosync.Mutex
	status Status
}

func (s *Syncer) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Status is the latest status.
func (s *Syncer) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Run syncs every interval until ctx ends.
func (s *Syncer) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.Once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Once runs one round: hello (the hub's identity and clock), push, pull,
// pack. Each step is safe to interrupt at any point: nothing is marked
// done before the hub answered for it.
func (s *Syncer) Once(ctx context.Context) error {
	changed, err := s.round(ctx)
	pending, parked, perr := s.DB.OutboxSize(ctx)
	s.mu.Lock()
	s.status.Pending, s.status.Parked, s.status.Err = pending, parked, errors.Join(err, perr)
	state := stateOf(err)
	if state == Online {
		s.status.Since, s.status.LastSync = time.Time{}, s.now()
	} else if s.status.State == Online || s.status.Since.IsZero() {
		s.status.Since = s.now()
	}
	if state != s.status.State && state != Online {
		slog.Warn("hub link", "state", state, "err", err)
	}
	s.status.State = state
	s.mu.Unlock()
	if changed && s.OnChange != nil {
		s.OnChange()
	}
	return err
}

// stateOf tells a round's outcome.
func stateOf(err error) string {
	var he *HubError
	switch {
	case err == nil:
		return Online
	case errors.Is(err, ErrNotTheHub):
		return Untrusted
	case errors.As(err, &he):
		return HubFailed
	}
	return Offline
}

func (s *Syncer) round(ctx context.Context) (changed bool, err error) {
	if err := s.hello(ctx); err != nil {
		return false, err
	}
	if err := s.push(ctx); err != nil {
		return false, err
	}
	pulled, err := s.pull(ctx)
	if err != nil {
		return pulled, err
	}
	packed, err := s.pack(ctx)
	return pulled || packed, err
}

// hello checks that the hub is the enrolled one and knows this counter's
// token, measures the clock, and on first contact leaves the demo: the
// keys the counter trusts from then on are the enrolment's.
func (s *Syncer) hello(ctx context.Context) error {
	h, err := s.T.Hello(ctx)
	if err != nil {
		return fmt.Errorf("hello: %w", err)
	}
	if h.Office != s.Link.Office {
		return fmt.Errorf("%w: it serves office %q, the enrolment says %q", ErrNotTheHub, h.Office, s.Link.Office)
	}
	s.mu.Lock()
	s.status.ClockOffset, s.status.ClockKnown = h.Offset, true
	s.mu.Unlock()
	if s.OnClock != nil {
		s.OnClock(h.Offset)
	}
	if err := s.DB.SetClockOffset(ctx, h.Offset, h.HubTime); err != nil {
		return err
	}
	if err := s.DB.SetHubCounter(ctx, h.Counter); err != nil {
		return err
	}
	return s.trust(ctx)
}

// trust leaves the demo on first contact: the demo's keys, bookings and
// password go, the enrolment's keys come.
func (s *Syncer) trust(ctx context.Context) error {
	done, err := s.DB.HubLinked(ctx)
	if err != nil || done {
		return err
	}
	keys, err := pack.Keyring(s.Link.Keys)
	if err != nil {
		return fmt.Errorf("enrolment keys: %w", err)
	}
	if err := s.DB.LeaveDemo(ctx, keys); err != nil {
		return err
	}
	if err := s.DB.ForgetPassword(ctx, demo.Password); err != nil {
		return err
	}
	slog.Info("hub trusted", "office", s.Link.Office, "keys", len(keys))
	return s.DB.SetHubLinked(ctx)
}

func (s *Syncer) push(ctx context.Context) error {
	walkIns, err := s.DB.PendingWalkIns(ctx)
	if err != nil {
		return err
	}
	for {
		out, err := s.DB.Outbox(ctx, 200)
		if err != nil || len(out) == 0 && len(walkIns) == 0 {
			return err
		}
		a, err := s.T.Push(ctx, out, walkIns)
		if err != nil {
			return fmt.Errorf("push events: %w", err)
		}
		if len(a.Events) != len(out) || len(a.WalkIns) != len(walkIns) {
			return &HubError{Msg: fmt.Sprintf("push events: %d answers for %d events, %d for %d walk-ins",
				len(a.Events), len(out), len(a.WalkIns), len(walkIns))}
		}
		for _, r := range append(a.Events, a.WalkIns...) {
			if r.Status == store.ResultRefused {
				slog.Warn("the hub refused", "id", r.ID, "reason", r.Reason, "detail", r.Detail)
			}
		}
		if err := s.DB.ApplyResults(ctx, a.Events, a.WalkIns); err != nil {
			return err
		}
		walkIns = nil
	}
}

func (s *Syncer) pull(ctx context.Context) (bool, error) {
	raw, err := s.DB.Setting(ctx, keyCursor)
	if err != nil {
		return false, err
	}
	cursor, _ := strconv.ParseInt(raw, 10, 64)
	changed := false
	for {
		es, next, err := s.T.Pull(ctx, cursor)
		if err != nil {
			return changed, fmt.Errorf("pull events: %w", err)
		}
		if len(es) == 0 {
			return changed, nil
		}
		n, err := s.DB.Receive(ctx, es)
		if err != nil {
			return changed, err
		}
		changed = changed || n > 0
		cursor = next
		if err := s.DB.SetSetting(ctx, keyCursor, strconv.FormatInt(cursor, 10)); err != nil {
			return changed, err
		}
	}
}

func (s *Syncer) pack(ctx context.Context) (bool, error) {
	tag, err := s.DB.Setting(ctx, keyPackTag)
	if err != nil {
		return false, err
	}
	f, err := s.DB.CreateTemp("pack-*.zip")
	if err != nil {
		return false, err
	}
	defer os.Remove(f.Name())
	newTag, changed, err := s.T.Pack(ctx, tag, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil || !changed {
		return false, err
	}
	if _, err := pack.Import(ctx, s.DB, f.Name(), nil); err != nil {
		return false, fmt.Errorf("import the hub's pack: %w", err)
	}
	return true, s.DB.SetSetting(ctx, keyPackTag, newTag)
}
