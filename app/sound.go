package app

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"

	"github.com/ghiseu/ghiseu/assets/sounds"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// Preference keys of the sound.
const (
	PrefVolume = "volume" // 0 to 100
	PrefMute   = "mute"
)

// speaker plays the verdicts' sounds; without a sound device it stays
// silent (the counter works the same). Each cue has one player, made the
// first time the cue plays and rewound every time after: a shift of
// thousands of scans plays with three players' memory.
type speaker struct {
	mu      sync.Mutex
	ctx     *oto.Context
	players map[sounds.Cue]*oto.Player
	opened  chan struct{} // closed once the device is open, or known missing
	err     error         // why there is no device (or it plays nothing)
	told    bool          // firstNoSound has said there is none
}

var (
	speakerOnce sync.Once
	theSpeaker  *speaker
)

// openSpeaker opens the sound device once, in the background.
func openSpeaker() *speaker {
	speakerOnce.Do(func() {
		theSpeaker = &speaker{opened: make(chan struct{})}
		go func() {
			defer close(theSpeaker.opened)
			ctx, ready, err := oto.NewContext(&oto.NewContextOptions{SampleRate: sounds.Rate, ChannelCount: 1,
				Format: oto.FormatSignedInt16LE, BufferSize: 50 * time.Millisecond})
			if err != nil {
				slog.Warn("no sound", "err", err)
				theSpeaker.mu.Lock()
				theSpeaker.err = err
				theSpeaker.mu.Unlock()
				return
			}
			<-ready
			theSpeaker.mu.Lock()
			theSpeaker.ctx = ctx
			theSpeaker.mu.Unlock()
		}()
	})
	return theSpeaker
}

// play plays a cue at volume (0 to 1).
func (s *speaker) play(c sounds.Cue, volume float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil || volume <= 0 {
		return
	}
	p := s.players[c]
	if p == nil {
		p = s.ctx.NewPlayer(bytes.NewReader(sounds.PCM(c, 1)))
		if s.players == nil {
			s.players = map[sounds.Cue]*oto.Player{}
		}
		s.players[c] = p
	}
	p.Pause()
	if _, err := p.Seek(0, io.SeekStart); err != nil {
		slog.Warn("sound", "err", err)
		return
	}
	p.SetVolume(volume)
	p.Play()
}

// errNoSound is playPCM's error when there is no sound device.
var errNoSound = errors.New("no sound device")

// deviceWait is how long playPCM waits for the sound device to open.
const deviceWait = 3 * time.Second

// playPCM plays pcm, mono 16-bit samples at sounds.Rate with the volume
// already in them (announce.Render applies it; muted, do not call), and
// returns once it has been played, or when ctx ends, which stops it: call
// it from a goroutine, one sound after another. Without a sound device it
// returns an error that wraps errNoSound: show it once (firstNoSound) and
// keep working.
func (s *speaker) playPCM(ctx context.Context, pcm []int16) error {
	if s == nil {
		return fmt.Errorf("play: %w", errNoSound)
	}
	select {
	case <-s.opened:
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(deviceWait):
	}
	s.mu.Lock()
	out, why := s.ctx, s.err
	s.mu.Unlock()
	if out != nil && why == nil {
		why = out.Err() // ALSA without a card fails after the context is made
	}
	if out == nil || why != nil {
		if why == nil {
			why = fmt.Errorf("not open after %v", deviceWait)
		}
		return fmt.Errorf("play: %w: %w", errNoSound, why)
	}
	b := make([]byte, 0, 2*len(pcm))
	for _, v := range pcm {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	p := out.NewPlayer(bytes.NewReader(b))
	defer p.Close()
	p.Play()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	// a device that takes no sound (ALSA without a card) never ends it
	length := time.Duration(len(pcm)) * time.Second / sounds.Rate
	stuck := time.NewTimer(length + 2*time.Second)
	defer stuck.Stop()
	for p.IsPlaying() {
		select {
		case <-ctx.Done():
			p.Pause()
			return ctx.Err()
		case <-stuck.C:
			p.Pause()
			err := out.Err()
			if err == nil {
				err = fmt.Errorf("%v of sound not played after %v", length, length+2*time.Second)
			}
			s.mu.Lock()
			s.err = err // the next calls are told at once
			s.mu.Unlock()
			return fmt.Errorf("play: %w: %w", errNoSound, err)
		case <-tick.C:
		}
	}
	if err := p.Err(); err != nil {
		return fmt.Errorf("play: %w", err)
	}
	return nil
}

// firstNoSound reports whether err is the lack of a sound device, told for
// the first time: the display says so once, then works on in silence.
func (s *speaker) firstNoSound(err error) bool {
	if s == nil || !errors.Is(err, errNoSound) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	first := !s.told
	s.told = true
	return first
}

// cueOf is the sound of a card's colour.
var cueOf = map[verdict.Colour]sounds.Cue{verdict.Green: sounds.OK, verdict.Amber: sounds.Attention, verdict.Red: sounds.Error}

// sound plays the card colour's cue, unless muted.
func (c *Counter) sound(colour verdict.Colour) {
	cue, ok := cueOf[colour]
	prefs := c.app.Preferences()
	if !ok || prefs.Bool(PrefMute) || c.speaker == nil {
		return
	}
	c.speaker.play(cue, float64(prefs.IntWithFallback(PrefVolume, 70))/100)
}

// toggleMute turns the sounds off and on (remembered).
func (c *Counter) toggleMute() {
	prefs := c.app.Preferences()
	prefs.SetBool(PrefMute, !prefs.Bool(PrefMute))
	c.build()
}
