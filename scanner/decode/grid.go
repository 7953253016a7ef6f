package decode

import (
	"image"
	"math"
	"math/bits"
	"slices"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// point is a position in the image, in pixels.
type point struct{ x, y float64 }

func (p point) add(q point) point         { return point{p.x + q.x, p.y + q.y} }
func (p point) sub(q point) point         { return point{p.x - q.x, p.y - q.y} }
func (p point) scale(f float64) point     { return point{p.x * f, p.y * f} }
func (p point) dist(q point) float64      { return math.Hypot(p.x-q.x, p.y-q.y) }
func pt(r gozxing.ResultPoint) point      { return point{r.GetX(), r.GetY()} }
func (p point) result() image.Point       { return image.Pt(int(p.x), int(p.y)) }
func lerp(p, q point, t float64) point    { return p.add(q.sub(p).scale(t)) }
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
	var mean *localMean // made once a triple is found: a frame without a code does not pay for it
	tries := d.effort.tries
	for _, tri := range triples(bits, d.hints) {
		ap, apDim := alignment(bits, tri)
		for _, dim := range dimensions(tri) {
			if d.late() {
				return Result{}, false
			}
			var at *detector.AlignmentPattern
			if dim == apDim {
				at = ap
			}
			if mean == nil {
				mean = newLocalMean(g)
			}
			if r, ok := d.sampleAndDecode(g, mean, tri, at, dim); ok {
				return r, true
			}
			if tries--; tries == 0 {
				return Result{}, false
			}
		}
	}
	return Result{}, false
}

// effort bounds the grid strategy's work: a still image gets all it needs,
// a camera frame what fits in a frame's time (a code held up stays in view
// for many frames, and the other strategies take their turns meanwhile).
type effort struct {
	tries  int // triples × sizes to sample, 0 for all
	passes int // patch-by-patch moves of one grid
}

var (
	stillEffort = effort{passes: 4}
	frameEffort = effort{tries: 1, passes: 2}
)

// triple is three finder patterns: top left, top right and bottom left.
type triple struct {
	tl, tr, bl point
	module     float64
	info       *detector.FinderPatternInfo
}

// triples are the plausible combinations of the finder patterns gozxing's
// finder sees, its own choices first. Its finder scans rows and checks
// columns, so it also scans the transposed image: a code it misses at one
// rotation it often sees at the other.
func triples(bits *gozxing.BitMatrix, hints map[gozxing.DecodeHintType]any) []triple {
	var out []triple
	var cs []*detector.FinderPattern
	for _, transpose := range []bool{false, true} {
		f := detector.NewFinderPatternFinder(bits, nil)
		if transpose {
			f = detector.NewFinderPatternFinder(transposed(bits), nil)
		}
		info, _ := f.Find(hints)
		found := f.GetPossibleCenters()
		if transpose && info != nil {
			// Transposing swaps the top right and bottom left patterns.
			info = detector.NewFinderPatternInfo(flip(info.GetTopRight()), flip(info.GetTopLeft()), flip(info.GetBottomLeft()))
		}
		if info != nil {
			out = append(out, newTriple(info))
		}
		for _, c := range found {
			if transpose {
				c = flip(c)
			}
			if !slices.ContainsFunc(cs, func(o *detector.FinderPattern) bool {
				return o.AboutEquals(c.GetEstimatedModuleSize(), c.GetY(), c.GetX())
			}) {
				cs = append(cs, c)
			}
		}
	}
	for _, t := range combinations(cs) {
		if !slices.ContainsFunc(out, t.same) {
			out = append(out, t)
		}
	}
	return out
}

