package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestScanWhateverHasTheFocusUnderXvfb is the focus matrix on the real
// window, under a window manager (openbox): a code scanned with xdotool at
// 5 ms a key, with the focus on every widget of the counter's window that
// Tab and Shift+Tab reach from the code field, on a clicked row of the day
// list (the scan right after the click), and in every other window and
// dialog: the sign-in, the supervisor's password, the supervisor's window
// and its settings, the demo codes, the walk-in form, the override, the
// question before calling the next person, a message over the window and
// the import's file chooser. Each scan must be recorded (the command line
// reads the booking as arrived) and the counter's window, where the
// verdict shows, must have come to the front. A dialog the clerk was
// filling keeps what was typed in it: the typing goes on after the scan
// and its action happens. One X server and one counter serve all.
func TestScanWhateverHasTheFocusUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	s := newShift(t, 1366, 768)
	s.withOpenbox()
	s.start("08:36", "")
	rows := s.rows()
	const who = "Popescu Andrei"
	code := rows[who].Code

	// scanned scans who's code with the focus wherever the step left it:
	// the booking must become arrived, the counter's window active.
	scanned := func(t *testing.T) {
		t.Helper()
		s.burst(code)
		if got := s.state(who, "arrived", 5*time.Second); got != "arrived" {
			t.Fatalf("the scan was lost: %s is %s, see %s", who, got, s.shot(shotName(t)))
		}
		if w := s.activeWindow(); !strings.HasPrefix(w, counterTitle) {
			t.Errorf("the verdict is not in front: the active window is %q, see %s", w, s.shot(shotName(t)))
		}
	}
	// undone undoes the arrival with Ctrl+Z wherever the keyboard is.
	undone := func(t *testing.T) {
		t.Helper()
		s.keys("ctrl+z")
		if got := s.state(who, "expected", 3*time.Second); got != "expected" {
			t.Fatalf("after Ctrl+Z %s is %s, see %s", who, got, s.shot(shotName(t)+"-undo"))
		}
	}
	repeat := func(key string, n int) []string {
		ks := make([]string, n)
		for i := range ks {
			ks[i] = key
		}
		return ks
	}

	// The counter's window: the code field, then whatever Tab and
	// Shift+Tab reach from it (the focus comes back to the code field
	// after each scan).
	t.Run("counter/code field", func(t *testing.T) { scanned(t); undone(t) })
	// 17 Tab stops go round the window and back to the code field (the
	// headless TestTabGoesRoundTheCounter names them).
	for n := 1; n <= 17; n++ {
		t.Run(fmt.Sprintf("counter/Tab×%d", n), func(t *testing.T) {
			s.keys(repeat("Tab", n)...)
			scanned(t)
			undone(t)
		})
	}
	for n := 1; n <= 4; n++ { // the other way round: the action buttons, the footer's
		t.Run(fmt.Sprintf("counter/Shift+Tab×%d", n), func(t *testing.T) {
			s.keys(repeat("shift+Tab", n)...)
			scanned(t)
			undone(t)
		})
	}
	t.Run("counter/the day list's search", func(t *testing.T) {
		s.keys("ctrl+f")
		scanned(t)
		undone(t)
	})
	t.Run("counter/a row of the day list, scanned right after the click", func(t *testing.T) {
		// One xdotool command: the keys follow the click at once, before
		// the focus keeper's next round.
		if err := s.x.run("xdotool", "mousemove", "1100", "330", "click", "1", "type", "--delay", "5", code); err != nil {
			t.Fatal(err)
		}
		s.keys("Return")
		if got := s.state(who, "arrived", 5*time.Second); got != "arrived" {
			t.Fatalf("the scan right after a click on a row was lost: %s is %s, see %s", who, got, s.shot(shotName(t)))
		}
		undone(t)
	})

	// signedIn checks that the report names clerk, once a scan is
	// recorded (the report names the clerks of the day's events); the
	// scan is undone after.
	signedIn := func(t *testing.T, clerk, what string) {
		t.Helper()
		scanned(t)
		r := s.cli("report", "--format", "csv", "--day", s.day)
		undone(t)
		if !strings.Contains(r, "clerk,"+clerk) {
			t.Fatalf("%s: %q did not sign in, see %s; the report:\n%s", what, clerk, s.shot(shotName(t)), r)
		}
	}
	// fresh starts the counter again for a dialog: what an earlier step
	// left open does not stack under it.
	fresh := func(t *testing.T) {
		t.Helper()
		s.start("08:36", "")
		if got := s.state(who, "expected", time.Second); got != "expected" {
			t.Fatalf("%s is %s before the step", who, got)
		}
	}

	// The dialogs over the counter's window, and the other windows.
	t.Run("sign-in", func(t *testing.T) {
		fresh(t)
		s.keys("F2")
		s.typeAt(70, "Ion")
		scanned(t)
		undone(t)
		s.typeAt(70, "escu")
		s.keys("Return")
		signedIn(t, "Ionescu", "the name half typed before a scan")
	})
	t.Run("sign-in/its Cancel button", func(t *testing.T) {
		fresh(t)
		s.keys("F2", "Tab")
		scanned(t)
		undone(t)
		s.keys("space") // presses Cancel, where the focus was
		scanned(t)      // the dialog is gone: the code field has the keyboard
		undone(t)
	})
	t.Run("supervisor password, then its window and settings", func(t *testing.T) {
		fresh(t)
		s.keys("ctrl+u")
		s.typeAt(45, "sefa-")
		scanned(t)
		undone(t)
		s.typeAt(45, "birou-2026")
		s.keys("Return")
		if !s.hasWindow("office now|Biroul acum", 5*time.Second) {
			t.Fatalf("the password half typed before the scan did not open the supervisor's window, see %s", s.shot(shotName(t)))
		}
		// One Tab more each time: Tab goes on from the widget the focus
		// keeper took the focus off. The fourth is the settings button.
		for n := 0; n <= 4; n++ {
			s.activate("office now|Biroul acum")
			if n > 0 {
				s.keys("Tab")
			}
			scanned(t)
			undone(t)
		}
		s.activate("office now|Biroul acum")
		s.keys("space")
		s.shot(shotName(t) + "-settings")
		for n := 0; n <= 12; n++ {
			s.activate("office now|Biroul acum")
			if n > 0 {
				s.keys("Tab")
			}
			scanned(t)
			undone(t)
		}
		s.shot(shotName(t) + "-settings-after")
	})
	t.Run("demo codes", func(t *testing.T) {
		fresh(t)
		s.keys("ctrl+d")
		if !s.hasWindow("Demo codes|Coduri demo", 5*time.Second) {
			t.Fatalf("Ctrl+D opened no demo codes window, see %s", s.shot(shotName(t)))
		}
		s.activate("Demo codes|Coduri demo")
		scanned(t)
		undone(t)
	})
	t.Run("walk-in form", func(t *testing.T) {
		fresh(t)
		s.keys("ctrl+w")
		s.typeAt(70, "Vlad")
		scanned(t)
		undone(t)
		s.typeAt(70, " Munteanu")
		s.keys("Tab") // the reason
		scanned(t)
		undone(t)
		s.keys("shift+Tab") // the name again
		scanned(t)
		undone(t)
		// What the form kept, copied out and signed in with.
		s.keys("ctrl+a", "ctrl+c", "Escape", "F2", "ctrl+v", "Return")
		signedIn(t, "Vlad Munteanu", "the walk-in name typed around three scans")
	})
	t.Run("override", func(t *testing.T) {
		fresh(t)
		s.burst(rows["Kovács Eszter"].Code) // early: the card offers an override
		time.Sleep(500 * time.Millisecond)
		s.keys("ctrl+r")
		s.typeAt(70, "program")
		scanned(t)
		undone(t)
		s.typeAt(70, "at devreme")
		s.keys("Return") // to the password
		scanned(t)
		undone(t)
		s.typeAt(45, "sefa-birou-2026")
		s.keys("Return")
		if got := s.state("Kovács Eszter", "arrived", 3*time.Second); got != "arrived" {
			t.Fatalf("the override typed around two scans did not take Kovács Eszter: %s, see %s", got, s.shot(shotName(t)))
		}
		s.keys("ctrl+z")
	})
	t.Run("still serving: call anyway?", func(t *testing.T) {
		fresh(t)
		s.burst(rows["Lupu Sorin"].Code) // someone waits
		s.state("Lupu Sorin", "arrived", 3*time.Second)
		s.keys("ctrl+n", "ctrl+n")
		s.shot(shotName(t) + "-asked")
		scanned(t)
		undone(t)
		s.keys("Escape")
	})
	t.Run("a message over the window", func(t *testing.T) {
		fresh(t)
		s.keys("ctrl+u")
		s.typeAt(45, "gresit")
		s.keys("Return") // a wrong password: told over the window
		s.shot(shotName(t) + "-told")
		scanned(t)
		undone(t)
		s.keys("Escape")
	})
	t.Run("import file chooser", func(t *testing.T) {
		fresh(t)
		s.keys("ctrl+i")
		time.Sleep(500 * time.Millisecond)
		for n := 0; n <= 6; n++ {
			s.activate(counterTitle)
			s.keys(repeat("Tab", n)...)
			s.burst(code)
			if got := s.state(who, "arrived", 5*time.Second); got != "arrived" {
				t.Fatalf("Tab×%d in the file chooser: the scan was lost, see %s", n, s.shot(fmt.Sprintf("%s-%d", shotName(t), n)))
			}
			s.x.run("xdotool", "key", "ctrl+z")
			if got := s.state(who, "expected", 3*time.Second); got != "expected" {
				t.Fatalf("Tab×%d in the file chooser: Ctrl+Z left %s, see %s", n, got, s.shot(fmt.Sprintf("%s-%d", shotName(t), n)))
			}
		}
	})
}
