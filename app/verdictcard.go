package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store/verdict"
)

// verdictCard is the large coloured answer to a scan. Its text grows and
// shrinks with it (cardLayout): read from two metres on any screen, and
// never wider or taller than the room the window gives it. It is built once
// and lives as long as the counter: a verdict changes its texts, colours
// and sizes, never its objects.
type verdictCard struct {
	bg     *canvas.Rectangle
	ticket *widget.Label // the person's number, as large as the title
	title  *widget.Label
	who    *widget.Label
	lines  *widget.Label
	detail *widget.Label
	help   *widget.Label
	box    *fyne.Container   // the labels
	text   *fyne.Container   // the box, padded
	theme  *cardTheme        // the text's colour and sizes, changed in place
	themed *themed           // the text in the card's theme
	scroll *container.Scroll // the text, when it does not fit even at the smallest scale
	root   fyne.CanvasObject
}

// cardContent is what a card shows.
type cardContent struct {
	Colour verdict.Colour // "" for the idle card
	Ticket string         // the person's ticket, worded ("Nr. D-017"); "" for none
	Title  string
	Who    string
	Lines  string
	Detail string
	Help   string // the clerk's checklist
}

// The card's text is at cardSizes on a card of cardReference, scaled with
// the card's width or height, whichever is smaller in proportion, between
// minCardScale and maxCardScale; it shrinks further, down to
// minCardScale, while the text does not fit. At 1366×768 the card is
// about this size.
var cardReference = fyne.NewSize(700, 430)

const (
	minCardScale = 0.6
	maxCardScale = 2.2
)

// cardMinSize is what the card asks of the window, whatever it shows: the
// text adapts to what it gets.
var cardMinSize = fyne.NewSize(320, 240)

func newVerdictCard() *verdictCard {
	c := &verdictCard{
		bg:     canvas.NewRectangle(nil),
		ticket: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis, SizeName: sizeVerdictTitle},
		title:  &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, SizeName: sizeVerdictTitle},
		who:    &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, SizeName: sizeVerdictWho},
		lines:  &widget.Label{Wrapping: fyne.TextWrapWord},
		detail: &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: sizeVerdictDetail},
		help:   &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: sizeVerdictHelp},
		theme:  &cardTheme{fg: cardColours[""][1], scale: cardScale{1, 1}},
	}
	c.bg.CornerRadius = 12
	c.ticket.Hide()
	c.box = container.NewVBox(c.ticket, c.title, c.who, c.lines, c.detail, c.help)
	c.text = container.NewPadded(c.box)
	c.themed = newThemed(c.text, c.theme)
	c.scroll = container.NewVScroll(c.themed)
	c.root = container.New(&cardLayout{c}, c.bg, c.scroll)
	return c
}

// Show paints the card.
func (c *verdictCard) Show(content cardContent) {
	cols := cardColours[content.Colour]
	c.bg.FillColor = cols[0]
	c.theme.fg = cols[1]
	c.ticket.Text, c.ticket.Hidden = content.Ticket, content.Ticket == ""
	c.title.Text = content.Title
	c.who.Text, c.who.Hidden = content.Who, content.Who == ""
	c.lines.Text, c.lines.Hidden = content.Lines, content.Lines == ""
	c.detail.Text = content.Detail
	c.help.Text, c.help.Hidden = content.Help, content.Help == ""
	c.bg.Refresh()
	c.themed.Refresh() // the labels, once, in the card's new colour
	c.scroll.ScrollToTop()
	if s := c.root.Size(); !s.IsZero() {
		c.fit(s) // another text may need a smaller scale
	}
}

// setScale sizes the card's text at s times cardSizes.
func (c *verdictCard) setScale(s cardScale) {
	if s == c.theme.scale {
		return
	}
	c.theme.scale = s
	c.themed.Refresh()
}

// fit picks the largest scale for a card of this size at which the text
// fits, and lays the card out: the minor text shrinks first, down to
// minMinor of the main text's scale, then both.
func (c *verdictCard) fit(size fyne.Size) {
	const step, minMinor = 0.05, 0.7
	s := min(size.Width/cardReference.Width, size.Height/cardReference.Height)
	s = max(minCardScale, min(maxCardScale, s))
	s = float32(int(s/step)) * step // in steps: a pixel's change of size does not reflow the text
	scale := cardScale{s, s}
	for {
		c.setScale(scale)
		c.layoutText(size)
		if c.text.MinSize().Height <= size.Height {
			break
		}
		switch {
		case scale.minor-step >= scale.main*minMinor && scale.minor-step >= minCardScale:
			scale.minor -= step
		case scale.main-step >= minCardScale:
			scale.main -= step
			scale.minor = min(scale.minor, scale.main)
		default: // the smallest scale: the rest of the text scrolls
			c.layoutText(fyne.NewSize(size.Width, c.text.MinSize().Height))
			c.scroll.Resize(size)
			c.bg.Resize(size)
			return
		}
	}
	c.scroll.Resize(size)
	c.bg.Resize(size)
}

// layoutText lays the text out at size, now: a Resize to an unchanged
// size does nothing, and a wrapped label knows its height only once laid
// out at its width, so the box is laid out twice, the second time with
// the labels' heights at their width.
func (c *verdictCard) layoutText(size fyne.Size) {
	c.themed.Resize(size)
	c.text.Resize(size)
	c.text.Layout.Layout(c.text.Objects, size)
	for range 2 {
		c.box.Layout.Layout(c.box.Objects, c.box.Size())
	}
}

// cardLayout lays out a verdict card: its background, and its text at the
// scale that fits.
type cardLayout struct{ c *verdictCard }

func (l *cardLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) { l.c.fit(size) }

func (l *cardLayout) MinSize([]fyne.CanvasObject) fyne.Size { return cardMinSize }

// themed shows its content in a theme of its own, like Fyne's
// ThemeOverride, which it holds, but never refreshes that as a whole: Fyne
// 2.7 gives a ThemeOverride a new cache scope at each Refresh, and each new
// scope loads and parses the fonts again and keeps them for the life of the
// program (about 10 MB and tens of milliseconds a refresh: a counter grew
// by gigabytes in a shift). Its theme is a pointer the owner changes in
// place; a refresh repaints the content in it.
type themed struct {
	widget.BaseWidget
	override *container.ThemeOverride
	content  fyne.CanvasObject
}

func newThemed(content fyne.CanvasObject, th fyne.Theme) *themed {
	t := &themed{override: container.NewThemeOverride(content, th), content: content}
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer lays out the held ThemeOverride and refreshes only its
// content.
func (t *themed) CreateRenderer() fyne.WidgetRenderer { return themedRenderer{t} }

type themedRenderer struct{ t *themed }

func (r themedRenderer) Layout(s fyne.Size)           { r.t.override.Resize(s) }
func (r themedRenderer) MinSize() fyne.Size           { return r.t.override.MinSize() }
func (r themedRenderer) Refresh()                     { r.t.content.Refresh() }
func (r themedRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.t.override} }
func (r themedRenderer) Destroy()                     {}

// ticketLine words a verdict's ticket for the card's top line ("" for
// none).
func (c *Counter) ticketLine(v verdict.Verdict) string {
	if v.Ticket == "" {
		return ""
	}
	return c.t("ui.ticket", map[string]string{"ticket": v.Ticket})
}
