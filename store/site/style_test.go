package site

import (
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ghiseu/ghiseu/assets"
)

// luminance is the relative luminance of an sRGB colour #rrggbb (WCAG 2).
func luminance(hex string) float64 {
	v, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	var l [3]float64
	for i, c := range []uint64{v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff} {
		s := float64(c) / 255
		if s <= 0.04045 {
			l[i] = s / 12.92
		} else {
			l[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func TestContrast(t *testing.T) {
	if c := contrast("#000000", "#ffffff"); math.Abs(c-21) > 0.01 {
		t.Fatalf("black on white: %.2f, want 21", c)
	}
	css, err := fs.ReadFile(assets.Site, "site/style.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{6});`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	// Every colour is a variable: no colour outside :root.
	rest := string(css)[strings.Index(string(css), "}")+1:]
	if m := regexp.MustCompile(`#[0-9a-fA-F]{3,8}\b|rgb|hsl`).FindString(rest); m != "" {
		t.Errorf("a colour outside the variables: %s", m)
	}
	for _, tc := range []struct {
		fg, bg string
		min    float64
	}{
		{"fg", "bg", 4.5}, {"muted", "bg", 4.5}, {"link", "bg", 4.5}, {"error", "bg", 4.5},
		{"btn-fg", "btn-bg", 4.5}, {"btn-fg", "danger-bg", 4.5}, {"error", "error-bg", 4.5},
		{"muted", "shut-bg", 4.5}, {"fg", "shut-bg", 4.5}, {"link", "shut-bg", 4.5},
		{"link", "open-bg", 4.5}, {"fg", "open-bg", 4.5}, {"fg", "prio-bg", 4.5}, {"muted", "prio-bg", 4.5},
		{"demo-fg", "demo-bg", 4.5},
		{"focus", "bg", 3}, {"focus", "open-bg", 3}, {"focus", "shut-bg", 3}, {"line", "bg", 3}, {"link", "bg", 3},
	} {
		a, b := vars[tc.fg], vars[tc.bg]
		if a == "" || b == "" {
			t.Errorf("--%s or --%s is not in style.css", tc.fg, tc.bg)
			continue
		}
		if c := contrast(a, b); c < tc.min {
			t.Errorf("--%s on --%s: %.2f:1, want %.1f:1", tc.fg, tc.bg, c, tc.min)
		}
	}
}
