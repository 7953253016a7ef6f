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

	"github.com/ghiseu/ghiseu/assets/i18n"
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
	nudge  chan struct{} // Nudge's (nudge.go)
	// noLease: the hub said it leases no ticket numbers (tickets.go).
	noLease bool
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

// Run syncs every interval, and at once when nudged (Nudge), until ctx
// ends.
func (s *Syncer) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	nudged := s.nudges()
	for {
		s.Once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-nudged:
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
	trusted, err := s.hello(ctx)
	if err != nil {
		return trusted, err
	}
	if err := s.push(ctx); err != nil {
		return trusted, err
	}
	pulled, err := s.pull(ctx)
	if err != nil {
		return trusted || pulled, err
	}
	packed, err := s.pack(ctx)
	if err != nil {
		return trusted || pulled || packed, err
	}
	return trusted || pulled || packed, s.lease(ctx) // tickets.go
}

// hello checks that the hub is the enrolled one and knows this counter's
// token, measures the clock, and on first contact takes the office from
// the hub (and then reports it).
func (s *Syncer) hello(ctx context.Context) (bool, error) {
	h, err := s.T.Hello(ctx)
	if err != nil {
		return false, fmt.Errorf("hello: %w", err)
	}
	if h.Office != s.Link.Office {
		return false, fmt.Errorf("%w: it serves office %q, the enrolment says %q", ErrNotTheHub, h.Office, s.Link.Office)
	}
	s.mu.Lock()
	s.status.ClockOffset, s.status.ClockKnown = h.Offset, true
	s.mu.Unlock()
	if s.OnClock != nil {
		s.OnClock(h.Offset)
	}
	if err := s.DB.SetClockOffset(ctx, h.Offset, h.HubTime); err != nil {
		return false, err
	}
	if err := s.DB.SetHubCounter(ctx, h.Counter); err != nil {
		return false, err
	}
	return s.trust(ctx)
}

// trust takes the office from the hub on first contact: the hub's pack is
// downloaded first, and only then does the counter leave the demo (its
// office, bookings, practice and password go; the enrolment's keys come)
// and install the pack, so that a round that fails on the way leaves the
// demo as it was.
func (s *Syncer) trust(ctx context.Context) (bool, error) {
	done, err := s.DB.HubLinked(ctx)
	if err != nil || done {
		return false, err
	}
	keys, err := pack.Keyring(s.Link.Keys)
	if err != nil {
		return false, fmt.Errorf("enrolment keys: %w", err)
	}
	err = s.withPack(ctx, "", func(path, tag string) error {
		if err := s.DB.LeaveDemo(ctx, keys); err != nil {
			return err
		}
		if err := s.DB.ForgetPassword(ctx, demo.Password); err != nil {
			return err
		}
		if err := s.install(ctx, path, tag); err != nil {
			return err
		}
		slog.Info("hub trusted", "office", s.Link.Office, "keys", len(keys))
		return s.DB.SetHubLinked(ctx)
	})
	linked, lerr := s.DB.HubLinked(ctx)
	return linked, errors.Join(err, lerr)
}

// pushBatch bounds what one request carries.
const pushBatch = 200

func (s *Syncer) push(ctx context.Context) error {
	if err := s.parkUnsendable(ctx); err != nil {
		return err
	}
	for {
		out, err := s.DB.Outbox(ctx, pushBatch)
		if err != nil {
			return err
		}
		walkIns, err := s.DB.PendingWalkIns(ctx, pushBatch)
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
		// Answers come in the order of what was sent: each is recorded for
		// the item sent at its place, whatever ID the hub read.
		for i := range a.Events {
			a.Events[i].ID = out[i].ID
		}
		for i := range a.WalkIns {
			a.WalkIns[i].ID = walkIns[i].ID
		}
		for _, r := range append(a.Events, a.WalkIns...) {
			if r.Status == store.ResultRefused {
				slog.Warn("the hub refused", "id", r.ID, "reason", r.Reason, "detail", r.Detail)
			}
		}
		if err := s.DB.ApplyResults(ctx, a.Events, a.WalkIns); err != nil {
			return err
		}
	}
}

// parkUnsendable parks, without sending them, the events and walk-ins of
// the outbox that no hub could take (an older version's, or a damaged
// row's): they must not hold up the rest.
func (s *Syncer) parkUnsendable(ctx context.Context) error {
	out, err := s.DB.Outbox(ctx, -1)
	if err != nil {
		return err
	}
	walkIns, err := s.DB.PendingWalkIns(ctx, -1)
	if err != nil {
		return err
	}
	var events, ws []store.Result
	for _, e := range out {
		if err := e.Validate(); err != nil {
			events = append(events, refusedHere(e.ID, err))
		}
	}
	for _, b := range walkIns {
		if err := store.CheckWalkIn(b); err != nil {
			ws = append(ws, refusedHere(b.ID, err))
		}
	}
	if len(events)+len(ws) == 0 {
		return nil
	}
	slog.Warn("parked without sending", "events", len(events), "walk_ins", len(ws))
	return s.DB.ApplyResults(ctx, events, ws)
}

func refusedHere(id string, err error) store.Result {
	r := store.Result{ID: id, Status: store.ResultRefused, Reason: "invalid", Detail: err.Error()}
	var why *store.Refusal
	if errors.As(err, &why) {
		r.Reason, r.Detail = why.Reason, why.Detail
	}
	return r
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
		if next <= cursor { // nothing after the cursor
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

// pack installs the hub's day pack when it changed.
func (s *Syncer) pack(ctx context.Context) (bool, error) {
	tag, err := s.DB.Setting(ctx, keyPackTag)
	if err != nil {
		return false, err
	}
	changed := false
	err = s.withPack(ctx, tag, func(path, newTag string) error {
		changed = true
		return s.install(ctx, path, newTag)
	})
	if err != nil || changed {
		return changed, err
	}
	// The same pack as last time: if it was refused, it still is.
	refused, err := s.DB.Setting(ctx, keyPackRefused)
	if err != nil || refused == "" {
		return false, err
	}
	return false, &HubError{Msg: refused}
}

// withPack downloads the hub's pack, unless its tag is tag, into a private
// temporary file and hands it to fn.
func (s *Syncer) withPack(ctx context.Context, tag string, fn func(path, tag string) error) error {
	f, err := s.DB.CreateTemp("pack-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	newTag, changed, err := s.T.Pack(ctx, tag, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil || !changed {
		return err
	}
	return fn(f.Name(), newTag)
}

// install imports a pack the hub sent. A pack the counter refuses (older
// than the installed one: a hub restored from a backup; not signed by a
// trusted key) is the hub's fault, not the network's: it is said so, and
// the same pack is not downloaded again.
func (s *Syncer) install(ctx context.Context, path, tag string) error {
	_, err := pack.Import(ctx, s.DB, path, nil)
	var refusal *pack.Refusal
	if errors.As(err, &refusal) {
		why := "the hub's pack was refused: " + pack.Explain(i18n.English, err)
		for k, v := range map[string]string{keyPackTag: tag, keyPackRefused: why} {
			if err := s.DB.SetSetting(ctx, k, v); err != nil {
				return err
			}
		}
		return &HubError{Msg: why}
	}
	if err != nil {
		return fmt.Errorf("import the hub's pack: %w", err)
	}
	for k, v := range map[string]string{keyPackTag: tag, keyPackRefused: ""} {
		if err := s.DB.SetSetting(ctx, k, v); err != nil {
			return err
		}
	}
	return nil
}
