package i18n

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/ghiseu/ghiseu/assets"
)

// useCatalogues makes the catalogue files fsys's for the test.
func useCatalogues(t *testing.T, fsys fstest.MapFS) {
	t.Helper()
	source, loadOnce = fsys, sync.Once{}
	t.Cleanup(func() { source, loadOnce = assets.Translations, sync.Once{} })
}

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

// TestPartialLanguage: a kiosk file of a language the app does not speak
// (Hungarian) adds it at the kiosk, Romanian first and English second;
// what it lacks is said in Romanian; Check lets it lack keys, and refuses
// a key Romanian does not have.
func TestPartialLanguage(t *testing.T) {
	base := fstest.MapFS{
		"translations/ro.json":       file(`{"ui.ok": "Bine"}`),
		"translations/en.json":       file(`{"ui.ok": "Fine"}`),
		"translations/kiosk/ro.json": file(`{"kiosk.language": "Română", "kiosk.title": "Bine ați venit!", "kiosk.at": "La {at:time}"}`),
		"translations/kiosk/en.json": file(`{"kiosk.language": "English", "kiosk.title": "Welcome!", "kiosk.at": "At {at:time}"}`),
		"translations/kiosk/hu.json": file(`{"kiosk.language": "Magyar", "kiosk.title": "Üdvözöljük!"}`),
		"translations/site/ro.json":  file(`{"site.x": "x"}`),
		"translations/site/en.json":  file(`{"site.x": "x"}`),
	}
	useCatalogues(t, base)
	if err := Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if got := Discover("kiosk"); !slices.Equal(got, []Lang{Romanian, English, "hu"}) {
		t.Fatalf("kiosk languages %v", got)
	}
	if got := Discover("site"); !slices.Equal(got, []Lang{Romanian, English}) {
		t.Fatalf("site languages %v", got)
	}
	for _, c := range []struct {
		l         Lang
		key, want string
	}{
		{"hu", "kiosk.title", "Üdvözöljük!"},
		{"hu", "kiosk.language", "Magyar"},
		{"hu", "kiosk.at", "La {at:time}"}, // missing: Romanian's
		{"hu", "ui.ok", "Bine"},
		{"hu", "no.such", "no.such"},
		{English, "kiosk.title", "Welcome!"},
	} {
		if got := T(c.l, c.key, nil); got != c.want {
			t.Errorf("T(%s, %s) = %q, want %q", c.l, c.key, got, c.want)
		}
	}
	if got := Missing("hu"); !slices.Equal(got, []string{"kiosk.at", "site.x", "ui.ok"}) {
		t.Errorf("Missing(hu) = %v", got)
	}
	if !Partial("hu") || Partial(English) {
		t.Error("Partial")
	}

	stray := fstest.MapFS{}
	for k, v := range base {
		stray[k] = v
	}
	stray["translations/kiosk/hu.json"] = file(`{"kiosk.language": "Magyar", "kiosk.titel": "Üdvözöljük!"}`)
	useCatalogues(t, stray)
	if err := Check(); err == nil || !strings.Contains(err.Error(), `"kiosk.titel" is not in ro`) {
		t.Fatalf("a misspelt key in a partial language: %v", err)
	}

	gap := fstest.MapFS{}
	for k, v := range base {
		gap[k] = v
	}
	gap["translations/kiosk/en.json"] = file(`{"kiosk.language": "English", "kiosk.title": "Welcome!"}`)
	useCatalogues(t, gap)
	if err := Check(); err == nil || !strings.Contains(err.Error(), `missing "kiosk.at"`) {
		t.Fatalf("English lacking a key: %v", err)
	}
}

// TestKioskLanguagesShipped: the kiosk speaks Romanian and English, each
// complete.
func TestKioskLanguagesShipped(t *testing.T) {
	if got := Discover("kiosk"); len(got) < 2 || got[0] != Romanian || got[1] != English {
		t.Fatalf("kiosk languages %v", got)
	}
	for _, l := range Langs {
		if m := Missing(l); len(m) > 0 {
			t.Errorf("%s lacks %v", l, m)
		}
	}
}
