package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The window never asks for more room than the smallest screen a counter
// has (1024×768, 1280×720): the texts of the header (the office, the
// counter and its clerk) and of the footer (the hub's state) end in "…"
// when they do not fit, and a click on one shows it whole; the buttons
// drop their shortcut's hint ("Supervisor (Ctrl+U)" becomes "Supervisor")
// and the action buttons go two to a row where three do not fit.

// header holds the office, the counter and its clerk, the buttons of the
// office's work and the clock.
func (c *Counter) header() fyne.CanvasObject {
	office := widget.NewLabelWithStyle(c.desk.Cal.OfficeName, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who := widget.NewLabel(c.t("ui.counter", map[string]string{"counter": c.desk.Counter, "clerk": c.desk.Clerk}))
	if c.desk.Clerk == "" { // nobody signed in yet: no dangling "·"
		who.SetText(c.t("ui.counter.nobody", map[string]string{"counter": c.desk.Counter}))
	}
	if c.clock == nil {
		c.clock = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true, Monospace: true})
	}
	c.tickClock()
	buttons := []*scanButton{c.button(c.t("ui.supervisor", nil), c.askSupervisor),
		c.button(c.t("ui.import", nil), c.askImport)}
	if c.desk.Demo {
		buttons = append(buttons, c.button(c.t("ui.demo.codes", nil), c.showDemoCodes))
	}
	buttons = append(buttons, c.button(c.t("ui.language", nil)+" (Ctrl+L)", c.toggleLanguage))
	row, texts := c.wholeOnClick(office, who)
	bar := newButtonBar(buttons)
	return container.New(&barLayout{texts: row, bar: bar, clock: c.clock}, texts, container.New(bar, bar.objects()...), c.clock)
}

// wholeOnClick lays out labels side by side, cut with "…" where the room
// lacks; a click on one shows it whole.
func (c *Counter) wholeOnClick(labels ...*widget.Label) (*shrinkRow, fyne.CanvasObject) {
	objects := make([]fyne.CanvasObject, len(labels))
	for i, l := range labels {
		l.Truncation = fyne.TextTruncateEllipsis
		objects[i] = container.NewStack(l, newTapArea(func() { c.showWhole(l.Text) }))
	}
	row := &shrinkRow{labels: labels}
	return row, container.New(row, objects...)
}

// footer holds the actions of the start of a shift, of the screen and of
// the sound, and the state of the link to the hub.
func (c *Counter) footer() fyne.CanvasObject {
	mute := c.t("ui.mute", nil)
	if c.app.Preferences().Bool(PrefMute) {
		mute = c.t("ui.unmute", nil)
	}
	bar := newButtonBar([]*scanButton{
		c.button(c.t("ui.signin.button", nil), c.askSignIn),
		c.button(c.t("ui.fullscreen", nil), c.toggleFullScreen),
		c.button(c.t("ui.contrast", nil), c.toggleContrast),
		c.button(mute, c.toggleMute)})
	if c.syncLabel == nil {
		c.syncLabel = widget.NewLabel("")
	}
	c.showSync()
	row, texts := c.wholeOnClick(c.syncLabel)
	return container.New(&barLayout{texts: row, bar: bar, barFirst: true}, texts, container.New(bar, bar.objects()...))
}

// actions lays out the counter's action buttons, three to a row where
// they fit, else two.
func (c *Counter) actions(buttons ...*scanButton) fyne.CanvasObject {
	g := &actionGrid{bar: newButtonBar(buttons)}
	for _, b := range buttons {
		b.bar = g.bar
	}
	g.bar.parent = container.New(g, g.bar.objects()...)
	return g.bar.parent
}

// relabel gives a button a new label, in its bar too (whose layout takes
// its shortcut's hint off when room is short).
func relabel(b *scanButton, label string) {
	if b.bar == nil {
		b.SetText(label)
		return
	}
	for i, x := range b.bar.buttons {
		if x == b && b.bar.full[i] != label {
			b.bar.full[i] = label
			b.SetText(label)
			if p := b.bar.parent; p != nil {
				p.Refresh()
			}
		}
	}
}

