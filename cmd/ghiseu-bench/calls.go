package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/calls"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/sync"
)

// benchCalls measures call-to-screen latency: a real ghiseu-hub serve on
// loopback, a counter that calls the next person (desk.CallNext, as
// Ctrl+N) with its syncer running as the counter window runs it (a round
// every 5 s, nudged after each call), and the waiting room's long poll
// (GET /v1/calls, as ghiseu display asks it). Each latency is from the
// call's write to the counter's database to the display's answer that
// holds it.
func benchCalls(args []string) error {
	fs := flag.NewFlagSet("calls", flag.ContinueOnError)
	n := fs.Int("calls", 50, "how many calls")
	gap := fs.Duration("gap", 300*time.Millisecond, "pause between calls")
	nudge := fs.Bool("nudge", true, "nudge the counter's syncer after each call (as the counter does)")
	bin := fs.String("hub", "", "the ghiseu-hub binary; built from ./cmd/ghiseu-hub when empty")
	if err := fs.Parse(args); err != nil {
		return err
	}
	slog.SetDefault(slog.New(slog.DiscardHandler))
	dir, err := os.MkdirTemp("", "ghiseu-bench-calls-")
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
	addr, err := loopbackAddr()
	if err != nil {
		return err
	}
	enrolments, err := prepareCallsHub(dir, "https://"+addr, *n)
	if err != nil {
		return fmt.Errorf("prepare the hub: %w", err)
	}
	srv, err := startHub(dir, *bin, addr)
	if err != nil {
		return err
	}
	defer srv.stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// The counter: arrivals with tickets, synced before the calls begin.
	d, err := desk.Open(ctx, desk.Config{DBPath: filepath.Join(dir, "counter.db"), Counter: "1", Clerk: "bench"})
	if err != nil {
		return err
	}
	defer d.Close()
	link := enrolments[0]
	if err := sync.Link(ctx, d.DB, link); err != nil {
		return err
	}
	s := &sync.Syncer{DB: d.DB, T: sync.NewHTTP(link), Link: link, Now: d.Time, OnClock: d.SetClockOffset}
	if err := s.Once(ctx); err != nil {
		return fmt.Errorf("first sync: %w", err)
	}
	if err := d.Reload(ctx); err != nil {
		return err
	}
	rows, err := d.Day(ctx, d.Today())
	if err != nil || len(rows) < *n {
		return fmt.Errorf("the counter has %d bookings today, %d calls asked (%v)", len(rows), *n, err)
	}
	for i, r := range rows[:*n] {
		e := store.Event{ID: store.NewEventID(), BookingID: r.ID, Type: store.Arrived, At: d.Time(), Counter: "1", Clerk: "bench",
			Ticket: fmt.Sprintf("D-%03d", i+1)}
		if err := d.DB.Append(ctx, e); err != nil {
			return err
		}
	}
	if err := s.Once(ctx); err != nil {
		return fmt.Errorf("sync the arrivals: %w", err)
	}
	go s.Run(ctx, 5*time.Second)

	// The display: it notes when each call's event (by seq) reached it.
	display := sync.NewCalls(enrolments[1])
	f, err := display.Wait(ctx, 0, 0)
	if err != nil {
		return fmt.Errorf("the display's first request: %w", err)
	}
	seen := make(chan calls.Feed, 64)
	go func() {
		after := f.Seq
		for ctx.Err() == nil {
			f, err := display.Wait(ctx, after, calls.DefaultWait)
			if err != nil {
				if ctx.Err() == nil {
					fmt.Fprintln(os.Stderr, "display:", err)
					time.Sleep(time.Second)
				}
				continue
			}
			after = f.Seq
			seen <- f
		}
	}()

	var lat []time.Duration
	lastCall := func(f calls.Feed) int64 {
		if len(f.Calls) == 0 {
			return 0
		}
		return f.Calls[len(f.Calls)-1].Seq
	}
	for i := range *n {
		before := lastCall(f)
		start := time.Now()
		if _, err := d.CallNext(ctx); err != nil {
			return fmt.Errorf("call %d: %w", i+1, err)
		}
		if *nudge {
			s.Nudge()
		}
		for lastCall(f) == before {
			select {
			case f = <-seen:
			case <-time.After(30 * time.Second):
				return fmt.Errorf("call %d did not reach the display in 30 s", i+1)
			}
		}
		if got, want := f.Calls[len(f.Calls)-1].Ticket, fmt.Sprintf("D-%03d", i+1); got != want {
			return fmt.Errorf("call %d: the display shows %s, want %s", i+1, got, want)
		}
		lat = append(lat, time.Since(start))
		time.Sleep(*gap)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "calls\tnudged\tmedian ms\tp99 ms\tmax ms\twithin 2 s\t")
	within := 0
	for _, l := range lat {
		if l <= 2*time.Second {
			within++
		}
	}
	fmt.Fprintf(tw, "%d\t%v\t%.1f\t%.1f\t%.1f\t%d/%d\t\n", len(lat), *nudge, percentile(lat, 50), percentile(lat, 99), percentile(lat, 100), within, len(lat))
	return tw.Flush()
}

// prepareCallsHub makes a hub in dir with n bookings today and enrols
// counter 1 and the waiting room's screen (as counter 2).
func prepareCallsHub(dir, url string, n int) ([]sync.Enrolment, error) {
	ctx := context.Background()
	if err := os.WriteFile(filepath.Join(dir, "hub.key"), []byte(fmt.Sprintf("%x\n", benchKey.Seed())), 0o600); err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, filepath.Join(dir, "hub.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	cal := calendar.Default()
	now := time.Now()
	if err := hub.Init(ctx, db, cal, benchKey, 1, now); err != nil {
		return nil, err
	}
	var bs []store.Booking
	for i := range n {
		bs = append(bs, store.Booking{ID: "20990" + strconv.Itoa(10000+i), Office: cal.Office, Day: cal.Day(now),
			SlotStart: now.Truncate(time.Minute).Add(time.Duration(i) * time.Minute), SlotMinutes: 20, Kind: store.Intake,
			Name: "Persoana Test", Reason: "expiry", Status: store.Confirmed})
	}
	if err := db.PutBookings(ctx, bs); err != nil {
		return nil, err
	}
	if err := db.Bump(ctx); err != nil {
		return nil, err
	}
	h := &hub.Hub{DB: db, Key: benchKey, KeyID: 1, PackDays: 7}
	return enrolCounters(ctx, h, url, 2) // counter 1 calls, "counter" 2 is the screen
}
