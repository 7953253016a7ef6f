package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/sync"
)

// office is open every day, all day, so that the test can book tomorrow
// whatever day it runs.
const office = `{"office":"TM-DUMBRAVITA","office_name":"SPCLEP Dumbrăvița","time_zone":"Europe/Bucharest",
 "slot_minutes":20,"pickup_minutes":15,"capacity":1,"booking_days":30,"confirm_timeout":"15m",
 "early_grace":"15m","late_grace":"10m","no_show_after":"10m","pickup_working_days":2,
 "walk_in":{"mon":[{"start":"08:00","end":"18:00"}],"tue":[{"start":"08:00","end":"18:00"}],"wed":[{"start":"08:00","end":"18:00"}],
  "thu":[{"start":"08:00","end":"18:00"}],"fri":[{"start":"08:00","end":"18:00"}],"sat":[{"start":"08:00","end":"18:00"}],
  "sun":[{"start":"08:00","end":"18:00"}]},
 "intake":{"mon":[{"start":"08:00","end":"18:00"}],"tue":[{"start":"08:00","end":"18:00"}],"wed":[{"start":"08:00","end":"18:00"}],
  "thu":[{"start":"08:00","end":"18:00"}],"fri":[{"start":"08:00","end":"18:00"}],"sat":[{"start":"08:00","end":"18:00"}],
  "sun":[{"start":"08:00","end":"18:00"}]}}`

type world struct {
	t       *testing.T
	dir     string
	ghiseu  string
	hubBin  string
	addr    string
	hub     *exec.Cmd
	hubEnv  []string // the hub's environment, beside this test's
	hubArgs []string // serve's flags beside the database, key and address
	day     string   // tomorrow, in the office's zone
	tokens  map[string]string
	persons map[string]string // name → code
	refs    map[string]string // name → short reference, as confirm gives it
}

func build(t *testing.T, dir, pkg, name string) string {
	bin := filepath.Join(dir, name)
	if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

func (w *world) run(bin string, args ...string) (string, error) {
	return w.runIn("", bin, args...)
}

// runIn runs a command with stdin as its standard input.
func (w *world) runIn(stdin, bin string, args ...string) (string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = w.dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		err = fmt.Errorf("%s %v: %v: %s", filepath.Base(bin), args, err, errb.String())
	}
	return strings.TrimSpace(out.String()), err
}

