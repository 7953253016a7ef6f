package sync

import (
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
)

// A refused event names its counter and clerk; an old version's own
// no-show (counter and clerk "system") is worded, never "system system".
func TestParkedTextNamesWho(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 20, 0, 0, time.UTC)
	for _, tt := range []struct {
		counter, clerk string
		want           map[i18n.Lang]string
	}{
		{"2", "ana", map[i18n.Lang]string{i18n.Romanian: "· 2 ana ·", i18n.English: "· 2 ana ·"}},
		{store.SystemCounter, store.SystemCounter, map[i18n.Lang]string{i18n.Romanian: "versiune veche", i18n.English: "older version"}},
	} {
		p := store.Parked{Reason: "no_show_derived", Event: &store.Event{ID: "e1", BookingID: "42", Type: store.NoShow, At: at,
			Counter: tt.counter, Clerk: tt.clerk}}
		for l, want := range tt.want {
			if got := ParkedText(l, p, time.UTC); !strings.Contains(got, want) || strings.Contains(got, "system") {
				t.Errorf("%s, %s: %q", tt.counter, l, got)
			}
		}
	}
}
