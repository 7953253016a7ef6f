// Package decode reads QR codes from grey images with gozxing, retrying
// what gozxing alone misses: mirrored images, codes with no quiet zone,
// inverted (light on dark) codes, codes too small or too large for its
// detector, uneven lighting; and, last, our own sampling of the modules
// (grid.go) for bent pages and strong perspective. A still image gets every
// strategy in turn; a camera gets one extra strategy per frame, on a frame
// no larger than 720p and within a time budget, so that no frame takes
// longer than a 30 fps camera's frame (see Decoder.Frame).
package decode

import (
	"image"
	"image/draw"
	"math"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/multi"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	xdraw "golang.org/x/image/draw"
)

// Result is a code read from an image.
type Result struct {
	Text string
	// Points are where the finder patterns (and the alignment pattern, if
	// found) are, in the coordinates of the image given: for an outline.
	Points []image.Point
	// Strategy names the strategy that read it.
	Strategy string
}

// Strategy is one way of looking at an image.
type Strategy struct {
	Name string
	// prepare makes the image to decode and maps its points back.
	prepare func(g *image.Gray) (*image.Gray, func(x, y float64) image.Point)
	invert  bool // decode the inverse of the prepared image
	mirror  bool // decode it mirrored
	global  bool // GlobalHistogramBinarizer instead of HybridBinarizer
	multi   bool // the multi-code detector, which looks for finder patterns differently
	grid    bool // our own sampling (grid.go) instead of gozxing's detector
	// whole: the strategy costs about the plain read or less (it halves
	// the image itself, or decodes it as it is), so that a large camera
	// frame is given to it whole rather than scaled down to 720p.
	whole bool
}

func same(g *image.Gray) (*image.Gray, func(x, y float64) image.Point) {
	return g, func(x, y float64) image.Point { return image.Pt(int(x), int(y)) }
}

// Strategies are tried in this order: the first is the plain one, the rest
// are ordered by how many more photos of the zxing-cpp test corpus each
// reads that the ones before it miss.
var Strategies = []Strategy{
	{Name: "plain", prepare: same},
	{Name: "mirror", prepare: same, mirror: true, whole: true},
	{Name: "pad-global", prepare: padded(1.0 / 8), global: true},
	{Name: "invert", prepare: same, invert: true, whole: true},
	{Name: "double", prepare: scaled(2)},
	{Name: "half", prepare: scaled(0.5), whole: true},
	{Name: "global", prepare: same, global: true, whole: true},
	{Name: "half-global", prepare: scaled(0.5), global: true, whole: true},
	{Name: "invert-pad", prepare: padded(1.0 / 8), invert: true},
	{Name: "sharpen", prepare: sharpened},
	{Name: "x1.5", prepare: scaled(1.5)},
	{Name: "invert-x2-pad", prepare: then(scaled(2), padded(1.0/8)), invert: true},
	{Name: "multi", prepare: same, multi: true},
	{Name: "multi-x2", prepare: scaled(2), multi: true},
	{Name: "grid", prepare: same, grid: true},
	{Name: "grid-pad", prepare: padded(1.0 / 8), grid: true},
	{Name: "grid-x2", prepare: scaled(2), grid: true},
	{Name: "grid-half", prepare: scaled(0.5), grid: true, whole: true},
}

// then chains two preparations, mapping points back through both.
func then(a, b func(*image.Gray) (*image.Gray, func(x, y float64) image.Point)) func(*image.Gray) (*image.Gray, func(x, y float64) image.Point) {
	return func(g *image.Gray) (*image.Gray, func(x, y float64) image.Point) {
		ga, backA := a(g)
		if backA == nil {
			return g, nil
		}
		gb, backB := b(ga)
		if backB == nil {
			return g, nil
		}
		return gb, func(x, y float64) image.Point {
			p := backB(x, y)
			return backA(float64(p.X), float64(p.Y))
		}
	}
}

