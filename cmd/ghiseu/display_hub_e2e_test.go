package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/pack"
	"github.com/ghiseu/ghiseu/store/sync"
)

// hubOffice is a hub's database in dir, with today's bookings, counter 1
// and the waiting room's screen enrolled.
func hubOffice(t *testing.T, dir, url string, bookings int) (counter, screen sync.Enrolment) {
	t.Helper()
	ctx := context.Background()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{13}, 32))
	if err := os.WriteFile(filepath.Join(dir, "hub.key"), []byte(fmt.Sprintf("%x\n", key.Seed())), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cal, now := calendar.Default(), time.Now()
	if err := hub.Init(ctx, db, cal, key, 1, now); err != nil {
		t.Fatal(err)
	}
	var bs []store.Booking
	for i := range bookings {
		bs = append(bs, store.Booking{ID: "20990" + strconv.Itoa(10000+i), Office: cal.Office, Day: cal.Day(now),
			SlotStart: now.Truncate(time.Minute).Add(time.Duration(i) * time.Minute), SlotMinutes: 20, Kind: store.Intake,
			Name: "Zamfirescu Ileana", Reason: "expiry", Status: store.Confirmed})
	}
	if err := db.PutBookings(ctx, bs); err != nil {
		t.Fatal(err)
	}
	if err := db.Bump(ctx); err != nil {
		t.Fatal(err)
	}
	h := &hub.Hub{DB: db, Key: key, KeyID: 1, PackDays: 7}
	_, pin, err := h.TLS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := db.Keyring(ctx)
	if err != nil {
		t.Fatal(err)
	}
	enrol := func(name string) sync.Enrolment {
		e := sync.Enrolment{URL: url, Cert: pin, Office: cal.Office, Counter: name}
		for _, k := range ring {
			e.Keys = append(e.Keys, pack.KeyOf(k))
		}
		if e.Token, err = h.Enroll(ctx, name); err != nil {
			t.Fatal(err)
		}
		return e
	}
	return enrol("1"), enrol("ecran")
}

// serveHub runs ghiseu-hub serve on dir's hub until the returned stop.
func serveHub(t *testing.T, bin, dir, addr string) (stop func()) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", "hub.db", "--key", "hub.key", "--addr", addr)
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		}
	}
	t.Cleanup(stop)
	if !waitFor(10*time.Second, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}) {
		t.Fatalf("ghiseu-hub did not listen on %s", addr)
	}
	return stop
}

