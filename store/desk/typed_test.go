package desk

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// TestTyped: a reference or a name is judged like a scanned code, by the
// local booking, and what it records says "manual".
func TestTyped(t *testing.T) {
	ctx := context.Background()
	d, _ := newDesk(t, filepath.Join(t.TempDir(), "g.db"))
	later := time.Date(2026, 11, 23, 11, 30, 0, 0, bucharest)
	if err := d.DB.PutBookings(ctx, []store.Booking{
		{ID: "4", Office: cal.Office, Day: "2026-11-23", SlotStart: later, SlotMinutes: 20, Kind: store.Intake, Name: "Popescu Ion", Reason: "expiry"},
		{ID: "5", Office: cal.Office, Day: "2026-11-23", SlotStart: later, SlotMinutes: 20, Kind: store.Intake, Name: "Ștefănescu Ana-Maria", Reason: "expiry"},
		{ID: "6", Office: cal.Office, Day: "2026-11-23", SlotStart: later.Add(time.Hour), SlotMinutes: 20, Kind: store.Intake, Name: "Popescu Ion", Reason: "lost"},
	}); err != nil {
		t.Fatal(err)
	}
	ref := func(id string) string { return rescode.ReferenceOf(cal.Office, id) }
	typo := ref("1")[:3] + ref("1")[4:5] + ref("1")[3:4] + ref("1")[5:] // two neighbours swapped
	if typo == ref("1") {
		t.Fatal("the test's typo is no typo")
	}
	steps := []struct {
		name   string
		fn     func(context.Context, string) (verdict.Verdict, error)
		text   string
		want   verdict.Name
		note   string // of the arrival recorded, "" for none
		detail [2]string
	}{
		{"check by reference", d.Check, ref("1"), verdict.Valid, "", [2]string{}},
		{"a scan is never a name", d.CheckIn, "Popescu Ana", verdict.NotACode, "", [2]string{}},
		{"typo", d.CheckInTyped, " " + strings.ToLower(typo) + " ", verdict.ReferenceTypo, "", [2]string{"text", strings.ToLower(typo)}},
		{"check-in by reference", d.CheckIn, ref("1")[:4] + "-" + ref("1")[4:], verdict.Valid, ManualNote, [2]string{}},
		{"again by name", d.CheckInTyped, "ana popescu", verdict.AlreadyArrived, "", [2]string{"counter", "1"}},
		{"another day", d.CheckIn, ref("3"), verdict.WrongDay, "", [2]string{}},
		{"another office's reference", d.CheckInTyped, rescode.Reference("CJ-DJEP", 2), verdict.UnknownReference, "", [2]string{}},
		{"a surname alone is no check-in", d.CheckInTyped, "IONESCU", verdict.NameIncomplete, "", [2]string{"bookings", "Ionescu Dan 10:15 " + ref("2")}},
		{"a first name alone is no check-in", d.CheckInTyped, "dan", verdict.NameIncomplete, "", [2]string{"count", "1"}},
		{"a surname several have", d.CheckInTyped, "popescu", verdict.NameIncomplete, "", [2]string{"count", "3"}},
		{"a first name several have", d.CheckInTyped, "Ana", verdict.NameIncomplete, "", [2]string{"count", "2"}},
		{"a word too many", d.CheckInTyped, "Popescu Ana Maria", verdict.NameNotFound, "", [2]string{}},
		{"a word twice", d.CheckInTyped, "Dan Dan", verdict.NameNotFound, "", [2]string{}},
		{"the same full name twice", d.CheckInTyped, "ion popescu", verdict.NameAmbiguous, "", [2]string{"count", "2"}},
		{"a full name, no diacritics", d.CheckInTyped, "DAN IONESCU", verdict.Ready, ManualNote, [2]string{}},
		{"no name", d.CheckInTyped, "Nimeni Nicăieri", verdict.NameNotFound, "", [2]string{"text", "Nimeni Nicăieri"}},
		{"part of a word is no name", d.CheckInTyped, "Pop", verdict.NameNotFound, "", [2]string{}},
		{"a name of a reference's form", d.CheckInTyped, "Ilie Vasi", verdict.NameNotFound, "", [2]string{}},
		{"a reference's form", d.CheckInTyped, "ILIEVASI", verdict.ReferenceTypo, "", [2]string{"text", "ILIEVASI"}},
		{"not a name", d.CheckInTyped, "https://example.com", verdict.NotACode, "", [2]string{}},
		{"early by name", d.CheckInTyped, "stefanescu ana maria", verdict.Early, "", [2]string{}},
	}
	for _, s := range steps {
		v, err := s.fn(ctx, s.text)
		if err != nil || v.Name != s.want {
			t.Fatalf("%s (%q): %s, %v; want %s", s.name, s.text, v.Name, err, s.want)
		}
		if got := note(v); got != s.note {
			t.Errorf("%s: recorded %q, want %q", s.name, got, s.note)
		}
		if s.detail[0] != "" && v.Details[s.detail[0]] != s.detail[1] {
			t.Errorf("%s: %s = %q, want %q", s.name, s.detail[0], v.Details[s.detail[0]], s.detail[1])
		}
	}
	v, err := d.Override(ctx, ref("5"), "a venit cu trenul")
	if err != nil || v.Name != verdict.Overridden || v.Recorded.Note != "manual: a venit cu trenul" {
		t.Fatalf("override by reference: %+v, %v", v, err)
	}
	es, err := d.DB.Events(ctx, "1")
	if err != nil || len(es) != 1 || es[0].Note != ManualNote || es[0].Type != store.Arrived {
		t.Fatalf("events of booking 1: %+v, %v", es, err)
	}
}

func note(v verdict.Verdict) string {
	if v.Recorded == nil {
		return ""
	}
	return v.Recorded.Note
}

// TestNameMatch: a typed name names a person fully only with every word
// of their name, each once, in any order, diacritics and case aside.
func TestNameMatch(t *testing.T) {
	for _, tt := range []struct {
		typed, name string
		want        match
	}{
		{"Ana POPESCU", "Popescu Ana", nameFull},
		{"tirlea mihai", "Țîrlea Mihai", nameFull},
		{"Ionescu Maria-Stefania", "Ionescu Maria-Ștefania", nameFull},
		{"maria stefania ionescu", "Ionescu Maria-Ștefania", nameFull},
		{"  bălan   ana ", "Bălan Ana", nameFull},
		{"popescu", "Popescu Ana", namePart},
		{"balan", "Bălan Ana", namePart},
		{"mihai", "Țîrlea Mihai", namePart},
		{"maria", "Ionescu Maria-Ștefania", namePart},
		{"ionescu maria", "Ionescu Maria-Ștefania", namePart},
		{"Pop", "Popescu Ana", nameNone},
		{"Popescu Ion", "Popescu Ana", nameNone},
		{"Popescu Ana Maria", "Popescu Ana", nameNone},
		{"ana ana", "Popescu Ana", nameNone},
		{"", "Popescu Ana", nameNone},
	} {
		if got := nameMatch(tt.typed, tt.name); got != tt.want {
			t.Errorf("nameMatch(%q, %q) = %d, want %d", tt.typed, tt.name, got, tt.want)
		}
	}
}
