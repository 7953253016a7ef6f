package sync

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/demo"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/pack"
)

// office is a real hub served over TLS on loopback, with its own
// certificate, as ghiseu-hub serve runs it.
type office struct {
	hub   *hub.Hub
	srv   *httptest.Server
	cert  tls.Certificate
	pin   string
	packs atomic.Int32 // pack downloads
}

func newOffice(t *testing.T, now func() time.Time) *office { return newOfficeKey(t, now, 7) }

// newOfficeKey makes an office whose booking system signs with the key of
// that seed byte.
func newOfficeKey(t *testing.T, now func() time.Time, seed byte) *office {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, 32))
	if err := hub.Init(ctx, db, calendar.Default(), key, 1, now()); err != nil {
		t.Fatal(err)
	}
	o := &office{hub: &hub.Hub{DB: db, Key: key, KeyID: 1, PackDays: 7, Now: now}}
	if o.cert, o.pin, err = o.hub.TLS(ctx); err != nil {
		t.Fatal(err)
	}
	api := o.hub.Handler()
	o.srv = serveTLS(t, o.cert, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		api.ServeHTTP(rec, r)
		if r.URL.Path == "/v1/pack" && rec.status == http.StatusOK {
			o.packs.Add(1)
		}
	}))
	return o
}

// recorder notes the status of an answer.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(status int) { r.status = status; r.ResponseWriter.WriteHeader(status) }

