package announce

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/assets/sounds"
)

func TestWords(t *testing.T) {
	for _, c := range []struct {
		lang            i18n.Lang
		ticket, counter string
		want            string
	}{
		{i18n.Romanian, "D-017", "2", "Numărul D 17, la ghișeul 2"},
		{i18n.English, "D-017", "2", "Number D 17, counter 2"},
		{i18n.Romanian, "R-005", "03", "Numărul R 5, la ghișeul 3"},
		{i18n.English, "F-100", "12", "Number F 100, counter 12"},
		{i18n.Romanian, "D-2001", "1", "Numărul D 2001, la ghișeul 1"},
		{i18n.Romanian, "D-000", "1", "Numărul D 0, la ghișeul 1"},
		{i18n.English, "A-001", "1", "Number A 1, counter 1"},
		{i18n.Romanian, "AB-7", "1", "Numărul A B 7, la ghișeul 1"},
		{i18n.Romanian, "d017", "2", "Numărul D 17, la ghișeul 2"},
		// the kiosk and counters named otherwise
		{i18n.Romanian, "D-017", "kiosk", "Numărul D 17, la chioșc"},
		{i18n.English, "D-017", "Kiosk", "Number D 17, at the kiosk"},
		{i18n.Romanian, "D-017", "Info", "Numărul D 17, la ghișeul Info"},
		{i18n.English, "D-017", "Info", "Number D 17, counter Info"},
		{i18n.Romanian, "D-017", "2A", "Numărul D 17, la ghișeul 2 A"},
		{i18n.English, "D-017", "b", "Number D 17, counter B"},
		{i18n.Romanian, "D-017", "", "Numărul D 17"},
		{i18n.English, "R-9", "  ", "Number R 9"},
		// a language without a catalogue speaks Romanian
		{"hu", "D-017", "2", "Numărul D 17, la ghișeul 2"},
	} {
		if got := Words(c.lang, c.ticket, c.counter); got != c.want {
			t.Errorf("Words(%s, %q, %q) = %q, want %q", c.lang, c.ticket, c.counter, got, c.want)
		}
	}
}

// The speech's text spells letters with SSML and escapes what it reads.
func TestSSML(t *testing.T) {
	for _, c := range []struct {
		lang            i18n.Lang
		ticket, counter string
		want            string
	}{
		{i18n.English, "A-001", "2", `Number <say-as interpret-as="characters">A</say-as> 1, counter 2`},
		{i18n.Romanian, "D-017", "Sala<Mare>", `Numărul <say-as interpret-as="characters">D</say-as> 17, la ghișeul Sala Mare`},
		{i18n.Romanian, "D-017", "kiosk", `Numărul <say-as interpret-as="characters">D</say-as> 17, la chioșc`},
	} {
		if got := phrase(c.lang, c.ticket, c.counter, ssml, escape); got != c.want {
			t.Errorf("ssml(%s, %q, %q) = %q, want %q", c.lang, c.ticket, c.counter, got, c.want)
		}
	}
	if got := ssml([]token{{text: "a&b<c>"}}); got != "a&amp;b&lt;c&gt;" {
		t.Errorf("ssml escapes to %q", got)
	}
}

func TestChime(t *testing.T) {
	pcm := chime()
	if secs := float64(len(pcm)) / sounds.Rate; secs < 0.8 || secs > 1.5 {
		t.Errorf("the chime lasts %.2f s, want 0.8 to 1.5", secs)
	}
	top := 0
	for _, s := range pcm {
		top = max(top, abs(int(s)))
	}
	if top >= math.MaxInt16*6/10 || top < math.MaxInt16/4 {
		t.Errorf("the chime's peak is %d of %d: want soft, well below full scale, and audible", top, math.MaxInt16)
	}
	// fades in and out: no click at either end
	for _, i := range []int{0, 1, len(pcm) - 1} {
		if abs(int(pcm[i])) > 300 {
			t.Errorf("sample %d of %d is %d: no fade", i, len(pcm), pcm[i])
		}
	}
	// two tones: the second (C5) starts after the first (E5)
	if f := frequency(pcm[:samples(300*time.Millisecond)]); math.Abs(f-659) > 15 {
		t.Errorf("the first tone is %.0f Hz, want 659", f)
	}
	if f := frequency(pcm[samples(700*time.Millisecond):samples(1000*time.Millisecond)]); math.Abs(f-523) > 15 {
		t.Errorf("the second tone is %.0f Hz, want 523", f)
	}
}

// frequency estimates a tone's frequency from its rising zero crossings.
func frequency(pcm []int16) float64 {
	first, last, n := -1, -1, 0
	for i := 1; i < len(pcm); i++ {
		if pcm[i-1] < 0 && pcm[i] >= 0 {
			if first < 0 {
				first = i
			} else {
				n++
			}
			last = i
		}
	}
	if n == 0 {
		return 0
	}
	return float64(n) * sounds.Rate / float64(last-first)
}

