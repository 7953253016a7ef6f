package letters

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"html/template"
	"image"
	"image/draw"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/decode"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
)

const (
	from      = "SPCLEP Dumbrăvița <programari@dumbravita.example.ro>"
	to        = "cetatean@example.com"
	confirm   = "https://programari.example.ro/confirma?t=AbC123_xyz"
	cancelURL = "https://programari.example.ro/anuleaza?t=ZyX987_abc"
)

var (
	signKey = ed25519.NewKeyFromSeed([]byte("letters test booking key, 32 byt"))
	ring    = rescode.Keyring{{ID: 3, Public: signKey.Public().(ed25519.PublicKey)}}
)

// booking makes a booking of the default office at slot, with a real
// signed code.
func booking(t *testing.T, id uint64, slot time.Time, kind store.Kind, name, reason, birth string) store.Booking {
	t.Helper()
	ck := rescode.Intake
	if kind == store.Pickup {
		ck = rescode.Pickup
	}
	cal := calendar.Default()
	code, err := rescode.Issue(signKey, rescode.Claims{Version: 1, KeyID: 3, BookingID: id, Office: cal.Office,
		SlotStart: slot, SlotMinutes: cal.SlotMinutes, Kind: ck})
	if err != nil {
		t.Fatal(err)
	}
	return store.Booking{ID: strconv.FormatUint(id, 10), Office: cal.Office, Day: cal.Day(slot), SlotStart: slot,
		SlotMinutes: cal.SlotMinutes, Kind: kind, Name: name, Reason: reason, BirthDate: birth, Status: store.Confirmed, Code: code}
}

// received is a message as a mail reader shows it.
type received struct {
	subject, text, html string
	files               map[string][]byte
	types               map[string]string
}

// receive writes m as the mail package does and reads it back with the
// standard library, undoing every transfer encoding.
func receive(t *testing.T, m interface {
	Bytes(time.Time) ([]byte, error)
}) received {
	t.Helper()
	raw, err := m.Bytes(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("message bytes: %v", err)
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	r := received{files: map[string][]byte{}, types: map[string]string{}}
	if r.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	var walk func(ctype, cte, disp string, body io.Reader)
	walk = func(ctype, cte, disp string, body io.Reader) {
		mt, params, err := mime.ParseMediaType(ctype)
		if err != nil {
			t.Fatalf("content type %q: %v", ctype, err)
		}
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				// multipart undoes quoted-printable itself and drops the header
				walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p)
			}
		}
		if strings.EqualFold(cte, "base64") {
			body = base64.NewDecoder(base64.StdEncoding, body)
		}
		data, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		if _, dp, err := mime.ParseMediaType(disp); err == nil && dp["filename"] != "" {
			name, _ := new(mime.WordDecoder).DecodeHeader(dp["filename"])
			r.files[name], r.types[name] = data, mt
			return
		}
		switch mt {
		case "text/plain": // the wire's CRLF back to Go's LF
			r.text = strings.ReplaceAll(string(data), "\r\n", "\n")
		case "text/html":
			r.html = strings.ReplaceAll(string(data), "\r\n", "\n")
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body)
	return r
}

