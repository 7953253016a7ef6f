package app

import (
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
)

// A code the camera reads again after its minute (a confirmation paper
// lying in view, the citizen's phone back in view) leaves the card to
// what the clerk works on when its verdict says nothing new: already
// arrived, or a verdict shown for that code today. It goes in the note
// under the preview. A new person's code still shows on the card.
func TestCameraTellsNothingNewInTheNote(t *testing.T) {
	tests := []struct {
		name    string
		scanned []string // scanned by hand first, in order
		shown   string   // whose code the camera reads, its minute past
		title   string   // the card's title afterwards; "" for the camera's verdict
		note    string   // in the note under the preview
	}{
		{name: "already arrived", scanned: []string{"Bălan Ana", "Popescu Andrei"}, shown: "Bălan Ana",
			note: "Sosire deja înregistrată · Bălan Ana"},
		{name: "the code just scanned", scanned: []string{"Bălan Ana"}, shown: "Bălan Ana",
			title: "Programare validă", note: "Sosire deja înregistrată · Bălan Ana"},
		{name: "a refusal shown today", scanned: []string{"Stănescu Gheorghe", "Bălan Ana"}, shown: "Stănescu Gheorghe",
			title: "Programare validă", note: "Întârziere: programarea a expirat · Stănescu Gheorghe"},
		{name: "a new person", scanned: []string{"Bălan Ana"}, shown: "Dumitrescu Ilinca"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.mu.Lock()
			for _, name := range tt.scanned {
				f.keys(f.c.manual, f.code(name), 4*time.Millisecond, true)
			}
			title := f.c.card.title.Text
			if tt.title != "" && title != tt.title {
				t.Fatalf("after the scans the card says %q", title)
			}
			events := f.arrivals(tt.shown)
			f.c.camera.judged.Forget(f.code(tt.shown)) // its minute passed
			f.mu.Unlock()
			f.showToCamera(f.code(tt.shown))
			if tt.note == "" { // a new person: the card shows them
				f.waitFor(func() bool { return strings.HasPrefix(f.c.card.who.Text, tt.shown) })
				return
			}
			f.waitFor(func() bool { return strings.Contains(f.c.camera.note.Text, tt.note) && f.c.camera.note.Visible() })
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.c.card.title.Text != title || f.arrivals(tt.shown) != events {
				t.Fatalf("card %q, want %q kept; %d arrivals, want %d", f.c.card.title.Text, title, f.arrivals(tt.shown), events)
			}
			if tt.name == "a refusal shown today" && f.state(tt.shown) == store.Present {
				t.Fatalf("the camera took %s in", tt.shown)
			}
		})
	}
}
