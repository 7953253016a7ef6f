package soak

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Screen is a virtual X screen (Xvfb) with a window manager (openbox), as
// on a counter PC, driven with xdotool.
type Screen struct {
	display string
	procs   []*exec.Cmd // stopped in reverse order
}

// Tools are the programs a soak needs.
var Tools = []string{"Xvfb", "openbox", "xdotool"}

// StartScreen starts Xvfb at w×h and openbox on it.
func StartScreen(w, h int) (*Screen, error) {
	r, wr, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{wr} // Xvfb picks a free display and writes its number to fd 3
	if err := x.Start(); err != nil {
		wr.Close()
		return nil, fmt.Errorf("Xvfb: %w", err)
	}
	wr.Close()
	s := &Screen{procs: []*exec.Cmd{x}}
	var n int
	if _, err := fmt.Fscan(r, &n); err != nil {
		s.Close()
		return nil, fmt.Errorf("Xvfb did not say its display: %w", err)
	}
	s.display = fmt.Sprintf(":%d", n)
	if err := s.WaitFor(10*time.Second, func() bool { return s.Run("xdotool", "getdisplaygeometry") == nil }); err != nil {
		s.Close()
		return nil, fmt.Errorf("Xvfb %s: %w", s.display, err)
	}
	wm := exec.Command("openbox")
	wm.Env = s.Env(os.Environ())
	if err := wm.Start(); err != nil {
		s.Close()
		return nil, fmt.Errorf("openbox: %w", err)
	}
	s.procs = append(s.procs, wm)
	time.Sleep(time.Second) // openbox takes the screen
	return s, nil
}

// Env is environ with this screen's DISPLAY.
func (s *Screen) Env(environ []string) []string { return append(environ, "DISPLAY="+s.display) }

// Run runs an X client on this screen.
func (s *Screen) Run(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Env = s.Env(os.Environ())
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %w %s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// TypeText types text with delay between the keys.
func (s *Screen) TypeText(delay time.Duration, text string) error {
	return s.Run("xdotool", "type", "--delay", fmt.Sprint(delay.Milliseconds()), text)
}

// Key presses keys (xdotool's names, e.g. "ctrl+l", "Return").
func (s *Screen) Key(keys ...string) error {
	return s.Run("xdotool", append([]string{"key"}, keys...)...)
}

// HasWindow reports whether a window whose name matches the pattern is shown.
func (s *Screen) HasWindow(pattern string) bool {
	return s.Run("xdotool", "search", "--onlyvisible", "--name", pattern) == nil
}

var errTimeout = errors.New("timed out")

// WaitFor polls ok until it holds or d passes.
func (s *Screen) WaitFor(d time.Duration, ok func() bool) error {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return nil
		}
	}
	return errTimeout
}

// Close stops the window manager and the X server.
func (s *Screen) Close() {
	for i := len(s.procs) - 1; i >= 0; i-- {
		p := s.procs[i]
		p.Process.Signal(syscall.SIGTERM) // Xvfb removes its socket on TERM
		p.Wait()
	}
	s.procs = nil
}
