// Package i18n translates Ghișeu's messages. Messages live in
// assets/translations/<lang>.json as key → template; a template names its
// arguments in braces, with an optional format for times given in RFC 3339:
// {at:time} (10:12), {slot:date} (mar. 25 nov.), {slot:datetime},
// {until:fulldate} (25 nov. 2030). A number that counts something names
// the thing's forms after a '#', one per plural category of the language,
// and is shown with the form its number takes: in Romanian one, few and
// other ({years#an|ani|de ani}: 1 an, 2 ani, 20 de ani, 101 ani), in
// English one and other ({years#year|years}). A value ending in a dot (an
// abbreviated month) takes the place of a dot that follows it in the
// template: never "nov..".
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ghiseu/ghiseu/assets"
)

// Lang is a language code.
type Lang string

// The languages Ghișeu speaks; Romanian is the default.
const (
	Romanian Lang = "ro"
	English  Lang = "en"
)

// Langs lists the supported languages, the default first.
var Langs = []Lang{Romanian, English}

var (
	loadOnce sync.Once
	catalog  map[Lang]map[string]string
	loadErr  error
	// source holds the catalogue files (a test's own in tests).
	source fs.FS = assets.Translations
)

// A partial language is one that only a part's catalogue speaks (the
// kiosk's translations/kiosk/hu.json: Hungarian at the kiosk): it is not
// in Langs, it is found by its files, and its missing keys are
// Romanian's (see T and Check).

func load() {
	catalog = map[Lang]map[string]string{}
	for _, l := range allLangs() {
		catalog[l] = map[string]string{}
		files, _ := fs.Glob(source, "translations/*/"+string(l)+".json")
		if _, err := fs.Stat(source, path.Join("translations", string(l)+".json")); err == nil {
			files = append([]string{path.Join("translations", string(l)+".json")}, files...)
		}
		for _, name := range files {
			if loadErr = loadFile(catalog[l], name); loadErr != nil {
				return
			}
		}
	}
}

// langFile is a catalogue file's language: the name of a file such as
// "hu.json" (two or three lower-case letters).
var langFile = regexp.MustCompile(`^([a-z]{2,3})\.json$`)

