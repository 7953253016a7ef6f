package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image/color"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/report"
	"github.com/ghiseu/ghiseu/store/supervise"
	"github.com/ghiseu/ghiseu/store/sync"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// supervisorOK checks the supervisor's password, and says why not in a
// message over the window: wrong, or none set yet (a live office has no
// default password). The card, which the citizen sees, keeps its person.
func (c *Counter) supervisorOK(password string) bool {
	ok, err := c.desk.DB.CheckSupervisor(context.Background(), store.AtCounter, password)
	switch {
	case errors.Is(err, store.ErrNoPassword):
		c.tell(c.t("ui.supervisor.no_password", nil), c.t("ui.supervisor.no_password.how", nil))
	case isLocked(err):
		c.tell(c.t("ui.supervisor.locked", nil), c.t("ui.supervisor.locked.detail", map[string]string{"wait": lockWait(c.lang, err)}))
	case err != nil:
		c.fail(err)
	case !ok:
		c.tell(c.t("ui.supervisor.wrong", nil), c.t("ui.supervisor.wrong.detail", nil))
	}
	return err == nil && ok
}

// isLocked says whether err refuses a password check while guessing is
// locked (store.TooManyTries).
func isLocked(err error) bool {
	var locked store.TooManyTries
	return errors.As(err, &locked)
}

// lockWait says in lang how long the lock of err (store.TooManyTries)
// still lasts.
func lockWait(lang i18n.Lang, err error) string {
	var locked store.TooManyTries
	errors.As(err, &locked)
	return i18n.Wait(lang, time.Until(locked.Until))
}

// tell says something to the clerk in a message over the window, with the
// error sound, leaving the card as it is; Escape or Enter closes it.
func (c *Counter) tell(title, detail string) {
	c.sound(verdict.Red)
	msg := widget.NewLabel(detail)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "OK", msg, c.win)
	d.Resize(fyne.NewSize(520, 200))
	c.ask(d, func() {}) // Enter: OK
}

// askSupervisor asks for the supervisor password and opens the
// supervisor's window.
func (c *Counter) askSupervisor() {
	pw := newScanEntry(c.keys, c.shortcuts)
	pw.Password = true
	var d dialog.Dialog
	submit := func() {
		password := pw.Text
		pw.SetText("")
		d.Hide()
		c.win.Canvas().Focus(c.manual)
		if c.supervisorOK(password) {
			c.OpenSupervisor()
		}
	}
	pw.OnSubmitted = func(string) { submit() }
	d = dialog.NewForm(c.t("ui.supervisor", nil), "OK", c.t("ui.accept.cancel", nil),
		[]*widget.FormItem{widget.NewFormItem(c.t("ui.supervisor.password", nil), pw)},
		func(ok bool) {
			if ok {
				submit()
			}
		}, c.win)
	d.Resize(passwordDialogSize(d))
	c.modal(d, pw)
	c.win.Canvas().Focus(pw)
}

// passwordDialogSize is a password dialog's size: wide enough for the
// password field to show what is typed (at its least it shows three dots).
func passwordDialogSize(d dialog.Dialog) fyne.Size {
	min := d.MinSize()
	return fyne.NewSize(max(min.Width, 460), min.Height)
}

// supervisorView is the supervisor's window: counts, the queue, the
// counters, no-shows, the day by hour and the conflicts, refreshed live.
// Every object is built once; a refresh only changes their content, so the
// window runs all day in constant memory. Nothing in it takes the keyboard
// focus by itself, so a scan typed while it is in front is not swallowed.
type supervisorView struct {
	c          *Counter
	win        fyne.Window
	counts     *fyne.Container // the six tiles
	tiles      map[string]*tile
	thresholds *widget.Label
	longest    *lines // the longest current wait: ticket and minutes, coloured
	queue      *lines
	desks      *lines
	absent     *widget.Label
	hours      *fyne.Container // holds chart
	chart      *hourChart
	issues     *widget.Label
	sync       *widget.Label
	parked     *widget.Label
	closed     gosync.Once
	// The desktop's programs, replaced in tests.
	lookPath func(string) (string, error)
	run      func(name string, args ...string) error
	say      func(title, message string)
}

