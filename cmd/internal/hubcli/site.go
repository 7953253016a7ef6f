package hubcli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/mail"
	"github.com/ghiseu/ghiseu/store/site"
)

// siteFlags registers the flags of the booking site and its e-mail.
func siteFlags(fs *flag.FlagSet) {
	fs.String("site", "", "also serve the citizens' booking site on this address (plain HTTP: put a TLS proxy in front of it)")
	fs.String("site-url", "", "the booking site's public address, for the links in e-mails (default: http://ADDR of --site)")
	fs.String("mail-from", "", `the e-mails' sender: "SPCLEP Dumbrăvița <programari@example.ro>"`)
	fs.String("smtp", "", "send e-mail through this SMTP server, HOST:PORT")
	fs.String("smtp-user", "", "the SMTP user (its password: --smtp-password-file)")
	fs.String("smtp-password-file", "", "a file holding the SMTP password, or - for stdin")
	fs.Bool("smtp-plain", false, "talk to the SMTP server without STARTTLS (a relay on this host only)")
	fs.String("mail-dir", "", "the demo's mailbox: write each e-mail as an .eml file here, send nothing")
	fs.Bool("site-behind-proxy", false, "the site is reached through a reverse proxy: take the visitor's address from X-Forwarded-For (for the rate limits)")
}

// citizenSide is the booking site and the outbox behind it, as set by the
// flags; nil when --site is not given.
type citizenSide struct {
	addr   string
	outbox *mail.Outbox
	site   http.Handler
}

// newCitizenSide reads the site's flags and wires the site, the hub's
// letters and the outbox.
func newCitizenSide(h *hub.Hub, fs *flag.FlagSet, stdin io.Reader) (*citizenSide, error) {
	addr := str(fs, "site")
	if addr == "" {
		return nil, nil
	}
	ctx := context.Background()
	demo, err := h.IsDemo(ctx)
	if err != nil {
		return nil, err
	}
	sender, mailDir, err := mailSender(h, fs, stdin, demo)
	if err != nil {
		return nil, err
	}
	url, err := siteURL(addr, str(fs, "site-url"), demo, str(fs, "smtp") != "")
	if err != nil {
		return nil, err
	}
	from, err := mailFrom(ctx, h, fs)
	if err != nil {
		return nil, err
	}
	// ready (another process) writes its e-mails as this serve does.
	if given := str(fs, "mail-from"); given != "" {
		if err := h.DB.SetSetting(ctx, keyMailFrom, given); err != nil {
			return nil, err
		}
	}
	if err := h.DB.SetSetting(ctx, keySiteURL, url); err != nil {
		return nil, err
	}
	secret, err := h.SiteSecret(ctx)
	if err != nil {
		return nil, err
	}
	retention, err := h.DB.Retention(ctx)
	if err != nil {
		return nil, err
	}
	// The hub's clock stamps the queue; a server away for minutes must not
	// hold a confirmation past its 15 minutes: retries at most 5 minutes apart.
	outbox := &mail.Outbox{DB: h.DB, Sender: sender, Now: store.Now, MaxBackoff: 5 * time.Minute}
	h.Letters = hub.Letters{SiteURL: url, From: from, Queued: outbox.Kick}
	return &citizenSide{addr: addr, outbox: outbox,
		site: site.New(siteBooker{h}, site.Options{BaseURL: url, MailDir: mailDir, Demo: demo, Secret: secret,
			TrustForwarded: str(fs, "site-behind-proxy") == "true", RetentionDays: retention, Now: store.Now})}, nil
}

