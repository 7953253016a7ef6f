package main

import (
	"flag"
	"fmt"
	"image"
	"image/draw"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/ghiseu/ghiseu/scanner/decode"
	"github.com/ghiseu/ghiseu/scanner/frames"
	"github.com/ghiseu/ghiseu/scanner/qr"
	xdraw "golang.org/x/image/draw"
)

// sample is one corpus image and the text it holds.
type sample struct {
	path, want string
	part       bool // a Structured Append part: any non-empty piece of want counts
}

// benchDecode reads a corpus laid out like shared/corpus/qr (set/group/
// name.ext beside name.txt) at the four rotations and prints, per set and
// in total: images, read, misread, missed, mean and p99 milliseconds. Then
// it times whole 1280×720 and 1920×1080 frames with and without a code.
func benchDecode(args []string) error {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	corpus := fs.String("corpus", "", "the corpus folder (holding one folder per set)")
	verbose := fs.Bool("v", false, "list the images missed or misread")
	framesOnly := fs.Bool("frames", false, "only the frame tables (the camera path)")
	cpu := fs.Bool("cpu", false, "time images, and the decoder's frame budget, by the process's CPU time (with GOMAXPROCS=1, on a machine shared with other work)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *corpus == "" {
		return fmt.Errorf("--corpus is required")
	}
	if *cpu {
		clock = cpuClock
	}
	if *framesOnly {
		return benchFrames(*corpus)
	}
	sets, err := filepath.Glob(filepath.Join(*corpus, "*"))
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "set\trotation\timages\tread\tmisread\tmissed\tmean ms\tp99 ms\t")
	for _, set := range sets {
		if st, err := os.Stat(set); err != nil || !st.IsDir() {
			continue
		}
		samples, err := load(set)
		if err != nil {
			return err
		}
		var all []time.Duration
		totals := [3]int{}
		for rot := 0; rot < 4; rot++ {
			read, misread, times, missed := run(samples, rot)
			all = append(all, times...)
			totals[0], totals[1], totals[2] = totals[0]+read, totals[1]+misread, totals[2]+len(samples)-read-misread
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%.1f\t%.1f\t\n", filepath.Base(set), rot*90, len(samples),
				read, misread, len(samples)-read-misread, mean(times), p99(times))
			if *verbose {
				fmt.Fprintf(os.Stderr, "%s at %d° missed or misread: %s\n", filepath.Base(set), rot*90, strings.Join(missed, " "))
			}
		}
		fmt.Fprintf(tw, "%s\tall\t%d\t%d\t%d\t%d\t%.1f\t%.1f\t\n", filepath.Base(set), 4*len(samples),
			totals[0], totals[1], totals[2], mean(all), p99(all))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return benchFrames(*corpus)
}

// clock times the images, and is the decoder's clock for a frame's budget.
var clock = time.Now

// cpuClock is the CPU time this process has used, as a time: with
// GOMAXPROCS=1 the decoder's own work, whatever else the machine runs.
func cpuClock() time.Time {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return time.Now()
	}
	return time.Unix(0, ru.Utime.Nano()+ru.Stime.Nano())
}

// newFrameDecoder is a decoder whose frame budget runs by clock.
func newFrameDecoder() *decode.Decoder {
	d := decode.New()
	d.Now = clock
	return d
}

func load(set string) ([]sample, error) {
	var out []sample
	err := filepath.Walk(set, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		ext := strings.ToLower(filepath.Ext(path))
		if ext != ".png" && ext != ".jpg" && ext != ".jpeg" && ext != ".webp" {
			return nil
		}
		base := strings.TrimSuffix(path, filepath.Ext(path))
		s := sample{path: path}
		want, err := os.ReadFile(base + ".txt")
		if err != nil && len(base) > 3 && base[len(base)-3] == '-' { // Structured Append: 01-02 of 01
			want, err = os.ReadFile(base[:len(base)-3] + ".txt")
			s.part = true
		}
		if err != nil {
			return nil // no expected text: not a sample
		}
		s.want = string(want)
		out = append(out, s)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, err
}

func run(samples []sample, rot int) (read, misread int, times []time.Duration, missed []string) {
	d := decode.New()
	for _, s := range samples {
		g, err := frames.Load(s.path)
		if err != nil {
			missed = append(missed, filepath.Base(s.path)+"(unreadable)")
			continue
		}
		for k := 0; k < rot; k++ {
			g = rotate(g)
		}
		t0 := clock()
		r, ok := d.Still(g)
		times = append(times, clock().Sub(t0))
		switch {
		case !ok:
			missed = append(missed, relative(s.path))
		case r.Text == s.want || s.part && r.Text != "" && strings.Contains(s.want, r.Text):
			read++
		default:
			misread++
			missed = append(missed, relative(s.path)+"(misread)")
		}
	}
	return read, misread, times, missed
}

func relative(p string) string { return filepath.Base(filepath.Dir(p)) + "/" + filepath.Base(p) }

// rotate turns an image a quarter turn clockwise.
func rotate(g *image.Gray) *image.Gray {
	b := g.Bounds()
	o := image.NewGray(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			o.Pix[x*o.Stride+(b.Dy()-1-y)] = g.Pix[(y)*g.Stride+x]
		}
	}
	return o
}

