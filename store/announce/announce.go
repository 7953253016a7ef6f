// Package announce makes the waiting room's spoken calls: a soft two-tone
// chime, then the call in words ("Numărul D 17, la ghișeul 2") spoken by
// espeak-ng (Debian's package espeak-ng, which has a Romanian voice), as
// mono 16-bit PCM at sounds.Rate, ready for the app's sound player or for a
// WAV file. It needs no GUI.
package announce

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"strings"
	"time"
	"unicode"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/assets/sounds"
)

// ErrNotInstalled is wrapped (together with exec.ErrNotFound) by Render's
// error when there is no espeak-ng to speak with: the display still shows
// the calls and says once that it cannot speak.
var ErrNotInstalled = errors.New("espeak-ng is not installed (Debian package espeak-ng)")

// espeak is the speech synthesiser's command.
const espeak = "espeak-ng"

// Speech settings: a little slower than espeak-ng's 175 words a minute, for
// a waiting room; the pause between the chime and the words; the speech's
// loudest sample, as a share of full scale, before the volume.
const (
	wordsPerMinute = "160"
	afterChime     = 200 * time.Millisecond
	afterWords     = 150 * time.Millisecond
	speechPeak     = 0.7
	renderTimeout  = 20 * time.Second
	edge           = 5 * time.Millisecond // the speech's fade in and out, once its silence is cut
)

// token is a run of a ticket's or a counter's letters or digits, as it is
// read out.
type token struct {
	text  string
	spell bool // read letter by letter ("D", "A B"), not as a word
}

// tokens splits s into runs of letters and runs of digits; anything else (a
// dash, a space) only separates them. A run of digits is a number without
// its leading zeros ("017" is 17), read by the speech as a number; a run of
// at most maxSpell letters is spelled, a longer one read as a word.
func tokens(s string, maxSpell int) []token {
	var out []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		switch {
		case unicode.IsDigit(rs[i]):
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			n := strings.TrimLeft(string(rs[i:j]), "0")
			if n == "" {
				n = "0"
			}
			out = append(out, token{text: n})
		case unicode.IsLetter(rs[i]):
			for j < len(rs) && unicode.IsLetter(rs[j]) {
				j++
			}
			if j-i <= maxSpell {
				out = append(out, token{text: strings.ToUpper(string(rs[i:j])), spell: true})
			} else {
				out = append(out, token{text: string(rs[i:j])})
			}
		}
		i = j
	}
	return out
}

// plain is tokens as text: spelled letters apart ("A B 5").
func plain(ts []token) string {
	var words []string
	for _, t := range ts {
		if t.spell {
			words = append(words, strings.Join(strings.Split(t.text, ""), " "))
		} else {
			words = append(words, t.text)
		}
	}
	return strings.Join(words, " ")
}

