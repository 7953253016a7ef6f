package rescode

import (
	"strings"
	"testing"
	"time"
	"unicode"
)

// A handheld scanner in keyboard-wedge mode does not send characters: it
// sends the US keyboard's key for each character (with Shift for capitals),
// and the counter PC's layout turns the keys back into characters. These
// tables give, for the US key that types the character on the left of each
// pair, what the layout types instead, unshifted and shifted. Keys not listed
// type the same as on a US keyboard.
type layout struct {
	name  string
	moved map[rune][2]rune // US key (unshifted character) → layout's (unshifted, shifted)
}

var layouts = []layout{
	{"US", nil},
	{"Romanian (programmers)", nil}, // the US layout; diacritics with AltGr
	{"Romanian (standard)", map[rune][2]rune{
		'[': {'ă', 'Ă'}, ']': {'î', 'Î'}, ';': {'ș', 'Ș'}, '\'': {'ț', 'Ț'}, '\\': {'â', 'Â'},
		'`': {'„', '”'}, '2': {'2', '@'}, '/': {'/', '?'}, ',': {',', ';'}, '.': {'.', ':'},
	}},
	{"German", map[rune][2]rune{
		'y': {'z', 'Z'}, 'z': {'y', 'Y'}, '-': {'ß', '?'}, '=': {'´', '`'}, '[': {'ü', 'Ü'},
		']': {'+', '*'}, ';': {'ö', 'Ö'}, '\'': {'ä', 'Ä'}, '`': {'^', '°'}, '\\': {'#', '\''},
		'/': {'-', '_'}, ',': {',', ';'}, '.': {'.', ':'}, '2': {'2', '"'}, '3': {'3', '§'},
		'6': {'6', '&'}, '7': {'7', '/'}, '8': {'8', '('}, '9': {'9', ')'}, '0': {'0', '='},
	}},
	{"Hungarian", map[rune][2]rune{
		'y': {'z', 'Z'}, 'z': {'y', 'Y'}, '`': {'0', '§'}, '0': {'ö', 'Ö'}, '-': {'ü', 'Ü'},
		'=': {'ó', 'Ó'}, '[': {'ő', 'Ő'}, ']': {'ú', 'Ú'}, ';': {'é', 'É'}, '\'': {'á', 'Á'},
		'\\': {'ű', 'Ű'}, '/': {'-', '_'}, ',': {',', '?'}, '.': {'.', ':'}, '1': {'1', '\''},
		'2': {'2', '"'}, '3': {'3', '+'}, '4': {'4', '!'}, '6': {'6', '/'}, '7': {'7', '='},
		'8': {'8', '('}, '9': {'9', ')'},
	}},
}

// usKey is the US key and Shift state that type r on a US keyboard.
func usKey(r rune) (key rune, shift bool) {
	const shifted, base = `~!@#$%^&*()_+{}|:"<>?`, "`1234567890-=[]\\;',./"
	switch {
	case unicode.IsUpper(r):
		return unicode.ToLower(r), true
	case strings.ContainsRune(shifted, r):
		return rune(base[strings.IndexRune(shifted, r)]), true
	}
	return r, false
}

// typeThrough is what the PC receives when a scanner sends text to it.
func (l layout) typeThrough(text string, capsLock bool) string {
	var out []rune
	for _, r := range text {
		key, shift := usKey(r)
		got := [2]rune{key, unicode.ToUpper(key)}
		if !unicode.IsLetter(key) {
			got[1] = []rune(`~!@#$%^&*()_+{}|:"<>?`)[max(0, strings.IndexRune("`1234567890-=[]\\;',./", key))]
		}
		if m, ok := l.moved[key]; ok {
			got = m
		}
		c := got[0]
		if shift {
			c = got[1]
		}
		if capsLock && unicode.IsLetter(c) {
			if unicode.IsUpper(c) {
				c = unicode.ToLower(c)
			} else {
				c = unicode.ToUpper(c)
			}
		}
		out = append(out, c)
	}
	return string(out)
}

func TestKeyboardLayouts(t *testing.T) {
	codes := []string{issue(t, testKey, testClaims)}
	for i := uint64(0); i < 50; i++ { // many codes, so every digit of the alphabet occurs
		c := testClaims
		c.BookingID = i * 7919
		c.SlotStart = c.SlotStart.Add(time.Duration(i) * 20 * time.Minute)
		codes = append(codes, issue(t, testKey, c))
	}
	seen := map[rune]bool{}
	for _, code := range codes {
		for _, r := range code {
			seen[r] = true
		}
	}
	if len(seen) != len(alphabet) {
		t.Fatalf("the test codes use %d of the %d digits", len(seen), len(alphabet))
	}
	for _, l := range layouts {
		for _, caps := range []bool{false, true} {
			for _, code := range codes {
				typed := l.typeThrough(code, caps)
				if _, err := Parse(typed, testRing); err != nil {
					t.Fatalf("%s, Caps Lock %v: %s arrived as %s: %v", l.name, caps, code, typed, err)
				}
			}
		}
	}
}

// TestLayoutTablesBite shows that the tables do change what arrives: text
// with Base64 punctuation or a Y does not survive them.
func TestLayoutTablesBite(t *testing.T) {
	for _, tc := range []struct {
		layout int
		text   string
	}{{2, "ab+/c=;"}, {3, "Yz-0"}, {4, "0Y-"}} {
		l := layouts[tc.layout]
		if got := l.typeThrough(tc.text, false); got == tc.text {
			t.Errorf("%s typed %q unchanged", l.name, tc.text)
		}
	}
}
