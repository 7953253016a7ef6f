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
const (
	DefaultMaxGap = 40 * time.Millisecond
	DefaultMinLen = 6
)

// ActionKind says what to do with what the Detector saw.
type ActionKind int

// The Detector's verdicts on a run of keys.
const (
	Type   ActionKind = iota // a person typed Text: give it to the focused field
	Submit                   // a person pressed Enter
	Scan                     // a scanner sent the code Text
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

	held []rune
	last time.Time
}

// New makes a Detector with the default thresholds.
func New() *Detector { return &Detector{MaxGap: DefaultMaxGap, MinLen: DefaultMinLen} }

// Pending reports whether keys are held back, so the caller knows to call
// Tick after MaxGap.
func (d *Detector) Pending() bool { return len(d.held) > 0 }

// Rune takes a typed character at time at.
func (d *Detector) Rune(r rune, at time.Time) []Action {
	out := d.Tick(at)
	d.held = append(d.held, r)
	d.last = at
	return out
}

// Enter takes the Enter key at time at. It ends a scan when the keys before
// it came as one fast burst long enough to be a code.
func (d *Detector) Enter(at time.Time) []Action {
	out := d.Tick(at)
	if len(d.held) >= d.MinLen {
		code := Clean(string(d.held))
		d.held = d.held[:0]
		return append(out, Action{Kind: Scan, Text: code})
	}
	out = append(out, d.release()...)
	return append(out, Action{Kind: Submit})
}

// Tick releases held keys as typing once the pause since the last key is too
// long for a scanner. Call it when MaxGap has passed with no key.
func (d *Detector) Tick(now time.Time) []Action {
	if len(d.held) == 0 || now.Sub(d.last) <= d.MaxGap {
		return nil
	}
	return d.release()
}

func (d *Detector) release() []Action {
	if len(d.held) == 0 {
		return nil
	}
	a := Action{Kind: Type, Text: string(d.held)}
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
