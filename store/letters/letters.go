// Package letters composes the e-mails the hub sends to citizens, in
// Romanian or English (assets/translations/mail): the request to confirm a
// booking (Request), the confirmed booking with its QR code, documents, fee
// and calendar file (Confirmed), the notice that a card is ready for
// pickup (Ready), the notice to a booking's contact that someone asked for
// another booking for its person (Notice), and the office's cancelling of a
// booking (OfficeCancelled). Each letter is plain text, with a simple HTML alternative
// (inline styles, every value escaped by html/template) that says the same.
//
// Letters hold as little about the person as they can: the name of the
// person who comes, never the birth date (it only chooses the documents
// and the fee), and never the card's PIN codes, which they only remind of.
package letters

import (
	"bytes"
	"fmt"
	"html/template"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/qr"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/mail"
	"github.com/ghiseu/ghiseu/store/rules"
)

// QRSize is the least width and height, in pixels, of an attached QR code:
// large enough to read from a phone's screen or a printout.
const QRSize = 480

// now is the clock of the calendar file's DTSTAMP; tests replace it.
var now = time.Now

// Request is the e-mail that asks to confirm a booking request: what was
// asked for (the slot in the office's time, the office, the person's name,
// what for), the "Confirmă rezervarea" link (a button in HTML, the bare URL
// in the text) valid until expires, and what to do if the reader did not ask
// for it (nothing: the slot frees itself).
func Request(cal calendar.Calendar, from string, lang i18n.Lang, to, name string, slot time.Time, kind store.Kind, confirmURL string, expires time.Time) mail.Message {
	loc := cal.Location()
	office := officeName(cal)
	l := &letter{lang: lang}
	l.p("mail.hello", nil)
	l.p("mail.request.intro", map[string]string{"office": office})
	l.facts(
		fact{"mail.fact.date", longDate(lang, slot.In(loc))},
		fact{"mail.fact.time", slot.In(loc).Format("15:04")},
		fact{"mail.fact.office", office},
		fact{"mail.fact.name", name},
		fact{"mail.fact.purpose", i18n.T(lang, "mail.kind."+kindKey(kind), nil)},
	)
	l.alt("mail.request.how", "mail.request.how_text")
	l.button("mail.request.button", confirmURL)
	minutes := int(time.Duration(cal.ConfirmTimeout).Minutes()) // expires is the request's time plus this
	l.p("mail.request.valid", map[string]string{"time": expires.In(loc).Format("15:04"), "minutes": strconv.Itoa(minutes)})
	l.p("mail.request.ignore", nil)
	l.contact(cal)
	l.p("mail.automatic", nil)
	return l.message(from, to, i18n.T(lang, "mail.request.subject", map[string]string{"office": office}), nil)
}

