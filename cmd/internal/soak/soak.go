// Package soak runs Ghișeu's real counter window for a long simulated
// shift — scans, language switches, supervisor windows opened and closed —
// on a virtual X screen with a window manager, and follows its memory and
// the time from a scan's Enter key to its verdict on the card. The soak
// test (cmd/ghiseu) and `ghiseu-bench soak` share it.
package soak

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/ghiseu/ghiseu/cmd/internal/memlog"
)

// Config is what a soak does.
type Config struct {
	Bin         string // the ghiseu binary
	Dir         string // a fresh folder for its data
	Width       int    // the screen's size
	Height      int
	Scans       int // scans in all
	Languages   int // language switches in all
	Supervisors int // supervisor windows opened and closed in all
	Rounds      int // the actions are spread over this many rounds; memory is sampled after each
	KeyDelay    time.Duration
	// Password is the supervisor's password (the demo office's).
	Password string
	// Progress, if set, is told each sample as it is taken.
	Progress func(Point)
}

// Point is the memory after some actions.
type Point struct {
	Scans, Languages, Supervisors int
	memlog.Sample
}

// Result is what a soak measured.
type Result struct {
	Points []Point
	// Latencies are the times from a scan's Enter to its verdict on the
	// card, as the app measured them, in the order of the scans.
	Latencies []time.Duration
}

// Growth is how much the live heap and the resident size grew from the
// first point to the last.
func (r Result) Growth() (heap, rss int64) {
	if len(r.Points) < 2 {
		return 0, 0
	}
	a, b := r.Points[0], r.Points[len(r.Points)-1]
	return int64(b.HeapLive) - int64(a.HeapLive), int64(b.RSS) - int64(a.RSS)
}

// Trend is the live heap's growth over a whole shift at the rate it grew
// once warm: the least-squares slope of the samples after the first round
// (which fills Fyne's caches, the fonts and the day list), times the
// number of rounds. A single sample swings by a few megabytes with what
// the last garbage collection happened to find; a leak is a slope.
func (r Result) Trend() int64 {
	warm := r.Points[min(1, len(r.Points)):]
	if len(warm) < 2 {
		return 0
	}
	n := float64(len(warm))
	var sx, sy float64
	for i, p := range warm {
		sx += float64(i)
		sy += float64(p.HeapLive)
	}
	mx, my := sx/n, sy/n
	var sxy, sxx float64
	for i, p := range warm {
		dx := float64(i) - mx
		sxy += dx * (float64(p.HeapLive) - my)
		sxx += dx * dx
	}
	return int64(sxy / sxx * float64(len(r.Points)-1))
}

// Percentile is the p-th percentile (0–100) of the latencies.
func (r Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.Latencies)
	slices.Sort(s)
	i := int(p / 100 * float64(len(s)-1))
	return s[i]
}

// Run runs a soak and reports what it measured.
func Run(ctx context.Context, cfg Config) (Result, error) {
	s, err := StartScreen(cfg.Width, cfg.Height)
	if err != nil {
		return Result{}, err
	}
	defer s.Close()
	c := &counter{cfg: cfg, screen: s, memlog: filepath.Join(cfg.Dir, "memory.jsonl"), shown: make(chan time.Duration, 64)}
	c.env = s.Env(append(os.Environ(), "LANG=en_US.UTF-8", memlog.Env+"="+c.memlog,
		"XDG_DATA_HOME="+filepath.Join(cfg.Dir, "share"), "XDG_CONFIG_HOME="+filepath.Join(cfg.Dir, "config")))
	codes, err := c.codes()
	if err != nil {
		return Result{}, err
	}
	if err := c.start(); err != nil {
		return Result{}, err
	}
	defer c.stop()
	return c.soak(ctx, codes)
}

// counter is the ghiseu process under soak.
type counter struct {
	cfg    Config
	screen *Screen
	env    []string
	memlog string
	proc   *exec.Cmd
	shown  chan time.Duration // each verdict shown after a scan, with its latency
	done   chan struct{}
}

// codes makes the demo office and lists its reservation codes.
func (c *counter) codes() ([]string, error) {
	if _, err := c.cli(nil, "demo"); err != nil {
		return nil, err
	}
	out, err := c.cli(nil, "list", "--json", "--at", "10:12")
	if err != nil {
		return nil, err
	}
	var rows []struct{ Code string }
	if err := json.Unmarshal(out, &rows); err != nil {
		return nil, fmt.Errorf("ghiseu list: %w", err)
	}
	var codes []string
	for _, r := range rows {
		if r.Code != "" {
			codes = append(codes, r.Code)
		}
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("the demo office has no bookings with codes")
	}
	return codes, nil
}

func (c *counter) cli(stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.Command(c.cfg.Bin, args...)
	cmd.Env, cmd.Stdin = c.env, stdin
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("ghiseu %s: %w", strings.Join(args, " "), err)
	}
	return out, nil
}

// verdictShown is the app's log line of a verdict shown after a scan.
var verdictShown = regexp.MustCompile(`verdict shown.* after=(\S+)`)

