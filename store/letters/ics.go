package letters

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one appointment as an iCalendar file (RFC 5545).
type Event struct {
	UID         string // globally unique and stable: a calendar replaces the event of the same UID
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
}

// icsStamp is an iCalendar DATE-TIME in UTC.
const icsStamp = "20060102T150405Z"

// ICS writes e as a VCALENDAR holding one VEVENT, stamped (DTSTAMP) at
// stamp: times in UTC, text escaped, lines folded at 75 octets and ended by
// CRLF, as RFC 5545 wants.
func (e Event) ICS(stamp time.Time) []byte {
	var b strings.Builder
	line := func(name, value string) { b.WriteString(fold(name + ":" + value)) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//Ghiseu//Ghiseu letters//RO")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("BEGIN", "VEVENT")
	line("UID", escapeText(e.UID))
	line("DTSTAMP", stamp.UTC().Format(icsStamp))
	line("DTSTART", e.Start.UTC().Format(icsStamp))
	line("DTEND", e.End.UTC().Format(icsStamp))
	line("SUMMARY", escapeText(e.Summary))
	if e.Location != "" {
		line("LOCATION", escapeText(e.Location))
	}
	if e.Description != "" {
		line("DESCRIPTION", escapeText(e.Description))
	}
	line("STATUS", "CONFIRMED")
	line("TRANSP", "OPAQUE")
	line("END", "VEVENT")
	line("END", "VCALENDAR")
	return []byte(b.String())
}

// escapeText escapes an iCalendar TEXT value (RFC 5545 §3.3.11): backslash,
// semicolon, comma and line breaks.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// maxLine is the longest content line, in octets, without its CRLF.
const maxLine = 75

// fold ends a content line with CRLF, folding it (RFC 5545 §3.1) into
// lines of at most 75 octets, each continuation starting with a space,
// never inside a UTF-8 sequence.
func fold(s string) string {
	var b strings.Builder
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut] + "\r\n ")
		s = s[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	b.WriteString(s + "\r\n")
	return b.String()
}