// Confirmed is the e-mail of a confirmed booking b: the reservation (date,
// time, office, name, reason in words), its QR code as a PNG attachment
// (b.Code, which must be set), the short reference for manual entry at the
// counter, the documents to bring for the reason and the person's age, who
// must come with a minor, the fee (or why it is free) and where to pay it,
// the office's address and hours, an .ics calendar file, that the booking
// is free and not transferable, and the cancel link.
func Confirmed(cal calendar.Calendar, fees rules.Fees, from string, lang i18n.Lang, to string, b store.Booking, cancelURL string) (mail.Message, error) {
	if b.Code == "" {
		return mail.Message{}, fmt.Errorf("confirmation e-mail of booking %s: the booking has no code", b.ID)
	}
	loc := cal.Location()
	office := officeName(cal)
	start := b.SlotStart.In(loc)
	h := rules.ForCard(b.Reason, b.Document, birthOf(b), start, fees)
	if b.Kind == store.Pickup { // what the application needed was checked when it was filed
		h = rules.ForPickup(h)
	}
	ref := rescode.ReferenceOf(b.Office, b.ID)
	qrName := i18n.T(lang, "mail.file.qr", nil)
	icsName := i18n.T(lang, "mail.file.ics", nil)
	purpose := i18n.T(lang, "mail.kind."+kindKey(b.Kind), nil)

	l := &letter{lang: lang}
	l.p("mail.hello", nil)
	l.p("mail.confirmed.intro", nil)
	facts := []fact{
		{"mail.fact.date", longDate(lang, start)},
		{"mail.fact.time", start.Format("15:04")},
		{"mail.fact.office", office},
		{"mail.fact.name", b.Name},
		{"mail.fact.purpose", purpose},
		{"mail.fact.reason", i18n.T(lang, "reason."+b.Reason, nil)},
	}
	if ref != "" {
		facts = append(facts, fact{"mail.fact.reference", ref})
	}
	l.facts(facts...)
	l.p("mail.confirmed.qr", map[string]string{"file": qrName})
	if ref != "" {
		l.p("mail.confirmed.reference", map[string]string{"ref": ref})
	}
	if len(h.Documents) > 0 {
		docs := make([]string, len(h.Documents))
		for i, k := range h.Documents {
			docs[i] = i18n.T(lang, k, nil)
		}
		l.list("mail.confirmed.documents", docs)
	}
	if h.Escort != "" {
		l.p(h.Escort, nil)
	}
	l.facts(feeFacts(cal, lang, h)...)
	l.p("mail.confirmed.rules", nil)
	l.contact(cal)
	l.hours("mail.confirmed.hours_intake", cal.Intake)
	l.hours("mail.confirmed.hours_pickup", cal.Pickup)
	l.p("mail.confirmed.ics", map[string]string{"file": icsName})
	if cancelURL != "" {
		l.p("mail.confirmed.cancel", nil)
		l.button("mail.confirmed.cancel_button", cancelURL)
	}
	l.p("mail.automatic", nil)

	png, err := qrPNG(b.Code)
	if err != nil {
		return mail.Message{}, fmt.Errorf("confirmation e-mail of booking %s: %w", b.ID, err)
	}
	event := Event{
		UID:      fmt.Sprintf("%s-%s@%s", b.Office, b.ID, domainOf(from)),
		Start:    b.SlotStart,
		End:      b.SlotEnd(),
		Summary:  i18n.T(lang, "mail.ics.summary", map[string]string{"office": office}),
		Location: strings.Join(nonEmpty(office, cal.Address), ", "),
		// No cancel link: a calendar event gets shared (a family calendar,
		// an invitation forwarded) and whoever holds the link can cancel;
		// it stays in the e-mail's body.
		Description: i18n.T(lang, "mail.ics.description", map[string]string{
			"name": b.Name, "purpose": purpose, "ref": ref}),
	}
	subject := i18n.T(lang, "mail.confirmed.subject", map[string]string{
		"office": office, "date": longDate(lang, start), "time": start.Format("15:04")})
	return l.message(from, to, subject, []mail.Attachment{
		{Name: qrName, ContentType: "image/png", Data: png},
		{Name: icsName, ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: event.ICS(now())},
	}), nil
}

// Ready is the e-mail that the card of pickup booking b is ready: the
// earliest day to come for it (earliest, worked out by the caller from the
// office's working days), the pickup hours, the pickup booking's slot if it
// has one, its QR code as a PNG attachment (b.Code, which must be set) and
// reference, and the reminder to have the card's two PIN codes ready, which
// nobody will ask for.
func Ready(cal calendar.Calendar, from string, lang i18n.Lang, to string, b store.Booking, earliest time.Time) (mail.Message, error) {
	if b.Code == "" {
		return mail.Message{}, fmt.Errorf("card-ready e-mail of booking %s: the booking has no code", b.ID)
	}
	loc := cal.Location()
	office := officeName(cal)
	qrName := i18n.T(lang, "mail.file.pickup_qr", nil)
	ref := rescode.ReferenceOf(b.Office, b.ID)

	l := &letter{lang: lang}
	l.p("mail.hello", nil)
	l.p("mail.ready.intro", map[string]string{"name": b.Name, "office": office})
	l.p("mail.ready.earliest", map[string]string{"date": longDate(lang, earliest.In(loc)), "days": strconv.Itoa(cal.PickupWorkDays)})
	if !b.SlotStart.IsZero() {
		l.p("mail.ready.slot", map[string]string{"date": longDate(lang, b.SlotStart.In(loc)), "time": b.SlotStart.In(loc).Format("15:04")})
	}
	l.hours("mail.ready.hours", cal.Pickup)
	l.p("mail.ready.qr", map[string]string{"file": qrName})
	if ref != "" {
		l.p("mail.ready.reference", map[string]string{"ref": ref})
	}
	l.p("mail.ready.pin", nil)
	if birth := birthOf(b); !birth.IsZero() && rules.AgeOn(birth, earliest) < 14 {
		l.p("mail.ready.minor", nil)
	}
	l.contact(cal)
	l.p("mail.automatic", nil)

	png, err := qrPNG(b.Code)
	if err != nil {
		return mail.Message{}, fmt.Errorf("card-ready e-mail of booking %s: %w", b.ID, err)
	}
	subject := i18n.T(lang, "mail.ready.subject", map[string]string{"office": office})
	return l.message(from, to, subject, []mail.Attachment{{Name: qrName, ContentType: "image/png", Data: png}}), nil
}

