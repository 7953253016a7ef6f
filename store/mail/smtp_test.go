package mail

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The tests below talk to a real mail server process on loopback: Debian's
// python3-aiosmtpd (installed by ./dev.sh test) running testdata/smtpd.py.

const python = "/usr/bin/python3"

// needSMTPD skips the test when aiosmtpd is missing, except in CI, where
// it fails.
func needSMTPD(t *testing.T) {
	t.Helper()
	if err := exec.Command(python, "-c", "import aiosmtpd").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s lacks aiosmtpd (apt-get install python3-aiosmtpd): %v", python, err)
		}
		t.Skipf("skipped: %s lacks aiosmtpd; install Debian's python3-aiosmtpd (./dev.sh test does)", python)
	}
}

// smtpd is a mail server process that keeps what it takes in dir.
type smtpd struct {
	t    *testing.T
	port int
	dir  string
	args []string // certificate, key, user, password: as far as given
	cmd  *exec.Cmd
	log  bytes.Buffer // the server's own log, shown if the test fails
}

// newSMTPD reserves a port for a server; start starts it.
func newSMTPD(t *testing.T, args ...string) *smtpd {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &smtpd{t: t, port: port, dir: t.TempDir(), args: args}
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("mail server on port %d:\n%s", s.port, s.log.String())
		}
	})
	return s
}

// start runs the server and waits until it listens.
func (s *smtpd) start() {
	s.t.Helper()
	cmd := exec.Command(python, append([]string{"testdata/smtpd.py", strconv.Itoa(s.port), s.dir}, s.args...)...)
	cmd.Stderr = &s.log
	out, err := cmd.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.cmd = cmd
	ready := make(chan bool, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- strings.TrimSpace(line) == "ready"
	}()
	select {
	case ok := <-ready:
		if !ok {
			s.stop()
			s.t.Fatal("the mail server did not start")
		}
	case <-time.After(30 * time.Second):
		s.stop()
		s.t.Fatal("the mail server did not start in 30 s")
	}
}

// stop kills the server, if it runs.
func (s *smtpd) stop() {
	if s.cmd != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		s.cmd = nil
	}
}

// received is a message as the server took it.
type received struct {
	From string   `json:"from"`
	To   []string `json:"to"`
	TLS  bool     `json:"tls"`
	Auth bool     `json:"auth"`
	Raw  []byte   `json:"-"`
}