func mean(ts []time.Duration) float64 {
	if len(ts) == 0 {
		return 0
	}
	var sum time.Duration
	for _, t := range ts {
		sum += t
	}
	return float64(sum) / float64(len(ts)) / 1e6
}

func p99(ts []time.Duration) float64 {
	if len(ts) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ts...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return float64(s[(len(s)*99)/100]) / 1e6
}

// frameSizes are the camera sizes the frame tables time: the webcam's
// usual 720p and a 1080p camera.
var frameSizes = []image.Point{{1280, 720}, {1920, 1080}}

// benchFrames times the camera path at each frame size: 300 frames with a
// code and 300 without, each decoded as a live frame (the plain strategy
// and one more, in turn); then every photo of the corpus's zxing-cpp set
// pasted into a frame and shown for as many frames as there are
// strategies, or until it is read: the hard codes, which the retries read.
func benchFrames(corpus string) error {
	code, err := qr.Encode("GH151H111112UD927F185A8JHL157M9KAE9IBLSHJJ96C5JM32EKRSJGBR88NU5JBGVC6VX2F7XXFJQ44IR4U3X3UAPE5LWW7SLRX9HDNEG3NLLVKTEJX6GC8XMW2VXI8GCPPKFSQV8UTGLB9B6HUL14Q", 330)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, size := range frameSizes {
		with, without := textured(size), textured(size)
		at := image.Pt(size.X/2-140, size.Y/2-160) // a little left of and above the middle
		draw.Draw(with, image.Rect(at.X, at.Y, at.X+330, at.Y+330), code, image.Point{}, draw.Src)
		fmt.Fprintf(tw, "\n%d×%d frame\tframes\tread\tmean ms\tp99 ms\tmax ms\t\n", size.X, size.Y)
		for _, tc := range []struct {
			name string
			g    *image.Gray
		}{{"with a code", with}, {"without a code", without}} {
			d := newFrameDecoder()
			var times []time.Duration
			read := 0
			for i := 0; i < 300; i++ {
				t0 := clock()
				if _, ok := d.Frame(tc.g); ok {
					read++
				}
				times = append(times, clock().Sub(t0))
			}
			printFrames(tw, tc.name, read, times)
		}
		if err := corpusFrames(tw, filepath.Join(corpus, "zxing-cpp"), size); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// textured is a frame of the given size with a textured background.
func textured(size image.Point) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, size.X, size.Y))
	for i := range g.Pix {
		x, y := i%size.X, i/size.X
		g.Pix[i] = uint8(110 + (x*7+y*13)%60)
	}
	return g
}

// corpusFrames shows each photo of a set to the camera path, pasted into
// the middle of a frame of the given size, until it is read or every
// strategy has had its turn.
func corpusFrames(tw io.Writer, set string, size image.Point) error {
	samples, err := load(set)
	if err != nil || len(samples) == 0 {
		return err
	}
	var times []time.Duration
	read := 0
	for _, s := range samples {
		g, err := frames.Load(s.path)
		if err != nil {
			continue
		}
		frame := inFrame(g, size)
		d := newFrameDecoder()
		for i := 0; i < len(decode.Strategies); i++ {
			t0 := clock()
			r, ok := d.Frame(frame)
			times = append(times, clock().Sub(t0))
			if ok {
				if r.Text == s.want {
					read++
				}
				break
			}
		}
	}
	printFrames(tw, fmt.Sprintf("%d photos", len(samples)), read, times)
	return nil
}

// inFrame pastes g into the middle of a mid-grey frame of the given size,
// shrunk to fit if it is larger.
func inFrame(g *image.Gray, size image.Point) *image.Gray {
	f := image.NewGray(image.Rect(0, 0, size.X, size.Y))
	for i := range f.Pix {
		f.Pix[i] = 128
	}
	b := g.Bounds()
	scale := min(1, float64(size.X)/float64(b.Dx()), float64(size.Y)/float64(b.Dy()))
	w, h := int(float64(b.Dx())*scale), int(float64(b.Dy())*scale)
	at := image.Rect((size.X-w)/2, (size.Y-h)/2, (size.X-w)/2+w, (size.Y-h)/2+h)
	xdraw.ApproxBiLinear.Scale(f, at, g, b, draw.Src, nil)
	return f
}

func printFrames(tw io.Writer, name string, read int, times []time.Duration) {
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t\n", name, len(times), read, mean(times), p99(times),
		float64(times[len(times)-1])/1e6)
}
