package decode

import (
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"

	"github.com/ghiseu/ghiseu/scanner/qr"
)

// warped draws src into a w×h image of background grey bg, each pixel
// taken from where at says in src.
func warped(src *image.Gray, w, h int, bg uint8, at func(x, y float64) (float64, float64)) *image.Gray {
	o := image.NewGray(image.Rect(0, 0, w, h))
	sw, sh := float64(src.Rect.Dx()), float64(src.Rect.Dy())
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sx, sy := at(float64(x)+0.5, float64(y)+0.5)
			v := bg
			if sx >= 0 && sy >= 0 && sx < sw && sy < sh {
				v = uint8(bilinear(src, sx, sy))
			}
			o.Pix[y*o.Stride+x] = v
		}
	}
	return o
}

// inPerspective shows src as the quadrilateral q (corners clockwise from
// the top left) in a w×h image.
func inPerspective(src *image.Gray, w, h int, q quad) *image.Gray {
	sw, sh := float64(src.Rect.Dx()), float64(src.Rect.Dy())
	back := common.PerspectiveTransform_QuadrilateralToQuadrilateral(
		q[0].x, q[0].y, q[1].x, q[1].y, q[2].x, q[2].y, q[3].x, q[3].y, 0, 0, sw, 0, sw, sh, 0, sh)
	return warped(src, w, h, 60, func(x, y float64) (float64, float64) {
		xs, ys := []float64{x}, []float64{y}
		back.TransformPointsXY(xs, ys)
		return xs[0], ys[0]
	})
}

var gridStrategy = Strategy{Name: "grid", prepare: same, grid: true}

// gozxingMisses fails the test if any of gozxing's own strategies reads g:
// then the test would not show what the grid adds.
func gozxingMisses(t *testing.T, g *image.Gray) {
	t.Helper()
	d := New()
	for _, s := range Strategies {
		if s.grid {
			continue
		}
		if r, ok := d.Try(g, s); ok {
			t.Fatalf("strategy %s already reads %q: the image does not test the grid", s.Name, r.Text)
		}
	}
}

func TestGridReadsWhatGozxingMisses(t *testing.T) {
	c := code(t, 6) // 45 modules and the quiet zone: 318 pixels
	tests := []struct {
		name string
		img  *image.Gray
	}{
		{"a page bent in waves", warped(c, 360, 360, 40, func(x, y float64) (float64, float64) {
			return x - 20 + 2.5*math.Sin(y/40), y - 20 + 2.5*math.Sin(x/48)
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gozxingMisses(t, tt.img)
			r, ok := New().Try(tt.img, gridStrategy)
			if !ok || r.Text != text {
				t.Fatalf("grid read %q, %v", r.Text, ok)
			}
		})
	}
}

func TestFitFindsThePerspective(t *testing.T) {
	v, _, err := qr.Version(text)
	if err != nil {
		t.Fatal(err)
	}
	dim := 17 + 4*v
	sw := float64((dim + 8) * 6) // the code and its 4-module quiet zone, 6 px a module
	img, err := qr.Encode(text, int(sw))
	if err != nil {
		t.Fatal(err)
	}
	c := image.NewGray(img.Bounds())
	draw.Draw(c, c.Rect, img, image.Point{}, draw.Src)
	truth := quad{{60, 60}, {380, 50}, {370, 385}, {55, 370}}
	shown := inPerspective(c, 440, 420, truth)
	toImage := common.PerspectiveTransform_QuadrilateralToQuadrilateral(0, 0, sw, 0, sw, sw, 0, sw,
		truth[0].x, truth[0].y, truth[1].x, truth[1].y, truth[2].x, truth[2].y, truth[3].x, truth[3].y)
	xs, ys := []float64{24, sw - 24, sw - 24, 24}, []float64{24, 24, sw - 24, sw - 24}
	toImage.TransformPointsXY(xs, ys)
	var want quad
	for i := range want {
		want[i] = point{xs[i], ys[i]}
	}
	module := want[0].dist(want[1]) / float64(dim)
	// Start where three corners alone put the fourth: a parallelogram.
	start := want
	start[2] = want[1].add(want[3]).sub(want[0])
	off := start[2].dist(want[2])
	if off < 2*module {
		t.Fatalf("the start is only %.1f modules off: no test", off/module)
	}
	f := newFitter(shown, newLocalMean(shown), dim)
	got, score := f.fit(start)
	// Three corners sit on finder patterns; the fourth has only the one
	// alignment pattern, and the grid's patch moves finish its work.
	tolerance := []float64{module / 2, module / 2, off / 2, module / 2}
	for i := range got {
		if d := got[i].dist(want[i]); d > tolerance[i] {
			t.Errorf("corner %d at %v, want %v (off by %.1f modules)", i, got[i], want[i], d/module)
		}
	}
	if score < minFit || score <= f.score(start, 8, f.fine) {
		t.Errorf("score %.2f: below %.2f or no better than the start's", score, minFit)
	}
}

func TestTransposed(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, size := range [][2]int{{1, 1}, {31, 33}, {64, 32}, {100, 7}, {1281, 721}} {
		b, _ := gozxing.NewBitMatrix(size[0], size[1])
		for y := 0; y < size[1]; y++ {
			for x := 0; x < size[0]; x++ {
				if rng.IntN(3) == 0 {
					b.Set(x, y)
				}
			}
		}
		tr := transposed(b)
		if tr.GetWidth() != size[1] || tr.GetHeight() != size[0] {
			t.Fatalf("%v: transposed is %d×%d", size, tr.GetWidth(), tr.GetHeight())
		}
		for y := 0; y < size[1]; y++ {
			for x := 0; x < size[0]; x++ {
				if b.Get(x, y) != tr.Get(y, x) {
					t.Fatalf("%v: (%d, %d) differs", size, x, y)
				}
			}
		}
	}
}
