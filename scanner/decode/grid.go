package decode

import (
	"image"
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// point is a position in the image, in pixels.
type point struct{ x, y float64 }

func (p point) add(q point) point      { return point{p.x + q.x, p.y + q.y} }
func (p point) sub(q point) point      { return point{p.x - q.x, p.y - q.y} }
func (p point) scale(f float64) point  { return point{p.x * f, p.y * f} }
func (p point) dist(q point) float64   { return math.Hypot(p.x-q.x, p.y-q.y) }
func pt(r gozxing.ResultPoint) point   { return point{r.GetX(), r.GetY()} }
func (p point) result() image.Point    { return image.Pt(int(p.x), int(p.y)) }
func lerp(p, q point, t float64) point { return p.add(q.sub(p).scale(t)) }
func (p point) in(g *image.Gray) bool {
	return p.x >= 0 && p.y >= 0 && p.x < float64(g.Rect.Dx()) && p.y < float64(g.Rect.Dy())
}
func grey(g *image.Gray, p point) float64 { return bilinear(g, p.x, p.y) }

// bilinear is the grey level at a point between pixels.
func bilinear(g *image.Gray, x, y float64) float64 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	x, y = min(max(x-0.5, 0), float64(w-1)), min(max(y-0.5, 0), float64(h-1))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(x, y int) float64 { return float64(g.Pix[y*g.Stride+x]) }
	top := at(x0, y0)*(1-fx) + at(x1, y0)*fx
	bottom := at(x0, y1)*(1-fx) + at(x1, y1)*fx
	return top*(1-fy) + bottom*fy
}

// gridRead is the strategy that samples the code itself instead of
// leaving it to gozxing's detector: it tries every plausible triple of
// finder patterns gozxing found, a few sizes for each, and moves the
// sampling grid onto the modules it sees (a warped page, a bent phone
// screen, perspective), then hands the modules to gozxing's decoder,
// whose error correction tells a right grid from a wrong one.
func (d *Decoder) gridRead(g *image.Gray) (Result, bool) {
	src, _ := source(g, false)
	bits, err := gozxing.NewHybridBinarizer(src).GetBlackMatrix()
	if err != nil {
		return Result{}, false
	}
	mean := newLocalMean(g)
	for _, tri := range triples(bits, d.hints) {
		for _, dim := range dimensions(tri) {
			if r, ok := d.sampleAndDecode(g, mean, bits, tri, dim); ok {
				return r, true
			}
		}
	}
	return Result{}, false
}

// triple is three finder patterns: top left, top right and bottom left.
type triple struct {
	tl, tr, bl point
	module     float64
	info       *detector.FinderPatternInfo
}

