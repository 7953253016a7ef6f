package main

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/qr"
)

// kioskFrame writes a camera frame showing code's QR into dir.
func kioskFrame(t *testing.T, dir, code string) {
	t.Helper()
	q, err := qr.Encode(code, 480)
	if err != nil {
		t.Fatal(err)
	}
	frame := image.NewGray(image.Rect(0, 0, 1280, 720))
	draw.Draw(frame, frame.Bounds(), image.NewUniform(color.Gray{0xd8}), image.Point{}, draw.Src)
	at := image.Pt((1280-q.Bounds().Dx())/2, (720-q.Bounds().Dy())/2)
	draw.Draw(frame, q.Bounds().Add(at), q, q.Bounds().Min, draw.Src)
	f, err := os.Create(filepath.Join(dir, "frame.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, frame); err != nil {
		t.Fatal(err)
	}
}

// TestKioskUnderXvfb runs ghiseu kiosk under Xvfb with openbox at the two
// screen sizes: a citizen's code shown to the camera (--frames) gets a
// ticket, recorded as counter "kiosk"; a code from a handheld scanner too
// early is told when to come back; the window manager's close (Alt+F4)
// asks for the supervisor's password and the kiosk stays. Screenshots go
// to $GHISEU_SHOTS/kiosk (docs/screenshots/kiosk with ./dev.sh
// screenshots).
func TestKioskUnderXvfb(t *testing.T) {
	for _, size := range [][2]int{{1920, 1080}, {1366, 768}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			s := newShift(t, size[0], size[1])
			s.withOpenbox()
			rows := s.rowsAt("08:25")
			frames := t.TempDir()
			kioskFrame(t, frames, rows["Popescu Andrei"].Code)
			k, logs := startLogged(t, s.env, s.bin, "kiosk", "--clock", "08:25", "--frames", frames)
			if _, ok := logs.wait(60*time.Second, "kiosk: answered", "answer=welcome", "ticket=D-"); !ok {
				t.Fatalf("the camera's code got no welcome: %q", logs.lines)
			}
			time.Sleep(700 * time.Millisecond)
			shot := func(name string) string {
				path := filepath.Join(shotDir(), "kiosk", fmt.Sprintf("%s-%dx%d.png", name, size[0], size[1]))
				s.x.screenshot(path)
				if os.Getenv("GHISEU_SHOTS") != "" { // 8-bit palette PNGs for the docs, as the counter's
					exec.Command("convert", path, "-colors", "256", "PNG8:"+path).Run()
				}
				return path
			}
			shot("welcome")
			var listed []struct{ Name, State, Ticket string }
			if err := json.Unmarshal([]byte(s.cli("list", "--json", "--day", s.day, "--at", "08:26")), &listed); err != nil {
				t.Fatal(err)
			}
			for _, r := range listed {
				if r.Name == "Popescu Andrei" && (r.State != "arrived" || !strings.HasPrefix(r.Ticket, "D-")) {
					t.Errorf("Popescu Andrei after the kiosk: %+v", r)
				}
			}

			s.x.run("xdotool", "type", "--delay", "2", rows["Bălan Ana"].Code) // a handheld scanner
			s.x.run("xdotool", "key", "Return")
			if _, ok := logs.wait(20*time.Second, "kiosk: answered", "answer=early"); !ok {
				t.Fatalf("the scanner's early code: %q", logs.lines)
			}
			time.Sleep(700 * time.Millisecond)
			shot("early")

			s.x.run("xdotool", "key", "alt+F4")
			if _, ok := logs.wait(10*time.Second, "kiosk: supervisor password asked"); !ok {
				t.Fatalf("Alt+F4 did not ask for the password: %q", logs.lines)
			}
			time.Sleep(500 * time.Millisecond)
			if k.ProcessState != nil || k.Process.Signal(syscall.Signal(0)) != nil {
				t.Fatal("the kiosk closed on Alt+F4")
			}
			shot("password")

			// Left at the password, the kiosk goes back to the citizens;
			// its keypad's button is the blue one under the prompt.
			time.Sleep(kioskBack)
			path := shot("home")
			x, y, ok := blueButton(t, path, size[1]/2)
			if !ok {
				t.Fatal("no keypad button on the welcome screen")
			}
			s.x.run("xdotool", "mousemove", fmt.Sprint(x), fmt.Sprint(y), "click", "1")
			time.Sleep(700 * time.Millisecond)
			s.x.run("xdotool", "mousemove", "316", "40", "click", "1") // English, the language bar's second button
			time.Sleep(700 * time.Millisecond)
			shot("keypad-en")

			// Another day's code, from the scanner, answered in English.
			loc, _ := time.LoadLocation("Europe/Bucharest")
			day, _ := time.ParseInLocation(time.DateOnly, s.day, loc)
			var later []struct{ Name, Code string }
			if err := json.Unmarshal([]byte(s.cli("list", "--json", "--day", day.AddDate(0, 0, 2).Format(time.DateOnly))), &later); err != nil {
				t.Fatal(err)
			}
			other := ""
			for _, r := range later {
				if r.Name == "Pavel Oana" {
					other = r.Code
				}
			}
			s.x.run("xdotool", "type", "--delay", "2", other)
			s.x.run("xdotool", "key", "Return")
			if _, ok := logs.wait(20*time.Second, "kiosk: answered", "answer=wrong_day"); !ok {
				t.Fatalf("another day's code: %q", logs.lines)
			}
			time.Sleep(700 * time.Millisecond)
			shot("wrong-day-en")

			logs.mu.Lock()
			defer logs.mu.Unlock()
			for _, line := range logs.lines {
				for _, part := range []string{"Popescu", "Andrei", "Bălan"} {
					if strings.Contains(line, part) {
						t.Errorf("the kiosk logged a name: %s", line)
					}
				}
			}
		})
	}
}

