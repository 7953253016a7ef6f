// Package sounds makes the counter's three sounds: OK (two rising notes),
// attention (two equal notes) and error (a low buzz), as 16-bit mono PCM.
// They are made, not stored: a few lines instead of three files.
package sounds

import (
	"encoding/binary"
	"math"
)

// Cue is one of the sounds.
type Cue int

// The cues, one per verdict colour.
const (
	OK Cue = iota
	Attention
	Error
)

// Rate is the sample rate, per second.
const Rate = 44100

// note is a tone of a frequency and a length.
type note struct {
	hz, seconds float64
	square      bool
}

var cues = map[Cue][]note{
	OK:        {{hz: 880, seconds: 0.09}, {hz: 1320, seconds: 0.13}},
	Attention: {{hz: 660, seconds: 0.12}, {seconds: 0.06}, {hz: 660, seconds: 0.12}},
	Error:     {{hz: 196, seconds: 0.32, square: true}},
}

// PCM is the cue at volume (0 to 1) as signed 16-bit little-endian
// samples.
func PCM(c Cue, volume float64) []byte {
	volume = math.Max(0, math.Min(1, volume))
	var out []byte
	for _, n := range cues[c] {
		samples := int(n.seconds * Rate)
		for i := 0; i < samples; i++ {
			t := float64(i) / Rate
			v := 0.0
			if n.hz > 0 {
				v = math.Sin(2 * math.Pi * n.hz * t)
				if n.square {
					v = math.Copysign(0.6, v)
				}
			}
			// 5 ms fades at both ends: no clicks.
			fade := math.Min(1, math.Min(t, n.seconds-t)/0.005)
			s := int16(v * fade * volume * 0.8 * math.MaxInt16)
			out = binary.LittleEndian.AppendUint16(out, uint16(s))
		}
	}
	return out
}
