package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/pack"
	"github.com/ghiseu/ghiseu/store/rules"
	"github.com/ghiseu/ghiseu/store/sync"
)

// walkInOdds is one round in how many that brings a walk-in (which moves
// the pack on, so that every counter downloads it again).
const walkInOdds = 60

// benchHub measures the office hub under many counters syncing at once: for
// each number of counters a real ghiseu-hub serve runs as a child process on
// a fresh database on loopback, and as many counters as asked, each through
// the counters' own pinned-TLS transport, sync for a fixed time, faster than
// real ones do (a round a second instead of every 5 s, events in every one).
func benchHub(args []string) error {
	fs := flag.NewFlagSet("hub", flag.ContinueOnError)
	counters := fs.String("counters", "20,50", "numbers of counters, one run each")
	seconds := fs.Int("seconds", 60, "how long each run lasts")
	every := fs.Duration("every", time.Second, "a counter's sync round period (a real counter: 5s)")
	bin := fs.String("hub", "", "the ghiseu-hub binary; built from ./cmd/ghiseu-hub when empty")
	if err := fs.Parse(args); err != nil {
		return err
	}
	slog.SetDefault(slog.New(slog.DiscardHandler)) // the enrolments' log lines
	dir, err := os.MkdirTemp("", "ghiseu-bench-hub-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if *bin == "" {
		*bin = filepath.Join(dir, "ghiseu-hub")
		if out, err := exec.Command("go", "build", "-o", *bin, "./cmd/ghiseu-hub").CombinedOutput(); err != nil {
			return fmt.Errorf("build ghiseu-hub: %v\n%s", err, out)
		}
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "counters\trequests/s\tPOST p50 ms\tPOST p99 ms\tGET p99 ms\terrors\tevents/s\thub CPU (cores)\tbench CPU (cores)\tI/O stalled (%)\t")
	for _, field := range strings.Split(*counters, ",") {
		n, err := strconv.Atoi(field)
		if err != nil || n < 1 || n > 999 {
			return fmt.Errorf("--counters: %q is not a number of counters from 1 to 999", field)
		}
		r, err := hubRun(filepath.Join(dir, "run-"+field), *bin, n, time.Duration(*seconds)*time.Second, *every)
		if err != nil {
			return fmt.Errorf("%d counters: %w", n, err)
		}
		fmt.Fprintln(tw, r.row())
	}
	return tw.Flush()
}

// hubResult is what one run measured.
type hubResult struct {
	counters        int
	elapsed         time.Duration
	post, get       []time.Duration
	errors          int
	firstErrors     []string
	accepted        int
	stored          int // events the hub holds after the run
	hubCPU, selfCPU time.Duration
	ioStalled       time.Duration // time some task waited for the disk, -1 when unknown
}

func (r hubResult) row() string {
	n := len(r.post) + len(r.get)
	secs := r.elapsed.Seconds()
	stalled := "-"
	if r.ioStalled >= 0 {
		stalled = fmt.Sprintf("%.0f", 100*r.ioStalled.Seconds()/secs)
	}
	return fmt.Sprintf("%d\t%.0f\t%.1f\t%.1f\t%.1f\t%d\t%.0f\t%.2f\t%.2f\t%s\t", r.counters, float64(n)/secs,
		percentile(r.post, 50), percentile(r.post, 99), percentile(r.get, 99), r.errors,
		float64(r.accepted)/secs, r.hubCPU.Seconds()/secs, r.selfCPU.Seconds()/secs, stalled)
}

// ioStall is how long, in all, some task of the machine waited for the
// disk (Linux's pressure stall information), or -1 when unknown. Every
// POST waits for a sync to disk: when other work stalls the disk, POSTs
// wait as long.
func ioStall() time.Duration {
	data, err := os.ReadFile("/proc/pressure/io")
	if err != nil {
		return -1
	}
	for _, f := range strings.Fields(string(data)) {
		if us, ok := strings.CutPrefix(f, "total="); ok {
			n, err := strconv.ParseInt(us, 10, 64)
			if err != nil {
				return -1
			}
			return time.Duration(n) * time.Microsecond // the first line's: "some"
		}
	}
	return -1
}

