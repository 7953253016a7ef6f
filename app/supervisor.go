package app

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/supervise"
	"github.com/ghiseu/ghiseu/store/sync"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// supervisorOK checks the supervisor's password, and says on the card why
// not: wrong, or none set yet (a live office has no default password).
func (c *Counter) supervisorOK(password string) bool {
	ok, err := c.desk.DB.CheckSupervisor(context.Background(), password)
	switch {
	case errors.Is(err, store.ErrNoPassword):
		c.show(cardContent{Colour: verdict.Red, Title: c.t("ui.supervisor.no_password", nil),
			Detail: c.t("ui.supervisor.no_password.how", nil)})
	case err != nil:
		c.fail(err)
	case !ok:
		c.show(cardContent{Colour: verdict.Red, Title: c.t("ui.supervisor.wrong", nil)})
	}
	return err == nil && ok
}

// askSupervisor asks for the supervisor password and opens the
// supervisor's window.
func (c *Counter) askSupervisor() {
	pw := newScanEntry(c.keys, c.shortcuts)
	pw.Password = true
	var d dialog.Dialog
	submit := func() {
		ok := c.supervisorOK(pw.Text)
		pw.SetText("")
		d.Hide()
		if ok {
			c.OpenSupervisor()
		}
		c.win.Canvas().Focus(c.manual)
	}
	pw.OnSubmitted = func(string) { submit() }
	d = dialog.NewForm(c.t("ui.supervisor", nil), "OK", c.t("ui.accept.cancel", nil),
		[]*widget.FormItem{widget.NewFormItem(c.t("ui.supervisor.password", nil), pw)},
		func(ok bool) {
			if ok {
				submit()
			}
		}, c.win)
	c.modal(d, pw)
	c.win.Canvas().Focus(pw)
}

// supervisorView is the supervisor's window: counts, the queue, the
// counters, no-shows, the day by hour and the conflicts, refreshed live.
type supervisorView struct {
	c      *Counter
	win    fyne.Window
	counts *fyne.Container
	queue  *widget.Label
	desks  *widget.Label
	absent *widget.Label
	hours  *fyne.Container
	issues *widget.Label
	sync   *widget.Label
	parked *widget.Label
	closed gosync.Once
}

// close closes the window (once) and so stops its refreshing.
func (v *supervisorView) close() { v.closed.Do(v.win.Close) }

// OpenSupervisor opens the supervisor's window.
func (c *Counter) OpenSupervisor() *supervisorView {
	v := &supervisorView{c: c, win: c.app.NewWindow(c.t("ui.supervisor.title", nil) + " · " + c.desk.Cal.OfficeName),
		counts: container.NewGridWithColumns(6), queue: widget.NewLabel(""), desks: widget.NewLabel(""),
		absent: widget.NewLabel(""), hours: container.NewHBox(), issues: widget.NewLabel(""), sync: widget.NewLabel(""), parked: widget.NewLabel("")}
	v.absent.Wrapping = fyne.TextWrapWord
	v.parked.Wrapping = fyne.TextWrapWord
	v.sync.Wrapping = fyne.TextWrapWord
	v.issues.Wrapping = fyne.TextWrapWord
	section := func(key string, body fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(widget.NewLabelWithStyle(c.t(key, nil), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, body)
	}
	left := container.NewVBox(section("ui.supervisor.queue", v.queue), section("ui.supervisor.noshows", v.absent))
	right := container.NewVBox(section("ui.supervisor.counters", container.NewVBox(v.desks, v.sync)),
		section("ui.supervisor.hours", v.hours), section("ui.supervisor.conflicts", v.issues),
		section("ui.supervisor.parked", v.parked))
	actions := container.NewHBox(
		widget.NewButton(c.t("ui.supervisor.report", nil), func() {
			path, err := c.saveReport()
			if err != nil {
				dialog.ShowError(err, v.win)
				return
			}
			dialog.ShowInformation(c.t("ui.supervisor.report", nil), c.t("ui.supervisor.report_saved", map[string]string{"path": path}), v.win)
		}),
		widget.NewButton(c.t("settings.title", nil), func() { c.showSettings(v.win) }))
	v.win.SetContent(container.NewBorder(container.NewPadded(v.counts), actions, nil, nil,
		container.NewHSplit(container.NewVScroll(left), container.NewVScroll(right))))
	v.win.Resize(fyne.NewSize(1280, 720))
	c.supervisors = append(c.supervisors, v)
	v.refresh()
	v.win.Show()
	ctx, stop := context.WithCancel(context.Background())
	v.win.SetOnClosed(stop)
	go func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				c.do(v.refresh)
			}
		}
	}()
	return v
}

