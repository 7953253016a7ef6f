package app

import (
	"context"
	"fmt"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/qr"
)

// showDemoCodes opens a window with the QR codes of today's bookings (a
// walk-in has none), so a
// tester can scan them off the screen with a webcam or a phone.
func (c *Counter) showDemoCodes() {
	if c.over.demo != nil { // Ctrl+D twice: one window, in front
		c.over.demo.RequestFocus()
		return
	}
	// An error here is told over the window: the card is the citizen's.
	failed := func(err error) {
		slog.Error("demo codes", "err", err)
		c.tell(c.t("ui.demo.failed", nil), err.Error())
	}
	rows, err := c.desk.Day(context.Background(), c.desk.Today())
	if err != nil {
		failed(fmt.Errorf("reading the day: %w", err))
		return
	}
	grid := container.NewGridWrap(fyne.NewSize(230, 320)) // the code, the person, the slot, the reference
	for _, r := range rows {
		if r.Code == "" { // a walk-in has no code to scan
			continue
		}
		img, err := qr.Encode(r.Code, 210)
		if err != nil {
			failed(fmt.Errorf("the code of %s: %w", r.Name, err))
			return
		}
		pic := canvas.NewImageFromImage(img)
		pic.FillMode = canvas.ImageFillContain
		pic.ScaleMode = canvas.ImageScalePixels
		pic.SetMinSize(fyne.NewSize(210, 210))
		label := widget.NewLabelWithStyle(r.Name+"\n"+i18n.Time(c.lang, r.SlotStart, "time")+" · "+c.t("kind."+string(r.Kind), nil)+"\n"+r.Ref,
			fyne.TextAlignCenter, fyne.TextStyle{})
		label.Truncation = fyne.TextTruncateEllipsis
		grid.Add(container.NewBorder(nil, label, nil, nil, pic))
	}
	w := c.app.NewWindow(c.t("ui.demo.title", nil))
	w.SetContent(container.NewVScroll(grid))
	w.Resize(fyne.NewSize(980, 700))
	c.routeKeys(w) // a scan while this window has the focus still reaches the counter
	route := w.Canvas().OnTypedKey()
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape { // nothing in it takes the focus: Escape closes it
			w.Close()
			c.win.RequestFocus()
			return
		}
		route(ev)
	})
	c.over.demo = w
	w.SetOnClosed(func() {
		if c.over.demo == w {
			c.over.demo = nil
		}
	})
	w.Show()
}
