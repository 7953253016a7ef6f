package i18n

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets"
)

func TestCatalogsAgree(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
}

func TestT(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Bucharest")
	if err != nil {
		t.Fatal(err)
	}
	slot := time.Date(2026, 11, 25, 10, 20, 0, 0, loc).Format(time.RFC3339)
	tests := []struct {
		lang Lang
		key  string
		args map[string]string
		want string
	}{
		{Romanian, "verdict.wrong_day.detail", map[string]string{"slot": slot}, "Programarea este pentru mie. 25 nov. 10:20."},
		{English, "verdict.wrong_day.detail", map[string]string{"slot": slot}, "The booking is for Wed 25 Nov 10:20."},
		{Romanian, "verdict.already_arrived.detail", map[string]string{"at": slot, "counter": "2"}, "A sosit deja la 10:20, la ghișeul 2."},
		{English, "no.such.key", nil, "no.such.key"},
		{Romanian, "help.valid", map[string]string{"years": "10", "until": slot}, "Cartea nouă: valabilă 10 ani, până la 25 nov. 2026"},
		{English, "verdict.wrong_office.detail", nil, "The booking is at office {office}."},
	}
	for _, tt := range tests {
		if got := T(tt.lang, tt.key, tt.args); got != tt.want {
			t.Errorf("T(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"en_US.UTF-8": English, "ro_RO": Romanian, "": Romanian, "de": Romanian} {
		if got := Parse(in); got != want {
			t.Errorf("Parse(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"  Ștefan  ȚÎRLEA": "stefan tirlea",
		"Şerban Ţepeş":     "serban tepes", // the cedilla forms some keyboards still type
		"Bălan Ană-Mâța":   "balan ana-mata",
		"Kovács Eszter Ő":  "kovacs eszter o",
		"popescu":          "popescu",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// A key written twice in a catalog silently loses one text: refuse it.
func TestNoKeyTwice(t *testing.T) {
	for _, l := range []Lang{"ro", "en"} {
		data, err := assets.Translations.ReadFile("translations/" + string(l) + ".json")
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		seen := map[string]bool{}
		dec.Token() // {
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			key := tok.(string)
			if seen[key] {
				t.Errorf("%s.json: %q twice", l, key)
			}
			seen[key] = true
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
		}
	}
}