// kioskBack is a little more than the kiosk's 10 s back to its welcome.
const kioskBack = 11 * time.Second

// blueButton is the middle of the blue (high importance) button drawn
// below y in the screenshot at path.
func blueButton(t *testing.T, path string, below int) (x, y int, ok bool) {
	t.Helper()
	img := readPNG(t, path)
	b := img.Bounds()
	n, sx, sy := 0, 0, 0
	for py := below; py < b.Max.Y; py++ {
		for px := b.Min.X; px < b.Max.X; px++ {
			r, g, bl, _ := img.At(px, py).RGBA()
			if r>>8 < 0x80 && g>>8 > 0x90 && g>>8 < 0xc0 && bl>>8 > 0xf0 {
				n, sx, sy = n+1, sx+px, sy+py
			}
		}
	}
	if n < 500 {
		return 0, 0, false
	}
	return sx / n, sy / n, true
}

// TestKioskThenCounterCalls: a citizen checks in at the kiosk (its own
// screen, the camera's code through --frames), on the counter's database
// (an office with one counter and no hub); the counter calls the next
// person (Ctrl+N): it is them, with the kiosk's ticket.
func TestKioskThenCounterCalls(t *testing.T) {
	s := newShift(t, 1366, 768)
	s.withOpenbox()
	rows := s.rowsAt("10:12")
	frames := t.TempDir()
	kioskFrame(t, frames, rows["Bălan Ana"].Code)

	screen := startX(t, 1366, 768) // the kiosk's own screen
	_, logs := startLogged(t, append(append([]string{}, s.env...), "DISPLAY="+screen.display), s.bin, "kiosk", "--clock", "10:12", "--frames", frames)
	if _, ok := logs.wait(60*time.Second, "kiosk: answered", "answer=welcome", "ticket=D-"); !ok {
		t.Fatalf("the kiosk gave no ticket: %q", logs.lines)
	}
	logs.mu.Lock()
	ticket := ""
	for _, line := range logs.lines {
		if i := strings.Index(line, "ticket=D-"); i >= 0 && strings.Contains(line, "answer=welcome") {
			ticket = strings.Fields(line[i+len("ticket="):])[0]
		}
	}
	logs.mu.Unlock()

	s.start("10:12", "")
	s.key("ctrl+n")
	var listed []struct{ Name, State, Ticket string }
	var person struct{ Name, State, Ticket string }
	waitFor(10*time.Second, func() bool {
		listed = nil
		if err := json.Unmarshal([]byte(s.cli("list", "--json", "--day", s.day, "--at", "10:13")), &listed); err != nil {
			t.Fatal(err)
		}
		for _, r := range listed {
			if r.Name == "Bălan Ana" {
				person = r
			}
		}
		return person.State == "called"
	})
	if person.State != "called" || person.Ticket != ticket {
		t.Fatalf("after the counter's Ctrl+N: %+v, the kiosk's ticket %q", person, ticket)
	}
	t.Logf("the kiosk's ticket %s called at the counter", ticket)
}

