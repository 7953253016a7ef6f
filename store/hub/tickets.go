package hub

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"unicode/utf8"

	"github.com/ghiseu/ghiseu/store"
)

// TicketsRequest is the body of POST /v1/tickets: how many numbers of
// each letter a counter wants for a day (the office's date).
type TicketsRequest struct {
	Day  string         `json:"day"`
	Want map[string]int `json:"want"`
}

// Bounds of a ticket lease request.
const (
	MaxLeaseBlock   = 100 // numbers of one letter in one request
	MaxLeaseLetters = 8   // letters in one request
)

// serveTickets answers POST /v1/tickets with a store.TicketLease: the
// counter's desk index and a block of numbers per letter asked for (see
// store.LeaseTickets). Only today and tomorrow, by the hub's clock, may
// be asked for: a counter whose clock is off cannot drain another day.
func (h *Hub) serveTickets(w http.ResponseWriter, r *http.Request) {
	who := r.Context().Value(counterKey{}).(caller)
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<14))
	dec.DisallowUnknownFields()
	var in TicketsRequest
	if err := dec.Decode(&in); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	cal, _, err := h.DB.Office(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.now()
	if in.Day != cal.Day(now) && in.Day != cal.Day(now.AddDate(0, 0, 1)) {
		http.Error(w, "bad request: day "+in.Day+" is not today", http.StatusBadRequest)
		return
	}
	if len(in.Want) > MaxLeaseLetters {
		http.Error(w, "bad request: too many letters", http.StatusBadRequest)
		return
	}
	for l, n := range in.Want {
		if l == "" || utf8.RuneCountInString(l) > 3 || n < 0 || n > MaxLeaseBlock {
			http.Error(w, "bad request: want "+l, http.StatusBadRequest)
			return
		}
	}
	lease, err := h.DB.LeaseTickets(r.Context(), cal.Office, who.counter, in.Day, in.Want)
	if errors.Is(err, store.ErrTooManyDesks) {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	slog.Info("tickets leased", "counter", who.counter, "day", in.Day, "index", lease.Index, "blocks", lease.Blocks)
	writeJSON(w, lease)
}
