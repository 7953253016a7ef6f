package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestPeopleTypingUnderXvfb types into every text field of the real
// window, under openbox, at 30, 45, 70 and 110 ms a key, as people type,
// and with xdotool type --delay 30 (a key every 16 ms, faster than people
// type: see typeAt): the text must arrive whole and in order, and
// its action happen. The counter is started again for each speed and the
// clerk's name typed within the first second after its window appears.
// The fields: the sign-in name, the manual code field (a name, then a
// booking's 8-character reference), the day list's search, the walk-in
// form's name, the override's reason and password, the supervisor's
// password, a field of the supervisor's settings. A scan before anyone
// signs in turns the card red; one in the first second after the window
// shows is recorded.
func TestPeopleTypingUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	s := newShift(t, 1366, 768)
	s.withOpenbox()
	rows, refs := s.rows(), s.refs()
	report := func() string { return s.cli("report", "--format", "csv", "--day", s.day) }
	// arrived checks that name became arrived, then undoes it, having
	// checked the report names clerk (if not ""): the report names the
	// clerks of the day's events.
	arrived := func(t *testing.T, name, what, clerk string) {
		t.Helper()
		if got := s.state(name, "arrived", 4*time.Second); got != "arrived" {
			t.Fatalf("%s: %s is %s, see %s", what, name, got, s.shot(shotName(t)))
		}
		if r := report(); clerk != "" && !strings.Contains(r, "clerk,"+clerk) {
			t.Fatalf("%s: %q did not sign in whole, see %s; the report:\n%s", what, clerk, s.shot(shotName(t)), r)
		}
		s.keys("ctrl+z")
		if got := s.state(name, "expected", 3*time.Second); got != "expected" {
			t.Fatalf("%s, then Ctrl+Z: %s is %s", what, name, got)
		}
	}
	speeds := []struct {
		name  string
		delay int // xdotool type --delay
	}{
		{"xdotool --delay 30 (16 ms a key)", 30},
		{"30 ms a key", 60}, {"45 ms a key", 90}, {"70 ms a key", 140}, {"110 ms a key", 220},
	}
	for _, sp := range speeds {
		t.Run(sp.name, func(t *testing.T) {
			ms := sp.delay
			clerk := fmt.Sprintf("Ana Pop %d", ms)
			// Right after start-up, as soon as the window shows: the
			// sign-in dialog has the keyboard.
			if !s.launchShown("--clock", "08:36") {
				t.Fatalf("the counter window did not show, see %s", s.shot(shotName(t)))
			}
			shown := time.Now()
			s.typeDelay(ms, clerk)
			t.Logf("the clerk's name typed in the %v after the window showed", time.Since(shown))
			s.keys("Return")
			s.typeDelay(ms, "Popescu Andrei")
			s.keys("Return")
			arrived(t, "Popescu Andrei", "the clerk's name, then a name in the code field, right after start-up", clerk)

			ref := refs["Lupu Sorin"]
			s.typeDelay(ms, ref)
			s.keys("Return")
			arrived(t, "Lupu Sorin", "the reference "+ref+" typed in the code field", "")

			// The day list's search: what it got is copied into the
			// code field, which checks the person in.
			s.keys("ctrl+f")
			s.typeDelay(ms, "Popescu Andrei")
			s.keys("ctrl+a", "ctrl+c", "Return", "ctrl+v", "Return")
			arrived(t, "Popescu Andrei", "a name typed in the day list's search", "")

			// The walk-in form's name: copied into the sign-in dialog,
			// whose name the report shows once a scan is recorded.
			walkIn := fmt.Sprintf("Vlad Munteanu %d", ms)
			s.keys("ctrl+w")
			s.typeDelay(ms, walkIn)
			s.keys("ctrl+a", "ctrl+c", "Escape", "F2", "ctrl+v", "Return")
			s.burst(rows["Popescu Andrei"].Code)
			arrived(t, "Popescu Andrei", "the walk-in form's name, copied into the sign-in", walkIn)

			// The override: its reason, Enter, the password, Enter.
			s.burst(rows["Kovács Eszter"].Code) // early: the card offers an override
			time.Sleep(500 * time.Millisecond)
			s.keys("ctrl+r")
			s.typeDelay(ms, "a venit devreme")
			s.keys("Return")
			s.typeDelay(ms, "sefa-birou-2026")
			s.keys("Return")
			arrived(t, "Kovács Eszter", "the override typed", "")

			// The supervisor's password opens the supervisor's window.
			s.keys("ctrl+u")
			s.typeDelay(ms, "sefa-birou-2026")
			s.keys("Return")
			if !s.hasWindow("office now|Biroul acum", 5*time.Second) {
				t.Fatalf("the supervisor's password typed did not open the window, see %s", s.shot(shotName(t)))
			}

			// The settings: the minutes a person may come early, typed,
			// then saved. Dumitrescu Ilinca's slot is 34 minutes after
			// 08:36: early with 20, welcome with 120 (a digit lost makes
			// either wrong).
			for _, early := range []struct{ minutes, verdict string }{{"20", "early"}, {"120", "valid"}} {
				s.activate("office now|Biroul acum")
				s.keys("Tab", "Tab", "Tab", "Tab", "space")  // the fourth button: the settings
				s.keys("Tab", "Tab", "Tab", "Tab", "ctrl+a") // the fourth field
				s.typeDelay(ms, early.minutes)
				s.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "space") // the seventh after it: Save
				var got string
				waitFor(3*time.Second, func() bool {
					var v struct{ Verdict string }
					json.Unmarshal([]byte(s.cli("check", rows["Dumitrescu Ilinca"].Code, "--at", "08:36", "--json")), &v)
					got = v.Verdict
					return got == early.verdict
				})
				if got != early.verdict {
					t.Fatalf("early minutes typed %q in the settings: Dumitrescu Ilinca is %q at 08:36, want %q, see %s",
						early.minutes, got, early.verdict, s.shot(shotName(t)))
				}
				s.keys("Tab", "space") // OK on the message that the settings are saved
			}
		})
	}

	// A scan before anyone signs in cannot be recorded: the card turns
	// red (with the error sound) and says why, beside the sign-in.
	t.Run("a scan before the sign-in", func(t *testing.T) {
		if !s.launchShown("--clock", "08:36") {
			t.Fatalf("the counter window did not show, see %s", s.shot(shotName(t)))
		}
		time.Sleep(time.Second)
		s.burst(rows["Popescu Andrei"].Code)
		time.Sleep(time.Second)
		if got := s.rows()["Popescu Andrei"].State; got != "expected" {
			t.Fatalf("a scan before the sign-in: Popescu Andrei is %s", got)
		}
		// The card's left margin, left of the sign-in dialog.
		if shot := s.shot(shotName(t)); !redAt(t, shot, 13, 400) {
			t.Fatalf("a scan before the sign-in: the card is not red, see %s", shot)
		}
	})
	// A scan in the first second after the window shows, the clerk
	// named on the command line: recorded.
	t.Run("a scan at start-up", func(t *testing.T) {
		if !s.launchShown("--clock", "08:36", "--clerk", "Ana Pop") {
			t.Fatalf("the counter window did not show, see %s", s.shot(shotName(t)))
		}
		shown := time.Now()
		s.burst(rows["Popescu Andrei"].Code)
		t.Logf("scanned in the %v after the window showed", time.Since(shown))
		arrived(t, "Popescu Andrei", "a scan as soon as the window shows", "Ana Pop")
	})
}
