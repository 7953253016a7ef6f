package camera

import (
	"context"
	"errors"
	"image"
	"image/draw"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/qr"
)

// Texts of the reservation code's form (their signatures do not matter to
// the camera: a forged code is judged, and refused, like any other).
const (
	codeA = "GHAAAAAAAAAAAAAA"
	codeB = "GHBBBBBBBBBBBBBB"
)

func codeFrame(t *testing.T, text string) *image.Gray {
	img, err := qr.Encode(text, 300)
	if err != nil {
		t.Fatal(err)
	}
	f := image.NewGray(image.Rect(0, 0, 640, 480))
	for i := range f.Pix {
		f.Pix[i] = 200
	}
	draw.Draw(f, image.Rect(100, 80, 400, 380), img, image.Point{}, draw.Src)
	return f
}

// script is a source that plays frames, then fails with err.
type script struct {
	frames []*image.Gray
	err    error
	delay  time.Duration
	closed int
}

func (s *script) Next(ctx context.Context) (*image.Gray, error) {
	time.Sleep(s.delay)
	if len(s.frames) == 0 {
		return nil, s.err
	}
	g := s.frames[0]
	s.frames = s.frames[1:]
	return g, nil
}

func (s *script) Close() error { s.closed++; return nil }

type record struct {
	mu     sync.Mutex
	codes  []string
	states []State
}

func (r *record) code(s string) { r.mu.Lock(); r.codes = append(r.codes, s); r.mu.Unlock() }
func (r *record) state(s State, _ error) {
	r.mu.Lock()
	r.states = append(r.states, s)
	r.mu.Unlock()
}

func TestPipeline(t *testing.T) {
	a, b := codeFrame(t, codeA), codeFrame(t, codeB)
	blank := image.NewGray(image.Rect(0, 0, 640, 480))
	unplugged := errors.New("camera unplugged")
	opens := 0
	sources := []*script{
		// the same code in five frames, then another: two scans; then unplugged
		{frames: []*image.Gray{a, a, blank, a, a, b}, err: unplugged, delay: 30 * time.Millisecond},
		// back again a minute later, showing the first code again
		{frames: []*image.Gray{a}, err: unplugged, delay: 30 * time.Millisecond},
	}
	rec := &record{}
	ctx, cancel := context.WithCancel(context.Background())
	clock := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	p := &Pipeline{
		Open: func() (Source, error) {
			if opens >= len(sources) {
				cancel()
				return nil, errors.New("no more cameras")
			}
			mu.Lock()
			clock = clock.Add(time.Minute) // reopening takes a while
			mu.Unlock()
			opens++
			return sources[opens-1], nil
		},
		OnCode:  rec.code,
		OnState: rec.state,
		Retry:   time.Millisecond,
		Now:     func() time.Time { mu.Lock(); defer mu.Unlock(); return clock },
	}
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the pipeline did not stop")
	}
	if got := rec.codes; len(got) != 3 || got[0] != codeA || got[1] != codeB || got[2] != codeA {
		t.Fatalf("codes %v, want A, B, A", got)
	}
	if sources[0].closed != 1 || sources[1].closed != 1 {
		t.Fatal("a failed source was not closed exactly once")
	}
	want := []State{Starting, Running, Lost, Starting, Running, Lost, Starting, Off}
	if len(rec.states) != len(want) {
		t.Fatalf("states %v, want %v", rec.states, want)
	}
	for i := range want {
		if rec.states[i] != want[i] {
			t.Fatalf("states %v, want %v", rec.states, want)
		}
	}
}

// slow is a source that produces frames faster than they can be decoded.
type counting struct {
	n     int
	frame *image.Gray
}

func (c *counting) Next(ctx context.Context) (*image.Gray, error) {
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	c.n++
	time.Sleep(time.Millisecond)
	return c.frame, nil
}

func (c *counting) Close() error { return nil }

func TestDropsFramesWhileBusy(t *testing.T) {
	src := &counting{frame: image.NewGray(image.Rect(0, 0, 1280, 720))}
	decoded := 0
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	p := &Pipeline{Open: func() (Source, error) { return src, nil },
		OnPreview: func(*image.Gray, []image.Point) { decoded++ }, Preview: time.Nanosecond}
	p.Run(ctx)
	if decoded == 0 || decoded >= src.n/2 {
		t.Fatalf("%d frames captured, %d decoded: stale frames are not dropped", src.n, decoded)
	}
}

// reading is a source that notes whether it was closed while a frame was
// being read from it: a real camera must not be.
type reading struct {
	busy, closedBusy atomic.Bool
}

func (r *reading) Next(ctx context.Context) (*image.Gray, error) {
	r.busy.Store(true)
	defer r.busy.Store(false)
	time.Sleep(20 * time.Millisecond) // a camera waiting for its next frame
	return image.NewGray(image.Rect(0, 0, 64, 48)), nil
}

func (r *reading) Close() error {
	r.closedBusy.Store(r.busy.Load())
	return nil
}

func TestNeverClosesWhileReading(t *testing.T) {
	for i := 0; i < 5; i++ {
		src := &reading{}
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(30+7*i)*time.Millisecond)
		(&Pipeline{Open: func() (Source, error) { return src, nil }}).Run(ctx)
		cancel()
		if src.closedBusy.Load() {
			t.Fatal("the source was closed while a frame was being read")
		}
	}
}

