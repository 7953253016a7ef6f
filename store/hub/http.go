package hub

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
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

// Answer answers POST /v1/events: one result per event and per walk-in,
// in the order they were sent.
type Answer struct {
	Events  []store.Result `json:"events"`
	WalkIns []store.Result `json:"walk_ins,omitempty"`
}

// Hello answers GET /v1/hello: who the hub is and who it takes the counter
// for, with the proof that it knows the counter's token.
type Hello struct {
	Office  string `json:"office"`
	Counter string `json:"counter"`
	Proof   string `json:"proof"` // hex HMAC, see HelloProof
}

// TimeHeader carries the hub's clock (Unix milliseconds) on every answer,
// so that each request measures the counter's clock offset.
const TimeHeader = "X-Ghiseu-Time"

// MaxAhead is how far ahead of the hub's clock an event may be stamped.
const MaxAhead = 5 * time.Minute

// Trust answers GET /v1/keys: what a counter trusts from its first contact.
type Trust struct {
	Office string     `json:"office"`
	Keys   []pack.Key `json:"keys"`
}

// Handler serves the hub's API. Every request needs a counter's token
// (Authorization: Bearer TOKEN): none or a wrong one gets 401, a revoked
// one 403.
//
// Every answer carries the hub's clock in TimeHeader. The protocol is
// described in docs/sync.md.
//
//	GET  /v1/hello?nonce=HEX the office, the counter's identity and the token proof
//	GET  /v1/pack            the day pack (zip); If-None-Match → 304 when unchanged
//	POST /v1/events          {"events": [...], "walk_ins": [...]} → one result each
//	GET  /v1/events?after=N  events the hub holds after cursor N → {"events": [...], "next": M}
//	GET  /v1/keys            the office and the keys that sign codes and packs
//	GET  /v1/calls?after=N&wait=25s  the waiting room's calls feed, as soon as the log moves past N (calls.go)
//	POST /v1/tickets         {"day", "want": {"D": 10}} → the counter's desk index and blocks of ticket numbers (tickets.go)
func (h *Hub) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/hello", h.serveHello)
	mux.HandleFunc("GET /v1/pack", h.servePack)
	mux.HandleFunc("POST /v1/events", h.acceptEvents)
	mux.HandleFunc("GET /v1/events", h.serveEvents)
	mux.HandleFunc("GET /v1/keys", h.serveKeys)
	mux.HandleFunc("GET /v1/calls", h.serveCalls) // the waiting room's long poll (calls.go)
	mux.HandleFunc("POST /v1/tickets", h.serveTickets)
	return h.stamped(h.authenticated(mux))
}

// stamped puts the hub's clock on every answer.
func (h *Hub) stamped(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(TimeHeader, strconv.FormatInt(h.now().UnixMilli(), 10))
		next.ServeHTTP(w, r)
	})
}

type counterKey struct{}

// caller is the counter a request comes from, and its token's hash.
type caller struct{ counter, tokenHash string }

func (h *Hub) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		counter, err := h.Authenticate(r.Context(), token)
		who := caller{counter: counter, tokenHash: hashToken(token)}
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
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), counterKey{}, who)))
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
	data, err := h.packBytes(r.Context(), tag)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// packBytes is the pack of this tag, built once: counters asking for the
// same pack share it.
func (h *Hub) packBytes(ctx context.Context, tag string) ([]byte, error) {
	h.cache.Lock()
	defer h.cache.Unlock()
	if h.cache.tag == tag {
		return h.cache.data, nil
	}
	var buf bytes.Buffer
	if err := h.WritePack(ctx, &buf); err != nil {
		return nil, err
	}
	h.cache.tag, h.cache.data = tag, buf.Bytes()
	return h.cache.data, nil
}

func (h *Hub) serveHello(w http.ResponseWriter, r *http.Request) {
	who := r.Context().Value(counterKey{}).(caller)
	nonce := r.URL.Query().Get("nonce")
	if len(nonce) < 32 || len(nonce) > 128 {
		http.Error(w, "bad request: nonce", http.StatusBadRequest)
		return
	}
	cal, _, err := h.DB.Office(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, Hello{Office: cal.Office, Counter: who.counter,
		Proof: HelloProof(who.tokenHash, nonce, who.counter, cal.Office)})
}

// HelloProof is what proves that the hub knows a counter's token without
// sending it: an HMAC keyed with the token's SHA-256 (hex, as the hub keeps
// it) over the counter's nonce and what the hub answers.
func HelloProof(tokenHash, nonce, counter, office string) string {
	m := hmac.New(sha256.New, []byte(tokenHash))
	m.Write([]byte("ghiseu hello v1\x00" + nonce + "\x00" + counter + "\x00" + office))
	return hex.EncodeToString(m.Sum(nil))
}

// TokenHash is how a counter's token is kept at the hub, and the key of
// HelloProof.
func TokenHash(token string) string { return hashToken(token) }

func (h *Hub) acceptEvents(w http.ResponseWriter, r *http.Request) {
	who := r.Context().Value(counterKey{}).(caller)
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	var in Events
	if err := dec.Decode(&in); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	cal, _, err := h.DB.Office(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := accept(r.Context(), h.DB, store.Exchange{Counter: who.counter, Now: h.now(), MaxAhead: MaxAhead,
		Office: cal.Office, Day: cal.Day, WalkIns: in.WalkIns, Events: in.Events})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	logAnswer(who.counter, a)
	if a.Events == nil {
		a.Events = []store.Result{}
	}
	writeJSON(w, Answer{Events: a.Events, WalkIns: a.WalkIns})
}

// logAnswer logs what a counter's request brought, refusals one by one.
func logAnswer(counter string, a store.Answer) {
	n := map[string]int{}
	for _, r := range append(a.Events, a.WalkIns...) {
		n[r.Status]++
		if r.Status == store.ResultRefused {
			slog.Warn("refused from counter", "counter", counter, "id", r.ID, "reason", r.Reason, "detail", r.Detail)
		}
	}
	slog.Info("events from counter", "counter", counter, "accepted", n[store.ResultAccepted],
		"duplicate", n[store.ResultDuplicate], "refused", n[store.ResultRefused])
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

// Serve runs the hub's API over HTTPS on addr until ctx ends, with the
// hub's own certificate (see TLS): counters accept only that one.
func (h *Hub) Serve(ctx context.Context, addr string) error {
	cert, fingerprint, err := h.TLS(ctx)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13},
		ErrorLog:  slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug)}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	slog.Info("hub serving", "addr", ln.Addr().String(), "certificate", fingerprint)
	err = srv.ServeTLS(ln, "", "")
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