// feeFacts are the fee and, when there is one to pay, where (payAt).
func feeFacts(cal calendar.Calendar, lang i18n.Lang, h rules.Help) []fact {
	if h.FeeLei == 0 && h.FeeNote == "" { // a pickup: nothing to pay
		return nil
	}
	if h.FeeLei == 0 {
		return []fact{{"mail.fact.fee", i18n.T(lang, h.FeeNote, nil)}}
	}
	amount := i18n.T(lang, "mail.confirmed.lei", map[string]string{"lei": strconv.Itoa(h.FeeLei)})
	if h.FeeNote == "fee.age_unknown" {
		amount = i18n.T(lang, "mail.confirmed.lei_if_due", map[string]string{"lei": strconv.Itoa(h.FeeLei)})
	}
	return []fact{{"mail.fact.fee", amount}, {"mail.fact.pay_at", payAt(cal, lang, h.FeeNote)}}
}

// payAt is where a fee is paid: the office's own words (PayAt, written in
// Romanian) in a Romanian letter; else the place the rules name (the bank,
// the town hall), in the letter's language.
func payAt(cal calendar.Calendar, lang i18n.Lang, note string) string {
	if cal.PayAt != "" && lang == i18n.Romanian {
		return cal.PayAt
	}
	if note == "fee.town_hall" {
		return i18n.T(lang, "mail.pay_at.town_hall", nil)
	}
	return i18n.T(lang, "mail.pay_at.cec", nil)
}

// qrPNG draws code as a PNG.
func qrPNG(code string) ([]byte, error) {
	var buf bytes.Buffer
	if err := qr.WritePNG(&buf, code, QRSize); err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	return buf.Bytes(), nil
}

// birthOf is b's birth date, zero when unknown.
func birthOf(b store.Booking) time.Time {
	t, err := time.Parse(time.DateOnly, b.BirthDate)
	if err != nil {
		return time.Time{}
	}
	return t
}

func officeName(cal calendar.Calendar) string {
	if cal.OfficeName != "" {
		return cal.OfficeName
	}
	return cal.Office
}

func kindKey(k store.Kind) string {
	if k == store.Pickup {
		return "pickup"
	}
	return "intake"
}

// domainOf is the domain of the address in from, for the calendar event's
// UID; "ghiseu.invalid" when from has none.
func domainOf(from string) string {
	if a, err := netmail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			return d
		}
	}
	return "ghiseu.invalid"
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// longDate is "luni, 30 noiembrie 2026" or "Monday, 30 November 2026".
func longDate(lang i18n.Lang, t time.Time) string {
	return fmt.Sprintf("%s, %d %s %d", i18n.T(lang, fmt.Sprintf("mail.weekday.%d", t.Weekday()), nil),
		t.Day(), i18n.T(lang, fmt.Sprintf("mail.month.%d", t.Month()), nil), t.Year())
}

// weekOrder is Monday first, as the office's notices are.
var weekOrder = []struct {
	key string
	day time.Weekday
}{{"mon", time.Monday}, {"tue", time.Tuesday}, {"wed", time.Wednesday}, {"thu", time.Thursday},
	{"fri", time.Friday}, {"sat", time.Saturday}, {"sun", time.Sunday}}