// lockstep is a source that gives its next frame only once the pipeline
// has decoded the previous one (OnPreview, every frame), so that no frame
// is dropped, and sets the clock to each frame's time as it gives it.
type lockstep struct {
	steps   []step
	start   time.Time
	now     atomic.Pointer[time.Time]
	decoded chan struct{}
	started bool
}

// step is a frame and when it is taken, after the start.
type step struct {
	frame *image.Gray
	at    time.Duration
}

var errEnd = errors.New("no more frames")

func (l *lockstep) Next(ctx context.Context) (*image.Gray, error) {
	if l.started {
		select {
		case <-l.decoded:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	l.started = true
	if len(l.steps) == 0 {
		return nil, errEnd
	}
	s := l.steps[0]
	l.steps = l.steps[1:]
	at := l.start.Add(s.at)
	l.now.Store(&at)
	return s.frame, nil
}

func (l *lockstep) Close() error { return nil }

// notes records what the pipeline left unjudged.
type notes struct {
	mu  sync.Mutex
	got []Note
}

func (n *notes) note(_ string, why Note) { n.mu.Lock(); n.got = append(n.got, why); n.mu.Unlock() }

func TestCodesLeftUnjudged(t *testing.T) {
	const poster = "https://example.com/concert"
	a, b, p := codeFrame(t, codeA), codeFrame(t, codeB), codeFrame(t, poster)
	blank := image.NewGray(image.Rect(0, 0, 640, 480))
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	tests := []struct {
		name    string
		scanned string // a code the handheld scanner judged at the start
		steps   []step
		codes   []string
		notes   []Note
	}{
		{name: "a poster in view is never judged",
			steps: []step{{p, 1 * ms}, {p, 2 * ms}, {p, 3 * ms}},
			notes: []Note{NotACode}},
		{name: "a poster beside a booking code",
			steps: []step{{p, 1 * ms}, {a, 2 * ms}, {p, 3 * ms}},
			codes: []string{codeA}, notes: []Note{NotACode, NotACode}},
		{name: "seen, gone and back within a minute",
			steps: []step{{a, 1 * ms}, {a, 2 * ms}, {blank, time.Second}, {a, 20 * time.Second}, {a, 21 * time.Second}},
			codes: []string{codeA}, notes: []Note{AlreadyJudged}},
		{name: "back after another code, within a minute",
			steps: []step{{a, 1 * ms}, {b, 5 * time.Second}, {a, 10 * time.Second}},
			codes: []string{codeA, codeB}, notes: []Note{AlreadyJudged}},
		{name: "back after a minute is judged again",
			steps: []step{{a, 1 * ms}, {blank, time.Second}, {a, 61 * time.Second}},
			codes: []string{codeA, codeA}},
		{name: "judged by the scanner a moment before",
			scanned: codeA,
			steps:   []step{{a, 10 * time.Second}, {b, 11 * time.Second}},
			codes:   []string{codeB}, notes: []Note{AlreadyJudged}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			judged := &Judged{}
			if tt.scanned != "" {
				judged.Mark(tt.scanned, start)
			}
			src := &lockstep{steps: tt.steps, start: start, decoded: make(chan struct{}, 1)}
			src.now.Store(&start)
			rec, ns := &record{}, &notes{}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			opened := false
			p := &Pipeline{
				Open: func() (Source, error) {
					if opened {
						cancel()
						return nil, errEnd
					}
					opened = true
					return src, nil
				},
				OnCode: rec.code,
				OnNote: ns.note,
				OnPreview: func(*image.Gray, []image.Point) {
					select {
					case src.decoded <- struct{}{}:
					default:
					}
				},
				Judged:  judged,
				Preview: time.Nanosecond,
				Retry:   time.Millisecond,
				Now:     func() time.Time { return *src.now.Load() },
			}
			p.Run(ctx)
			if !slices.Equal(rec.codes, tt.codes) {
				t.Errorf("judged %q, want %q", rec.codes, tt.codes)
			}
			if !slices.Equal(ns.got, tt.notes) {
				t.Errorf("notes %v, want %v", ns.got, tt.notes)
			}
		})
	}
}

func TestReservation(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"https://example.com", false},
		{"WIFI:S:office;T:WPA;P:secret;;", false},
		{"", false},
		{"GH", false},
		{"GHOOOO", false}, // O is not in the code's alphabet
		{codeA, true},     // the right form, an unknown key: forged or altered
		{"gh" + codeA[2:], true},
	} {
		if got := Reservation(tt.text); got != tt.want {
			t.Errorf("Reservation(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestJudged(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		do     func(j *Judged)
		text   string
		after  time.Duration
		claims bool
	}{
		{"never seen", func(*Judged) {}, codeA, 0, true},
		{"judged a moment ago", func(j *Judged) { j.Mark(codeA, at) }, codeA, time.Second, false},
		{"judged with Caps Lock off", func(j *Judged) { j.Mark("gh"+codeA[2:], at) }, codeA, time.Second, false},
		{"another code judged", func(j *Judged) { j.Mark(codeB, at) }, codeA, time.Second, true},
		{"judged a minute ago", func(j *Judged) { j.Mark(codeA, at) }, codeA, time.Minute, true},
		{"claimed, then not judged", func(j *Judged) { j.Claim(codeA, at); j.Forget(codeA) }, codeA, time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &Judged{}
			tt.do(j)
			if got := j.Claim(tt.text, at.Add(tt.after)); got != tt.claims {
				t.Fatalf("Claim = %v, want %v", got, tt.claims)
			}
		})
	}
}
