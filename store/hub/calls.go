package hub

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/ghiseu/ghiseu/store/calls"
)

// serveCalls answers GET /v1/calls?after=SEQ&wait=25s, the waiting room's
// long poll: the calls feed (calls.Feed: tickets, counters, how many wait,
// the expected wait, today's hours; never a name, booking ID or code) as
// soon as the log holds something after SEQ, or when wait has passed.
func (h *Hub) serveCalls(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, err := strconv.ParseInt(q.Get("after"), 10, 64)
	if err != nil && q.Get("after") != "" {
		http.Error(w, "bad request: after", http.StatusBadRequest)
		return
	}
	wait := calls.DefaultWait
	if s := q.Get("wait"); s != "" {
		if wait, err = time.ParseDuration(s); err != nil || wait < 0 {
			http.Error(w, "bad request: wait", http.StatusBadRequest)
			return
		}
	}
	f, err := calls.Local{DB: h.DB, Now: h.now}.Wait(r.Context(), after, wait)
	if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil { // the display went away
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, f)
}
