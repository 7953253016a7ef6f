package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/pack"
)

// MaxBody bounds a request body.
const MaxBody = 1 << 20

// Events is the body of POST /v1/events and the answer to GET /v1/events.
type Events struct {
	Events []store.Event `json:"events"`
	Next   int64         `json:"next,omitempty"` // GET: the cursor to ask from next
	// WalkIns (POST) are visits without a booking that the counter
	// registered; the hub keeps them and puts them in its packs.
	WalkIns []store.Booking `json:"walk_ins,omitempty"`
}

// Acked answers POST /v1/events: the IDs the hub now holds.
type Acked struct {
	IDs []string `json:"acked"`
}

// Trust answers GET /v1/keys: what a counter trusts from its first contact.
type Trust struct {
	Office string     `json:"office"`
	Keys   []pack.Key `json:"keys"`
}

// Handler serves the hub's API. Every request needs a counter's token
// (Authorization: Bearer TOKEN): none or a wrong one gets 401, a revoked
// one 403.
//
//	GET  /v1/pack            the day pack (zip); If-None-Match → 304 when unchanged
//	POST /v1/events          {"events": [...]} from this counter → {"acked": [ids]}
//	GET  /v1/events?after=N  events the hub holds after cursor N → {"events": [...], "next": M}
//	GET  /v1/keys            the office and the keys that sign codes and packs
func (h *Hub) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/pack", h.servePack)
	mux.HandleFunc("POST /v1/events", h.acceptEvents)
	mux.HandleFunc("GET /v1/events", h.serveEvents)
	mux.HandleFunc("GET /v1/keys", h.serveKeys)
	return h.authenticated(mux)
}

type counterKey struct{}

func (h *Hub) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		counter, err := h.Authenticate(r.Context(), token)
		switch {
		case errors.Is(err, ErrUnauthorized):
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		case errors.Is(err, ErrRevoked):
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		case err != nil:
			h.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), counterKey{}, counter)))
	})
}

func (h *Hub) fail(w http.ResponseWriter, r *http.Request, err error) {
	slog.Error("hub request failed", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func (h *Hub) servePack(w http.ResponseWriter, r *http.Request) {
	tag, err := h.PackTag(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", tag)
	if r.Header.Get("If-None-Match") == tag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	var buf bytes.Buffer
	if err := h.WritePack(r.Context(), &buf); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}

var (
	eventID  = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
	walkInID = regexp.MustCompile(`^w-[0-9a-f]{16}$`)
)

// validWalkIn checks a walk-in a counter sends.
func validWalkIn(b store.Booking, office string) error {
	switch {
	case !walkInID.MatchString(b.ID):
		return fmt.Errorf("walk-in ID %q", b.ID)
	case b.Office != office || b.Status != store.WalkIn || b.Kind != store.Intake:
		return fmt.Errorf("walk-in %s: office, status or kind", b.ID)
	case b.Name == "" || len(b.Name) > 100 || !knownReason(b.Reason):
		return fmt.Errorf("walk-in %s: name or reason", b.ID)
	case b.SlotMinutes <= 0 || b.SlotMinutes > 240 || b.SlotStart.Year() < 2020 || b.SlotStart.Year() > 2100:
		return fmt.Errorf("walk-in %s: slot", b.ID)
	}
	return nil
}

// validate checks an event a counter sends.
func validate(e store.Event, counter string) error {
	switch {
	case !eventID.MatchString(e.ID):
		return fmt.Errorf("event ID %q", e.ID)
	case e.BookingID == "" || len(e.BookingID) > 32:
		return fmt.Errorf("event %s: booking ID", e.ID)
	case e.Counter != counter && e.Counter != "system":
		return fmt.Errorf("event %s: from counter %q, sent by %q", e.ID, e.Counter, counter)
	case e.At.IsZero() || e.At.Year() < 2020 || e.At.Year() > 2100:
		return fmt.Errorf("event %s: time %v", e.ID, e.At)
	case len(e.Clerk) > 64 || len(e.Note) > 500:
		return fmt.Errorf("event %s: clerk or note too long", e.ID)
	case e.Type == store.Undone && !eventID.MatchString(e.Undoes):
		return fmt.Errorf("event %s: undoes %q", e.ID, e.Undoes)
	}
	switch e.Type {
	case store.Arrived, store.NoShow, store.PickedUp, store.Undone, store.Called, store.Served:
		return nil
	}
	return fmt.Errorf("event %s: type %q", e.ID, e.Type)
}

func (h *Hub) acceptEvents(w http.ResponseWriter, r *http.Request) {
	counter := r.Context().Value(counterKey{}).(string)
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	var in Events
	if err := dec.Decode(&in); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	for i := range in.Events {
		in.Events[i].Seq = 0
		if err := validate(in.Events[i], counter); err != nil {
			http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	if len(in.WalkIns) > 0 {
		cal, _, err := h.DB.Office(r.Context())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for i := range in.WalkIns {
			in.WalkIns[i].Code, in.WalkIns[i].BirthDate, in.WalkIns[i].ReadyOn = "", "", ""
			in.WalkIns[i].Day = cal.Day(in.WalkIns[i].SlotStart)
			if err := validWalkIn(in.WalkIns[i], cal.Office); err != nil {
				http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
				return
			}
		}
		if err := h.DB.PutBookings(r.Context(), in.WalkIns); err != nil {
			h.fail(w, r, err)
			return
		}
		if err := h.DB.Bump(r.Context()); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	ids, err := h.DB.Accept(r.Context(), in.Events, h.now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	slog.Info("events accepted", "counter", counter, "count", len(ids))
	writeJSON(w, Acked{IDs: ids})
}

func (h *Hub) serveEvents(w http.ResponseWriter, r *http.Request) {
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil && r.URL.Query().Get("after") != "" {
		http.Error(w, "bad request: after", http.StatusBadRequest)
		return
	}
	es, err := h.DB.EventsAfter(r.Context(), after, 500)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	next := after
	if len(es) > 0 {
		next = es[len(es)-1].Seq
	}
	if es == nil {
		es = []store.Event{}
	}
	writeJSON(w, Events{Events: es, Next: next})
}

func (h *Hub) serveKeys(w http.ResponseWriter, r *http.Request) {
	cal, _, err := h.DB.Office(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ring, err := h.DB.Keyring(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	t := Trust{Office: cal.Office}
	for _, k := range ring {
		t.Keys = append(t.Keys, pack.KeyOf(k))
	}
	writeJSON(w, t)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// Serve runs the hub's API on addr until ctx ends.
func (h *Hub) Serve(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: h.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	err := srv.ListenAndServe()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
