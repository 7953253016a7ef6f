package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// row is today's demo booking of the named person.
func (f *fixture) row(name string) desk.Row {
	rows, err := f.d.Day(context.Background(), f.d.Today())
	if err != nil {
		f.t.Fatal(err)
	}
	for _, r := range rows {
		if r.Name == name {
			return r
		}
	}
	f.t.Fatalf("no demo booking for %s", name)
	return desk.Row{}
}

// TestManualReference: the manual field takes a short reference or a
// name; after a reference with a typo or part of a name it keeps the text
// to be corrected or completed, after anything else it empties.
func TestManualReference(t *testing.T) {
	f := newFixture(t)
	ref := f.row("Bălan Ana").Ref
	typo := ref[:2] + ref[3:4] + ref[2:3] + ref[4:] // two neighbours swapped
	if typo == ref {
		t.Fatal("the test's typo is no typo")
	}
	steps := []struct {
		text  string
		want  verdict.Name
		field string // what the field holds afterwards
	}{
		{strings.ToLower(typo), verdict.ReferenceTypo, strings.ToLower(typo)},
		{"balan", verdict.NameIncomplete, "balan"}, // part of a name: kept to be completed, nobody recorded
		{ref, verdict.Valid, ""},
		{"stanescu gheorghe", verdict.Late, ""}, // 09:50, now 10:12
		{"Nimeni Nicaieri", verdict.NameNotFound, ""},
	}
	for _, s := range steps {
		f.c.manual.SetText("")
		f.keys(f.c.manual, s.text, 200*time.Millisecond, true)
		if f.c.current == nil || f.c.current.Name != s.want {
			t.Fatalf("typed %q: verdict %+v, want %s (card %q)", s.text, f.c.current, s.want, f.c.card.title.Text)
		}
		if f.c.manual.Text != s.field {
			t.Fatalf("typed %q: the field holds %q, want %q", s.text, f.c.manual.Text, s.field)
		}
	}
	if f.state("Bălan Ana") != store.Present {
		t.Fatalf("Bălan Ana: %s after check-in by reference", f.state("Bălan Ana"))
	}
	f.keys(f.c.manual, "stanescu gheorghe", 200*time.Millisecond, true)
	if want := f.row("Stănescu Gheorghe").Ref; f.c.lastCode != want || !strings.HasSuffix(f.c.card.who.Text, " · "+want) {
		t.Fatalf("a late person typed by name: override by %q, card %q; want the reference %s", f.c.lastCode, f.c.card.who.Text, want)
	}
	f.c.Override("a venit cu trenul")
	if f.c.current == nil || f.c.current.Name != verdict.Overridden || f.c.current.Recorded.Note != "manual: a venit cu trenul" {
		t.Fatalf("override of a typed booking: %+v", f.c.current)
	}
}

// TestDayListShowsReferences: the day list shows each booking's reference
// and finds a booking by the start of it.
func TestDayListShowsReferences(t *testing.T) {
	f := newFixture(t)
	ref := f.row("Bălan Ana").Ref
	f.c.day.search.SetText(strings.ToLower(ref[:5]))
	if len(f.c.day.shown) != 1 || f.c.day.shown[0].Name != "Bălan Ana" {
		t.Fatalf("search by reference %s found %v", ref[:5], f.c.day.shown)
	}
	o := f.c.day.newRow()
	f.c.day.updateRow(0, o)
	if got := o.(*fyne.Container).Objects[0].(*widget.Label).Text; got != "Bălan Ana · "+ref {
		t.Fatalf("the row says %q", got)
	}
}