// tileKeys are the tiles at the top, in order; the last is the kiosk's
// arrivals (its name is in translations/supervise).
var tileKeys = []string{"expected", "waiting", "serving", "served", "noshows", "pickups", "kiosk"}

// close closes the window (once) and so stops its refreshing.
func (v *supervisorView) close() { v.closed.Do(v.win.Close) }

// OpenSupervisor opens the supervisor's window.
func (c *Counter) OpenSupervisor() *supervisorView {
	v := c.newSupervisorView()
	c.supervisors = append(c.supervisors, v)
	c.routeKeys(v.win) // a scan while this window has the focus still reaches the counter
	v.refresh()
	v.win.Show()
	ctx, stop := context.WithCancel(context.Background())
	v.win.SetOnClosed(func() { // stops the refresh, and forgets the window: 50 openings a day are not kept
		stop()
		c.supervisors = slices.DeleteFunc(c.supervisors, func(x *supervisorView) bool { return x == v })
	})
	go func() {
		t := time.NewTicker(cmp.Or(c.supervisorEvery, 2*time.Second))
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

// newSupervisorView builds the window's objects, once.
func (c *Counter) newSupervisorView() *supervisorView {
	v := &supervisorView{c: c, win: c.app.NewWindow(c.t("ui.supervisor.title", nil) + " · " + c.desk.Cal.OfficeName),
		counts: container.New(tilesLayout{}), tiles: map[string]*tile{},
		thresholds: widget.NewLabel(""), longest: newLines(), queue: newLines(), desks: newLines(), absent: wrapped(),
		chart:  newHourChart(c.t("ui.supervisor.legend.booked", nil), c.t("ui.supervisor.legend.arrived", nil)),
		issues: wrapped(), sync: wrapped(), parked: wrapped(),
		lookPath: exec.LookPath, run: runQuietly}
	v.say = func(title, message string) { dialog.ShowInformation(title, message, v.win) }
	v.thresholds.TextStyle = fyne.TextStyle{Italic: true}
	for _, k := range tileKeys {
		name := "ui.supervisor." + k
		if k == "kiosk" {
			name = "supervise.kiosk"
		}
		v.tiles[k] = newTile(c.t(name, nil))
		v.counts.Add(v.tiles[k].box)
	}
	v.hours = container.NewStack(v.chart)
	section := func(key string, body ...fyne.CanvasObject) fyne.CanvasObject {
		head := widget.NewLabelWithStyle(c.t(key, nil), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		return container.NewBorder(head, nil, nil, nil, container.NewVBox(body...))
	}
	left := container.NewVBox(section("ui.supervisor.queue", v.longest, v.thresholds, v.queue),
		section("ui.supervisor.counters", v.desks, v.sync), section("ui.supervisor.noshows", v.absent))
	chart := container.NewBorder(widget.NewLabelWithStyle(c.t("ui.supervisor.hours", nil), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, v.hours)
	below := container.NewVScroll(container.NewVBox(section("ui.supervisor.conflicts", v.issues), section("ui.supervisor.parked", v.parked)))
	right := container.NewVSplit(chart, below)
	right.Offset = 0.65
	split := container.NewHSplit(container.NewVScroll(left), right)
	split.Offset = 0.4
	v.win.SetContent(container.NewBorder(container.NewPadded(v.counts), v.actions(), nil, nil, split))
	v.win.Resize(fyne.NewSize(1280, 720))
	return v
}

// actions are the window's buttons: the day report saved, opened or
// printed, and the settings.
func (v *supervisorView) actions() fyne.CanvasObject {
	c := v.c
	return container.NewHBox(
		widget.NewButton(c.t("ui.supervisor.report.open", nil), func() { v.reportThen(v.open) }),
		widget.NewButton(c.t("ui.supervisor.report.print", nil), func() { v.reportThen(v.print) }),
		widget.NewButton(c.t("ui.supervisor.report", nil), func() {
			v.reportThen(func(path string) string { return c.t("ui.supervisor.report_saved", map[string]string{"path": path}) })
		}),
		widget.NewButton(c.t("settings.title", nil), func() { c.showSettings(v.win) }))
}

func wrapped() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return l
}

// refresh reads the office again and changes the content of the window's
// objects, never the objects.
func (v *supervisorView) refresh() {
	c := v.c
	o, err := supervise.Build(context.Background(), c.desk)
	if err != nil {
		c.fail(err)
		return
	}
	v.setTiles(o)
	v.thresholds.SetText(c.t("ui.supervisor.thresholds", map[string]string{
		"amber": strconv.Itoa(int(o.Thresholds.Amber.Minutes())), "red": strconv.Itoa(int(o.Thresholds.Red.Minutes()))}))
	v.longest.set([]line{v.longestLine(o.Longest)})
	var q []line
	for _, w := range o.Queue {
		name := withTicket(w.Ticket, w.Name)
		if w.Kiosk {
			name = c.t("supervise.at_kiosk", map[string]string{"name": name})
		}
		q = append(q, line{c.t("ui.supervisor.waiting_line", map[string]string{"slot": w.Slot.Format(time.RFC3339),
			"name": name, "minutes": mins(w.Waited)}), w.Level})
	}
	v.queue.set(orNoLine(c, q))
	var d []line
	for _, k := range o.Counters {
		d = append(d, v.counterLines(k)...)
	}
	v.desks.set(orNoLine(c, d))
	v.sync.SetText(c.syncLabel.Text)
	v.absent.SetText(orNone(c, o.NoShows))
	var issues []string
	for _, k := range o.Conflicts {
		issues = append(issues, fmt.Sprintf("%s · %s (%s)", k.Booking.Name, c.t("conflict."+k.Kind, nil), strings.Join(k.Events, ", ")))
	}
	v.issues.SetText(orNone(c, issues))
	v.parked.SetText(orNone(c, v.parkedLines()))
	v.chart.set(o.Hours)
}

// longestLine words the longest current wait: the person's ticket (no
// name: it is read across the room) and minutes, on its level's colour.
func (v *supervisorView) longestLine(w *supervise.Waiting) line {
	c := v.c
	if w == nil {
		return line{text: c.t("supervise.longest.none", nil)}
	}
	return line{c.t("supervise.longest", map[string]string{"ticket": cmp.Or(w.Ticket, c.t("ui.supervisor.none", nil)),
		"minutes": mins(w.Waited), "arrived": w.Arrived.In(c.desk.Cal.Location()).Format(time.RFC3339)}), w.Level}
}

// counterLines are a counter's two lines: who is at it (its state) and
// its calls today with the last one.
func (v *supervisorView) counterLines(k supervise.Counter) []line {
	c := v.c
	doing := c.t("ui.supervisor.idle", nil)
	switch k.State {
	case supervise.Busy:
		doing = c.t("ui.supervisor.serving_for", map[string]string{"name": withTicket(k.Ticket, k.Serving), "minutes": mins(k.For)})
	case supervise.Quiet:
		if k.Calls+k.Recalls > 0 { // one that never called today is free
			doing = c.t("supervise.quiet", nil)
		}
	}
	first := c.t("ui.supervisor.counter", map[string]string{"counter": k.Name, "clerk": k.Clerk, "doing": doing,
		"seen": k.LastSeen.In(c.desk.Cal.Location()).Format(time.RFC3339)})
	if k.Calls+k.Recalls == 0 {
		return []line{{text: first}, {text: "    " + c.t("supervise.calls.none", nil)}}
	}
	count := c.t("supervise.calls.count", map[string]string{"calls": strconv.Itoa(k.Calls)})
	if k.Recalls > 0 {
		count = c.t("supervise.calls.count_again", map[string]string{"calls": strconv.Itoa(k.Calls), "recalls": strconv.Itoa(k.Recalls)})
	}
	last := "supervise.calls.last"
	if k.LastCall.Repeat {
		last = "supervise.calls.last_again"
	}
	return []line{{text: first}, {text: "    " + count + " · " + c.t(last, map[string]string{
		"ticket": cmp.Or(k.LastCall.Ticket, c.t("ui.supervisor.none", nil)),
		"at":     k.LastCall.At.In(c.desk.Cal.Location()).Format(time.RFC3339)})}}
}

// setTiles writes the day's numbers on the tiles, the waits coloured.
func (v *supervisorView) setTiles(o supervise.Overview) {
	c := v.c
	n := o.Counts
	var waits []string
	if o.Waits.Count > 0 {
		waits = []string{c.t("ui.supervisor.longest", map[string]string{"minutes": mins(o.Waits.Longest)}),
			c.t("ui.supervisor.average", map[string]string{"minutes": mins(o.Waits.Average)})}
	}
	var service []string
	if o.Service.Timed > 0 {
		service = []string{c.t("ui.supervisor.service", map[string]string{"minutes": mins(o.Service.Average)})}
	}
	v.tiles["expected"].set(n.Expected, nil, supervise.Normal)
	v.tiles["waiting"].set(n.Waiting, waits, o.Waits.Level)
	v.tiles["serving"].set(n.Serving, nil, supervise.Normal)
	v.tiles["served"].set(n.Served, service, supervise.Normal)
	v.tiles["noshows"].set(n.NoShows, []string{c.t("ui.supervisor.late", map[string]string{"n": strconv.Itoa(o.Late)}),
		c.t("ui.supervisor.refused", map[string]string{"n": strconv.Itoa(o.Refused)})}, supervise.Normal)
	v.tiles["pickups"].set(n.Pickups, []string{c.t("ui.supervisor.pickups_due", map[string]string{"n": strconv.Itoa(o.PickupsDue)})}, supervise.Normal)
	var kiosk []string
	if o.Kiosk.Arrivals > 0 {
		kiosk = []string{c.t("supervise.kiosk.waiting", map[string]string{"n": strconv.Itoa(o.Kiosk.Waiting)}),
			c.t("supervise.kiosk.last", map[string]string{"at": o.Kiosk.Last.In(c.desk.Cal.Location()).Format(time.RFC3339)})}
	}
	v.tiles["kiosk"].set(o.Kiosk.Arrivals, kiosk, supervise.Normal)
}

func mins(d time.Duration) string { return strconv.Itoa(int(d.Minutes())) }

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

func orNone(c *Counter, lines []string) string {
	if len(lines) == 0 {
		return c.t("ui.supervisor.none", nil)
	}
	return strings.Join(lines, "\n")
}

func orNoLine(c *Counter, ls []line) []line {
	if len(ls) == 0 {
		return []line{{text: c.t("ui.supervisor.none", nil)}}
	}
	return ls
}

// reportThen saves the day's report away from the GUI thread, does then
// with its HTML file's path (still away from it: opening and printing run
// programs) and says the outcome in a dialog.
func (v *supervisorView) reportThen(then func(path string) string) {
	go func() {
		path, err := v.c.saveReport()
		msg := ""
		if err != nil {
			msg = fmt.Sprintf("%s: %v", v.c.t("ui.supervisor.report", nil), err)
		} else {
			msg = then(path)
		}
		if msg != "" {
			v.c.do(func() { v.say(v.c.t("ui.supervisor.report", nil), msg) })
		}
	}()
}

// open opens the report with the desktop's opener, and says what went
// wrong, if anything, with the file's path.
func (v *supervisorView) open(path string) string {
	c := v.c
	if _, err := v.lookPath("xdg-open"); err != nil {
		return c.t("ui.supervisor.report.no_opener", map[string]string{"path": path})
	}
	if err := v.run("xdg-open", path); err != nil {
		return c.t("ui.supervisor.report.open_failed", map[string]string{"path": path, "error": err.Error()})
	}
	return ""
}

// print sends the report to the default printer with lp, as plain text
// beside the HTML page (CUPS prints text everywhere, HTML only with
// filters most offices lack), or says how to print it without.
func (v *supervisorView) print(path string) string {
	c := v.c
	if _, err := v.lookPath("lp"); err != nil {
		return c.t("ui.supervisor.report.no_printer", map[string]string{"path": path})
	}
	text, err := v.writePrintable(strings.TrimSuffix(path, ".html") + ".txt")
	if err == nil {
		err = v.run("lp", "-o", "landscape", "--", text)
	}
	if err != nil {
		return c.t("ui.supervisor.report.print_failed", map[string]string{"path": path, "error": err.Error()})
	}
	return c.t("ui.supervisor.report.printed", map[string]string{"path": text})
}

// writePrintable writes today's report as a plain-text page at path,
// owner only like the others, and returns the path.
func (v *supervisorView) writePrintable(path string) (string, error) {
	c := v.c
	r, err := report.Build(context.Background(), c.desk, c.desk.Today())
	if err != nil {
		return "", fmt.Errorf("printable report: %w", err)
	}
	f, err := report.Create(path)
	if err != nil {
		return "", err
	}
	if err := r.Printable(f, c.lang, c.desk.Cal.OfficeName); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("printable report: %w", err)
	}
	return path, nil
}

// runQuietly runs a program and waits for it; its error says what it
// wrote on stderr.
func runQuietly(name string, args ...string) error {
	var stderr strings.Builder
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("%s: %w: %s", name, err, msg)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// levelColours are the colours of an amber and a red wait, those of the
// verdict card's: background and text.
func levelColours(l supervise.Level) (bg, fg color.Color, ok bool) {
	switch l {
	case supervise.Amber:
		return cardColours[verdict.Amber][0], cardColours[verdict.Amber][1], true
	case supervise.Red:
		return cardColours[verdict.Red][0], cardColours[verdict.Red][1], true
	}
	return color.Transparent, nil, false
}

// foreground is the theme's text colour.
func foreground() color.Color {
	return fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameForeground, fyne.CurrentApp().Settings().ThemeVariant())
}

// tilesLayout puts the tiles side by side in equal columns. Unlike a grid,
// it does not ask for the widest tile's width in every column: a long line
// under one tile (high contrast's larger text, English) must not make the
// window wider than a 1366-pixel screen.
type tilesLayout struct{}

// minTileWidth is the narrowest a tile asks to be.
const minTileWidth = 150

// Layout is Fyne's.
func (tilesLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	if len(objects) == 0 {
		return
	}
	pad := theme.Padding()
	w := (size.Width - pad*float32(len(objects)-1)) / float32(len(objects))
	for i, o := range objects {
		o.Move(fyne.NewPos(float32(i)*(w+pad), 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

// MinSize is Fyne's: the tallest tile, and minTileWidth for each.
func (tilesLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	n := float32(len(objects))
	return fyne.NewSize(n*minTileWidth+max(n-1, 0)*theme.Padding(), h)
}

// tileLines is how many short lines a tile has under its name.
const tileLines = 2

// tile is one of the day's numbers: large, its name, short lines under
// it, coloured by a level.
type tile struct {
	box       *fyne.Container
	bg        *canvas.Rectangle
	big, name *canvas.Text
	sub       [tileLines]*canvas.Text
	level     supervise.Level
}

func newTile(name string) *tile {
	t := &tile{bg: canvas.NewRectangle(color.Transparent), big: canvas.NewText("", nil), name: canvas.NewText(name, nil)}
	t.bg.CornerRadius = 6
	t.big.TextSize, t.big.TextStyle = 44, fyne.TextStyle{Bold: true}
	box := container.NewVBox(t.big, t.name)
	for i := range t.sub {
		t.sub[i] = canvas.NewText("", nil)
		t.sub[i].TextSize = theme.TextSize() * 0.9
		box.Add(t.sub[i])
	}
	for _, x := range t.texts() {
		x.Alignment = fyne.TextAlignCenter
	}
	t.box = container.NewStack(t.bg, container.NewPadded(box))
	return t
}

func (t *tile) texts() []*canvas.Text { return append([]*canvas.Text{t.big, t.name}, t.sub[:]...) }

// set writes the number and the lines under it (at most tileLines),
// coloured by level.
func (t *tile) set(n int, sub []string, level supervise.Level) {
	t.big.Text, t.level = strconv.Itoa(n), level
	for i := range t.sub {
		t.sub[i].Text = ""
		if i < len(sub) {
			t.sub[i].Text = sub[i]
		}
	}
	bg, fg, ok := levelColours(level)
	if !ok {
		fg = foreground()
	}
	t.bg.FillColor = bg
	for _, x := range t.texts() {
		x.Color = fg
	}
	t.name.TextSize = theme.TextSize() // the theme's, high contrast's larger one too
	for _, x := range t.sub {
		x.TextSize = theme.TextSize() * 0.9
	}
	t.box.Refresh()
}

// line is one line of a lines widget, coloured by its level.
type line struct {
	text  string
	level supervise.Level
}

// lines shows lines of text, each on a band of its level's colour. It
// keeps one text and one band per line it ever showed, and reuses them.
type lines struct {
	widget.BaseWidget
	Text  string // the lines as plain text, one a line
	items []line
}

func newLines() *lines {
	l := &lines{}
	l.ExtendBaseWidget(l)
	return l
}

// set shows ls.
func (l *lines) set(ls []line) {
	l.items = append(l.items[:0], ls...)
	texts := make([]string, len(ls))
	for i, x := range ls {
		texts[i] = x.text
	}
	l.Text = strings.Join(texts, "\n")
	l.Refresh()
}

// CreateRenderer is Fyne's.
func (l *lines) CreateRenderer() fyne.WidgetRenderer { return &linesRenderer{l: l} }

type linesRenderer struct {
	l       *lines
	bands   []*canvas.Rectangle
	texts   []*canvas.Text
	objects []fyne.CanvasObject
}

func (r *linesRenderer) lineHeight() float32 {
	return fyne.MeasureText("Ág", theme.TextSize(), fyne.TextStyle{}).Height + theme.InnerPadding()/2
}

// Layout places the lines; one wider than the window ends in "…" (the
// whole of it is in the day report).
func (r *linesRenderer) Layout(size fyne.Size) {
	h := r.lineHeight()
	room := size.Width - 2*theme.InnerPadding()
	for i, t := range r.texts {
		r.bands[i].Move(fyne.NewPos(0, float32(i)*h))
		r.bands[i].Resize(fyne.NewSize(size.Width, h-2))
		t.Move(fyne.NewPos(theme.InnerPadding(), float32(i)*h+theme.InnerPadding()/4))
		t.Resize(fyne.NewSize(size.Width-theme.InnerPadding(), h-theme.InnerPadding()/2))
		if i < len(r.l.items) {
			if fit := ellipsize(r.l.items[i].text, t.TextSize, t.TextStyle, room); fit != t.Text {
				t.Text = fit
				t.Refresh()
			}
		}
	}
}

// ellipsize is text, cut to end in "…" where it is wider than room.
func ellipsize(text string, size float32, style fyne.TextStyle, room float32) string {
	if room <= 0 || fyne.MeasureText(text, size, style).Width <= room {
		return text
	}
	runes := []rune(text)
	lo, hi := 0, len(runes) // the longest start that fits, by halves
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, style).Width <= room {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(runes[:lo]), " ·,") + "…"
}

func (r *linesRenderer) MinSize() fyne.Size {
	return fyne.NewSize(120, float32(len(r.l.items))*r.lineHeight())
}

// Refresh grows the pool only past the most lines ever shown.
func (r *linesRenderer) Refresh() {
	for len(r.texts) < len(r.l.items) {
		b, t := canvas.NewRectangle(color.Transparent), canvas.NewText("", nil)
		b.CornerRadius = 3
		r.bands, r.texts = append(r.bands, b), append(r.texts, t)
		r.objects = append(r.objects, b, t)
	}
	for i, t := range r.texts {
		if i >= len(r.l.items) {
			t.Hide()
			r.bands[i].Hide()
			continue
		}
		x := r.l.items[i]
		bg, fg, ok := levelColours(x.level)
		if !ok {
			fg = foreground()
		}
		t.Text, t.Color, t.TextStyle, t.TextSize = x.text, fg, fyne.TextStyle{Bold: ok}, theme.TextSize()
		r.bands[i].FillColor = bg
		t.Show()
		r.bands[i].Show()
		t.Refresh()
		r.bands[i].Refresh()
	}
	r.Layout(r.l.Size())
}

func (r *linesRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *linesRenderer) Destroy()                     {}

// The chart's colours: bookings grey, arrivals the green of an accepted
// verdict.
var (
	bookedColour  = color.NRGBA{0x8a, 0x8f, 0x96, 0xff}
	arrivedColour = cardColours[verdict.Green][0]
)

// maxHours is how many hours the chart can show: a whole day.
const maxHours = 24

// maxTicks is how many values the vertical axis marks at most.
const maxTicks = 6

// hourChart draws the day hour by hour: the bookings whose slot starts in
// the hour and how many of those people came, side by side, with axes, the
// hours under them, values on the left and a legend. It fills the size it
// is given.
type hourChart struct {
	widget.BaseWidget
	hours           []supervise.Hour
	booked, arrived string // the legend
}

func newHourChart(booked, arrived string) *hourChart {
	h := &hourChart{booked: booked, arrived: arrived}
	h.ExtendBaseWidget(h)
	return h
}

// set shows hours (at most maxHours).
func (h *hourChart) set(hours []supervise.Hour) {
	h.hours = append(h.hours[:0], hours[:min(len(hours), maxHours)]...)
	h.Refresh()
}

// CreateRenderer builds every object the chart will ever need.
func (h *hourChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{h: h, xAxis: canvas.NewLine(nil), yAxis: canvas.NewLine(nil)}
	text := func(s string) *canvas.Text {
		t := canvas.NewText(s, nil)
		t.TextSize = theme.TextSize() * 0.85
		r.objects = append(r.objects, t)
		return t
	}
	for i := range maxTicks {
		r.grid[i] = canvas.NewLine(nil)
		r.objects = append(r.objects, r.grid[i])
		r.ticks[i] = text("")
		r.ticks[i].Alignment = fyne.TextAlignTrailing
	}
	for i := range maxHours {
		r.bars[i] = [2]*canvas.Rectangle{canvas.NewRectangle(bookedColour), canvas.NewRectangle(arrivedColour)}
		r.objects = append(r.objects, r.bars[i][0], r.bars[i][1])
		r.values[i] = [2]*canvas.Text{text(""), text("")}
		r.labels[i] = text("")
		r.labels[i].Alignment = fyne.TextAlignCenter
		for _, v := range r.values[i] {
			v.Alignment = fyne.TextAlignCenter
		}
	}
	r.swatches = [2]*canvas.Rectangle{canvas.NewRectangle(bookedColour), canvas.NewRectangle(arrivedColour)}
	r.objects = append(r.objects, r.xAxis, r.yAxis, r.swatches[0], r.swatches[1])
	r.legend = [2]*canvas.Text{text(h.booked), text(h.arrived)}
	r.Refresh()
	return r
}

type chartRenderer struct {
	h            *hourChart
	xAxis, yAxis *canvas.Line
	grid         [maxTicks]*canvas.Line
	ticks        [maxTicks]*canvas.Text
	bars         [maxHours][2]*canvas.Rectangle
	values       [maxHours][2]*canvas.Text
	labels       [maxHours]*canvas.Text
	swatches     [2]*canvas.Rectangle
	legend       [2]*canvas.Text
	objects      []fyne.CanvasObject
	top, step    int // the vertical axis's top value and its step
}

// scale picks the vertical axis for a largest value: a step of 1, 2 or 5
// times a power of ten giving at most maxTicks-1 steps, and the top.
func scale(largest int) (top, step int) {
	step = 1
	for mult := 0; ; mult = (mult + 1) % 3 {
		if (largest+step-1)/step <= maxTicks-1 {
			break
		}
		step = step / []int{1, 2, 5}[mult] * []int{2, 5, 10}[mult]
	}
	top = max(1, (largest+step-1)/step) * step
	return top, step
}

// Refresh writes the hours into the objects, hides the ones not used and
// lays them out again.
func (r *chartRenderer) Refresh() {
	fg := foreground()
	th := fyne.CurrentApp().Settings().Theme()
	grid := th.Color(theme.ColorNameSeparator, fyne.CurrentApp().Settings().ThemeVariant())
	largest := 0
	for _, h := range r.h.hours {
		largest = max(largest, h.Bookings, h.Arrived)
	}
	r.top, r.step = scale(largest)
	for _, o := range r.objects {
		if t, ok := o.(*canvas.Text); ok {
			t.TextSize = theme.TextSize() * 0.85 // the theme's, high contrast's larger one too
		}
	}
	for i := range maxTicks {
		r.ticks[i].Text, r.ticks[i].Color = strconv.Itoa(i*r.step), fg
		r.grid[i].StrokeColor, r.grid[i].StrokeWidth = grid, 1
		visible(i*r.step <= r.top, r.ticks[i], r.grid[i])
	}
	for i := range maxHours {
		used := i < len(r.h.hours)
		if used {
			h := r.h.hours[i]
			r.labels[i].Text = fmt.Sprintf("%02d", h.Hour)
			r.values[i][0].Text, r.values[i][1].Text = strconv.Itoa(h.Bookings), strconv.Itoa(h.Arrived)
		}
		for _, t := range []*canvas.Text{r.labels[i], r.values[i][0], r.values[i][1]} {
			t.Color = fg
		}
		visible(used, r.labels[i], r.values[i][0], r.values[i][1], r.bars[i][0], r.bars[i][1])
	}
	for i, s := range []string{r.h.booked, r.h.arrived} {
		r.legend[i].Text, r.legend[i].Color = s, fg
	}
	r.xAxis.StrokeColor, r.yAxis.StrokeColor = fg, fg
	r.xAxis.StrokeWidth, r.yAxis.StrokeWidth = 1.5, 1.5
	r.Layout(r.h.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

func visible(show bool, objects ...fyne.CanvasObject) {
	for _, o := range objects {
		if show {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// Layout places everything in size: the legend on top, the values' axis
// on the left, the hours at the bottom, the bars between.
func (r *chartRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	textH := fyne.MeasureText("0", r.ticks[0].TextSize, fyne.TextStyle{}).Height
	labelW := fyne.MeasureText(strconv.Itoa(r.top), r.ticks[0].TextSize, fyne.TextStyle{}).Width + 2*pad
	// The legend, top right.
	x := size.Width - pad
	for i := 1; i >= 0; i-- {
		w := fyne.MeasureText(r.legend[i].Text, r.legend[i].TextSize, fyne.TextStyle{}).Width
		x -= w
		r.legend[i].Move(fyne.NewPos(x, 0))
		r.legend[i].Resize(fyne.NewSize(w, textH))
		x -= textH + pad
		r.swatches[i].Move(fyne.NewPos(x, textH*0.15))
		r.swatches[i].Resize(fyne.NewSize(textH*0.7, textH*0.7))
		x -= 3 * pad
	}
	left, right := labelW, size.Width-pad
	top, bottom := 2*textH+pad, size.Height-textH-pad
	plotH := max(bottom-top, 1)
	r.xAxis.Position1, r.xAxis.Position2 = fyne.NewPos(left, bottom), fyne.NewPos(right, bottom)
	r.yAxis.Position1, r.yAxis.Position2 = fyne.NewPos(left, top-textH/2), fyne.NewPos(left, bottom)
	yOf := func(v int) float32 { return bottom - plotH*float32(v)/float32(r.top) }
	for i := range maxTicks {
		y := yOf(i * r.step)
		r.grid[i].Position1, r.grid[i].Position2 = fyne.NewPos(left, y), fyne.NewPos(right, y)
		r.ticks[i].Move(fyne.NewPos(0, y-textH/2))
		r.ticks[i].Resize(fyne.NewSize(labelW-pad, textH))
	}
	r.layoutBars(len(r.h.hours), left, right, bottom, textH, yOf)
}

// layoutBars places each hour's two bars, their values above them and the
// hour under them.
func (r *chartRenderer) layoutBars(n int, left, right, bottom, textH float32, yOf func(int) float32) {
	if n == 0 {
		return
	}
	group := (right - left) / float32(n)
	barW := min(group*0.35, 60)
	for i := range n {
		h := r.h.hours[i]
		mid := left + group*(float32(i)+0.5)
		for k, v := range []int{h.Bookings, h.Arrived} {
			x := mid - barW + float32(k)*barW
			y := yOf(v)
			r.bars[i][k].Move(fyne.NewPos(x+1, y))
			r.bars[i][k].Resize(fyne.NewSize(barW-2, bottom-y))
			r.values[i][k].Move(fyne.NewPos(x, y-textH))
			r.values[i][k].Resize(fyne.NewSize(barW, textH))
		}
		r.labels[i].Move(fyne.NewPos(mid-group/2, bottom+theme.Padding()/2))
		r.labels[i].Resize(fyne.NewSize(group, textH))
	}
}

// MinSize leaves room for the legend, the axes and a few hours.
func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(360, 220) }

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *chartRenderer) Destroy()                     {}
