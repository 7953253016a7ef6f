package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
)

// allDay is an office open at every hour, with a wide early grace, so that
// people can be booked for the slot that starts next, whenever the test runs.
var allDay = strings.NewReplacer(`"08:00"`, `"00:00"`, `"18:00"`, `"23:40"`, `"early_grace":"15m"`, `"early_grace":"30m"`,
	`"capacity":1`, `"capacity":20`).Replace(office)

// world for the trust tests: a hub with people booked for the next slot.
func nowWorld(t *testing.T, names ...string) *world {
	dir := t.TempDir()
	w := &world{t: t, dir: dir, ghiseu: build(t, dir, "../ghiseu", "ghiseu"), hubBin: build(t, dir, ".", "ghiseu-hub"),
		addr: freeAddr(t), tokens: map[string]string{}, persons: map[string]string{}}
	os.WriteFile(filepath.Join(dir, "office.json"), []byte(allDay), 0o600)
	w.must(w.hubBin, "init", "--db", "hub.db", "--key", "hub.key", "--calendar", "office.json")
	loc, _ := time.LoadLocation("Europe/Bucharest")
	now := time.Now().In(loc)
	slot := now.Truncate(20 * time.Minute).Add(20 * time.Minute) // the next slot, 0 to 20 minutes ahead
	if slot.Hour() == 23 && slot.Minute() > 40 || slot.Day() != now.Day() {
		t.Skip("the test books the next slot of today; none is left before midnight")
	}
	w.day = now.Format(time.DateOnly)
	for i, name := range names {
		token := strings.Fields(w.must(w.hubBin, "book", "--db", "hub.db", "--name", name+" Popescu",
			"--birth", fmt.Sprintf("19%02d-01-01", 40+i), "--reason", "expiry", "--slot", slot.Format(time.RFC3339)))[0]
		w.persons[name] = strings.Fields(w.must(w.hubBin, "confirm", "--db", "hub.db", "--key", "hub.key", token))[1]
	}
	w.startHub()
	return w
}

// verdict runs check or checkin at counter n, with the environment env,
// and returns the verdict's name.
func (w *world) verdict(env []string, n, how, name string) string {
	w.t.Helper()
	cmd := exec.Command(w.ghiseu, how, w.persons[name], "--json", "--db", "c"+n+".db")
	cmd.Dir, cmd.Env = w.dir, append(os.Environ(), env...)
	out, _ := cmd.Output()
	var v struct{ Verdict string }
	if err := json.Unmarshal(out, &v); err != nil {
		w.t.Fatalf("%s %s at counter %s: %v\n%s", how, name, n, err, out)
	}
	return v.Verdict
}

// syncJSON runs one sync round at counter n and returns its status.
func (w *world) syncJSON(env []string, n string) map[string]any {
	w.t.Helper()
	cmd := exec.Command(w.ghiseu, "sync", "--json", "--db", "c"+n+".db")
	cmd.Dir, cmd.Env = w.dir, append(os.Environ(), env...)
	out, _ := cmd.Output()
	var st map[string]any
	if err := json.Unmarshal(out, &st); err != nil {
		w.t.Fatalf("sync at counter %s: %v\n%s", n, err, out)
	}
	return st
}

// One counter 3 hours fast among three: it measures its clock against the
// hub's, warns, and judges with the hub's time; nothing it does makes
// people who come on time absent anywhere.
func TestAFastCounterAmongOthers(t *testing.T) {
	w := nowWorld(t, "Ana", "Bogdan", "Cristina", "Dan")
	fast := []string{"GHISEU_CLOCK_SKEW=3h"}
	for _, n := range []string{"1", "2", "3"} {
		w.link(n, n)
	}
	// Before it ever reached the hub, the fast counter's own clock says
	// the slot is long over: it refuses to take Dan (it records nothing).
	if v := w.verdict(fast, "3", "checkin", "Dan"); v == "valid" {
		t.Fatalf("the fast counter before its first sync judged Dan %q", v)
	}
	for _, n := range []string{"1", "2", "3"} {
		var env []string
		if n == "3" {
			env = fast
		}
		st := w.syncJSON(env, n)
		if st["state"] != "online" {
			t.Fatalf("counter %s: %v", n, st)
		}
		if wrong := st["clock_wrong"] == true; wrong != (n == "3") {
			t.Fatalf("counter %s: clock_wrong %v: %v", n, st["clock_wrong"], st)
		}
		if n == "3" {
			if off := st["clock_offset_ms"].(float64) / 3600e3; off > -2.99 || off < -3.01 {
				t.Fatalf("the fast counter measured an offset of %.3f h", off)
			}
		}
	}
	for n, name := range map[string]string{"1": "Ana", "2": "Bogdan", "3": "Cristina"} {
		var env []string
		if n == "3" {
			env = fast
		}
		if v := w.verdict(env, n, "checkin", name); v != "valid" {
			t.Fatalf("%s on time at counter %s: %q", name, n, v)
		}
	}
	for _, n := range []string{"3", "1", "2"} {
		var env []string
		if n == "3" {
			env = fast
		}
		w.syncJSON(env, n)
	}
	for _, n := range []string{"1", "2", "3"} {
		var env []string
		if n == "3" {
			env = fast
		}
		if v := w.verdict(env, n, "check", "Dan"); v != "valid" {
			t.Fatalf("Dan, on time, at counter %s after everyone synced: %q", n, v)
		}
	}
	for _, db := range []string{"hub.db", "c1.db", "c2.db", "c3.db"} {
		for _, e := range allEvents(t, filepath.Join(w.dir, db)) {
			if e.Type == store.NoShow {
				t.Fatalf("%s holds a no-show event: %+v", db, e)
			}
		}
	}
}

