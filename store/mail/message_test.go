package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"
)

// leaf is one decoded leaf entity of a parsed message.
type leaf struct {
	Type     string // media type, e.g. "text/plain"
	Params   map[string]string
	Filename string
	Data     []byte
	Path     string // the multipart types above it, e.g. "/mixed/alternative"
}

// parsed is a message read back with the standard library.
type parsed struct {
	Header  netmail.Header
	Subject string
	From    *netmail.Address
	To      *netmail.Address
	Leaves  []leaf
}

// parse reads raw as a mail reader would: headers, decoded subject, and
// every leaf entity with its transfer encoding undone.
func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	p := parsed{Header: msg.Header}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("subject: %v", err)
	}
	if p.From, err = netmail.ParseAddress(msg.Header.Get("From")); err != nil {
		t.Fatalf("from: %v", err)
	}
	if p.To, err = netmail.ParseAddress(msg.Header.Get("To")); err != nil {
		t.Fatalf("to: %v", err)
	}
	p.Leaves = walk(t, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"),
		msg.Header.Get("Content-Disposition"), "", msg.Body)
	return p
}

// walk decodes one entity, descending into multiparts.
func walk(t *testing.T, ctype, cte, disposition, path string, body io.Reader) []leaf {
	t.Helper()
	typ, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		t.Fatalf("%s: content type %q: %v", path, ctype, err)
	}
	if strings.HasPrefix(typ, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		var leaves []leaf
		for {
			// RawPart: the transfer encoding is undone here, checked by hand.
			p, err := r.NextRawPart()
			if err == io.EOF {
				return leaves
			}
			if err != nil {
				t.Fatalf("%s: next part: %v", path, err)
			}
			leaves = append(leaves, walk(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"),
				p.Header.Get("Content-Disposition"), path+"/"+strings.TrimPrefix(typ, "multipart/"), p)...)
		}
	}
	switch strings.ToLower(cte) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "", "7bit", "8bit":
	default:
		t.Fatalf("%s: transfer encoding %q", path, cte)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("%s: read %s: %v", path, typ, err)
	}
	l := leaf{Type: typ, Params: params, Data: data, Path: path}
	if disposition != "" {
		_, dp, err := mime.ParseMediaType(disposition)
		if err != nil {
			t.Fatalf("%s: disposition %q: %v", path, disposition, err)
		}
		l.Filename = dp["filename"]
	}
	return []leaf{l}
}

var png = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 0xff, '\r', '\n'}, 100)...)

