package decode

import (
	"image"

	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// quad is where the corners of a code's module square are in the image:
// top left, top right, bottom right, bottom left. It fixes a perspective.
type quad [4]point

func quadOf(tf *common.PerspectiveTransform, dim int) quad {
	d := float64(dim)
	xs, ys := []float64{0, d, d, 0}, []float64{0, 0, d, d}
	tf.TransformPointsXY(xs, ys)
	return quad{{xs[0], ys[0]}, {xs[1], ys[1]}, {xs[2], ys[2]}, {xs[3], ys[3]}}
}

// transform maps module coordinates (0 to dim) to the image.
func (q quad) transform(dim int) *common.PerspectiveTransform {
	d := float64(dim)
	return common.PerspectiveTransform_QuadrilateralToQuadrilateral(0, 0, d, 0, d, d, 0, d,
		q[0].x, q[0].y, q[1].x, q[1].y, q[2].x, q[2].y, q[3].x, q[3].y)
}

// probe is a point in module coordinates where the shade is known: +1
// light, -1 dark.
type probe struct {
	x, y, sign float64
}

// knownProbes are points inside the modules every code of this size has:
// the finder patterns with their separators, the timing patterns and the
// alignment patterns. Fine, each module gets four probes near its corners,
// so that a grid off by a fraction of a module scores worse; coarse, one
// at its centre.
func knownProbes(dim int, fine bool) []probe {
	var out []probe
	at := [][2]float64{{0.5, 0.5}}
	if fine {
		at = [][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}}
	}
	add := func(i, j int, dark bool) {
		sign := 1.0
		if dark {
			sign = -1
		}
		for _, o := range at {
			out = append(out, probe{float64(i) + o[0], float64(j) + o[1], sign})
		}
	}
	for _, c := range [][2]int{{3, 3}, {dim - 4, 3}, {3, dim - 4}} {
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				i, j := c[0]+dx, c[1]+dy
				if i < 0 || j < 0 || i >= dim || j >= dim {
					continue
				}
				ring := max(abs(dx), abs(dy))
				add(i, j, ring == 3 || ring <= 1)
			}
		}
	}
	for k := 8; k < dim-8; k++ {
		add(k, 6, k%2 == 0)
		add(6, k, k%2 == 0)
	}
	v, err := decoder.Version_GetProvisionalVersionForDimension(dim)
	if err != nil {
		return out
	}
	cs := v.GetAlignmentPatternCenters()
	for _, cx := range cs {
		for _, cy := range cs {
			if cx < 9 && (cy < 9 || cy > dim-10) || cx > dim-10 && cy < 9 {
				continue // under a finder pattern
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					ring := max(abs(dx), abs(dy))
					add(cx+dx, cy+dy, ring != 1)
				}
			}
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// localMean is the mean grey level around each point, from an integral
// image: the threshold between dark and light where the light varies.
type localMean struct {
	w, h int
	sum  []uint32 // (w+1)×(h+1)
}

func newLocalMean(g *image.Gray) *localMean {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	m := &localMean{w: w, h: h, sum: make([]uint32, (w+1)*(h+1))}
	for y := 0; y < h; y++ {
		row := uint32(0)
		for x := 0; x < w; x++ {
			row += uint32(g.Pix[y*g.Stride+x])
			m.sum[(y+1)*(w+1)+x+1] = m.sum[y*(w+1)+x+1] + row
		}
	}
	return m
}

// at is the mean in the square of side 2r+1 around (x, y).
func (m *localMean) at(x, y float64, r int) float64 {
	x0, y0 := min(max(int(x)-r, 0), m.w-1), min(max(int(y)-r, 0), m.h-1)
	x1, y1 := min(max(int(x)+r+1, x0+1), m.w), min(max(int(y)+r+1, y0+1), m.h)
	s := m.sum[y1*(m.w+1)+x1] - m.sum[y0*(m.w+1)+x1] - m.sum[y1*(m.w+1)+x0] + m.sum[y0*(m.w+1)+x0]
	return float64(s) / float64((x1-x0)*(y1-y0))
}

// fitter moves the corners of a code's quad until the modules every code
// has line up with the image best: perspective that three finder patterns
// alone do not tell.
type fitter struct {
	g            *image.Gray
	mean         *localMean
	dim          int
	coarse, fine []probe
	xs, ys       []float64
}

func newFitter(g *image.Gray, mean *localMean, dim int) *fitter {
	fine := knownProbes(dim, true)
	return &fitter{g: g, mean: mean, dim: dim, coarse: knownProbes(dim, false), fine: fine,
		xs: make([]float64, len(fine)), ys: make([]float64, len(fine))}
}

// score is how well the known modules match the image under q, from -1
// (each inverted) to about 1 (each clearly its shade).
func (f *fitter) score(q quad, r int, probes []probe) float64 {
	xs, ys := f.xs[:len(probes)], f.ys[:len(probes)]
	for i, p := range probes {
		xs[i], ys[i] = p.x, p.y
	}
	q.transform(f.dim).TransformPointsXY(xs, ys)
	sum := 0.0
	for i, p := range probes {
		x, y := f.xs[i], f.ys[i]
		d := bilinear(f.g, x, y) - f.mean.at(x, y, r)
		sum += p.sign * max(-64, min(64, d))
	}
	return sum / (64 * float64(len(probes)))
}

// fit climbs from q by moving one corner at a time, in steps from two
// modules down to a sixteenth (with one probe per module while the steps
// are half a module or more), and returns the best quad and its score.
func (f *fitter) fit(q quad) (quad, float64) {
	module := q[0].dist(q[1]) / float64(f.dim)
	r := max(2, int(2.5*module))
	probes := f.coarse
	best := f.score(q, r, probes)
	dirs := []point{{1, 0}, {-1, 0}, {0, 1}, {0, -1}}
	for step, rounds := module, 0; step > module/16 && rounds < 100; rounds++ {
		improved := false
		for c := range q {
			for _, d := range dirs {
				t := q
				t[c] = t[c].add(d.scale(step))
				if s := f.score(t, r, probes); s > best {
					q, best, improved = t, s, true
				}
			}
		}
		if improved {
			continue
		}
		if step /= 2; step < module/2 && len(probes) != len(f.fine) {
			probes = f.fine
			best = f.score(q, r, probes)
		}
	}
	return q, best
}