// showWhole shows a header's text whole, over the window.
func (c *Counter) showWhole(text string) {
	if text == "" {
		return
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("", c.t("ui.close", nil), l, c.win)
	d.Resize(fyne.NewSize(min(600, c.win.Canvas().Size().Width-40), 0))
	c.ask(d, func() {})
}

// tapArea is a transparent widget over a label that runs onTap when
// clicked.
type tapArea struct {
	widget.BaseWidget
	onTap func()
}

func newTapArea(onTap func()) *tapArea {
	t := &tapArea{onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

// Tapped runs the area's action.
func (t *tapArea) Tapped(*fyne.PointEvent) { t.onTap() }

// CreateRenderer draws nothing.
func (t *tapArea) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// shortText is a button's text without its shortcut's hint:
// "Supervisor (Ctrl+U)" is "Supervisor".
func shortText(s string) string {
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		return s[:i]
	}
	return s
}

// naturalWidth is how wide a label is with its whole text on one line.
func naturalWidth(l *widget.Label) float32 {
	if l.Text == "" {
		return 0
	}
	th := fyne.CurrentApp().Settings().Theme()
	return fyne.MeasureText(l.Text, th.Size(theme.SizeNameText), l.TextStyle).Width +
		2*th.Size(theme.SizeNameInnerPadding) + 2 // a rounding's room, so that a text that fits is not cut
}

// shrinkRow lays out truncating labels side by side, each as wide as its
// text while they all fit; else the room is shared out, the short ones
// whole and the long ones cut to equal widths. It asks for no more than
// their ellipses.
type shrinkRow struct{ labels []*widget.Label }

func (r *shrinkRow) natural() (ws []float32, sum float32) {
	for _, l := range r.labels {
		w := naturalWidth(l)
		if !l.Visible() {
			w = 0
		}
		ws = append(ws, w)
		sum += w
	}
	return ws, sum
}

func (r *shrinkRow) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	ws, _ := r.natural()
	widths := shareOut(ws, size.Width)
	x := float32(0)
	for i, o := range objects {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(widths[i], size.Height))
		x += widths[i]
	}
}

func (r *shrinkRow) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	return s
}

// shareOut gives each of the wants its due out of room: all of them when
// they fit, else the small ones whole and the rest equal shares.
func shareOut(wants []float32, room float32) []float32 {
	got := make([]float32, len(wants))
	left := make([]int, 0, len(wants))
	for i := range wants {
		left = append(left, i)
	}
	for len(left) > 0 {
		share := room / float32(len(left))
		var rest []int
		for _, i := range left {
			if wants[i] <= share {
				got[i] = wants[i]
				room -= wants[i]
			} else {
				rest = append(rest, i)
			}
		}
		if len(rest) == len(left) { // everyone wants more than a share
			for _, i := range rest {
				got[i] = max(0, share)
			}
			break
		}
		left = rest
	}
	return got
}

// buttonBar lays out buttons side by side, with their whole text where the
// room allows and without their shortcut's hint where it does not; it
// asks for the room of the short texts only.
type buttonBar struct {
	buttons []*scanButton
	full    []string
	parent  *fyne.Container // laid out again when a label changes
}

func newButtonBar(buttons []*scanButton) *buttonBar {
	b := &buttonBar{buttons: buttons}
	for _, x := range buttons {
		b.full = append(b.full, x.Text)
	}
	return b
}

func (b *buttonBar) objects() []fyne.CanvasObject {
	o := make([]fyne.CanvasObject, len(b.buttons))
	for i, x := range b.buttons {
		o[i] = x
	}
	return o
}

// width is how wide button i is with the text s.
func (b *buttonBar) width(i int, s string) float32 {
	x := b.buttons[i]
	measure := func(s string) float32 {
		return fyne.MeasureText(s, x.Theme().Size(theme.SizeNameText), fyne.TextStyle{Bold: true}).Width
	}
	return x.MinSize().Width - measure(x.Text) + measure(s)
}

// widest is the width of the widest button, with the whole texts or not.
func (b *buttonBar) widest(whole bool) float32 {
	var w float32
	for i := range b.buttons {
		w = max(w, b.width(i, b.text(i, whole)))
	}
	return w
}

