package decode

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/f64"

	"github.com/ghiseu/ghiseu/scanner/qr"
)

const text = "GH151H111112UD927F185A8JHL157M9KAE9IBLSHJJ96C5JM32EKRSJGBR88NU5JBGVC6VX2F7XXFJQ44IR4U3X3UAPE5LWW7SLRX9HDNEG3NLLVKTEJX6GC8XMW2VXI8GCPPKFSQV8UTGLB9B6HUL14Q"

// code draws the test code at about module pixels per module, with its
// quiet zone, as a grey image.
func code(t testing.TB, module int) *image.Gray {
	img, err := qr.Encode(text, 45*module) // version 6: 41 modules and the quiet zone, in whole pixels a module
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}

// frame puts src into a 1280×720 frame of background grey bg, at (x, y),
// transformed by m (in src's coordinates) when m is not nil.
func frame(src *image.Gray, x, y int, bg uint8, m *f64.Aff3) *image.Gray {
	f := image.NewGray(image.Rect(0, 0, 1280, 720))
	draw.Draw(f, f.Rect, image.NewUniform(color.Gray{Y: bg}), image.Point{}, draw.Src)
	if m == nil {
		draw.Draw(f, src.Rect.Add(image.Pt(x, y)), src, image.Point{}, draw.Src)
		return f
	}
	t := *m
	t[2] += float64(x)
	t[5] += float64(y)
	xdraw.BiLinear.Transform(f, t, src, src.Rect, draw.Over, nil)
	return f
}

func rotation(deg float64, w int) *f64.Aff3 {
	r := deg * math.Pi / 180
	c, s := math.Cos(r), math.Sin(r)
	h := float64(w) / 2
	return &f64.Aff3{c, -s, h - c*h + s*h, s, c, h - s*h - c*h}
}

func each(g *image.Gray, fn func(v uint8, i int) uint8) *image.Gray {
	o := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		o.Pix[i] = fn(v, i)
	}
	return o
}

func blur(g *image.Gray, r int) *image.Gray {
	o := image.NewGray(g.Rect)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum, n := 0, 0
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					if xx, yy := x+dx, y+dy; xx >= 0 && yy >= 0 && xx < w && yy < h {
						sum += int(g.Pix[yy*g.Stride+xx])
						n++
					}
				}
			}
			o.Pix[y*o.Stride+x] = uint8(sum / n)
		}
	}
	return o
}

func mirrored(g *image.Gray) *image.Gray {
	w := g.Rect.Dx()
	return each(g, func(_ uint8, i int) uint8 { y, x := i/g.Stride, i%g.Stride; return g.Pix[y*g.Stride+w-1-x] })
}

// crop cuts most of the quiet zone away: a code shown almost edge to edge
// (code draws the quiet zone a little wider than four modules).
func crop(g *image.Gray, module int) *image.Gray {
	q := 4 * module
	b := image.Rect(q, q, g.Rect.Dx()-q, g.Rect.Dy()-q)
	o := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(o, o.Rect, g, b.Min, draw.Src)
	return o
}

func TestSyntheticFrames(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	c6 := code(t, 6)
	tests := []struct {
		name  string
		frame *image.Gray
	}{
		{"upright", frame(c6, 400, 100, 200, nil)},
		{"rotated 30°", frame(c6, 400, 100, 200, rotation(30, c6.Rect.Dx()))},
		{"rotated 135°", frame(c6, 400, 100, 200, rotation(135, c6.Rect.Dx()))},
		{"perspective-like shear", frame(c6, 300, 80, 200, &f64.Aff3{1, 0.25, 0, 0.1, 0.9, 0})},
		{"blurred", blur(frame(c6, 400, 100, 200, nil), 2)},
		{"noisy", each(frame(c6, 400, 100, 200, nil), func(v uint8, _ int) uint8 {
			return uint8(max(0, min(255, int(v)+rng.IntN(81)-40)))
		})},
		{"inverted (dark mode)", each(frame(c6, 400, 100, 200, nil), func(v uint8, _ int) uint8 { return 255 - v })},
		{"low contrast", each(frame(c6, 400, 100, 200, nil), func(v uint8, _ int) uint8 { return 110 + v/5 })},
		{"small: 2 px a module", frame(code(t, 2), 600, 300, 190, nil)},
		{"mirrored (a selfie camera)", mirrored(frame(c6, 400, 100, 200, nil))},
		{"thin quiet zone, dark background", frame(crop(c6, 6), 400, 100, 40, nil)},
	}
	d := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := append([]byte(nil), tt.frame.Pix...)
			r, ok := d.Still(tt.frame)
			if !ok || r.Text != text {
				t.Fatalf("read %q, %v", r.Text, ok)
			}
			if string(before) != string(tt.frame.Pix) {
				t.Fatal("decoding changed the frame")
			}
			for _, p := range r.Points {
				if !p.In(tt.frame.Rect) {
					t.Fatalf("point %v outside the frame (strategy %s)", p, r.Strategy)
				}
			}
		})
	}
}

