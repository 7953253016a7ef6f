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
		{"one name, no diacritics", d.CheckInTyped, "IONESCU", verdict.Ready, ManualNote, [2]string{}},
		{"several names", d.CheckInTyped, "popescu", verdict.NameAmbiguous, "", [2]string{"count", "2"}},
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

func TestNameMatches(t *testing.T) {
	for _, tt := range []struct {
		typed, name string
		want        bool
	}{
		{"popescu", "Popescu Ana", true},
		{"Ana POPESCU", "Popescu Ana", true},
		{"tirlea mihai", "Țîrlea Mihai", true},
		{"maria", "Ionescu Maria-Ștefania", true},
		{"Ionescu Maria-Stefania", "Ionescu Maria-Ștefania", true},
		{"Pop", "Popescu Ana", false},
		{"Popescu Ion", "Popescu Ana", false},
		{"", "Popescu Ana", false},
	} {
		if got := nameMatches(tt.typed, tt.name); got != tt.want {
			t.Errorf("nameMatches(%q, %q) = %v", tt.typed, tt.name, got)
		}
	}
}