func (b *buttonBar) text(i int, whole bool) string {
	if whole {
		return b.full[i]
	}
	return shortText(b.full[i])
}

// total is the width of the bar, with the whole texts or not.
func (b *buttonBar) total(whole bool) float32 {
	w := theme.Padding() * float32(max(0, len(b.buttons)-1))
	for i := range b.buttons {
		w += b.width(i, b.text(i, whole))
	}
	return w
}

// show sets the whole or the short texts.
func (b *buttonBar) show(whole bool) {
	for i, x := range b.buttons {
		if t := b.text(i, whole); x.Text != t {
			x.SetText(t)
		}
	}
}

func (b *buttonBar) height() float32 {
	var h float32
	for _, x := range b.buttons {
		h = max(h, x.MinSize().Height)
	}
	return h
}

func (b *buttonBar) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	b.show(b.total(true) <= size.Width)
	x := float32(0)
	for _, o := range b.buttons {
		w := o.MinSize().Width
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + theme.Padding()
	}
}

func (b *buttonBar) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(b.total(false), b.height())
}

// actionGrid lays out the action buttons in equal columns: three to a row
// with their whole texts, else three or two to a row without their
// shortcut's hints.
type actionGrid struct {
	bar  *buttonBar
	cols int // as last laid out: its height follows (three before the first layout)
}

// columns is how many columns fit in width, and whether with whole texts.
func (g *actionGrid) columns(width float32) (int, bool) {
	p := theme.Padding()
	for _, c := range []struct {
		n     int
		whole bool
	}{{3, true}, {3, false}} {
		if float32(c.n)*g.bar.widest(c.whole)+float32(c.n-1)*p <= width {
			return c.n, c.whole
		}
	}
	return 2, false
}

func (g *actionGrid) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	n, whole := g.columns(size.Width)
	g.cols = n
	g.bar.show(whole)
	p := theme.Padding()
	w := (size.Width - float32(n-1)*p) / float32(n)
	h := g.bar.height()
	for i, o := range g.bar.buttons {
		o.Move(fyne.NewPos(float32(i%n)*(w+p), float32(i/n)*(h+p)))
		o.Resize(fyne.NewSize(w, h))
	}
}

func (g *actionGrid) MinSize([]fyne.CanvasObject) fyne.Size {
	p := theme.Padding()
	cols := g.cols
	if cols == 0 {
		cols = 3
	}
	rows := (len(g.bar.buttons) + cols - 1) / cols
	return fyne.NewSize(2*g.bar.widest(false)+p, float32(rows)*g.bar.height()+float32(rows-1)*p)
}

// barLayout lays out a row of the header or the footer: texts, buttons
// and, in the header, the clock at the right end; the buttons keep their
// whole texts while the texts fit whole beside them. Its objects are the
// texts, the buttons, then the clock if any.
type barLayout struct {
	texts    *shrinkRow
	bar      *buttonBar
	clock    *widget.Label // nil: none
	barFirst bool          // the buttons on the left, the texts after them
}

func (h *barLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	p := theme.Padding()
	var clock float32
	if h.clock != nil {
		clock = h.clock.MinSize().Width + p
	}
	room := size.Width - clock - p
	_, natural := h.texts.natural()
	bar := h.bar.total(true)
	if bar+natural > room {
		bar = h.bar.total(false)
	}
	texts := max(0, room-bar)
	textsAt, barAt := float32(0), texts+p
	if h.barFirst {
		textsAt, barAt = bar+p, 0
	}
	objects[0].Move(fyne.NewPos(textsAt, 0))
	objects[0].Resize(fyne.NewSize(texts, size.Height))
	objects[1].Move(fyne.NewPos(barAt, 0))
	objects[1].Resize(fyne.NewSize(bar, size.Height))
	if h.clock != nil {
		objects[2].Move(fyne.NewPos(size.Width-clock+p, 0))
		objects[2].Resize(fyne.NewSize(clock-p, size.Height))
	}
}

func (h *barLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	s.Width += 2 * theme.Padding()
	return s
}