func TestEmptyFrame(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	empty := each(image.NewGray(image.Rect(0, 0, 1280, 720)), func(_ uint8, _ int) uint8 { return uint8(100 + rng.IntN(50)) })
	d := New()
	for i := 0; i < len(Strategies); i++ {
		if r, ok := d.Frame(empty); ok {
			t.Fatalf("read %q from noise", r.Text)
		}
	}
}

// inverted is the test code, light on dark (dark mode), at (x, y) of a
// frame of the given size: the plain strategy misses it.
func inverted(t *testing.T, size image.Point, x, y int) *image.Gray {
	f := image.NewGray(image.Rect(0, 0, size.X, size.Y))
	draw.Draw(f, f.Rect, image.NewUniform(color.Gray{Y: 200}), image.Point{}, draw.Src)
	c := code(t, 6)
	draw.Draw(f, c.Rect.Add(image.Pt(x, y)), c, image.Point{}, draw.Src)
	return each(f, func(v uint8, _ int) uint8 { return 255 - v })
}

func TestFrameSpreadsStrategies(t *testing.T) {
	// An inverted code is missed by the plain strategy and read once the
	// rotation of extra strategies reaches "invert"; a 1080p frame is
	// retried scaled down, and its points mapped back to the frame.
	for _, tt := range []struct {
		name string
		size image.Point
		at   image.Point
	}{
		{"720p", image.Pt(1280, 720), image.Pt(400, 100)},
		{"1080p", image.Pt(1920, 1080), image.Pt(1300, 700)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := inverted(t, tt.size, tt.at.X, tt.at.Y)
			where := image.Rect(tt.at.X, tt.at.Y, tt.at.X+45*6, tt.at.Y+45*6)
			d := New()
			d.Now = stopped // the budget out of the way: a slow machine (-race) must not skip the retries
			for i := 0; i < len(Strategies); i++ {
				r, ok := d.Frame(f)
				if !ok {
					continue
				}
				if r.Text != text || r.Strategy == "plain" {
					t.Fatalf("read %q by %s", r.Text, r.Strategy)
				}
				for _, p := range r.Points {
					if !p.In(where) {
						t.Fatalf("point %v outside the code at %v (strategy %s)", p, where, r.Strategy)
					}
				}
				return
			}
			t.Fatal("no frame read the inverted code")
		})
	}
}

// stopped is a clock that never moves: a frame's budget is never spent.
func stopped() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

// TestFrameBudget gives the decoder a clock that moves 20 ms each time it
// is read: the plain strategy takes more than half a frame's budget, and no
// retry starts, so the inverted code is never read.
func TestFrameBudget(t *testing.T) {
	f := inverted(t, image.Pt(1280, 720), 400, 100)
	at := stopped()
	d := New()
	d.Now = func() time.Time { at = at.Add(20 * time.Millisecond); return at }
	for i := 0; i < len(Strategies); i++ {
		if r, ok := d.Frame(f); ok {
			t.Fatalf("read by %s with the budget spent", r.Strategy)
		}
	}
	if d.next != 0 {
		t.Fatalf("%d retries taken with the budget spent", d.next)
	}
}

func BenchmarkFrame720p(b *testing.B) {
	for _, tc := range []struct {
		name string
		f    *image.Gray
	}{
		{"with code", frame(code(b, 6), 400, 100, 200, nil)},
		{"without code", frame(image.NewGray(image.Rect(0, 0, 1, 1)), 0, 0, 150, nil)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			d := New()
			for b.Loop() {
				d.Frame(tc.f)
			}
		})
	}
}

func BenchmarkStrategies720p(b *testing.B) {
	f := frame(image.NewGray(image.Rect(0, 0, 1, 1)), 0, 0, 150, nil)
	for _, s := range Strategies {
		b.Run(s.Name, func(b *testing.B) {
			d := New()
			for b.Loop() {
				d.Try(f, s)
			}
		})
	}
}
