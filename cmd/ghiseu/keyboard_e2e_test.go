package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The helpers of the keyboard tests on the real window: one X server, one
// window manager (openbox) and one counter shared by a test's subtests.

// withOpenbox starts the openbox window manager on s's X server, as an
// office's desktop has one: it moves the keyboard focus between windows.
func (s *shift) withOpenbox() {
	s.t.Helper()
	needTools(s.t, "openbox")
	wm := exec.Command("openbox")
	wm.Env = s.env
	if err := wm.Start(); err != nil {
		s.t.Fatalf("openbox: %v", err)
	}
	s.t.Cleanup(func() { wm.Process.Kill(); wm.Wait() })
	time.Sleep(time.Second)
}

// keys presses keys one after the other, as a person does, then lets the
// window settle.
func (s *shift) keys(keys ...string) {
	if len(keys) > 0 {
		s.x.run("xdotool", append([]string{"key", "--delay", "80"}, keys...)...)
	}
	time.Sleep(250 * time.Millisecond)
}

// typeAt types text at ms milliseconds a key, as a person does (30 to
// 200). xdotool's --delay is spent half after the press, half after the
// release of a key, and the two halves overlap the next key's: measured
// under Xvfb, --delay 30 types 20 keys in 0.32 s, --delay 110 in 1.27 s;
// so --delay 2×ms types a key every ms milliseconds.
func (s *shift) typeAt(ms int, text string) { s.typeDelay(2*ms, text) }

// typeDelay types text with xdotool type --delay delay.
func (s *shift) typeDelay(delay int, text string) {
	s.t.Helper()
	if err := s.x.run("xdotool", "type", "--delay", strconv.Itoa(delay), text); err != nil {
		s.t.Fatalf("xdotool type: %v", err)
	}
}

// burst is a handheld scanner reading code: its keys 5 ms apart, then
// Enter, with no pause at all after what came before.
func (s *shift) burst(code string) {
	s.t.Helper()
	if err := s.x.run("xdotool", "type", "--delay", "5", code); err != nil {
		s.t.Fatalf("xdotool type: %v", err)
	}
	s.x.run("xdotool", "key", "Return")
}

// state waits up to d for the named booking to be in state want (as the
// command line reads it) and returns the state it found last.
func (s *shift) state(name, want string, d time.Duration) string {
	var got string
	waitFor(d, func() bool {
		got = s.rowsAt("08:00")[name].State
		return got == want
	})
	return got
}

// activeWindow is the title of the window that has the keyboard.
func (s *shift) activeWindow() string {
	cmd := exec.Command("xdotool", "getactivewindow", "getwindowname")
	cmd.Env = s.env
	out, _ := cmd.Output()
	return strings.TrimSpace(string(out))
}

// activate gives the keyboard to the window whose title matches pattern.
func (s *shift) activate(pattern string) {
	s.t.Helper()
	if err := s.x.run("xdotool", "search", "--name", pattern, "windowactivate", "--sync"); err != nil {
		s.t.Fatalf("no window %q to activate, see %s", pattern, s.shot("no-window"))
	}
	time.Sleep(300 * time.Millisecond)
}

// hasWindow waits up to d for a window whose title matches pattern.
func (s *shift) hasWindow(pattern string, d time.Duration) bool {
	return waitFor(d, func() bool { return s.x.run("xdotool", "search", "--name", pattern) == nil })
}

// shotName makes a subtest's name a screenshot's file name.
func shotName(t *testing.T) string {
	return "keys-" + strings.Trim(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(t.Name(), "-"), "-")
}

// counterTitle starts the counter window's title: the verdict of a scan
// shows there, so it comes to the front.
const counterTitle = "Ghișeu ·"

// refs are today's bookings' short references, by name.
func (s *shift) refs() map[string]string {
	s.t.Helper()
	var rows []struct{ Name, Ref string }
	if err := json.Unmarshal([]byte(s.cli("list", "--json", "--day", s.day)), &rows); err != nil {
		s.t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range rows {
		m[r.Name] = r.Ref
	}
	return m
}

// launchShown starts the counter with args (stopping one that runs) and
// waits until its window shows on the screen: the window exists, with
// its title, some time before it is mapped and can take keys.
func (s *shift) launchShown(args ...string) bool {
	s.t.Helper()
	if s.gui != nil {
		s.gui.Process.Kill()
		s.gui.Wait()
	}
	s.gui = exec.Command(s.bin, args...)
	s.gui.Env = s.env
	s.gui.Stderr = os.Stderr
	if err := s.gui.Start(); err != nil {
		s.t.Fatal(err)
	}
	gui := s.gui
	s.t.Cleanup(func() { gui.Process.Kill(); gui.Wait() })
	return waitFor(30*time.Second, func() bool {
		return s.x.run("xdotool", "search", "--onlyvisible", "--name", counterTitle) == nil
	})
}

// redAt reports whether the screenshot at path is red (the verdict
// card's colour for a scan that cannot be taken) at x, y, also under the
// shade a dialog casts over the window.
func redAt(t *testing.T, path string, x, y int) bool {
	t.Helper()
	img := readPNG(t, path)
	r, g, b, _ := img.At(x, y).RGBA()
	return r>>8 > 0x50 && r > 3*g && r > 3*b
}
