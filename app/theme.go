package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/ghiseu/ghiseu/store/verdict"
)

// Text sizes of the verdict card, readable from two metres; the card
// scales them with its size (see cardTheme).
const (
	sizeVerdictTitle  fyne.ThemeSizeName = "ghiseu.verdict.title"
	sizeVerdictWho    fyne.ThemeSizeName = "ghiseu.verdict.who"
	sizeVerdictDetail fyne.ThemeSizeName = "ghiseu.verdict.detail"
	sizeVerdictHelp   fyne.ThemeSizeName = "ghiseu.verdict.help"
)

// cardColours paints a verdict card: background and text.
var cardColours = map[verdict.Colour][2]color.Color{
	verdict.Green: {color.NRGBA{0x14, 0x7a, 0x38, 0xff}, color.White},
	verdict.Amber: {color.NRGBA{0xf2, 0xb7, 0x05, 0xff}, color.NRGBA{0x1a, 0x1a, 0x1a, 0xff}},
	verdict.Red:   {color.NRGBA{0xc0, 0x23, 0x23, 0xff}, color.White},
	"":            {color.NRGBA{0x2f, 0x3e, 0x4a, 0xff}, color.White},
}

// ghiseuTheme is the app's theme: Fyne's default with text colours that
// read at 4.5:1 at least on what they are drawn on (Fyne's own light grey
// "disabled" text, used for low-importance labels, reads at 1.55:1 on its
// dark background), plus the verdict card's large text sizes; in high
// contrast, black and white with yellow accents and larger text, whatever
// the system's light or dark preference.
type ghiseuTheme struct {
	fyne.Theme
	contrast bool
}

func newTheme(contrast bool) fyne.Theme { return ghiseuTheme{theme.DefaultTheme(), contrast} }

// palette is the colours of a look that differ from Fyne's default: every
// colour text takes, and every colour text is drawn on.
type palette map[fyne.ThemeColorName]color.Color

func rgb(r, g, b uint8) color.Color      { return color.NRGBA{r, g, b, 0xff} }
func rgba(r, g, b, a uint8) color.Color  { return color.NRGBA{r, g, b, a} }
func greys(v uint8, a uint8) color.Color { return color.NRGBA{v, v, v, a} }

// lightColours is the normal theme on a system that prefers light.
var lightColours = palette{
	theme.ColorNameBackground:          rgb(0xff, 0xff, 0xff),
	theme.ColorNameForeground:          rgb(0x21, 0x21, 0x21),
	theme.ColorNameDisabled:            rgb(0x6b, 0x6b, 0x6b),
	theme.ColorNamePlaceHolder:         rgb(0x6b, 0x6b, 0x6b),
	theme.ColorNameButton:              rgb(0xee, 0xee, 0xee),
	theme.ColorNameDisabledButton:      rgb(0xf5, 0xf5, 0xf5),
	theme.ColorNameInputBackground:     rgb(0xf3, 0xf3, 0xf3),
	theme.ColorNameInputBorder:         rgb(0x8a, 0x8a, 0x8a),
	theme.ColorNameHeaderBackground:    rgb(0xf9, 0xf9, 0xf9),
	theme.ColorNameMenuBackground:      rgb(0xf5, 0xf5, 0xf5),
	theme.ColorNameOverlayBackground:   rgb(0xff, 0xff, 0xff),
	theme.ColorNamePrimary:             rgb(0x1a, 0x5f, 0xd0),
	theme.ColorNameHyperlink:           rgb(0x1a, 0x5f, 0xd0),
	theme.ColorNameForegroundOnPrimary: rgb(0xff, 0xff, 0xff),
	theme.ColorNameError:               rgb(0xc6, 0x28, 0x28),
	theme.ColorNameForegroundOnError:   rgb(0xff, 0xff, 0xff),
	theme.ColorNameWarning:             rgb(0x9a, 0x4f, 0x00),
	theme.ColorNameForegroundOnWarning: rgb(0xff, 0xff, 0xff),
	theme.ColorNameSuccess:             rgb(0x1b, 0x6e, 0x2b),
	theme.ColorNameForegroundOnSuccess: rgb(0xff, 0xff, 0xff),
	theme.ColorNameFocus:               rgba(0x1a, 0x5f, 0xd0, 0x40),
	theme.ColorNameHover:               greys(0x00, 0x14),
	theme.ColorNameSelection:           rgba(0x1a, 0x5f, 0xd0, 0x40),
}

// darkColours is the normal theme on a system that prefers dark (and under
// a bare X server, which says nothing).
var darkColours = palette{
	theme.ColorNameBackground:          rgb(0x17, 0x17, 0x18),
	theme.ColorNameForeground:          rgb(0xf3, 0xf3, 0xf3),
	theme.ColorNameDisabled:            rgb(0x9a, 0x9a, 0x9e),
	theme.ColorNamePlaceHolder:         rgb(0xb2, 0xb2, 0xb2),
	theme.ColorNameButton:              rgb(0x28, 0x29, 0x2e),
	theme.ColorNameDisabledButton:      rgb(0x22, 0x23, 0x27),
	theme.ColorNameInputBackground:     rgb(0x20, 0x20, 0x23),
	theme.ColorNameInputBorder:         rgb(0x6a, 0x6a, 0x70),
	theme.ColorNameHeaderBackground:    rgb(0x1b, 0x1b, 0x1b),
	theme.ColorNameMenuBackground:      rgb(0x28, 0x29, 0x2e),
	theme.ColorNameOverlayBackground:   rgb(0x18, 0x1d, 0x25),
	theme.ColorNamePrimary:             rgb(0x6c, 0xa6, 0xff),
	theme.ColorNameHyperlink:           rgb(0x6c, 0xa6, 0xff),
	theme.ColorNameForegroundOnPrimary: rgb(0x10, 0x10, 0x12),
	theme.ColorNameError:               rgb(0xff, 0x6b, 0x60),
	theme.ColorNameForegroundOnError:   rgb(0x10, 0x10, 0x12),
	theme.ColorNameWarning:             rgb(0xff, 0x98, 0x00),
	theme.ColorNameForegroundOnWarning: rgb(0x10, 0x10, 0x12),
	theme.ColorNameSuccess:             rgb(0x43, 0xf4, 0x36),
	theme.ColorNameForegroundOnSuccess: rgb(0x10, 0x10, 0x12),
	theme.ColorNameFocus:               rgba(0x6c, 0xa6, 0xff, 0x30),
	theme.ColorNameHover:               greys(0xff, 0x0f),
	theme.ColorNameSelection:           rgba(0x6c, 0xa6, 0xff, 0x30),
}

