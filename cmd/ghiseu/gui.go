package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/ghiseu/ghiseu/app"
	"github.com/ghiseu/ghiseu/assets"
	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/cmd/internal/cli"
	"github.com/ghiseu/ghiseu/scanner/camera"
	"github.com/ghiseu/ghiseu/scanner/frames"
	"github.com/ghiseu/ghiseu/scanner/webcam"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/sync"
)

// runGUI opens the counter window and returns when it is closed.
func runGUI(args []string) int {
	fs := flag.NewFlagSet("ghiseu", flag.ContinueOnError)
	db := fs.String("db", "", "database file (default: the XDG data directory)")
	counter := fs.String("counter", "", "this counter's number (remembered)")
	clerk := fs.String("clerk", "", "the clerk's name (default: asked at the start of the shift)")
	clock := fs.String("clock", "", "start the clock at this time (as --at on the command line), for tests and demos")
	cam := fs.String("camera", "", `the webcam, e.g. /dev/video0 (remembered; "none" for none)`)
	framesDir := fs.String("frames", "", "play the images of this folder as camera frames (for tests and demos)")
	lang := i18n.Parse(os.Getenv("GHISEU_LANG"))
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp): // the window's options (printed by fs), then the commands
		cli.Usage(os.Stderr, lang)
		return 0
	case err != nil:
		return 2
	case fs.NArg() > 0: // the window takes no arguments: a mistyped command
		fmt.Fprintln(os.Stderr, i18n.T(lang, "cli.error.unknown", map[string]string{"command": fs.Arg(0)}))
		cli.Usage(os.Stderr, lang)
		return 2
	case os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "": // over SSH: say so before touching any data
		fmt.Fprintln(os.Stderr, i18n.T(lang, "cli.error.no_display", nil))
		return 1
	}
	// Every call into Fyne from another goroutine goes through fyne.Do, so
	// Fyne's thread checks are off: they find the calling goroutine by
	// formatting its stack, on every refresh, which took half the CPU of a
	// scan's verdict. The race detector watches what they watched
	// (./dev.sh test runs the app's tests under -race).
	fyneapp.SetMetadata(fyne.AppMetadata{ID: "ro.ghiseu.counter", Name: "Ghișeu", Migrations: map[string]bool{"fyneDo": true}})
	a := fyneapp.NewWithID("ro.ghiseu.counter")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	prefs := a.Preferences()
	if *counter != "" {
		prefs.SetString("counter", *counter)
	}
	d, err := desk.Open(context.Background(), desk.Config{DBPath: *db, Counter: prefs.String("counter"), Clerk: *clerk})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ghiseu:", err)
		return 1
	}
	defer d.Close()
	if *clock != "" {
		if err := startClockAt(d, *clock); err != nil {
			fmt.Fprintln(os.Stderr, "ghiseu: --clock:", err)
			return 2
		}
	}
	slog.Info("counter started", "db", d.DB.Path(), "office", d.Cal.Office, "counter", d.Counter)
	if _, err := d.PurgeOld(context.Background()); err != nil {
		slog.Error("purge of old days failed", "err", err)
	}

	w := a.NewWindow("Ghișeu · " + d.Cal.OfficeName)
	c := app.NewCounter(a, w, d)
	c.EnableSound()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go c.RunClock(ctx)
	link, linked, err := sync.Linked(ctx, d.DB)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ghiseu:", err)
		return 1
	}
	if linked {
		s := &sync.Syncer{DB: d.DB, T: sync.NewHTTP(link), Link: link, Now: d.Time, OnClock: d.SetClockOffset}
		c.AttachSync(s)
		go s.Run(ctx, 5*time.Second)
	}
	if *cam != "" {
		prefs.SetString("camera", *cam)
	}
	switch device := prefs.String("camera"); {
	case *framesDir != "":
		c.StartCamera(ctx, func() (camera.Source, error) { return frames.Open(*framesDir, 5) })
	case device != "" && device != "none":
		c.StartCamera(ctx, func() (camera.Source, error) { return webcam.Open(device, webcam.Size{W: 1280, H: 720}) })
	}
	fitScreen(a, w)
	w.SetMaster()
	w.ShowAndRun()
	return 0
}

// startClockAt makes the desk's clock start at the given time and run on.
// A demo office gets that day's demo bookings.
func startClockAt(d *desk.Desk, at string) error {
	start, err := cli.ParseTime(at, d.Cal.Location(), time.Now())
	if err != nil {
		return err
	}
	launched := time.Now()
	d.Now = func() time.Time { return start.Add(time.Since(launched)) }
	return d.Reload(context.Background())
}

// The window opens maximised on screens up to 1920×1080 (the counters'
// screens: 1024×768 to 1920×1080), and at 1920×1080 on larger ones; it is
// never larger than the screen's work area. Fyne 2.7 has no Maximize: on
// X11 the window manager is asked, as any application asks it, with the
// EWMH _NET_WM_STATE message (screen_x11.go), which keeps its panels and
// lets the clerk restore the window; first the window is sized to the
// work area, so that it fits even without a window manager or where the
// request is ignored. Elsewhere it opens at 1366×768.
const (
	maxMaximisedWidth  = 1920
	maxMaximisedHeight = 1080
)

// titleBarRoom is what is left for the window manager's title bar and
// borders when the window is sized to the work area.
const titleBarRoom = 40

// fitScreen sizes w to the screen it opens on and, once it shows, asks
// for it to be maximised.
func fitScreen(a fyne.App, w fyne.Window) {
	area, ok := workArea()
	if !ok {
		w.Resize(fyne.NewSize(1366, 768))
		return
	}
	big := area.Dx() > maxMaximisedWidth || area.Dy() > maxMaximisedHeight
	size := func(scale float32) fyne.Size {
		width, height := float32(area.Dx()), float32(area.Dy()-titleBarRoom)
		if big {
			width, height = min(width, maxMaximisedWidth), min(height, maxMaximisedHeight-titleBarRoom)
		}
		return fyne.NewSize(width/scale, height/scale)
	}
	w.Resize(size(1))
	slog.Info("window sized to the screen", "work_area", area.String(), "maximise", !big)
	a.Lifecycle().SetOnStarted(func() {
		if s := w.Canvas().Scale(); s > 0 && s != 1 { // the canvas's scale is known once it shows
			w.Resize(size(s))
		}
		if !big {
			maximise(w)
		}
	})
}
