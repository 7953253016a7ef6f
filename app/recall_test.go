package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/ghiseu/ghiseu/store"
)

// Ctrl+Shift+N calls again the person this counter serves: a Recalled
// event with their ticket, no change of state, and Ctrl+Z after it undoes
// the call, not the call again.
func TestCallAgain(t *testing.T) {
	f := newFixture(t)
	again := &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift}
	f.c.manual.TypedShortcut(again) // nobody called: told so, nothing written
	if !strings.Contains(f.told(), "Nu ați chemat pe nimeni") {
		t.Fatalf("call again with nobody called: told %q", f.told())
	}
	f.keys(f.c.manual, "", 0, true) // OK
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	id := f.bookingID("Bălan Ana")
	ctx := context.Background()
	es, _ := f.d.DB.Events(ctx, id)
	if len(es) != 1 {
		t.Fatalf("after the arrival: %+v", es)
	}
	if es[0].Ticket != "D-001" { // the arrival's ticket, this counter's first of the day
		t.Fatalf("the arrival's ticket %q, want D-001", es[0].Ticket)
	}
	f.shortcut(fyne.KeyN)
	f.c.manual.TypedShortcut(again)
	es, _ = f.d.DB.Events(ctx, id)
	last := es[len(es)-1]
	if last.Type != store.Recalled || last.Counter != f.d.Counter || last.Ticket != "D-001" {
		t.Fatalf("Ctrl+Shift+N wrote %+v, want a recalled event of this counter with ticket D-001", last)
	}
	if es[len(es)-2].Type != store.Called {
		t.Fatalf("events %+v", es)
	}
	if f.state("Bălan Ana") != store.InService || f.c.card.title.Text != "Chemat la ghișeu" {
		t.Fatalf("after the call again: state %s, card %q", f.state("Bălan Ana"), f.c.card.title.Text)
	}
	f.shortcut(fyne.KeyZ) // undoes the call itself
	if f.state("Bălan Ana") != store.Present {
		t.Fatalf("Ctrl+Z after the call again: state %s, want the call undone (arrived)", f.state("Bălan Ana"))
	}
	es, _ = f.d.DB.Events(ctx, id)
	if u := es[len(es)-1]; u.Type != store.Undone || u.Undoes != es[len(es)-3].ID {
		t.Fatalf("the undo %+v undoes %q, want the call %q", u, u.Undoes, es[len(es)-3].ID)
	}
}
