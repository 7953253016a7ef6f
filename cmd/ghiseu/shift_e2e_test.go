package main

import (
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shift is a counter under Xvfb with its own data, driven by xdotool.
type shift struct {
	t    *testing.T
	x    *xsession
	bin  string
	env  []string
	day  string
	gui  *exec.Cmd
	size string
}

func newShift(t *testing.T, w, h int) *shift {
	x := startX(t, w, h)
	data := t.TempDir()
	s := &shift{t: t, x: x, bin: buildBinary(t), size: fmt.Sprintf("%dx%d", w, h),
		env: append(os.Environ(), "DISPLAY="+x.display, "LANG=en_US.UTF-8",
			"XDG_DATA_HOME="+filepath.Join(data, "share"), "XDG_CONFIG_HOME="+filepath.Join(data, "config"))}
	loc, _ := time.LoadLocation("Europe/Bucharest")
	s.day = time.Now().In(loc).Format(time.DateOnly)
	s.cli("demo") // the demo office's day, as the first start makes it
	cmd := exec.Command(s.bin, "supervisor-password")
	cmd.Env, cmd.Stdin = s.env, strings.NewReader("sefa-birou-2026\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("supervisor-password: %v %s", err, out)
	}
	return s
}

func (s *shift) cli(args ...string) string {
	s.t.Helper()
	cmd := exec.Command(s.bin, args...)
	cmd.Env = s.env
	out, err := cmd.Output()
	if err != nil && !strings.Contains(err.Error(), "exit status 1") {
		s.t.Fatalf("ghiseu %v: %v", args, err)
	}
	return string(out)
}

// start opens the counter with its clock at hh:mm today and signs in.
func (s *shift) start(hhmm string, shot string) {
	s.t.Helper()
	for try := 1; ; try++ {
		if s.launch(hhmm) {
			break
		}
		if try == 2 {
			s.t.Fatal("the counter window did not appear")
		}
		// Xvfb's software GL now and then fails to give a new window its
		// context; a second start settles it.
		s.t.Log("the counter window did not appear; starting it again")
	}
	time.Sleep(time.Second)
	// Full-screen counter mode: the window fills the screen at any size
	// (Xvfb has no window manager to maximise it).
	s.key("F11")
	time.Sleep(time.Second)
	if shot != "" {
		s.shot(shot)
	}
	s.typeSlowly("Ana Pop")
	s.key("Return")
}

// launch starts the counter (stopping one that runs) and reports whether
// its window appeared.
func (s *shift) launch(hhmm string) bool {
	if s.gui != nil {
		s.gui.Process.Kill()
		s.gui.Wait()
	}
	s.gui = exec.Command(s.bin, "--clock", hhmm)
	s.gui.Env = s.env
	s.gui.Stderr = os.Stderr
	if err := s.gui.Start(); err != nil {
		s.t.Fatal(err)
	}
	gui := s.gui
	s.t.Cleanup(func() { gui.Process.Kill(); gui.Wait() })
	return waitFor(30*time.Second, func() bool { return s.x.run("xdotool", "search", "--name", "Ghișeu") == nil })
}

func (s *shift) typeSlowly(text string) {
	s.x.run("xdotool", "type", "--delay", "80", text)
}

func (s *shift) key(k string) {
	s.x.run("xdotool", "key", k)
	time.Sleep(400 * time.Millisecond)
}

func (s *shift) scan(code string) {
	s.x.run("xdotool", "type", "--delay", "4", code)
	s.key("Return")
	time.Sleep(300 * time.Millisecond)
}

func (s *shift) shot(name string) string {
	path := filepath.Join(shotDir(), s.size, name+".png")
	s.x.screenshot(path)
	return path
}

type bookingRow struct {
	Name, Code, State string
	Arrivals          int
}

func (s *shift) rows() map[string]bookingRow { return s.rowsAt("08:00") }

// rowsAt lists today's bookings with their states at hh:mm.
func (s *shift) rowsAt(hhmm string) map[string]bookingRow {
	var rows []bookingRow
	if err := json.Unmarshal([]byte(s.cli("list", "--json", "--day", s.day, "--at", hhmm)), &rows); err != nil {
		s.t.Fatal(err)
	}
	m := map[string]bookingRow{}
	for _, r := range rows {
		m[r.Name] = r
	}
	return m
}

// cardColour is the colour of the verdict card, away from its text.
func (s *shift) cardColour(path string) string {
	f, err := os.Open(path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		s.t.Fatal(err)
	}
	b := img.Bounds()
	r, g, bl, _ := img.At(b.Dx()*51/100, b.Dy()*76/100).RGBA()
	r, g, bl = r>>8, g>>8, bl>>8
	switch {
	case g > 0x60 && r < 0x40:
		return "green"
	case r > 0xd0 && g > 0x90 && bl < 0x40:
		return "amber"
	case r > 0xa0 && g < 0x50:
		return "red"
	}
	return fmt.Sprintf("rgb(%d,%d,%d)", r, g, bl)
}

func TestShiftUnderXvfb(t *testing.T) {
	for _, size := range [][2]int{{1366, 768}, {1920, 1080}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) { runShift(t, size[0], size[1]) })
	}
}

