package letters

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestFold: every physical line is at most 75 octets, ends in CRLF, splits
// no UTF-8 character, and unfolding (dropping CRLF and the space after it)
// gives the line back.
func TestFold(t *testing.T) {
	for _, line := range []string{
		"SUMMARY:short",
		"DESCRIPTION:" + strings.Repeat("a", 63), // exactly 75
		"DESCRIPTION:" + strings.Repeat("a", 64), // 76
		"LOCATION:" + strings.Repeat("Dumbrăvița, Timiș, ", 12),
		"X:" + strings.Repeat("ț", 200),
		"X:" + strings.Repeat("€", 100) + "a",
	} {
		got := fold(line)
		if !strings.HasSuffix(got, "\r\n") {
			t.Errorf("fold(%q) does not end in CRLF", line)
		}
		phys := strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n")
		for i, p := range phys {
			if len(p) > 75 { // RFC 5545 §3.1, not the constant under test
				t.Errorf("fold(%.20q…): line %d has %d octets", line, i, len(p))
			}
			if !utf8.ValidString(p) {
				t.Errorf("fold(%.20q…): line %d splits a character", line, i)
			}
			if i > 0 && !strings.HasPrefix(p, " ") {
				t.Errorf("fold(%.20q…): continuation %d does not start with a space", line, i)
			}
		}
		if len(line) <= 75 && len(phys) != 1 {
			t.Errorf("fold(%q): folded a line that fits", line)
		}
		if back := strings.ReplaceAll(strings.TrimSuffix(got, "\r\n"), "\r\n ", ""); back != line {
			t.Errorf("unfold(fold(%q)) = %q", line, back)
		}
	}
}

// TestEscapeText: the characters RFC 5545 reserves in TEXT are escaped.
func TestEscapeText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a, b; c", `a\, b\; c`},
		{`back\slash`, `back\\slash`},
		{"two\nlines\r\nthree", `two\nlines\nthree`},
	} {
		if got := escapeText(tt.in); got != tt.want {
			t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestICS: the event's times are in UTC whatever the location given, and
// each content line ends in CRLF.
func TestICS(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Bucharest")
	if err != nil {
		t.Fatal(err)
	}
	e := Event{UID: "X-1@example.ro", Start: time.Date(2026, 7, 1, 9, 0, 0, 0, loc), End: time.Date(2026, 7, 1, 9, 20, 0, 0, loc),
		Summary: "Programare; act", Location: "Str. X, nr. 1"}
	got := string(e.ICS(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)))
	for _, w := range []string{"DTSTART:20260701T060000Z\r\n", "DTEND:20260701T062000Z\r\n", "DTSTAMP:20260601T120000Z\r\n",
		"SUMMARY:Programare\\; act\r\n", "LOCATION:Str. X\\, nr. 1\r\n", "UID:X-1@example.ro\r\n"} {
		if !strings.Contains(got, w) {
			t.Errorf("ICS lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "DESCRIPTION") {
		t.Error("an empty description is written")
	}
	if n := strings.Count(got, "\n"); n != strings.Count(got, "\r\n") {
		t.Errorf("%d line feeds, %d of them after CR", n, strings.Count(got, "\r\n"))
	}
}
