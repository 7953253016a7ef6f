package app

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/camera"
	"github.com/ghiseu/ghiseu/scanner/frames"
	"github.com/ghiseu/ghiseu/scanner/qr"
	"github.com/ghiseu/ghiseu/store"
)

// showToCamera starts the camera on a folder holding one frame: the QR
// code of text, held in view.
func (f *fixture) showToCamera(text string) {
	f.t.Helper()
	dir := f.t.TempDir()
	img, err := qr.Encode(text, 360)
	if err != nil {
		f.t.Fatal(err)
	}
	fh, err := os.Create(filepath.Join(dir, "frame.png"))
	if err != nil {
		f.t.Fatal(err)
	}
	if err := png.Encode(fh, img); err != nil {
		f.t.Fatal(err)
	}
	fh.Close()
	ctx, cancel := context.WithCancel(context.Background())
	f.t.Cleanup(cancel)
	f.c.StartCamera(ctx, func() (camera.Source, error) { return frames.Open(dir, 20) })
}

func TestCameraLeavesCardAlone(t *testing.T) {
	tests := []struct {
		name    string
		scanned string // a person whose code the handheld scanner reads first
		shown   string // what the camera sees: a person's code, or any text
		title   string // the card's title afterwards
		note    string
	}{
		{name: "a poster", shown: "https://example.com/concert",
			title: "", note: "Cod QR ignorat: nu este un cod de programare"},
		{name: "the code just scanned", scanned: "Bălan Ana", shown: "Bălan Ana",
			title: "Programare validă", note: "Cod citit deja în ultimul minut: nu se verifică din nou"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.mu.Lock()
			title := f.c.card.title.Text
			f.mu.Unlock()
			shown := tt.shown
			if tt.scanned != "" {
				f.mu.Lock()
				f.keys(f.c.manual, f.code(tt.scanned), 4*time.Millisecond, true)
				f.mu.Unlock()
				if f.state(tt.scanned) != store.Present {
					t.Fatal("the scan was not recorded")
				}
				shown = f.code(tt.shown)
				title = tt.title
			}
			f.showToCamera(shown)
			f.waitFor(func() bool { return f.c.camera.note.Text == tt.note && f.c.camera.note.Visible() })
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.c.card.title.Text != title {
				t.Fatalf("card %q, want %q kept", f.c.card.title.Text, title)
			}
			if tt.scanned != "" {
				if es, _ := f.d.DB.Events(context.Background(), f.bookingID(tt.scanned)); len(es) != 1 {
					t.Fatalf("%d events, want the scanner's 1", len(es))
				}
			}
		})
	}
}
