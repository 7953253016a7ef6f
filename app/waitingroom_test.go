package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store/calls"
	hubsync "github.com/ghiseu/ghiseu/store/sync"
)

// fakeCalls is a calls.Source the test feeds: each Wait takes the next
// answer (a feed or an error), waiting for it.
type fakeCalls struct {
	answers chan fakeAnswer
	mu      sync.Mutex
	waits   []time.Duration // the waits asked
}

type fakeAnswer struct {
	f   calls.Feed
	err error
}

func (s *fakeCalls) Wait(ctx context.Context, after int64, wait time.Duration) (calls.Feed, error) {
	s.mu.Lock()
	s.waits = append(s.waits, wait)
	s.mu.Unlock()
	select {
	case a := <-s.answers:
		return a.f, a.err
	case <-ctx.Done():
		return calls.Feed{}, ctx.Err()
	}
}

// room is a waiting room in a test window of a size, run against a fake
// source, with what it announced.
type room struct {
	mu   sync.Mutex // held while the room's goroutines touch the window
	r    *WaitingRoom
	src  *fakeCalls
	w    fyne.Window
	said []calls.Call
	vols []float64     // the volume of each call said
	done chan struct{} // a feed or error was shown
}

func newRoom(t *testing.T, size fyne.Size, lang i18n.Lang) *room {
	t.Helper()
	test.NewTempApp(t)
	rm := &room{src: &fakeCalls{answers: make(chan fakeAnswer)}, done: make(chan struct{}, 16)}
	rm.w = test.NewWindow(nil)
	rm.w.SetPadded(false)
	rm.w.Resize(size)
	rm.r = NewWaitingRoom(fyne.CurrentApp(), rm.w, rm.src, lang)
	rm.r.retry = 10 * time.Millisecond
	rm.r.do = func(fn func()) {
		rm.mu.Lock()
		fn()
		rm.mu.Unlock()
		select {
		case rm.done <- struct{}{}:
		default:
		}
	}
	rm.r.Announce = func(_ context.Context, c calls.Call, volume float64) error {
		rm.mu.Lock()
		defer rm.mu.Unlock()
		rm.said, rm.vols = append(rm.said, c), append(rm.vols, volume)
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go rm.r.Run(ctx)
	return rm
}

// answer gives the room's next Wait its answer and waits until the screen
// showed it.
func (rm *room) answer(t *testing.T, f calls.Feed, err error) {
	t.Helper()
	for len(rm.done) > 0 {
		<-rm.done
	}
	select {
	case rm.src.answers <- fakeAnswer{f, err}:
	case <-time.After(5 * time.Second):
		t.Fatal("the room did not ask for the feed")
	}
	select {
	case <-rm.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the screen did not change")
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	rm.w.Content().Refresh()
}

func feedOf(seq int64, cs ...calls.Call) calls.Feed {
	return calls.Feed{Seq: seq, Calls: cs, Waiting: 4, ExpectedWaitMinutes: 18, ServiceMinutes: 9, OpenCounters: 2,
		Hours: []calls.Hours{{Start: "08:30", End: "13:00", Kind: "intake"}}, OfficeName: "SPCLEP Dumbrăvița", TimeZone: "Europe/Bucharest"}
}

func call(seq int64, ticket, counter string, repeat bool) calls.Call {
	return calls.Call{Seq: seq, Ticket: ticket, Counter: counter, Repeat: repeat, At: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
}

// The latest call is at least a fifth of the screen's height, on a
// 1920×1080 TV and a 1366×768 one, and fits its width.
func TestWaitingRoomLatestCallIsHuge(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1920, Height: 1080}, {Width: 1366, Height: 768}, {Width: 1024, Height: 768}} {
		t.Run(fmt.Sprintf("%.0fx%.0f", size.Width, size.Height), func(t *testing.T) {
			rm := newRoom(t, size, i18n.Romanian)
			rm.answer(t, feedOf(9, call(3, "D-012", "1", false), call(5, "D-013", "2", false), call(8, "D-017", "2", false)), nil)
			rm.mu.Lock()
			defer rm.mu.Unlock()
			v := rm.r.v
			h := rm.w.Canvas().Size().Height
			if h < size.Height-1 {
				t.Fatalf("canvas height %v, window %v", h, size)
			}
			if v.ticket.Text != "D-017" || v.counter.Text != "→ Ghișeul 2" {
				t.Fatalf("latest call %q %q", v.ticket.Text, v.counter.Text)
			}
			for _, txt := range []*struct {
				name string
				size float32
				text string
			}{{"ticket", v.ticket.TextSize, v.ticket.Text}, {"counter", v.counter.TextSize, v.counter.Text}} {
				if txt.size < h/5 {
					t.Errorf("the latest call's %s is %.0f high on a %.0f screen: under a fifth", txt.name, txt.size, h)
				}
				if w := fyne.MeasureText(txt.text, txt.size, fyne.TextStyle{Bold: true}).Width; w > size.Width {
					t.Errorf("the latest call's %s is %.0f wide on a %.0f screen", txt.name, w, size.Width)
				}
			}
			var prev []string
			for _, p := range v.prev {
				if p.Text != "" {
					prev = append(prev, p.Text)
				}
			}
			if strings.Join(prev, "|") != "D-013  → Ghișeul 2|D-012  → Ghișeul 1" {
				t.Errorf("previous calls %q", prev)
			}
			if v.waiting.Text != "În așteptare: 4 persoane" || v.wait.Text != "Așteptare estimată: ~18 minute" || v.hours.Text != "Program azi: 08:30–13:00" {
				t.Errorf("footer %q | %q | %q", v.waiting.Text, v.wait.Text, v.hours.Text)
			}
		})
	}
}

// When the source fails the screen says it is reconnecting and keeps its
// calls; it tries again by itself and, answered, shows the new feed.
func TestWaitingRoomReconnects(t *testing.T) {
	rm := newRoom(t, fyne.NewSize(1366, 768), i18n.English)
	rm.answer(t, feedOf(4, call(4, "R-005", "1", false)), nil)
	rm.answer(t, calls.Feed{}, errors.New("connection refused"))
	rm.mu.Lock()
	v := rm.r.v
	if !rm.r.Reconnecting() || v.status.Text != "Reconnecting… the last calls stay on screen" || v.statusBg.Hidden {
		t.Errorf("after a failure: reconnecting %v, status %q", rm.r.Reconnecting(), v.status.Text)
	}
	if v.ticket.Text != "R-005" || v.counter.Text != "→ Counter 1" || v.waiting.Text != "Waiting: 4 people" {
		t.Errorf("the calls went with the hub: %q %q %q", v.ticket.Text, v.counter.Text, v.waiting.Text)
	}
	rm.mu.Unlock()
	rm.answer(t, feedOf(6, call(4, "R-005", "1", false), call(6, "D-001", "3", false)), nil) // asked again by itself
	rm.mu.Lock()
	defer rm.mu.Unlock()
	waitFor := func() bool { // the fourth request follows the third answer
		rm.src.mu.Lock()
		defer rm.src.mu.Unlock()
		return len(rm.src.waits) >= 4
	}
	for end := time.Now().Add(3 * time.Second); !waitFor() && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	rm.src.mu.Lock()
	if w := rm.src.waits; len(w) < 4 || w[0] != 0 || w[1] != calls.DefaultWait || w[2] != 0 || w[3] != calls.DefaultWait {
		t.Errorf("waits asked %v: the first and the first after a failure must be answered at once, the others are long polls", w)
	}
	rm.src.mu.Unlock()
	if rm.r.Reconnecting() || v.status.Text != "" || !v.statusBg.Hidden || v.ticket.Text != "D-001" {
		t.Errorf("back: reconnecting %v, status %q, latest %q", rm.r.Reconnecting(), v.status.Text, v.ticket.Text)
	}
}

// The calls made before the screen started are shown, not said; each new
// call is said, and a call again is said again.
func TestWaitingRoomAnnouncesNewCalls(t *testing.T) {
	rm := newRoom(t, fyne.NewSize(1366, 768), i18n.Romanian)
	rm.answer(t, feedOf(3, call(3, "D-001", "1", false)), nil)
	rm.answer(t, feedOf(5, call(3, "D-001", "1", false), call(5, "D-002", "2", false)), nil)
	rm.answer(t, feedOf(7, call(3, "D-001", "1", false), call(5, "D-002", "2", false), call(7, "D-002", "2", true)), nil)
	var said []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		rm.mu.Lock()
		said = nil
		for _, c := range rm.said {
			said = append(said, fmt.Sprintf("%s@%s repeat=%v", c.Ticket, c.Counter, c.Repeat))
		}
		rm.mu.Unlock()
		if len(said) >= 2 {
			break
		}
	}
	if strings.Join(said, ", ") != "D-002@2 repeat=false, D-002@2 repeat=true" {
		t.Errorf("said %q", said)
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if v := rm.r.v; v.ticket.Text != "D-002" || len(v.prev[0].Text) == 0 || v.prev[1].Text != "" {
		t.Errorf("a call again is no new line: latest %q, previous %q, %q", v.ticket.Text, v.prev[0].Text, v.prev[1].Text)
	}
}

func TestSplitCalls(t *testing.T) {
	for _, tc := range []struct {
		name   string
		calls  []calls.Call
		latest string
		prev   string
	}{
		{"none", nil, "", ""},
		{"newest first", []calls.Call{call(1, "D-001", "1", false), call(2, "D-002", "2", false), call(3, "D-003", "1", false)}, "D-003@1", "D-002@2 D-001@1"},
		{"a repeat is the latest, its call no line", []calls.Call{call(1, "D-001", "1", false), call(2, "D-002", "2", false), call(3, "D-001", "1", true)}, "D-001@1", "D-002@2"},
		{"a repeat of an earlier call is no line", []calls.Call{call(1, "D-001", "1", false), call(2, "D-001", "1", true), call(3, "D-002", "2", false)}, "D-002@2", "D-001@1"},
		{"no tickets: a repeat hides only its own call", []calls.Call{call(1, "", "1", false), call(2, "", "1", false), call(3, "", "1", true)}, "@1", "@1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, p := splitCalls(tc.calls)
			got := ""
			if l != nil {
				got = l.Ticket + "@" + l.Counter
			}
			var ps []string
			for _, c := range p {
				ps = append(ps, c.Ticket+"@"+c.Counter)
			}
			if got != tc.latest || strings.Join(ps, " ") != tc.prev {
				t.Errorf("latest %q, previous %q; want %q, %q", got, strings.Join(ps, " "), tc.latest, tc.prev)
			}
		})
	}
}

