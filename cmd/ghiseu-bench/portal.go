package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/decode"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/mail"
	"github.com/ghiseu/ghiseu/store/site"
)

// benchPortal is the booking rush: many citizens at once at a few free
// slots of the real booking site, on loopback, with a real mail server that
// is stopped for part of the run. It prints the table and fails when a slot
// holds more than its capacity, a person holds two bookings or an e-mail
// was lost.
func benchPortal(args []string) error {
	fs := flag.NewFlagSet("portal", flag.ContinueOnError)
	var cfg portalConfig
	fs.IntVar(&cfg.Citizens, "citizens", 1000, "simulated citizens, all at once")
	fs.IntVar(&cfg.Slots, "slots", 100, "free intake slots (capacity 1 each), all on one day")
	fs.Float64Var(&cfg.Repeat, "repeat", 0.1, "share of the citizens who are a person already among them again (another e-mail)")
	fs.IntVar(&cfg.Retries, "retries", 2, "how often a citizen whose slot was taken tries another free one")
	fs.DurationVar(&cfg.SMTPDown, "smtp-down", 5*time.Second, "how long the mail server is stopped, from shortly after the rush begins (0: never)")
	fs.DurationVar(&cfg.Wait, "wait", 2*time.Minute, "how long to wait for every e-mail after the rush")
	fs.StringVar(&cfg.Python, "python", "/usr/bin/python3", "the Python that runs the mail server (needs aiosmtpd: apt-get install python3-aiosmtpd)")
	keep := fs.Bool("keep", false, "keep the hub's database and the mail server's folder")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (hub, site, citizens) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	dir, err := os.MkdirTemp("", "ghiseu-bench-portal-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Println("database and mail in", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	cfg.Dir, cfg.Progress = dir, os.Stderr
	slog.SetDefault(slog.New(slog.DiscardHandler)) // the site's line per answer, the outbox's per round
	r, err := runPortal(context.Background(), cfg)
	if err != nil {
		return err
	}
	r.print(os.Stdout)
	if bad := r.failures(); len(bad) > 0 {
		return fmt.Errorf("the rush broke a rule: %s", strings.Join(bad, "; "))
	}
	return nil
}

// portalConfig is one rush.
type portalConfig struct {
	Citizens, Slots int
	Repeat          float64       // share of citizens who are another's person again
	Retries         int           // tries after a taken slot
	SMTPDown        time.Duration // the mail server's downtime
	Wait            time.Duration // the bound on the wait for the mail
	Python          string        // with aiosmtpd
	Dir             string        // for the database and the mail
	Progress        io.Writer     // a line per phase; nil: none
}

// portalResult is what a rush measured.
type portalResult struct {
	Citizens, Persons, Slots int
	Rush                     time.Duration   // from the start to the last request answered
	Posts                    []time.Duration // every request POST
	Gets                     int
	Held, SlotTaken, Person  int // the hub's answers to the requests
	Replaced                 int // held requests a later request of the same person replaced
	Other                    int // other refusals (hub, site limits, HTTP errors)
	DayFull                  int // citizens who found the day full (at first, or after a taken slot)
	Booked                   int // persons who got a booking in the end
	SMTPDown                 time.Duration
	Delivery                 time.Duration // from the end of the rush until every e-mail was in
	RequestMails, QRMails    int           // received by the mail server
	Confirmed, ConfirmFailed int           // confirm POSTs
	ConfirmGone              int           // confirmations refused as no longer valid (a replaced request's)
	Bookings                 int           // confirmed bookings in the database
	OverCapacity             int           // slots holding more than their capacity
	TwoBookings              int           // persons with more than one booking
	LostRequests, LostQR     int           // held requests without their e-mail, bookings without their QR
	Notes                    []string      // the first unexpected answers
}

// failures are the rules the rush broke.
func (r portalResult) failures() []string {
	var bad []string
	if r.OverCapacity > 0 {
		bad = append(bad, fmt.Sprintf("%d slots over capacity", r.OverCapacity))
	}
	if r.TwoBookings > 0 {
		bad = append(bad, fmt.Sprintf("%d persons with two bookings", r.TwoBookings))
	}
	if n := r.LostRequests + r.LostQR; n > 0 {
		bad = append(bad, fmt.Sprintf("%d confirmations lost (%d request e-mails, %d QR e-mails)", n, r.LostRequests, r.LostQR))
	}
	if r.ConfirmFailed > 0 || r.ConfirmGone > r.Replaced {
		bad = append(bad, fmt.Sprintf("%d confirmations refused (%d of them as no longer valid, where %d requests were replaced)",
			r.ConfirmFailed+r.ConfirmGone, r.ConfirmGone, r.Replaced))
	}
	return bad
}

func (r portalResult) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k string, v any) { fmt.Fprintf(tw, "%s\t%v\n", k, v) }
	row("citizens (persons)", fmt.Sprintf("%d (%d)", r.Citizens, r.Persons))
	row("free slots", r.Slots)
	row("request POSTs", len(r.Posts))
	row("request POSTs/s", fmt.Sprintf("%.0f", float64(len(r.Posts))/r.Rush.Seconds()))
	row("HTTP requests/s (GET+POST)", fmt.Sprintf("%.0f", float64(len(r.Posts)+r.Gets)/r.Rush.Seconds()))
	row("request POST p50 / p99 ms", fmt.Sprintf("%.1f / %.1f", percentile(r.Posts, 50), percentile(r.Posts, 99)))
	row("rush took", r.Rush.Round(time.Millisecond))
	row("held requests (replaced by the same person)", fmt.Sprintf("%d (%d)", r.Held, r.Replaced))
	row("refused: slot taken", r.SlotTaken)
	row("refused: person holds one", r.Person)
	row("refused: other", r.Other)
	row("citizens who met a full day", r.DayFull)
	row("mail server down", r.SMTPDown.Round(100*time.Millisecond))
	row("request e-mails received", r.RequestMails)
	row("confirmed (POST) / replaced / refused", fmt.Sprintf("%d / %d / %d", r.Confirmed, r.ConfirmGone, r.ConfirmFailed))
	row("QR e-mails received", r.QRMails)
	row("all mail in, after the rush", r.Delivery.Round(100*time.Millisecond))
	row("persons booked (slots left free)", fmt.Sprintf("%d (%d)", r.Booked, r.Slots-r.Bookings))
	row("slots over capacity", r.OverCapacity)
	row("persons with two bookings", r.TwoBookings)
	row("lost confirmations", r.LostRequests+r.LostQR)
	tw.Flush()
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}

