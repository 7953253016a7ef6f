package i18n

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
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
		// An abbreviated month ends the sentence with its own dot.
		{Romanian, "verdict.not_ready.detail", map[string]string{"from": slot}, "Se poate ridica începând cu mie. 25 nov."},
		{English, "verdict.not_ready.detail", map[string]string{"from": slot}, "It can be collected from Wed 25 Nov."},
		// Numbers take the form of their plural category.
		{Romanian, "help.valid", map[string]string{"years": "1", "until": slot}, "Cartea nouă: valabilă 1 an, până la 25 nov. 2026"},
		{English, "help.valid", map[string]string{"years": "1", "until": slot}, "New card: valid 1 year, until 25 Nov 2026"},
		{English, "help.valid", map[string]string{"years": "5", "until": slot}, "New card: valid 5 years, until 25 Nov 2026"},
		{Romanian, "help.fingerprints", map[string]string{"age": "1"}, "1 an: se iau amprentele"},
		{Romanian, "help.no_fingerprints", map[string]string{"age": "12"}, "12 ani: fără amprente"},
		{Romanian, "help.fingerprints", map[string]string{"age": "20"}, "20 de ani: se iau amprentele"},
		{Romanian, "help.fingerprints", map[string]string{"age": "101"}, "101 ani: se iau amprentele"},
		{Romanian, "ui.too_long", map[string]string{"max": "64"}, "cel mult 64 de caractere"},
		{English, "ui.too_long", map[string]string{"max": "1"}, "at most 1 character"},
		{Romanian, "ui.too_long", map[string]string{"max": "lots"}, "cel mult lots"},
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

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		lang Lang
		n    []int
		want int
	}{
		{Romanian, []int{1}, 0},
		{Romanian, []int{0, 2, 19, 101, 119, 1002}, 1},
		{Romanian, []int{20, 25, 99, 100, 120, 1000}, 2},
		{English, []int{1}, 0},
		{English, []int{0, 2, 20, 101}, 1},
	} {
		for _, n := range tt.n {
			if got := Plural(tt.lang, n); got != tt.want {
				t.Errorf("Plural(%s, %d) = %d, want %d", tt.lang, n, got, tt.want)
			}
		}
	}
}

// Every counted placeholder names one form per plural category, and a
// number is never glued to a plural noun by hand.
func TestCountedForms(t *testing.T) {
	bare := regexp.MustCompile(`\{[a-z_]+\} (ani|de ani|years|caractere|characters|programări|bookings|octeți|bytes)\b`)
	for l, forms := range map[Lang]int{Romanian: 3, English: 2} {
		loadOnce.Do(load)
		for k, msg := range catalog[l] {
			for _, m := range placeholder.FindAllStringSubmatch(msg, -1) {
				if m[3] != "" && len(strings.Split(m[3], "|")) != forms {
					t.Errorf("%s %s: %q has not %d forms", l, k, m[0], forms)
				}
			}
			if bare.MatchString(msg) {
				t.Errorf("%s %s: a number with a fixed plural: %q", l, k, msg)
			}
		}
	}
}

// Fyne's messages come out of the catalogs without their prefix, in each
// language.
func TestFyneMessages(t *testing.T) {
	for l, want := range map[Lang]string{Romanian: "Renunță", English: "Cancel"} {
		var m map[string]string
		if err := json.Unmarshal(Fyne(l), &m); err != nil {
			t.Fatal(err)
		}
		if m["Cancel"] != want || m["file.name"] == "" || len(m) < 20 {
			t.Errorf("%s: Cancel %q, file.name %q, %d messages", l, m["Cancel"], m["file.name"], len(m))
		}
		for id := range m {
			if strings.HasPrefix(id, "fyne.") || strings.HasPrefix(id, "ui.") {
				t.Errorf("%s: %q is not one of Fyne's messages", l, id)
			}
		}
	}
}
