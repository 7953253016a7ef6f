package verdict

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
)

var (
	cal       = calendar.Default()
	loc       = cal.Location()
	monday    = time.Date(2026, 11, 23, 10, 12, 0, 0, loc) // the moment of the scans
	testCtx   = Context{Cal: cal, Fees: rules.DefaultFees, Now: monday}
	arrivedAt = &store.Event{ID: "e", Type: store.Arrived, At: time.Date(2026, 11, 23, 8, 5, 0, 0, time.UTC), Counter: "2"}
)

// scan is a booking and the code that goes with it.
type scan struct {
	claims rescode.Claims
	local  *store.Booking
	state  store.Derived
}

// booked is an on-record intake at hh:mm on day (of November 2026).
func booked(day, hh, mm int, edit ...func(*store.Booking, *rescode.Claims)) scan {
	start := time.Date(2026, 11, day, hh, mm, 0, 0, loc)
	b := store.Booking{ID: "42", Office: cal.Office, Day: start.Format(time.DateOnly), SlotStart: start,
		SlotMinutes: 20, Kind: store.Intake, Name: "Popescu Ana", Reason: "expiry", BirthDate: "1980-05-05",
		Status: store.Confirmed}
	c := rescode.Claims{Version: 1, KeyID: 1, BookingID: 42, Office: cal.Office, SlotStart: start.UTC(),
		SlotMinutes: 20, Kind: rescode.Intake}
	for _, e := range edit {
		e(&b, &c)
	}
	return scan{claims: c, local: &b, state: store.Derived{State: store.Expected}}
}

func pickup(readyOn string) func(*store.Booking, *rescode.Claims) {
	return func(b *store.Booking, c *rescode.Claims) {
		b.Kind, c.Kind, b.ReadyOn, b.BirthDate = store.Pickup, rescode.Pickup, readyOn, "2019-01-01"
	}
}

func elsewhere(b *store.Booking, _ *rescode.Claims) { b.PickupOffice = b.Office }

// refused: the clerk of counter 2 refused the person for why at 10:05.
func (s scan) refused(why string) scan {
	e := *arrivedAt
	e.Type, e.Note = store.Refused, why
	s.state = store.Derived{State: store.Turned, Last: &e}
	return s
}

func status(s store.Status) func(*store.Booking, *rescode.Claims) {
	return func(b *store.Booking, _ *rescode.Claims) { b.Status = s }
}

func (s scan) in(st store.State) scan {
	s.state = store.Derived{State: st, Last: arrivedAt}
	return s
}

// derived gives the scan the state c.Derive finds for these events at the
// test's clock, as the desk does.
func (s scan) derived(events ...store.Event) scan {
	s.state = testCtx.Derive(*s.local, events)
	return s
}

// oldNoShow is a no-show event as versions before derived no-shows wrote
// them, here by a counter whose clock ran hours fast.
var oldNoShow = store.Event{ID: "no-show-42", BookingID: "42", Type: store.NoShow,
	At: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), Counter: "system", Clerk: "system"}

