package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"slices"
	"strconv"
	"time"
)

// Sender delivers one message to its recipients. An error wrapping
// ErrRejected says the mail server refused the message or a recipient for
// good (a 5xx answer); any other error may pass if tried again.
type Sender interface {
	Send(ctx context.Context, from string, to []string, msg []byte) error
}

var (
	// ErrRejected says that the mail server answered a recipient or the
	// message with a permanent (5xx) refusal.
	ErrRejected = errors.New("mail server rejected the message")
	// ErrCleartextAuth refuses to send a password over a connection that is
	// not encrypted.
	ErrCleartextAuth = errors.New("refusing to send the mail password without TLS")
	// ErrNoStartTLS says that STARTTLS is required and the mail server does
	// not offer it.
	ErrNoStartTLS = errors.New("the mail server does not offer STARTTLS")
)

// TLSMode says how SMTP protects the connection.
type TLSMode int

const (
	// TLSRequired upgrades every connection with STARTTLS and verifies the
	// server's certificate; a server without STARTTLS gets nothing. It is
	// the zero value.
	TLSRequired TLSMode = iota
	// TLSNone talks in clear: only for a mail server on the same host or a
	// trusted network. No password is ever sent this way.
	TLSNone
)

// ParseTLSMode reads "starttls" (or "required") and "none".
func ParseTLSMode(s string) (TLSMode, error) {
	switch s {
	case "starttls", "required":
		return TLSRequired, nil
	case "none":
		return TLSNone, nil
	}
	return 0, fmt.Errorf("mail TLS %q: want starttls or none", s)
}

// SMTP sends through a mail server (submission), one connection per
// message.
type SMTP struct {
	Host     string        // the mail server's name (checked against its certificate)
	Port     int           // default 587
	TLS      TLSMode       // default TLSRequired
	User     string        // with Password: AUTH PLAIN, only after STARTTLS
	Password string        //
	Hello    string        // the name given in EHLO; default "localhost"
	Timeout  time.Duration // for the whole exchange; default 30 s

	// RootCAs replaces the system's certificate authorities (a private CA,
	// or tests). InsecureSkipVerify accepts any certificate: tests only.
	RootCAs            *x509.CertPool
	InsecureSkipVerify bool
}

// Send delivers msg from the envelope sender from to the recipients to. It
// gives up when ctx is done or the timeout passes.
func (s *SMTP) Send(ctx context.Context, from string, to []string, msg []byte) (err error) {
	if err := s.Check(); err != nil {
		return err
	}
	port, timeout, hello := s.Port, s.Timeout, s.Hello
	if port == 0 {
		port = 587
	}
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	if hello == "" {
		hello = "localhost"
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort(s.Host, strconv.Itoa(port))
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	// net/smtp knows no context: a deadline bounds every read and write,
	// and cancelling moves it to the past, which ends any that waits.
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	defer func() {
		switch {
		case err == nil:
		case ctx.Err() != nil:
			err = fmt.Errorf("smtp %s: %w (%v)", addr, ctx.Err(), err)
		case errors.Is(err, os.ErrDeadlineExceeded):
			// The connection's deadline passed a moment before the context's.
			err = fmt.Errorf("smtp %s: %w (%v)", addr, context.DeadlineExceeded, err)
		}
	}()

	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp %s: greeting: %w", addr, err)
	}
	defer c.Close()
	if err := c.Hello(hello); err != nil {
		return fmt.Errorf("smtp %s: EHLO: %w", addr, err)
	}
	if s.TLS == TLSRequired {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("smtp %s: %w", addr, ErrNoStartTLS)
		}
		if err := c.StartTLS(&tls.Config{ServerName: s.Host, RootCAs: s.RootCAs,
			InsecureSkipVerify: s.InsecureSkipVerify, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("smtp %s: STARTTLS: %w", addr, err)
		}
	}
	if s.User != "" {
		if err := c.Auth(plainAuth{user: s.User, password: s.Password}); err != nil {
			return fmt.Errorf("smtp %s: AUTH: %w", addr, err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("smtp %s: MAIL FROM: %w", addr, err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return fmt.Errorf("smtp %s: RCPT TO: %w", addr, permanent(err))
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp %s: DATA: %w", addr, permanent(err))
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp %s: DATA: %w", addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp %s: end of DATA: %w", addr, permanent(err))
	}
	// The message is taken: a failing QUIT changes nothing.
	c.Quit()
	return nil
}

// Check refuses a configuration that could never send, or would send a
// password in clear: call it at start-up, Send does too.
func (s *SMTP) Check() error {
	switch {
	case s.Host == "":
		return errors.New("smtp: no mail server host")
	case s.Port < 0 || s.Port > 65535:
		return fmt.Errorf("smtp: bad port %d", s.Port)
	case s.User != "" && s.TLS != TLSRequired:
		return fmt.Errorf("smtp: %w", ErrCleartextAuth)
	case s.User == "" && s.Password != "":
		return errors.New("smtp: a password without a user")
	}
	return nil
}

// permanent marks a 5xx answer as ErrRejected.
func permanent(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
		return fmt.Errorf("%w: %w", ErrRejected, err)
	}
	return err
}

// plainAuth is AUTH PLAIN that refuses to run without TLS, whatever the
// server's name (net/smtp's PlainAuth also allows cleartext to localhost).
type plainAuth struct{ user, password string }

func (a plainAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS {
		return "", nil, ErrCleartextAuth
	}
	if !slices.Contains(server.Auth, "PLAIN") {
		return "", nil, errors.New("the mail server does not offer AUTH PLAIN")
	}
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.password), nil
}

func (a plainAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected challenge from the mail server")
	}
	return nil, nil
}
