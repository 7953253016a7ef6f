package site

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// emlName is the form of a demo message's file name; no other name is
// opened (no path leaves the folder).
var emlName = regexp.MustCompile(`^[0-9A-Za-z._-]+\.eml$`)

// maxMessage is the largest .eml file the demo mailbox opens.
const maxMessage = 8 << 20

// letter is a demo message as the mailbox shows it.
type letter struct {
	Name, Subject, To, From string
	Date                    time.Time
	Text                    string
	Images                  [][]byte // the PNG attachments
}

// parseLetter reads an RFC 5322 message: its headers, its text part and its
// PNG attachments, through nested multiparts.
func parseLetter(raw []byte) (letter, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return letter{}, fmt.Errorf("read message: %w", err)
	}
	dec := new(mime.WordDecoder)
	header := func(k string) string {
		v := m.Header.Get(k)
		if d, err := dec.DecodeHeader(v); err == nil {
			return d
		}
		return v
	}
	l := letter{Subject: header("Subject"), To: header("To"), From: header("From")}
	l.Date, _ = m.Header.Date()
	err = l.walk(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), "", m.Body, 0)
	return l, err
}

// walk reads one MIME part into l.
func (l *letter) walk(ctype, encoding, disposition string, body io.Reader, depth int) error {
	if depth > 5 {
		return fmt.Errorf("read message: parts nested too deep")
	}
	if ctype == "" {
		ctype = "text/plain; charset=utf-8"
	}
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("read message: content type %q: %w", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read message part: %w", err)
			}
			if err := l.walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"),
				p.Header.Get("Content-Disposition"), p, depth+1); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, newlineStripper{body})
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	data, err := io.ReadAll(io.LimitReader(body, maxMessage))
	if err != nil {
		return fmt.Errorf("read message part %s: %w", mt, err)
	}
	attached := strings.HasPrefix(strings.ToLower(disposition), "attachment")
	switch {
	case mt == "text/plain" && !attached && l.Text == "":
		l.Text = string(data)
	case mt == "image/png" && bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		l.Images = append(l.Images, data)
	}
	return nil
}

// newlineStripper drops the line breaks of a base64 body.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	j := 0
	for _, c := range p[:k] {
		if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
			p[j] = c
			j++
		}
	}
	return j, err
}

// mailboxItem is one message in the demo mailbox's list.
type mailboxItem struct {
	Name, Subject, To, When string
}

// mailboxData is the demo mailbox: the list, or one message.
type mailboxData struct {
	Items   []mailboxItem
	Letter  *letter
	Parts   []textPart
	Images  []string // the addresses of the PNG attachments
	Missing bool
}

// textPart is a run of a message's text: a link or plain text.
type textPart struct{ Text, URL string }

var urlForm = regexp.MustCompile(`https?://[^\s<>"]+`)

// linkify cuts text into plain runs and links, so that the demo's reader
// can follow the e-mail's confirmation and cancel links.
func linkify(text string) []textPart {
	var out []textPart
	last := 0
	for _, m := range urlForm.FindAllStringIndex(text, -1) {
		if m[0] > last {
			out = append(out, textPart{Text: text[last:m[0]]})
		}
		u := strings.TrimRight(text[m[0]:m[1]], ".,;)")
		out = append(out, textPart{Text: u, URL: u})
		last = m[0] + len(u)
	}
	if last < len(text) {
		out = append(out, textPart{Text: text[last:]})
	}
	return out
}

// mailbox serves the demo mailbox: /demo/posta (the list),
// /demo/posta/NAME (a message), /demo/posta/NAME/N (its N-th PNG).
func (s *server) mailbox(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/demo/posta"), "/")
	if rest == "" {
		s.mailList(w, r)
		return
	}
	name, index, image := strings.Cut(rest, "/")
	if !emlName.MatchString(name) || strings.Contains(name, "..") {
		s.message(w, r, http.StatusNotFound, "site.notfound.title", "site.notfound.text")
		return
	}
	l, err := s.readLetter(name)
	if err != nil {
		s.opt.Log.Info("demo mailbox", "err", err)
		s.message(w, r, http.StatusNotFound, "site.notfound.title", "site.notfound.text")
		return
	}
	if image {
		n, err := strconv.Atoi(index)
		if err != nil || n < 0 || n >= len(l.Images) || strconv.Itoa(n) != index {
			s.message(w, r, http.StatusNotFound, "site.notfound.title", "site.notfound.text")
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(l.Images[n])
		return
	}
	d := mailboxData{Letter: &l, Parts: linkify(l.Text)}
	for i := range l.Images {
		d.Images = append(d.Images, fmt.Sprintf("/demo/posta/%s/%d", name, i))
	}
	s.render(w, r, http.StatusOK, "mail", "site.mailbox.title", d)
}

// readLetter opens one message of the mail folder.
func (s *server) readLetter(name string) (letter, error) {
	path := filepath.Join(s.opt.MailDir, name)
	fi, err := os.Lstat(path)
	if err != nil {
		return letter{}, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxMessage {
		return letter{}, fmt.Errorf("demo mailbox: %s is not a message file", name)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return letter{}, err
	}
	l, err := parseLetter(raw)
	l.Name = name
	return l, err
}

func (s *server) mailList(w http.ResponseWriter, r *http.Request) {
	entries, err := os.ReadDir(s.opt.MailDir)
	if err != nil && !os.IsNotExist(err) {
		s.fail(w, r, fmt.Errorf("demo mailbox: %w", err))
		return
	}
	type found struct {
		name string
		mod  time.Time
	}
	var files []found
	for _, e := range entries {
		if !e.Type().IsRegular() || !emlName.MatchString(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		files = append(files, found{e.Name(), info.ModTime()})
	}
	sort.Slice(files, func(i, j int) bool {
		if !files[i].mod.Equal(files[j].mod) {
			return files[i].mod.After(files[j].mod)
		}
		return files[i].name > files[j].name
	})
	if len(files) > 200 {
		files = files[:200]
	}
	var d mailboxData
	for _, f := range files {
		it := mailboxItem{Name: f.name, When: f.mod.Format("2006-01-02 15:04:05")}
		if l, err := s.readLetter(f.name); err == nil {
			it.Subject, it.To = l.Subject, l.To
		}
		d.Items = append(d.Items, it)
	}
	s.render(w, r, http.StatusOK, "mailbox", "site.mailbox.title", d)
}