// TestKioskHoldsTheKeyboard: someone at the kiosk with a keyboard and a
// mouse tries openbox's bindings (show the desktop, another desktop, lower
// the window, the window's menu, the next window; Alt or Ctrl with the
// wheel, to another desktop whose desktop menu offers a terminal). The
// kiosk holds the keyboard and the pointer, so none reaches the window
// manager: the screen stays the kiosk's. Minimised, or left behind on
// another desktop by a program's request, it is shown again by itself; put
// below the others, it comes back above them.
// Alt+F4 still asks for the supervisor's password.
func TestKioskHoldsTheKeyboard(t *testing.T) {
	needTools(t, "wmctrl", "xmessage")
	s := newShift(t, 1366, 768)
	s.withOpenbox()
	_, logs := startLogged(t, s.env, s.bin, "kiosk", "--clock", "08:25")
	if _, ok := logs.wait(30*time.Second, "window: the keyboard and the pointer held", "held=true"); !ok {
		t.Fatalf("the kiosk did not hold the keyboard and the pointer: %q", logs.lines)
	}
	time.Sleep(500 * time.Millisecond)
	dir := t.TempDir()
	start := filepath.Join(dir, "start.png")
	s.x.screenshot(start)
	same := func(what string, within time.Duration) {
		t.Helper()
		after := filepath.Join(dir, "after.png")
		var changed float64
		waitFor(within, func() bool {
			time.Sleep(300 * time.Millisecond)
			s.x.screenshot(after)
			changed = pixelsChanged(t, start, after)
			return changed < 0.01
		})
		if changed >= 0.01 {
			t.Errorf("%s changed %.0f%% of the screen: the kiosk is left", what, changed*100)
			s.x.run("xdotool", "key", "Escape") // a menu, if one opened
			s.x.run("wmctrl", "-s", "0")
		}
	}
	for _, key := range []string{"super+d", "ctrl+alt+Right", "alt+Escape", "alt+space", "alt+Tab", "shift+alt+Right"} {
		s.x.run("xdotool", "key", key)
		same(key, time.Second)
	}
	for _, mod := range []string{"alt", "ctrl+alt"} {
		s.x.run("xdotool", "mousemove", "683", "300", "keydown", mod, "click", "5", "keyup", mod)
		same(mod+" with the wheel", time.Second)
	}
	s.x.run("xdotool", "mousemove", "683", "300", "click", "3")
	same("a right click", time.Second)

	s.x.run("wmctrl", "-s", "1") // a pager's request: to desktop 2
	same("another desktop", 3*time.Second)
	s.x.run("wmctrl", "-s", "0")
	s.x.run("xdotool", "search", "--name", "Ghi", "windowminimize")
	same("minimised", 3*time.Second)

	s.x.run("wmctrl", "-r", "Ghi", "-b", "add,below") // a program puts it under the others
	other := exec.Command("xmessage", "-geometry", "600x300+300+200", "another program's window")
	other.Env = s.env
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Process.Kill(); other.Wait() })
	same("put below, then another program's window", 3*time.Second)

	s.x.run("xdotool", "key", "alt+F4")
	if _, ok := logs.wait(10*time.Second, "kiosk: supervisor password asked"); !ok {
		t.Fatalf("Alt+F4 did not ask for the password: %q", logs.lines)
	}
}

// readPNG reads the screenshot at path.
func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// pixelsChanged is the share of pixels that differ between two screenshots.
func pixelsChanged(t *testing.T, a, b string) float64 {
	t.Helper()
	x, y := readPNG(t, a), readPNG(t, b)
	n, bounds := 0, x.Bounds()
	for py := bounds.Min.Y; py < bounds.Max.Y; py++ {
		for px := bounds.Min.X; px < bounds.Max.X; px++ {
			r1, g1, b1, _ := x.At(px, py).RGBA()
			r2, g2, b2, _ := y.At(px, py).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				n++
			}
		}
	}
	return float64(n) / float64(bounds.Dx()*bounds.Dy())
}
