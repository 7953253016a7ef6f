package sounds

import (
	"encoding/binary"
	"math"
	"testing"
)

func samples(b []byte) []int16 {
	out := make([]int16, len(b)/2)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return out
}

// crossings counts sign changes: twice the dominant frequency per second.
func crossings(s []int16) int {
	n := 0
	for i := 1; i < len(s); i++ {
		if (s[i-1] < 0) != (s[i] < 0) {
			n++
		}
	}
	return n
}

func TestCuesAreDistinct(t *testing.T) {
	ok, att, bad := samples(PCM(OK, 1)), samples(PCM(Attention, 1)), samples(PCM(Error, 1))
	seconds := func(s []int16) float64 { return float64(len(s)) / Rate }
	hz := func(s []int16) float64 { return float64(crossings(s)) / 2 / seconds(s) }
	if hz(bad) > 300 || hz(ok) < 900 || hz(att) < 400 || hz(att) > 700 {
		t.Fatalf("pitches: ok %.0f Hz, attention %.0f Hz, error %.0f Hz", hz(ok), hz(att), hz(bad))
	}
	for name, s := range map[string][]int16{"ok": ok, "attention": att, "error": bad} {
		if d := seconds(s); d < 0.15 || d > 0.4 {
			t.Errorf("%s lasts %.2f s", name, d)
		}
		if s[0] != 0 || math.Abs(float64(s[len(s)-1])) > math.MaxInt16/100 { // under 1% of full scale
			t.Errorf("%s starts or ends with a click: %d … %d", name, s[0], s[len(s)-1])
		}
	}
}

func TestVolume(t *testing.T) {
	peak := func(b []byte) int {
		m := 0
		for _, s := range samples(b) {
			m = max(m, int(math.Abs(float64(s))))
		}
		return m
	}
	full, half, muted := peak(PCM(OK, 1)), peak(PCM(OK, 0.5)), peak(PCM(OK, 0))
	if muted != 0 || half < full/2-100 || half > full/2+100 || full > math.MaxInt16 {
		t.Fatalf("peaks: full %d, half %d, muted %d", full, half, muted)
	}
	if peak(PCM(OK, 7)) != full {
		t.Fatal("volume above 1 is not capped")
	}
}
