package decode

import (
	"image"

	"github.com/makiuchi-d/gozxing"
)

// All reads every QR code it can find in a still image: gozxing's
// multi-code detector on the image as it is, inverted and with the global
// binarizer, and then Still, which tries every strategy for one code (a
// code the multi detector misses). Each text is given once, in the order
// found.
func (d *Decoder) All(g *image.Gray) []Result {
	var found []Result
	seen := map[string]bool{}
	add := func(r Result) {
		if !seen[r.Text] {
			seen[r.Text] = true
			found = append(found, r)
		}
	}
	for _, s := range []struct {
		name           string
		invert, global bool
	}{{"multi", false, false}, {"multi-invert", true, false}, {"multi-global", false, true}} {
		src, _ := source(g, false)
		if s.invert {
			src = src.Invert()
		}
		var bin gozxing.Binarizer = gozxing.NewHybridBinarizer(src)
		if s.global {
			bin = gozxing.NewGlobalHistgramBinarizer(src)
		}
		bmp, err := gozxing.NewBinaryBitmap(bin)
		if err != nil {
			continue
		}
		rs, err := d.multi.DecodeMultiple(bmp, d.hints)
		if err != nil {
			continue
		}
		for _, res := range rs {
			r := Result{Text: res.GetText(), Strategy: s.name}
			for _, p := range res.GetResultPoints() {
				r.Points = append(r.Points, image.Pt(int(p.GetX()), int(p.GetY())))
			}
			add(r)
		}
	}
	if r, ok := d.Still(g); ok {
		add(r)
	}
	return found
}