const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Programare buletin\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// TestBytesRoundTrip writes messages and reads them back as a mail reader
// would: the headers (Romanian diacritics included), the structure, the
// texts and the attachments byte for byte.
func TestBytesRoundTrip(t *testing.T) {
	date := time.Date(2026, 11, 23, 10, 12, 0, 0, time.FixedZone("EET", 2*3600))
	long := strings.Repeat("Confirmați programarea la ghișeul de acte de identitate din Dumbrăvița, ", 3)
	tests := []struct {
		name   string
		msg    Message
		leaves []leaf // Type, Path, Filename, Data; Params["charset"] checked for text
	}{
		{
			name: "plain text in Romanian",
			msg: Message{From: "SPCLEP Dumbrăvița <programari@example.ro>", To: "ana@example.ro",
				Subject: "Confirmă rezervarea", Text: "Bună ziua,\nApăsați „Confirmă rezervarea”.\n"},
			leaves: []leaf{{Type: "text/plain", Data: []byte("Bună ziua,\r\nApăsați „Confirmă rezervarea”.\r\n")}},
		},
		{
			name: "text and html, long subject, display name to",
			msg: Message{From: "programari@example.ro", To: "Ștefan Țurcanu <stefan@example.ro>",
				Subject: long, Text: "Textul.", HTML: "<p>Textul <b>îngroșat</b>.</p>"},
			leaves: []leaf{
				{Type: "text/plain", Path: "/alternative", Data: []byte("Textul.")},
				{Type: "text/html", Path: "/alternative", Data: []byte("<p>Textul <b>îngroșat</b>.</p>")},
			},
		},
		{
			name: "attachments: QR and calendar",
			msg: Message{From: "SPCLEP Dumbrăvița <programari@example.ro>", To: "ion@example.ro",
				Subject: "Rezervarea dumneavoastră", Text: "Codul QR este atașat.", HTML: "<p>Codul QR este atașat.</p>",
				Attachments: []Attachment{
					{Name: "rezervare.png", ContentType: "image/png", Data: png},
					{Name: "programare.ics", ContentType: "text/calendar; method=PUBLISH; charset=utf-8", Data: []byte(ics)},
					{Name: "întâlnire.txt", Data: []byte("ș")},
				}},
			leaves: []leaf{
				{Type: "text/plain", Path: "/mixed/alternative", Data: []byte("Codul QR este atașat.")},
				{Type: "text/html", Path: "/mixed/alternative", Data: []byte("<p>Codul QR este atașat.</p>")},
				{Type: "image/png", Path: "/mixed", Filename: "rezervare.png", Data: png},
				{Type: "text/calendar", Path: "/mixed", Filename: "programare.ics", Data: []byte(ics)},
				{Type: "text/plain", Path: "/mixed", Filename: "întâlnire.txt", Data: []byte("ș")},
			},
		},
		{
			name: "attachment without html",
			msg: Message{From: "programari@example.ro", To: "ion@example.ro", Subject: "QR", Text: "x",
				Attachments: []Attachment{{Name: "qr.png", ContentType: "image/png", Data: png}}},
			leaves: []leaf{
				{Type: "text/plain", Path: "/mixed", Data: []byte("x")},
				{Type: "image/png", Path: "/mixed", Filename: "qr.png", Data: png},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := tt.msg.Bytes(date)
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(string(raw), "\r\n") {
				if len(line) > 998 || strings.Contains(line, "\n") {
					t.Fatalf("line %d is too long or ends in a bare LF: %q", i, line)
				}
			}
			head := string(raw[:bytes.Index(raw, []byte("\r\n\r\n"))])
			for i := 0; i < len(head); i++ {
				if head[i] >= 0x80 {
					t.Fatalf("8-bit byte in the headers: %q", head)
				}
			}
			p := parse(t, raw)
			if p.Subject != tt.msg.Subject {
				t.Errorf("subject %q, want %q", p.Subject, tt.msg.Subject)
			}
			from, _ := netmail.ParseAddress(tt.msg.From)
			to, _ := netmail.ParseAddress(tt.msg.To)
			if *p.From != *from || *p.To != *to {
				t.Errorf("from %v to %v, want %v %v", p.From, p.To, from, to)
			}
			if d, err := p.Header.Date(); err != nil || !d.Equal(date) {
				t.Errorf("date %v (%v), want %v", d, err, date)
			}
			if p.Header.Get("MIME-Version") != "1.0" {
				t.Errorf("MIME-Version %q", p.Header.Get("MIME-Version"))
			}
			if id := p.Header.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.ro>") || len(id) < 40 {
				t.Errorf("Message-ID %q", id)
			}
			if len(p.Leaves) != len(tt.leaves) {
				t.Fatalf("%d parts, want %d: %+v", len(p.Leaves), len(tt.leaves), p.Leaves)
			}
			for i, want := range tt.leaves {
				got := p.Leaves[i]
				if got.Type != want.Type || got.Path != want.Path || got.Filename != want.Filename || !bytes.Equal(got.Data, want.Data) {
					t.Errorf("part %d: %s %s %q %q, want %s %s %q %q", i, got.Type, got.Path, got.Filename, got.Data,
						want.Type, want.Path, want.Filename, want.Data)
				}
				if want.Filename == "" && got.Params["charset"] != "utf-8" {
					t.Errorf("part %d: charset %q", i, got.Params["charset"])
				}
			}
		})
	}
}