// percentile is the p-th percentile of ts in milliseconds (nearest rank).
func percentile(ts []time.Duration, p int) float64 {
	if len(ts) == 0 {
		return 0
	}
	s := slices.Clone(ts)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return float64(s[max(i, 1)-1].Microseconds()) / 1000
}

// hubRun prepares a hub for n counters in dir, serves it from bin and
// lets the counters sync against it for d.
func hubRun(dir, bin string, n int, d, every time.Duration) (hubResult, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return hubResult{}, err
	}
	addr, err := loopbackAddr()
	if err != nil {
		return hubResult{}, err
	}
	office, err := prepareHub(dir, "https://"+addr, n)
	if err != nil {
		return hubResult{}, fmt.Errorf("prepare the hub: %w", err)
	}
	srv, err := startHub(dir, bin, addr)
	if err != nil {
		return hubResult{}, err
	}
	r := syncLoad(office, d, every)
	if r.hubCPU, err = srv.stop(); err != nil {
		return r, err
	}
	if r.stored, err = hubEvents(filepath.Join(dir, "hub.db")); err != nil {
		return r, err
	}
	if r.stored != r.accepted {
		r.errors++
		r.firstErrors = append(r.firstErrors, fmt.Sprintf("the hub holds %d events, %d were accepted", r.stored, r.accepted))
	}
	for _, e := range r.firstErrors {
		fmt.Fprintf(os.Stderr, "%d counters: %s\n", n, e)
	}
	return r, nil
}

// loopbackAddr is a free TCP address on the loopback interface.
func loopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// benchOffice is a prepared hub: the counters' enrolments and the IDs of
// the bookings they serve.
type benchOffice struct {
	enrolments []sync.Enrolment
	bookings   []string
}

// prepareHub makes the hub's database in dir as ghiseu-hub init and demo
// would (with the bench's key in hub.key), and enrols n counters, named 1
// to n, reaching the hub at url.
func prepareHub(dir, url string, n int) (benchOffice, error) {
	ctx := context.Background()
	seed := hex.EncodeToString(benchKey.Seed()) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "hub.key"), []byte(seed), 0o600); err != nil {
		return benchOffice{}, err
	}
	db, err := store.Open(ctx, filepath.Join(dir, "hub.db"))
	if err != nil {
		return benchOffice{}, err
	}
	defer db.Close()
	h := &hub.Hub{DB: db, Key: benchKey, KeyID: 1, PackDays: 7}
	cal := calendar.Default()
	if err := hub.Init(ctx, db, cal, benchKey, 1, time.Now()); err != nil {
		return benchOffice{}, err
	}
	if _, err := h.Demo(ctx, 5, 0.7, 1); err != nil {
		return benchOffice{}, err
	}
	var o benchOffice
	today := cal.Day(time.Now())
	err = db.BookingsBetween(ctx, cal.Office, today, cal.Day(time.Now().AddDate(0, 0, 7)), func(b store.Booking) error {
		o.bookings = append(o.bookings, b.ID)
		return nil
	})
	if err != nil || len(o.bookings) == 0 {
		return o, fmt.Errorf("the demo's bookings (%d): %v", len(o.bookings), err)
	}
	o.enrolments, err = enrolCounters(ctx, h, url, n)
	return o, err
}