// siteURL is the site's public address, for the links in e-mails: given,
// or made of a loopback --site address (a demo on this PC). Links to
// 0.0.0.0 or a LAN address would reach no citizen, and a hub that e-mails
// real citizens (smtp) must be given it. A given address is an absolute
// http(s) URL, https unless its host is loopback or the hub a demo.
func siteURL(addr, given string, demo, smtp bool) (string, error) {
	if given != "" {
		u, err := url.Parse(given)
		switch {
		case err != nil || u.Host == "" || u.Hostname() == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
			u.Scheme != "https" && u.Scheme != "http":
			return "", fmt.Errorf("--site-url %q: an absolute http(s):// address, the one citizens open (https://programari.example.ro)", given)
		case u.Scheme == "http" && !demo && !loopback(u.Hostname()):
			return "", fmt.Errorf("--site-url %q: citizens' links must be https:// (plain http only for a demo or on this PC)", given)
		}
		return strings.TrimSuffix(given, "/"), nil
	}
	if smtp {
		return "", errors.New("--smtp e-mails real citizens: give --site-url, the address they open (https://programari.example.ro): the e-mails' links go there")
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--site: %w", err)
	}
	if !loopback(host) {
		return "", fmt.Errorf("--site %s: give --site-url, the address citizens open (https://programari.example.ro): the e-mails' links go there", addr)
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// loopback reports whether host is this PC only.
func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// mailFrom is the e-mails' sender: given, or made of the office's name.
func mailFrom(ctx context.Context, h *hub.Hub, fs *flag.FlagSet) (string, error) {
	if from := str(fs, "mail-from"); from != "" {
		return from, nil
	}
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return "", fmt.Errorf("no office yet: run ghiseu-hub init first (%w)", err)
	}
	return cal.OfficeName + " <programari@" + strings.ToLower(cal.Office) + ".invalid>", nil
}

// siteBooker is the hub as the site sees it: a request's confirmation
// token goes only to the e-mail address, never back to the browser (who
// holds the token holds the booking).
type siteBooker struct{ *hub.Hub }

// Request holds the slot and queues the confirmation e-mail.
func (b siteBooker) Request(ctx context.Context, r hub.BookingRequest) error {
	_, _, err := b.Hub.Request(ctx, r)
	return err
}

// mailSender is where e-mail goes: an SMTP server, or files (--mail-dir,
// or, for a demo hub without --smtp, beside the database).
func mailSender(h *hub.Hub, fs *flag.FlagSet, stdin io.Reader, demo bool) (mail.Sender, string, error) {
	server, dir := str(fs, "smtp"), str(fs, "mail-dir")
	switch {
	case server != "" && dir != "":
		return nil, "", errors.New("--smtp and --mail-dir: choose one")
	case dir != "":
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, "", fmt.Errorf("--mail-dir: %w", err)
		}
		return &mail.Dir{Path: dir}, dir, nil
	case server == "" && !demo:
		return nil, "", errors.New("--site sends e-mail: give --smtp HOST:PORT and --mail-from (or --mail-dir DIR to keep it in files; without --smtp only a demo hub writes it beside its database)")
	case server == "":
		dir = filepath.Join(filepath.Dir(h.DB.Path()), "mail")
		slog.Warn("no --smtp: the site's e-mail is written to files, as in the demo, and shown at /demo/posta", "dir", dir)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, "", fmt.Errorf("mail folder: %w", err)
		}
		return &mail.Dir{Path: dir}, dir, nil
	case str(fs, "mail-from") == "":
		return nil, "", errors.New(`--smtp needs --mail-from "Office <address@its-domain>": mail servers refuse a made-up sender`)
	}
	host, portText, err := net.SplitHostPort(server)
	if err != nil {
		return nil, "", fmt.Errorf("--smtp: %w", err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port <= 0 || port > 65535 {
		return nil, "", fmt.Errorf("--smtp: %q is not a port", portText)
	}
	s := &mail.SMTP{Host: host, Port: port, User: str(fs, "smtp-user")}
	if str(fs, "smtp-plain") == "true" {
		s.TLS = mail.TLSNone
	}
	if path := str(fs, "smtp-password-file"); path != "" {
		if s.Password, err = readSecret(path, stdin); err != nil {
			return nil, "", fmt.Errorf("--smtp-password-file: %w", err)
		}
	}
	if err := s.Check(); err != nil {
		return nil, "", fmt.Errorf("--smtp: %w", err)
	}
	return s, "", nil
}

// readSecret reads a one-line secret from a file, or from stdin for "-".
func readSecret(path string, stdin io.Reader) (string, error) {
	var raw []byte
	var err error
	if path == "-" {
		raw, err = io.ReadAll(io.LimitReader(stdin, 4096))
	} else {
		raw, err = os.ReadFile(path)
	}
	return strings.TrimRight(string(raw), "\r\n"), err
}

// run serves the site, delivers the outbox and deletes lapsed requests
// until ctx ends.
func (c *citizenSide) run(ctx context.Context, h *hub.Hub) error {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("--site: %w", err)
	}
	srv := &http.Server{Handler: c.site, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10,
		ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug)}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	go c.outbox.Run(ctx)
	slog.Info("booking site serving", "addr", ln.Addr().String())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// sweep deletes the requests not confirmed in time, once a minute, and
