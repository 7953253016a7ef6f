// Package wedge tells a handheld scanner's keystrokes from a person's. A
// keyboard-wedge scanner types a code as a burst of keys a few milliseconds
// apart and ends it with Enter; a person types ten times slower. Timing
// alone is not enough (a busy PC delivers a person's keys in bunches, and
// some people type a staff number at 30 ms a key), so the Detector also
// looks at what is typed: a reservation code is long (over a hundred
// characters), starts with "GH" and uses only the code's 32 digits. Keys
// that can still become a code are held back for a moment until the
// Detector knows which it is seeing; anything else is released at once. A
// scan is handed over whole, typing is released to the field it was meant
// for.
package wedge

import (
	"strings"
	"time"
	"unicode"
)

// Defaults that suit the scanners we know: they type a key every 1-20 ms.
// A busy PC may deliver a key late now and then: a burst already long
// enough to be a scanner's survives a pause of up to DefaultHiccup, and a
// few keys released just before a burst are taken back into it.
const (
	DefaultMaxGap = 40 * time.Millisecond
	DefaultMinLen = 6
	DefaultHiccup = 300 * time.Millisecond
	DefaultStall  = 2 * time.Second
)

// Prefix starts every reservation code (rescode.Prefix), and MinCodeLen is
// shorter than any: the signed body alone is 81 bytes, 130 Base32 digits.
const (
	Prefix     = "GH"
	MinCodeLen = 100
)

// digits are the reservation code's Base32 digits (scanner/rescode), in
// either case: a scanner behind Caps Lock types lower case.
const digits = "123456789ABCDEFGHIJKLMNPQRSTUVWXabcdefghijklmnpqrstuvwx"

// ActionKind says what to do with what the Detector saw.
type ActionKind int

// The Detector's verdicts on a run of keys.
const (
	Type    ActionKind = iota // a person typed Text: give it to the focused field
	Submit                    // a person pressed Enter
	Scan                      // a scanner sent the code Text
	Retract                   // Text, given to the field as typing, was the start of a scan: take it back
)

// Action is one thing the Detector decided.
type Action struct {
	Kind ActionKind
	Text string
}

// Detector classifies keystrokes. It is not safe for concurrent use; the GUI
// calls it from its event thread.
type Detector struct {
	MaxGap time.Duration // the longest pause inside a scanner's burst
	MinLen int           // a burst this long survives a pause of up to Hiccup
	Hiccup time.Duration // the longest pause inside a burst already MinLen long
	// Stall is the longest pause after which keys released as typing are
	// taken back, when with the keys after it they make a code and those
	// alone do not: a PC stalled that long released part of a scan.
	Stall time.Duration
	// IsCode reports whether a burst's text is a code; CouldStart whether
	// keys typed so far may still become one. LooksLikeCode and
	// CouldBeCode by default.
	IsCode     func(string) bool
	CouldStart func(string) bool

	held  []rune
	first time.Time // when the first held key came
	last  time.Time

	released   []rune    // the last keys released as typing, if they came fast
	releasedAt time.Time // when the last of them came
}

// New makes a Detector with the default thresholds.
func New() *Detector {
	return &Detector{MaxGap: DefaultMaxGap, MinLen: DefaultMinLen, Hiccup: DefaultHiccup, Stall: DefaultStall,
		IsCode: LooksLikeCode, CouldStart: CouldBeCode}
}

// patience is how long held keys may wait for the next one.
func (d *Detector) patience() time.Duration {
	if len(d.held) >= d.MinLen {
		return d.Hiccup
	}
	return d.MaxGap
}

// Pending reports whether keys are held back, so the caller knows to call
// Tick after MaxGap.
func (d *Detector) Pending() bool { return len(d.held) > 0 }

// Rune takes a typed character at time at. Keys that cannot start a code
// are released at once, with any held before them.
func (d *Detector) Rune(r rune, at time.Time) []Action {
	out := d.Tick(at)
	if len(d.held) == 0 {
		d.first = at
	}
	d.held = append(d.held, r)
	d.last = at
	if !d.CouldStart(string(d.held)) && !(d.resumes() && d.CouldStart(string(d.released)+string(d.held))) {
		out = append(out, d.release()...)
	}
	return out
}