// hoursOf writes a week as lines, a run of days with the same hours on one
// line: "luni – miercuri: 08:30–13:00", "joi: 13:00–17:00".
func hoursOf(lang i18n.Lang, w calendar.Week) []string {
	var lines []string
	for i := 0; i < len(weekOrder); {
		spans := windows(w[weekOrder[i].key])
		j := i + 1
		for j < len(weekOrder) && windows(w[weekOrder[j].key]) == spans {
			j++
		}
		if spans != "" {
			days := i18n.T(lang, fmt.Sprintf("mail.weekday.%d", weekOrder[i].day), nil)
			if j-i > 1 {
				days += " – " + i18n.T(lang, fmt.Sprintf("mail.weekday.%d", weekOrder[j-1].day), nil)
			}
			lines = append(lines, days+": "+spans)
		}
		i = j
	}
	return lines
}

func windows(ws []calendar.Window) string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = w.Start.String() + "–" + w.End.String()
	}
	return strings.Join(s, ", ")
}

// fact is one line of a table: a label (a translation key) and its value.
type fact struct{ label, value string }

// block is one piece of a letter.
type block struct {
	Kind  string // "p", "facts", "list" or "button"
	Text  string // p: the paragraph; list: its heading; button: its label
	Alt   string // p: the text version when it differs from Text (it speaks of a link, not a button)
	Facts []struct{ Label, Value string }
	Items []string
	URL   string
}

// letter is a message being written, as blocks that become both the text
// and the HTML.
type letter struct {
	lang   i18n.Lang
	blocks []block
}

func (l *letter) p(key string, args map[string]string) {
	l.blocks = append(l.blocks, block{Kind: "p", Text: i18n.T(l.lang, key, args)})
}

// alt is a paragraph that says htmlKey in HTML and textKey in the text.
func (l *letter) alt(htmlKey, textKey string) {
	l.blocks = append(l.blocks, block{Kind: "p", Text: i18n.T(l.lang, htmlKey, nil), Alt: i18n.T(l.lang, textKey, nil)})
}

func (l *letter) facts(fs ...fact) {
	b := block{Kind: "facts"}
	for _, f := range fs {
		if f.value != "" {
			b.Facts = append(b.Facts, struct{ Label, Value string }{i18n.T(l.lang, f.label, nil), f.value})
		}
	}
	if len(b.Facts) > 0 {
		l.blocks = append(l.blocks, b)
	}
}

func (l *letter) list(key string, items []string) {
	l.blocks = append(l.blocks, block{Kind: "list", Text: i18n.T(l.lang, key, nil), Items: items})
}

func (l *letter) hours(key string, w calendar.Week) {
	if lines := hoursOf(l.lang, w); len(lines) > 0 {
		l.list(key, lines)
	}
}

func (l *letter) button(key, url string) {
	l.blocks = append(l.blocks, block{Kind: "button", Text: i18n.T(l.lang, key, nil), URL: url})
}

// contact is the office's address and phone (its name is said before).
func (l *letter) contact(cal calendar.Calendar) {
	l.facts(fact{"mail.fact.address", cal.Address}, fact{"mail.fact.phone", cal.Phone})
}

// text is the plain text: paragraphs apart by blank lines, facts as
// "Label: value", lists as "- item", a button as its URL alone.
func (l *letter) text() string {
	var b strings.Builder
	for i, bl := range l.blocks {
		if i > 0 {
			b.WriteString("\n")
		}
		switch bl.Kind {
		case "p":
			if bl.Alt != "" {
				b.WriteString(bl.Alt + "\n")
			} else {
				b.WriteString(bl.Text + "\n")
			}
		case "facts":
			for _, f := range bl.Facts {
				b.WriteString(f.Label + ": " + f.Value + "\n")
			}
		case "list":
			b.WriteString(bl.Text + "\n")
			for _, it := range bl.Items {
				b.WriteString("- " + it + "\n")
			}
		case "button":
			b.WriteString(bl.URL + "\n")
		}
	}
	return b.String()
}

