package app

import (
	"context"
	"errors"
	"image/color"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store/calls"
	"github.com/ghiseu/ghiseu/store/sync"
)

// WaitingRoom is the waiting room's screen (ghiseu display): the latest
// call huge ("D-017 → Ghișeul 2", at least a fifth of the screen's
// height, readable from 6 m), the previous calls, how many wait, the
// expected wait and today's hours. It shows tickets and counters only,
// never a name. When its source fails it says "reconnecting", keeps the
// calls it shows, and tries again by itself.
type WaitingRoom struct {
	win  fyne.Window
	src  calls.Source
	lang i18n.Lang

	// Announce, when set, says a call aloud (a chime, then the words) at
	// volume (0 to 1); it is called off the GUI goroutine, one call at a
	// time, for every call and call again that arrives while the screen
	// runs (not for the calls already made when it starts), unless the
	// sound is muted (M; Up and Down set the volume: remembered). An error
	// is logged, and said on the screen once.
	Announce func(ctx context.Context, c calls.Call, volume float64) error

	do     func(func())     // runs a function on the GUI goroutine
	now    func() time.Time // the clock shown
	retry  time.Duration    // the first wait before trying a failed source again
	sayFor time.Duration    // how long one call may take to say (announceTimeout)

	mu           gosync.Mutex // guards the fields below, read by tests
	feed         calls.Feed
	have         bool // a feed arrived
	reconnecting bool
	muteNote     string // said once when announcing failed
	notice       string // a short note in the status bar (the volume set), until noticeUntil
	noticeUntil  time.Time
	prefs        fyne.Preferences
	stopped      bool // Run returned
	refused      bool // the hub refuses this screen (a revoked token, another hub): reconnecting will not help

	v *waitingView
}

// NewWaitingRoom builds the waiting room's screen into w, fed by src;
// the sound's settings are a's preferences.
func NewWaitingRoom(a fyne.App, w fyne.Window, src calls.Source, lang i18n.Lang) *WaitingRoom {
	r := &WaitingRoom{win: w, src: src, lang: lang, do: fyne.Do, now: time.Now, retry: time.Second, sayFor: announceTimeout, prefs: a.Preferences()}
	r.v = newWaitingView()
	w.SetContent(r.v.root)
	w.Canvas().SetOnTypedKey(r.typedKey)
	w.SetTitle(r.t("display.window_title", nil))
	r.render()
	return r
}

func (r *WaitingRoom) t(key string, args map[string]string) string { return i18n.T(r.lang, key, args) }

