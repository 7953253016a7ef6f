package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/assets/sounds"
	"github.com/ghiseu/ghiseu/store/announce"
	"github.com/ghiseu/ghiseu/store/calls"
)

// SpeakCalls is the waiting room's Announce on this computer: each call
// rendered by announce.Render (a chime, then the words through espeak-ng,
// in lang) and played on the sound device. Without espeak-ng the chime
// alone is played; without a sound device nothing is; either way the
// error tells the screen, which says once that it cannot speak. With
// wavDir set, each call said is also written there as a WAV file
// (<seq>-<ticket>.wav), for tests and for checking a TV's sound.
func SpeakCalls(lang i18n.Lang, wavDir string) func(ctx context.Context, c calls.Call, volume float64) error {
	sp := openSpeaker()
	if wavDir == "" {
		return speakWith(lang, announce.Render, sp.playPCM)
	}
	return func(ctx context.Context, c calls.Call, volume float64) error {
		pcm, rerr := announce.Render(ctx, lang, c.Ticket, c.Counter, volume)
		if len(pcm) > 0 {
			if err := writeWAV(filepath.Join(wavDir, fmt.Sprintf("%06d-%s.wav", c.Seq, c.Ticket)), pcm); err != nil {
				return errors.Join(rerr, err)
			}
		}
		return errors.Join(rerr, sp.playPCM(ctx, pcm))
	}
}

// writeWAV writes pcm to path as a WAV file, whole or not at all.
func writeWAV(path string, pcm []int16) error {
	tmp := path + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	err = announce.WriteWAV(f, pcm, sounds.Rate)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write the call's sound: %w", err)
	}
	return nil
}

// speakWith renders each call with render and plays it with play.
func speakWith(lang i18n.Lang,
	render func(ctx context.Context, lang i18n.Lang, ticket, counter string, volume float64) ([]int16, error),
	play func(ctx context.Context, pcm []int16) error) func(context.Context, calls.Call, float64) error {
	return func(ctx context.Context, c calls.Call, volume float64) error {
		pcm, rerr := render(ctx, lang, c.Ticket, c.Counter, volume)
		if len(pcm) == 0 {
			return rerr
		}
		return errors.Join(rerr, play(ctx, pcm)) // the chime, at least
	}
}