// received returns what the server took, oldest first.
func (s *smtpd) received() []received {
	s.t.Helper()
	names, err := filepath.Glob(filepath.Join(s.dir, "*.eml"))
	if err != nil {
		s.t.Fatal(err)
	}
	slices.Sort(names)
	var rs []received
	for _, n := range names {
		var r received
		meta, err := os.ReadFile(strings.TrimSuffix(n, ".eml") + ".json")
		if err == nil {
			err = json.Unmarshal(meta, &r)
		}
		if err == nil {
			r.Raw, err = os.ReadFile(n)
		}
		if err != nil {
			s.t.Fatal(err)
		}
		rs = append(rs, r)
	}
	return rs
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key,
// and returns their files and a pool that trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ghiseu test mail server"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600); err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// confirmation is a message like the one with the QR code.
func confirmation(to string) Message {
	return Message{From: "SPCLEP Dumbrăvița <programari@example.ro>", To: to,
		Subject: "Rezervarea dumneavoastră la ghișeul de buletine",
		Text:    "Bună ziua,\nprogramarea este confirmată.\n", HTML: "<p>Programarea este <b>confirmată</b>.</p>",
		Attachments: []Attachment{
			{Name: "rezervare.png", ContentType: "image/png", Data: png},
			{Name: "programare.ics", ContentType: "text/calendar; method=PUBLISH; charset=utf-8", Data: []byte(ics)},
		}}
}

// checkConfirmation parses a received message and checks it is msg.
func checkConfirmation(t *testing.T, raw []byte, msg Message) {
	t.Helper()
	p, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != msg.Subject || p.From != msg.From || p.To != msg.To ||
		p.Text != strings.ReplaceAll(msg.Text, "\n", "\r\n") || p.HTML != msg.HTML {
		t.Errorf("received %q from %q to %q, text %q, html %q", p.Subject, p.From, p.To, p.Text, p.HTML)
	}
	if len(p.Attachments) != len(msg.Attachments) {
		t.Fatalf("%d attachments, want %d", len(p.Attachments), len(msg.Attachments))
	}
	for i, a := range msg.Attachments {
		got := p.Attachments[i]
		if got.Name != a.Name || !strings.HasPrefix(a.ContentType, got.ContentType) || !bytes.Equal(got.Data, a.Data) {
			t.Errorf("attachment %d: %s %s (%d bytes), want %s %s (%d bytes)", i, got.Name, got.ContentType, len(got.Data),
				a.Name, a.ContentType, len(a.Data))
		}
	}
}

// TestSMTP sends through real mail servers: in clear, with STARTTLS, with
// STARTTLS and a password; and checks the refusals: no STARTTLS offered, an
// untrusted certificate, a password in clear, a wrong password, no
// password where one is needed, a refused recipient.
func TestSMTP(t *testing.T) {
	needSMTPD(t)
	cert, key, pool := selfSigned(t)
	servers := map[string]*smtpd{
		"plain": newSMTPD(t),
		"tls":   newSMTPD(t, cert, key),
		"auth":  newSMTPD(t, cert, key, "programari", "parolă-de-test"),
	}
	for _, s := range servers {
		s.start()
	}
	tests := []struct {
		name   string
		server string
		smtp   SMTP
		to     string
		err    error  // wanted error, nil for delivery
		errHas string // or wanted error text, when there is no error value
		tls    bool
		auth   bool
	}{
		{name: "clear", server: "plain", smtp: SMTP{TLS: TLSNone}, to: "ana@example.ro"},
		{name: "STARTTLS", server: "tls", smtp: SMTP{RootCAs: pool}, to: "ana@example.ro", tls: true},
		{name: "STARTTLS and AUTH PLAIN", server: "auth", smtp: SMTP{RootCAs: pool, User: "programari", Password: "parolă-de-test"},
			to: "ana@example.ro", tls: true, auth: true},
		{name: "STARTTLS, any certificate (tests only)", server: "tls", smtp: SMTP{InsecureSkipVerify: true}, to: "ion@example.ro", tls: true},
		{name: "STARTTLS required, not offered", server: "plain", smtp: SMTP{}, to: "ana@example.ro", err: ErrNoStartTLS},
		{name: "untrusted certificate", server: "tls", smtp: SMTP{}, to: "ana@example.ro", errHas: "certificate"},
		{name: "password in clear", server: "plain", smtp: SMTP{TLS: TLSNone, User: "programari", Password: "x"},
			to: "ana@example.ro", err: ErrCleartextAuth},
		{name: "wrong password", server: "auth", smtp: SMTP{RootCAs: pool, User: "programari", Password: "greșită"},
			to: "ana@example.ro", errHas: "535"},
		{name: "no password", server: "auth", smtp: SMTP{RootCAs: pool}, to: "ana@example.ro", errHas: "530"},
		{name: "refused recipient", server: "tls", smtp: SMTP{RootCAs: pool}, to: "refuse@example.ro", err: ErrRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := servers[tt.server]
			before := len(s.received())
			sender := tt.smtp
			sender.Host, sender.Port, sender.Timeout, sender.Hello = "127.0.0.1", s.port, 20*time.Second, "hub.example.ro"
			msg := confirmation(tt.to)
			raw, err := msg.Bytes(time.Now())
			if err != nil {
				t.Fatal(err)
			}
			err = sender.Send(context.Background(), "programari@example.ro", []string{tt.to}, raw)
			rs := s.received()
			if tt.err != nil || tt.errHas != "" {
				if err == nil || (tt.err != nil && !errors.Is(err, tt.err)) || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("error %v, want %v %q", err, tt.err, tt.errHas)
				}
				if len(rs) != before {
					t.Fatalf("the server took a message anyway")
				}
				if strings.Contains(err.Error(), "parol") || strings.Contains(err.Error(), "greș") {
					t.Errorf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != before+1 {
				t.Fatalf("the server has %d messages, want %d", len(rs), before+1)
			}
			r := rs[len(rs)-1]
			if r.From != "programari@example.ro" || !slices.Equal(r.To, []string{tt.to}) || r.TLS != tt.tls || r.Auth != tt.auth {
				t.Errorf("envelope %+v, want tls %v auth %v", r, tt.tls, tt.auth)
			}
			checkConfirmation(t, r.Raw, msg)
		})
	}
}

// TestOutboxOverSMTP: mail queued while the mail server is down is kept,
// retried, and delivered by the next process once the server is up; a
// server that goes away while the outbox runs gets its mail when it is back.
func TestOutboxOverSMTP(t *testing.T) {
	needSMTPD(t)
	ctx := context.Background()
	cert, key, pool := selfSigned(t)
	server := newSMTPD(t, cert, key, "programari", "parolă")
	sender := &SMTP{Host: "127.0.0.1", Port: server.port, RootCAs: pool, User: "programari", Password: "parolă", Timeout: 20 * time.Second}
	path := filepath.Join(t.TempDir(), "hub.db")

	// The server is down: the outbox retries and keeps everything.
	db := openDB(t, path)
	o := &Outbox{DB: db, Sender: sender, Backoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}
	stop := runOutbox(t, o)
	var sent []Message
	for _, to := range []string{"ana@example.ro", "ion@example.ro", "maria@example.ro"} {
		m := confirmation(to)
		if err := o.Enqueue(ctx, m); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, m)
	}
	waitFor(t, "retries with the server down", func() bool {
		due, err := db.DueMail(ctx, time.Now().Add(time.Hour), 10)
		return err == nil && len(due) == 3 && due[0].Attempts >= 2 && due[1].Attempts >= 2 && due[2].Attempts >= 2
	})
	stop()
	db.Close()

	// The server comes up; a new process on the same database delivers.
	server.start()
	db = openDB(t, path)
	o = &Outbox{DB: db, Sender: sender, Backoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}
	runOutbox(t, o)
	waitFor(t, "delivery once the server is up", func() bool { return pending(t, db) == 0 && len(server.received()) == 3 })
	rs := server.received()
	for _, m := range sent {
		i := slices.IndexFunc(rs, func(r received) bool { return r.To[0] == m.To })
		if i < 0 {
			t.Fatalf("nothing received for %s", m.To)
		}
		checkConfirmation(t, rs[i].Raw, m)
	}

	// The server goes away while the outbox runs, and comes back.
	server.stop()
	if err := o.Enqueue(ctx, confirmation("elena@example.ro")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a failed attempt", func() bool {
		due, err := db.DueMail(ctx, time.Now().Add(time.Hour), 10)
		return err == nil && len(due) == 1 && due[0].Attempts >= 1
	})
	server.start()
	waitFor(t, "delivery once the server is back", func() bool { return pending(t, db) == 0 && len(server.received()) == 4 })
}