// runPortal makes a fresh hub in cfg.Dir, serves its booking site on
// loopback with its outbox delivering to a mail server process, lets the
// citizens rush it, confirms every request from its e-mail and checks the
// database and the mail.
func runPortal(ctx context.Context, cfg portalConfig) (portalResult, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	progress := func(format string, args ...any) {
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "portal: "+format+"\n", args...)
		}
	}
	if cfg.Citizens < 1 || cfg.Slots < 1 || cfg.Repeat < 0 || cfg.Repeat >= 1 {
		return portalResult{}, errors.New("portal: want citizens and slots ≥ 1 and a repeat share in [0, 1)")
	}
	persons := cfg.Citizens - int(float64(cfg.Citizens)*cfg.Repeat+0.5)
	res := portalResult{Citizens: cfg.Citizens, Persons: persons, Slots: cfg.Slots}

	// The mail server.
	smtpd, err := newRushSMTPD(cfg.Python, filepath.Join(cfg.Dir, "mail"))
	if err != nil {
		return res, err
	}
	defer smtpd.stop()
	if err := smtpd.start(); err != nil {
		return res, err
	}

	// The hub, as ghiseu-hub init makes it, with the office's calendar.
	now := time.Now()
	cal, day, err := rushCalendar(now, cfg.Slots)
	if err != nil {
		return res, err
	}
	db, err := store.Open(ctx, filepath.Join(cfg.Dir, "hub.db"))
	if err != nil {
		return res, err
	}
	defer db.Close()
	if err := hub.Init(ctx, db, cal, benchKey, 1, now); err != nil {
		return res, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	base := "http://" + ln.Addr().String()
	outbox := &mail.Outbox{DB: db, Sender: &mail.SMTP{Host: "127.0.0.1", Port: smtpd.port, TLS: mail.TLSNone, Timeout: 5 * time.Second},
		Backoff: 200 * time.Millisecond, MaxBackoff: 2 * time.Second, Log: slog.New(slog.DiscardHandler)}
	h := &hub.Hub{DB: db, Key: benchKey, KeyID: 1, PackDays: 7,
		Letters: hub.Letters{SiteURL: base, From: cal.OfficeName + " <programari@rush.example>", Queued: outbox.Kick}}
	booker := &rushBooker{Hub: h, held: map[string]bool{}, heldPerson: map[string]string{}, replacedTo: map[string]bool{}}
	// Each citizen comes from an address of their own (127.0.0.0/8 is all
	// loopback), so the site's limits per visitor stay as a real office
	// sets them; only the posts a minute allow the retries.
	handler := site.New(booker, site.Options{BaseURL: base, PostsPerMinute: max(10, cfg.Retries+2),
		RequestsPerHour: cfg.Retries + 2, MaxTracked: 2 * cfg.Citizens, Log: slog.New(slog.DiscardHandler)})
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 16 << 10,
		ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelDebug)}
	go srv.Serve(ln)
	defer srv.Close()
	go outbox.Run(ctx)

	// The citizens, and the mail server stopped shortly after they start.
	start := make(chan struct{})
	outcomes := make([]citizenOutcome, cfg.Citizens)
	var wg gosync.WaitGroup
	for i := range cfg.Citizens {
		tr := fromAddress(loopbackIP(1, i))
		c := newCitizen(i, persons, base, day, cal, tr, cfg.Retries)
		wg.Go(func() {
			defer tr.CloseIdleConnections()
			<-start
			outcomes[i] = c.book(ctx)
		})
	}
	downDone := make(chan struct{})
	progress("%d citizens at %d slots on %s; mail server on port %d", cfg.Citizens, cfg.Slots, cal.Day(day), smtpd.port)
	t0 := time.Now()
	close(start)
	go func() {
		defer close(downDone)
		if cfg.SMTPDown <= 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
		smtpd.stop()
		down := time.Now()
		progress("mail server stopped")
		time.Sleep(cfg.SMTPDown)
		if err := smtpd.start(); err != nil {
			progress("mail server did not start again: %v", err)
		}
		res.SMTPDown = time.Since(down)
		progress("mail server up again after %v", res.SMTPDown.Round(100*time.Millisecond))
	}()

	// The mail, read as it arrives: every request's link is followed and
	// its button pressed; every QR is decoded and verified.
	keys, err := db.Keyring(ctx)
	if err != nil {
		return res, err
	}
	follower := &mailFollower{dir: smtpd.dir, base: base, keys: keys, seen: map[string]bool{},
		requestTo: map[string]bool{}, qrFor: map[string]string{}}
	rushed := make(chan struct{})
	go func() { wg.Wait(); close(rushed) }()
	<-rushed
	rushEnd := time.Now()
	progress("rush over in %v; waiting for the mail", rushEnd.Sub(t0).Round(time.Millisecond))
	err = follower.follow(ctx, db, downDone, rushEnd.Add(cfg.Wait))
	res.Delivery = time.Since(rushEnd)
	follower.wg.Wait()
	<-downDone
	if errors.Is(err, errMailLate) {
		res.Notes = append(res.Notes, fmt.Sprintf("gave up waiting for the mail after %v", cfg.Wait))
	} else if err != nil {
		return res, err
	}
	res.Rush = rushEnd.Sub(t0)
	for _, o := range outcomes {
		res.Posts = append(res.Posts, o.posts...)
		res.Gets += o.gets
		if o.note != "" && len(res.Notes) < 5 {
			res.Notes = append(res.Notes, o.note)
		}
	}
	booker.mu.Lock()
	res.Held, res.SlotTaken, res.Person, res.Other = len(booker.held), booker.slotTaken, booker.person, booker.other
	res.Replaced = booker.replaced
	res.Notes = append(res.Notes, booker.notes...)
	held := sortedKeys(booker.held)
	replacedTo := booker.replacedTo
	booker.mu.Unlock()
	for _, o := range outcomes {
		if o.refusedByServer {
			res.Other++ // refused before the hub: rate limits, HTTP errors
		}
		if o.dayFull {
			res.DayFull++
		}
	}
	follower.mu.Lock()
	defer follower.mu.Unlock()
	res.RequestMails, res.QRMails = len(follower.requestTo), len(follower.qrFor)
	res.Confirmed, res.ConfirmFailed, res.ConfirmGone = follower.confirmed, follower.confirmFailed, follower.confirmGone
	res.Notes = append(res.Notes, follower.notes...)
	for _, email := range held {
		if !follower.requestTo[email] && !replacedTo[email] {
			res.LostRequests++
		}
	}
	return res, checkBookings(ctx, db, cal, day, follower.qrFor, &res)
}

