package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/ghiseu/ghiseu/store/verdict"
)

// Text sizes of the verdict card, readable from two metres.
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

// ghiseuTheme is the app's theme: Fyne's default, plus the verdict card's
// large text sizes; in high contrast, black and white with yellow accents
// and larger text.
type ghiseuTheme struct {
	fyne.Theme
	contrast bool
}

func newTheme(contrast bool) fyne.Theme { return ghiseuTheme{theme.DefaultTheme(), contrast} }

var contrastColours = map[fyne.ThemeColorName]color.Color{
	theme.ColorNameBackground:      color.Black,
	theme.ColorNameForeground:      color.White,
	theme.ColorNamePrimary:         color.NRGBA{0xff, 0xd4, 0x00, 0xff},
	theme.ColorNameButton:          color.NRGBA{0x30, 0x30, 0x30, 0xff},
	theme.ColorNameInputBackground: color.NRGBA{0x18, 0x18, 0x18, 0xff},
	theme.ColorNameInputBorder:     color.White,
	theme.ColorNamePlaceHolder:     color.NRGBA{0xd0, 0xd0, 0xd0, 0xff},
	theme.ColorNameSeparator:       color.White,
	theme.ColorNameFocus:           color.NRGBA{0xff, 0xd4, 0x00, 0xff},
}

func (t ghiseuTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := contrastColours[n]; ok && t.contrast {
		return c
	}
	return t.Theme.Color(n, v)
}

func (t ghiseuTheme) Size(n fyne.ThemeSizeName) float32 {
	if t.contrast && n == theme.SizeNameText {
		return 18
	}
	switch n {
	case sizeVerdictTitle:
		return 40
	case sizeVerdictWho:
		return 32
	case sizeVerdictDetail:
		return 24
	case sizeVerdictHelp:
		return 16
	}
	return t.Theme.Size(n)
}

func cardThemeFor(c verdict.Colour) cardTheme {
	return cardTheme{Theme: fyne.CurrentApp().Settings().Theme(), fg: cardColours[c][1]}
}

// cardTheme is the theme inside a verdict card: the card's text colour and
// the large sizes.
type cardTheme struct {
	fyne.Theme
	fg color.Color
}

func (t cardTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameForeground {
		return t.fg
	}
	return t.Theme.Color(n, v)
}

func (t cardTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return 20
	}
	return t.Theme.Size(n)
}