func (s scan) unlisted() scan {
	s.local = nil
	return s
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name    string
		scan    scan
		want    Name
		details map[string]string
	}{
		{"on time", booked(23, 10, 10), Valid, nil},
		{"inside the early window", booked(23, 10, 20), Valid, nil},
		{"inside the late grace", booked(23, 10, 5), Valid, nil},
		{"early", booked(23, 10, 30), Early, map[string]string{"slot": "2026-11-23T10:30:00+02:00", "from": "2026-11-23T10:15:00+02:00"}},
		{"late", booked(23, 9, 50), Late, map[string]string{"slot": "2026-11-23T09:50:00+02:00", "until": "2026-11-23T10:00:00+02:00", "cancel": "no_show"}},
		{"another day", booked(25, 10, 20), WrongDay, map[string]string{"slot": "2026-11-25T10:20:00+02:00"}},
		{"yesterday", booked(22, 10, 10), WrongDay, map[string]string{"slot": "2026-11-22T10:10:00+02:00"}},
		{"another office", booked(23, 10, 10, func(_ *store.Booking, c *rescode.Claims) { c.Office = "CJ-DJEP" }), WrongOffice, map[string]string{"office": "CJ-DJEP"}},
		{"already arrived", booked(23, 10, 10).in(store.Present), AlreadyArrived, map[string]string{"at": "2026-11-23T10:05:00+02:00", "counter": "2"}},
		{"no-show: the slot and its grace are over", booked(23, 9, 30).derived(), NoShowRecorded, map[string]string{"at": "2026-11-23T10:00:00+02:00", "cancel": "no_show"}},
		{"not yet a no-show: the grace runs", booked(23, 9, 45).derived(), Late, map[string]string{"slot": "2026-11-23T09:45:00+02:00", "until": "2026-11-23T09:55:00+02:00", "cancel": "no_show"}},
		{"an old no-show event written by a fast clock", booked(23, 10, 10).derived(oldNoShow), Valid, nil},
		{"cancelled", booked(23, 10, 10, status(store.Cancelled)), Cancelled, nil},
		{"replaced", booked(23, 10, 10, status(store.Replaced)), Replaced, nil},
		{"moved: an old code", booked(23, 10, 10, func(b *store.Booking, _ *rescode.Claims) { b.SlotStart = b.SlotStart.Add(time.Hour) }), Replaced, nil},
		{"missing from the list", booked(23, 10, 10).unlisted(), NotInList, nil},
		{"missing from the list and late", booked(23, 8, 30).unlisted(), Late, map[string]string{"slot": "2026-11-23T08:30:00+02:00", "until": "2026-11-23T08:40:00+02:00", "cancel": "no_show"}},
		{"pickup ready", booked(23, 10, 10, pickup("2026-11-18")), Ready, nil},
		// Dumbrăvița hands cards over only on Fridays: two working days
		// after a Thursday's notice fall on Monday, so the card waits for
		// Friday.
		{"pickup on the second working day, not a pickup day", booked(23, 10, 10, pickup("2026-11-19")), NotReady, map[string]string{"from": "2026-11-27T00:00:00+02:00"}},
		{"pickup too soon after the notice", booked(23, 10, 10, pickup("2026-11-20")), NotReady, map[string]string{"from": "2026-11-27T00:00:00+02:00"}},
		{"pickup with no notice", booked(23, 10, 10, pickup("")), NotReady, nil},
		{"picked up", booked(23, 10, 10, pickup("2026-11-18")).in(store.Collected), AlreadyPickedUp, map[string]string{"at": "2026-11-23T10:05:00+02:00", "counter": "2"}},
		// Issue 14, rule 3: a card collected at another office comes 10
		// working days later (30 Nov and 1 Dec are holidays).
		{"pickup elsewhere: 12 working days after the notice, a Friday", booked(23, 10, 10, pickup("2026-11-04"), elsewhere), Ready, nil},
		{"pickup elsewhere: 12 working days after the notice, then the Friday", booked(23, 10, 10, pickup("2026-11-05"), elsewhere), NotReady, map[string]string{"from": "2026-11-27T00:00:00+02:00"}},
		{"pickup elsewhere: not 2 working days after", booked(23, 10, 10, pickup("2026-11-18"), elsewhere), NotReady, map[string]string{"from": "2026-12-11T00:00:00+02:00"}},
		// Issue 14, rule 7: refused at a counter, the booking is cancelled.
		{"refused for missing documents", booked(23, 10, 10).refused("missing_documents"), Turned, map[string]string{"at": "2026-11-23T10:05:00+02:00", "cancel": "missing_documents", "counter": "2"}},
		{"refused for data that does not match", booked(23, 10, 10).refused("data_mismatch"), Turned, map[string]string{"at": "2026-11-23T10:05:00+02:00", "cancel": "data_mismatch", "counter": "2"}},
	}
	covered := map[Name]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(testCtx, tt.scan.claims, tt.scan.local, tt.scan.state)
			covered[v.Name] = true
			if v.Name != tt.want || v.Colour != colours[tt.want] || v.Colour == "" {
				t.Fatalf("got %s/%s, want %s/%s", v.Name, v.Colour, tt.want, colours[tt.want])
			}
			if fmt.Sprint(v.Details) != fmt.Sprint(map[string]string(tt.details)) && len(v.Details)+len(tt.details) > 0 {
				t.Fatalf("details %v, want %v", v.Details, tt.details)
			}
			if tt.scan.local != nil && v.Help == nil {
				t.Fatal("no help for the clerk")
			}
		})
	}
	for _, err := range []error{rescode.ErrNotACode, rescode.ErrForged, rescode.ErrTruncated,
		rescode.ErrUnknownKey, rescode.ErrKeyExpired, rescode.ErrVersion} {
		covered[Refuse(fmt.Errorf("parse: %w", err)).Name] = true
	}
	covered[Overridden] = true        // TestOverridden
	for _, v := range typedMisses() { // TestTyped
		covered[v.Name] = true
	}
	covered[Queue(testCtx, CalledIn, *booked(23, 10, 10).local, 7*time.Minute).Name] = true
	covered[Queue(testCtx, ServedDone, *booked(23, 10, 10).local, 0).Name] = true
	covered[Queue(testCtx, WalkedIn, *booked(23, 10, 10).local, 0).Name] = true
	for _, n := range Names() {
		if !covered[n] {
			t.Errorf("verdict %s is not covered by a test", n)
		}
	}
}

