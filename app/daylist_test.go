package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// The day list's filter offers every state a person goes through, and the
// cancelled bookings, which no longer show as expected.
func TestDayListFilterEveryState(t *testing.T) {
	f := newFixture(t)
	names := func(choice string) []string {
		t.Helper()
		f.c.day.filter.SetSelected(choice)
		if f.c.day.filter.Selected != choice {
			t.Fatalf("no filter choice %q in %v", choice, f.c.day.filter.Options)
		}
		var out []string
		for _, r := range f.c.day.shown {
			out = append(out, r.Name)
		}
		return out
	}
	has := func(list []string, name string) bool {
		for _, n := range list {
			if n == name {
				return true
			}
		}
		return false
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	f.shortcut(fyne.KeyN)
	if got := names("Chemat"); len(got) != 1 || got[0] != "Bălan Ana" {
		t.Fatalf("called: %v", got)
	}
	f.shortcut(fyne.KeyE)
	if got := names("Servit"); len(got) != 1 || got[0] != "Bălan Ana" {
		t.Fatalf("served: %v", got)
	}
	if got := names("Chemat"); len(got) != 0 {
		t.Fatalf("called after serving: %v", got)
	}
	if got := names("Anulată"); !has(got, "Moldovan Radu") || has(got, "Bălan Ana") {
		t.Fatalf("cancelled: %v", got)
	}
	if got := names("Așteptat"); has(got, "Moldovan Radu") || len(got) == 0 {
		t.Fatalf("a cancelled booking is listed as expected: %v", got)
	}
	f.shortcut(fyne.KeyL) // the choices in English too
	if got := names("Cancelled"); !has(got, "Moldovan Radu") {
		t.Fatalf("cancelled, in English: %v", got)
	}
}