// Run follows the source until ctx ends: it waits for each change, shows
// it, and announces the new calls; when the source fails it shows
// "reconnecting" and tries again, after 1 s, then up to 5 s apart.
func (r *WaitingRoom) Run(ctx context.Context) {
	defer func() {
		r.mu.Lock()
		r.stopped = true
		r.mu.Unlock()
	}()
	said := make(chan calls.Call, 32)
	go r.speak(ctx, said)
	go r.tick(ctx)
	var after, lastCall int64
	first, backoff := true, r.retry
	for ctx.Err() == nil {
		wait := calls.DefaultWait
		if first || r.Reconnecting() { // what there is, at once: back on the screen as soon as the source is
			wait = 0
		}
		f, err := r.src.Wait(ctx, after, wait)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			r.mu.Lock()
			was, wasRefused := r.reconnecting, r.refused
			r.reconnecting, r.refused = true, refusedScreen(err)
			r.mu.Unlock()
			if !was || wasRefused != refusedScreen(err) {
				slog.Warn("waiting room: the calls' source failed; reconnecting", "err", err)
				r.do(r.render)
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		backoff = r.retry
		if f.Seq < after { // another log (a hub restored, replaced): its calls are its own
			lastCall = 0
		}
		var fresh []calls.Call
		for _, c := range f.Calls {
			if !first && c.Seq > lastCall {
				fresh = append(fresh, c)
				select {
				case said <- c:
				default: // a backlog of calls is shown, not read out for minutes
				}
			}
		}
		for _, c := range f.Calls {
			lastCall = max(lastCall, c.Seq)
		}
		if first {
			slog.Info("waiting room: showing", "calls", len(f.Calls), "waiting", f.Waiting)
		}
		first, after = false, f.Seq
		r.mu.Lock()
		if r.reconnecting {
			slog.Info("waiting room: reconnected")
		}
		r.feed, r.have, r.reconnecting = f, true, false
		r.mu.Unlock()
		r.do(func() {
			r.render()
			for _, c := range fresh { // tickets and counters only: no name is ever here
				slog.Info("waiting room: call shown", "ticket", c.Ticket, "counter", c.Counter, "repeat", c.Repeat, "seq", c.Seq)
			}
		})
	}
}

// announceTimeout bounds the saying of one call (a chime and a few words).
const announceTimeout = 20 * time.Second

// speak announces calls one after the other.
func (r *WaitingRoom) speak(ctx context.Context, said <-chan calls.Call) {
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-said:
			volume, muted := r.volume()
			if r.Announce == nil || muted {
				continue
			}
			actx, cancel := context.WithTimeout(ctx, r.sayFor) // a sound device that never plays out holds no call back
			err := r.Announce(actx, c, volume)
			cancel()
			if err != nil && ctx.Err() == nil {
				r.mu.Lock()
				first := r.muteNote == ""
				r.muteNote = r.t("display.no_speech", nil)
				r.mu.Unlock()
				if first {
					slog.Warn("waiting room: a call could not be said", "err", err)
					r.do(r.render)
				}
			}
		}
	}
}

// tick keeps the clock on the screen.
func (r *WaitingRoom) tick(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.do(func() {
				r.v.clock.Text = r.clock()
				r.v.clock.Refresh()
			})
		}
	}
}

// clock is the time to show, in the office's time zone once known.
func (r *WaitingRoom) clock() string {
	r.mu.Lock()
	tz := r.feed.TimeZone
	r.mu.Unlock()
	now := r.now()
	if loc, err := time.LoadLocation(tz); tz != "" && err == nil {
		now = now.In(loc)
	}
	return now.Format("15:04")
}

// SetClock sets the clock the screen shows (time.Now by default): a lone
// counter's database gives the desk's (its --clock in demos and tests).
func (r *WaitingRoom) SetClock(now func() time.Time) { r.now = now }

// Reconnecting reports whether the screen says it is reconnecting.
func (r *WaitingRoom) Reconnecting() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reconnecting
}

