package announce

import (
	"math"

	"github.com/ghiseu/ghiseu/assets/sounds"
)

// bell is one of the chime's two tones: a soft bell (a sine with two
// faint overtones) that starts at a time and dies away.
type bell struct {
	hz, start, seconds float64
}

// The chime: "ding-dong", E5 then C5, the second starting while the first
// dies away; its loudest sample is chimePeak of full scale.
var bells = []bell{{hz: 659.25, start: 0, seconds: 0.65}, {hz: 523.25, start: 0.35, seconds: 0.8}}

const (
	chimePeak = 0.45
	attack    = 0.012 // seconds of fade-in: no click
	release   = 0.08  // seconds of fade-out at a tone's end
	decay     = 0.3   // seconds for a tone to fall to 1/e
)

// chime is the two-tone chime before a call, mono 16-bit PCM at sounds.Rate.
func chime() []int16 {
	end := 0.0
	for _, b := range bells {
		end = math.Max(end, b.start+b.seconds)
	}
	mix := make([]float64, int(end*sounds.Rate))
	for _, b := range bells {
		from := int(b.start * sounds.Rate)
		n := int(b.seconds * sounds.Rate)
		for i := 0; i < n && from+i < len(mix); i++ {
			t := float64(i) / sounds.Rate
			w := 2 * math.Pi * b.hz * t
			v := math.Sin(w) + 0.25*math.Sin(2*w)*math.Exp(-t/0.1) + 0.1*math.Sin(3*w)*math.Exp(-t/0.05)
			env := math.Exp(-t / decay)
			if t < attack {
				env *= (1 - math.Cos(math.Pi*t/attack)) / 2
			}
			if left := b.seconds - t; left < release {
				env *= (1 - math.Cos(math.Pi*left/release)) / 2
			}
			mix[from+i] += v * env
		}
	}
	top := 0.0
	for _, v := range mix {
		top = math.Max(top, math.Abs(v))
	}
	out := make([]int16, len(mix))
	for i, v := range mix {
		out[i] = clip(v / top * chimePeak * math.MaxInt16)
	}
	return out
}
