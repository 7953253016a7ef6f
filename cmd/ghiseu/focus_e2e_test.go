package main

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestScanWhateverHasTheFocusUnderXvfb scans a code with xdotool at 5 ms a
// key on the real window, under a window manager (openbox), with the focus
// in the day list's search field, on a button reached with Tab, on a
// clicked row of the day list, and in the supervisor's window over the
// counter; each scan must be recorded. The
// supervisor's password is typed at 30 ms a key, a staff number at 35 ms,
// as fast as people type.
func TestScanWhateverHasTheFocusUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	needTools(t, "openbox")
	s := newShift(t, 1366, 768)
	wm := exec.Command("openbox")
	wm.Env = s.env
	if err := wm.Start(); err != nil {
		t.Fatalf("openbox: %v", err)
	}
	t.Cleanup(func() { wm.Process.Kill(); wm.Wait() })
	time.Sleep(time.Second)
	s.start("08:26", "")
	code := s.rows()["Popescu Andrei"].Code
	steps := []struct {
		name  string
		focus func()
	}{
		{"the day list's search", func() { s.key("ctrl+f") }},
		{"a button reached with Tab", func() { s.key("Tab"); s.key("Tab") }},
		{"a clicked row of the day list", func() {
			s.x.run("xdotool", "mousemove", "1100", "330", "click", "1")
			time.Sleep(300 * time.Millisecond)
		}},
		{"the supervisor's window", func() {
			s.key("ctrl+u")
			s.x.run("xdotool", "type", "--delay", "30", "sefa-birou-2026")
			s.key("Return")
			time.Sleep(2 * time.Second) // the window opens over the counter
			if err := s.x.run("xdotool", "search", "--name", "office now|Biroul acum"); err != nil {
				t.Fatalf("the supervisor's window did not open (the password typed fast was lost?), see %s", s.shot("focus-no-supervisor"))
			}
		}},
	}
	for _, st := range steps {
		st.focus()
		if err := s.x.run("xdotool", "type", "--delay", "5", code); err != nil {
			t.Fatal(err)
		}
		s.key("Return")
		time.Sleep(500 * time.Millisecond)
		if got := s.rows()["Popescu Andrei"].State; got != "arrived" {
			s.shot("focus-lost-" + st.name)
			t.Fatalf("a scan with the focus on %s: Popescu Andrei is %s", st.name, got)
		}
		s.key("ctrl+z") // the scan raised the counter's window: undone there
		if got := s.rows()["Popescu Andrei"].State; got != "expected" {
			t.Fatalf("after the undo (%s): Popescu Andrei is %s", st.name, got)
		}
	}
	// A staff number typed at 35 ms a key, then Enter, signs in: it was
	// taken for a scan and lost.
	s.key("F2")
	s.x.run("xdotool", "type", "--delay", "35", "48213")
	s.key("Return")
	s.x.run("xdotool", "type", "--delay", "5", code)
	s.key("Return")
	time.Sleep(500 * time.Millisecond)
	if got := s.rows()["Popescu Andrei"].State; got != "arrived" {
		t.Fatalf("after signing in: Popescu Andrei is %s", got)
	}
	if r := s.cli("report", "--format", "csv", "--day", s.day); !strings.Contains(r, "clerk,48213") {
		t.Fatalf("the staff number typed fast did not sign in, see %s; the report:\n%s", s.shot("focus-staff-number"), r)
	}
}