func serveTLS(t *testing.T, cert tls.Certificate, h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// enrol does what ghiseu-hub enroll does.
func (o *office) enrol(t *testing.T, counter string) Enrolment {
	t.Helper()
	ctx := context.Background()
	token, err := o.hub.Enroll(ctx, counter)
	if err != nil {
		t.Fatal(err)
	}
	ring, _ := o.hub.DB.Keyring(ctx)
	e := Enrolment{URL: o.srv.URL, Token: token, Cert: o.pin, Office: calendar.Default().Office, Counter: counter}
	for _, k := range ring {
		e.Keys = append(e.Keys, pack.KeyOf(k))
	}
	if _, err := ParseEnrolment(e.String()); err != nil {
		t.Fatal(err)
	}
	return e
}

// counter is a demo counter linked with e, syncing through real HTTPS.
func counter(t *testing.T, e Enrolment) (*desk.Desk, *Syncer) {
	t.Helper()
	ctx := context.Background()
	d, err := desk.Open(ctx, desk.Config{DBPath: filepath.Join(t.TempDir(), "c.db"), Counter: "1", Clerk: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := Link(ctx, d.DB, e); err != nil {
		t.Fatal(err)
	}
	return d, &Syncer{DB: d.DB, T: NewHTTP(e), Link: e, OnClock: d.SetClockOffset}
}

func event(id, counter, clerk, note string, at time.Time) store.Event {
	return store.Event{ID: id, BookingID: "1000001", Type: store.Arrived, At: at, Counter: counter, Clerk: clerk, Note: note}
}

// Each everyday slip that used to block a counter's outbox forever is now
// one refused, parked event: the others go through, and so does what is
// recorded afterwards.
func TestOneRefusedEventNeverBlocksTheOthers(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, time.Now)
	d, s := counter(t, o.enrol(t, "2"))
	if err := s.Once(ctx); err != nil { // leaves the demo: its practice goes
		t.Fatal(err)
	}
	now := time.Now()
	long := "Maria-Magdalena Constantinescu-Bălășescu, inspector ghișeul 3, " + strings.Repeat("ș", store.MaxClerk)
	for _, e := range []store.Event{
		event("e1", "1", "ana", "", now), // the counter runs as 1, enrolled as 2
		event("e2", "2", long, "", now),
		event("e3", "2", "ana", strings.Repeat("x", store.MaxNote+1), now),
		event("e4", "2", "ana", "", time.Date(2001, 1, 1, 9, 0, 0, 0, time.UTC)), // a dead CMOS battery
		{ID: "no-show-1000002", BookingID: "1000002", Type: store.NoShow, At: now, Counter: "system", Clerk: "system"},
		event("e6", "2", "ana", "", now),
	} {
		if err := d.DB.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Once(ctx); err != nil {
		t.Fatal(err)
	}
	st := s.Status()
	if !st.Online() || st.Pending != 0 || st.Parked != 4 {
		t.Fatalf("after one round: %+v, want online, nothing pending, 4 parked", st)
	}
	held := hubEvents(t, o)
	if held["e1"] != "2" || held["e6"] != "2" || len(held) != 2 {
		t.Fatalf("the hub holds %v, want e1 and e6, both as counter 2 (its token's)", held)
	}
	if es, _ := d.DB.Events(ctx, "1000001"); es[0].Counter != "2" {
		t.Fatalf("the counter's copy of e1 says counter %q, the hub's 2", es[0].Counter)
	}
	parked, err := d.DB.ParkedItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, p := range parked {
		reasons[p.Event.ID] = p.Reason
	}
	want := map[string]string{"e2": "clerk_too_long", "e3": "note_too_long", "e4": "clock_behind", "no-show-1000002": "system_only_hub"}
	if fmt.Sprint(reasons) != fmt.Sprint(want) {
		t.Fatalf("parked %v, want %v", reasons, want)
	}
	// What is recorded afterwards leaves at the next round.
	d.DB.Append(ctx, event("e7", "2", "ana", "", time.Now()))
	if err := s.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if held := hubEvents(t, o); held["e7"] != "2" || s.Status().Parked != 4 {
		t.Fatalf("after the parked ones: the hub holds %v, status %+v", held, s.Status())
	}
	// Retrying sends them again; the hub refuses them again, nothing else.
	if n, _ := d.DB.RetryParked(ctx); n != 4 {
		t.Fatalf("retried %d, want 4", n)
	}
	if err := s.Once(ctx); err != nil || s.Status().Parked != 4 || len(hubEvents(t, o)) != 3 {
		t.Fatalf("after a retry: %v, %+v, hub %v", err, s.Status(), hubEvents(t, o))
	}
}

// hubEvents maps the hub's events to their counters.
func hubEvents(t *testing.T, o *office) map[string]string {
	t.Helper()
	es, err := o.hub.DB.EventsAfter(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range es {
		m[e.ID] = e.Counter
	}
	return m
}

// A hub that is not the enrolled one (another certificate, or the right
// address with a server that does not know the token) gets nothing and
// gives nothing: the outbox stays, the demo stays.
func TestAFakeHubIsRefused(t *testing.T) {
	ctx := context.Background()
	real := newOffice(t, time.Now)
	e := real.enrol(t, "1")
	forger := newOffice(t, time.Now) // a hub of its own, with its own certificate
	injected := atomic.Int32{}
	fake := serveTLS(t, forger.cert, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		injected.Add(1)
		forger.hub.Handler().ServeHTTP(w, r)
	}))
	sameCert := serveTLS(t, real.cert, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(hub.TimeHeader, fmt.Sprint(time.Now().UnixMilli()))
		fmt.Fprintf(w, `{"office":%q,"counter":"1","proof":"%064x"}`, e.Office, 1)
	}))
	for name, url := range map[string]string{"another certificate": fake.URL, "a stolen certificate without the token": sameCert.URL} {
		t.Run(name, func(t *testing.T) {
			d, s := counter(t, e)
			s.T = NewHTTP(Enrolment{URL: url, Token: e.Token, Cert: e.Cert, Office: e.Office, Counter: "1", Keys: e.Keys})
			d.DB.Append(ctx, event("mine", "1", "ana", "", time.Now()))
			err := s.Once(ctx)
			if !errors.Is(err, ErrNotTheHub) || s.Status().State != Untrusted {
				t.Fatalf("round with %s: %v, %+v", name, err, s.Status())
			}
			if pending, _, _ := d.DB.OutboxSize(ctx); pending != 1 {
				t.Fatalf("outbox %d after talking to a fake hub, want 1", pending)
			}
			if linked, _ := d.DB.HubLinked(ctx); linked {
				t.Fatal("the counter left the demo for a fake hub")
			}
			if ring, _ := d.DB.Keyring(ctx); len(ring) != 1 || !ring[0].Public.Equal(demo.Keyring()[0].Public) {
				t.Fatalf("the counter trusts %v", ring)
			}
		})
	}
	if injected.Load() != 0 {
		t.Fatalf("the fake hub with another certificate got %d requests through", injected.Load())
	}
}