// allLangs is Langs, then the partial languages of the parts' catalogue
// files, sorted.
func allLangs() []Lang {
	out := slices.Clone(Langs)
	files, _ := fs.Glob(source, "translations/*/*.json")
	var extra []Lang
	for _, f := range files {
		m := langFile.FindStringSubmatch(path.Base(f))
		if m == nil || slices.Contains(out, Lang(m[1])) || slices.Contains(extra, Lang(m[1])) {
			continue
		}
		extra = append(extra, Lang(m[1]))
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// Discover lists the languages a part speaks: those that have a file in
// translations/<part>/ (the kiosk's: "kiosk"), Romanian first, then
// English, then the others by code. Adding translations/kiosk/hu.json
// adds Hungarian at the kiosk.
func Discover(part string) []Lang {
	var out []Lang
	for _, l := range allLangs() {
		if _, err := fs.Stat(source, path.Join("translations", part, string(l)+".json")); err == nil {
			out = append(out, l)
		}
	}
	return out
}

// Partial reports whether l is a partial language: one only some parts'
// catalogues speak, whose missing messages are Romanian's.
func Partial(l Lang) bool { return !slices.Contains(Langs, l) }

// Missing lists the keys a language lacks, sorted: those T gives in
// Romanian instead. Always none for Langs (Check insists on it).
func Missing(l Lang) []string {
	loadOnce.Do(load)
	var out []string
	for k := range catalog[Romanian] {
		if _, ok := catalog[l][k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// loadFile adds the messages of one catalogue file to m: the app's own
// (translations/ro.json) or a part's (translations/site/ro.json, the
// booking site's). A key may be in one file only.
func loadFile(m map[string]string, name string) error {
	data, err := fs.ReadFile(source, name)
	if err != nil {
		return fmt.Errorf("load translations %s: %w", name, err)
	}
	part := map[string]string{}
	if err := json.Unmarshal(data, &part); err != nil {
		return fmt.Errorf("load translations %s: %w", name, err)
	}
	for k, v := range part {
		if _, dup := m[k]; dup {
			return fmt.Errorf("load translations %s: %q is in another file too", name, k)
		}
		m[k] = v
	}
	return nil
}

// Check reports whether the embedded translations load and every language
// of Langs has the same keys as Romanian. A partial language (Partial) may
// lack keys, which T gives in Romanian (Missing lists them), but may have
// no key Romanian does not have: a misspelt key would never show.
func Check() error {
	loadOnce.Do(load)
	if loadErr != nil {
		return loadErr
	}
	for _, l := range allLangs()[1:] {
		if Partial(l) { // may lack keys (they are Romanian's), but has none of its own
			for k := range catalog[l] {
				if _, ok := catalog[Romanian][k]; !ok {
					return fmt.Errorf("translations %s: %q is not in ro", l, k)
				}
			}
			continue
		}
		for k := range catalog[Romanian] {
			if _, ok := catalog[l][k]; !ok {
				return fmt.Errorf("translations %s: missing %q", l, k)
			}
		}
		for k := range catalog[l] {
			if _, ok := catalog[Romanian][k]; !ok {
				return fmt.Errorf("translations %s: %q is not in ro", l, k)
			}
		}
	}
	return nil
}

// Parse turns a language name into a Lang, defaulting to Romanian.
func Parse(s string) Lang {
	s = strings.ToLower(s)
	for _, l := range Langs {
		if strings.HasPrefix(s, string(l)) {
			return l
		}
	}
	return Romanian
}

// Has reports whether key has a message.
func Has(l Lang, key string) bool {
	loadOnce.Do(load)
	_, ok := catalog[l][key]
	return ok
}

var placeholder = regexp.MustCompile(`\{([a-z_]+)(?::([a-z]+)|#([^{}]*))?\}`)

// T translates key into l with the given arguments. A key l lacks (a
// partial language's) is given in Romanian; a key no language has gives
// the key itself, so that a gap shows instead of hiding.
func T(l Lang, key string, args map[string]string) string {
	loadOnce.Do(load)
	msg, ok := catalog[l][key]
	if !ok {
		msg, ok = catalog[Romanian][key] // a partial language's gap
	}
	if !ok {
		return key
	}
	var b strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(msg, -1) {
		b.WriteString(msg[last:m[0]])
		last = m[1]
		v, ok := args[msg[m[2]:m[3]]]
		switch {
		case !ok:
			v = msg[m[0]:m[1]]
		case m[4] >= 0:
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				v = Time(l, t, msg[m[4]:m[5]])
			}
		case m[6] >= 0:
			v = counted(l, v, strings.Split(msg[m[6]:m[7]], "|"))
		}
		b.WriteString(v)
		if strings.HasSuffix(v, ".") && strings.HasPrefix(msg[last:], ".") {
			last++ // "25 nov." ends the sentence
		}
	}
	b.WriteString(msg[last:])
	return b.String()
}

// counted is the number n followed by the one of forms its number takes
// in l (see Plural); n as it is when it is no whole number.
func counted(l Lang, n string, forms []string) string {
	k, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil {
		return n
	}
	return n + " " + forms[min(Plural(l, k), len(forms)-1)]
}

// Plural is the plural category of the number n in l, the index of its
// form: in Romanian 0 for one (1), 1 for few (0, and 2 to 19 after the
// hundreds: 2 ani, 119 ani), 2 for the others, which take "de" (20 de ani,
// 100 de ani); in English 0 for one, 1 for the others.
func Plural(l Lang, n int) int {
	if n < 0 {
		n = -n
	}
	if l == Romanian {
		switch r := n % 100; {
		case n == 1:
			return 0
		case n == 0 || r >= 1 && r <= 19:
			return 1
		}
		return 2
	}
	if n == 1 {
		return 0
	}
	return 1
}

// Time formats t in l: "time" (10:12), "date" (mar. 25 nov.), "datetime"
// (mar. 25 nov. 10:12) or "fulldate" (25 nov. 2030). t is shown in its own
// location.
func Time(l Lang, t time.Time, format string) string {
	clock := t.Format("15:04")
	month := T(l, fmt.Sprintf("month.%d", t.Month()), nil)
	date := fmt.Sprintf("%s %d %s", T(l, fmt.Sprintf("weekday.%d", t.Weekday()), nil), t.Day(), month)
	switch format {
	case "date":
		return date
	case "datetime":
		return date + " " + clock
	case "fulldate":
		return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year())
	}
	return clock
}

// fynePrefix marks the messages of Fyne's own widgets and dialogs (the file
// chooser, the error and confirmation dialogs, a field's menu) in the
// catalogs: "fyne.Cancel" is Fyne's "Cancel".
const fynePrefix = "fyne."

// Wait says a wait of d in l: seconds under a minute and a half, else
// whole minutes, rounded up ("30 de secunde", "2 minutes").
func Wait(l Lang, d time.Duration) string {
	if d < 90*time.Second {
		return T(l, "ui.wait.seconds", map[string]string{"n": strconv.Itoa(int(math.Ceil(max(d.Seconds(), 1))))})
	}
	return T(l, "ui.wait.minutes", map[string]string{"n": strconv.Itoa(int(math.Ceil(d.Minutes())))})
}

// Fyne is l's translation of Fyne's own messages, as a go-i18n message file
// (JSON, message ID → text) for fyne.io/fyne/v2/lang.
func Fyne(l Lang) []byte {
	loadOnce.Do(load)
	m := map[string]string{}
	for k, v := range catalog[l] {
		if id, ok := strings.CutPrefix(k, fynePrefix); ok {
			m[id] = v
		}
	}
	data, err := json.Marshal(m)
	if err != nil { // a map of strings always marshals
		panic(fmt.Sprintf("i18n: fyne messages: %v", err))
	}
	return data
}