// ssml is tokens as espeak-ng's SSML: spelled letters in a say-as
// "characters" (so that English reads "A" as the letter, not the article).
func ssml(ts []token) string {
	var words []string
	for _, t := range ts {
		if t.spell {
			words = append(words, `<say-as interpret-as="characters">`+escape(t.text)+`</say-as>`)
		} else {
			words = append(words, escape(t.text))
		}
	}
	return strings.Join(words, " ")
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

// escape makes s safe as SSML text.
func escape(s string) string { return escaper.Replace(s) }

// Ticket and counter letters: a ticket's letters (D, R, F, or an office's
// own) are always spelled; a counter's only when they are short ("2A",
// "B"), a longer name ("Info") is read as a word.
const (
	ticketSpell  = 8
	counterSpell = 2
)

// phrase is the call's sentence in lang (Romanian when lang has no
// catalogue), the ticket and counter written by say and the template's own
// text by lit.
func phrase(lang i18n.Lang, ticket, counter string, say func([]token) string, lit func(string) string) string {
	key := "announce.call"
	c := strings.TrimSpace(counter)
	switch {
	case c == "":
		key = "announce.call_nowhere"
	case strings.EqualFold(c, "kiosk") || strings.EqualFold(c, "chioșc"):
		key = "announce.call_kiosk"
	}
	if !i18n.Has(lang, key) {
		lang = i18n.Romanian
	}
	// the template is escaped, not the words said in it: they are
	// marked, escaped, then put in
	msg := lit(i18n.T(lang, key, map[string]string{"ticket": "\x01", "counter": "\x02"}))
	msg = strings.NewReplacer("\x01", say(tokens(ticket, ticketSpell)), "\x02", say(tokens(c, counterSpell))).Replace(msg)
	return strings.Join(strings.Fields(msg), " ")
}

// Words is the call of ticket (as "D-017") to counter, as it is said in
// lang: "Numărul D 17, la ghișeul 2", "Number D 17, counter 2". The
// number is read without its leading zeros, the letters as letters; the
// kiosk ("kiosk") is called a kiosk, a counter of another name is read by
// its name.
func Words(lang i18n.Lang, ticket, counter string) string {
	return phrase(lang, ticket, counter, plain, func(s string) string { return s })
}

// voice is espeak-ng's voice for lang: the language's own code (ro, en).
func voice(lang i18n.Lang) string {
	if lang == "" {
		return string(i18n.Romanian)
	}
	return string(lang)
}

// Render is the spoken call of ticket to counter in lang: the chime, then
// Words said by espeak-ng, at volume (0 to 1), as mono 16-bit PCM at
// sounds.Rate. Without espeak-ng it returns the chime alone and an error
// that wraps ErrNotInstalled and exec.ErrNotFound.
func Render(ctx context.Context, lang i18n.Lang, ticket, counter string, volume float64) ([]int16, error) {
	volume = math.Max(0, math.Min(1, volume))
	pcm := chime()
	path, err := exec.LookPath(espeak)
	if err != nil {
		return scale(pcm, volume), fmt.Errorf("announce %s: %w: %w", ticket, ErrNotInstalled, err)
	}
	ctx, cancel := context.WithTimeout(ctx, renderTimeout)
	defer cancel()
	text := "<speak>" + phrase(lang, ticket, counter, ssml, escape) + "</speak>"
	// UTF-8 on stdin (the diacritics are said: ș, ț, ă), SSML (-m), the
	// WAV on stdout
	cmd := exec.CommandContext(ctx, path, "-v", voice(lang), "-m", "-s", wordsPerMinute, "--stdin", "--stdout")
	cmd.Stdin = strings.NewReader(text)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, fmt.Errorf("announce %s: espeak-ng -v %s: %w: %s", ticket, voice(lang), err, strings.TrimSpace(stderr.String()))
	}
	speech, rate, err := ReadWAV(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("announce %s: espeak-ng's output: %w", ticket, err)
	}
	if len(speech) == 0 {
		return nil, fmt.Errorf("announce %s: espeak-ng -v %s said nothing", ticket, voice(lang))
	}
	speech = fade(trim(normalize(resample(speech, rate, sounds.Rate), speechPeak), silent), samples(edge))
	pcm = append(pcm, make([]int16, samples(afterChime))...)
	pcm = append(pcm, speech...)
	pcm = append(pcm, make([]int16, samples(afterWords))...)
	return scale(pcm, volume), nil
}

// samples is the number of samples of d at sounds.Rate.
func samples(d time.Duration) int { return int(d.Seconds() * sounds.Rate) }

// normalize scales pcm so that its loudest sample is peak (a share of full
// scale); silence stays silence.
func normalize(pcm []int16, peak float64) []int16 {
	top := 0
	for _, s := range pcm {
		top = max(top, abs(int(s)))
	}
	if top == 0 {
		return pcm
	}
	return scale(pcm, peak*math.MaxInt16/float64(top))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// silent is the loudest sample that trim takes for silence (1% of full
// scale).
const silent = math.MaxInt16 / 100

// trim cuts the silence (samples no louder than quiet) at both ends of
// pcm: espeak-ng ends its speech with a third of a second of it.
func trim(pcm []int16, quiet int) []int16 {
	from, to := 0, len(pcm)
	for from < to && abs(int(pcm[from])) <= quiet {
		from++
	}
	for to > from && abs(int(pcm[to-1])) <= quiet {
		to--
	}
	return pcm[from:to]
}

// fade fades pcm in over its first n samples and out over its last n, in
// place: no click where the silence was cut.
func fade(pcm []int16, n int) []int16 {
	n = min(n, len(pcm)/2)
	for i := 0; i < n; i++ {
		f := float64(i) / float64(n)
		pcm[i] = clip(float64(pcm[i]) * f)
		pcm[len(pcm)-1-i] = clip(float64(pcm[len(pcm)-1-i]) * f)
	}
	return pcm
}

// scale multiplies pcm by f in place, clipped to int16.
func scale(pcm []int16, f float64) []int16 {
	for i, s := range pcm {
		pcm[i] = clip(float64(s) * f)
	}
	return pcm
}

// clip rounds v to the nearest int16.
func clip(v float64) int16 {
	return int16(math.Max(math.MinInt16, math.Min(math.MaxInt16, math.Round(v))))
}