// TestBytesMessageIDsDiffer checks that two messages get two Message-IDs.
func TestBytesMessageIDsDiffer(t *testing.T) {
	m := Message{From: "a@example.ro", To: "b@example.ro", Subject: "s", Text: "t"}
	ids := map[string]bool{}
	for range 5 {
		raw, err := m.Bytes(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ids[parse(t, raw).Header.Get("Message-ID")] = true
	}
	if len(ids) != 5 {
		t.Errorf("%d distinct Message-IDs of 5", len(ids))
	}
}

// TestBytesRefuses checks that header injection and bad addresses are
// refused.
func TestBytesRefuses(t *testing.T) {
	ok := Message{From: "SPCLEP <programari@example.ro>", To: "ana@example.ro", Subject: "s", Text: "t"}
	tests := []struct {
		name   string
		change func(*Message)
		header bool // refused as ErrHeader
	}{
		{"CRLF in subject", func(m *Message) { m.Subject = "Salut\r\nBcc: x@evil.example" }, true},
		{"LF in subject", func(m *Message) { m.Subject = "Salut\nBcc: x@evil.example" }, true},
		{"CR in to", func(m *Message) { m.To = "ana@example.ro\rBcc: x@evil.example" }, true},
		{"LF in from", func(m *Message) { m.From = "SPCLEP\n <programari@example.ro>" }, true},
		{"two recipients", func(m *Message) { m.To = "ana@example.ro, ion@example.ro" }, false},
		{"no recipient", func(m *Message) { m.To = "" }, false},
		{"bad sender", func(m *Message) { m.From = "programari" }, false},
		{"attachment name with a line break", func(m *Message) {
			m.Attachments = []Attachment{{Name: "a\r\nb.png", Data: png}}
		}, false},
		{"attachment name with a path", func(m *Message) { m.Attachments = []Attachment{{Name: "../a.png", Data: png}} }, false},
		{"attachment type with a line break", func(m *Message) {
			m.Attachments = []Attachment{{Name: "a.png", ContentType: "image/png\r\nX: y", Data: png}}
		}, false},
	}
	if _, err := ok.Bytes(time.Now()); err != nil {
		t.Fatalf("the good message: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.change(&m)
			raw, err := m.Bytes(time.Now())
			if err == nil {
				t.Fatalf("written:\n%s", raw)
			}
			if tt.header && !errors.Is(err, ErrHeader) {
				t.Errorf("error %v, want ErrHeader", err)
			}
		})
	}
}

// TestValidAddress is the booking site's check of an e-mail address.
func TestValidAddress(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"ana@example.ro", true},
		{"ana.pop+rezervari@mail.example.ro", true},
		{"a@xn--dumbrvia-4za.ro", true},
		{"ANA@EXAMPLE.RO", true},
		{"", false},
		{"ana", false},
		{"ana@localhost", false},
		{"@example.ro", false},
		{"ana@", false},
		{"ana@.example.ro", false},
		{"ana@example.ro.", false},
		{"ana@example..ro", false},
		{"ana@-example.ro", false},
		{"ana pop@example.ro", false},
		{"Ana <ana@example.ro>", false},
		{"<ana@example.ro>", false},
		{"ana@example.ro, ion@example.ro", false},
		{"ana@example.ro\r\nBcc: x@evil.example", false},
		{"ana@example.ro\n", false},
		{"ană@example.ro", false},
		{"ana@dumbrăvița.ro", false},
		{"ana@exa_mple.ro", false},
		{strings.Repeat("a", 65) + "@example.ro", false},
		{strings.Repeat("a", 64) + "@example.ro", true},
		{"a@" + strings.Repeat("b", 250) + ".ro", false},
	}
	for _, tt := range tests {
		if got := ValidAddress(tt.addr); got != tt.ok {
			t.Errorf("ValidAddress(%q) = %v, want %v", tt.addr, got, tt.ok)
		}
	}
}