// sharpened steepens edges (a 3×3 Laplacian): blurred photos.
func sharpened(g *image.Gray) (*image.Gray, func(x, y float64) image.Point) {
	o := image.NewGray(g.Rect)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	copy(o.Pix, g.Pix)
	for y := 1; y < h-1; y++ {
		row, up, down := g.Pix[y*g.Stride:], g.Pix[(y-1)*g.Stride:], g.Pix[(y+1)*g.Stride:]
		out := o.Pix[y*o.Stride:]
		for x := 1; x < w-1; x++ {
			v := 5*int(row[x]) - int(up[x]) - int(down[x]) - int(row[x-1]) - int(row[x+1])
			out[x] = uint8(max(0, min(255, v)))
		}
	}
	return same(o)
}

// scaled resizes the image by f: a code too small for the detector gets
// bigger, a high-resolution one loses its noise.
func scaled(f float64) func(*image.Gray) (*image.Gray, func(x, y float64) image.Point) {
	return func(g *image.Gray) (*image.Gray, func(x, y float64) image.Point) {
		b := g.Bounds()
		w, h := max(1, int(float64(b.Dx())*f)), max(1, int(float64(b.Dy())*f))
		if f > 1 && w*h > 1600*1200 {
			return g, nil // enlarging pays only for small pictures, and costs dearly on big ones
		}
		var o *image.Gray
		switch {
		case f == 0.5:
			o = halve(g)
		case f > 1:
			o = image.NewGray(image.Rect(0, 0, w, h))
			xdraw.CatmullRom.Scale(o, o.Rect, g, b, draw.Src, nil)
		default:
			o = image.NewGray(image.Rect(0, 0, w, h))
			xdraw.ApproxBiLinear.Scale(o, o.Rect, g, b, draw.Src, nil)
		}
		return o, func(x, y float64) image.Point { return image.Pt(b.Min.X+int(x/f), b.Min.Y+int(y/f)) }
	}
}

// padded adds a white border of the given fraction of the image's size:
// a code printed or shown with no quiet zone around it.
func padded(frac float64) func(*image.Gray) (*image.Gray, func(x, y float64) image.Point) {
	return func(g *image.Gray) (*image.Gray, func(x, y float64) image.Point) {
		b := g.Bounds()
		p := max(8, int(float64(max(b.Dx(), b.Dy()))*frac))
		o := image.NewGray(image.Rect(0, 0, b.Dx()+2*p, b.Dy()+2*p))
		for i := range o.Pix {
			o.Pix[i] = 255
		}
		for y := 0; y < b.Dy(); y++ {
			row := g.Pix[(y+b.Min.Y-g.Rect.Min.Y)*g.Stride+b.Min.X-g.Rect.Min.X:]
			copy(o.Pix[(y+p)*o.Stride+p:(y+p)*o.Stride+p+b.Dx()], row[:b.Dx()])
		}
		return o, func(x, y float64) image.Point { return image.Pt(b.Min.X+int(x)-p, b.Min.Y+int(y)-p) }
	}
}

// halve averages 2×2 blocks: a quick half-size image.
func halve(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx()/2, g.Rect.Dy()/2
	o := image.NewGray(image.Rect(0, 0, max(w, 1), max(h, 1)))
	for y := 0; y < h; y++ {
		r0 := g.Pix[2*y*g.Stride:]
		r1 := g.Pix[(2*y+1)*g.Stride:]
		out := o.Pix[y*o.Stride:]
		for x := 0; x < w; x++ {
			out[x] = uint8((int(r0[2*x]) + int(r0[2*x+1]) + int(r1[2*x]) + int(r1[2*x+1]) + 2) / 4)
		}
	}
	return o
}

// Decoder reads codes. It is not safe for concurrent use.
type Decoder struct {
	reader gozxing.Reader
	multi  multi.MultipleBarcodeReader
	qr     *decoder.Decoder
	hints  map[gozxing.DecodeHintType]any
	next   int // the next extra strategy for Frame
	effort effort
	// deadline is when a camera frame's budget ends; zero for a still
	// image, which gets every retry whatever it costs.
	deadline time.Time
	// Now is the clock a frame's budget is measured by: time.Now when nil
	// (a benchmark on a machine shared with other work may measure the
	// process's CPU time instead).
	Now func() time.Time
}