// said waits until the room said n calls, and returns what it said.
func (rm *room) saidN(n int) ([]calls.Call, []float64) {
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		rm.mu.Lock()
		if len(rm.said) >= n {
			defer rm.mu.Unlock()
			return append([]calls.Call(nil), rm.said...), append([]float64(nil), rm.vols...)
		}
		rm.mu.Unlock()
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	return append([]calls.Call(nil), rm.said...), append([]float64(nil), rm.vols...)
}

// M mutes the calls (shown, not said), Up unmutes and raises the volume;
// the settings are remembered.
func TestWaitingRoomSoundSettings(t *testing.T) {
	rm := newRoom(t, fyne.NewSize(1366, 768), i18n.Romanian)
	rm.answer(t, feedOf(1), nil)
	press := func(k fyne.KeyName) {
		rm.mu.Lock()
		defer rm.mu.Unlock()
		rm.r.typedKey(&fyne.KeyEvent{Name: k})
	}
	press(fyne.KeyM)
	rm.mu.Lock()
	if rm.r.v.status.Text != "Sunet oprit (M îl pornește)" {
		t.Errorf("after M the status says %q", rm.r.v.status.Text)
	}
	rm.mu.Unlock()
	rm.answer(t, feedOf(2, call(2, "D-001", "1", false)), nil)
	if said, _ := rm.saidN(1); len(said) != 0 {
		t.Fatalf("muted, yet said %+v", said)
	}
	press(fyne.KeyUp)
	rm.answer(t, feedOf(3, call(2, "D-001", "1", false), call(3, "D-002", "2", false)), nil)
	said, vols := rm.saidN(1)
	if len(said) != 1 || said[0].Ticket != "D-002" || vols[0] != 0.8 {
		t.Fatalf("after Up: said %+v at %v, want D-002 at 0.8", said, vols)
	}
	if p := fyne.CurrentApp().Preferences(); p.Int(PrefVolume) != 80 || p.Bool(PrefMute) {
		t.Errorf("remembered volume %d, muted %v", p.Int(PrefVolume), p.Bool(PrefMute))
	}
}