// enrolCounters does what ghiseu-hub enroll does for counters 1 to n.
func enrolCounters(ctx context.Context, h *hub.Hub, url string, n int) ([]sync.Enrolment, error) {
	_, pin, err := h.TLS(ctx)
	if err != nil {
		return nil, err
	}
	ring, err := h.DB.Keyring(ctx)
	if err != nil {
		return nil, err
	}
	base := sync.Enrolment{URL: url, Cert: pin, Office: calendar.Default().Office}
	for _, k := range ring {
		base.Keys = append(base.Keys, pack.KeyOf(k))
	}
	var es []sync.Enrolment
	for i := 1; i <= n; i++ {
		e := base
		e.Counter = strconv.Itoa(i)
		if e.Token, err = h.Enroll(ctx, e.Counter); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, nil
}

// hubProcess is a running ghiseu-hub serve.
type hubProcess struct {
	cmd *exec.Cmd
	log *os.File
}

// startHub runs ghiseu-hub serve on dir's database at addr, its log in
// dir/hub.log, and waits until it listens.
func startHub(dir, bin, addr string) (*hubProcess, error) {
	log, err := os.Create(filepath.Join(dir, "hub.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--db", "hub.db", "--key", "hub.key", "--addr", addr)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start ghiseu-hub: %w", err)
	}
	p := &hubProcess{cmd: cmd, log: log}
	for range 200 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return p, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.stop()
	return nil, fmt.Errorf("ghiseu-hub did not listen on %s within 10 s (see its log)", addr)
}

// stop ends the hub as systemd would (SIGTERM) and says how much CPU it
// used in all.
func (p *hubProcess) stop() (time.Duration, error) {
	defer p.log.Close()
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return 0, fmt.Errorf("ghiseu-hub serve: %w", err)
		}
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-done
		return 0, errors.New("ghiseu-hub serve did not stop within 15 s of SIGTERM")
	}
	st := p.cmd.ProcessState
	return st.UserTime() + st.SystemTime(), nil
}

// hubEvents counts the events a hub's database holds.
func hubEvents(path string) (int, error) {
	ctx := context.Background()
	db, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	es, err := db.EventsAfter(ctx, 0, 100_000_000)
	return len(es), err
}

// syncLoad runs one counter client per enrolment for d and gathers what they
// measured.
func syncLoad(o benchOffice, d, every time.Duration) hubResult {
	cpu0, io0 := selfCPU(), ioStall()
	start := time.Now()
	end := start.Add(d)
	clients := make([]*benchCounter, len(o.enrolments))
	var wg gosync.WaitGroup
	for i, e := range o.enrolments {
		clients[i] = newBenchCounter(e, o.bookings, i, len(o.enrolments))
		wg.Go(func() { clients[i].run(end, every) })
	}
	wg.Wait()
	r := hubResult{counters: len(clients), elapsed: time.Since(start), selfCPU: selfCPU() - cpu0, ioStalled: -1}
	if io1 := ioStall(); io0 >= 0 && io1 >= 0 {
		r.ioStalled = io1 - io0
	}
	for _, c := range clients {
		r.post = append(r.post, c.post...)
		r.get = append(r.get, c.get...)
		r.errors += len(c.errs)
		r.accepted += c.accepted
		for _, e := range c.errs {
			if len(r.firstErrors) < 5 && !slices.Contains(r.firstErrors, e) {
				r.firstErrors = append(r.firstErrors, e)
			}
		}
	}
	return r
}

// selfCPU is the CPU time this process used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchCounter is one counter syncing with the hub as store/sync's Syncer
// does (hello, push, pull, pack), with events of its own in every round.
type benchCounter struct {
	link     sync.Enrolment
	t        *sync.HTTP
	rng      *rand.Rand
	bookings []string // the bookings it serves, in turn
	step     int      // its next event: booking step/3, arrived, called or served
	outbox   []store.Event
	walkIns  []store.Booking
	cursor   int64
	tag      string
	seq      int
	accepted int
	post     []time.Duration
	get      []time.Duration
	errs     []string
}

// newBenchCounter is counter i of n, serving every n-th booking.
func newBenchCounter(e sync.Enrolment, bookings []string, i, n int) *benchCounter {
	c := &benchCounter{link: e, t: sync.NewHTTP(e), rng: rand.New(rand.NewPCG(uint64(i), 42))}
	for j := i; j < len(bookings); j += n {
		c.bookings = append(c.bookings, bookings[j])
	}
	if len(c.bookings) == 0 {
		c.bookings = []string{bookings[i%len(bookings)]}
	}
	return c
}

// eventTypes is a booking's way through a counter.
var eventTypes = []store.EventType{store.Arrived, store.Called, store.Served}