// combinations are the plausible triples of the eight patterns seen most.
func combinations(cs []*detector.FinderPattern) []triple {
	slices.SortStableFunc(cs, func(a, b *detector.FinderPattern) int { return b.GetCount() - a.GetCount() })
	cs = cs[:min(len(cs), 8)]
	var out []triple
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			for k := j + 1; k < len(cs); k++ {
				a, b, c := gozxing.ResultPoint_OrderBestPatterns(cs[i], cs[j], cs[k])
				t := newTriple(detector.NewFinderPatternInfo(a.(*detector.FinderPattern), b.(*detector.FinderPattern), c.(*detector.FinderPattern)))
				if t.plausible(cs[i], cs[j], cs[k]) {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// flip swaps a pattern's x and y: from the transposed image back.
func flip(p *detector.FinderPattern) *detector.FinderPattern {
	return detector.NewFinderPattern(p.GetY(), p.GetX(), p.GetEstimatedModuleSize(), p.GetCount())
}

// transposed swaps rows and columns. It goes by the words of each row
// and visits only the dark pixels: a pixel at a time, through Get and Set,
// took a quarter of the grid strategy's time on a 720p frame.
func transposed(b *gozxing.BitMatrix) *gozxing.BitMatrix {
	w, h := b.GetWidth(), b.GetHeight()
	words := (h + 31) / 32
	cols := make([]uint32, w*words) // column x's bits, from the top
	var row *gozxing.BitArray
	for y := 0; y < h; y++ {
		row = b.GetRow(y, row)
		for i, word := range row.GetBitArray() {
			for ; word != 0; word &= word - 1 {
				if x := i*32 + bits.TrailingZeros32(word); x < w {
					cols[x*words+y/32] |= 1 << (y % 32)
				}
			}
		}
	}
	t, _ := gozxing.NewBitMatrix(h, w)
	out := gozxing.NewBitArray(h)
	for x := 0; x < w; x++ {
		for i := 0; i < words; i++ {
			out.SetBulk(i*32, cols[x*words+i])
		}
		t.SetRow(x, out)
	}
	return t
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
	if hi > 2*lo {
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

// alignment is the alignment pattern gozxing's detector finds near the
// bottom right corner of a triple's code, and the code size it assumed;
// nil for none.
func alignment(bits *gozxing.BitMatrix, t triple) (*detector.AlignmentPattern, int) {
	dr, err := detector.NewDetector(bits).ProcessFinderPatternInfo(t.info)
	if err != nil || len(dr.GetPoints()) != 4 {
		return nil, 0
	}
	p := dr.GetPoints()[3]
	return detector.NewAlignmentPattern(p.GetX(), p.GetY(), t.module), dr.GetBits().GetWidth()
}

// sampleAndDecode samples a dim×dim grid placed by the triple (and the
// alignment pattern ap, if any): as placed, then fitted to the modules
// every code has, then moved patch by patch onto the modules it sees.
func (d *Decoder) sampleAndDecode(g *image.Gray, mean *localMean, t triple, ap *detector.AlignmentPattern, dim int) (Result, bool) {
	tf := detector.Detector_createTransform(t.info.GetTopLeft(), t.info.GetTopRight(), t.info.GetBottomLeft(), ap, dim)
	read := func(gr *grid) (Result, bool) {
		res, err := d.qr.Decode(gr.bits(), d.hints)
		if err != nil {
			return Result{}, false
		}
		r := Result{Text: res.GetText()}
		for _, p := range []point{t.bl, t.tl, t.tr} {
			r.Points = append(r.Points, p.result())
		}
		return r, true
	}
	if r, ok := read(newGrid(g, tf, dim)); ok {
		return r, true
	}
	if d.late() {
		return Result{}, false
	}
	q, score := newFitter(g, mean, dim).fit(quadOf(tf, dim))
	if score < minFit || d.late() {
		return Result{}, false
	}
	gr := newGrid(g, q.transform(dim), dim)
	for pass := 0; pass <= d.effort.passes; pass++ {
		if pass > 0 && (d.late() || !gr.refine(0.5)) {
			break
		}
		if r, ok := read(gr); ok {
			return r, true
		}
	}
	return Result{}, false
}

// minFit is the least score (see fitter.score) of a grid worth reading.
const minFit = 0.3

// grid is where the centre of every module of a code is in the image.
type grid struct {
	g    *image.Gray
	dim  int
	at   []point   // row by row
	grey []float64 // the grey level at each point of at
	// thr is the threshold between dark and light of each patch of
	// tile×tile modules (see sample); NaN where a patch is all one shade.
	thr   []float64
	tiles int
}

// tile is the side, in modules, of the patches a grid is thresholded and
// moved by; each patch looks tile modules around it.
const tile = 3

func newGrid(g *image.Gray, tf *common.PerspectiveTransform, dim int) *grid {
	gr := &grid{g: g, dim: dim, at: make([]point, dim*dim), tiles: (dim+tile-1)/tile + 1}
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
	gr.sample()
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

// sample reads the grey level at every point of the grid and sets, for
// the patch around every tile-th module, the grey level halfway between
// its dark and its light modules.
func (gr *grid) sample() {
	gr.grey = make([]float64, len(gr.at))
	for k, p := range gr.at {
		gr.grey[k] = grey(gr.g, p)
	}
	gr.thr = make([]float64, gr.tiles*gr.tiles)
	vs := make([]float64, 0, (2*tile+1)*(2*tile+1))
	for tj := 0; tj < gr.tiles; tj++ {
		for ti := 0; ti < gr.tiles; ti++ {
			i, j := min(ti*tile, gr.dim-1), min(tj*tile, gr.dim-1)
			vs = vs[:0]
			for y := max(j-tile, 0); y <= min(j+tile, gr.dim-1); y++ {
				vs = append(vs, gr.grey[y*gr.dim+max(i-tile, 0):y*gr.dim+min(i+tile, gr.dim-1)+1]...)
			}
			slices.Sort(vs)
			lo, hi := vs[len(vs)/10], vs[len(vs)*9/10]
			gr.thr[tj*gr.tiles+ti] = (lo + hi) / 2
			if hi-lo < 24 {
				gr.thr[tj*gr.tiles+ti] = math.NaN()
			}
		}
	}
}

// threshold is the threshold of the patch nearest module (i, j); false
// where that patch is all one shade.
func (gr *grid) threshold(i, j int) (float64, bool) {
	ti, tj := min((i+tile/2)/tile, gr.tiles-1), min((j+tile/2)/tile, gr.tiles-1)
	t := gr.thr[tj*gr.tiles+ti]
	return t, !math.IsNaN(t)
}

// refine moves the grid, a patch at a time, by up to reach modules to
// where the image matches the modules best, and reports whether anything
// moved. Between patches the moves are interpolated.
func (gr *grid) refine(reach float64) bool {
	n := gr.tiles
	shift := make([]point, n*n)
	moved := false
	for tj := 0; tj < n; tj++ {
		for ti := 0; ti < n; ti++ {
			s := gr.bestShift(min(ti*tile, gr.dim-1), min(tj*tile, gr.dim-1), reach)
			shift[tj*n+ti] = s
			moved = moved || s != point{}
		}
	}
	if !moved {
		return false
	}
	next := make([]point, len(gr.at))
	for j := 0; j < gr.dim; j++ {
		for i := 0; i < gr.dim; i++ {
			fx, fy := float64(i)/tile, float64(j)/tile
			x0, y0 := min(int(fx), n-2), min(int(fy), n-2)
			ax, ay := fx-float64(x0), fy-float64(y0)
			at := func(x, y int) point { return shift[y*n+x] }
			s := lerp(lerp(at(x0, y0), at(x0+1, y0), ax), lerp(at(x0, y0+1), at(x0+1, y0+1), ax), ay)
			next[j*gr.dim+i] = gr.at[j*gr.dim+i].add(s)
		}
	}
	gr.at = next
	gr.sample()
	return true
}

// bestShift is the move of the patch around (i, j) that best matches the
// image against the modules the patch holds now: near a module's corners
// (two opposite ones, alternating) the image should still have the module's
// shade. It searches a 3×3 grid
// of moves, then a finer one around the best.
func (gr *grid) bestShift(i, j int, reach float64) point {
	thr, ok := gr.threshold(i, j)
	if !ok {
		return point{}
	}
	u, v := gr.axes(i, j)
	type probe struct {
		at   point
		sign float64
	}
	var probes []probe
	for y := max(j-tile, 0); y <= min(j+tile, gr.dim-1); y++ {
		for x := max(i-tile, 0); x <= min(i+tile, gr.dim-1); x++ {
			c := gr.p(x, y)
			sign := 1.0
			if gr.grey[y*gr.dim+x] < thr {
				sign = -1
			}
			d := 0.35 * float64(1-2*((x+y)&1)) // one diagonal or the other, in a checkerboard
			for _, o := range [][2]float64{{-0.35, -d}, {0.35, d}} {
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
	for _, r := range []float64{reach, reach / 2} {
		centre := best
		for b := -1; b <= 1; b++ {
			for a := -1; a <= 1; a++ {
				s := centre.add(u.scale(r * float64(a))).add(v.scale(r * float64(b)))
				if sc := score(s); sc > bestScore {
					best, bestScore = s, sc
				}
			}
		}
	}
	return best
}

// bits are the modules, dark where the grey level is below the threshold
// of their patch.
func (gr *grid) bits() *gozxing.BitMatrix {
	m, _ := gozxing.NewSquareBitMatrix(gr.dim)
	for j := 0; j < gr.dim; j++ {
		for i := 0; i < gr.dim; i++ {
			if thr, _ := gr.threshold(i, j); gr.grey[j*gr.dim+i] < thr {
				m.Set(i, j)
			}
		}
	}
	return m
}
