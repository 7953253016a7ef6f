// Package sync keeps a counter and its office hub in step: it pushes the
// counter's events until the hub acknowledges them, pulls the other
// counters' events and the day pack. A hub that is down or slow changes
// nothing for the clerk: events wait in the outbox and the status says so.
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
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/pack"
)

// Transport moves data between a counter and its hub.
type Transport interface {
	// Trust returns the hub's office and the keys that sign its packs.
	Trust(ctx context.Context) (office string, keys rescode.Keyring, err error)
	// Pack writes the day pack to w unless its tag is etag; it returns the
	// pack's tag and whether anything was written.
	Pack(ctx context.Context, etag string, w io.Writer) (tag string, changed bool, err error)
	// Push sends events, with the counter's recent walk-ins, and returns
	// the IDs of the events the hub acknowledged.
	Push(ctx context.Context, events []store.Event, walkIns []store.Booking) ([]string, error)
	// Pull returns events the hub holds after cursor, and the next cursor.
	Pull(ctx context.Context, after int64) ([]store.Event, int64, error)
}

// Status is what the counter shows about its link to the hub.
type Status struct {
	Online       bool
	OfflineSince time.Time // when the hub was last lost; zero while online
	LastSync     time.Time
	Pending      int // events waiting for the hub
	Err          error
}

// Settings keys of the sync: its own bookkeeping and the link to the hub.
const (
	keyCursor   = "hub_cursor"
	keyPackTag  = "hub_pack_tag"
	keyHubURL   = "hub_url"
	keyHubToken = "hub_token"
)

// Syncer syncs one counter's database with its hub.
type Syncer struct {
	DB       *store.DB
	T        Transport
	OnChange func() // called after new events or a new pack arrived
	Now      func() time.Time

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

// Once runs one round: trust (on first contact), push, pull, pack. Each
// step is safe to interrupt at any point: nothing is marked done before
// the hub confirmed it.
func (s *Syncer) Once(ctx context.Context) error {
	changed, err := s.round(ctx)
	pending, perr := s.DB.OutboxSize(ctx)
	s.mu.Lock()
	s.status.Pending, s.status.Err = pending, errors.Join(err, perr)
	switch {
	case err == nil:
		s.status.Online, s.status.OfflineSince, s.status.LastSync = true, time.Time{}, s.now()
	case s.status.Online || s.status.OfflineSince.IsZero():
		s.status.Online, s.status.OfflineSince = false, s.now()
		slog.Warn("hub unreachable", "err", err)
	}
	s.mu.Unlock()
	if changed && s.OnChange != nil {
		s.OnChange()
	}
	return err
}

func (s *Syncer) round(ctx context.Context) (changed bool, err error) {
	if err := s.trust(ctx); err != nil {
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

// trust takes the hub's keys on first contact (the token vouches for the
// hub); a demo database leaves the demo behind.
func (s *Syncer) trust(ctx context.Context) error {
	done, err := s.DB.HubLinked(ctx)
	if err != nil || done {
		return err
	}
	office, keys, err := s.T.Trust(ctx)
	if err != nil {
		return fmt.Errorf("first contact with the hub: %w", err)
	}
	if err := s.DB.LeaveDemo(ctx, keys); err != nil {
		return err
	}
	slog.Info("hub trusted", "office", office, "keys", len(keys))
	return s.DB.SetHubLinked(ctx)
}

func (s *Syncer) push(ctx context.Context) error {
	walkIns, err := s.DB.WalkIns(ctx, s.now().AddDate(0, 0, -7).Format(time.DateOnly))
	if err != nil {
		return err
	}
	for {
		out, err := s.DB.Outbox(ctx, 200)
		if err != nil || len(out) == 0 && len(walkIns) == 0 {
			return err
		}
		acked, err := s.T.Push(ctx, out, walkIns)
		walkIns = nil // sent once a round: the hub keeps them
		if err != nil {
			return fmt.Errorf("push events: %w", err)
		}
		if len(acked) == 0 && len(out) > 0 {
			return errors.New("push events: the hub acknowledged none")
		}
		if err := s.DB.MarkSynced(ctx, acked); err != nil {
			return err
		}
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
	f, err := os.CreateTemp("", "ghiseu-pack-*.zip")
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

// Text words the status for the clerk, with times in loc: online; offline
// since 10:42; 17 events waiting.
func (s Status) Text(l i18n.Lang, loc *time.Location) string {
	args := map[string]string{"pending": fmt.Sprint(s.Pending), "since": s.OfflineSince.In(loc).Format(time.RFC3339)}
	switch {
	case s.Online && s.Pending == 0:
		return i18n.T(l, "sync.online", args)
	case s.Online:
		return i18n.T(l, "sync.online_pending", args)
	case s.OfflineSince.IsZero():
		return i18n.T(l, "sync.never", args)
	}
	return i18n.T(l, "sync.offline", args)
}

// Link reads the hub's address and this counter's token, first storing
// the ones given (when not empty), so that they are set once.
func Link(ctx context.Context, db *store.DB, url, token string) (string, string, error) {
	for key, v := range map[string]string{keyHubURL: url, keyHubToken: token} {
		if v != "" {
			if err := db.SetSetting(ctx, key, v); err != nil {
				return "", "", err
			}
		}
	}
	url, err := db.Setting(ctx, keyHubURL)
	if err != nil {
		return "", "", err
	}
	token, err = db.Setting(ctx, keyHubToken)
	return url, token, err
}
