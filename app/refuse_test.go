package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
)

// TestRefuseWithAReason: the clerk refuses the person on the card for
// missing documents; the card says the booking is cancelled and why, the
// day list shows them refused and a scan afterwards says it again (issue
// 14, rule 7).
func TestRefuseWithAReason(t *testing.T) {
	f := newFixture(t)
	f.shortcut(fyne.KeyK)
	if f.overlays() != 0 {
		t.Fatal("Ctrl+K opened a dialog with nobody on the card")
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true) // 10:10, on time
	if f.state("Bălan Ana") != store.Present || !f.c.canRefuse() {
		t.Fatalf("after the check-in: %s, refusable %v", f.state("Bălan Ana"), f.c.canRefuse())
	}
	f.shortcut(fyne.KeyK)
	f.shortcut(fyne.KeyK)
	if f.overlays() != 1 {
		t.Fatalf("Ctrl+K twice opened %d dialogs", f.overlays())
	}
	reasons := radioOptions(f.c.win.Canvas().Overlays().Top())
	if !slices.Equal(reasons, []string{"lipsa actelor necesare", "datele nu corespund formularului de programare"}) {
		t.Fatalf("the reasons offered: %v", reasons)
	}
	escapeAt(f.c.win)
	f.c.Refuse(f.bookingID("Bălan Ana"), "missing_documents")
	if f.c.card.title.Text != "Refuzat la ghișeu: programare anulată" || !strings.Contains(f.c.card.detail.Text, "lipsa actelor necesare") ||
		f.state("Bălan Ana") != store.Turned || f.c.canRefuse() {
		t.Fatalf("after the refusal: %q %q, %s", f.c.card.title.Text, f.c.card.detail.Text, f.state("Bălan Ana"))
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	if f.c.card.title.Text != "Refuzat la ghișeu: programare anulată" {
		t.Fatalf("a scan after the refusal: %q", f.c.card.title.Text)
	}
	f.shortcut(fyne.KeyK)
	if f.overlays() != 0 {
		t.Fatal("Ctrl+K opened a dialog for a person refused already")
	}
}

// TestWalkInOffersTheServicesOpenNow: at SPCLEP Dumbrăvița on Thursday
// at 08:45 the walk-in offers the special situations' reasons only; at
// 09:15 the CIP and the residence visa too; on Monday it opens no form
// (issue 14, rule 1).
func TestWalkInOffersTheServicesOpenNow(t *testing.T) {
	f := newFixture(t)
	f.d.Cal = calendar.Default()
	thursday := func(hh, mm int) time.Time { return time.Date(2026, 11, 26, hh, mm, 0, 0, f.now.Location()) }
	tests := []struct {
		at      time.Time
		offered int
		has     string
		lacks   string
	}{
		{thursday(8, 45), len(calendar.CEIReasons), "Pierdere, furt sau deteriorare", "CIP: domiciliu în străinătate"},
		{thursday(9, 15), len(calendar.CEIReasons) + len(calendar.WalkInOnlyReasons), "Mențiune de reședință", ""},
	}
	for _, tt := range tests {
		f.now = tt.at
		f.shortcut(fyne.KeyW)
		if f.overlays() != 1 {
			t.Fatalf("%s: %d dialogs", tt.at, f.overlays())
		}
		got := selectOptions(f.c.win.Canvas().Overlays().Top())
		if len(got) != tt.offered || !slices.Contains(got, tt.has) || tt.lacks != "" && slices.Contains(got, tt.lacks) {
			t.Fatalf("%s: offered %v", tt.at, got)
		}
		escapeAt(f.c.win)
	}
	f.now = time.Date(2026, 11, 23, 9, 30, 0, 0, f.now.Location())
	f.shortcut(fyne.KeyW)
	if f.overlays() != 0 || f.c.card.title.Text != "Acum nu este interval de primire fără programare." {
		t.Fatalf("Monday: %d dialogs, card %q", f.overlays(), f.c.card.title.Text)
	}
}

// radioOptions and selectOptions find the choices of a dialog's form.
func radioOptions(o fyne.CanvasObject) []string {
	for _, w := range test.LaidOutObjects(o) {
		if r, ok := w.(*widget.RadioGroup); ok {
			return r.Options
		}
	}
	return nil
}

func selectOptions(o fyne.CanvasObject) []string {
	for _, w := range test.LaidOutObjects(o) {
		switch s := w.(type) {
		case *widget.Select:
			return s.Options
		case *scanSelect: // the walk-in form's, which catches a scan
			return s.Options
		}
	}
	return nil
}
