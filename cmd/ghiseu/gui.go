package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/ghiseu/ghiseu/app"
	"github.com/ghiseu/ghiseu/assets"
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
	if err := fs.Parse(args); err != nil {
		return 2
	}
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
	w.Resize(fyne.NewSize(1366, 768))
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