// contrastColours is high contrast: white on black, yellow accents with
// black text on them.
var contrastColours = palette{
	theme.ColorNameBackground:          color.Black,
	theme.ColorNameForeground:          color.White,
	theme.ColorNameDisabled:            rgb(0xb4, 0xb4, 0xb4),
	theme.ColorNamePlaceHolder:         rgb(0xd0, 0xd0, 0xd0),
	theme.ColorNameButton:              rgb(0x30, 0x30, 0x30),
	theme.ColorNameDisabledButton:      rgb(0x1c, 0x1c, 0x1c),
	theme.ColorNameInputBackground:     rgb(0x18, 0x18, 0x18),
	theme.ColorNameInputBorder:         color.White,
	theme.ColorNameHeaderBackground:    color.Black,
	theme.ColorNameMenuBackground:      rgb(0x18, 0x18, 0x18),
	theme.ColorNameOverlayBackground:   rgb(0x10, 0x10, 0x10),
	theme.ColorNamePrimary:             rgb(0xff, 0xd4, 0x00),
	theme.ColorNameHyperlink:           rgb(0xff, 0xd4, 0x00),
	theme.ColorNameForegroundOnPrimary: color.Black,
	theme.ColorNameError:               rgb(0xff, 0x70, 0x70),
	theme.ColorNameForegroundOnError:   color.Black,
	theme.ColorNameWarning:             rgb(0xff, 0xb0, 0x20),
	theme.ColorNameForegroundOnWarning: color.Black,
	theme.ColorNameSuccess:             rgb(0x5c, 0xff, 0x5c),
	theme.ColorNameForegroundOnSuccess: color.Black,
	theme.ColorNameSeparator:           color.White,
	// A focused button is drawn in a mix of its colour and this one, under
	// white text: a yellow that stays dark enough.
	theme.ColorNameFocus:     rgba(0xff, 0xd4, 0x00, 0x48),
	theme.ColorNameHover:     greys(0xff, 0x20),
	theme.ColorNameSelection: rgba(0xff, 0xd4, 0x00, 0x40),
}

// colours is the palette of the theme in variant v.
func (t ghiseuTheme) colours(v fyne.ThemeVariant) palette {
	switch {
	case t.contrast:
		return contrastColours
	case v == theme.VariantLight:
		return lightColours
	}
	return darkColours
}

func (t ghiseuTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := t.colours(v)[n]; ok {
		return c
	}
	if t.contrast {
		v = theme.VariantDark
	}
	return t.Theme.Color(n, v)
}

func (t ghiseuTheme) Size(n fyne.ThemeSizeName) float32 {
	if t.contrast && n == theme.SizeNameText {
		return 18
	}
	if s, ok := cardSizes[n]; ok {
		return s
	}
	return t.Theme.Size(n)
}

// cardSizes are the card's text sizes on a card of cardReference's size;
// the card scales them to its own. The card's plain text (its lines) is
// cardText. The title and the name are the card's main text, the rest its
// minor text: the minor text shrinks first when the whole does not fit.
var cardSizes = map[fyne.ThemeSizeName]float32{
	sizeVerdictTitle:  48,
	sizeVerdictWho:    38,
	sizeVerdictDetail: 26,
	sizeVerdictHelp:   18,
}

const cardText = 22

// cardMain are the sizes of the card's main text.
var cardMain = map[fyne.ThemeSizeName]bool{sizeVerdictTitle: true, sizeVerdictWho: true}

// cardScale is how much larger than cardSizes a card's text is: its main
// text (title, name) and its minor text (the rest).
type cardScale struct{ main, minor float32 }

// cardTheme is the theme inside a verdict card: the app's, with the card's
// text colour and the large sizes, scaled. The card changes it in place
// (see themed).
type cardTheme struct {
	fg    color.Color
	scale cardScale
}

// app is the app's theme, which the card's follows (high contrast or not).
func (t *cardTheme) app() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t *cardTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameForeground {
		return t.fg
	}
	return t.app().Color(n, v)
}

func (t *cardTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.app().Font(s) }
func (t *cardTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.app().Icon(n) }

func (t *cardTheme) Size(n fyne.ThemeSizeName) float32 {
	switch s, ok := cardSizes[n]; {
	case n == theme.SizeNameText:
		return cardText * t.scale.minor
	case ok && cardMain[n]:
		return s * t.scale.main
	case ok:
		return s * t.scale.minor
	case n == theme.SizeNameInnerPadding: // between the card's lines: less than Fyne's, for the text's room
		return 5
	}
	return t.app().Size(n)
}
