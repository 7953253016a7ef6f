package app

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The verdict card shows the person's ticket on top, as large as the
// title; a re-scan shows the same ticket and gives no new number; the
// day list shows it in a column of its own and finds the person by it.
func TestVerdictCardShowsTheTicket(t *testing.T) {
	f := newFixture(t)
	card := f.c.card
	if !card.ticket.Hidden {
		t.Fatalf("the idle card shows a ticket %q", card.ticket.Text)
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	if card.ticket.Hidden || card.ticket.Text != "Nr. D-001" {
		t.Fatalf("after the arrival the card's ticket is %q (hidden %v), want Nr. D-001", card.ticket.Text, card.ticket.Hidden)
	}
	th := card.themed.override.Theme
	if got, title := th.Size(card.ticket.SizeName), th.Size(card.title.SizeName); got < title || got < 40 {
		t.Errorf("the ticket's text size %.0f, the title's %.0f: want it as large as the title", got, title)
	}
	if r := f.c.win.Canvas().Size(); card.ticket.Position().Y > card.title.Position().Y {
		t.Errorf("the ticket stands below the title on a %v window", r)
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true) // again
	if card.ticket.Text != "Nr. D-001" {
		t.Errorf("re-scan: the card's ticket is %q, want the same Nr. D-001", card.ticket.Text)
	}
	es, err := f.d.DB.Events(context.Background(), f.bookingID("Bălan Ana"))
	if err != nil || len(es) != 1 || es[0].Ticket != "D-001" {
		t.Fatalf("after a re-scan the log holds %+v (%v), want one arrival with D-001", es, err)
	}
	f.shortcut(fyne.KeyL) // English
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	if card.ticket.Text != "No. D-001" {
		t.Errorf("in English the card's ticket is %q, want No. D-001", card.ticket.Text)
	}

	// The day list: the ticket in its column, and the search finds it.
	day := f.c.day
	i := f.rowOf("Bălan Ana")
	item := day.list.CreateItem()
	day.updateRow(i, item)
	left := item.(*fyne.Container).Objects[1].(*fyne.Container)
	if got := left.Objects[2].(*fyne.Container).Objects[0].(*widget.Label).Text; got != "D-001" {
		t.Errorf("the day list's ticket column shows %q, want D-001", got)
	}
	for _, q := range []string{"D-001", "d1", "d 001"} {
		day.search.SetText(q)
		if len(day.shown) != 1 || day.shown[0].Name != "Bălan Ana" {
			var names []string
			for _, r := range day.shown {
				names = append(names, r.Name)
			}
			t.Errorf("search %q: %v, want Bălan Ana only", q, names)
		}
	}
	day.search.SetText("")
	if got := f.row("Bălan Ana").Ticket; got != "D-001" {
		t.Errorf("row ticket %q", got)
	}
}

func TestWithTicket(t *testing.T) {
	for _, c := range []struct{ ticket, name, want string }{
		{"D-017", "Bălan Ana", "D-017 · Bălan Ana"},
		{"", "Bălan Ana", "Bălan Ana"},
	} {
		if got := withTicket(c.ticket, c.name); got != c.want {
			t.Errorf("withTicket(%q, %q) = %q, want %q", c.ticket, c.name, got, c.want)
		}
	}
}
