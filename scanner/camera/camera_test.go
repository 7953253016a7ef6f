package camera

import (
	"context"
	"errors"
	"image"
	"image/draw"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/qr"
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
	a, b := codeFrame(t, "GHCODEAAAAAAAA"), codeFrame(t, "GHCODEBBBBBBBB")
	blank := image.NewGray(image.Rect(0, 0, 640, 480))
	unplugged := errors.New("camera unplugged")
	opens := 0
	sources := []*script{
		// the same code in five frames, then another: two scans; then unplugged
		{frames: []*image.Gray{a, a, blank, a, a, b}, err: unplugged, delay: 30 * time.Millisecond},
		// back again, showing the first code after the repeat window
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
			clock = clock.Add(10 * time.Second) // reopening takes a while
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
	if got := rec.codes; len(got) != 3 || got[0] != "GHCODEAAAAAAAA" || got[1] != "GHCODEBBBBBBBB" || got[2] != "GHCODEAAAAAAAA" {
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
