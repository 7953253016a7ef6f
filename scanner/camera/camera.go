// Package camera runs a camera's frames through the QR decoder: it never
// decodes a stale frame (frames that arrive while the decoder is busy are
// dropped), hands what it reads to the same path the handheld scanner
// uses, ignores a code held in view, a code that is no reservation code at
// all (a poster, another phone) and a code judged in the last minute that
// comes back into view (telling the clerk in a note, never on the card),
// offers a few preview frames a second with the code's outline, reports
// the camera's state and reopens a camera that went away.
package camera

import (
	"context"
	"errors"
	"image"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ghiseu/ghiseu/scanner/decode"
	"github.com/ghiseu/ghiseu/scanner/rescode"
)

// Source is where frames come from: a webcam, or a folder of images.
type Source interface {
	Next(ctx context.Context) (*image.Gray, error)
	Close() error
}

// State is the camera's state as the clerk sees it.
type State int

// Camera states.
const (
	Off      State = iota // no camera chosen
	Starting              // opening
	Running               // frames arrive
	Lost                  // could not open, or stopped giving frames: retrying
)

// Note is why the camera left a code it read unjudged: a note for the
// clerk under the preview, never the verdict card.
type Note int

// Notes.
const (
	NotACode      Note = iota + 1 // not a reservation code at all: a poster, another phone
	AlreadyJudged                 // judged in the last minute, by the camera or the scanner
)

// Pipeline joins a source to the decoder.
type Pipeline struct {
	Open      func() (Source, error)           // opens (and reopens) the source
	OnCode    func(text string)                // a code to judge was read
	OnNote    func(text string, why Note)      // a code read and left unjudged
	OnPreview func(*image.Gray, []image.Point) // a frame for the preview, and the last code's outline
	OnState   func(State, error)               // the camera's state changed
	Judged    *Judged                          // the codes judged lately, shared with the scanner; the pipeline's own when nil
	Repeat    time.Duration                    // ignore the same code again within this; 3 s when zero
	Preview   time.Duration                    // time between preview frames; 250 ms when zero
	Retry     time.Duration                    // time between reopen attempts; 2 s when zero
	Now       func() time.Time                 // the clock; time.Now when nil

	lastText string
	lastAt   time.Time
}

func (p *Pipeline) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

func (p *Pipeline) state(s State, err error) {
	if p.OnState != nil {
		p.OnState(s, err)
	}
}

// Run opens the source and decodes its frames until ctx ends, reopening
// the source after it fails.
func (p *Pipeline) Run(ctx context.Context) {
	retry := p.Retry
	if retry == 0 {
		retry = 2 * time.Second
	}
	for ctx.Err() == nil {
		p.state(Starting, nil)
		src, err := p.Open()
		if err == nil {
			err = p.stream(ctx, src)
			src.Close()
		}
		if ctx.Err() != nil {
			break
		}
		slog.Warn("camera lost", "err", err)
		p.state(Lost, err)
		select {
		case <-ctx.Done():
		case <-time.After(retry):
		}
	}
	p.state(Off, nil)
}

// stream decodes frames of src until it fails or ctx ends. One goroutine
// captures and keeps only the latest frame; this one decodes it. It
// returns only once the capturing goroutine has stopped, so that the
// caller never closes the source while a frame is being read from it.
func (p *Pipeline) stream(ctx context.Context, src Source) error {
	ctx, cancel := context.WithCancel(ctx)
	captured := make(chan struct{})
	defer func() {
		cancel()
		<-captured
	}()
	var (
		mu     sync.Mutex
		latest *image.Gray
		failed error
	)
	ready := make(chan struct{}, 1)
	go func() {
		defer close(captured)
		for {
			g, err := src.Next(ctx)
			mu.Lock()
			if err != nil {
				failed = err
			} else {
				latest = g // an undecoded older frame is dropped
			}
			mu.Unlock()
			select {
			case ready <- struct{}{}:
			default:
			}
			if err != nil || ctx.Err() != nil {
				return
			}
		}
	}()
	dec := decode.New()
	running := false
	var shown time.Time
	var outline []image.Point
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ready:
		}
		mu.Lock()
		g, err := latest, failed
		latest = nil
		mu.Unlock()
		if err != nil {
			return err
		}
		if g == nil {
			continue
		}
		if !running {
			running = true
			p.state(Running, nil)
		}
		if r, ok := dec.Frame(g); ok {
			outline = r.Points
			p.found(r.Text)
		}
		if p.OnPreview != nil && p.now().Sub(shown) >= p.previewEvery() {
			shown = p.now()
			p.OnPreview(g, outline)
			outline = nil
		}
	}
}