// checkBookings reads the database after the rush: slots over capacity
// (bookings and live requests), persons (by name and birth date, as the
// hub folds them) with more than one booking, and bookings without their
// QR e-mail.
func checkBookings(ctx context.Context, db *store.DB, cal calendar.Calendar, day time.Time, qrFor map[string]string, res *portalResult) error {
	from, to := cal.At(day, 0), cal.At(day, 0).AddDate(0, 0, 1)
	taken, err := db.Taken(ctx, from, to, store.Intake, time.Now())
	if err != nil {
		return err
	}
	perSlot, perPerson := map[int64]int{}, map[string]int{}
	err = db.BookingsBetween(ctx, cal.Office, cal.Day(day), cal.Day(day), func(b store.Booking) error {
		if b.Status != store.Confirmed {
			return nil
		}
		res.Bookings++
		perSlot[b.SlotStart.Unix()]++
		perPerson[i18n.Fold(b.Name)+"|"+b.BirthDate]++
		c, err := db.ContactOf(ctx, b.ID)
		if err != nil {
			return fmt.Errorf("booking %s: %w", b.ID, err)
		}
		if qrFor[b.ID] != c.Email {
			res.LostQR++
		}
		return nil
	})
	if err != nil {
		return err
	}
	over := map[int64]bool{}
	for start, n := range taken {
		over[start.Unix()] = over[start.Unix()] || n > max(cal.Capacity, 1)
	}
	for start, n := range perSlot {
		over[start] = over[start] || n > max(cal.Capacity, 1)
	}
	for _, o := range over {
		if o {
			res.OverCapacity++
		}
	}
	for _, n := range perPerson {
		if n > 1 {
			res.TwoBookings++
		}
	}
	res.Booked = len(perPerson)
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// rushCalendar is the demo office with exactly n intake slots of capacity
// 1, all on the first open day after now's: the slots are shorter when n
// is large (at least a minute), from 07:00. The booking window ends that
// day.
func rushCalendar(now time.Time, n int) (calendar.Calendar, time.Time, error) {
	cal := calendar.Default()
	minutes := 20
	for minutes > 1 && n*minutes > 15*60 {
		minutes--
	}
	if n*minutes > 16*60 {
		return cal, time.Time{}, fmt.Errorf("portal: %d slots do not fit in a day (at most %d)", n, 16*60)
	}
	loc := cal.Location()
	day := now.In(loc)
	offset := 0
	for {
		day, offset = day.AddDate(0, 0, 1), offset+1
		if !cal.IsClosed(day) {
			break
		}
	}
	day = cal.At(day, 0)
	open := calendar.Clock(7 * 60)
	cal.SlotMinutes, cal.Capacity, cal.BookingDays = minutes, 1, offset
	cal.Intake = calendar.Week{strings.ToLower(day.Weekday().String()[:3]): {{Start: open, End: open + calendar.Clock(n*minutes)}}}
	cal.Priority = nil
	total := 0
	for d := 0; d <= offset; d++ {
		for _, s := range cal.Slots(cal.At(now, 0).AddDate(0, 0, d), false) {
			if cal.Bookable(s, false, now) == nil {
				total++
			}
		}
	}
	if total != n {
		return cal, day, fmt.Errorf("portal: the calendar has %d bookable slots, want %d", total, n)
	}
	return cal, day, nil
}

// rushBooker is the hub as the site sees it (as ghiseu-hub serve wires
// it), counting the hub's answers: the site answers alike whether or not
// the person holds a booking.
type rushBooker struct {
	*hub.Hub
	mu               gosync.Mutex
	held             map[string]bool   // e-mail addresses whose request was held
	heldPerson       map[string]string // persons (name, birth date) with a held request → its address
	replacedTo       map[string]bool   // addresses of requests a later one replaced (their e-mail may go with them)
	replaced         int               // held requests of a person who held one already: the new replaces the old
	slotTaken        int
	person, other    int
	notes            []string
	unexpectedErrors int
}

// Request holds the slot and queues the confirmation e-mail.
func (b *rushBooker) Request(ctx context.Context, r hub.BookingRequest) error {
	_, _, err := b.Hub.Request(ctx, r)
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case err == nil:
		b.held[r.Email] = true
		person := r.Name + "|" + r.BirthDate
		if old, ok := b.heldPerson[person]; ok {
			b.replaced++
			b.replacedTo[old] = true
		}
		b.heldPerson[person] = r.Email
	case errors.Is(err, hub.ErrSlotTaken):
		b.slotTaken++
	case errors.Is(err, hub.ErrPersonHasBooking):
		b.person++
	default:
		b.other++
		if b.unexpectedErrors++; b.unexpectedErrors <= 3 {
			b.notes = append(b.notes, "hub refused a request: "+err.Error())
		}
	}
	return err
}