// The hub's clock counts: a counter 3 hours slow measures it, warns, and
// judges with the hub's time.
func TestTheHubsClockCounts(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, func() time.Time { return time.Now().Add(3 * time.Hour) })
	d, s := counter(t, o.enrol(t, "1"))
	if err := s.Once(ctx); err != nil {
		t.Fatal(err)
	}
	st := s.Status()
	if off := st.ClockOffset - 3*time.Hour; off > time.Second || off < -time.Second || !st.ClockWrong() {
		t.Fatalf("clock offset %v, want 3h and a warning", st.ClockOffset)
	}
	if skew := d.Time().Sub(time.Now().Add(3 * time.Hour)); skew > time.Second || skew < -time.Second {
		t.Fatalf("the desk's clock is %v off the hub's", skew)
	}
	if off, _, _ := d.DB.ClockOffset(ctx); off < 3*time.Hour-time.Second {
		t.Fatalf("stored offset %v", off)
	}
	if !strings.Contains(st.Text("ro", time.UTC), "ceasul PC-ului diferă cu 3 h") {
		t.Fatalf("status text %q does not warn", st.Text("ro", time.UTC))
	}
	// An event stamped far ahead of the hub's clock is refused, parked.
	d.DB.Append(ctx, event("ahead", "1", "ana", "", time.Now().Add(4*time.Hour)))
	s.Once(ctx)
	if p, _ := d.DB.ParkedItems(ctx); len(p) != 1 || p[0].Reason != "clock_ahead" {
		t.Fatalf("parked %+v, want the event stamped ahead", p)
	}
}

// A walk-in travels once; the pack's version moves only when a row
// changes, so no counter downloads the pack again for nothing.
func TestAWalkInTravelsOnce(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, time.Now)
	d, s := counter(t, o.enrol(t, "1"))
	if err := s.Once(ctx); err != nil {
		t.Fatal(err)
	}
	packs := o.packs.Load()
	v0, _ := o.hub.DB.Version(ctx)
	w := store.Booking{ID: "w-0123456789abcdef", Office: calendar.Default().Office, Day: time.Now().Format(time.DateOnly), SlotStart: time.Now().Truncate(time.Minute),
		SlotMinutes: 20, Kind: store.Intake, Name: "Pop Ion", Reason: "lost", Status: store.WalkIn}
	err := d.DB.Judge(ctx, w.ID, func([]store.Event) (store.Outcome, error) {
		e := event("walk", "1", "ana", "walk-in", time.Now())
		e.BookingID = w.ID
		return store.Outcome{Booking: &w, Event: &e}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := s.Once(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if v, _ := o.hub.DB.Version(ctx); v != v0+1 {
		t.Fatalf("pack version %d → %d after one walk-in and 3 rounds, want one step", v0, v)
	}
	if got := o.packs.Load() - packs; got != 1 {
		t.Fatalf("%d pack downloads after one walk-in, want 1", got)
	}
	if b, err := o.hub.DB.BookingByID(ctx, w.ID); err != nil || b.Name != "Pop Ion" {
		t.Fatalf("the hub's walk-in: %+v, %v", b, err)
	}
	if pending, _, _ := d.DB.OutboxSize(ctx); pending != 0 {
		t.Fatalf("pending %d", pending)
	}
}

// The first good hello leaves the demo: the demo's password goes with it
// (a live office has no default password) and the enrolment's keys come;
// a password the office set itself stays.
func TestLeavingTheDemo(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, time.Now)
	for _, own := range []bool{false, true} {
		d, s := counter(t, o.enrol(t, "1"))
		if own {
			if err := d.DB.SetSupervisorPassword(ctx, "the office's own"); err != nil {
				t.Fatal(err)
			}
		} else if ok, err := d.DB.CheckSupervisor(ctx, store.AtCounter, demo.Password); !ok || err != nil {
			t.Fatalf("the demo's password before linking: %v, %v", ok, err)
		}
		if err := s.Once(ctx); err != nil {
			t.Fatal(err)
		}
		ok, err := d.DB.CheckSupervisor(ctx, store.AtCounter, demo.Password)
		if !own && !errors.Is(err, store.ErrNoPassword) || own && (ok || err != nil) {
			t.Fatalf("own password %v: the demo's after leaving the demo: %v, %v", own, ok, err)
		}
		if own {
			if ok, _ := d.DB.CheckSupervisor(ctx, store.AtCounter, "the office's own"); !ok {
				t.Fatal("the office's own password was dropped")
			}
		}
		ring, _ := d.DB.Keyring(ctx)
		if len(ring) != 1 || ring[0].Public.Equal(demo.Keyring()[0].Public) {
			t.Fatalf("keys after leaving the demo: %+v", ring)
		}
	}
}

// What no hub could take never holds up a round: an event an older hub
// took that no counter records today is passed over when pulled, and the
// counter's own unsendable rows (a damaged ID, a year no calendar has)
// are parked without being sent.
func TestNothingUnsendableHoldsUpARound(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, time.Now)
	if err := o.hub.DB.Append(ctx, store.Event{ID: "old1", BookingID: "../../etc/passwd", Type: store.Arrived,
		At: time.Now(), Counter: "2", Clerk: "ana"}); err != nil {
		t.Fatal(err)
	}
	o.hub.DB.Append(ctx, event("good", "2", "ana", "", time.Now()))
	d, s := counter(t, o.enrol(t, "1"))
	if err := s.Once(ctx); err != nil {
		t.Fatalf("a hub holding an old bad event: %v", err)
	}
	if es, _ := d.DB.Events(ctx, "1000001"); len(es) != 1 {
		t.Fatalf("the good event did not arrive: %v", es)
	}
	if _, _, err := d.DB.Office(ctx); err != nil {
		t.Fatalf("no office after the first round: %v", err)
	}
	for _, e := range []store.Event{
		event("A\xffB", "1", "ana", "", time.Now()),
		event("far", "1", "ana", "", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)),
		event("fine", "1", "ana", "", time.Now()),
	} {
		if err := d.DB.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error)
	go func() { done <- s.Once(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the round never ended")
	}
	if st := s.Status(); st.Parked != 2 || st.Pending != 0 || hubEvents(t, o)["fine"] != "1" {
		t.Fatalf("status %+v, hub %v", st, hubEvents(t, o))
	}
}