// the days past the retention, once an hour.
func sweep(ctx context.Context, h *hub.Hub) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for i := 0; ; i++ {
		if n, err := h.SweepLapsed(ctx); err != nil {
			slog.Warn("delete lapsed requests", "err", err)
		} else if n > 0 {
			slog.Info("lapsed requests deleted", "count", n)
		}
		if i%60 == 0 {
			if n, err := h.Purge(ctx); err != nil {
				slog.Warn("purge old days", "err", err)
			} else if n > 0 {
				slog.Info("old days purged", "bookings", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Settings keys: what serve was last given for the e-mails, for ready.
const (
	keyMailFrom = "hub_mail_from"
	keySiteURL  = "hub_site_url"
)

// storedLetters sets the hub's letters as serve writes them, for a
// command whose e-mail the running serve's outbox sends: the sender of
// --mail-from or the one serve was last given, and serve's site address.
// A demo hub without either writes as the office at an address of its own.
func storedLetters(ctx context.Context, h *hub.Hub, cal calendar.Calendar, fs *flag.FlagSet) error {
	demo, err := h.IsDemo(ctx)
	if err != nil {
		return err
	}
	from := str(fs, "mail-from")
	if from == "" {
		if from, err = h.DB.Setting(ctx, keyMailFrom); err != nil {
			return err
		}
	}
	if from == "" && demo {
		from = cal.OfficeName + " <programari@" + strings.ToLower(cal.Office) + ".invalid>"
	}
	url, err := h.DB.Setting(ctx, keySiteURL)
	if err != nil {
		return err
	}
	h.Letters.From, h.Letters.SiteURL = from, url
	return nil
}

// ready tells the hub a card is ready: it books the pickup and e-mails the
// citizen (sent by the running serve's outbox).
func ready(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error {
	if h == nil {
		fs.String("booking", "", "the application's booking ID")
		fs.String("mail-from", "", "the e-mail's sender (default: the one serve was last given)")
		fs.Bool("force", false, "the counters recorded no arrival at the booking, but the office took the application in (on paper, during an outage)")
		return nil
	}
	if err := needKey(h); err != nil {
		return err
	}
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return fmt.Errorf("no office yet: run ghiseu-hub init first (%w)", err)
	}
	if err := storedLetters(ctx, h, cal, fs); err != nil {
		return err
	}
	n, err := h.Ready(ctx, str(fs, "booking"), str(fs, "force") == "true")
	switch {
	case errors.Is(err, hub.ErrNoIntake):
		return fmt.Errorf("%w; if the office took the application in on paper, --force", err)
	case errors.Is(err, hub.ErrNoSender):
		return fmt.Errorf(`%w: give --mail-from "Office <address@its-domain>" (serve --site --mail-from keeps it for ready)`, err)
	case err != nil:
		return err
	}
	b := n.Pickup
	fmt.Fprintf(out, "pickup %s\t%s\t%s\tfrom %s\n", b.ID, b.SlotStart.In(cal.Location()).Format("2006-01-02 15:04"),
		rescode.ReferenceOf(b.Office, b.ID), n.From.In(cal.Location()).Format(time.DateOnly))
	if n.Emailed {
		fmt.Fprintln(out, "e-mail queued to the citizen (serve --site sends it)")
	} else {
		fmt.Fprintln(out, "no e-mail sent: no contact on file for this booking (made at the office): tell the citizen yourself")
	}
	return nil
}

// find lists the coming bookings in a name, for the office to cancel one
// made in a citizen's name by someone else. It prints no birth date and no
// e-mail address: a part of a name finds strangers too, and the clerk needs
// only the slot and the reference to cancel; --birth (read from the ID card
// the citizen shows) narrows to that person without showing others'.
func find(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error {
	if h == nil {
		fs.String("name", "", "the person's name, or parts of it, its words in any order")
		fs.String("birth", "", "only the person born on this day, YYYY-MM-DD")
		return nil
	}
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return fmt.Errorf("no office yet: run ghiseu-hub init first (%w)", err)
	}
	found, err := h.Find(ctx, str(fs, "name"), str(fs, "birth"))
	if err != nil {
		return err
	}
	if len(found) == 0 {
		fmt.Fprintln(out, "no booking matches")
		return nil
	}
	for _, b := range found {
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\n", b.ID, b.SlotStart.In(cal.Location()).Format("2006-01-02 15:04"), b.Kind, b.Status, b.Name,
			rescode.ReferenceOf(b.Office, b.ID))
	}
	return nil
}