// citizen is one simulated person at the site, with their own browser
// (cookie jar).
type citizen struct {
	base, date              string
	client                  *http.Client
	email, name, birth, why string
	retries                 int
	rng                     *rand.Rand
	gets                    int
	posts                   []time.Duration
	refusedByServer         bool
	dayFull                 bool
	note                    string
}

type citizenOutcome struct {
	gets            int
	posts           []time.Duration
	refusedByServer bool
	dayFull         bool // met a full day: no slot left to ask for
	note            string
}

var (
	rushSurnames = []string{"Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe",
		"Rusu", "Munteanu", "Matei", "Constantin", "Șerban", "Moldovan", "Mureșan", "Țurcanu", "Bălan", "Lungu", "Kovács"}
	rushGiven = []string{"Andrei", "Maria", "Ioana", "Mihai", "Elena", "Alexandru", "Ana", "Ștefan", "Cristina",
		"Gabriel", "Ilinca", "Tudor", "Răzvan", "Oana", "Sorina", "Luca", "Irina", "Bogdan", "Ecaterina", "Vlad"}
	rushReasons = []string{"expiry", "expiry", "expiry", "lost", "civil_status_change", "domicile_change"}
)

// newCitizen is citizen i of a rush with persons distinct persons: the
// citizens from persons on are the first persons again, with an e-mail of
// their own.
func newCitizen(i, persons int, base string, day time.Time, cal calendar.Calendar, tr http.RoundTripper, retries int) *citizen {
	p := i % persons
	jar, _ := cookiejar.New(nil)
	born := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 13*p)
	return &citizen{base: base, date: cal.Day(day), client: &http.Client{Transport: tr, Jar: jar, Timeout: 2 * time.Minute},
		email: fmt.Sprintf("cetatean%05d@rush.example", i),
		name:  rushSurnames[p%len(rushSurnames)] + " " + rushGiven[(p/len(rushSurnames))%len(rushGiven)],
		birth: born.Format(time.DateOnly), why: rushReasons[p%len(rushReasons)], retries: retries,
		rng: rand.New(rand.NewPCG(uint64(i), 7))}
}

