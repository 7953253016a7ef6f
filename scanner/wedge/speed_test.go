package wedge

import (
	"fmt"
	"testing"
	"time"
)

// sim plays keys into a fresh Detector the way the app does: a timer fires
// Tick Pause()+10 ms after each key. It returns what was delivered, the
// scans, and the longest a typed key was held back.
type sim struct {
	d       *Detector
	now     time.Time
	timer   time.Time // when the pending Tick fires; zero: none
	out     []Action
	typedAt []time.Time // when each key not yet delivered came
	maxHold time.Duration
}

func newSim() *sim { return &sim{d: New(), now: t0} }

// wait lets d pass, firing the timer if it falls due.
func (s *sim) wait(d time.Duration) {
	end := s.now.Add(d)
	if !s.timer.IsZero() && !s.timer.After(end) {
		s.now = s.timer
		s.timer = time.Time{}
		s.take(s.d.Tick(s.now))
	}
	s.now = end
}

func (s *sim) key(r rune) {
	s.typedAt = append(s.typedAt, s.now)
	s.take(s.d.Rune(r, s.now))
	s.timer = s.now.Add(s.d.Pause() + 10*time.Millisecond)
}

func (s *sim) enter() { s.take(s.d.Enter(s.now)) }

// take records actions and how long the keys they deliver were held.
func (s *sim) take(actions []Action) {
	for _, a := range actions {
		s.out = append(s.out, a)
		n := 0
		switch a.Kind {
		case Type:
			n = len([]rune(a.Text))
		case Scan, Retract:
			s.typedAt = nil
			continue
		}
		for _, at := range s.typedAt[:n] {
			if h := s.now.Sub(at); h > s.maxHold {
				s.maxHold = h
			}
		}
		s.typedAt = s.typedAt[n:]
	}
}

// play types text at gap a key, then Enter, and waits a second.
func play(text string, gap time.Duration) *sim {
	s := newSim()
	for _, r := range text {
		s.wait(gap)
		s.key(r)
	}
	s.wait(gap)
	s.enter()
	s.wait(time.Second)
	return s
}

func TestSpeeds(t *testing.T) {
	for _, gap := range []time.Duration{2, 5, 10, 15} {
		gap *= time.Millisecond
		t.Run(fmt.Sprintf("scanner at %v", gap), func(t *testing.T) {
			text, scans := delivered(play(code, gap).out)
			if text != "" || len(scans) != 1 || scans[0] != code {
				t.Fatalf("typed %q, scanned %q", text, scans)
			}
		})
	}
	people := []string{"48213", "Ștefania Bălan-Gheorghiu", "supervizor", "Gheorghe Ghiță", "GH7", "ghx2024"}
	for _, gap := range []time.Duration{30, 45, 70, 110, 200} {
		gap *= time.Millisecond
		for _, typing := range people {
			t.Run(fmt.Sprintf("person at %v typing %s", gap, typing), func(t *testing.T) {
				s := play(typing, gap)
				text, scans := delivered(s.out)
				if text != typing+"\n" || len(scans) > 0 {
					t.Fatalf("typed %q, scanned %q", text, scans)
				}
				// Slower than a scanner, a key waits for the timer at most;
				// as fast as one, only while the keys may still be a code.
				limit := s.d.MaxGap + 10*time.Millisecond
				if gap <= s.d.MaxGap {
					limit = s.d.Hiccup
				}
				t.Logf("delivered whole, longest hold %v", s.maxHold)
				if s.maxHold > limit {
					t.Fatalf("a key was held back %v", s.maxHold)
				}
			})
		}
	}
}

// TestBunchedTyping is a person typing while the PC starts up: the keys of
// 350 ms come together, as one fast burst.
func TestBunchedTyping(t *testing.T) {
	for _, typing := range []string{"48213", "Ștefania Bălan-Gheorghiu", "supervizor", "Gheorghe"} {
		s := newSim()
		for i, r := range typing {
			if i%5 == 0 {
				s.wait(350 * time.Millisecond)
			}
			s.key(r)
		}
		s.enter()
		s.wait(time.Second)
		if text, scans := delivered(s.out); text != typing+"\n" || len(scans) > 0 {
			t.Errorf("%s: typed %q, scanned %q", typing, text, scans)
		}
	}
}