// triples are the plausible combinations of the finder patterns gozxing's
// finder saw, its own choice first.
func triples(bits *gozxing.BitMatrix, hints map[gozxing.DecodeHintType]any) []triple {
	f := detector.NewFinderPatternFinder(bits, nil)
	info, _ := f.Find(hints)
	var out []triple
	if info != nil {
		out = append(out, newTriple(info))
	}
	cs := f.GetPossibleCenters()
	slices.SortStableFunc(cs, func(a, b *detector.FinderPattern) int { return b.GetCount() - a.GetCount() })
	cs = cs[:min(len(cs), 8)]
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			for k := j + 1; k < len(cs); k++ {
				a, b, c := gozxing.ResultPoint_OrderBestPatterns(cs[i], cs[j], cs[k])
				t := newTriple(detector.NewFinderPatternInfo(a.(*detector.FinderPattern), b.(*detector.FinderPattern), c.(*detector.FinderPattern)))
				if t.plausible(cs[i], cs[j], cs[k]) && !slices.ContainsFunc(out, t.same) {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

func newTriple(info *detector.FinderPatternInfo) triple {
	return triple{tl: pt(info.GetTopLeft()), tr: pt(info.GetTopRight()), bl: pt(info.GetBottomLeft()), info: info,
		module: (info.GetTopLeft().GetEstimatedModuleSize() + info.GetTopRight().GetEstimatedModuleSize() +
			info.GetBottomLeft().GetEstimatedModuleSize()) / 3}
}

func (t triple) same(o triple) bool { return t.tl == o.tl && t.tr == o.tr && t.bl == o.bl }

// plausible tells whether three patterns can be the corners of one code:
// similar module sizes, sides of similar length at a near right angle.
func (t triple) plausible(ps ...*detector.FinderPattern) bool {
	lo, hi := math.Inf(1), 0.0
	for _, p := range ps {
		lo, hi = min(lo, p.GetEstimatedModuleSize()), max(hi, p.GetEstimatedModuleSize())
	}
	if hi > 1.6*lo {
		return false
	}
	a, b := t.tr.sub(t.tl), t.bl.sub(t.tl)
	la, lb := math.Hypot(a.x, a.y), math.Hypot(b.x, b.y)
	if la < 7*t.module || lb < 7*t.module || la > 2*lb || lb > 2*la {
		return false
	}
	cos := (a.x*b.x + a.y*b.y) / (la * lb)
	return math.Abs(cos) < 0.6
}

// dimensions are the code sizes to try for a triple: the one its finder
// patterns' distance and module size give, then the sizes either side.
func dimensions(t triple) []int {
	n := (t.tl.dist(t.tr)+t.tl.dist(t.bl))/(2*t.module) + 7
	d := int(math.Round((n-1)/4))*4 + 1
	var out []int
	for _, c := range []int{d, d - 4, d + 4} {
		if c >= 21 && c <= 177 {
			out = append(out, c)
		}
	}
	return out
}

// sampleAndDecode samples a dim×dim grid placed by the triple (and the
// alignment pattern gozxing finds near the bottom right corner, if any):
// as placed, then fitted to the modules every code has, then moved patch
// by patch onto the modules it sees.
func (d *Decoder) sampleAndDecode(g *image.Gray, mean *localMean, bits *gozxing.BitMatrix, t triple, dim int) (Result, bool) {
	var ap *detector.AlignmentPattern
	if dim > 21 {
		if dr, err := detector.NewDetector(bits).ProcessFinderPatternInfo(t.info); err == nil && len(dr.GetPoints()) == 4 && dr.GetBits().GetWidth() == dim {
			p := dr.GetPoints()[3]
			ap = detector.NewAlignmentPattern(p.GetX(), p.GetY(), t.module)
		}
	}
	tf := detector.Detector_createTransform(t.info.GetTopLeft(), t.info.GetTopRight(), t.info.GetBottomLeft(), ap, dim)
	ok := func(gr *grid) (Result, bool) {
		res, err := d.qr.Decode(gr.bits(), d.hints)
		if err != nil {
			return Result{}, false
		}
		r := Result{Text: res.GetText(), Strategy: "grid"}
		for _, p := range []point{t.bl, t.tl, t.tr} {
			r.Points = append(r.Points, p.result())
		}
		return r, true
	}
	if r, read := ok(newGrid(g, tf, dim)); read {
		return r, true
	}
	q, score := newFitter(g, mean, dim).fit(quadOf(tf, dim))
	if score < minFit {
		return Result{}, false
	}
	gr := newGrid(g, q.transform(dim), dim)
	for pass := 0; pass < 5; pass++ {
		if pass > 0 && !gr.refine(0.5) {
			break
		}
		if r, read := ok(gr); read {
			return r, true
		}
	}
	return Result{}, false
}

// minFit is the least score (see fitter.score) of a grid worth reading.
const minFit = 0.3

// grid is where the centre of every module of a code is in the image.
type grid struct {
	g   *image.Gray
	dim int
	at  []point // row by row
}

func newGrid(g *image.Gray, tf *common.PerspectiveTransform, dim int) *grid {
	gr := &grid{g: g, dim: dim, at: make([]point, dim*dim)}
	xs, ys := make([]float64, dim), make([]float64, dim)
	for j := 0; j < dim; j++ {
		for i := range xs {
			xs[i], ys[i] = float64(i)+0.5, float64(j)+0.5
		}
		tf.TransformPointsXY(xs, ys)
		for i := range xs {
			gr.at[j*dim+i] = point{xs[i], ys[i]}
		}
	}
	return gr
}

func (gr *grid) p(i, j int) point {
	i, j = min(max(i, 0), gr.dim-1), min(max(j, 0), gr.dim-1)
	return gr.at[j*gr.dim+i]
}

// axes are one module's steps along a row and down a column at (i, j).
func (gr *grid) axes(i, j int) (u, v point) {
	di := float64(min(i+1, gr.dim-1) - max(i-1, 0))
	dj := float64(min(j+1, gr.dim-1) - max(j-1, 0))
	return gr.p(i+1, j).sub(gr.p(i-1, j)).scale(1 / di), gr.p(i, j+1).sub(gr.p(i, j-1)).scale(1 / dj)
}

// threshold is the grey level between dark and light modules around
// (i, j), or false where the neighbourhood is all one shade.
func (gr *grid) threshold(i, j, r int) (float64, bool) {
	var vs []float64
	for y := j - r; y <= j+r; y++ {
		for x := i - r; x <= i+r; x++ {
			if x >= 0 && y >= 0 && x < gr.dim && y < gr.dim {
				vs = append(vs, grey(gr.g, gr.p(x, y)))
			}
		}
	}
	slices.Sort(vs)
	lo, hi := vs[len(vs)/10], vs[len(vs)*9/10]
	return (lo + hi) / 2, hi-lo > 24
}

// refine moves the grid, a patch at a time, by up to reach modules to
// where its sample points sit furthest from the threshold: module centres
// rather than edges. It reports whether anything moved.
func (gr *grid) refine(reach float64) bool {
	const step, r = 3, 3
	tiles := (gr.dim + step - 1) / step
	shift := make([]point, (tiles+1)*(tiles+1))
	moved := false
	for tj := 0; tj <= tiles; tj++ {
		for ti := 0; ti <= tiles; ti++ {
			s := gr.bestShift(min(ti*step, gr.dim-1), min(tj*step, gr.dim-1), r, reach)
			shift[tj*(tiles+1)+ti] = s
			moved = moved || s != point{}
		}
	}
	if !moved {
		return false
	}
	next := make([]point, len(gr.at))
	for j := 0; j < gr.dim; j++ {
		for i := 0; i < gr.dim; i++ {
			fx, fy := float64(i)/step, float64(j)/step
			x0, y0 := min(int(fx), tiles-1), min(int(fy), tiles-1)
			ax, ay := fx-float64(x0), fy-float64(y0)
			at := func(x, y int) point { return shift[y*(tiles+1)+x] }
			s := lerp(lerp(at(x0, y0), at(x0+1, y0), ax), lerp(at(x0, y0+1), at(x0+1, y0+1), ax), ay)
			next[j*gr.dim+i] = gr.at[j*gr.dim+i].add(s)
		}
	}
	gr.at = next
	return true
}

// bestShift is the move of the patch around (i, j) that best matches the
// image against the modules the patch holds now: near a module's edges
// the image should still have the module's shade, in pixels.
func (gr *grid) bestShift(i, j, r int, reach float64) point {
	thr, ok := gr.threshold(i, j, r)
	if !ok {
		return point{}
	}
	u, v := gr.axes(i, j)
	type probe struct {
		at   point
		sign float64
	}
	var probes []probe
	for y := max(j-r, 0); y <= min(j+r, gr.dim-1); y++ {
		for x := max(i-r, 0); x <= min(i+r, gr.dim-1); x++ {
			c := gr.p(x, y)
			sign := 1.0
			if grey(gr.g, c) < thr {
				sign = -1
			}
			for _, o := range [][2]float64{{-0.35, -0.35}, {0.35, -0.35}, {-0.35, 0.35}, {0.35, 0.35}} {
				probes = append(probes, probe{c.add(u.scale(o[0])).add(v.scale(o[1])), sign})
			}
		}
	}
	score := func(s point) float64 {
		sum := 0.0
		for _, p := range probes {
			sum += p.sign * (grey(gr.g, p.at.add(s)) - thr)
		}
		return sum
	}
	best, bestScore := point{}, score(point{})
	const n = 2
	for b := -n; b <= n; b++ {
		for a := -n; a <= n; a++ {
			s := u.scale(reach * float64(a) / n).add(v.scale(reach * float64(b) / n))
			if sc := score(s); sc > bestScore {
				best, bestScore = s, sc
			}
		}
	}
	return best
}

// bits are the modules, dark where the grey level is below the local
// threshold.
func (gr *grid) bits() *gozxing.BitMatrix {
	m, _ := gozxing.NewSquareBitMatrix(gr.dim)
	for j := 0; j < gr.dim; j++ {
		for i := 0; i < gr.dim; i++ {
			thr, _ := gr.threshold(i, j, 3)
			if grey(gr.g, gr.p(i, j)) < thr {
				m.Set(i, j)
			}
		}
	}
	return m
}