// qrText decodes a PNG with the counter's own decoder.
func qrText(t *testing.T, data []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("attached PNG: %v", err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	res, ok := decode.New().Still(g)
	if !ok {
		t.Fatal("the attached QR code does not decode")
	}
	return res.Text
}

// has checks that the text and the HTML of r say each of facts.
func (r received) has(t *testing.T, label string, facts []string) {
	t.Helper()
	for _, f := range facts {
		if !strings.Contains(r.text, f) {
			t.Errorf("%s: the text lacks %q:\n%s", label, f, r.text)
		}
		if !strings.Contains(r.html, template.HTMLEscapeString(f)) {
			t.Errorf("%s: the HTML lacks %q", label, f)
		}
	}
}

func (r received) lacks(t *testing.T, label string, words []string) {
	t.Helper()
	for _, w := range words {
		if strings.Contains(r.text, w) || strings.Contains(r.html, w) {
			t.Errorf("%s: says %q, which it must not", label, w)
		}
	}
}

// TestRequest: the request to confirm, in each language, says what was
// asked for, the link and until when it is valid, and what to do if the
// reader did not ask; the link is a button in HTML and the bare URL in the
// text.
func TestRequest(t *testing.T) {
	cal := calendar.Default()
	loc := cal.Location()
	slot := time.Date(2026, 11, 30, 9, 10, 0, 0, loc)
	expires := time.Date(2026, 11, 23, 10, 27, 0, 0, loc)
	for _, tt := range []struct {
		lang    i18n.Lang
		subject string
		facts   []string
	}{
		{i18n.Romanian, "Confirmă rezervarea – SPCLEP Dumbrăvița", []string{"luni, 30 noiembrie 2026", "09:10", "SPCLEP Dumbrăvița",
			"Popescu Ana-Maria", "depunerea cererii", "până la ora 10:27", "15 minute", "ignorați mesajul", "Confirmă rezervarea"}},
		{i18n.English, "Confirm your booking – SPCLEP Dumbrăvița", []string{"Monday, 30 November 2026", "09:10", "SPCLEP Dumbrăvița",
			"Popescu Ana-Maria", "applying for an identity card", "valid until 10:27", "15 minutes", "did not ask", "Confirm booking"}},
	} {
		m := Request(cal, from, tt.lang, to, "Popescu Ana-Maria", slot, store.Intake, confirm, expires)
		r := receive(t, m)
		label := "request " + string(tt.lang)
		if r.subject != tt.subject {
			t.Errorf("%s: subject %q, want %q", label, r.subject, tt.subject)
		}
		r.has(t, label, tt.facts)
		if !strings.Contains(r.text, "\n"+confirm+"\n") {
			t.Errorf("%s: the text lacks the link on a line of its own:\n%s", label, r.text)
		}
		if !strings.Contains(r.html, `<a href="`+confirm+`"`) {
			t.Errorf("%s: the HTML lacks the button link:\n%s", label, r.html)
		}
		if !strings.Contains(r.html, `lang="`+string(tt.lang)+`"`) {
			t.Errorf("%s: the HTML does not say its language", label)
		}
		if len(r.files) != 0 {
			t.Errorf("%s: attachments %v, want none", label, r.files)
		}
	}
}

// TestConfirmed: the confirmed booking, in each language and for cases
// with different documents and fees, says the reservation, the reference,
// the documents, the fee and where to pay, the office's address and hours,
// that it is free and not transferable, and the cancel link; its QR code
// reads back as the booking's own code with the counter's decoder and
// verifies as that booking; its calendar file holds the slot in UTC; it
// never prints the birth date.
func TestConfirmed(t *testing.T) {
	cal := calendar.Default()
	loc := cal.Location()
	slot := time.Date(2026, 11, 30, 9, 10, 0, 0, loc) // a Monday, 07:10 UTC
	tr := func(l i18n.Lang, k string) string { return i18n.T(l, k, nil) }
	for _, tt := range []struct {
		name, lang    string
		reason, birth string
		subject       string
		facts, absent []string
		wantPayAt     bool
	}{
		{"adult expiry, free", "ro", "expiry", "1982-03-14", "Rezervare confirmată – SPCLEP Dumbrăvița, luni, 30 noiembrie 2026, ora 09:10",
			[]string{"gratuit", tr("ro", "reason.expiry"),
				tr("ro", "doc.current_id"), tr("ro", "doc.birth_cert"), "nu este transmisibilă", "luni – miercuri: 08:30–13:00",
				"joi: 13:00–17:00", "vineri: 08:30–12:00", cal.Address, cal.Phone},
			[]string{tr("ro", "doc.payment_if_due"), "1982", "14.03", "lei"}, false},
		{"adult expiry, free", "en", "expiry", "1982-03-14", "Booking confirmed – SPCLEP Dumbrăvița, Monday, 30 November 2026, 09:10",
			[]string{"free", tr("en", "reason.expiry"),
				tr("en", "doc.current_id"), "cannot be transferred", "Monday – Wednesday: 08:30–13:00", "Friday: 08:30–12:00", cal.Address},
			[]string{"1982", "lei"}, false},
		{"lost card, 70 lei", "ro", "lost", "1990-06-01", "Rezervare confirmată – SPCLEP Dumbrăvița, luni, 30 noiembrie 2026, ora 09:10",
			[]string{"70 de lei", cal.PayAt, tr("ro", "reason.lost"), tr("ro", "doc.payment_if_due")}, []string{"1990", "70 lei"}, true},
		{"child under 14: both parents", "en", "child_under_14", "2017-05-20", "Booking confirmed – SPCLEP Dumbrăvița, Monday, 30 November 2026, 09:10",
			// Where to pay in English, not the office's Romanian words.
			[]string{"70 lei", "at a CEC Bank counter or a SelfPay machine", tr("en", "escort.both_parents"), tr("en", "doc.parents_ids")},
			[]string{"2017", cal.PayAt, "CEC Bank sau"}, true},
		{"birth date unknown", "ro", "expiry", "", "Rezervare confirmată – SPCLEP Dumbrăvița, luni, 30 noiembrie 2026, ora 09:10",
			[]string{"70 de lei, dacă se datorează", cal.PayAt}, nil, true},
	} {
		lang := i18n.Lang(tt.lang)
		label := tt.name + " " + tt.lang
		b := booking(t, 1234567, slot, store.Intake, "Ionescu Maria-Ștefania", tt.reason, tt.birth)
		m, err := Confirmed(cal, rules.DefaultFees, from, lang, to, b, cancelURL)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		r := receive(t, m)
		ref := rescode.ReferenceOf(b.Office, b.ID)
		if ref == "" {
			t.Fatal("no reference")
		}
		r.has(t, label, append([]string{"Ionescu Maria-Ștefania", "SPCLEP Dumbrăvița", "09:10", ref, cancelURL}, tt.facts...))
		if r.subject != tt.subject {
			t.Errorf("%s: subject %q, want %q", label, r.subject, tt.subject)
		}
		r.lacks(t, label, tt.absent)
		if got := strings.Contains(r.text, tr(lang, "mail.fact.pay_at")+":"); got != tt.wantPayAt {
			t.Errorf("%s: says where to pay: %v, want %v", label, got, tt.wantPayAt)
		}
		if !strings.Contains(r.html, `<a href="`+cancelURL+`"`) {
			t.Errorf("%s: the HTML lacks the cancel button", label)
		}

		png := r.files[tr(lang, "mail.file.qr")]
		if r.types[tr(lang, "mail.file.qr")] != "image/png" {
			t.Errorf("%s: QR attachment type %q (files %v)", label, r.types[tr(lang, "mail.file.qr")], r.types)
		}
		text := qrText(t, png)
		if text != b.Code {
			t.Errorf("%s: the QR code reads %q, want the booking's code %q", label, text, b.Code)
		}
		if c, err := rescode.Parse(text, ring); err != nil || strconv.FormatUint(c.BookingID, 10) != b.ID || !c.SlotStart.Equal(slot) {
			t.Errorf("%s: the QR code verifies as %+v, %v; want booking %s at %v", label, c, err, b.ID, slot)
		}

		ics := string(r.files[tr(lang, "mail.file.ics")])
		if r.types[tr(lang, "mail.file.ics")] != "text/calendar" {
			t.Errorf("%s: .ics type %q", label, r.types[tr(lang, "mail.file.ics")])
		}
		unfolded := strings.ReplaceAll(ics, "\r\n ", "")
		for _, w := range []string{"BEGIN:VCALENDAR\r\n", "VERSION:2.0\r\n", "BEGIN:VEVENT\r\n", "UID:TM-DUMBRAVITA-1234567@dumbravita.example.ro\r\n",
			"DTSTART:20261130T071000Z\r\n", "DTEND:20261130T073000Z\r\n", "\r\nDTSTAMP:", "SUMMARY:SPCLEP Dumbrăvița: ",
			"LOCATION:SPCLEP Dumbrăvița\\, Str. Petőfi Sándor nr. 31\\, 307160 Dumbrăvița\\, jud. Timiș\r\n",
			ref, "END:VEVENT\r\nEND:VCALENDAR\r\n"} {
			if !strings.Contains(unfolded, w) {
				t.Errorf("%s: .ics lacks %q:\n%s", label, w, ics)
			}
		}
		if strings.Contains(strings.ReplaceAll(ics, "\r\n", ""), "\n") {
			t.Errorf("%s: .ics has a bare LF", label)
		}
		// The calendar event is shared with others; the cancel link stays in
		// the e-mail's body only.
		if desc := regexp.MustCompile(`\r\nDESCRIPTION:[^\r]*`).FindString(unfolded); !strings.Contains(desc, ref) ||
			!strings.Contains(desc, "Ionescu Maria-Ștefania") {
			t.Errorf("%s: the .ics description %q lacks the name or the reference", label, desc)
		}
		for _, leak := range []string{cancelURL, "ZyX987_abc", "/anuleaza"} {
			if strings.Contains(unfolded, leak) || strings.Contains(ics, leak) {
				t.Errorf("%s: the .ics holds the cancel link (%q):\n%s", label, leak, ics)
			}
		}
	}
}

// TestConfirmedPickup: a booked pickup lists no application documents
// and no fee.
func TestConfirmedPickup(t *testing.T) {
	cal := calendar.Default()
	b := booking(t, 77, time.Date(2026, 11, 27, 9, 15, 0, 0, cal.Location()), store.Pickup, "Lupu Sorin", "lost", "1979-04-04")
	m, err := Confirmed(cal, rules.DefaultFees, from, i18n.English, to, b, cancelURL)
	if err != nil {
		t.Fatal(err)
	}
	r := receive(t, m)
	r.has(t, "pickup", []string{"collecting an identity card", "Friday, 27 November 2026", "09:15", cancelURL})
	r.lacks(t, "pickup", []string{i18n.T(i18n.English, "mail.confirmed.documents", nil), "70 lei", i18n.T(i18n.English, "mail.fact.fee", nil) + ":"})
}

// TestConfirmedRefusesNoCode: a booking without a code gets no e-mail
// with an empty QR code.
func TestConfirmedRefusesNoCode(t *testing.T) {
	b := store.Booking{ID: "5", Office: "TM-DUMBRAVITA", SlotStart: time.Now(), SlotMinutes: 20, Kind: store.Intake, Reason: "expiry"}
	if _, err := Confirmed(calendar.Default(), rules.DefaultFees, from, i18n.Romanian, to, b, cancelURL); err == nil {
		t.Error("Confirmed of a booking with no code: no error")
	}
	if _, err := Ready(calendar.Default(), from, i18n.Romanian, to, b, time.Now()); err == nil {
		t.Error("Ready of a booking with no code: no error")
	}
}

// TestReady: the card-ready notice, in each language, says the earliest
// day, the pickup hours, the reference and the PIN reminder (without any
// PIN field), a child's hand-over to a parent, and attaches the pickup QR
// code, which reads back as the pickup booking's code.
func TestReady(t *testing.T) {
	cal := calendar.Default()
	loc := cal.Location()
	earliest := time.Date(2026, 11, 27, 0, 0, 0, 0, loc) // a Friday
	slot := time.Date(2026, 11, 27, 9, 15, 0, 0, loc)
	for _, tt := range []struct {
		lang         i18n.Lang
		birth        string
		facts        []string
		minor        bool
		subjectStart string
	}{
		{i18n.Romanian, "1980-01-01", []string{"vineri, 27 noiembrie 2026", "2 zile lucrătoare", "vineri: 08:30–12:00",
			"cele două coduri PIN", "4 cifre", "6 cifre", "nu vi le cerem", "ora 09:15"}, false, "Actul de identitate este gata – SPCLEP Dumbrăvița"},
		{i18n.English, "1980-01-01", []string{"Friday, 27 November 2026", "2 working days", "Friday: 08:30–12:00",
			"two PIN codes", "4 digits", "6 digits", "never ask", "09:15"}, false, "The identity card is ready – SPCLEP Dumbrăvița"},
		{i18n.Romanian, "2019-02-02", []string{"copil sub 14 ani"}, true, "Actul de identitate este gata"},
		{i18n.English, "2019-02-02", []string{"child under 14"}, true, "The identity card is ready"},
	} {
		label := "ready " + string(tt.lang) + " " + tt.birth
		b := booking(t, 98765, slot, store.Pickup, "Lupu Sorin", "expiry", tt.birth)
		m, err := Ready(cal, from, tt.lang, to, b, earliest)
		if err != nil {
			t.Fatal(err)
		}
		r := receive(t, m)
		if !strings.HasPrefix(r.subject, tt.subjectStart) {
			t.Errorf("%s: subject %q", label, r.subject)
		}
		r.has(t, label, append([]string{"Lupu Sorin", rescode.ReferenceOf(b.Office, b.ID)}, tt.facts...))
		minor := i18n.T(tt.lang, "mail.ready.minor", nil)
		if strings.Contains(r.text, minor) != tt.minor {
			t.Errorf("%s: says the child's hand-over: %v, want %v", label, !tt.minor, tt.minor)
		}
		r.lacks(t, label, []string{tt.birth[:4], "http"})
		name := i18n.T(tt.lang, "mail.file.pickup_qr", nil)
		if got := qrText(t, r.files[name]); got != b.Code {
			t.Errorf("%s: the pickup QR reads %q, want %q", label, got, b.Code)
		}
		if len(r.files) != 1 {
			t.Errorf("%s: %d attachments, want the QR code alone", label, len(r.files))
		}
	}
}

// TestHTMLEscapes: a name with markup is text in the HTML, never markup,
// and a link that is no web address does not become one.
func TestHTMLEscapes(t *testing.T) {
	cal := calendar.Default()
	m := Request(cal, from, i18n.Romanian, to, `<b>Ana</b> & "Co"`, time.Now(), store.Intake, "javascript:alert(1)", time.Now())
	if strings.Contains(m.HTML, "<b>Ana") || !strings.Contains(m.HTML, "&lt;b&gt;Ana&lt;/b&gt; &amp; &#34;Co&#34;") {
		t.Errorf("the name is not escaped:\n%s", m.HTML)
	}
	if strings.Contains(m.HTML, `href="javascript:`) {
		t.Errorf("a javascript: link became a link:\n%s", m.HTML)
	}
	if !strings.Contains(m.Text, `<b>Ana</b> & "Co"`) {
		t.Errorf("the text does not say the name as it is:\n%s", m.Text)
	}
}

// TestHoursOf: a run of days with the same hours is one line; days off
// are left out; several windows are listed.
func TestHoursOf(t *testing.T) {
	w := func(a, b string) calendar.Window {
		s, _ := calendar.ParseClock(a)
		e, _ := calendar.ParseClock(b)
		return calendar.Window{Start: s, End: e}
	}
	am := []calendar.Window{w("08:30", "13:00")}
	for _, tt := range []struct {
		week calendar.Week
		want string
	}{
		{calendar.Default().Intake, "luni – miercuri: 08:30–13:00|joi: 13:00–17:00"},
		{calendar.Week{"mon": am, "wed": am}, "luni: 08:30–13:00|miercuri: 08:30–13:00"},
		{calendar.Week{"fri": {w("08:30", "12:00"), w("14:00", "16:00")}}, "vineri: 08:30–12:00, 14:00–16:00"},
		{calendar.Week{"sat": am, "sun": am}, "sâmbătă – duminică: 08:30–13:00"},
		{calendar.Week{}, ""},
	} {
		if got := strings.Join(hoursOf(i18n.Romanian, tt.week), "|"); got != tt.want {
			t.Errorf("hoursOf(%v) = %q, want %q", tt.week, got, tt.want)
		}
	}
}