func runShift(t *testing.T, w, h int) {
	s := newShift(t, w, h)
	s.start("08:26", "01-sign-in")
	codes := s.rows()
	other := func(name string) string { return codes[name].Code }
	forged := []byte(other("Bălan Ana"))
	forged[40] = map[bool]byte{true: 'B', false: 'A'}[forged[40] == 'A']

	steps := []struct {
		shot, code, colour string
	}{
		{"02-valid", other("Popescu Andrei"), "green"},
		{"03-early", other("Kovács Eszter"), "amber"},
		{"04-wrong-day", other("Pavel Oana"), "red"},
		{"05-forged", string(forged), "red"},
		{"06-pickup", other("Lupu Sorin"), "green"},
	}
	for _, st := range steps {
		s.scan(st.code)
		if got := s.cardColour(s.shot(st.shot)); got != st.colour {
			t.Fatalf("%s: the card is %s, want %s", st.shot, got, st.colour)
		}
		if st.shot == "03-early" { // the override dialog, then cancelled
			s.key("ctrl+r")
			s.shot("03b-override")
			s.key("Escape")
		}
	}
	s.key("ctrl+w") // the walk-in dialog, then cancelled
	s.shot("06b-walk-in")
	s.key("Escape")
	rows := s.rows()
	if rows["Popescu Andrei"].State != "arrived" || rows["Lupu Sorin"].State != "arrived" ||
		rows["Kovács Eszter"].State != "expected" || rows["Bălan Ana"].State != "expected" {
		t.Fatalf("after the scans: %+v", rows)
	}

	s.key("ctrl+n") // Lupu Sorin and Popescu Andrei share 08:30; Popescu came first
	s.shot("07-called")
	if st := s.rows()["Popescu Andrei"].State; st != "called" {
		t.Fatalf("after Ctrl+N Popescu is %s", st)
	}
	s.key("ctrl+e")
	if st := s.rows()["Popescu Andrei"].State; st != "served" {
		t.Fatalf("after Ctrl+E Popescu is %s", st)
	}
	s.key("ctrl+z")
	s.shot("08-undone")
	if st := s.rows()["Popescu Andrei"].State; st != "called" {
		t.Fatalf("after Ctrl+Z Popescu is %s", st)
	}
	s.key("ctrl+e") // the card shows the undo, not the called person: asked first
	s.key("Return")

	// Time passes: the counter is opened again at 13:30, when every slot
	// of the morning is over; the absent show as no-shows, derived at each
	// reader's clock: nothing is written, so at 08:00 they are expected.
	s.start("13:30", "")
	time.Sleep(time.Second)
	s.shot("09-afternoon")
	rows = s.rowsAt("13:31")
	if rows["Ionescu Maria-Ștefania"].State != "no_show" || rows["Popescu Andrei"].State != "served" {
		t.Fatalf("in the afternoon: %+v", rows)
	}
	if st := s.rows()["Ionescu Maria-Ștefania"].State; st != "expected" {
		t.Fatalf("the afternoon wrote a no-show: at 08:00 Ionescu is %s", st)
	}

	s.key("ctrl+u")
	s.typeSlowly("sefa-birou-2026")
	s.key("Return")
	time.Sleep(2500 * time.Millisecond)
	s.shot("10-supervisor")
	// Tab goes on from the button the focus keeper took the focus off:
	// the fourth button is the settings.
	for range 4 {
		s.key("Tab")
	}
	s.key("space")
	time.Sleep(500 * time.Millisecond)
	s.shot("11-settings")

	var r struct {
		Totals struct {
			Bookings, Arrivals, Pickups, Served int
			NoShows                             int `json:"no_shows"`
		}
	}
	if err := json.Unmarshal([]byte(s.cli("report", "--json", "--day", s.day, "--at", "13:31")), &r); err != nil {
		t.Fatal(err)
	}
	// 17 bookings today, one cancelled; Popescu and Lupu came; Popescu was
	// served; everyone else of the morning did not come.
	if r.Totals.Bookings != 16 || r.Totals.Arrivals != 2 || r.Totals.Served != 1 || r.Totals.NoShows != 14 {
		t.Fatalf("day report %+v", r.Totals)
	}
}

// TestWindowFitsScreenUnderXvfb opens the counter with every long text at
// once (a 40-character clerk, the hub offline, the camera missing, a
// 60-character name on the card) on the smallest screens, under a window
// manager: the window is no larger than the screen, in the normal theme
// and in high contrast (larger text).
func TestWindowFitsScreenUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	for _, size := range [][2]int{{1024, 768}, {1280, 720}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			s := openLongCounter(t, w, h)
			for _, theme := range []string{"normal", "high contrast"} {
				if ww, wh := s.windowGeometry(); ww > w || wh > h {
					t.Errorf("%s: the window is %dx%d on a %dx%d screen, see %s", theme, ww, wh, w, h, s.shot("too-large-"+theme))
				}
				s.key("ctrl+h")
				time.Sleep(time.Second)
			}
		})
	}
}
