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
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calls"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/sync"
)

// runDisplay opens the waiting room's screen (ghiseu display), full
// screen: the calls of the hub the database is linked to (as a counter
// is; enrol the screen's computer like one), or, with no hub, of the
// database itself (an office with one counter, on the same computer).
func runDisplay(args []string) int {
	fs := flag.NewFlagSet("ghiseu display", flag.ContinueOnError)
	db := fs.String("db", "", "database file (default: the XDG data directory)")
	clock := fs.String("clock", "", "start the clock at this time (as --at on the command line), for tests and demos")
	windowed := fs.Bool("windowed", false, "a window instead of the full screen")
	wavDir := fs.String("wav-dir", "", "also write each call said to this folder as a WAV file (for tests)")
	lang := i18n.Parse(os.Getenv("GHISEU_LANG"))
	fs.Func("lang", "the screen's language (ro, en)", func(s string) error { lang = i18n.Parse(s); return nil })
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
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	src, now, closeSrc, err := displaySource(ctx, *db, *clock, lang)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ghiseu display:", err)
		return 1
	}
	defer closeSrc()
	fyneapp.SetMetadata(fyne.AppMetadata{ID: "ro.ghiseu.display", Name: "Ghișeu", Migrations: map[string]bool{"fyneDo": true}})
	a := fyneapp.NewWithID("ro.ghiseu.display")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := a.NewWindow("Ghișeu")
	r := app.NewWaitingRoom(a, w, src, lang)
	r.Announce = app.SpeakCalls(lang, *wavDir) // a chime and the words (espeak-ng), on the sound device
	r.SetClock(now)
	go r.Run(ctx)
	w.Resize(fyne.NewSize(1366, 768))
	if !*windowed {
		fillScreen(a, w, false)
	}
	w.SetMaster()
	w.ShowAndRun()
	return 0
}

// displaySource is the hub's calls when the database is linked to one,
// else the database's own.
func displaySource(ctx context.Context, path, clock string, lang i18n.Lang) (calls.Source, func() time.Time, func(), error) {
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, nil, nil, err
		}
		path = p
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, nil, nil, err
	}
	link, linked, err := sync.Linked(ctx, db)
	db.Close()
	switch {
	case err != nil:
		return nil, nil, nil, err
	case linked:
		slog.Info("waiting room: the hub's calls", "hub", link.URL, "office", link.Office)
		return sync.NewCalls(link), time.Now, func() {}, nil
	}
	d, err := desk.Open(ctx, desk.Config{DBPath: path})
	if err != nil {
		return nil, nil, nil, err
	}
	if clock != "" {
		if err := startClockAt(d, clock); err != nil {
			d.Close()
			return nil, nil, nil, fmt.Errorf("--clock: %w", err)
		}
	}
	slog.Info("waiting room: "+i18n.T(lang, "display.no_hub", map[string]string{"path": path}), "office", d.Cal.Office)
	return calls.Local{DB: d.DB, Now: d.Time}, d.Time, func() { d.Close() }, nil
}

// fillScreen makes w full screen. The window is first given the screen's
// size and put in its middle, so that it fills the screen also where no
// window manager honours the full-screen request (a TV's computer that
// starts the screen alone, or before its window manager), and the request
// is repeated until a busy window manager has honoured it. With
// lockKeyboard (the kiosk) the window holds the keyboard, keeping the
// window manager's key bindings from whoever stands at it.
func fillScreen(a fyne.App, w fyne.Window, lockKeyboard bool) {
	defer w.SetFullScreen(true)
	area, ok := workArea()
	if !ok {
		return
	}
	size := func(scale float32) fyne.Size {
		return fyne.NewSize(float32(area.Dx())/scale, float32(area.Dy())/scale)
	}
	w.Resize(size(1))
	w.CenterOnScreen()
	a.Lifecycle().SetOnStarted(func() {
		if s := w.Canvas().Scale(); s > 0 && s != 1 {
			w.Resize(size(s))
		}
		holdFullScreen(w, lockKeyboard)
	})
}