// The waiting room's screen on a real hub: counter 1 (syncing as the
// counter window does, nudged after each call) calls; the screen shows
// each call within 2 s; the hub stops: the screen says it reconnects and
// keeps the calls; the hub comes back: so does the screen, by itself, and
// the next call is shown.
func TestDisplayFollowsTheHub(t *testing.T) {
	needTools(t, "Xvfb", "xdotool", "import")
	dir := t.TempDir()
	hubBin := filepath.Join(dir, "ghiseu-hub")
	if out, err := exec.Command("go", "build", "-o", hubBin, "../ghiseu-hub").CombinedOutput(); err != nil {
		t.Fatalf("build ghiseu-hub: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	link, screen := hubOffice(t, dir, "https://"+addr, 5)
	stopHub := serveHub(t, hubBin, dir, addr)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)

	// Counter 1: five arrivals with tickets, synced.
	d, err := desk.Open(ctx, desk.Config{DBPath: filepath.Join(dir, "counter.db"), Counter: "1", Clerk: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := sync.Link(ctx, d.DB, link); err != nil {
		t.Fatal(err)
	}
	s := &sync.Syncer{DB: d.DB, T: sync.NewHTTP(link), Link: link, Now: d.Time, OnClock: d.SetClockOffset}
	if err := s.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := d.Day(ctx, d.Today())
	if err != nil || len(rows) != 5 {
		t.Fatalf("the counter's day: %d rows, %v", len(rows), err)
	}
	for i, r := range rows {
		e := store.Event{ID: store.NewEventID(), BookingID: r.ID, Type: store.Arrived, At: d.Time(), Counter: "1", Clerk: "ana",
			Ticket: fmt.Sprintf("D-%03d", 21+i)}
		if err := d.DB.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Once(ctx); err != nil {
		t.Fatal(err)
	}
	go s.Run(ctx, 5*time.Second)

	// The screen: its own computer, enrolled like a counter.
	tv := startX(t, 1920, 1080)
	data := t.TempDir()
	env := append(os.Environ(), "DISPLAY="+tv.display, "XDG_DATA_HOME="+filepath.Join(data, "share"), "XDG_CONFIG_HOME="+filepath.Join(data, "config"))
	bin := buildBinary(t)
	linkCmd := exec.Command(bin, "link")
	linkCmd.Env, linkCmd.Stdin = env, strings.NewReader(screen.String()+"\n")
	if out, err := linkCmd.CombinedOutput(); err != nil {
		t.Fatalf("ghiseu link: %v\n%s", err, out)
	}
	if wm := exec.Command("openbox"); true {
		wm.Env = env
		if err := wm.Start(); err == nil {
			t.Cleanup(func() { wm.Process.Kill(); wm.Wait() })
		}
	}
	_, logs := startLogged(t, env, bin, "display")
	if _, ok := logs.wait(30*time.Second, "waiting room: showing", "waiting=5"); !ok {
		t.Fatalf("the screen did not show the hub's office: %q", logs.lines)
	}
	time.Sleep(time.Second)

	call := func(ticket string) {
		t.Helper()
		start := time.Now()
		if _, err := d.CallNext(ctx); err != nil {
			t.Fatal(err)
		}
		s.Nudge()
		at, ok := logs.wait(10*time.Second, "waiting room: call shown", "ticket="+ticket, "counter=1")
		if !ok {
			t.Fatalf("%s never reached the screen: %q", ticket, logs.lines)
		}
		t.Logf("%s: on the screen after %v", ticket, at.Sub(start))
		if at.Sub(start) > 2*time.Second {
			t.Errorf("%s reached the screen after %v, want within 2 s", ticket, at.Sub(start))
		}
	}
	call("D-021")
	call("D-022")
	yellow := func(name string) int {
		time.Sleep(500 * time.Millisecond)
		path := filepath.Join(shotDir(), "display", name+".png")
		tv.screenshot(path)
		img := readPNG(t, path)
		n, b := 0, img.Bounds()
		for y := b.Min.Y; y < b.Max.Y/2; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				if r>>8 > 0xe0 && g>>8 > 0xb0 && g>>8 < 0xf0 && bl>>8 < 0x40 {
					n++
				}
			}
		}
		return n
	}
	if n := yellow("hub-1920x1080"); n < 5000 {
		t.Errorf("the latest call's ticket is not drawn: %d yellow pixels", n)
	}
	waitFilled(t, tv, filepath.Join(shotDir(), "display", "hub-1920x1080.png"))

	stopHub()
	if _, ok := logs.wait(10*time.Second, "reconnecting"); !ok {
		t.Fatalf("the hub stopped, the screen did not say so: %q", logs.lines)
	}
	amber := yellow("hub-1920x1080-reconnecting")
	if amber < 5000 {
		t.Errorf("reconnecting, the calls went: %d yellow pixels", amber)
	}
	serveHub(t, hubBin, dir, addr)
	if _, ok := logs.wait(15*time.Second, "waiting room: reconnected"); !ok {
		t.Fatalf("the hub is back, the screen is not: %q", logs.lines)
	}
	call("D-023")
}

// waitFilled waits up to 12 seconds for the waiting room's screen to fill
// the screen of x from corner to corner (a window manager takes a moment
// over a full-screen window, and longer on a loaded computer), with a
// screenshot at path.
func waitFilled(t *testing.T, x *xsession, path string) {
	t.Helper()
	var err error
	filled := waitFor(12*time.Second, func() bool {
		time.Sleep(300 * time.Millisecond)
		x.screenshot(path)
		err = screenFilled(path)
		return err == nil
	})
	if !filled {
		t.Error(err)
	}
}

// screenFilled says how the screenshot at path is not the waiting room's
// screen from corner to corner: its header's colour at the top left, its
// footer's at the bottom right (a window manager's frame shows as neither).
func screenFilled(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return err
	}
	b := img.Bounds()
	for _, c := range []struct {
		x, y    int
		r, g, b uint32
	}{{b.Min.X + 20, b.Min.Y + 20, 0x0b, 0x1d, 0x3a}, {b.Max.X - 20, b.Max.Y - 20, 0x2a, 0x45, 0x70}} {
		r, g, bl, _ := img.At(c.x, c.y).RGBA()
		near := func(a, b uint32) bool { return a>>8+8 >= b && a>>8 <= b+8 }
		if !near(r, c.r) || !near(g, c.g) || !near(bl, c.b) {
			return fmt.Errorf("the screen does not fill the screen: at %d,%d #%02x%02x%02x, want #%02x%02x%02x", c.x, c.y, r>>8, g>>8, bl>>8, c.r, c.g, c.b)
		}
	}
	return nil
}