func (d *Decoder) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

// New makes a Decoder.
func New() *Decoder {
	return &Decoder{reader: qrcode.NewQRCodeReader(), multi: multiqr.NewQRCodeMultiReader(), qr: decoder.NewDecoder(),
		hints: map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}, effort: stillEffort}
}

// Still reads a still image, trying every strategy until one reads it.
func (d *Decoder) Still(g *image.Gray) (Result, bool) {
	for _, s := range Strategies {
		if r, ok := d.Try(g, s); ok {
			return r, true
		}
	}
	return Result{}, false
}

// frameBudget is a camera frame's share of the decoder's time: the plain
// strategy and one retry fit in it at 720p and 1080p, on one core, within
// the 33 ms of a 30 fps frame. A retry does not start once the plain
// strategy has used half of it, and the grid checks it between its steps.
const frameBudget = 25 * time.Millisecond

// retryArea is the largest frame, in pixels, retried at its own size:
// larger frames (1080p) are retried on a copy scaled down to about 720p,
// so that a retry costs the same at every camera size.
const retryArea = 1280 * 720

// Frame reads a camera frame with the plain strategy and one other, taking
// the others in turn from frame to frame. The retry works on a frame no
// larger than 720p and stops at the frame's budget (see frameBudget), so
// that no frame waits long: a code held up stays in view for many frames.
func (d *Decoder) Frame(g *image.Gray) (Result, bool) {
	start := d.now()
	d.effort, d.deadline = frameEffort, start.Add(frameBudget)
	defer func() { d.effort, d.deadline = stillEffort, time.Time{} }()
	if r, ok := d.Try(g, Strategies[0]); ok {
		return r, true
	}
	if d.now().Sub(start) > frameBudget/2 {
		return Result{}, false // the plain strategy took the time: the retry waits for the next frame
	}
	var small *image.Gray
	var smallBack func(x, y float64) image.Point
	for range len(Strategies) - 1 {
		s := Strategies[1+d.next%(len(Strategies)-1)]
		d.next++
		img, back := same(g)
		if !s.whole {
			if small == nil {
				small, smallBack = reduced(g)
			}
			img, back = small, smallBack
		}
		r, ok, applied := d.try(img, s)
		if !applied {
			continue // nothing to do at this size (an enlargement of a large frame): the next one
		}
		for i, p := range r.Points {
			r.Points[i] = back(float64(p.X), float64(p.Y))
		}
		return r, ok
	}
	return Result{}, false
}

// reduced is g scaled down to about retryArea pixels when it is larger,
// and the map of its points back to g.
func reduced(g *image.Gray) (*image.Gray, func(x, y float64) image.Point) {
	b := g.Bounds()
	if b.Dx()*b.Dy() <= retryArea || b.Dx() < 2 || b.Dy() < 2 {
		return same(g)
	}
	f := math.Sqrt(float64(retryArea) / float64(b.Dx()*b.Dy()))
	o := shrink(g, max(1, int(float64(b.Dx())*f)), max(1, int(float64(b.Dy())*f)))
	fx, fy := float64(b.Dx())/float64(o.Rect.Dx()), float64(b.Dy())/float64(o.Rect.Dy())
	return o, func(x, y float64) image.Point { return image.Pt(b.Min.X+int(x*fx), b.Min.Y+int(y*fy)) }
}

