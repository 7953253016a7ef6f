package decode

import (
	"image"

	"github.com/makiuchi-d/gozxing"
)

// MaxPixels is the largest still image All reads: 30 megapixels, above a
// 24-megapixel phone photo. A file's own size says little (a 780 KB PNG
// can claim 10000×10000 16-bit pixels, 800 MB decoded), so callers check
// the size a file declares (image.DecodeConfig) against it before
// decoding the file.
const MaxPixels = 30_000_000

// All reads every QR code it can find in a still image: gozxing's
// multi-code detector on the image as it is, inverted and with the global
// binarizer, and then Still, which tries every strategy for one code (a
// code the multi detector misses). Each text is given once, in the order
// found. An image of more than MaxPixels is not read: none is found.
func (d *Decoder) All(g *image.Gray) []Result {
	if b := g.Bounds(); b.Dx() <= 0 || b.Dy() <= 0 || b.Dx()*b.Dy() > MaxPixels {
		return nil
	}
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
