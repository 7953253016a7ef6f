// Package i18n translates Ghișeu's messages. Messages live in
// assets/translations/<lang>.json as key → template; a template names its
// arguments in braces, with an optional format for times given in RFC 3339:
// {at:time} (10:12), {slot:date} (mar. 25 nov.), {slot:datetime},
// {until:fulldate} (25 nov. 2030).
package i18n

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
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
)

func load() {
	catalog = map[Lang]map[string]string{}
	for _, l := range Langs {
		data, err := assets.Translations.ReadFile(path.Join("translations", string(l)+".json"))
		if err != nil {
			loadErr = fmt.Errorf("load translations %s: %w", l, err)
			return
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			loadErr = fmt.Errorf("load translations %s: %w", l, err)
			return
		}
		catalog[l] = m
	}
}

// Check reports whether the embedded translations load and every language
// has the same keys as Romanian.
func Check() error {
	loadOnce.Do(load)
	if loadErr != nil {
		return loadErr
	}
	for _, l := range Langs[1:] {
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

var placeholder = regexp.MustCompile(`\{([a-z_]+)(?::([a-z]+))?\}`)

// T translates key into l with the given arguments. A missing key gives the
// key itself, so that a gap shows instead of hiding.
func T(l Lang, key string, args map[string]string) string {
	loadOnce.Do(load)
	msg, ok := catalog[l][key]
	if !ok {
		return key
	}
	return placeholder.ReplaceAllStringFunc(msg, func(m string) string {
		sub := placeholder.FindStringSubmatch(m)
		v, ok := args[sub[1]]
		if !ok {
			return m
		}
		if sub[2] == "" {
			return v
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return v
		}
		return Time(l, t, sub[2])
	})
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
