package decode

import (
	"image"
	"image/color"
	"image/draw"
	"slices"
	"testing"

	"github.com/ghiseu/ghiseu/scanner/qr"
)

// TestAll: every code of a still image is read once; an image with none
// gives none.
func TestAll(t *testing.T) {
	sheet := func(texts ...string) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, 400*len(texts)+40, 480))
		draw.Draw(g, g.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		for i, text := range texts {
			img, err := qr.Encode(text, 360)
			if err != nil {
				t.Fatal(err)
			}
			r := img.Bounds().Add(image.Pt(20+400*i, 40+30*i))
			draw.Draw(g, r, img, img.Bounds().Min, draw.Src)
		}
		return g
	}
	for _, tt := range []struct {
		name  string
		img   *image.Gray
		texts []string
	}{
		{"one", sheet("GHISEU-ONE"), []string{"GHISEU-ONE"}},
		{"two", sheet("first code", "second code"), []string{"first code", "second code"}},
		{"three", sheet("a1", "b2", "c3"), []string{"a1", "b2", "c3"}},
		{"none", sheet(), nil},
	} {
		var got []string
		for _, r := range New().All(tt.img) {
			got = append(got, r.Text)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.texts) {
			t.Errorf("%s: read %q, want %q", tt.name, got, tt.texts)
		}
	}
}

// TestAllRefusesHugeImages: an image of more than MaxPixels is not read
// (its pixels are not even touched: this one has none), one of a 24 MP
// phone photo's size is.
func TestAllRefusesHugeImages(t *testing.T) {
	if MaxPixels < 6000*4000 || MaxPixels > 30_000_000 {
		t.Fatalf("MaxPixels %d: a 24 MP photo must be read, and no more than 30 MP", MaxPixels)
	}
	huge := &image.Gray{Rect: image.Rect(0, 0, 10000, 10000), Stride: 10000} // no Pix: reading it would panic
	if got := New().All(huge); got != nil {
		t.Errorf("a 100 MP image gave %v", got)
	}
	just := &image.Gray{Rect: image.Rect(0, 0, MaxPixels/1000+1, 1000), Stride: MaxPixels/1000 + 1}
	if got := New().All(just); got != nil {
		t.Errorf("an image just above MaxPixels gave %v", got)
	}
}
