package app

import (
	"context"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store/pack"
	"github.com/ghiseu/ghiseu/store/sync"
)

// AttachSync shows s's status in the header and reloads the office and the
// day list when s brings something new. s runs on its own goroutine (see
// sync.Syncer.Run): a slow hub never holds up the window.
func (c *Counter) AttachSync(s *sync.Syncer) {
	c.syncer = s
	s.OnChange = func() { c.do(c.reloadOffice) }
	c.showSync()
}

// showSync refreshes the sync status label.
func (c *Counter) showSync() {
	if c.syncer == nil {
		c.syncLabel.SetText(c.t("sync.local", nil))
		c.syncLabel.Importance = widget.LowImportance
	} else {
		st := c.syncer.Status()
		c.syncLabel.SetText(st.Text(c.lang, c.desk.Cal.Location()))
		c.syncLabel.Importance = widget.SuccessImportance
		if !st.Online() || st.Parked > 0 || st.ClockWrong() {
			c.syncLabel.Importance = widget.DangerImportance
		}
	}
	c.syncLabel.Refresh()
}

// reloadOffice reads the office's settings and keys again after a new pack.
func (c *Counter) reloadOffice() {
	demo := c.desk.Demo
	if err := c.desk.Reload(context.Background()); err != nil {
		c.fail(err)
		return
	}
	if demo != c.desk.Demo {
		c.build() // the header loses the demo's button
		return
	}
	c.day.reload()
}

// askImport lets the clerk pick a day pack (from a USB stick) and imports
// it with a progress bar; the verdict card says how it went.
func (c *Counter) askImport() {
	if c.busy() { // Ctrl+I twice: one file dialog
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		defer c.win.Canvas().Focus(c.manual)
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		c.Import(path)
	}, c.win)
	d.Resize(fyne.NewSize(900, 600))
	d.SetOnClosed(c.track(d.Dismiss, nil)) // Escape dismisses it
	d.Show()
}

// Import imports the day pack at path in the background, showing progress.
func (c *Counter) Import(path string) {
	bar := widget.NewProgressBar()
	progress := dialog.NewCustomWithoutButtons(c.t("ui.import.title", nil), bar, c.win)
	progress.Resize(fyne.NewSize(500, 120))
	progress.Show()
	go func() {
		last := time.Now()
		m, err := pack.Import(context.Background(), c.desk.DB, path, func(done, total int64) {
			if time.Since(last) > 100*time.Millisecond || done == total {
				last = time.Now()
				c.do(func() { bar.SetValue(float64(done) / float64(max(total, 1))) })
			}
		})
		c.do(func() {
			progress.Hide()
			if err != nil {
				c.show(cardContent{Colour: "red", Title: c.t("ui.import.failed", nil), Detail: pack.Explain(c.lang, err)})
				return
			}
			c.reloadOffice()
			c.show(cardContent{Colour: "green", Title: c.t("ui.import.done", nil),
				Detail: c.t("pack.done", map[string]string{"office": m.Office, "sequence": strconv.FormatInt(m.Sequence, 10), "from": m.From, "to": m.To})})
		})
	}()
}
