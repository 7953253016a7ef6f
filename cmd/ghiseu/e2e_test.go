package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// xsession is a real X server (Xvfb) for the end-to-end tests.
type xsession struct {
	t       *testing.T
	display string
	env     []string
}

// needTools skips when the X tools are missing, except in CI, which must
// have them (the test command installs them).
func needTools(t *testing.T, tools ...string) {
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing in CI: run ./dev.sh test", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}

func startX(t *testing.T, w, h int) *xsession {
	t.Helper()
	needTools(t, "Xvfb", "xdotool", "import")
	// Xvfb picks a free display and writes its number to fd 3.
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{wr}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	wr.Close()
	t.Cleanup(func() { x.Process.Signal(syscall.SIGTERM); x.Wait() }) // TERM: it removes its socket
	var n int
	if _, err := fmt.Fscan(r, &n); err != nil {
		t.Fatalf("Xvfb did not say its display: %v", err)
	}
	r.Close()
	s := &xsession{t: t, display: fmt.Sprintf(":%d", n)}
	if !waitFor(10*time.Second, func() bool { return s.run("xdotool", "getdisplaygeometry") == nil }) {
		t.Fatalf("Xvfb %s did not start", s.display)
	}
	return s
}

func (s *xsession) run(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+s.display)
	return cmd.Run()
}

func (s *xsession) screenshot(path string) {
	s.t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := s.run("import", "-window", "root", path); err != nil {
		s.t.Fatalf("screenshot: %v", err)
	}
	s.t.Logf("screenshot: %s", path)
}

func waitFor(d time.Duration, ok func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return true
		}
	}
	return false
}

// buildBinary builds ghiseu once for the package's tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ghiseu")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// shotDir is where the end-to-end tests keep their screenshots.
func shotDir() string {
	if d := os.Getenv("GHISEU_SHOTS"); d != "" {
		return d
	}
	abs, _ := filepath.Abs("../../screenshots/tmp")
	return abs
}

type row struct{ Name, Code, State string }

func list(t *testing.T, bin string, env []string) []row {
	t.Helper()
	cmd := exec.Command(bin, "list", "--json", "--at", "08:36")
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("ghiseu list: %v\n%s", err, errb.String())
	}
	var rows []row
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

func stateOf(rows []row, name string) string {
	for _, r := range rows {
		if r.Name == name {
			return r.State
		}
	}
	return ""
}

func TestEndToEndScanUnderXvfb(t *testing.T) {
	x := startX(t, 1366, 768)
	bin := buildBinary(t)
	data := t.TempDir()
	env := append(os.Environ(), "DISPLAY="+x.display, "LANG=en_US.UTF-8",
		"XDG_DATA_HOME="+filepath.Join(data, "share"), "XDG_CONFIG_HOME="+filepath.Join(data, "config"))

	start := func() *exec.Cmd {
		gui := exec.Command(bin, "--clock", "08:35") // Popescu Andrei's 08:30 slot is on time
		gui.Env = env
		gui.Stderr = os.Stderr
		if err := gui.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { gui.Process.Kill(); gui.Wait() })
		if !waitFor(60*time.Second, func() bool { return x.run("xdotool", "search", "--name", "Ghișeu") == nil }) {
			t.Fatal("the counter window did not appear")
		}
		time.Sleep(time.Second) // let the first frame draw
		return gui
	}
	gui := start()
	// The shift starts: the clerk types her name (slowly, as a person does).
	x.run("xdotool", "type", "--delay", "120", "Ana")
	x.run("xdotool", "key", "Return")
	time.Sleep(500 * time.Millisecond)

	const name = "Popescu Andrei"
	var code string
	for _, r := range list(t, bin, env) {
		if r.Name == name {
			code = r.Code
		}
	}
	if code == "" {
		t.Fatal("the demo office has no booking for " + name)
	}
	// A handheld scanner: a key every 5 ms, then Return.
	if err := x.run("xdotool", "type", "--delay", "5", code); err != nil {
		t.Fatal(err)
	}
	if err := x.run("xdotool", "key", "Return"); err != nil {
		t.Fatal(err)
	}
	if !waitFor(10*time.Second, func() bool { return stateOf(list(t, bin, env), name) == "arrived" }) {
		t.Fatalf("the scan was not recorded: %s is %q", name, stateOf(list(t, bin, env), name))
	}
	// Ctrl+Z undoes it, Ctrl+Z once more has nothing left, and the scan again records it.
	x.run("xdotool", "key", "ctrl+z")
	if !waitFor(10*time.Second, func() bool { return stateOf(list(t, bin, env), name) == "expected" }) {
		t.Fatalf("Ctrl+Z did not undo the arrival: %s is %q", name, stateOf(list(t, bin, env), name))
	}
	x.run("xdotool", "type", "--delay", "5", code)
	x.run("xdotool", "key", "Return")
	if !waitFor(10*time.Second, func() bool { return stateOf(list(t, bin, env), name) == "arrived" }) {
		t.Fatalf("the second scan was not recorded: %s is %q", name, stateOf(list(t, bin, env), name))
	}
	time.Sleep(500 * time.Millisecond)
	shot := filepath.Join(shotDir(), "e2e-counter-scan.png")
	x.screenshot(shot)
	assertGreenCard(t, shot)

	// kill -9 and start again: the arrival is still there, and the window shows it.
	gui.Process.Signal(syscall.SIGKILL)
	gui.Wait()
	if s := stateOf(list(t, bin, env), name); s != "arrived" {
		t.Fatalf("after kill -9: %s is %q", name, s)
	}
	start() // remembers the clerk from the shift's sign-in
	if s := stateOf(list(t, bin, env), name); s != "arrived" {
		t.Fatalf("after restart: %s is %q", name, s)
	}
}

// assertGreenCard checks that the verdict card in the screenshot is green.
func assertGreenCard(t *testing.T, path string) {
	t.Helper()
	img := readPNG(t, path)
	// The card fills the left half under the header: most of it is its
	// colour, whatever text (the ticket, the checklist) lies where.
	green, all := 0, 0
	for y := 80; y < 520; y += 4 {
		for x := 20; x < 700; x += 4 {
			r, g, b, _ := img.At(x, y).RGBA()
			if g>>8 > 0x60 && r>>8 < 0x40 && b>>8 < 0x60 {
				green++
			}
			all++
		}
	}
	if green*2 < all {
		t.Fatalf("the verdict card is not green: %d of %d points; see %s", green, all, path)
	}
}