// refresh reads the office again.
func (v *supervisorView) refresh() {
	c := v.c
	o, err := supervise.Build(context.Background(), c.desk)
	if err != nil {
		c.fail(err)
		return
	}
	v.counts.RemoveAll()
	for _, n := range []struct {
		key string
		n   int
	}{{"expected", o.Counts.Expected}, {"waiting", o.Counts.Waiting}, {"serving", o.Counts.Serving},
		{"served", o.Counts.Served}, {"noshows", o.Counts.NoShows}, {"pickups", o.Counts.Pickups}} {
		big := canvas.NewText(strconv.Itoa(n.n), c.app.Settings().Theme().Color(theme.ColorNameForeground, c.app.Settings().ThemeVariant()))
		big.TextSize, big.TextStyle, big.Alignment = 44, fyne.TextStyle{Bold: true}, fyne.TextAlignCenter
		v.counts.Add(container.NewVBox(big, widget.NewLabelWithStyle(c.t("ui.supervisor."+n.key, nil), fyne.TextAlignCenter, fyne.TextStyle{})))
	}
	var q []string
	for _, w := range o.Queue {
		q = append(q, c.t("ui.supervisor.waited", map[string]string{"name": w.Name, "minutes": strconv.Itoa(int(w.Waited.Minutes()))}))
	}
	v.queue.SetText(orNone(c, q))
	var d []string
	for _, k := range o.Counters {
		doing := k.Serving
		if doing == "" {
			doing = c.t("ui.supervisor.idle", nil)
		}
		d = append(d, c.t("ui.supervisor.counter", map[string]string{"counter": k.Name, "clerk": k.Clerk, "doing": doing,
			"seen": k.LastSeen.In(c.desk.Cal.Location()).Format(time.RFC3339)}))
	}
	v.desks.SetText(orNone(c, d))
	v.sync.SetText(c.syncLabel.Text)
	v.absent.SetText(orNone(c, o.NoShows))
	var issues []string
	for _, k := range o.Conflicts {
		issues = append(issues, fmt.Sprintf("%s · %s (%s)", k.Booking.Name, c.t("conflict."+k.Kind, nil), strings.Join(k.Events, ", ")))
	}
	v.issues.SetText(orNone(c, issues))
	v.parked.SetText(orNone(c, v.parkedLines()))
	v.hours.RemoveAll()
	for _, h := range o.Hours {
		v.hours.Add(bar(h))
	}
}

// parkedLines words what the hub refused from this counter.
func (v *supervisorView) parkedLines() []string {
	items, err := v.c.desk.DB.ParkedItems(context.Background())
	if err != nil {
		return []string{err.Error()}
	}
	lines := make([]string, len(items))
	for i, p := range items {
		lines[i] = sync.ParkedText(v.c.lang, p, v.c.desk.Cal.Location())
	}
	return lines
}

// bar draws one hour: bookings as a grey bar, arrivals as a green one.
func bar(h supervise.Hour) fyne.CanvasObject {
	const unit = 12
	booked := canvas.NewRectangle(color.NRGBA{0x70, 0x70, 0x70, 0xff})
	booked.SetMinSize(fyne.NewSize(14, float32(h.Bookings*unit)))
	came := canvas.NewRectangle(color.NRGBA{0x20, 0xa0, 0x40, 0xff})
	came.SetMinSize(fyne.NewSize(14, float32(h.Arrived*unit)))
	label := widget.NewLabel(fmt.Sprintf("%02d\n%d/%d", h.Hour, h.Bookings, h.Arrived))
	bars := container.NewHBox(container.NewVBox(layout.NewSpacer(), booked), container.NewVBox(layout.NewSpacer(), came))
	return container.NewBorder(nil, label, nil, nil, bars)
}

func orNone(c *Counter, lines []string) string {
	if len(lines) == 0 {
		return c.t("ui.supervisor.none", nil)
	}
	return strings.Join(lines, "\n")
}