var (
	csrfField  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	freeSlot   = regexp.MustCompile(`<input type="radio" name="slot" id="[^"]*" value="([0-9:]+)"(>| checked>)`)
	tokenField = regexp.MustCompile(`name="t" value="([^"]+)"`)
)

// book opens the day's page, picks a free slot and asks for it; when the
// slot was taken meanwhile, another free one from the page that says so.
func (c *citizen) book(ctx context.Context) citizenOutcome {
	out := func() citizenOutcome {
		return citizenOutcome{gets: c.gets, posts: c.posts, refusedByServer: c.refusedByServer, dayFull: c.dayFull, note: c.note}
	}
	page, status, err := c.do(ctx, http.MethodGet, "/zi/"+c.date, nil)
	c.gets++
	if err != nil || status != http.StatusOK {
		c.refusedByServer, c.note = true, fmt.Sprintf("day page: %d %v", status, err)
		return out()
	}
	for try := 0; try <= c.retries; try++ {
		csrf := csrfField.FindSubmatch(page)
		slots := freeSlot.FindAllSubmatch(page, -1)
		if csrf == nil || len(slots) == 0 {
			c.dayFull = true // the site says the day is full: no form
			return out()
		}
		form := url.Values{"csrf": {string(csrf[1])}, "lang": {"ro"}, "day": {c.date},
			"slot": {string(slots[c.rng.IntN(len(slots))][1])}, "email": {c.email}, "name": {c.name},
			"reason": {c.why}, "birth": {c.birth}, "gdpr": {"da"}}
		t := time.Now()
		page, status, err = c.do(ctx, http.MethodPost, "/rezervare", form)
		c.posts = append(c.posts, time.Since(t))
		switch {
		case err != nil:
			c.refusedByServer, c.note = true, "request: "+err.Error()
			return out()
		case status == http.StatusOK:
			return out() // held, or the person holds one: the site says the same
		case status == http.StatusUnprocessableEntity && bytes.Contains(page, []byte(`id="err-slot"`)):
			continue // taken meanwhile: the page shows the slots left
		case status == http.StatusUnprocessableEntity:
			return out() // refused by the hub for another reason (counted there)
		default:
			c.refusedByServer, c.note = true, fmt.Sprintf("request: HTTP %d", status)
			return out()
		}
	}
	return out()
}