func allEvents(t *testing.T, path string) []store.Event {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	es, err := db.EventsAfter(context.Background(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// The four everyday slips that blocked an outbox forever: each is refused
// alone and parked for the supervisor; everything else goes through.
func TestPoisonEventsAreParked(t *testing.T) {
	w := nowWorld(t, "Ana", "Bogdan")
	w.link("1", "2") // enrolled as counter 2; the installer typed 1 at the counter
	w.syncJSON(nil, "1")
	if v := w.verdict(nil, "1", "checkin", "Ana"); v != "valid" {
		t.Fatalf("Ana: %q", v)
	}
	// What an older Ghișeu may have left in the outbox: a long clerk name,
	// a long reason, a clock before 2020.
	db, err := store.Open(context.Background(), filepath.Join(w.dir, "c1.db"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now()
	for i, e := range []store.Event{
		{Clerk: "Maria-Magdalena Constantinescu-Bălășescu, inspector ghișeul 3, " + strings.Repeat("ă", 60)},
		{Clerk: "ana", Note: strings.Repeat("motiv ", 100)},
		{Clerk: "ana", At: time.Date(2001, 1, 1, 8, 0, 0, 0, time.UTC)},
	} {
		e.ID, e.BookingID, e.Type, e.Counter = fmt.Sprintf("old-%d", i), "1000001", store.Arrived, "1"
		if e.At.IsZero() {
			e.At = at
		}
		if err := db.Append(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if st := w.syncJSON(nil, "1"); st["state"] != "online" || st["parked"].(float64) != 3 || st["pending"].(float64) != 0 {
		t.Fatalf("after the slips: %v", st)
	}
	if v := w.verdict(nil, "1", "checkin", "Bogdan"); v != "valid" {
		t.Fatalf("Bogdan: %q", v)
	}
	if st := w.syncJSON(nil, "1"); st["pending"].(float64) != 0 {
		t.Fatalf("what came after the slips did not leave: %v", st)
	}
	counters := map[string]int{}
	for _, e := range allEvents(t, filepath.Join(w.dir, "hub.db")) {
		counters[e.Counter]++
	}
	if counters["2"] != 2 || len(counters) != 1 {
		t.Fatalf("the hub holds events of counters %v, want Ana and Bogdan, as counter 2", counters)
	}
	out := w.must(w.ghiseu, "parked", "--db", "c1.db", "--lang", "en")
	for _, want := range []string{"the clerk's name is too long", "the reason is too long", "the counter's clock was set back"} {
		if !strings.Contains(out, want) {
			t.Fatalf("ghiseu parked does not say %q:\n%s", want, out)
		}
	}
}

// A hostile neighbour runs a hub of their own at the enrolled address:
// the counter refuses it, keeps its outbox, trusts none of its codes.
func TestAFakeHubOnTheLAN(t *testing.T) {
	w := nowWorld(t, "Ana", "Bogdan")
	w.link("1", "1")
	if st := w.syncJSON(nil, "1"); st["state"] != "online" {
		t.Fatalf("first sync: %v", st)
	}
	w.killHub()
	// The neighbour's hub: its own database, key and certificate, the same
	// office name, a code for a person of their choosing.
	os.WriteFile(filepath.Join(w.dir, "office.json"), []byte(allDay), 0o600)
	w.must(w.hubBin, "init", "--db", "fake.db", "--key", "fake.key", "--calendar", "office.json")
	slot := time.Now().Truncate(20 * time.Minute).Add(20 * time.Minute)
	token := strings.Fields(w.must(w.hubBin, "book", "--db", "fake.db", "--name", "Mallory Popescu",
		"--birth", "1970-01-01", "--reason", "expiry", "--slot", slot.Format(time.RFC3339)))[0]
	w.persons["Mallory"] = strings.Fields(w.must(w.hubBin, "confirm", "--db", "fake.db", "--key", "fake.key", token))[1]
	fake := exec.Command(w.hubBin, "serve", "--db", "fake.db", "--key", "fake.key", "--addr", w.addr)
	fake.Dir = w.dir
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { fake.Process.Kill(); fake.Wait() }()
	waitListening(t, w.addr)

	if v := w.verdict(nil, "1", "checkin", "Ana"); v != "valid" {
		t.Fatalf("Ana: %q", v)
	}
	before := len(allEvents(t, filepath.Join(w.dir, "c1.db")))
	st := w.syncJSON(nil, "1")
	if st["state"] != "untrusted" || st["pending"].(float64) != 1 {
		t.Fatalf("a round with the fake hub: %v", st)
	}
	if after := len(allEvents(t, filepath.Join(w.dir, "c1.db"))); after != before {
		t.Fatalf("the fake hub injected %d events", after-before)
	}
	if v := w.verdict(nil, "1", "check", "Mallory"); v != "forged" {
		t.Fatalf("the fake hub's code: %q, want forged", v)
	}
	if n := len(allEvents(t, filepath.Join(w.dir, "fake.db"))); n != 0 {
		t.Fatalf("the fake hub got %d events", n)
	}
	// The real hub comes back: the arrival leaves, nothing was lost.
	fake.Process.Kill()
	fake.Wait()
	w.startHub()
	if st := w.syncJSON(nil, "1"); st["state"] != "online" || st["pending"].(float64) != 0 {
		t.Fatalf("back with the real hub: %v", st)
	}
	if n := len(allEvents(t, filepath.Join(w.dir, "hub.db"))); n != 1 {
		t.Fatalf("the real hub holds %d events, want Ana's arrival", n)
	}
	// A fresh counter whose enrolment points at the neighbour never leaves
	// the demo, and its demo password stays the demo's.
	en := w.must(w.hubBin, "enroll", "--db", "hub.db", "--counter", "5", "--url", "https://"+w.addr)
	if _, err := w.runIn(en, w.ghiseu, "link", "--db", "c5.db"); err != nil {
		t.Fatal(err)
	}
	w.killHub()
	fake = exec.Command(w.hubBin, "serve", "--db", "fake.db", "--key", "fake.key", "--addr", w.addr)
	fake.Dir = w.dir
	fake.Start()
	waitListening(t, w.addr)
	if st := w.syncJSON(nil, "5"); st["state"] != "untrusted" {
		t.Fatalf("first contact with the fake hub: %v", st)
	}
	db, err := store.Open(context.Background(), filepath.Join(w.dir, "c5.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if linked, _ := db.HubLinked(context.Background()); linked {
		t.Fatal("the counter left the demo for the fake hub")
	}
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("nothing listens at " + addr)
}

// Two processes on one database: a sync loop and a crowd of check-ins at
// once; no check-in fails, none is lost, none is doubled.
func TestTwoProcessesOnOneDatabase(t *testing.T) {
	names := []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"}
	w := nowWorld(t, names...)
	w.link("1", "1")
	w.syncJSON(nil, "1")
	loop := exec.Command(w.ghiseu, "sync", "--loop", "20ms", "--db", "c1.db")
	loop.Dir = w.dir
	if err := loop.Start(); err != nil {
		t.Fatal(err)
	}
	var wg gosync.WaitGroup
	verdicts := make(chan string, len(names))
	for _, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			verdicts <- w.verdict(nil, "1", "checkin", name)
		}()
	}
	wg.Wait()
	close(verdicts)
	for v := range verdicts {
		if v != "valid" {
			t.Errorf("a check-in beside the sync loop: %q", v)
		}
	}
	time.Sleep(300 * time.Millisecond)
	loop.Process.Kill()
	loop.Wait()
	w.syncJSON(nil, "1")
	if n := len(allEvents(t, filepath.Join(w.dir, "hub.db"))); n != len(names) {
		t.Fatalf("the hub holds %d events, want %d", n, len(names))
	}
}
