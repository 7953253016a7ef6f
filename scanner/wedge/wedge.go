// Package wedge tells a handheld scanner's keystrokes from a person's. A
// keyboard-wedge scanner types a code as a burst of keys a few milliseconds
// apart and ends it with Enter; a person types ten times slower. The
// Detector holds back keys for a moment until it knows which it is seeing:
// a scan is handed over whole, typing is released to the text field it was
// meant for.
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
)

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
	MinLen int           // the shortest code a scan can carry
	Hiccup time.Duration // the longest pause inside a burst already MinLen long

	held  []rune
	first time.Time // when the first held key came
	last  time.Time

	released   []rune    // the last keys released as typing, if they came fast
	releasedAt time.Time // when the last of them came
}

// New makes a Detector with the default thresholds.
func New() *Detector {
	return &Detector{MaxGap: DefaultMaxGap, MinLen: DefaultMinLen, Hiccup: DefaultHiccup}
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

// Rune takes a typed character at time at.
func (d *Detector) Rune(r rune, at time.Time) []Action {
	out := d.Tick(at)
	if len(d.held) == 0 {
		d.first = at
	}
	d.held = append(d.held, r)
	d.last = at
	return out
}

// Enter takes the Enter key at time at. It ends a scan when the keys before
// it came as one fast burst long enough to be a code.
func (d *Detector) Enter(at time.Time) []Action {
	out := d.Tick(at)
	if len(d.held) >= d.MinLen {
		text := string(d.held)
		if len(d.released) > 0 && len(d.released) < d.MinLen && d.first.Sub(d.releasedAt) <= d.Hiccup {
			// The burst's first keys were released during a hiccup.
			out = append(out, Action{Kind: Retract, Text: string(d.released)})
			text = string(d.released) + text
		}
		d.held, d.released = d.held[:0], nil
		return append(out, Action{Kind: Scan, Text: Clean(text)})
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
	if d.last.Sub(d.first) <= time.Duration(len(d.held))*d.MaxGap {
		d.released, d.releasedAt = append([]rune(nil), d.held...), d.last // fast: may start a burst
	} else {
		d.released = nil
	}
	d.held = d.held[:0]
	return []Action{a}
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
