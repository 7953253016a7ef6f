package app

import (
	"context"
	"errors"
	"os/exec"
	"testing"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/assets/sounds"
	"github.com/ghiseu/ghiseu/store/announce"
	"github.com/ghiseu/ghiseu/store/calls"
)

// A call is rendered in the screen's language at its volume and played:
// a chime and the words, over a second of sound; without espeak-ng the
// chime alone is played and the error says why.
func TestSpeakCalls(t *testing.T) {
	var played [][]int16
	play := func(_ context.Context, pcm []int16) error { played = append(played, pcm); return nil }
	c := calls.Call{Ticket: "D-017", Counter: "2"}
	if _, err := exec.LookPath("espeak-ng"); err == nil {
		if err := speakWith(i18n.Romanian, announce.Render, play)(context.Background(), c, 0.7); err != nil {
			t.Fatal(err)
		}
		if len(played) != 1 || len(played[0]) < sounds.Rate {
			t.Fatalf("played %d sounds, the first of %d samples: want one of over a second", len(played), len(played[0]))
		}
	} else {
		t.Log("espeak-ng is not installed: only the fake renderer is tried")
	}
	played = nil
	var asked []string
	noEspeak := func(_ context.Context, lang i18n.Lang, ticket, counter string, volume float64) ([]int16, error) {
		asked = append(asked, string(lang)+" "+ticket+" "+counter)
		if volume != 0.4 {
			t.Errorf("rendered at volume %v, want 0.4", volume)
		}
		return make([]int16, sounds.Rate/2), announce.ErrNotInstalled
	}
	err := speakWith(i18n.English, noEspeak, play)(context.Background(), c, 0.4)
	if !errors.Is(err, announce.ErrNotInstalled) || len(played) != 1 || len(asked) != 1 || asked[0] != "en D-017 2" {
		t.Fatalf("without espeak-ng: %v, played %d, asked %q", err, len(played), asked)
	}
	failed := errors.New("no sound device")
	err = speakWith(i18n.English, noEspeak, func(context.Context, []int16) error { return failed })(context.Background(), c, 0.4)
	if !errors.Is(err, failed) {
		t.Fatalf("without a sound device: %v", err)
	}
}
