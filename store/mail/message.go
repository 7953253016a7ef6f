// Package mail writes and sends the hub's e-mails to citizens: a Message
// becomes an RFC 5322 / MIME message (UTF-8, quoted-printable text, an
// optional HTML alternative, base64 attachments); an Outbox keeps each one in
// the hub's database until a Sender has delivered it, retrying with back-off,
// so that a mail server that is down loses nothing. SMTP sends through a mail
// server (STARTTLS, PLAIN authentication only over TLS); Dir writes .eml files
// for the demo, which has no mail server. Nothing here logs an address or the
// content of a message.
package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string // the file name the reader sees, e.g. "rezervare.png"
	ContentType string // e.g. "image/png", "text/calendar; method=PUBLISH"; guessed from Name when empty
	Data        []byte
}

// Message is one e-mail to one person.
type Message struct {
	From        string // "SPCLEP Dumbrăvița <programari@example.ro>"
	To          string // one address, bare or with a display name
	Subject     string
	Text        string // the plain text, always
	HTML        string // an HTML alternative of Text, optional
	Attachments []Attachment
}

// ErrHeader says that a header value holds a line break, which could smuggle
// in headers of its own.
var ErrHeader = errors.New("line break in a header value")

// Bytes writes the message as RFC 5322 with MIME, dated date, with a fresh
// random Message-ID in the domain of From. Text lines end in CRLF. Its
// structure is the simplest that holds the content: text/plain alone;
// multipart/alternative when there is HTML; both inside multipart/mixed
// when there are attachments.
func (m Message) Bytes(date time.Time) ([]byte, error) {
	for _, v := range []string{m.From, m.To, m.Subject} {
		if strings.ContainsAny(v, "\r\n") {
			return nil, fmt.Errorf("write message: %w", ErrHeader)
		}
	}
	from, err := netmail.ParseAddress(m.From)
	if err != nil || !ValidAddress(from.Address) {
		return nil, fmt.Errorf("write message: bad sender address")
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil || !ValidAddress(to.Address) {
		return nil, fmt.Errorf("write message: bad recipient address")
	}
	id, err := messageID(from.Address)
	if err != nil {
		return nil, fmt.Errorf("write message: %w", err)
	}

	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("Date", date.Format(time.RFC1123Z))
	header("From", from.String())
	header("To", to.String())
	header("Subject", encodeWords(m.Subject))
	header("Message-ID", id)
	header("MIME-Version", "1.0")

	body, err := m.body()
	if err != nil {
		return nil, fmt.Errorf("write message: %w", err)
	}
	for _, k := range []string{"Content-Type", "Content-Transfer-Encoding", "Content-Disposition"} {
		if v := body.header.Get(k); v != "" {
			header(k, v)
		}
	}
	b.WriteString("\r\n")
	b.Write(body.content)
	return b.Bytes(), nil
}

// part is a MIME entity: its content headers and its encoded content.
type part struct {
	header  textproto.MIMEHeader
	content []byte
}

// body makes the message's top entity.
func (m Message) body() (part, error) {
	p := textPart("text/plain", m.Text)
	if m.HTML != "" {
		var err error
		if p, err = multipartOf("alternative", p, textPart("text/html", m.HTML)); err != nil {
			return part{}, err
		}
	}
	if len(m.Attachments) == 0 {
		return p, nil
	}
	parts := []part{p}
	for _, a := range m.Attachments {
		ap, err := attachmentPart(a)
		if err != nil {
			return part{}, err
		}
		parts = append(parts, ap)
	}
	return multipartOf("mixed", parts...)
}

// textPart is UTF-8 text, quoted-printable, with CRLF line ends.
func textPart(contentType, text string) part {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(text)) // writes to a bytes.Buffer do not fail
	w.Close()
	return part{header: textproto.MIMEHeader{
		"Content-Type":              {mime.FormatMediaType(contentType, map[string]string{"charset": "utf-8"})},
		"Content-Transfer-Encoding": {"quoted-printable"},
	}, content: b.Bytes()}
}

// attachmentPart is a file, base64 in lines of 76 characters.
func attachmentPart(a Attachment) (part, error) {
	if a.Name == "" || strings.ContainsAny(a.Name, "\r\n/\\") || strings.ContainsAny(a.ContentType, "\r\n") {
		return part{}, fmt.Errorf("attachment: bad name or content type")
	}
	ct := a.ContentType
	if ct == "" {
		if i := strings.LastIndexByte(a.Name, '.'); i >= 0 {
			ct = mime.TypeByExtension(a.Name[i:])
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
	}
	typ, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return part{}, fmt.Errorf("attachment %q: content type: %w", a.Name, err)
	}
	params["name"] = a.Name
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})
	ctype := mime.FormatMediaType(typ, params)
	if ctype == "" || disposition == "" {
		return part{}, fmt.Errorf("attachment %q: cannot write its headers", a.Name)
	}
	enc := base64.StdEncoding.EncodeToString(a.Data)
	var b bytes.Buffer
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return part{header: textproto.MIMEHeader{
		"Content-Type":              {ctype},
		"Content-Transfer-Encoding": {"base64"},
		"Content-Disposition":       {disposition},
	}, content: b.Bytes()}, nil
}

// multipartOf puts parts in a multipart/sub entity with a random boundary.
func multipartOf(sub string, parts ...part) (part, error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, p := range parts {
		pw, err := w.CreatePart(p.header)
		if err != nil {
			return part{}, err
		}
		pw.Write(p.content)
	}
	if err := w.Close(); err != nil {
		return part{}, err
	}
	return part{header: textproto.MIMEHeader{
		"Content-Type": {mime.FormatMediaType("multipart/"+sub, map[string]string{"boundary": w.Boundary()})},
	}, content: b.Bytes()}, nil
}

// encodeWords encodes a header text as RFC 2047 UTF-8 encoded words when it
// is not plain ASCII, one folded line per word.
func encodeWords(s string) string {
	e := mime.QEncoding.Encode("utf-8", s)
	// Encoded words are separated by single spaces and hold none themselves.
	return strings.ReplaceAll(e, "?= =?", "?=\r\n =?")
}

// messageID makes a random Message-ID in the domain of address from.
func messageID(from string) (string, error) {
	var r [16]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", fmt.Errorf("message id: %w", err)
	}
	return "<" + hex.EncodeToString(r[:]) + from[strings.LastIndexByte(from, '@'):] + ">", nil
}

// ValidAddress reports whether s is one bare e-mail address as the booking
// site accepts it: local@domain in printable ASCII (an international domain
// in its xn-- form), a domain with a dot, 254 characters at most, no display
// name, no spaces, no line break.
func ValidAddress(s string) bool {
	if len(s) == 0 || len(s) > 254 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	a, err := netmail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if at <= 0 || len(local) > 64 || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return false
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