func TestRefuse(t *testing.T) {
	for err, want := range map[error][2]string{
		rescode.ErrNotACode:   {"not_a_code", ""},
		rescode.ErrForged:     {"forged", "forged"},
		rescode.ErrTruncated:  {"forged", "truncated"},
		rescode.ErrUnknownKey: {"forged", "unknown_key"},
		rescode.ErrKeyExpired: {"forged", "key_expired"},
		rescode.ErrVersion:    {"forged", "version"},
	} {
		v := Refuse(fmt.Errorf("parse %q: %w", "x", err))
		if string(v.Name) != want[0] || v.Details["reason"] != want[1] || v.Colour != Red || v.Accepts() {
			t.Errorf("Refuse(%v) = %+v, want %v", err, v, want)
		}
	}
}

func TestOverridden(t *testing.T) {
	v := Judge(testCtx, booked(23, 9, 50).claims, booked(23, 9, 50).local, store.Derived{State: store.Expected})
	if !v.Overridable() || v.Accepts() {
		t.Fatalf("late: overridable %v, accepts %v", v.Overridable(), v.Accepts())
	}
	e := store.Event{ID: "x", Type: store.Arrived, At: monday, Note: "trafic blocat"}
	o := v.Overridden(testCtx, e)
	if o.Name != Overridden || o.Colour != Green || o.Recorded.Note != "trafic blocat" {
		t.Fatalf("overridden: %+v", o)
	}
	if got := o.Message(i18n.Romanian).Detail; got != "Sosire înregistrată 10:12. Motiv: trafic blocat" {
		t.Fatalf("message %q", got)
	}
}

func TestMessages(t *testing.T) {
	for _, n := range Names() {
		for _, l := range i18n.Langs {
			if !i18n.Has(l, "verdict."+string(n)+".title") || !i18n.Has(l, "verdict."+string(n)+".detail") {
				t.Errorf("verdict %s has no %s title or detail", n, l)
			}
		}
	}
	v := Judge(testCtx, booked(23, 10, 30).claims, booked(23, 10, 30).local, store.Derived{State: store.Expected})
	m := v.Message(i18n.English)
	if m.Title != "Too early" || m.Detail != "The booking is at 10:30; can be taken from 10:15." {
		t.Fatalf("early message: %+v", m)
	}
	if m.Who != "Popescu Ana · "+rescode.Reference(cal.Office, 42) || len(m.Lines) != 2 || !strings.Contains(strings.Join(m.Help, "|"), "valid 10 years") {
		t.Fatalf("early message body: %+v", m)
	}
	f := Refuse(rescode.ErrUnknownKey).Message(i18n.Romanian)
	if f.Detail != "Codul nu poate fi verificat: semnat cu o cheie necunoscută. Cereți e-mailul de confirmare." {
		t.Fatalf("forged message: %q", f.Detail)
	}
	p := Judge(testCtx, booked(23, 10, 10, pickup("2026-11-18")).claims, booked(23, 10, 10, pickup("2026-11-18")).local, store.Derived{State: store.Expected})
	if help := strings.Join(p.Message(i18n.English).Help, "|"); !strings.Contains(help, "PIN") || !strings.Contains(help, "parent") {
		t.Fatalf("pickup of a child's card: help %q", help)
	}
}

func TestQueueCards(t *testing.T) {
	v := Queue(testCtx, CalledIn, *booked(23, 10, 10).local, 7*time.Minute+40*time.Second)
	m := v.Message(i18n.Romanian)
	if v.Colour != Green || m.Title != "Chemat la ghișeu" || m.Detail != "A așteptat 7 min." || len(m.Help) == 0 {
		t.Fatalf("called: %+v", m)
	}
	if m := Queue(testCtx, ServedDone, *booked(23, 10, 10).local, 0).Message(i18n.English); m.Title != "Served" || len(m.Help) != 0 {
		t.Fatalf("served: %+v", m)
	}
}

func typedMisses() []Verdict {
	two := []store.Booking{*booked(23, 10, 10).local, *booked(23, 11, 30).local}
	two[1].ID, two[1].Name = "43", "Popescu Ion"
	return []Verdict{Typo(" RP5SGL45 "), Unknown("RP5SGL44"), NoName("Nimeni"), SeveralNames(testCtx, "popescu", two),
		PartName(testCtx, "popescu", two)}
}

