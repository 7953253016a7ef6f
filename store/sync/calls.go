package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/store/calls"
)

// Calls is the waiting room's source of calls at the hub: GET /v1/calls,
// a long poll over the same pinned TLS as the counter's sync (it talks to
// the enrolled hub only, with the enrolment's token).
type Calls struct {
	Link   Enrolment
	client *http.Client
}

// NewCalls makes the hub's calls source for an enrolment. Its answers may
// take as long as the poll waits, so it has its own client, whose
// patience is the wait's and not the counter's 20 s.
func NewCalls(e Enrolment) *Calls {
	tr := NewHTTP(e).client.Transport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = calls.MaxWait + 15*time.Second
	return &Calls{Link: e, client: &http.Client{Transport: tr, Timeout: calls.MaxWait + 20*time.Second}}
}

// Wait implements calls.Source.
func (c *Calls) Wait(ctx context.Context, after int64, wait time.Duration) (calls.Feed, error) {
	wait = min(max(wait, 0), calls.MaxWait)
	url := fmt.Sprintf("%s/v1/calls?after=%d&wait=%s", strings.TrimRight(c.Link.URL, "/"), after, wait)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return calls.Feed{}, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Link.Token)
	resp, err := c.client.Do(req)
	if err != nil {
		if errors.Is(err, ErrNotTheHub) {
			return calls.Feed{}, fmt.Errorf("%s: %w", c.Link.URL, ErrNotTheHub)
		}
		return calls.Feed{}, fmt.Errorf("calls: %w", err)
	}
	if resp.StatusCode >= 400 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		return calls.Feed{}, &HubError{Status: resp.StatusCode, Msg: strings.TrimSpace(string(msg))}
	}
	var f calls.Feed
	if err := decode(resp, 1<<20, &f); err != nil {
		return calls.Feed{}, fmt.Errorf("calls: %w", err)
	}
	if f.Calls == nil {
		f.Calls = []calls.Call{}
	}
	return f, nil
}

// String names the source for the logs.
func (c *Calls) String() string {
	return "hub " + c.Link.URL + " (" + strconv.Quote(c.Link.Office) + ")"
}
