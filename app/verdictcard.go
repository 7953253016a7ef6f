package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store/verdict"
)

// verdictCard is the large coloured answer to a scan.
type verdictCard struct {
	bg       *canvas.Rectangle
	title    *widget.Label
	who      *widget.Label
	lines    *widget.Label
	detail   *widget.Label
	help     *widget.Label
	override *container.ThemeOverride
	root     fyne.CanvasObject
}

// cardContent is what a card shows.
type cardContent struct {
	Colour verdict.Colour // "" for the idle card
	Title  string
	Who    string
	Lines  string
	Detail string
	Help   string // the clerk's checklist
}

func newVerdictCard() *verdictCard {
	c := &verdictCard{
		bg:     canvas.NewRectangle(nil),
		title:  &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, SizeName: sizeVerdictTitle},
		who:    &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, SizeName: sizeVerdictWho},
		lines:  &widget.Label{Wrapping: fyne.TextWrapWord},
		detail: &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: sizeVerdictDetail},
		help:   &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: sizeVerdictHelp},
	}
	c.bg.CornerRadius = 12
	c.override = container.NewThemeOverride(
		container.NewPadded(container.NewVBox(c.title, c.who, c.lines, c.detail, c.help)), cardThemeFor(""))
	c.root = container.NewStack(c.bg, c.override)
	return c
}

// Show paints the card.
func (c *verdictCard) Show(content cardContent) {
	cols := cardColours[content.Colour]
	c.bg.FillColor = cols[0]
	c.override.Theme = cardThemeFor(content.Colour)
	c.title.SetText(content.Title)
	c.who.SetText(content.Who)
	c.who.Hidden = content.Who == ""
	c.lines.SetText(content.Lines)
	c.lines.Hidden = content.Lines == ""
	c.detail.SetText(content.Detail)
	c.help.SetText(content.Help)
	c.help.Hidden = content.Help == ""
	c.bg.Refresh()
	c.override.Refresh()
}
