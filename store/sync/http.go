package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/pack"
)

// HTTP is the Transport to a ghiseu-hub over HTTP.
type HTTP struct {
	Base   string // http://hub:8080
	Token  string
	Client *http.Client // a client with a timeout when nil
}

func (h *HTTP) client() *http.Client {
	if h.Client == nil {
		h.Client = &http.Client{Timeout: 20 * time.Second}
	}
	return h.Client
}

func (h *HTTP) do(ctx context.Context, method, path string, body io.Reader, header map[string]string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(h.Base, "/")+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+h.Token)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := h.client().Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(msg)))
	}
	return resp, nil
}

func (h *HTTP) getJSON(ctx context.Context, path string, v any) error {
	resp, err := h.do(ctx, http.MethodGet, path, nil, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(v)
}

// Trust asks the hub for its office and keys.
func (h *HTTP) Trust(ctx context.Context) (string, rescode.Keyring, error) {
	var t hub.Trust
	if err := h.getJSON(ctx, "/v1/keys", &t); err != nil {
		return "", nil, err
	}
	ring, err := pack.Keyring(t.Keys)
	return t.Office, ring, err
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
	if _, err := io.Copy(w, io.LimitReader(resp.Body, pack.Limits.TotalSize)); err != nil {
		return "", false, err
	}
	return resp.Header.Get("ETag"), true, nil
}

// Push sends events.
func (h *HTTP) Push(ctx context.Context, events []store.Event, walkIns []store.Booking) ([]string, error) {
	if events == nil {
		events = []store.Event{}
	}
	body, err := json.Marshal(hub.Events{Events: events, WalkIns: walkIns})
	if err != nil {
		return nil, err
	}
	resp, err := h.do(ctx, http.MethodPost, "/v1/events", bytes.NewReader(body), map[string]string{"Content-Type": "application/json"})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var a hub.Acked
	err = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&a)
	return a.IDs, err
}

// Pull fetches events after a cursor.
func (h *HTTP) Pull(ctx context.Context, after int64) ([]store.Event, int64, error) {
	var e hub.Events
	if err := h.getJSON(ctx, "/v1/events?after="+strconv.FormatInt(after, 10), &e); err != nil {
		return nil, after, err
	}
	return e.Events, e.Next, nil
}
