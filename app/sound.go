package app

import (
	"bytes"
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
}

var (
	speakerOnce sync.Once
	theSpeaker  *speaker
)

// openSpeaker opens the sound device once, in the background.
func openSpeaker() *speaker {
	speakerOnce.Do(func() {
		theSpeaker = &speaker{}
		go func() {
			ctx, ready, err := oto.NewContext(&oto.NewContextOptions{SampleRate: sounds.Rate, ChannelCount: 1,
				Format: oto.FormatSignedInt16LE, BufferSize: 50 * time.Millisecond})
			if err != nil {
				slog.Warn("no sound", "err", err)
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