// TestTyped: a booking typed by reference or name is judged by its local
// copy with every rule of office, status, day and time, and marked manual;
// what designates no single booking says why, keeping the typed text.
func TestTyped(t *testing.T) {
	moved := func(b *store.Booking, _ *rescode.Claims) { b.Office = "CJ-DJEP" }
	for _, tt := range []struct {
		s    scan
		want Name
	}{
		{booked(23, 10, 10), Valid},
		{booked(23, 10, 10, pickup("2026-11-16")), Ready},
		{booked(23, 10, 30), Early},
		{booked(23, 9, 50), Late},
		{booked(25, 10, 10), WrongDay},
		{booked(23, 10, 10, moved), WrongOffice},
		{booked(23, 10, 10, status(store.Cancelled)), Cancelled},
		{booked(23, 10, 10, status(store.Replaced)), Replaced},
		{booked(23, 10, 10).in(store.Present), AlreadyArrived},
	} {
		v := JudgeTyped(testCtx, *tt.s.local, tt.s.state)
		if v.Name != tt.want || !v.Manual {
			t.Errorf("%s typed: %s (manual %v), want %s", tt.s.local.SlotStart, v.Name, v.Manual, tt.want)
		}
	}
	want := map[Name][2]string{
		ReferenceTypo:    {"text", "RP5SGL45"},
		UnknownReference: {"ref", "RP5SGL44"},
		NameNotFound:     {"text", "Nimeni"},
		NameAmbiguous:    {"bookings", "Popescu Ana 10:10 " + rescode.Reference(cal.Office, 42) + "; Popescu Ion 11:30 " + rescode.Reference(cal.Office, 43)},
		NameIncomplete:   {"bookings", "Popescu Ana 10:10 " + rescode.Reference(cal.Office, 42) + "; Popescu Ion 11:30 " + rescode.Reference(cal.Office, 43)},
	}
	for _, v := range typedMisses() {
		w := want[v.Name]
		if v.Details[w[0]] != w[1] || v.Accepts() || !v.Manual || v.Colour == Green {
			t.Errorf("%s: %+v, want %s %q", v.Name, v, w[0], w[1])
		}
	}
}

// TestReadyFrom: the first day a card may be collected is the first day,
// from the working-day date after the notice on, on which the office hands
// cards over (SPCLEP Dumbrăvița: Fridays), skipping closed days; an office
// without pickup hours keeps the working-day date.
func TestReadyFrom(t *testing.T) {
	noPickups := calendar.Default()
	noPickups.Pickup = nil
	monAndFri := calendar.Default()
	monAndFri.Pickup = calendar.Week{"mon": cal.Pickup["fri"], "fri": cal.Pickup["fri"]}
	closedFri := calendar.Default()
	closedFri.Closed = []string{"2026-11-27"}
	tests := []struct {
		name      string
		cal       calendar.Calendar
		notice    string
		elsewhere bool
		want      string
	}{
		{"two working days fall on a Friday", cal, "2026-11-18", false, "2026-11-20"},
		{"two working days fall on a Monday: the Friday", cal, "2026-11-19", false, "2026-11-27"},
		{"a notice on a Friday: the next Friday", cal, "2026-11-20", false, "2026-11-27"},
		{"Christmas and New Year's Day are Fridays", cal, "2026-12-21", false, "2027-01-08"},
		{"a closed Friday: the next one", closedFri, "2026-11-19", false, "2026-12-04"},
		{"pickups on Monday too", monAndFri, "2026-11-19", false, "2026-11-23"},
		{"no pickup hours: the working-day date", noPickups, "2026-11-19", false, "2026-11-23"},
		{"applied elsewhere: 12 working days, then the Friday", cal, "2026-11-18", true, "2026-12-11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := store.Booking{Kind: store.Pickup, ReadyOn: tt.notice}
			if tt.elsewhere {
				b.PickupOffice = tt.cal.Office
			}
			got, ok := ReadyFrom(tt.cal, b)
			want, _ := time.ParseInLocation(time.DateOnly, tt.want, loc)
			if !ok || !got.Equal(want) {
				t.Fatalf("ReadyFrom = %v, %v; want %v", got, ok, want)
			}
		})
	}
	if _, ok := ReadyFrom(cal, store.Booking{Kind: store.Pickup}); ok {
		t.Error("ReadyFrom without a notice is ok")
	}
}
