package app

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// KioskCounter is the counter name of the arrivals the kiosk records: a
// desk whose Counter is "kiosk", which syncs like a counter.
const KioskCounter = "kiosk"

// KioskTone is how an answer of the kiosk is painted.
type KioskTone int

// Welcome: checked in (or already). Wait: come back another time.
// Help: go to a counter.
const (
	ToneWelcome KioskTone = iota
	ToneWait
	ToneHelp
)

// KioskMessage is the kiosk's answer to a code, for the citizen: a title,
// the ticket (large) when they are checked in, and what to do. It holds no
// personal data beyond the first name's initial.
type KioskMessage struct {
	Key    string // the answer's name: welcome, already, early, wrong_day, not_ready, cancelled, not_ours, unreadable, typo, counter
	Title  string
	Ticket string // D-017; "" when none
	Label  string // the words before the ticket ("Numărul dvs.:")
	Body   string
	Tone   KioskTone
}

// KioskAnswer words a verdict for the citizen at the kiosk in l: a welcome
// with their ticket when the arrival was recorded, the same ticket when
// they had already arrived, and, kindly and precisely, why not: too early
// (come back after 10:05), another day (Tuesday 25 November), the card not
// ready (from 27 November), cancelled, not a code of this office, a code
// not recognised, a mistyped reference; anything else sends them to a
// counter, where a clerk sees the reason.
func KioskAnswer(l i18n.Lang, v verdict.Verdict) KioskMessage {
	t := func(key string, args map[string]string) string { return i18n.T(l, "kiosk."+key, args) }
	d := v.Details
	m := KioskMessage{Tone: ToneHelp}
	switch {
	case v.Accepts() && v.Recorded != nil:
		m.Key, m.Tone = "welcome", ToneWelcome
		m.Title = t("welcome.title.anon", nil)
		if in := initial(v); in != "" {
			m.Title = t("welcome.title", map[string]string{"initial": in})
		}
		m.Body = t("welcome.called", nil)
		if v.Ticket == "" { // a number could not be given: the arrival stands
			m.Body = t("welcome.no_ticket", nil)
		}
	case v.Name == verdict.AlreadyArrived:
		m.Key, m.Tone = "already", ToneWelcome
		m.Title, m.Body = t("already.title", nil), t("already.body", nil)
	case v.Name == verdict.Early:
		m.Key, m.Tone = "early", ToneWait
		m.Title, m.Body = t("early.title", nil), t("early.body", map[string]string{"slot": d["slot"], "from": d["from"]})
	case v.Name == verdict.WrongDay:
		m.Key, m.Tone = "wrong_day", ToneWait
		m.Title = t("wrong_day.title", nil)
		m.Body = t("wrong_day.body", map[string]string{"day": longDate(l, d["slot"]), "slot": d["slot"]})
	case v.Name == verdict.NotReady:
		m.Key, m.Tone = "not_ready", ToneWait
		m.Title, m.Body = t("not_ready.title", nil), t("not_ready.body.unknown", nil)
		if d["from"] != "" {
			m.Body = t("not_ready.body", map[string]string{"day": longDate(l, d["from"])})
		}
	case v.Name == verdict.Cancelled:
		m.Key = "cancelled"
		m.Title, m.Body = t("cancelled.title", nil), t("cancelled.body", nil)
	case v.Name == verdict.WrongOffice || v.Name == verdict.UnknownReference:
		m.Key = "not_ours"
		m.Title, m.Body = t("not_ours.title", nil), t("not_ours.body", nil)
	case v.Name == verdict.NotACode || v.Name == verdict.Forged:
		m.Key = "unreadable"
		m.Title, m.Body = t("unreadable.title", nil), t("unreadable.body", nil)
	case v.Name == verdict.ReferenceTypo:
		m.Key = "typo"
		m.Title, m.Body = t("typo.title", nil), t("typo.body", nil)
	default: // late, a no-show, replaced, refused, picked up, an error: a clerk sees why
		m.Key = "counter"
		m.Title, m.Body = t("counter.title", nil), t("counter.body", nil)
	}
	if m.Tone == ToneWelcome && v.Ticket != "" {
		m.Ticket, m.Label = v.Ticket, t("welcome.ticket", nil)
	}
	return m
}

// initial is the first name's initial of the verdict's person ("A." for
// "Popescu Andrei": the office writes names surname first, as the
// identity card does), or "" when there is no name.
func initial(v verdict.Verdict) string {
	if v.Booking == nil {
		return ""
	}
	words := strings.Fields(v.Booking.Name)
	if len(words) == 0 {
		return ""
	}
	for _, r := range words[len(words)-1] {
		if unicode.IsLetter(r) {
			return string(unicode.ToUpper(r)) + "."
		}
	}
	return ""
}

// longDate writes a verdict's time (RFC 3339, in the office's zone) as
// the date a citizen reads: "marți, 25 noiembrie", "Tuesday 25 November".
func longDate(l i18n.Lang, stamp string) string {
	at, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return stamp
	}
	return i18n.T(l, "kiosk.date", map[string]string{
		"weekday": i18n.T(l, "kiosk.weekday."+strconv.Itoa(int(at.Weekday())), nil),
		"day":     strconv.Itoa(at.Day()),
		"month":   i18n.T(l, "kiosk.month."+strconv.Itoa(int(at.Month())), nil),
	})
}