// shrink scales g down to w×h, interpolating bilinearly between the four
// pixels around each point it samples (in fixed point: x/image/draw's
// scalers take 40 ms for a 1080p grey frame, this one a few).
func shrink(g *image.Gray, w, h int) *image.Gray {
	b := g.Bounds()
	o := image.NewGray(image.Rect(0, 0, w, h))
	// Where each output column samples: the pixel to its left and the
	// weight of the one to its right, in 256ths.
	xs, wx := make([]int, w), make([]int, w)
	for x := range w {
		sx := max(0, (float64(x)+0.5)*float64(b.Dx())/float64(w)-0.5)
		xs[x], wx[x] = min(int(sx), b.Dx()-2), int((sx-float64(int(sx)))*256)
		if int(sx) >= b.Dx()-1 {
			wx[x] = 256
		}
	}
	for y := range h {
		sy := max(0, (float64(y)+0.5)*float64(b.Dy())/float64(h)-0.5)
		y0 := min(int(sy), b.Dy()-2)
		wy := int((sy - float64(int(sy))) * 256)
		if int(sy) >= b.Dy()-1 {
			wy = 256
		}
		r0 := g.Pix[(y0+b.Min.Y-g.Rect.Min.Y)*g.Stride+b.Min.X-g.Rect.Min.X:]
		r1 := r0[g.Stride:]
		out := o.Pix[y*o.Stride : y*o.Stride+w]
		for x := range out {
			i, a := xs[x], wx[x]
			top := int(r0[i])*(256-a) + int(r0[i+1])*a
			bottom := int(r1[i])*(256-a) + int(r1[i+1])*a
			out[x] = uint8((top*(256-wy) + bottom*wy + 1<<15) >> 16)
		}
	}
	return o
}

// late reports whether a camera frame's budget is spent; never for a
// still image.
func (d *Decoder) late() bool { return !d.deadline.IsZero() && d.now().After(d.deadline) }

// Try reads g with one strategy.
func (d *Decoder) Try(g *image.Gray, s Strategy) (Result, bool) {
	r, ok, _ := d.try(g, s)
	return r, ok
}

// try reads g with one strategy, and reports whether the strategy applies
// to an image of g's size at all (an enlargement of a large image does not).
func (d *Decoder) try(g *image.Gray, s Strategy) (r Result, ok, applied bool) {
	img, back := s.prepare(g)
	if back == nil {
		return Result{}, false, false
	}
	if s.grid {
		r, ok := d.gridRead(img)
		r.Strategy = s.Name
		for i, p := range r.Points {
			r.Points[i] = back(float64(p.X), float64(p.Y))
		}
		return r, ok, true
	}
	src, mapX := source(img, s.mirror)
	if s.invert {
		src = src.Invert()
	}
	var bin gozxing.Binarizer = gozxing.NewHybridBinarizer(src)
	if s.global {
		bin = gozxing.NewGlobalHistgramBinarizer(src)
	}
	bmp, err := gozxing.NewBinaryBitmap(bin)
	if err != nil {
		return Result{}, false, true
	}
	res, err := d.decode(bmp, s.multi)
	if err != nil {
		return Result{}, false, true
	}
	r = Result{Text: res.GetText(), Strategy: s.Name}
	for _, p := range res.GetResultPoints() {
		r.Points = append(r.Points, back(mapX(p.GetX()), p.GetY()))
	}
	return r, true, true
}

// decode reads one code, with the plain or the multi-code detector (the
// first code it finds).
func (d *Decoder) decode(bmp *gozxing.BinaryBitmap, many bool) (*gozxing.Result, error) {
	if !many {
		return d.reader.Decode(bmp, d.hints)
	}
	rs, err := d.multi.DecodeMultiple(bmp, d.hints)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, gozxing.NewNotFoundException()
	}
	return rs[0], nil
}

// source wraps the grey pixels without copying them when the rows are
// contiguous. Mirrored, it copies them: gozxing reverses the rows of the
// buffer it is given in place, and the caller's frame must stay as it is.
func source(g *image.Gray, mirror bool) (gozxing.LuminanceSource, func(float64) float64) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	pix := g.Pix
	if g.Stride != w || mirror {
		pix = make([]byte, w*h)
		for y := 0; y < h; y++ {
			copy(pix[y*w:], g.Pix[y*g.Stride:y*g.Stride+w])
		}
	}
	src, _ := gozxing.NewPlanarYUVLuminanceSource(pix, w, h, 0, 0, w, h, mirror)
	if mirror {
		return src, func(x float64) float64 { return float64(w-1) - x }
	}
	return src, func(x float64) float64 { return x }
}