// loopbackIP is the n-th address of 127.block.0.0/16 (from 127.block.0.1).
func loopbackIP(block, n int) net.IP {
	return net.IPv4(127, byte(block), byte(n/250), byte(n%250+1))
}

// fromAddress is a transport whose connections come from ip.
func fromAddress(ip net.IP) *http.Transport {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 30 * time.Second}
	return &http.Transport{DialContext: d.DialContext, DisableCompression: true, IdleConnTimeout: time.Minute}
}

// do sends one request of the citizen's browser and reads the answer.
func (c *citizen) do(ctx context.Context, method, path string, form url.Values) ([]byte, int, error) {
	return browse(ctx, c.client, c.base, method, path, form)
}

func browse(ctx context.Context, client *http.Client, base, method, path string, form url.Values) ([]byte, int, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, body)
	if err != nil {
		return nil, 0, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	return page, resp.StatusCode, err
}

// mailFollower reads the mail server's folder: it follows every request
// e-mail's confirmation link (the page, then its button) and verifies the
// QR code of every booking's e-mail.
type mailFollower struct {
	dir, base  string
	clicks     atomic.Int64 // confirmations begun, each from an address of its own
	keys       rescode.Keyring
	seen       map[string]bool
	confirming atomic.Int64
	wg         gosync.WaitGroup

	mu                       gosync.Mutex
	requestTo                map[string]bool   // addresses that got a request e-mail
	qrFor                    map[string]string // booking ID → the address its verified QR went to
	confirmed, confirmFailed int
	confirmGone              int // refused as no longer valid (410): a replaced request's link
	notes                    []string
}

