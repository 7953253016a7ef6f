package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/hub"
)

// Leaser is a Transport that can lease ticket numbers from the hub (the
// HTTP one can; a Transport without it leaves the counter on its offline
// range).
type Leaser interface {
	Lease(ctx context.Context, req hub.TicketsRequest) (store.TicketLease, error)
}

// Ticket leases: a counter asks for LeaseBlock numbers of a letter when
// fewer than LeaseLow of that letter are left for today.
const (
	LeaseBlock = 10
	LeaseLow   = 5
)

// Lease asks the hub for blocks of ticket numbers (POST /v1/tickets).
func (h *HTTP) Lease(ctx context.Context, req hub.TicketsRequest) (store.TicketLease, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return store.TicketLease{}, err
	}
	resp, err := h.do(ctx, http.MethodPost, "/v1/tickets", bytes.NewReader(body), map[string]string{"Content-Type": "application/json"})
	if err != nil {
		return store.TicketLease{}, err
	}
	var l store.TicketLease
	return l, decode(resp, 1<<16, &l)
}

// lease is the round's last step: it tops up today's leased numbers of
// every letter of the office that runs low, and learns the counter's desk
// index (and so its offline range) on first contact. A hub too old to
// lease (404) is said once in the log and changes nothing else.
func (s *Syncer) lease(ctx context.Context) error {
	l, ok := s.T.(Leaser)
	if !ok {
		return nil
	}
	if linked, err := s.DB.HubLinked(ctx); err != nil || !linked {
		return err
	}
	cal, _, err := s.DB.Office(ctx)
	if err != nil {
		return err
	}
	// Today is the desk's: its clock (Now) tells the hub's time already;
	// without one, this computer's clock corrected by the hub's offset.
	at := s.now()
	if s.Now == nil {
		at = at.Add(s.Status().ClockOffset)
	}
	day := cal.Day(at)
	left, err := s.DB.TicketsLeft(ctx, day)
	if err != nil {
		return err
	}
	idx, err := s.DB.DeskIndex(ctx)
	if err != nil {
		return err
	}
	want := map[string]int{}
	for _, kind := range []string{calendar.TicketIntake, calendar.TicketPickup, calendar.TicketWalkIn} {
		if letter := cal.TicketLetter(kind); left[letter] < LeaseLow {
			want[letter] = LeaseBlock
		}
	}
	if len(want) == 0 && idx > 0 {
		return nil
	}
	lease, err := l.Lease(ctx, hub.TicketsRequest{Day: day, Want: want})
	var he *HubError
	if errors.As(err, &he) && (he.Status == http.StatusNotFound || he.Status == http.StatusMethodNotAllowed) {
		s.mu.Lock()
		said := s.noLease
		s.noLease = true
		s.mu.Unlock()
		if !said {
			slog.Warn("tickets: the hub leases no numbers (an older hub): this counter gives its offline range")
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("lease tickets: %w", err)
	}
	if lease.Day != day {
		return &HubError{Msg: fmt.Sprintf("lease tickets: numbers of %s for %s", lease.Day, day)}
	}
	if err := s.DB.KeepLease(ctx, lease); err != nil {
		return err
	}
	slog.Info("tickets leased", "day", day, "index", lease.Index, "blocks", lease.Blocks)
	return nil
}