// render shows the state on the screen (on the GUI goroutine).
func (r *WaitingRoom) render() {
	r.mu.Lock()
	f, have, reconnecting, refused, note := r.feed, r.have, r.reconnecting, r.refused, r.muteNote
	if r.notice != "" && r.now().Before(r.noticeUntil) {
		note = r.notice
	}
	r.mu.Unlock()
	v := r.v
	v.office.Text = f.OfficeName
	v.clock.Text = r.clock()
	switch {
	case reconnecting && refused:
		v.status.Text = r.t("display.refused", nil)
	case reconnecting:
		v.status.Text = r.t("display.reconnecting", nil)
	case !have:
		v.status.Text = r.t("display.connecting", nil)
	default:
		v.status.Text = note
	}
	v.statusBg.Hidden = v.status.Text == ""
	v.statusBg.FillColor, v.status.Color = colAmber, colStatusText
	if !reconnecting && have { // only the note that calls are not spoken
		v.statusBg.FillColor, v.status.Color = colBanner, colDim
	}
	latest, previous := splitCalls(f.Calls)
	if latest == nil {
		v.ticket.Text = ""
		v.counter.Text = r.t("display.no_calls", nil)
		v.counterBig = false
	} else {
		v.ticket.Text = latest.Ticket
		if v.ticket.Text == "" {
			v.ticket.Text = r.t("display.no_ticket", nil)
		}
		v.counter.Text = r.t("display.to_counter", map[string]string{"counter": latest.Counter})
		v.counterBig = true
	}
	v.prevTitle.Text = ""
	if len(previous) > 0 {
		v.prevTitle.Text = r.t("display.previous", nil)
	}
	for i, t := range v.prev {
		t.Text = ""
		if i < len(previous) {
			c := previous[i]
			ticket := c.Ticket
			if ticket == "" {
				ticket = r.t("display.no_ticket", nil)
			}
			t.Text = ticket + "  " + r.t("display.to_counter", map[string]string{"counter": c.Counter})
		}
	}
	v.waiting.Text, v.wait.Text, v.hours.Text = "", "", ""
	if have {
		v.waiting.Text = r.t("display.waiting", map[string]string{"n": strconv.Itoa(f.Waiting)})
		v.wait.Text = r.t("display.no_wait", nil)
		if f.ExpectedWaitMinutes > 0 {
			v.wait.Text = r.t("display.expected_wait", map[string]string{"minutes": strconv.Itoa(f.ExpectedWaitMinutes)})
		}
		v.hours.Text = r.t("display.closed", nil)
		if hs := calls.Merged(f.Hours); len(hs) > 0 {
			var parts []string
			for _, h := range hs {
				parts = append(parts, h.Start+"–"+h.End)
			}
			v.hours.Text = r.t("display.hours", map[string]string{"hours": strings.Join(parts, ", ")})
		}
	}
	v.root.Refresh()
	for _, o := range v.texts() {
		o.Refresh()
	}
	v.statusBg.Refresh()
}

// refusedScreen tells an error that trying again does not mend: the hub
// does not take this screen's token, or is not the enrolled hub.
func refusedScreen(err error) bool {
	var he *sync.HubError
	return errors.Is(err, sync.ErrNotTheHub) ||
		errors.As(err, &he) && (he.Status == http.StatusUnauthorized || he.Status == http.StatusForbidden)
}

// splitCalls picks the latest call and the earlier ones, newest first,
// each once: a call again is no new line, and neither is the call it
// repeats when it is the latest.
func splitCalls(cs []calls.Call) (*calls.Call, []calls.Call) {
	if len(cs) == 0 {
		return nil, nil
	}
	latest := cs[len(cs)-1]
	seen := map[string]bool{latest.Ticket + "\x00" + latest.Counter: true}
	skip := -1 // the call the latest repeats
	if latest.Repeat {
		for i := len(cs) - 2; i >= 0; i-- {
			if !cs[i].Repeat && cs[i].Ticket == latest.Ticket && cs[i].Counter == latest.Counter {
				skip = i
				break
			}
		}
	}
	var prev []calls.Call
	for i := len(cs) - 2; i >= 0; i-- {
		k := cs[i].Ticket + "\x00" + cs[i].Counter
		if cs[i].Repeat || i == skip || cs[i].Ticket != "" && seen[k] {
			continue
		}
		seen[k] = true
		prev = append(prev, cs[i])
	}
	return &latest, prev
}

// The screen's colours: light on dark, for a TV across a room.
var (
	colBackground = color.NRGBA{R: 0x0b, G: 0x1d, B: 0x3a, A: 0xff}
	colPanel      = color.NRGBA{R: 0x12, G: 0x2c, B: 0x55, A: 0xff}
	colText       = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	colDim        = color.NRGBA{R: 0xc8, G: 0xd3, B: 0xe6, A: 0xff}
	colTicket     = color.NRGBA{R: 0xff, G: 0xd4, B: 0x00, A: 0xff}
	colAmber      = color.NRGBA{R: 0xff, G: 0xb0, B: 0x20, A: 0xff}
	colBanner     = color.NRGBA{R: 0x2a, G: 0x45, B: 0x70, A: 0xff}
	colStatusText = color.NRGBA{R: 0x10, G: 0x10, B: 0x10, A: 0xff}
)