var (
	confirmLink = regexp.MustCompile(`/confirma\?t=([A-Za-z0-9_-]+)`)
	cancelLink  = regexp.MustCompile(`/anuleaza\?t=[A-Za-z0-9_-]+`)
)

// errMailLate: the mail was not all in by the deadline.
var errMailLate = errors.New("the mail was not all in by the deadline")

// follow reads the mail as it arrives until the outbox is empty, the mail
// server has been up again, no confirmation is under way and nothing new
// came; errMailLate at the deadline.
func (f *mailFollower) follow(ctx context.Context, db *store.DB, up <-chan struct{}, deadline time.Time) error {
	for {
		n := len(f.seen)
		if err := f.scan(ctx); err != nil {
			return err
		}
		select {
		case <-up:
			pending, _, err := db.PendingMail(ctx)
			if err != nil {
				return err
			}
			// Every message sent is on disk before the server answers, so
			// before it leaves the outbox: a look that finds nothing new
			// after that misses nothing.
			if pending == 0 && f.confirming.Load() == 0 && len(f.seen) == n {
				return nil
			}
		default:
		}
		if time.Now().After(deadline) {
			return errMailLate
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// scan reads the messages that arrived since the last scan.
func (f *mailFollower) scan(ctx context.Context) error {
	names, err := filepath.Glob(filepath.Join(f.dir, "*.eml"))
	if err != nil {
		return err
	}
	slices.Sort(names)
	for _, n := range names {
		if f.seen[n] {
			continue
		}
		f.seen[n] = true
		raw, err := os.ReadFile(n)
		if err != nil {
			return err
		}
		m, err := mail.Parse(raw)
		if err != nil {
			f.note(fmt.Sprintf("%s: %v", filepath.Base(n), err))
			continue
		}
		to := m.To
		if i := strings.LastIndex(to, "<"); i >= 0 {
			to = strings.TrimSuffix(to[i+1:], ">")
		}
		switch {
		case confirmLink.MatchString(m.Text):
			f.mu.Lock()
			f.requestTo[to] = true
			f.mu.Unlock()
			token := confirmLink.FindStringSubmatch(m.Text)[1]
			f.confirming.Add(1)
			f.wg.Go(func() {
				defer f.confirming.Add(-1)
				f.confirm(ctx, token)
			})
		case cancelLink.MatchString(m.Text):
			f.verifyQR(to, m)
		default:
			f.note(fmt.Sprintf("an e-mail neither asks to confirm nor confirms: %q", m.Subject))
		}
	}
	return nil
}

// confirm does what the citizen does with the e-mail: opens the link in a
// fresh browser and presses the button.
func (f *mailFollower) confirm(ctx context.Context, token string) {
	jar, _ := cookiejar.New(nil)
	tr := fromAddress(loopbackIP(2, int(f.clicks.Add(1))))
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Jar: jar, Timeout: time.Minute}
	page, status, err := browse(ctx, client, f.base, http.MethodGet, "/confirma?t="+token, nil)
	ok, gone := false, err == nil && status == http.StatusGone
	if err == nil && status == http.StatusOK {
		csrf, t := csrfField.FindSubmatch(page), tokenField.FindSubmatch(page)
		if csrf != nil && t != nil {
			_, status, err = browse(ctx, client, f.base, http.MethodPost, "/confirma",
				url.Values{"csrf": {string(csrf[1])}, "lang": {"ro"}, "t": {string(t[1])}})
			ok, gone = err == nil && status == http.StatusOK, err == nil && status == http.StatusGone
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case ok:
		f.confirmed++
		return
	case gone:
		f.confirmGone++
		return
	}
	f.confirmFailed++
	if f.confirmFailed <= 3 {
		f.notes = append(f.notes, fmt.Sprintf("confirmation refused: HTTP %d %v", status, err))
	}
}

// verifyQR decodes the booking e-mail's PNG with the counter's decoder and
// verifies the code against the hub's keys.
func (f *mailFollower) verifyQR(to string, m mail.Parsed) {
	for _, a := range m.Attachments {
		if a.ContentType != "image/png" {
			continue
		}
		img, err := png.Decode(bytes.NewReader(a.Data))
		if err != nil {
			f.note("QR attachment: " + err.Error())
			return
		}
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
		r, ok := decode.New().Still(g)
		if !ok {
			f.note("a QR attachment does not decode")
			return
		}
		c, err := rescode.Parse(r.Text, f.keys)
		if err != nil {
			f.note("a QR code does not verify: " + err.Error())
			return
		}
		f.mu.Lock()
		f.qrFor[strconv.FormatUint(c.BookingID, 10)] = to
		f.mu.Unlock()
		return
	}
	f.note("a booking e-mail without a PNG attachment")
}

func (f *mailFollower) note(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.notes) < 5 {
		f.notes = append(f.notes, s)
	}
}

// rushSMTPScript is a mail server on Debian's aiosmtpd: it writes each
// message whole to DIR as NAME.eml (through a temporary name, so a reader
// never sees half of one) before it answers 250, prints "ready" once it
// listens, and serves until killed.
const rushSMTPScript = `
import os, sys, threading, time, uuid
from aiosmtpd.controller import Controller

class Handler:
    def __init__(self, outdir):
        self.outdir = outdir
    async def handle_DATA(self, server, session, envelope):
        name = "%020d-%s" % (time.time_ns(), uuid.uuid4().hex[:8])
        tmp = os.path.join(self.outdir, "." + name)
        with open(tmp, "wb") as f:
            f.write(envelope.original_content)
        os.rename(tmp, os.path.join(self.outdir, name + ".eml"))
        return "250 Message accepted for delivery"

port, outdir = int(sys.argv[1]), sys.argv[2]
Controller(Handler(outdir), hostname="127.0.0.1", port=port).start()
print("ready", flush=True)
threading.Event().wait()
`

// rushSMTPD is the mail server process, stopped and started again on the
// same port.
type rushSMTPD struct {
	python, dir string
	port        int
	mu          gosync.Mutex
	cmd         *exec.Cmd
	log         bytes.Buffer
}

func newRushSMTPD(python, dir string) (*rushSMTPD, error) {
	if err := exec.Command(python, "-c", "import aiosmtpd").Run(); err != nil {
		return nil, fmt.Errorf("portal: %s cannot import aiosmtpd (apt-get install python3-aiosmtpd): %w", python, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return &rushSMTPD{python: python, dir: dir, port: port}, nil
}

// start runs the server and waits until it listens.
func (s *rushSMTPD) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmd := exec.Command(s.python, "-c", rushSMTPScript, strconv.Itoa(s.port), s.dir)
	cmd.Stderr = &s.log
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the mail server: %w", err)
	}
	ready := make(chan bool, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- strings.TrimSpace(line) == "ready"
		io.Copy(io.Discard, out)
	}()
	select {
	case ok := <-ready:
		if ok {
			s.cmd = cmd
			return nil
		}
	case <-time.After(30 * time.Second):
	}
	cmd.Process.Kill()
	cmd.Wait()
	return fmt.Errorf("the mail server did not start: %s", s.log.String())
}

// stop kills the server, if it runs.
func (s *rushSMTPD) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		s.cmd = nil
	}
}