// TestSMTPGivesUp: a server that accepts the connection and never answers
// holds Send no longer than its context or its timeout.
func TestSMTPGivesUp(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // silent until the test ends
		}
	}()
	port := l.Addr().(*net.TCPAddr).Port
	tests := []struct {
		name    string
		timeout time.Duration
		cancel  time.Duration
		want    error
	}{
		{"cancelled", time.Minute, 200 * time.Millisecond, context.Canceled},
		{"timed out", 200 * time.Millisecond, 0, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel > 0 {
				time.AfterFunc(tt.cancel, cancel)
			}
			s := &SMTP{Host: "127.0.0.1", Port: port, Timeout: tt.timeout}
			start := time.Now()
			err := s.Send(ctx, "a@example.ro", []string{"b@example.ro"}, []byte("x"))
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("gave up after %v", d)
			}
		})
	}
}

// TestSMTPCheck is the start-up check of a mail server's settings.
func TestSMTPCheck(t *testing.T) {
	tests := []struct {
		name string
		smtp SMTP
		err  error // nil: accepted; errCheck: refused with another error
	}{
		{"STARTTLS with a password", SMTP{Host: "mail.example.ro", User: "u", Password: "p"}, nil},
		{"clear without a password", SMTP{Host: "localhost", Port: 25, TLS: TLSNone}, nil},
		{"a password in clear", SMTP{Host: "localhost", TLS: TLSNone, User: "u", Password: "p"}, ErrCleartextAuth},
		{"no host", SMTP{}, errCheck},
		{"bad port", SMTP{Host: "h", Port: 70000}, errCheck},
		{"password without user", SMTP{Host: "h", Password: "p"}, errCheck},
	}
	for _, tt := range tests {
		err := tt.smtp.Check()
		switch {
		case tt.err == nil && err != nil, tt.err != nil && err == nil,
			tt.err != nil && tt.err != errCheck && !errors.Is(err, tt.err):
			t.Errorf("%s: %v, want %v", tt.name, err, tt.err)
		}
	}
}

// errCheck stands for any refusal in TestSMTPCheck.
var errCheck = errors.New("any refusal")

// TestPlainAuthNeedsTLS checks that the password is never given to a
// connection that is not encrypted, even to localhost.
func TestPlainAuthNeedsTLS(t *testing.T) {
	a := plainAuth{user: "u", password: "p"}
	if _, resp, err := a.Start(&smtp.ServerInfo{Name: "localhost", TLS: false, Auth: []string{"PLAIN"}}); !errors.Is(err, ErrCleartextAuth) || resp != nil {
		t.Errorf("without TLS: %q, %v", resp, err)
	}
	if mech, resp, err := a.Start(&smtp.ServerInfo{Name: "mail.example.ro", TLS: true, Auth: []string{"LOGIN", "PLAIN"}}); err != nil ||
		mech != "PLAIN" || string(resp) != "\x00u\x00p" {
		t.Errorf("with TLS: %s %q, %v", mech, resp, err)
	}
	if _, _, err := a.Start(&smtp.ServerInfo{Name: "mail.example.ro", TLS: true, Auth: []string{"CRAM-MD5"}}); err == nil {
		t.Error("PLAIN sent to a server that does not offer it")
	}
}
