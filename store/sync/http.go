package sync

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/pack"
)

// ErrNotTheHub says that the other side is not the hub the counter was
// enrolled with: another certificate, no proof of the token, or another
// office. Nothing is sent to it and nothing taken from it.
var ErrNotTheHub = errors.New("not the enrolled hub")

// HubError is an error answer of the hub (the hub was reached).
type HubError struct {
	Status int // the HTTP status; 0 for an answer that makes no sense
	Msg    string
}

func (e *HubError) Error() string {
	if e.Status == 0 {
		return "the hub's answer: " + e.Msg
	}
	return fmt.Sprintf("the hub answered %d %s: %s", e.Status, http.StatusText(e.Status), e.Msg)
}

// HTTP is the Transport to a ghiseu-hub over HTTPS, talking only to the
// hub whose certificate the enrolment pins.
type HTTP struct {
	Link   Enrolment
	client *http.Client
}

// NewHTTP makes the transport for an enrolment.
func NewHTTP(e Enrolment) *HTTP {
	pin := e.Cert
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		TLSHandshakeTimeout: 10 * time.Second,
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS13,
			// The certificate is self-made by the hub: no authority vouches
			// for it, the enrolment's fingerprint does (as in Syncthing).
			InsecureSkipVerify: true,
			VerifyConnection: func(cs tls.ConnectionState) error {
				if len(cs.PeerCertificates) == 0 {
					return fmt.Errorf("%w: no certificate", ErrNotTheHub)
				}
				sum := sha256.Sum256(cs.PeerCertificates[0].Raw)
				if !hmac.Equal([]byte(hex.EncodeToString(sum[:])), []byte(pin)) {
					return fmt.Errorf("%w: its certificate is not the enrolled one", ErrNotTheHub)
				}
				return nil
			},
		},
		ResponseHeaderTimeout: 20 * time.Second,
		MaxIdleConnsPerHost:   2,
	}
	return &HTTP{Link: e, client: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// CertFingerprint is the SHA-256 of a DER certificate, as enrolments pin it.
func CertFingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

func (h *HTTP) do(ctx context.Context, method, path string, body io.Reader, header map[string]string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(h.Link.URL, "/")+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+h.Link.Token)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		if errors.Is(err, ErrNotTheHub) {
			return nil, fmt.Errorf("%s: %w", h.Link.URL, ErrNotTheHub)
		}
		return nil, err
	}
	if resp.StatusCode >= 400 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		return nil, &HubError{Status: resp.StatusCode, Msg: strings.TrimSpace(string(msg))}
	}
	return resp, nil
}

func decode(resp *http.Response, limit int64, v any) error {
	defer resp.Body.Close()
	if err := json.NewDecoder(io.LimitReader(resp.Body, limit)).Decode(v); err != nil {
		return &HubError{Msg: "unreadable JSON: " + err.Error()}
	}
	return nil
}

// Hello asks the hub who it is, checks the proof that it knows this
// counter's token, and measures the clock with half the round trip.
func (h *HTTP) Hello(ctx context.Context) (Hello, error) {
	var n [16]byte
	rand.Read(n[:])
	nonce := hex.EncodeToString(n[:])
	sent := store.Now()
	resp, err := h.do(ctx, http.MethodGet, "/v1/hello?nonce="+nonce, nil, nil)
	if err != nil {
		return Hello{}, err
	}
	back := store.Now()
	var a hub.Hello
	if err := decode(resp, 1<<16, &a); err != nil {
		return Hello{}, err
	}
	want := hub.HelloProof(hub.TokenHash(h.Link.Token), nonce, a.Counter, a.Office)
	if !hmac.Equal([]byte(a.Proof), []byte(want)) {
		return Hello{}, fmt.Errorf("%w: it does not know this counter's token", ErrNotTheHub)
	}
	ms, err := strconv.ParseInt(resp.Header.Get(hub.TimeHeader), 10, 64)
	if err != nil {
		return Hello{}, &HubError{Msg: "no clock in " + hub.TimeHeader}
	}
	hubTime := time.UnixMilli(ms)
	mid := sent.Add(back.Sub(sent) / 2)
	return Hello{Office: a.Office, Counter: a.Counter, Offset: hubTime.Sub(mid).Round(time.Millisecond), HubTime: hubTime}, nil
}

// Pack downloads the day pack unless it is unchanged.
func (h *HTTP) Pack(ctx context.Context, etag string, w io.Writer) (string, bool, error) {
	resp, err := h.do(ctx, http.MethodGet, "/v1/pack", nil, map[string]string{"If-None-Match": etag})
	if err != nil {
		return "", false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return etag, false, nil
	}
	n, err := io.Copy(w, io.LimitReader(resp.Body, pack.Limits.TotalSize+1))
	switch {
	case err != nil:
		return "", false, err
	case n > pack.Limits.TotalSize:
		return "", false, &HubError{Msg: "a pack larger than any pack"}
	}
	return resp.Header.Get("ETag"), true, nil
}

// Push sends events and walk-ins; the answer has one result for each.
func (h *HTTP) Push(ctx context.Context, events []store.Event, walkIns []store.Booking) (hub.Answer, error) {
	if events == nil {
		events = []store.Event{}
	}
	body, err := json.Marshal(hub.Events{Events: events, WalkIns: walkIns})
	if err != nil {
		return hub.Answer{}, err
	}
	resp, err := h.do(ctx, http.MethodPost, "/v1/events", bytes.NewReader(body), map[string]string{"Content-Type": "application/json"})
	if err != nil {
		return hub.Answer{}, err
	}
	var a hub.Answer
	return a, decode(resp, 4<<20, &a)
}

// Pull fetches events after a cursor.
func (h *HTTP) Pull(ctx context.Context, after int64) ([]store.Event, int64, error) {
	resp, err := h.do(ctx, http.MethodGet, "/v1/events?after="+strconv.FormatInt(after, 10), nil, nil)
	if err != nil {
		return nil, after, err
	}
	var e hub.Events
	if err := decode(resp, 64<<20, &e); err != nil {
		return nil, after, err
	}
	// The hub's log may hold events an older hub took that no counter
	// records today: they are passed over, one by one, never the page.
	valid := e.Events[:0]
	for _, ev := range e.Events {
		if err := ev.Validate(); err != nil {
			slog.Warn("an event from the hub passed over", "id", ev.ID, "err", err)
			continue
		}
		valid = append(valid, ev)
	}
	return valid, e.Next, nil
}