// Practice on the demo never reaches a real office; a first contact that
// fails on the way leaves the demo as it was.
func TestFirstContact(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, time.Now)
	failing := true
	api := o.srv.Config.Handler
	o.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing && r.URL.Path == "/v1/pack" {
			http.Error(w, "disk full", http.StatusInternalServerError)
			return
		}
		api.ServeHTTP(w, r)
	})
	d, s := counter(t, o.enrol(t, "1"))
	rows, _ := d.Day(ctx, d.Today())
	if len(rows) == 0 {
		t.Fatal("no demo day")
	}
	if _, err := d.Record(ctx, rows[0].ID, store.Arrived); err != nil { // practice
		t.Fatal(err)
	}
	if err := s.Once(ctx); err == nil || s.Status().State != HubFailed {
		t.Fatalf("a hub that cannot send its pack: %v, %+v", err, s.Status())
	}
	if cal, _, err := d.DB.Office(ctx); err != nil || cal.Office != d.Cal.Office {
		t.Fatalf("the demo's office after a failed first contact: %v %v", cal.Office, err)
	}
	if ok, _ := d.DB.CheckSupervisor(ctx, store.AtCounter, demo.Password); !ok {
		t.Fatal("the demo's password went with a failed first contact")
	}
	failing = false
	changes := 0
	s.OnChange = func() { changes++ } // the window reloads its office then
	if err := s.Once(ctx); err != nil || changes != 1 {
		t.Fatalf("first contact: %v, %d changes told", err, changes)
	}
	if n := len(hubEvents(t, o)); n != 0 {
		t.Fatalf("the demo's practice reached the hub: %d events", n)
	}
	if pending, _, _ := d.DB.OutboxSize(ctx); pending != 0 {
		t.Fatalf("%d practice events still waiting", pending)
	}
}

// A hub reinstalled from scratch (another certificate and key, the same
// office) is met as at a first contact when the counter is linked to it
// again; a hub that offers an older pack (restored from a backup) is said
// to be at fault, and its pack is not downloaded again and again.
func TestAReinstalledAndARestoredHub(t *testing.T) {
	ctx := context.Background()
	first := newOffice(t, time.Now)
	d, s := counter(t, first.enrol(t, "1"))
	if err := s.Once(ctx); err != nil {
		t.Fatal(err)
	}
	d.DB.Append(ctx, event("mine", "1", "ana", "", time.Now()))
	second := newOfficeKey(t, time.Now, 8) // a new certificate and a new key, as a reinstall makes
	e := second.enrol(t, "1")
	if err := Link(ctx, d.DB, e); err != nil {
		t.Fatal(err)
	}
	s = &Syncer{DB: d.DB, T: NewHTTP(e), Link: e}
	if err := s.Once(ctx); err != nil {
		t.Fatalf("a round with the reinstalled hub: %v", err)
	}
	if es, _ := d.DB.Events(ctx, "1000001"); len(es) != 1 {
		t.Fatalf("the counter's own event after linking again: %v", es)
	}
	// The hub is restored from an older backup: its pack's sequence goes back.
	v, _ := second.hub.DB.Version(ctx)
	second.hub.DB.SetSetting(ctx, "bookings_version", fmt.Sprint(v-1))
	packs := second.packs.Load()
	for i := 0; i < 3; i++ {
		s.Once(ctx)
	}
	if st := s.Status(); st.State != HubFailed || !strings.Contains(st.Err.Error(), "older") {
		t.Fatalf("with the restored hub: %+v", st)
	}
	if got := second.packs.Load() - packs; got != 1 {
		t.Fatalf("the restored hub's pack was downloaded %d times in 3 rounds", got)
	}
}
