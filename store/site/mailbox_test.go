package site

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/ghiseu/ghiseu/store/mail"
)

// The demo mailbox reads the messages store/mail writes: encoded-word
// headers, quoted-printable text, an HTML alternative, base64 attachments.
func TestParsesStoreMailMessages(t *testing.T) {
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 40, 40))); err != nil {
		t.Fatal(err)
	}
	text := "Bună ziua, Ștefan Țîrlea!\nConfirmați aici: https://programari.example.ro/confirma?t=" + token + "\n" +
		strings.Repeat("O linie lungă cu diacritice ăâîșț, ", 10) + "\n"
	raw, err := mail.Message{From: "SPCLEP Dumbrăvița <programari@example.ro>", To: "stefan@example.ro",
		Subject: "Confirmă rezervarea – SPCLEP Dumbrăvița", Text: text, HTML: "<p>Bună ziua</p>",
		Attachments: []mail.Attachment{
			{Name: "rezervare.ics", ContentType: "text/calendar", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")},
			{Name: "cod-qr.png", ContentType: "image/png", Data: img.Bytes()},
		}}.Bytes(now)
	if err != nil {
		t.Fatal(err)
	}
	l, err := parseLetter(raw)
	if err != nil {
		t.Fatal(err)
	}
	if l.Subject != "Confirmă rezervarea – SPCLEP Dumbrăvița" || !strings.Contains(l.From, "SPCLEP Dumbrăvița") ||
		!strings.Contains(l.To, "stefan@example.ro") {
		t.Errorf("headers: %q, %q, %q", l.Subject, l.From, l.To)
	}
	if strings.ReplaceAll(l.Text, "\r\n", "\n") != text {
		t.Errorf("text:\n%q\nwant\n%q", l.Text, text)
	}
	if len(l.Images) != 1 || !bytes.Equal(l.Images[0], img.Bytes()) {
		t.Errorf("%d images, want the one PNG", len(l.Images))
	}
	parts := linkify(l.Text)
	found := false
	for _, p := range parts {
		found = found || p.URL == "https://programari.example.ro/confirma?t="+token
	}
	if !found {
		t.Errorf("the confirmation link is not a link: %+v", parts)
	}
	if _, err := parseLetter([]byte("not a message")); err == nil {
		t.Errorf("a file that is no message parses")
	}
}
