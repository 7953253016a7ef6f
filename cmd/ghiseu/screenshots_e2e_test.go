package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The long texts a counter must hold without growing past the screen.
const (
	longClerk   = "Maria-Magdalena Constantinescu-Vlădescu."                     // 40 characters
	longCitizen = "Ionescu-Brâncoveanu Maria-Ștefania Alexandra Cristina-Ilinca" // 60
)

// counterScreens are the counters' screens.
var counterScreens = [][2]int{{1024, 768}, {1280, 720}, {1366, 768}, {1920, 1080}}

// openLongCounter opens a counter under Xvfb and openbox on a w×h screen
// with every long text at once: a 40-character clerk, linked to a hub that
// does not run (offline), the camera missing, and a 60-character walk-in
// called to the counter, on the card.
func openLongCounter(t *testing.T, w, h int) *shift {
	t.Helper()
	needTools(t, "openbox")
	s := newShift(t, w, h)
	wm := exec.Command("openbox")
	wm.Env = s.env
	if err := wm.Start(); err != nil {
		t.Fatalf("openbox: %v", err)
	}
	t.Cleanup(func() { wm.Process.Kill(); wm.Wait() })
	time.Sleep(time.Second)

	// Linked to a hub at an address where nothing answers.
	hub := filepath.Join(t.TempDir(), "ghiseu-hub")
	if out, err := exec.Command("go", "build", "-o", hub, "../ghiseu-hub").CombinedOutput(); err != nil {
		t.Fatalf("go build ghiseu-hub: %v\n%s", err, out)
	}
	hubDB, key := filepath.Join(t.TempDir(), "hub.db"), filepath.Join(t.TempDir(), "hub.key")
	if out, err := exec.Command(hub, "init", "--db", hubDB, "--key", key).CombinedOutput(); err != nil {
		t.Fatalf("ghiseu-hub init: %v\n%s", err, out)
	}
	enrol, err := exec.Command(hub, "enroll", "--db", hubDB, "--counter", "1", "--url", "https://127.0.0.1:9").Output()
	if err != nil {
		t.Fatalf("ghiseu-hub enroll: %v", err)
	}
	link := exec.Command(s.bin, "link")
	link.Env, link.Stdin = s.env, strings.NewReader(string(enrol))
	if out, err := link.CombinedOutput(); err != nil {
		t.Fatalf("ghiseu link: %v\n%s", err, out)
	}
	s.cli("walkin", "--name", longCitizen, "--reason", "expiry", "--at", "10:10")

	for try := 1; ; try++ {
		if s.launchWith("--clock", "10:12", "--clerk", longClerk, "--camera", "/dev/video9") {
			break
		}
		if try == 2 {
			t.Fatal("the counter window did not appear")
		}
		t.Log("the counter window did not appear; starting it again")
	}
	time.Sleep(2 * time.Second)
	s.key("ctrl+n") // the walk-in is the only one there: called, on the card
	time.Sleep(time.Second)
	return s
}

// launchWith starts the counter with args (stopping one that runs) and
// reports whether its window appeared.
func (s *shift) launchWith(args ...string) bool {
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
	return waitFor(30*time.Second, func() bool { return s.x.run("xdotool", "search", "--name", "Ghișeu") == nil })
}

// windowGeometry is the counter window's size, as the X server has it.
func (s *shift) windowGeometry() (w, h int) {
	s.t.Helper()
	cmd := exec.Command("xdotool", "search", "--name", "Ghișeu ·", "getwindowgeometry", "--shell")
	cmd.Env = s.env
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("xdotool getwindowgeometry: %v", err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		k, v, _ := strings.Cut(l, "=")
		switch k {
		case "WIDTH":
			w, _ = strconv.Atoi(v)
		case "HEIGHT":
			h, _ = strconv.Atoi(v)
		}
	}
	if w == 0 || h == 0 {
		s.t.Fatalf("no window geometry in %q", out)
	}
	return w, h
}

// TestScreenshotsUnderXvfb takes the counter's screenshots with every long
// text, at the counters' four screen sizes, windowed (maximised) and full
// screen, in the normal and the high-contrast theme, in Romanian and
// English, into $GHISEU_SCREENSHOTS/<size>/<windowed|fullscreen>-<theme>-<lang>.png
// (docs/screenshots). Only when that is set: CI does not rewrite the docs.
func TestScreenshotsUnderXvfb(t *testing.T) {
	dir := os.Getenv("GHISEU_SCREENSHOTS")
	if dir == "" {
		t.Skip("set GHISEU_SCREENSHOTS=<dir> to take the screenshots")
	}
	dir, _ = filepath.Abs(dir)
	for _, size := range counterScreens {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			s := openLongCounter(t, w, h)
			shot := func(name string) {
				path := filepath.Join(dir, fmt.Sprintf("%dx%d", w, h), name+".png")
				s.x.screenshot(path)
				// 8-bit palette PNGs: a tenth of the size, the same to read
				if err := exec.Command("convert", path, "-colors", "256", "PNG8:"+path).Run(); err != nil {
					t.Logf("convert %s: %v", path, err)
				}
			}
			for _, theme := range []string{"normal", "contrast"} {
				for _, lang := range []string{"ro", "en"} {
					if ww, wh := s.windowGeometry(); ww > w || wh > h {
						t.Errorf("%s %s: the window is %dx%d on a %dx%d screen", theme, lang, ww, wh, w, h)
					}
					shot(fmt.Sprintf("windowed-%s-%s", theme, lang))
					// A rebuilt window takes a while to show under Xvfb's
					// software GL on a busy machine: the pauses are long.
					s.key("F11")
					time.Sleep(2500 * time.Millisecond)
					shot(fmt.Sprintf("fullscreen-%s-%s", theme, lang))
					s.key("F11")
					time.Sleep(2500 * time.Millisecond)
					s.key("ctrl+l")
					time.Sleep(2500 * time.Millisecond)
				}
				s.key("ctrl+h")
				time.Sleep(2500 * time.Millisecond)
			}
		})
	}
}
