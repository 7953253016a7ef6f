package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Dir is the demo's Sender: it writes each message as a .eml file in the
// folder Path (made 0700 if missing), readable by its owner only. Names
// sort by the time of writing ("20261123T101200.123456789Z-1a2b3c4d.eml")
// and a file is never overwritten. It is also the demo mailbox: List and
// Read open what it wrote.
type Dir struct{ Path string }

// maxRead bounds a message Read or List opens.
const maxRead = 16 << 20

// Send writes msg as a new .eml file; the envelope is not kept.
func (d Dir) Send(ctx context.Context, from string, to []string, msg []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.MkdirAll(d.Path, 0o700); err != nil {
		return fmt.Errorf("mail folder: %w", err)
	}
	var r [4]byte
	if _, err := rand.Read(r[:]); err != nil {
		return fmt.Errorf("mail folder: %w", err)
	}
	name := time.Now().UTC().Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(r[:]) + ".eml"
	// Written aside and linked in place: a reader never sees half a
	// message, and a link, unlike a rename, fails instead of overwriting.
	tmp := filepath.Join(d.Path, "."+name+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("mail folder: %w", err)
	}
	defer os.Remove(tmp)
	_, err = f.Write(msg)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp, filepath.Join(d.Path, name))
	}
	if err != nil {
		return fmt.Errorf("mail folder: write %s: %w", name, err)
	}
	return nil
}

// Entry is a message in the demo mailbox.
type Entry struct {
	Name    string // the file name, for Read
	Date    time.Time
	From    string
	To      string
	Subject string // decoded
}

// List returns the mailbox's messages, newest first. A file that cannot be
// read as a message is listed with its name only.
func (d Dir) List() ([]Entry, error) {
	des, err := os.ReadDir(d.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mail folder: %w", err)
	}
	var es []Entry
	for _, de := range des {
		if !validName(de.Name()) || !de.Type().IsRegular() {
			continue
		}
		e := Entry{Name: de.Name()}
		if raw, err := d.Read(de.Name()); err == nil {
			if p, err := Parse(raw); err == nil {
				e.Date, e.From, e.To, e.Subject = p.Date, p.From, p.To, p.Subject
			}
		}
		es = append(es, e)
	}
	slices.Reverse(es) // ReadDir sorts by name, which is by time
	return es, nil
}

// Read returns the message called name, which must be a name List gave: no
// path, no hidden file, nothing outside the folder (symbolic links
// included).
func (d Dir) Read(name string) ([]byte, error) {
	if !validName(name) {
		return nil, fmt.Errorf("mail folder: bad message name %q", name)
	}
	root, err := os.OpenRoot(d.Path)
	if err != nil {
		return nil, fmt.Errorf("mail folder: %w", err)
	}
	defer root.Close()
	f, err := root.Open(name)
	if err != nil {
		return nil, fmt.Errorf("mail folder: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxRead+1))
	if err != nil {
		return nil, fmt.Errorf("mail folder: read %s: %w", name, err)
	}
	if len(raw) > maxRead {
		return nil, fmt.Errorf("mail folder: %s is too large", name)
	}
	return raw, nil
}

// validName accepts the plain file names Send makes: letters, digits, '.',
// '-' and '_', ending in .eml, not starting with a dot.
func validName(name string) bool {
	if !strings.HasSuffix(name, ".eml") || strings.HasPrefix(name, ".") || len(name) > 200 {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Parsed is a message read back: its decoded headers, its texts and its
// attachments.
type Parsed struct {
	Date      time.Time
	MessageID string
	From, To  string // decoded, "Name <address>" or the bare address
	Subject   string // decoded
	Text      string // the first text/plain part that is not an attachment
	HTML      string // the first text/html part that is not an attachment
	// Attachments are the parts with a file name, decoded.
	Attachments []Attachment
}

// Parse reads an RFC 5322 / MIME message, such as one Bytes wrote: for the
// demo mailbox and for tests. Transfer encodings are undone; texts are
// taken as UTF-8.
func Parse(raw []byte) (Parsed, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Parsed{}, fmt.Errorf("read message: %w", err)
	}
	var p Parsed
	dec := new(mime.WordDecoder)
	p.Date, _ = msg.Header.Date()
	p.MessageID = msg.Header.Get("Message-ID")
	if p.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Parsed{}, fmt.Errorf("read message: subject: %w", err)
	}
	p.From, p.To = decodeAddress(msg.Header.Get("From")), decodeAddress(msg.Header.Get("To"))
	h := msg.Header
	if err := p.entity(h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), h.Get("Content-Disposition"), msg.Body, 0); err != nil {
		return Parsed{}, fmt.Errorf("read message: %w", err)
	}
	return p, nil
}

// decodeAddress shows an address header decoded, or as it is if it does
// not parse.
func decodeAddress(s string) string {
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return s
	}
	if a.Name == "" {
		return a.Address
	}
	return a.Name + " <" + a.Address + ">"
}

// entity reads one MIME entity into p, descending into multiparts.
func (p *Parsed) entity(ctype, cte, disposition string, body io.Reader, depth int) error {
	if ctype == "" {
		ctype = "text/plain; charset=us-ascii"
	}
	typ, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("content type: %w", err)
	}
	if strings.HasPrefix(typ, "multipart/") {
		if depth > 8 {
			return errors.New("multiparts nested too deep")
		}
		r := multipart.NewReader(body, params["boundary"])
		for {
			part, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			ph := part.Header
			if err := p.entity(ph.Get("Content-Type"), ph.Get("Content-Transfer-Encoding"), ph.Get("Content-Disposition"), part, depth+1); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(cte) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	data, err := io.ReadAll(io.LimitReader(body, maxRead))
	if err != nil {
		return fmt.Errorf("%s: %w", typ, err)
	}
	var filename string
	if disposition != "" {
		if _, dp, err := mime.ParseMediaType(disposition); err == nil {
			filename = dp["filename"]
		}
	}
	if filename == "" {
		filename = params["name"]
	}
	switch {
	case filename != "":
		p.Attachments = append(p.Attachments, Attachment{Name: filename, ContentType: typ, Data: data})
	case typ == "text/plain" && p.Text == "":
		p.Text = string(data)
	case typ == "text/html" && p.HTML == "":
		p.HTML = string(data)
	}
	return nil
}