// run syncs every period, starting at a random moment of the first one,
// and starts no round after end.
func (c *benchCounter) run(end time.Time, every time.Duration) {
	ctx, cancel := context.WithDeadline(context.Background(), end.Add(90*time.Second))
	defer cancel()
	time.Sleep(time.Duration(c.rng.Int64N(int64(every))))
	tick := time.NewTicker(every)
	defer tick.Stop()
	for time.Now().Before(end) {
		c.record()
		if err := c.round(ctx); err != nil {
			c.errs = append(c.errs, err.Error())
		}
		<-tick.C
	}
}

// record is what the clerk did since the last round: one to three steps
// of the bookings in turn, now and then a walk-in.
func (c *benchCounter) record() {
	now := time.Now()
	for range 1 + c.rng.IntN(3) {
		b := c.bookings[(c.step/len(eventTypes))%len(c.bookings)]
		c.outbox = append(c.outbox, c.event(b, eventTypes[c.step%len(eventTypes)], now))
		c.step++
	}
	if c.rng.IntN(walkInOdds) > 0 {
		return
	}
	var id [8]byte
	for i := range id {
		id[i] = byte(c.rng.Uint32())
	}
	w := store.Booking{ID: "w-" + hex.EncodeToString(id[:]), SlotStart: now, SlotMinutes: 20, Kind: store.Intake,
		Name: "Vizitator Bench " + c.link.Counter, Reason: rules.Reasons()[0], Status: store.WalkIn}
	c.walkIns = append(c.walkIns, w)
	c.outbox = append(c.outbox, c.event(w.ID, store.Arrived, now))
}

func (c *benchCounter) event(booking string, typ store.EventType, at time.Time) store.Event {
	c.seq++
	return store.Event{ID: fmt.Sprintf("bench-c%s-%d", c.link.Counter, c.seq), BookingID: booking, Type: typ,
		At: at, Counter: c.link.Counter, Clerk: "ana"}
}

// round is one sync round; like the Syncer's, it stops at the first error.
func (c *benchCounter) round(ctx context.Context) error {
	if err := c.timed(&c.get, func() error { _, err := c.t.Hello(ctx); return err }); err != nil {
		return fmt.Errorf("hello: %w", err)
	}
	if err := c.timed(&c.post, func() error { return c.push(ctx) }); err != nil {
		return fmt.Errorf("push: %w", err)
	}
	for range 1000 {
		var es []store.Event
		err := c.timed(&c.get, func() (err error) { es, c.cursor, err = c.t.Pull(ctx, c.cursor); return err })
		if err != nil {
			return fmt.Errorf("pull: %w", err)
		}
		if len(es) == 0 {
			break
		}
	}
	err := c.timed(&c.get, func() (err error) { c.tag, _, err = c.t.Pack(ctx, c.tag, io.Discard); return err })
	if err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	return nil
}

// push sends the outbox and the walk-ins; what the hub answered for is
// done, a refusal is an error (the bench sends only valid events).
func (c *benchCounter) push(ctx context.Context) error {
	a, err := c.t.Push(ctx, c.outbox, c.walkIns)
	if err != nil {
		return err
	}
	if len(a.Events) != len(c.outbox) || len(a.WalkIns) != len(c.walkIns) {
		return fmt.Errorf("%d answers for %d events, %d for %d walk-ins", len(a.Events), len(c.outbox), len(a.WalkIns), len(c.walkIns))
	}
	var refused []string
	for i, r := range append(a.Events, a.WalkIns...) {
		switch {
		case r.Status == store.ResultRefused:
			refused = append(refused, r.ID+": "+r.Reason+" "+r.Detail)
		case r.Status == store.ResultAccepted && i < len(a.Events):
			c.accepted++
		}
	}
	c.outbox, c.walkIns = c.outbox[:0], c.walkIns[:0]
	if len(refused) > 0 {
		return fmt.Errorf("refused: %s", strings.Join(refused, "; "))
	}
	return nil
}

// timed runs one request and notes how long it took, errors included.
func (c *benchCounter) timed(into *[]time.Duration, req func() error) error {
	t0 := time.Now()
	err := req()
	*into = append(*into, time.Since(t0))
	return err
}