func (w *world) must(bin string, args ...string) string {
	w.t.Helper()
	out, err := w.run(bin, args...)
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func (w *world) startHub() {
	w.t.Helper()
	w.hub = exec.Command(w.hubBin, append([]string{"serve", "--db", "hub.db", "--key", "hub.key", "--addr", w.addr}, w.hubArgs...)...)
	w.hub.Dir, w.hub.Env = w.dir, append(os.Environ(), w.hubEnv...)
	if log, err := os.OpenFile(filepath.Join(w.dir, "hub.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err == nil {
		w.hub.Stdout, w.hub.Stderr = log, log
		defer log.Close()
	}
	if err := w.hub.Start(); err != nil {
		w.t.Fatal(err)
	}
	hub := w.hub
	w.t.Cleanup(func() { hub.Process.Kill(); hub.Wait() })
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", w.addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	w.t.Fatal("the hub did not start")
}

// link enrols counter n at the hub as enrolled and links it, the
// enrolment string passed on standard input, as an installer would.
func (w *world) link(n, enrolled string) {
	w.t.Helper()
	en := w.must(w.hubBin, "enroll", "--db", "hub.db", "--counter", enrolled, "--url", "https://"+w.addr)
	e, err := sync.ParseEnrolment(en)
	if err != nil {
		w.t.Fatal(err)
	}
	w.tokens[n] = e.Token
	if _, err := w.runIn(en, w.ghiseu, "link", "--db", "c"+n+".db"); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) killHub() {
	w.hub.Process.Signal(syscall.SIGKILL)
	w.hub.Wait()
}

// counter runs the counter command line on counter n's database.
func (w *world) counter(n string, args ...string) (string, error) {
	return w.run(w.ghiseu, append(args, "--db", "c"+n+".db", "--counter", n)...)
}

func (w *world) at(hhmm string) string { return w.day + " " + hhmm }

func (w *world) checkin(n, name, hhmm string) {
	w.t.Helper()
	out, err := w.counter(n, "checkin", w.persons[name], "--at", w.at(hhmm), "--json")
	if err != nil && !strings.Contains(err.Error(), "exit status 1") {
		w.t.Fatal(err)
	}
	var v struct{ Verdict string }
	json.Unmarshal([]byte(out), &v)
	if v.Verdict != "valid" {
		w.t.Fatalf("counter %s, %s: verdict %q\n%s", n, name, v.Verdict, out)
	}
}

func (w *world) sync(n string) error {
	_, err := w.counter(n, "sync")
	return err
}

// states is every booking's state tomorrow at counter n.
func (w *world) states(n string) map[string]string {
	w.t.Helper()
	out, err := w.counter(n, "list", "--json", "--day", w.day, "--at", w.at("08:00"))
	if err != nil {
		w.t.Fatal(err)
	}
	var rows []struct{ Name, State, Visit string }
	json.Unmarshal([]byte(out), &rows)
	m := map[string]string{}
	for _, r := range rows {
		m[r.Name] = cmp.Or(r.Visit, r.State) // the visit: a booking the hub cancelled may still have an arrival
	}
	return m
}

// eventIDs lists the IDs of the events a database holds, sorted.
func eventIDs(t *testing.T, path string) []string {
	var ids []string
	for _, e := range allEvents(t, path) {
		ids = append(ids, e.ID)
	}
	sort.Strings(ids)
	return ids
}

func setup(t *testing.T) *world {
	dir := t.TempDir()
	w := &world{t: t, dir: dir, ghiseu: build(t, dir, "../ghiseu", "ghiseu"), hubBin: build(t, dir, ".", "ghiseu-hub"),
		addr: freeAddr(t), tokens: map[string]string{}, persons: map[string]string{}, refs: map[string]string{}}
	os.WriteFile(filepath.Join(dir, "office.json"), []byte(office), 0o600)
	w.must(w.hubBin, "init", "--db", "hub.db", "--key", "hub.key", "--calendar", "office.json")
	loc, _ := time.LoadLocation("Europe/Bucharest")
	w.day = time.Now().In(loc).AddDate(0, 0, 1).Format(time.DateOnly)
	for i, name := range []string{"Ana", "Bogdan", "Cristina", "Dan", "Elena", "Florin"} {
		slot := fmt.Sprintf("%sT%02d:%02d:00", w.day, 9+i/3, 20*(i%3))
		t0, _ := time.ParseInLocation("2006-01-02T15:04:05", slot, loc)
		token := strings.Fields(w.must(w.hubBin, "book", "--db", "hub.db", "--name", name+" Popescu",
			"--birth", fmt.Sprintf("19%d0-01-01", 4+i), "--reason", "expiry", "--slot", t0.Format(time.RFC3339)))[0]
		confirmed := strings.Fields(w.must(w.hubBin, "confirm", "--db", "hub.db", "--key", "hub.key", token))
		if len(confirmed) != 3 {
			t.Fatalf("confirm printed %q, want ID, code and reference", confirmed)
		}
		w.persons[name], w.refs[name] = confirmed[1], confirmed[2]
	}
	// The counters play tomorrow with --at; the hub's clock, which counts,
	// is put at tomorrow noon, after every event of the test, so that no
	// event is stamped ahead of it.
	noon, _ := time.ParseInLocation(time.DateTime, w.day+" 12:00:00", loc)
	w.hubEnv = []string{"GHISEU_CLOCK_SKEW=" + time.Until(noon).Round(time.Second).String()}
	w.startHub()
	for _, n := range []string{"1", "2"} {
		w.link(n, n)
		if _, err := w.counter(n, "sync"); err != nil {
			t.Fatalf("first sync of counter %s: %v", n, err)
		}
	}
	return w
}

func TestTwoCountersAndAHubConverge(t *testing.T) {
	w := setup(t)
	if s := w.states("2"); len(s) != 6 || s["Ana Popescu"] != "expected" {
		t.Fatalf("counter 2 after the first sync: %v", s)
	}
	// The reference the hub gives with the code finds the booking at a counter.
	if out, _ := w.counter("2", "check", w.refs["Ana"], "--at", w.at("09:01"), "--json"); !strings.Contains(out, `"valid"`) {
		t.Fatalf("counter 2, Ana's reference %s: %s", w.refs["Ana"], out)
	}

	// Online: an arrival at counter 1 reaches counter 2.
	w.checkin("1", "Ana", "09:01")
	w.sync("1")
	w.sync("2")
	if s := w.states("2")["Ana Popescu"]; s != "arrived" {
		t.Fatalf("counter 2 sees Ana as %q", s)
	}

	// The hub dies in the middle of syncing: counter 1 syncs in a loop while
	// it checks people in; the hub is killed and restarted.
	loop := exec.Command(w.ghiseu, "sync", "--loop", "50ms", "--db", "c1.db", "--counter", "1")
	loop.Dir = w.dir
	if err := loop.Start(); err != nil {
		t.Fatal(err)
	}
	w.checkin("1", "Bogdan", "09:21")
	w.killHub()
	w.checkin("1", "Cristina", "09:41") // offline at counter 1
	w.checkin("2", "Dan", "10:01")      // offline at counter 2
	// Both cut off: the same person at both counters.
	w.checkin("1", "Elena", "10:21")
	w.checkin("2", "Elena", "10:22")
	// Cancelled at the hub while counter 2, offline, checks the person in.
	w.must(w.hubBin, "cancel", "--db", "hub.db", "--booking", bookingID(t, w, "Florin"))
	w.checkin("2", "Florin", "10:41")
	if err := w.sync("2"); err == nil {
		t.Fatal("sync succeeded with the hub down")
	}
	out, _ := w.counter("2", "sync", "--json")
	var status struct {
		Online  bool
		Pending int
	}
	json.Unmarshal([]byte(out), &status)
	// Dan, Elena and Florin; no no-shows for Bogdan and Cristina, whose
	// arrivals at counter 1 it has not heard of: no-shows are derived when
	// read, never written.
	if status.Online || status.Pending != 3 {
		t.Fatalf("counter 2's status while the hub is down: %s", out)
	}

	w.startHub()
	deadline := time.Now().Add(20 * time.Second)
	for {
		w.sync("2")
		w.sync("1")
		s1, s2 := w.states("1"), w.states("2")
		if fmt.Sprint(s1) == fmt.Sprint(s2) && s1["Dan Popescu"] == "arrived" && s2["Cristina Popescu"] == "arrived" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no convergence:\n1: %v\n2: %v", s1, s2)
		}
		time.Sleep(200 * time.Millisecond)
	}
	loop.Process.Signal(syscall.SIGTERM)
	loop.Wait()
	w.sync("1")
	w.sync("2")

	// Nothing lost, nothing doubled: the three databases hold the same
	// events: 7 arrivals, and no no-shows (derived when read).
	hub, c1, c2 := eventIDs(t, filepath.Join(w.dir, "hub.db")), eventIDs(t, filepath.Join(w.dir, "c1.db")), eventIDs(t, filepath.Join(w.dir, "c2.db"))
	arrivals := 0
	for _, id := range hub {
		if !strings.HasPrefix(id, "no-show-") {
			arrivals++
		}
	}
	if arrivals != 7 || len(hub) != 7 || fmt.Sprint(hub) != fmt.Sprint(c1) || fmt.Sprint(hub) != fmt.Sprint(c2) {
		t.Fatalf("events differ or are missing (want 7 arrivals):\nhub %v\nc1  %v\nc2  %v", hub, c1, c2)
	}
	for _, s := range []map[string]string{w.states("1"), w.states("2")} {
		for name, state := range s {
			if state != "arrived" && name != "Grigore Vieru" {
				t.Fatalf("%s is %s after convergence: %v", name, state, s)
			}
		}
	}
	// A walk-in registered at counter 1 reaches counter 2 through the hub.
	if out, err := w.counter("1", "walkin", "--name", "Grigore Vieru", "--reason", "lost", "--at", w.at("11:30")); err != nil {
		t.Fatalf("walk-in: %v %s", err, out)
	}
	w.sync("1")
	w.sync("2")
	if s := w.states("2")["Grigore Vieru"]; s != "arrived" {
		t.Fatalf("counter 2 sees the walk-in as %q", s)
	}
	for _, n := range []string{"1", "2"} {
		out, err := w.counter(n, "conflicts", "--json", "--day", w.day, "--at", w.at("08:00"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, `"duplicate_arrival"`) || !strings.Contains(out, "Elena Popescu") ||
			!strings.Contains(out, `"cancelled_but_arrived"`) || !strings.Contains(out, "Florin Popescu") {
			t.Fatalf("counter %s does not flag the conflicts:\n%s", n, out)
		}
	}
}

func bookingID(t *testing.T, w *world, name string) string {
	db, err := store.Open(context.Background(), filepath.Join(w.dir, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id string
	db.BookingsBetween(context.Background(), "TM-DUMBRAVITA", w.day, w.day, func(b store.Booking) error {
		if b.Name == name+" Popescu" {
			id = b.ID
		}
		return nil
	})
	return id
}

func TestTokens(t *testing.T) {
	w := setup(t)
	client := insecureClient()
	get := func(token string) int {
		req, _ := http.NewRequest("GET", "https://"+w.addr+"/v1/events", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := get(w.tokens["1"]); c != 200 {
		t.Fatalf("a good token: %d", c)
	}
	for _, bad := range []string{"", "nonsense", w.tokens["1"] + "x"} {
		if c := get(bad); c != 401 {
			t.Fatalf("token %q: %d, want 401", bad, c)
		}
	}
	w.must(w.hubBin, "revoke", "--db", "hub.db", "--counter", "2")
	if c := get(w.tokens["2"]); c != 403 {
		t.Fatalf("a revoked token: %d, want 403", c)
	}
	if err := w.sync("2"); err == nil || !strings.Contains(err.Error(), "exit status 1") {
		t.Fatalf("sync with a revoked token: %v", err)
	}
	out, _ := w.counter("2", "sync", "--json")
	if !strings.Contains(out, `"state": "hub_error"`) {
		t.Fatalf("a revoked counter's status (the hub answered, it is not offline): %s", out)
	}
	// Requests that are not an exchange of events are refused whole; an
	// exchange gets one answer per event.
	for body, want := range map[string]int{
		`{"evil":true}`: 400,
		`{"events":[` + strings.Repeat(`{"id":"a","booking_id":"1","type":"arrived","at":"2026-11-23T10:00:00Z","counter":"1"},`, 20000) + `]}`: 400,
		`{"events":[{"id":"../x","booking_id":"1","type":"arrived","at":"2026-11-23T10:00:00Z","counter":"1"}]}`:                                200,
	} {
		req, _ := http.NewRequest("POST", "https://"+w.addr+"/v1/events", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+w.tokens["1"])
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("POST %.60s…: %d, want %d", body, resp.StatusCode, want)
		}
	}
}

// insecureClient talks to the hub without checking its certificate: for
// the tests that play a client other than a counter.
func insecureClient() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
}
