package announce

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// WAV's format codes: integer PCM, and the extensible header that names
// its format in a sub-format.
const (
	wavPCM        = 1
	wavExtensible = 0xFFFE
)

// ReadWAV reads a WAV file of 16-bit integer PCM: its samples (several
// channels mixed into one) and its sample rate. A data chunk whose length
// runs past the end, or is 0 (a header written to a stream before its
// length was known, as espeak-ng --stdout writes it), holds what follows.
func ReadWAV(b []byte) ([]int16, int, error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, 0, errors.New("read WAV: not a RIFF WAVE file")
	}
	u16 := func(at int) int { return int(binary.LittleEndian.Uint16(b[at:])) }
	var format, channels, rate, bits int
	haveFormat := false
	for pos := 12; pos+8 <= len(b); {
		id, size, body := string(b[pos:pos+4]), int(binary.LittleEndian.Uint32(b[pos+4:])), pos+8
		switch id {
		case "fmt ":
			if size < 16 || body+16 > len(b) {
				return nil, 0, fmt.Errorf("read WAV: a fmt chunk of %d bytes", size)
			}
			format, channels, rate, bits = u16(body), u16(body+2), int(binary.LittleEndian.Uint32(b[body+4:])), u16(body+14)
			if format == wavExtensible && size >= 40 && body+26 <= len(b) {
				format = u16(body + 24) // the sub-format GUID starts with the format code
			}
			haveFormat = true
		case "data":
			if !haveFormat {
				return nil, 0, errors.New("read WAV: data before its fmt chunk")
			}
			if format != wavPCM || bits != 16 || channels < 1 || rate <= 0 {
				return nil, 0, fmt.Errorf("read WAV: format %d, %d bits, %d channels at %d Hz; want 16-bit integer PCM", format, bits, channels, rate)
			}
			end := body + size
			if size == 0 || end > len(b) || end < body {
				end = len(b)
			}
			data := b[body:end]
			frames := len(data) / (2 * channels)
			pcm := make([]int16, frames)
			for i := range pcm {
				sum := 0
				for c := 0; c < channels; c++ {
					sum += int(int16(binary.LittleEndian.Uint16(data[2*(i*channels+c):])))
				}
				pcm[i] = int16(sum / channels)
			}
			return pcm, rate, nil
		}
		next := body + size + size&1 // chunks are padded to even lengths
		if next <= pos || next > len(b) {
			break
		}
		pos = next
	}
	return nil, 0, errors.New("read WAV: no data chunk")
}

// WriteWAV writes pcm, mono 16-bit samples at rate per second, as a WAV
// file.
func WriteWAV(w io.Writer, pcm []int16, rate int) error {
	if rate <= 0 {
		return fmt.Errorf("write WAV: sample rate %d", rate)
	}
	data := 2 * len(pcm)
	if data > math.MaxUint32-36 {
		return fmt.Errorf("write WAV: %d samples are too many for a WAV file", len(pcm))
	}
	b := make([]byte, 0, 44+data)
	b = append(b, "RIFF"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(36+data))
	b = append(b, "WAVEfmt "...)
	b = binary.LittleEndian.AppendUint32(b, 16)
	b = binary.LittleEndian.AppendUint16(b, wavPCM)
	b = binary.LittleEndian.AppendUint16(b, 1)              // mono
	b = binary.LittleEndian.AppendUint32(b, uint32(rate))   // samples a second
	b = binary.LittleEndian.AppendUint32(b, uint32(2*rate)) // bytes a second
	b = binary.LittleEndian.AppendUint16(b, 2)              // bytes a frame
	b = binary.LittleEndian.AppendUint16(b, 16)             // bits a sample
	b = append(b, "data"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(data))
	for _, s := range pcm {
		b = binary.LittleEndian.AppendUint16(b, uint16(s))
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write WAV: %w", err)
	}
	return nil
}

// lobes is the resampling kernel's half-width, in zero crossings of its
// sinc (Lanczos): enough for speech, cheap at 2× (16 taps a sample).
const lobes = 8

// resample converts pcm from one sample rate to another with a windowed
// sinc (Lanczos) filter, which also keeps a lower rate free of aliases.
func resample(pcm []int16, from, to int) []int16 {
	if from == to || len(pcm) == 0 || from <= 0 || to <= 0 {
		return pcm
	}
	ratio := float64(to) / float64(from)
	cut := math.Min(1, ratio) // the pass band, as a share of the input's
	reach := lobes / cut      // input samples each side of a point
	out := make([]int16, int(math.Round(float64(len(pcm))*ratio)))
	for j := range out {
		x := float64(j) / ratio
		lo := max(0, int(math.Ceil(x-reach)))
		hi := min(len(pcm)-1, int(math.Floor(x+reach)))
		var sum, weights float64
		for i := lo; i <= hi; i++ {
			d := (x - float64(i)) * cut
			w := sinc(d) * sinc(d/lobes)
			sum += w * float64(pcm[i])
			weights += w
		}
		if weights != 0 {
			out[j] = clip(sum / weights)
		}
	}
	return out
}

// sinc is sin(πx)/(πx).
func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}
