package app

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// luminance is a colour's relative luminance (WCAG 2).
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

// contrastRatio is WCAG 2's contrast ratio of two opaque colours.
func contrastRatio(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// over is the colour of over drawn on the opaque under.
func over(under, over color.Color) color.Color {
	u, o := color.NRGBAModel.Convert(under).(color.NRGBA), color.NRGBAModel.Convert(over).(color.NRGBA)
	a := float64(o.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(y)*a + float64(x)*(1-a))) }
	return color.NRGBA{mix(u.R, o.R), mix(u.G, o.G), mix(u.B, o.B), 0xff}
}

// textPair is a text colour and what it is drawn on, named as in Fyne's
// widgets: the surface a blend is laid over, then the blend.
type textPair struct {
	what        string
	text, under fyne.ThemeColorName
	blend       fyne.ThemeColorName // "" for none
}

// textPairs are every text the app's windows draw with a theme colour.
var textPairs = []textPair{
	{"label", theme.ColorNameForeground, theme.ColorNameBackground, ""},
	{"label in a dialog", theme.ColorNameForeground, theme.ColorNameOverlayBackground, ""},
	{"select's menu", theme.ColorNameForeground, theme.ColorNameMenuBackground, ""},
	{"select's menu, hovered", theme.ColorNameForeground, theme.ColorNameMenuBackground, theme.ColorNameHover},
	{"list header", theme.ColorNameForeground, theme.ColorNameHeaderBackground, ""},
	{"list row, hovered", theme.ColorNameForeground, theme.ColorNameBackground, theme.ColorNameHover},
	{"list row, selected", theme.ColorNameForeground, theme.ColorNameBackground, theme.ColorNameSelection},
	{"typed text", theme.ColorNameForeground, theme.ColorNameInputBackground, ""},
	{"placeholder", theme.ColorNamePlaceHolder, theme.ColorNameInputBackground, ""},
	{"select's text", theme.ColorNameForeground, theme.ColorNameInputBackground, ""},
	{"select, hovered", theme.ColorNameForeground, theme.ColorNameInputBackground, theme.ColorNameHover},
	{"select, focused", theme.ColorNameForeground, theme.ColorNameInputBackground, theme.ColorNameFocus},
	{"low-importance label (the hub's state, camera notes, served)", theme.ColorNameDisabled, theme.ColorNameBackground, ""},
	{"disabled text in a field", theme.ColorNameDisabled, theme.ColorNameInputBackground, ""},
	{"disabled button", theme.ColorNameDisabled, theme.ColorNameDisabledButton, ""},
	{"high-importance label (collected, called)", theme.ColorNamePrimary, theme.ColorNameBackground, ""},
	{"hyperlink", theme.ColorNameHyperlink, theme.ColorNameBackground, ""},
	{"danger label (cancelled, offline)", theme.ColorNameError, theme.ColorNameBackground, ""},
	{"warning label (no-show)", theme.ColorNameWarning, theme.ColorNameBackground, ""},
	{"success label (arrived, online)", theme.ColorNameSuccess, theme.ColorNameBackground, ""},
	{"danger label in a dialog", theme.ColorNameError, theme.ColorNameOverlayBackground, ""},
	{"button", theme.ColorNameForeground, theme.ColorNameButton, ""},
	{"button, hovered", theme.ColorNameForeground, theme.ColorNameButton, theme.ColorNameHover},
	{"button, focused", theme.ColorNameForeground, theme.ColorNameButton, theme.ColorNameFocus},
	{"primary button", theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary, ""},
	{"primary button, hovered", theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary, theme.ColorNameHover},
	{"primary button, focused", theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary, theme.ColorNameFocus},
	{"warning button", theme.ColorNameForegroundOnWarning, theme.ColorNameWarning, ""},
	{"warning button, focused", theme.ColorNameForegroundOnWarning, theme.ColorNameWarning, theme.ColorNameFocus},
	{"danger button", theme.ColorNameForegroundOnError, theme.ColorNameError, ""},
	{"success button", theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess, ""},
}

// minContrast is WCAG 2's AA contrast for text.
const minContrast = 4.5

// TestTextContrast: every text the app draws reads at 4.5:1 at least on
// what it is drawn on, in the normal theme (light and dark, as the system
// prefers) and in high contrast, and on each verdict card. It logs the
// lowest contrast.
func TestTextContrast(t *testing.T) {
	looks := []struct {
		name     string
		contrast bool
		variant  fyne.ThemeVariant
	}{
		{"normal, light", false, theme.VariantLight},
		{"normal, dark", false, theme.VariantDark},
		{"high contrast on a light system", true, theme.VariantLight},
		{"high contrast on a dark system", true, theme.VariantDark},
	}
	lowest, where := math.Inf(1), ""
	check := func(what string, fg, bg color.Color) {
		r := contrastRatio(fg, bg)
		if r < lowest {
			lowest, where = r, what
		}
		if r < minContrast {
			t.Errorf("%s: %v on %v reads at %.2f:1, under %.1f:1", what, fg, bg, r, minContrast)
		}
	}
	for _, l := range looks {
		th := newTheme(l.contrast)
		col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, l.variant) }
		for _, p := range textPairs {
			bg := over(col(theme.ColorNameBackground), col(p.under)) // a see-through surface lies on the window
			if p.blend != "" {
				bg = over(bg, col(p.blend))
			}
			check(fmt.Sprintf("%s: %s", l.name, p.what), col(p.text), bg)
		}
		// The supervisor's tiles and lines draw the theme's text on the
		// window, or the card's colours.
		for c, cols := range cardColours {
			check(fmt.Sprintf("%s: verdict card %q", l.name, c), cols[1], cols[0])
		}
	}
	t.Logf("lowest contrast: %.2f:1 (%s)", lowest, where)
}

// TestContrastRatio checks the formula on known pairs.
func TestContrastRatio(t *testing.T) {
	for _, c := range []struct {
		a, b color.Color
		want float64
	}{
		{color.Black, color.White, 21},
		{color.White, color.White, 1},
		{color.NRGBA{0x76, 0x76, 0x76, 0xff}, color.White, 4.54},
		{color.NRGBA{0x39, 0x39, 0x3a, 0xff}, color.NRGBA{0x17, 0x17, 0x18, 0xff}, 1.55}, // Fyne's dark "disabled"
	} {
		if got := contrastRatio(c.a, c.b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("contrast of %v and %v = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
	if got := over(color.White, color.NRGBA{0, 0, 0, 0x80}); got != (color.NRGBA{0x7f, 0x7f, 0x7f, 0xff}) {
		t.Errorf("black at half over white = %v", got)
	}
}