// A hub that refuses the screen's token is said so: reconnecting will not
// mend it; the calls stay.
func TestWaitingRoomRefusedByTheHub(t *testing.T) {
	rm := newRoom(t, fyne.NewSize(1366, 768), i18n.English)
	rm.answer(t, feedOf(4, call(4, "R-005", "1", false)), nil)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&hubsync.HubError{Status: 403, Msg: "counter token revoked"}, "The hub no longer knows this screen: enrol it again (ghiseu-hub enroll, then ghiseu link)"},
		{errors.New("connection refused"), "Reconnecting… the last calls stay on screen"},
		{fmt.Errorf("calls: %w", hubsync.ErrNotTheHub), "The hub no longer knows this screen: enrol it again (ghiseu-hub enroll, then ghiseu link)"},
	} {
		rm.answer(t, calls.Feed{}, tc.err)
		rm.mu.Lock()
		if got := rm.r.v.status.Text; got != tc.want || rm.r.v.ticket.Text != "R-005" {
			t.Errorf("%v: status %q, latest %q; want %q and the call kept", tc.err, got, rm.r.v.ticket.Text, tc.want)
		}
		rm.mu.Unlock()
	}
}

// A call the sound device never finishes playing holds no other call
// back: it is given up, the screen says once that it cannot speak, and
// the next call is tried.
func TestWaitingRoomAnnouncingGivesUp(t *testing.T) {
	rm := newRoom(t, fyne.NewSize(1366, 768), i18n.Romanian)
	tried := make(chan string, 4)
	rm.mu.Lock()
	rm.r.sayFor = 100 * time.Millisecond
	rm.r.Announce = func(ctx context.Context, c calls.Call, _ float64) error {
		tried <- c.Ticket
		<-ctx.Done()
		return ctx.Err()
	}
	rm.mu.Unlock()
	rm.answer(t, feedOf(1), nil)
	rm.answer(t, feedOf(2, call(2, "D-001", "1", false)), nil)
	rm.answer(t, feedOf(3, call(2, "D-001", "1", false), call(3, "D-002", "2", false)), nil)
	for _, want := range []string{"D-001", "D-002"} {
		select {
		case got := <-tried:
			if got != want {
				t.Errorf("tried %s, want %s", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s was never tried: the first call held it back", want)
		}
	}
	ok := false
	for end := time.Now().Add(3 * time.Second); !ok && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		rm.mu.Lock()
		ok = rm.r.v.status.Text == "Chemările nu pot fi anunțate vocal pe acest calculator"
		rm.mu.Unlock()
	}
	if !ok {
		t.Errorf("the screen does not say it cannot speak: %q", rm.r.v.status.Text)
	}
}