func (p *Pipeline) previewEvery() time.Duration {
	if p.Preview == 0 {
		return 250 * time.Millisecond
	}
	return p.Preview
}

// found passes a code on to be judged unless it is the one held in view,
// is not a reservation code at all, or was judged in the last minute.
func (p *Pipeline) found(text string) {
	repeat := p.Repeat
	if repeat == 0 {
		repeat = 3 * time.Second
	}
	now := p.now()
	if text == p.lastText && now.Sub(p.lastAt) < repeat {
		p.lastAt = now
		return
	}
	p.lastText, p.lastAt = text, now
	if p.Judged == nil {
		p.Judged = &Judged{}
	}
	switch {
	case !Reservation(text):
		p.note(text, NotACode)
	case !p.Judged.Claim(text, now):
		p.note(text, AlreadyJudged)
	case p.OnCode != nil:
		p.OnCode(text)
	}
}

func (p *Pipeline) note(text string, why Note) {
	if p.OnNote != nil {
		p.OnNote(text, why)
	}
}

// Reservation reports whether text is meant to be a reservation code:
// whatever rescode.Parse does not call "not a code at all". A code of the
// right form whose signature fails is one: a forged code shown to the
// camera is worth the clerk's attention.
func Reservation(text string) bool {
	_, err := rescode.Parse(text, nil)
	return !errors.Is(err, rescode.ErrNotACode)
}

// Judged remembers the codes judged lately, whichever way they came (the
// camera, the handheld scanner, typed), so that the camera does not judge
// again a code that comes back into view: the card keeps the verdict the
// clerk saw first. It is safe for concurrent use; the zero value holds
// codes for a minute.
type Judged struct {
	For time.Duration // how long a code is remembered; a minute when zero

	mu sync.Mutex
	at map[string]time.Time
}

func (j *Judged) span() time.Duration {
	if j.For == 0 {
		return time.Minute
	}
	return j.For
}

// Mark notes that text was judged at now.
func (j *Judged) Mark(text string, now time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.mark(text, now)
}

// Claim marks text as judged at now and reports true, unless it was judged
// less than the span before: then it changes nothing and reports false.
func (j *Judged) Claim(text string, now time.Time) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if at, ok := j.at[key(text)]; ok && now.Sub(at) < j.span() {
		return false
	}
	j.mark(text, now)
	return true
}

// Forget drops text: it was handed on to be judged, and was not (no clerk
// signed in, the database failed), so that it is judged when seen again.
func (j *Judged) Forget(text string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	delete(j.at, key(text))
}

// mark records text and forgets the codes older than the span, so the
// memory holds at most a minute's codes. The caller holds mu.
func (j *Judged) mark(text string, now time.Time) {
	if j.at == nil {
		j.at = map[string]time.Time{}
	}
	for k, at := range j.at {
		if now.Sub(at) >= j.span() {
			delete(j.at, k)
		}
	}
	j.at[key(text)] = now
}

// key is the text as remembered: a code read by the camera and the same
// code from a scanner with Caps Lock on are one code.
func key(text string) string { return strings.ToUpper(strings.TrimSpace(text)) }
