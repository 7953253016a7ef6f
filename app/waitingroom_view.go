package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// prevShown is how many earlier calls the screen lists.
const prevShown = 5

// waitingView is the waiting room's screen: canvas texts that its layout
// sizes by the screen's height, so that the latest call is as large on a
// 1366×768 TV as on a 1920×1080 one.
type waitingView struct {
	root            *fyne.Container
	bg, panel       *canvas.Rectangle
	office, clock   *canvas.Text
	statusBg        *canvas.Rectangle
	status          *canvas.Text
	ticket, counter *canvas.Text // the latest call
	counterBig      bool         // counter shows a call (else the "you will be called" line)
	prevTitle       *canvas.Text
	prev            []*canvas.Text
	waiting, wait   *canvas.Text
	hours           *canvas.Text
	footerBg        *canvas.Rectangle
}

func newWaitingView() *waitingView {
	mk := func(bold bool, align fyne.TextAlign) *canvas.Text {
		t := canvas.NewText("", colText)
		t.TextStyle = fyne.TextStyle{Bold: bold}
		t.Alignment = align
		return t
	}
	v := &waitingView{
		bg:        canvas.NewRectangle(colBackground),
		panel:     canvas.NewRectangle(colPanel),
		office:    mk(true, fyne.TextAlignLeading),
		clock:     mk(true, fyne.TextAlignTrailing),
		statusBg:  canvas.NewRectangle(colAmber),
		status:    mk(true, fyne.TextAlignCenter),
		ticket:    mk(true, fyne.TextAlignCenter),
		counter:   mk(true, fyne.TextAlignCenter),
		prevTitle: mk(false, fyne.TextAlignLeading),
		waiting:   mk(true, fyne.TextAlignLeading),
		wait:      mk(true, fyne.TextAlignCenter),
		hours:     mk(true, fyne.TextAlignTrailing),
		footerBg:  canvas.NewRectangle(colBanner),
	}
	v.ticket.Color = colTicket
	v.prevTitle.Color, v.office.Color = colDim, colDim
	objs := []fyne.CanvasObject{v.bg, v.panel, v.footerBg, v.statusBg, v.office, v.clock, v.status, v.ticket, v.counter, v.prevTitle}
	for range prevShown {
		t := mk(true, fyne.TextAlignLeading)
		v.prev = append(v.prev, t)
		objs = append(objs, t)
	}
	objs = append(objs, v.waiting, v.wait, v.hours)
	v.root = &fyne.Container{Layout: &waitingLayout{v: v}, Objects: objs}
	return v
}

// texts are the view's texts, to refresh.
func (v *waitingView) texts() []*canvas.Text {
	return append([]*canvas.Text{v.office, v.clock, v.status, v.ticket, v.counter, v.prevTitle, v.waiting, v.wait, v.hours}, v.prev...)
}

// Fractions of the screen's height: the header, the latest call's two
// lines (each at least a fifth of the height: readable from 6 m), the
// previous calls and the footer.
const (
	hHeader     = 0.08
	hTicketText = 0.25
	hCallText   = 0.20
	hPanelEnd   = 0.66
	hPrevText   = 0.055
	hFooter     = 0.10
)

// waitingLayout places the view's texts and sizes them by the height.
type waitingLayout struct{ v *waitingView }

// MinSize is small: the screen takes what the window gives.
func (l *waitingLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(320, 240) }

// Layout sizes every text by the height, shrinking a line only when it
// would not fit the width.
func (l *waitingLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	v := l.v
	W, H := size.Width, size.Height
	pad := W * 0.03
	place := func(o fyne.CanvasObject, x, y, w, h float32) {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(w, h))
	}
	// fit sets t's size to want, or less when its text is wider than width.
	fit := func(t *canvas.Text, want, width float32) float32 {
		t.TextSize = want
		if t.Text != "" {
			if w := fyne.MeasureText(t.Text, want, t.TextStyle).Width; w > width {
				t.TextSize = want * width / w
			}
		}
		return fyne.MeasureText("Ag", t.TextSize, t.TextStyle).Height
	}
	place(v.bg, 0, 0, W, H)
	// Header: the office, the status, the clock.
	hh := H * hHeader
	hs := fit(v.office, hh*0.45, W*0.4)
	place(v.office, pad, (hh-hs)/2, W*0.4, hs)
	cs := fit(v.clock, hh*0.55, W*0.2)
	place(v.clock, W-pad-W*0.2, (hh-cs)/2, W*0.2, cs)
	ss := fit(v.status, hh*0.4, W*0.46)
	place(v.statusBg, W*0.27, hh*0.12, W*0.46, hh*0.76)
	place(v.status, W*0.27, (hh-ss)/2, W*0.46, ss)
	// The latest call.
	panelTop, panelEnd := hh, H*hPanelEnd
	place(v.panel, 0, panelTop, W, panelEnd-panelTop)
	inner := W - 2*pad
	counterWant := H * hCallText
	if !v.counterBig {
		counterWant = H * 0.06
	}
	ts := fit(v.ticket, H*hTicketText, inner)
	ks := fit(v.counter, counterWant, inner)
	gap := (panelEnd - panelTop - ts - ks) / 3
	if v.ticket.Text == "" { // no call yet: the one line in the middle
		ts = 0
		gap = (panelEnd - panelTop - ks) / 3
	}
	place(v.ticket, pad, panelTop+gap, inner, ts)
	place(v.counter, pad, panelTop+2*gap+ts, inner, ks)
	// The previous calls, in columns.
	footTop := H * (1 - hFooter)
	ps := fit(v.prevTitle, H*0.035, inner)
	place(v.prevTitle, pad, panelEnd+H*0.02, inner, ps)
	rowTop := panelEnd + H*0.03 + ps
	col := inner / 3
	for i, t := range v.prev {
		r, c := i/3, i%3
		s := fit(t, H*hPrevText, col-pad/2)
		place(t, pad+float32(c)*col, rowTop+float32(r)*(H*hPrevText*1.5), col-pad/2, s)
	}
	// Footer: waiting, expected wait, hours.
	place(v.footerBg, 0, footTop, W, H-footTop)
	x := pad
	for i, t := range []*canvas.Text{v.waiting, v.wait, v.hours} {
		w := inner * []float32{0.3, 0.38, 0.32}[i]
		s := fit(t, H*0.038, w-pad/3)
		place(t, x, footTop+(H-footTop-s)/2, w-pad/3, s)
		x += w
	}
}
