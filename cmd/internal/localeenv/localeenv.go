// Package localeenv keeps Fyne quiet under the C locale. Import it (for
// its init) from a main package that links Fyne.
//
// Why: cmd/ghiseu is one binary for the GUI and the command line, so Fyne
// is linked into both, and Go runs the init functions of every linked
// package before main, whatever main then does. Fyne's lang package has
// such an init: it reads the user's locale from the environment (through
// github.com/jeandeaual/go-locale: the first of LC_ALL, LC_MESSAGES and
// LANG, then LANGUAGE). go-locale knows "C" and "POSIX" mean no locale,
// but not "C.UTF-8", "C.utf8" or "POSIX.UTF-8" (the default of Debian's
// containers and of many services): it cuts the encoding off and hands
// "C" to Fyne as a language, which Fyne logs as three lines of "Fyne
// error: Error parsing user locale C" on stderr, on every command. The
// GUI logs it again whenever a widget asks for the locale.
//
// The fix: when the locale in effect is a C or POSIX locale with an
// encoding and LANGUAGE is empty, set LANGUAGE=en. That is what the C
// locale means for messages (untranslated, that is English), go-locale
// then reads "en", and nothing else changes: LANGUAGE only orders message
// languages. LC_ALL, LC_MESSAGES and LANG are left alone on purpose: GLFW
// takes LC_CTYPE from the environment for keyboard input (UTF-8 text via
// XIM), and rewriting "C.UTF-8" to "C" or to a locale that may not be
// installed would break typing names with diacritics.
//
// Order: this init must run before Fyne's lang init. Go initialises
// packages in the order of their import paths, each once all its imports
// are done (the Go spec, "Package initialization", since Go 1.21). This
// package imports only os and strings, which go-locale (a dependency of
// Fyne's lang) imports too, so it is ready no later than go-locale, and
// its path (github.com/ghiseu/...) sorts before go-locale's
// (github.com/jeandeaual/...): it always runs before go-locale, hence
// before Fyne's lang. Adding imports here may break that;
// cmd/ghiseu's TestCommandLineUnderCLocale checks it on the real binary.
package localeenv

import (
	"os"
	"strings"
)

func init() { Fix(os.Getenv, os.Setenv) }

// Fix sets LANGUAGE, through setenv, when the locale in effect (the first
// of LC_ALL, LC_MESSAGES and LANG that is set) is one Fyne cannot parse and
// LANGUAGE is empty: a C or POSIX locale with an encoding or modifier gets
// "en", a language's locale with a modifier (ro_RO@euro, sr_RS@latin) its
// language and territory. It reports whether it set it.
func Fix(getenv func(string) string, setenv func(string, string) error) bool {
	if getenv("LANGUAGE") != "" {
		return false
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		base := baseOf(v)
		switch {
		case v == "C" || v == "POSIX":
			return false // go-locale reads these right
		case base == "C" || base == "POSIX":
			return setenv("LANGUAGE", "en") == nil
		case strings.Contains(v, "@") && base != "":
			return setenv("LANGUAGE", base) == nil
		}
		return false
	}
	return false
}

// baseOf is a locale without its encoding (.UTF-8) and modifier (@euro).
func baseOf(v string) string {
	base, _, _ := strings.Cut(v, ".")
	base, _, _ = strings.Cut(base, "@")
	return base
}