func TestWAV(t *testing.T) {
	pcm := []int16{0, 1, -1, math.MaxInt16, math.MinInt16, 1234}
	var b bytes.Buffer
	if err := WriteWAV(&b, pcm, 22050); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 44+2*len(pcm) {
		t.Fatalf("a WAV of %d bytes", b.Len())
	}
	got, rate, err := ReadWAV(b.Bytes())
	if err != nil || rate != 22050 || !slicesEqual(got, pcm) {
		t.Fatalf("read back %v at %d (%v), want %v at 22050", got, rate, err, pcm)
	}
	// a stream's header (espeak-ng --stdout): the data runs to the end
	stream := bytes.Clone(b.Bytes())
	copy(stream[40:], []byte{0x00, 0xf0, 0xff, 0x7f})
	if got, _, err := ReadWAV(stream); err != nil || !slicesEqual(got, pcm) {
		t.Errorf("a streamed WAV reads %v (%v)", got, err)
	}
	// stereo is mixed to mono; an odd-sized chunk before fmt is skipped
	stereo := wavBytes(1, 2, 16, []int16{100, 300, -100, -300})
	if got, _, err := ReadWAV(stereo); err != nil || !slicesEqual(got, []int16{200, -200}) {
		t.Errorf("stereo reads %v (%v), want [200 -200]", got, err)
	}
	for name, data := range map[string][]byte{
		"not a WAV":   []byte("ID3 not a wave file at all"),
		"8-bit":       wavBytes(1, 1, 8, []int16{1, 2}),
		"float":       wavBytes(3, 1, 16, []int16{1, 2}),
		"no data":     b.Bytes()[:36],
		"no fmt":      append([]byte("RIFF\x00\x00\x00\x00WAVEdata\x02\x00\x00\x00"), 1, 0),
		"short fmt":   b.Bytes()[:30],
		"empty input": nil,
	} {
		if _, _, err := ReadWAV(data); err == nil {
			t.Errorf("%s: read with no error", name)
		}
	}
	if err := WriteWAV(&b, pcm, 0); err == nil {
		t.Error("a WAV at 0 Hz was written")
	}
}

// wavBytes is a WAV file with an odd-sized "LIST" chunk before its fmt.
func wavBytes(format, channels, bits int, samples []int16) []byte {
	le16 := func(v int) []byte { return []byte{byte(v), byte(v >> 8)} }
	le32 := func(v int) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	var b []byte
	b = append(b, "RIFF\x00\x00\x00\x00WAVE"...)
	b = append(b, "LIST"...)
	b = append(b, le32(3)...)
	b = append(b, "abc\x00"...) // 3 bytes and the pad
	b = append(b, "fmt "...)
	b = append(b, le32(16)...)
	b = append(b, le16(format)...)
	b = append(b, le16(channels)...)
	b = append(b, le32(22050)...)
	b = append(b, le32(22050*channels*bits/8)...)
	b = append(b, le16(channels*bits/8)...)
	b = append(b, le16(bits)...)
	b = append(b, "data"...)
	b = append(b, le32(2*len(samples))...)
	for _, s := range samples {
		b = append(b, le16(int(s))...)
	}
	return b
}

func slicesEqual(a, b []int16) bool {
	return len(a) == len(b) && string(int16Bytes(a)) == string(int16Bytes(b))
}

func int16Bytes(s []int16) []byte {
	var b []byte
	for _, v := range s {
		b = append(b, byte(v), byte(v>>8))
	}
	return b
}

// Resampling keeps a tone's pitch and loudness, up and down.
func TestResample(t *testing.T) {
	for _, c := range []struct{ from, to int }{{22050, 44100}, {16000, 44100}, {48000, 44100}, {44100, 44100}} {
		in := make([]int16, c.from/2) // half a second of 440 Hz at half scale
		for i := range in {
			in[i] = int16(0.5 * math.MaxInt16 * math.Sin(2*math.Pi*440*float64(i)/float64(c.from)))
		}
		out := resample(in, c.from, c.to)
		if want := c.to / 2; abs(len(out)-want) > 1 {
			t.Errorf("%d→%d: %d samples, want %d", c.from, c.to, len(out), want)
		}
		if f := frequency(out) * float64(c.to) / sounds.Rate; math.Abs(f-440) > 2 {
			t.Errorf("%d→%d: %.1f Hz, want 440", c.from, c.to, f)
		}
		top := 0
		for _, s := range out[100 : len(out)-100] {
			top = max(top, abs(int(s)))
		}
		if want := math.MaxInt16 / 2; abs(top-want) > want/50 {
			t.Errorf("%d→%d: peak %d, want %d", c.from, c.to, top, want)
		}
	}
}

