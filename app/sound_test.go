package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/sounds"
)

// Spoken calls play through the sound device, or say once that there is
// none.
func TestPlayPCM(t *testing.T) {
	tone := make([]int16, sounds.Rate/5) // 0.2 s of silence
	s := openSpeaker()
	start := time.Now()
	err := s.playPCM(context.Background(), tone)
	took := time.Since(start)
	t.Logf("played 0.2 s in %v: %v", took, err)
	switch {
	case err == nil:
		if took < 150*time.Millisecond {
			t.Errorf("playPCM returned after %v, before its 0.2 s were played", took)
		}
	case errors.Is(err, errNoSound):
		if !s.firstNoSound(err) || s.firstNoSound(err) {
			t.Error("firstNoSound is not true exactly once")
		}
		// the next sound is refused at once
		start := time.Now()
		if err := s.playPCM(context.Background(), tone); !errors.Is(err, errNoSound) || time.Since(start) > time.Second {
			t.Errorf("the second sound without a device: %v after %v", err, time.Since(start))
		}
	default:
		t.Fatalf("playPCM: %v", err)
	}
}

func TestNoSound(t *testing.T) {
	var none *speaker
	if err := none.playPCM(context.Background(), []int16{1}); !errors.Is(err, errNoSound) {
		t.Errorf("no speaker: %v, want errNoSound", err)
	}
	opened := make(chan struct{})
	close(opened)
	s := &speaker{opened: opened, err: errors.New("alsa: no card")}
	err := s.playPCM(context.Background(), []int16{1})
	if !errors.Is(err, errNoSound) {
		t.Fatalf("a failed device: %v, want errNoSound", err)
	}
	if s.firstNoSound(errors.New("other")) {
		t.Error("another error is told as no sound")
	}
	for i, want := range []bool{true, false, false} {
		if got := s.firstNoSound(err); got != want {
			t.Errorf("firstNoSound #%d = %v, want %v", i+1, got, want)
		}
	}
	// a device still opening: the context ends the wait
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	opening := &speaker{opened: make(chan struct{})}
	if err := opening.playPCM(ctx, []int16{1}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("an opening device and an ended context: %v", err)
	}
}
