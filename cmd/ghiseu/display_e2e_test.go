package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"
)

// logLines collects a process's log lines as they come.
type logLines struct {
	mu    gosync.Mutex
	lines []string
	times []time.Time
}

func (l *logLines) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		l.mu.Lock()
		l.lines, l.times = append(l.lines, sc.Text()), append(l.times, time.Now())
		l.mu.Unlock()
	}
}

// startLogged starts the program name with args and env, collecting its
// log lines (standard error); it is killed when the test ends.
func startLogged(t *testing.T, env []string, name string, args ...string) (*exec.Cmd, *logLines) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	logs := &logLines{}
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	go logs.read(pr)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); pw.Close() })
	return cmd, logs
}

// wait is when a line holding every part was logged, waiting up to d.
func (l *logLines) wait(d time.Duration, parts ...string) (time.Time, bool) {
	var at time.Time
	ok := waitFor(d, func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
	lines:
		for i, line := range l.lines {
			for _, p := range parts {
				if !strings.Contains(line, p) {
					continue lines
				}
			}
			at = l.times[i]
			return true
		}
		return false
	})
	return at, ok
}

// An office with one counter and no hub: the waiting room's screen, on a
// screen of its own, reads the counter's database. The clerk's Ctrl+N is
// on the screen within 2 s, and so is a call again (Ctrl+Shift+N); the
// latest call is drawn (its ticket's yellow), and no name is shown or
// logged.
func TestDisplayShowsTheCountersCalls(t *testing.T) {
	s := newShift(t, 1366, 768)
	s.withOpenbox()
	code := s.rowsAt("10:12")["Bălan Ana"].Code
	s.start("10:12", "")
	s.scan(code)
	if st := s.rowsAt("10:12")["Bălan Ana"].State; st != "arrived" {
		t.Fatalf("Bălan Ana %s, want arrived", st)
	}

	tv := startX(t, 1366, 768) // the waiting room's TV
	wm := exec.Command("openbox")
	wm.Env = append(os.Environ(), "DISPLAY="+tv.display)
	if err := wm.Start(); err == nil {
		t.Cleanup(func() { wm.Process.Kill(); wm.Wait() })
	}
	env := append(append([]string{}, s.env...), "DISPLAY="+tv.display)
	wavs := t.TempDir()
	_, logs := startLogged(t, env, s.bin, "display", "--clock", "10:12", "--wav-dir", wavs)
	if _, ok := logs.wait(30*time.Second, "waiting room: showing", "waiting=1"); !ok {
		t.Fatalf("the screen did not show the office (one waiting): %q", logs.lines)
	}
	time.Sleep(time.Second)

	for _, step := range []struct{ key, repeat string }{{"ctrl+n", "repeat=false"}, {"ctrl+shift+n", "repeat=true"}} {
		start := time.Now()
		s.x.run("xdotool", "key", step.key)
		at, ok := logs.wait(10*time.Second, "waiting room: call shown", step.repeat)
		if !ok {
			t.Fatalf("%s never reached the screen: %q", step.key, logs.lines)
		}
		took := at.Sub(start)
		t.Logf("%s: on the screen after %v", step.key, took)
		if took > 2*time.Second {
			t.Errorf("%s reached the screen after %v, want within 2 s", step.key, took)
		}
	}
	if st := s.rowsAt("10:12")["Bălan Ana"].State; st != "called" {
		t.Errorf("after the call and the call again: %s, want called", st)
	}
	time.Sleep(500 * time.Millisecond)
	path := filepath.Join(shotDir(), "display", "one-counter-1366x768.png")
	tv.screenshot(path)
	img := readPNG(t, path)
	yellow := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y*2/3; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 > 0xe0 && g>>8 > 0xb0 && g>>8 < 0xf0 && bl>>8 < 0x40 {
				yellow++
			}
		}
	}
	if yellow < 500 {
		t.Errorf("the latest call's ticket is not drawn: %d yellow pixels", yellow)
	}
	waitFilled(t, tv, path)
	checkSpoken(t, wavs, 2) // the call, and the call again said again
	logs.mu.Lock()
	defer logs.mu.Unlock()
	for _, line := range logs.lines {
		for _, part := range []string{"Bălan", "Ana Pop"} {
			if strings.Contains(line, part) {
				t.Errorf("the screen logged a name: %s", line)
			}
		}
	}
}

// The screen stays full screen. Fyne asks the window manager once, as the
// window shows, and a busy window manager can drop that request (a framed
// window with a title bar, as CI once saw); the screen then asks again.
// Here the state is taken away from outside, as a window manager's
// shortcut or an administrator's tool would: the screen is full screen
// again within seconds, by itself.
func TestDisplayStaysFullScreen(t *testing.T) {
	needTools(t, "openbox", "wmctrl")
	s := newShift(t, 1366, 768)
	wm := exec.Command("openbox") // started with the screen, as a TV's computer does
	wm.Env = s.env
	if err := wm.Start(); err != nil {
		t.Fatalf("openbox: %v", err)
	}
	t.Cleanup(func() { wm.Process.Kill(); wm.Wait() })
	_, logs := startLogged(t, s.env, s.bin, "display", "--clock", "10:12")
	if _, ok := logs.wait(30*time.Second, "waiting room: showing"); !ok {
		t.Fatalf("the screen did not show the office: %q", logs.lines)
	}
	path := filepath.Join(shotDir(), "display", "full-screen-again-1366x768.png")
	waitFilled(t, s.x, path)
	if err := s.x.run("wmctrl", "-r", "Ghi", "-b", "remove,fullscreen"); err != nil {
		t.Fatalf("wmctrl: %v", err)
	}
	if _, ok := logs.wait(12*time.Second, "asked the window manager for full screen again"); !ok {
		t.Errorf("the screen never asked again for full screen: %q", logs.lines)
	}
	waitFilled(t, s.x, path)
}

// checkSpoken checks that n calls were said into dir as WAV files, each
// non-silent and of a plausible length by sox (a chime and a few words).
func checkSpoken(t *testing.T, dir string, n int) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		needTools(t, "espeak-ng") // CI must have it; elsewhere the rest of the test stands
		return
	}
	var files []string
	waitFor(30*time.Second, func() bool {
		files, _ = filepath.Glob(filepath.Join(dir, "*.wav"))
		return len(files) >= n
	})
	if len(files) != n {
		t.Fatalf("%d calls said, want %d: %q", len(files), n, files)
	}
	if _, err := exec.LookPath("sox"); err != nil {
		t.Logf("sox is not installed: the WAV files are not measured")
		return
	}
	for _, f := range files {
		out, err := exec.Command("sox", f, "-n", "stat").CombinedOutput()
		if err != nil {
			t.Fatalf("sox %s: %v\n%s", f, err, out)
		}
		stat := map[string]float64{}
		for _, line := range strings.Split(string(out), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			if x, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				stat[strings.TrimSpace(k)] = x
			}
		}
		length, rms := stat["Length (seconds)"], stat["RMS     amplitude"]
		t.Logf("%s: %.2f s, RMS %.3f", filepath.Base(f), length, rms)
		if length < 1.5 || length > 10 || rms < 0.01 {
			t.Errorf("%s: %.2f s long, RMS %.3f: want a chime and words (1.5 to 10 s), not silence", filepath.Base(f), length, rms)
		}
	}
}