// needSpeech skips when espeak-ng or sox is missing, except in CI, which
// must have them (./dev.sh test installs them).
func needSpeech(t *testing.T) {
	t.Helper()
	for _, tool := range []string{espeak, "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing in CI: run ./dev.sh test", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}

// A call rendered to a WAV file is, for sox, a few seconds of real sound,
// in both languages, and the volume scales it.
func TestRenderWAV(t *testing.T) {
	needSpeech(t)
	dir := t.TempDir()
	for _, c := range []struct {
		lang            i18n.Lang
		ticket, counter string
		volume          float64
	}{
		{i18n.Romanian, "D-017", "2", 1},
		{i18n.English, "D-017", "2", 1},
		{i18n.Romanian, "F-103", "kiosk", 1},
		{i18n.Romanian, "D-017", "2", 0.25},
	} {
		start := time.Now()
		pcm, err := Render(context.Background(), c.lang, c.ticket, c.counter, c.volume)
		if err != nil {
			t.Fatalf("render %s %s: %v", c.lang, c.ticket, err)
		}
		took := time.Since(start)
		name := filepath.Join(dir, string(c.lang)+"-"+c.ticket+"-"+c.counter+"-"+strconv.FormatFloat(c.volume, 'f', 2, 64)+".wav")
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteWAV(f, pcm, sounds.Rate); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		st := soxStat(t, name)
		t.Logf("%s %q: %.2f s, RMS %.3f, max %.3f, rendered in %v", c.lang, Words(c.lang, c.ticket, c.counter), st["Length (seconds)"], st["RMS     amplitude"], st["Maximum amplitude"], took)
		if l := st["Length (seconds)"]; l < 1.5 || l > 6 {
			t.Errorf("%s: %.2f s of sound, want 1.5 to 6", name, l)
		}
		// speech at full volume has an RMS of about 0.1 of full scale;
		// silence, 0
		if rms := st["RMS     amplitude"]; rms < 0.02*c.volume {
			t.Errorf("%s: RMS amplitude %.4f: silent", name, rms)
		}
		if peak := st["Maximum amplitude"]; peak > 0.75*c.volume+0.01 || peak < 0.5*c.volume {
			t.Errorf("%s: peak %.3f at volume %.2f", name, peak, c.volume)
		}
	}
}

var statLine = regexp.MustCompile(`(?m)^([A-Za-z ()]+):\s+(-?[0-9.]+)\s*$`)

// soxStat is `sox f -n stat`'s report, by name.
func soxStat(t *testing.T, name string) map[string]float64 {
	t.Helper()
	out, err := exec.Command("sox", name, "-n", "stat").CombinedOutput()
	if err != nil {
		t.Fatalf("sox %s -n stat: %v\n%s", name, err, out)
	}
	st := map[string]float64{}
	for _, m := range statLine.FindAllStringSubmatch(string(out), -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		st[m[1]] = v
	}
	for _, k := range []string{"Length (seconds)", "RMS     amplitude", "Maximum amplitude"} {
		if _, ok := st[k]; !ok {
			t.Fatalf("sox stat has no %q:\n%s", k, out)
		}
	}
	return st
}

// Without espeak-ng, Render says so clearly and still gives the chime.
func TestRenderWithoutEspeak(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	pcm, err := Render(context.Background(), i18n.Romanian, "D-017", "2", 1)
	if !errors.Is(err, exec.ErrNotFound) || !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("err %v, want exec.ErrNotFound and ErrNotInstalled", err)
	}
	if !strings.Contains(err.Error(), "espeak-ng is not installed") {
		t.Errorf("the error %q does not say espeak-ng is not installed", err)
	}
	if len(pcm) != len(chime()) {
		t.Errorf("%d samples without espeak-ng, want the chime's %d", len(pcm), len(chime()))
	}
}

// A cancelled context stops the speech.
func TestRenderCancelled(t *testing.T) {
	needSpeech(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Render(ctx, i18n.Romanian, "D-017", "2", 1); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

func TestTrim(t *testing.T) {
	for _, c := range []struct{ in, want []int16 }{
		{[]int16{0, 3, -5, 900, 0, -800, 2, 0}, []int16{900, 0, -800}},
		{[]int16{1, -1, 0}, []int16{}},
		{nil, nil},
		{[]int16{-1000}, []int16{-1000}},
	} {
		if got := trim(c.in, 10); !slicesEqual(got, c.want) {
			t.Errorf("trim(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestFade(t *testing.T) {
	got := fade([]int16{1000, 1000, 1000, 1000, 1000, 1000}, 2)
	if want := []int16{0, 500, 1000, 1000, 500, 0}; !slicesEqual(got, want) {
		t.Errorf("fade = %v, want %v", got, want)
	}
	if got := fade([]int16{7}, 5); !slicesEqual(got, []int16{7}) {
		t.Errorf("fade of one sample = %v", got)
	}
}