// start opens the counter window, signed in, and waits until it shows.
func (c *counter) start() error {
	c.proc = exec.Command(c.cfg.Bin, "--clock", "10:12", "--clerk", "Soak Test")
	c.proc.Env = c.env
	stderr, err := c.proc.StderrPipe()
	if err != nil {
		return err
	}
	if err := c.proc.Start(); err != nil {
		return fmt.Errorf("start ghiseu: %w", err)
	}
	c.done = make(chan struct{})
	go c.readLog(stderr)
	if err := c.screen.WaitFor(60*time.Second, func() bool { return c.screen.HasWindow("^Ghișeu") }); err != nil {
		return fmt.Errorf("the counter window did not appear: %w", err)
	}
	time.Sleep(2 * time.Second) // the first paint, the fonts
	return nil
}

// readLog follows the app's log for the verdicts shown.
func (c *counter) readLog(r io.Reader) {
	defer close(c.done)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := verdictShown.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		d, err := time.ParseDuration(m[1])
		if err != nil {
			continue
		}
		select {
		case c.shown <- d:
		default: // nobody waits: dropped, and the scan is then reported lost
		}
	}
}

func (c *counter) stop() {
	if c.proc == nil || c.proc.Process == nil {
		return
	}
	c.proc.Process.Kill()
	c.proc.Wait()
	<-c.done
}

// soak runs the rounds.
func (c *counter) soak(ctx context.Context, codes []string) (Result, error) {
	var res Result
	var p Point
	sample := func() error {
		s, err := c.sample()
		if err != nil {
			return err
		}
		p.Sample = s
		res.Points = append(res.Points, p)
		if c.cfg.Progress != nil {
			c.cfg.Progress(p)
		}
		return nil
	}
	if err := sample(); err != nil {
		return res, err
	}
	rounds := max(c.cfg.Rounds, 1)
	for round := range rounds {
		for p.Scans < share(c.cfg.Scans, round, rounds) {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			d, err := c.scan(codes[p.Scans%len(codes)])
			if err != nil {
				return res, fmt.Errorf("scan %d: %w", p.Scans+1, err)
			}
			res.Latencies = append(res.Latencies, d)
			p.Scans++
		}
		for p.Languages < share(c.cfg.Languages, round, rounds) {
			if err := c.screen.Key("ctrl+l"); err != nil {
				return res, err
			}
			time.Sleep(300 * time.Millisecond)
			p.Languages++
		}
		for p.Supervisors < share(c.cfg.Supervisors, round, rounds) {
			if err := c.supervisor(); err != nil {
				return res, fmt.Errorf("supervisor window %d: %w", p.Supervisors+1, err)
			}
			p.Supervisors++
		}
		if err := sample(); err != nil {
			return res, err
		}
	}
	return res, nil
}

// share is how many of n actions are done by the end of round r of rounds.
func share(n, r, rounds int) int { return n * (r + 1) / rounds }

// scan types a code as a handheld scanner does and waits for its verdict.
func (c *counter) scan(code string) (time.Duration, error) {
	if err := c.screen.TypeText(c.cfg.KeyDelay, code); err != nil {
		return 0, err
	}
	if err := c.screen.Key("Return"); err != nil {
		return 0, err
	}
	select {
	case d := <-c.shown:
		return d, nil
	case <-c.done:
		return 0, fmt.Errorf("the counter quit")
	case <-time.After(10 * time.Second):
		return 0, fmt.Errorf("no verdict within 10 s: the scan was lost")
	}
}

// supervisor opens the supervisor's window with the password and closes it
// as its user would, with Alt+F4.
func (c *counter) supervisor() error {
	const title = "Biroul acum|The office now"
	if err := c.screen.Key("ctrl+u"); err != nil {
		return err
	}
	time.Sleep(300 * time.Millisecond)
	if err := c.screen.TypeText(40*time.Millisecond, c.cfg.Password); err != nil {
		return err
	}
	if err := c.screen.Key("Return"); err != nil {
		return err
	}
	if err := c.screen.WaitFor(10*time.Second, func() bool { return c.screen.HasWindow(title) }); err != nil {
		return fmt.Errorf("did not open: %w", err)
	}
	time.Sleep(500 * time.Millisecond) // a refresh or two
	if err := c.screen.Run("xdotool", "search", "--onlyvisible", "--name", title, "windowactivate", "--sync"); err != nil {
		return err
	}
	if err := c.screen.Key("alt+F4"); err != nil {
		return err
	}
	if err := c.screen.WaitFor(10*time.Second, func() bool { return !c.screen.HasWindow(title) }); err != nil {
		return fmt.Errorf("did not close: %w", err)
	}
	return c.screen.Run("xdotool", "search", "--onlyvisible", "--name", "^Ghișeu", "windowactivate", "--sync")
}

// sample asks the counter for its memory and waits for the answer.
func (c *counter) sample() (memlog.Sample, error) {
	before, _ := memlog.Read(c.memlog)
	if err := c.proc.Process.Signal(syscall.SIGUSR1); err != nil {
		return memlog.Sample{}, err
	}
	var got []memlog.Sample
	err := c.screen.WaitFor(10*time.Second, func() bool {
		got, _ = memlog.Read(c.memlog)
		return len(got) > len(before)
	})
	if err != nil {
		return memlog.Sample{}, fmt.Errorf("the counter did not report its memory: %w", err)
	}
	return got[len(got)-1], nil
}