// resumes reports whether the held keys may continue a burst whose first
// keys were released as typing during a stall.
func (d *Detector) resumes() bool {
	return len(d.released) > 0 && d.first.Sub(d.releasedAt) <= d.Stall
}

// Enter takes the Enter key at time at. It ends a scan when the keys before
// it came as one fast burst that is a code.
func (d *Detector) Enter(at time.Time) []Action {
	out := d.Tick(at)
	if len(d.held) > 0 {
		text := string(d.held)
		var retract []Action
		if d.resumes() && d.IsCode(Clean(string(d.released)+text)) &&
			(len(d.released) >= d.MinLen || !d.IsCode(Clean(text))) {
			// The burst's first keys were released during a stall of
			// the PC: the whole is a code, and they came as a scanner's
			// burst or the rest alone is no code.
			retract = []Action{{Kind: Retract, Text: string(d.released)}}
			text = string(d.released) + text
		}
		if d.IsCode(Clean(text)) {
			d.held, d.released = d.held[:0], nil
			return append(append(out, retract...), Action{Kind: Scan, Text: Clean(text)})
		}
	}
	out = append(out, d.release()...)
	d.released = nil
	return append(out, Action{Kind: Submit})
}

// Tick releases held keys as typing once the pause since the last key is too
// long for a scanner. Call it when MaxGap has passed with no key.
func (d *Detector) Tick(now time.Time) []Action {
	if len(d.held) == 0 || now.Sub(d.last) <= d.patience() {
		return nil
	}
	return d.release()
}

// Pause is how long after the last key Tick may release held keys.
func (d *Detector) Pause() time.Duration { return d.patience() }

func (d *Detector) release() []Action {
	if len(d.held) == 0 {
		return nil
	}
	a := Action{Kind: Type, Text: string(d.held)}
	if d.last.Sub(d.first) <= time.Duration(len(d.held))*d.MaxGap { // fast: may be part of a burst
		if d.resumes() && d.CouldStart(string(d.released)+string(d.held)) {
			d.released = append(d.released, d.held...) // a burst cut twice
		} else {
			d.released = append([]rune(nil), d.held...)
		}
		d.releasedAt = d.last
	} else {
		d.released = nil
	}
	d.held = d.held[:0]
	return []Action{a}
}

// LooksLikeCode reports whether s, cleaned, has a reservation code's shape:
// the prefix, at least MinCodeLen characters, only the code's digits (in
// either case). Whether it is genuine is rescode's business.
func LooksLikeCode(s string) bool {
	return len(s) >= MinCodeLen && CouldBeCode(s)
}

// CouldBeCode reports whether s, a burst's first keys, may still become a
// reservation code: an optional AIM identifier ("]Q1"), then a prefix of
// "GH" and code digits, in either case.
func CouldBeCode(s string) bool {
	if s != "" && s[0] == ']' { // "]", "]Q", "]Q1", then the code
		for i := 1; i < len(s) && i < 3; i++ {
			if i == 1 && !isAlpha(s[i]) || i == 2 && !isDigit(s[i]) {
				return false
			}
		}
		if len(s) <= 3 {
			return true
		}
		s = s[3:]
	}
	for i := 0; i < len(s); i++ {
		switch {
		case i < len(Prefix):
			if s[i]|0x20 != Prefix[i]|0x20 {
				return false
			}
		case strings.IndexByte(digits, s[i]) < 0:
			return false
		}
	}
	return true
}

// Clean strips what scanners add around a code's text: control characters,
// surrounding space and an AIM symbology identifier such as "]Q1".
func Clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) >= 3 && s[0] == ']' && isAlpha(s[1]) && isDigit(s[2]) {
		s = s[3:]
	}
	return strings.TrimSpace(s)
}

func isAlpha(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
