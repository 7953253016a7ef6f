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
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/ghiseu/ghiseu/app"
	"github.com/ghiseu/ghiseu/assets"
	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/camera"
	"github.com/ghiseu/ghiseu/scanner/frames"
	"github.com/ghiseu/ghiseu/scanner/webcam"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/sync"
)

// runKiosk opens the self check-in kiosk (ghiseu kiosk): full screen,
// with no window decorations (a splash window), on the database of the
// kiosk's computer, whose arrivals are the counter "kiosk"'s; a linked
// database syncs with its hub as a counter does (enrol the kiosk's
// computer like one).
func runKiosk(args []string) int {
	fs := flag.NewFlagSet("ghiseu kiosk", flag.ContinueOnError)
	db := fs.String("db", "", "database file (default: the XDG data directory)")
	clock := fs.String("clock", "", "start the clock at this time (as --at on the command line), for tests and demos")
	cam := fs.String("camera", "", `the webcam, e.g. /dev/video0 (remembered; "none" for none)`)
	framesDir := fs.String("frames", "", "play the images of this folder as camera frames (for tests and demos)")
	windowed := fs.Bool("windowed", false, "a window instead of the full screen (for trying it out)")
	lang := i18n.Parse(os.Getenv("GHISEU_LANG"))
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		return 2
	case fs.NArg() > 0:
		fmt.Fprintln(os.Stderr, i18n.T(lang, "cli.error.unknown", map[string]string{"command": fs.Arg(0)}))
		return 2
	case os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "":
		fmt.Fprintln(os.Stderr, i18n.T(lang, "cli.error.no_display", nil))
		return 1
	}
	fyneapp.SetMetadata(fyne.AppMetadata{ID: "ro.ghiseu.kiosk", Name: "Ghișeu", Migrations: map[string]bool{"fyneDo": true}})
	a := fyneapp.NewWithID("ro.ghiseu.kiosk")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	d, err := desk.Open(context.Background(), desk.Config{DBPath: *db, Counter: app.KioskCounter})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ghiseu kiosk:", err)
		return 1
	}
	defer d.Close()
	if *clock != "" {
		if err := startClockAt(d, *clock); err != nil {
			fmt.Fprintln(os.Stderr, "ghiseu kiosk: --clock:", err)
			return 2
		}
	}
	slog.Info("kiosk started", "db", d.DB.Path(), "office", d.Cal.Office, "counter", d.Counter)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	link, linked, err := sync.Linked(ctx, d.DB)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ghiseu kiosk:", err)
		return 1
	}
	if linked {
		s := &sync.Syncer{DB: d.DB, T: sync.NewHTTP(link), Link: link, Now: d.Time, OnClock: d.SetClockOffset}
		go s.Run(ctx, 5*time.Second)
	}
	var w fyne.Window
	if drv, ok := a.Driver().(desktop.Driver); ok && !*windowed {
		w = drv.CreateSplashWindow() // no title bar, no close button
	} else {
		w = a.NewWindow("Ghișeu")
	}
	k := app.NewKiosk(a, w, d)
	prefs := a.Preferences()
	if *cam != "" {
		prefs.SetString("camera", *cam)
	}
	switch device := prefs.String("camera"); {
	case *framesDir != "":
		k.StartCamera(ctx, func() (camera.Source, error) { return frames.Open(*framesDir, 5) })
	case device != "" && device != "none":
		k.StartCamera(ctx, func() (camera.Source, error) { return webcam.Open(device, webcam.Size{W: 1280, H: 720}) })
	}
	w.Resize(fyne.NewSize(1366, 768))
	if !*windowed {
		fillScreen(a, w, true)
	}
	w.SetMaster()
	w.ShowAndRun()
	return 0
}