var page = template.Must(template.New("letter").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Title}}</title></head>
<body style="margin:0;padding:16px;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">
<div style="max-width:600px;margin:0 auto">
{{range .Blocks}}{{if eq .Kind "p"}}<p style="margin:0 0 16px">{{.Text}}</p>
{{else if eq .Kind "facts"}}<table style="border-collapse:collapse;margin:0 0 16px">
{{range .Facts}}<tr><th scope="row" style="text-align:left;vertical-align:top;padding:2px 16px 2px 0">{{.Label}}</th><td style="padding:2px 0">{{.Value}}</td></tr>
{{end}}</table>
{{else if eq .Kind "list"}}<p style="margin:0 0 4px;font-weight:bold">{{.Text}}</p>
<ul style="margin:0 0 16px;padding-left:24px">{{range .Items}}<li>{{.}}</li>{{end}}</ul>
{{else if eq .Kind "button"}}<p style="margin:0 0 8px"><a href="{{.URL}}" style="display:inline-block;padding:12px 24px;background:#0b5394;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:4px">{{.Text}}</a></p>
<p style="margin:0 0 16px;font-size:14px;color:#404040;word-break:break-all">{{.URL}}</p>
{{end}}{{end}}</div>
</body>
</html>
`))

// html is the HTML alternative; "" if it cannot be written (the text
// alone still says everything).
func (l *letter) html(title string) string {
	var b strings.Builder
	err := page.Execute(&b, struct {
		Lang, Title string
		Blocks      []block
	}{string(l.lang), title, l.blocks})
	if err != nil {
		return ""
	}
	return b.String()
}

func (l *letter) message(from, to, subject string, att []mail.Attachment) mail.Message {
	return mail.Message{From: from, To: to, Subject: subject, Text: l.text(), HTML: l.html(subject), Attachments: att}
}

// Notice is the e-mail to the contact of booking b when someone asked for
// another booking for its person: one person has one booking, so to take
// another time the existing one is cancelled first, with the cancel link of
// its confirmation e-mail (its token is kept only as a hash and cannot be
// given again). It names the booking, never who asked nor from where.
func Notice(cal calendar.Calendar, from string, lang i18n.Lang, to string, b store.Booking) mail.Message {
	loc := cal.Location()
	office := officeName(cal)
	start := b.SlotStart.In(loc)
	l := &letter{lang: lang}
	l.p("mail.hello", nil)
	l.p("mail.notice.intro", map[string]string{"name": b.Name})
	l.facts(
		fact{"mail.fact.date", longDate(lang, start)},
		fact{"mail.fact.time", start.Format("15:04")},
		fact{"mail.fact.office", office},
		fact{"mail.fact.name", b.Name},
		fact{"mail.fact.purpose", i18n.T(lang, "mail.kind."+kindKey(b.Kind), nil)},
	)
	l.p("mail.notice.cancel", nil)
	l.p("mail.notice.ignore", nil)
	l.contact(cal)
	l.p("mail.automatic", nil)
	return l.message(from, to, i18n.T(lang, "mail.notice.subject", map[string]string{"office": office}), nil)
}

// OfficeCancelled is the e-mail that the office cancelled booking b, with
// the booking site's address (siteURL, "" when not known) to book again.
func OfficeCancelled(cal calendar.Calendar, from string, lang i18n.Lang, to string, b store.Booking, siteURL string) mail.Message {
	loc := cal.Location()
	office := officeName(cal)
	start := b.SlotStart.In(loc)
	date, clock := longDate(lang, start), start.Format("15:04")
	l := &letter{lang: lang}
	l.p("mail.hello", nil)
	l.p("mail.office_cancel.intro", map[string]string{"date": date, "time": clock})
	l.facts(
		fact{"mail.fact.date", date},
		fact{"mail.fact.time", clock},
		fact{"mail.fact.office", office},
		fact{"mail.fact.name", b.Name},
		fact{"mail.fact.purpose", i18n.T(lang, "mail.kind."+kindKey(b.Kind), nil)},
	)
	if siteURL != "" {
		l.p("mail.office_cancel.again", map[string]string{"site": siteURL})
		l.button("mail.office_cancel.button", siteURL)
	} else {
		l.p("mail.office_cancel.again_office", nil)
	}
	l.contact(cal)
	l.p("mail.automatic", nil)
	subject := i18n.T(lang, "mail.office_cancel.subject", map[string]string{"office": office, "date": date, "time": clock})
	return l.message(from, to, subject, nil)
}
