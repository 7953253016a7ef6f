// Package site is the citizen's booking site, served by the office hub on
// its own listener: the days of the booking window, a day's free slots and
// the request form, the GDPR notice, and the pages that confirm or cancel a
// booking from the links of the e-mails. It needs no JavaScript; its
// templates and style sheet are embedded (assets.Site), its texts are in
// assets/translations/site. Every form carries a CSRF token, posts are
// rate-limited per visitor (an IPv4 address, an IPv6 /64 and, at five
// times that, its /48) and per e-mail address, booking requests per
// visitor over the confirmation window, and no answer tells whether a
// person already holds a booking.
package site

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/assets"
	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/rules"
)

// Booker is what the site asks of the office hub; *hub.Hub implements it.
type Booker interface {
	// Office is the office's calendar and fees.
	Office(ctx context.Context) (calendar.Calendar, rules.Fees, error)
	// Taken counts, per slot start, the intake bookings and the live
	// requests between from and to.
	Taken(ctx context.Context, from, to time.Time) (map[time.Time]int, error)
	// Request holds the slot and queues the confirmation e-mail; its
	// errors are hub's Err* values and calendar's.
	Request(ctx context.Context, r hub.BookingRequest) error
	// Confirm turns the token's request into a booking and queues the
	// e-mail with the QR code (hub.ErrLapsed when it lapsed or was used).
	Confirm(ctx context.Context, token string) (store.Booking, error)
	// BookingByCancel is the booking a cancel token is for.
	BookingByCancel(ctx context.Context, token string) (store.Booking, error)
	// CancelByToken cancels the booking a cancel token is for.
	CancelByToken(ctx context.Context, token string) (store.Booking, error)
}

// Options tune the site; the zero value is a working site.
type Options struct {
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Secret keys the CSRF tokens; random when nil (forms then do not
	// survive a restart of the hub).
	Secret []byte
	// BaseURL is the site's public address (https://programari.example.ro);
	// an https one marks the cookies Secure behind a TLS proxy.
	BaseURL string
	// Demo marks every page as a demo (a banner on each) and serves the
	// demo mailbox at /demo/posta: the .eml messages of MailDir. A real
	// office's hub may write its mail to files too (MailDir set, Demo
	// false): those are citizens' messages and no page shows them.
	Demo    bool
	MailDir string
	// PostsPerMinute limits the forms a visitor posts (10 when 0).
	// RequestsPerHour limits the booking requests per e-mail address that
	// pass the form's checks (6 when 0: a parent books for a family).
	// RequestsPerVisitor limits the booking requests that pass the form's
	// checks a visitor makes within the office's confirmation window (at
	// least 15 minutes), which bounds the slots a visitor holds
	// unconfirmed at once (5 when 0). A visitor is an IPv4 address or an
	// IPv6 /64 (a home's or phone's prefix: one device has many of its
	// addresses); an IPv6 /48 may post 5 × PostsPerMinute. MaxTracked
	// bounds the keys each limit remembers (10,000 when 0).
	PostsPerMinute     int
	RequestsPerHour    int
	RequestsPerVisitor int
	MaxTracked         int
	// TrustForwarded takes the client's address from the last entry of
	// X-Forwarded-For, the one a TLS proxy in front of the site appends;
	// without a proxy it must stay false (a client would choose its own).
	TrustForwarded bool
	// RetentionDays is how long the office keeps a booking's data after
	// the visit, said on the GDPR page (store.DefaultRetention when 0).
	RetentionDays int
	// Contact is the office's address for data protection questions, said
	// on the GDPR page; none: the office's own counters.
	Contact string
	// Log receives one line per answer (path without query, status,
	// duration); slog.Default when nil.
	Log *slog.Logger
}

// MaxBody is the largest request body the site reads.
const MaxBody = 16 << 10

type server struct {
	b      Booker
	opt    Options
	secret []byte
	pages  map[string]*template.Template
	css    []byte
	perIP  *limiter // posts per visitor
	// perSite is posts per IPv6 /48 (a site's allocation: 65,536 /64s),
	// at wideFactor times the per-visitor rate; IPv4 has none.
	perSite *limiter
	perMail *limiter // booking requests per e-mail address
	held    *window  // booking requests per visitor within the confirmation window
}

// minHoldWindow is the shortest window RequestsPerVisitor counts over: the
// seeds' 15 minutes to confirm; an office that gives 30 gets 30.
const minHoldWindow = 15 * time.Minute

// New is the booking site for b.
func New(b Booker, opt Options) http.Handler {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.PostsPerMinute <= 0 {
		opt.PostsPerMinute = 10
	}
	if opt.RequestsPerHour <= 0 {
		opt.RequestsPerHour = 6
	}
	if opt.RequestsPerVisitor <= 0 {
		opt.RequestsPerVisitor = 5
	}
	if opt.MaxTracked <= 0 {
		opt.MaxTracked = 10000
	}
	if opt.RetentionDays <= 0 {
		opt.RetentionDays = store.DefaultRetention
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	s := &server{b: b, opt: opt, secret: opt.Secret,
		perIP:   newLimiter(opt.PostsPerMinute, time.Minute, opt.MaxTracked),
		perSite: newLimiter(wideFactor*opt.PostsPerMinute, time.Minute, opt.MaxTracked),
		perMail: newLimiter(opt.RequestsPerHour, time.Hour, opt.MaxTracked),
		held:    newWindow(opt.RequestsPerVisitor, opt.MaxTracked)}
	if len(s.secret) == 0 {
		s.secret = make([]byte, 32)
		rand.Read(s.secret)
	}
	s.pages = mustParse()
	s.css, _ = fs.ReadFile(assets.Site, "site/style.css")
	return s
}

// pageNames are the templates, each with the layout.
var pageNames = []string{"home", "day", "closed", "requested", "gdpr", "confirm", "confirmed", "cancel",
	"cancelled", "message", "mailbox", "mail"}

func mustParse() map[string]*template.Template {
	funcs := template.FuncMap{
		"t": func(l i18n.Lang, key string, kv ...any) string {
			args := map[string]string{}
			for i := 0; i+1 < len(kv); i += 2 {
				args[fmt.Sprint(kv[i])] = fmt.Sprint(kv[i+1])
			}
			return i18n.T(l, key, args)
		},
	}
	base := template.Must(template.New("base.html").Funcs(funcs).ParseFS(assets.Site, "site/base.html"))
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		out[name] = template.Must(template.Must(base.Clone()).ParseFS(assets.Site, "site/"+name+".html"))
	}
	return out
}

// ServeHTTP answers one request: security headers, the route, one log line.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	rec := &status{ResponseWriter: w, code: http.StatusOK}
	s.route(rec, r)
	s.opt.Log.Info("site", "method", r.Method, "path", r.URL.Path, "status", rec.code,
		"ms", time.Since(start).Milliseconds())
}

// status remembers the status code of an answer, for the log.
type status struct {
	http.ResponseWriter
	code int
}

func (s *status) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *server) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/":
		s.only(w, r, s.home, http.MethodGet)
	case p == "/static/style.css":
		s.only(w, r, s.style, http.MethodGet)
	case strings.HasPrefix(p, "/zi/"):
		s.only(w, r, s.day, http.MethodGet)
	case p == "/rezervare":
		s.only(w, r, s.request, http.MethodPost)
	case p == "/gdpr":
		s.only(w, r, s.gdpr, http.MethodGet)
	case p == "/confirma":
		s.only(w, r, s.confirm, http.MethodGet, http.MethodPost)
	case p == "/anuleaza":
		s.only(w, r, s.cancel, http.MethodGet, http.MethodPost)
	case s.hasMailbox() && (p == "/demo/posta" || strings.HasPrefix(p, "/demo/posta/")):
		s.only(w, r, s.mailbox, http.MethodGet)
	default:
		s.message(w, r, http.StatusNotFound, "site.notfound.title", "site.notfound.text")
	}
}

// only serves h for the given methods (GET takes HEAD too), 405 for the
// others; a POST passes the body limit, the client's rate limit and the
// CSRF check first.
func (s *server) only(w http.ResponseWriter, r *http.Request, h http.HandlerFunc, methods ...string) {
	m := r.Method
	if m == http.MethodHead {
		m = http.MethodGet
	}
	ok := false
	for _, want := range methods {
		ok = ok || m == want
	}
	if !ok {
		allow := strings.Join(methods, ", ")
		if strings.Contains(allow, http.MethodGet) {
			allow += ", " + http.MethodHead
		}
		w.Header().Set("Allow", allow)
		s.message(w, r, http.StatusMethodNotAllowed, "site.method.title", "site.method.text")
		return
	}
	if m == http.MethodPost && !s.guard(w, r) {
		return
	}
	h(w, r)
}

// guard admits a POST: no larger than MaxBody, within the client's rate,
// with the visitor's CSRF token. It answers the refusal itself.
func (s *server) guard(w http.ResponseWriter, r *http.Request) bool {
	if ok, wait := s.allowPost(clientIP(r, s.opt.TrustForwarded), s.opt.Now()); !ok {
		s.tooMany(w, r, wait)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.message(w, r, http.StatusRequestEntityTooLarge, "site.toolarge.title", "site.toolarge.text")
			return false
		}
		s.message(w, r, http.StatusBadRequest, "site.bad.title", "site.bad.text")
		return false
	}
	if !s.csrfOK(r) {
		s.message(w, r, http.StatusForbidden, "site.csrf.title", "site.csrf.text")
		return false
	}
	return true
}

func (s *server) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := max(1, int((wait+time.Second-1)/time.Second))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.message(w, r, http.StatusTooManyRequests, "site.limit.title", "site.limit.text")
}

// hasMailbox reports whether the site serves the demo mailbox: on a demo
// only, never because mail is written to files.
func (s *server) hasMailbox() bool { return s.opt.Demo && s.opt.MailDir != "" }

// wideFactor is how many visitors' posts an IPv6 /48 may send: one host
// takes a new /64 at will within its /48, so the /64 limit alone lets it
// post 65,536 times as much.
const wideFactor = 5

// allowPost takes a post of the client at addr at now from its limits:
// for IPv6 its /48's first, so that a host walking through the /64s of
// its /48 is stopped before each new /64 is remembered, then its /64's
// (a post its /64 refuses gives its /48's token back: one host over its
// limit does not use up its neighbours'); for IPv4 its address's.
func (s *server) allowPost(addr string, now time.Time) (bool, time.Duration) {
	wide, ok := siteKey(addr)
	if !ok {
		return s.perIP.allow(prefixKey(addr), now)
	}
	if ok, wait := s.perSite.allow(wide, now); !ok {
		return false, wait
	}
	ok, wait := s.perIP.allow(prefixKey(addr), now)
	if !ok {
		s.perSite.refund(wide)
	}
	return ok, wait
}

// siteKey is an IPv6 address's /48 (false for IPv4, IPv4-mapped IPv6, or
// no address).
func siteKey(addr string) (string, bool) {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return "", false
	}
	ip = ip.Unmap()
	if !ip.Is6() {
		return "", false
	}
	p, err := ip.WithZone("").Prefix(48)
	if err != nil {
		return "", false
	}
	return p.String(), true
}

// visitorKey is what the per-visitor limits count by: the client's IPv4
// address, or the /64 prefix of its IPv6 address (a host picks any address
// of its /64 at will, a privacy address a day or one a request).
func (s *server) visitorKey(r *http.Request) string {
	return prefixKey(clientIP(r, s.opt.TrustForwarded))
}

// prefixKey is an address's key for the limits: an IPv4 address (an
// IPv4-mapped IPv6 one too) whole, an IPv6 address's first 64 bits; what
// is no address, as it is.
func prefixKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, err := ip.WithZone("").Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

// clientIP is the address the request came from: the peer's, or with a
// trusted proxy the last address it put in X-Forwarded-For.
func clientIP(r *http.Request, forwarded bool) string {
	if fwd := r.Header.Values("X-Forwarded-For"); forwarded && len(fwd) > 0 {
		last := fwd[len(fwd)-1]
		if i := strings.LastIndexByte(last, ','); i >= 0 {
			last = last[i+1:]
		}
		if ip := net.ParseIP(strings.TrimSpace(last)); ip != nil {
			return ip.String()
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *server) style(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(s.css)
}

// The visitor's cookies: a random id the CSRF tokens are bound to, and the
// language chosen.
const (
	sidCookie  = "ghiseu_sid"
	langCookie = "ghiseu_lang"
)

var sidForm = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

func (s *server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.opt.BaseURL, "https://")
}

// visitor is the visitor's id, given a new cookie when they have none.
func (s *server) visitor(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(sidCookie); err == nil && sidForm.MatchString(c.Value) {
		return c.Value
	}
	var b [16]byte
	rand.Read(b[:])
	sid := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: sidCookie, Value: sid, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	return sid
}

// csrfToken is the token the visitor's forms carry: an HMAC of their id.
func (s *server) csrfToken(sid string) string {
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte("csrf\x00" + sid))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// csrfOK reports whether a posted form carries its visitor's token
// (compared in constant time).
func (s *server) csrfOK(r *http.Request) bool {
	c, err := r.Cookie(sidCookie)
	if err != nil || !sidForm.MatchString(c.Value) {
		return false
	}
	return hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(s.csrfToken(c.Value)))
}

// mailKey is what the per-address limit remembers of an e-mail address: a
// keyed hash, not the address.
func (s *server) mailKey(email string) string {
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte("mail\x00" + strings.ToLower(email)))
	return string(mac.Sum(nil))
}

// lang is the visitor's language: ?lang= (remembered in a cookie), the
// form's, the cookie's, an English browser's, else Romanian.
func (s *server) lang(w http.ResponseWriter, r *http.Request) i18n.Lang {
	if q := r.URL.Query().Get("lang"); q == "ro" || q == "en" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
		return i18n.Lang(q)
	}
	if r.PostForm != nil { // read by guard, within MaxBody; never read here
		if f := r.PostForm.Get("lang"); f == "ro" || f == "en" {
			return i18n.Lang(f)
		}
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "ro" || c.Value == "en") {
		return i18n.Lang(c.Value)
	}
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "en") {
		return i18n.English
	}
	return i18n.Romanian
}

// page is what the layout shows around a page's own data.
type page struct {
	Lang       i18n.Lang
	Title      string
	OfficeName string
	Demo       bool
	Mailbox    bool // the site has a demo mailbox
	InMailbox  bool // the page is the demo mailbox's
	CSRF       string
	Langs      []langLink
	Data       any
}

type langLink struct {
	Code, Name, Href string
	Current          bool
}

// render writes a page; here is the address its language links lead to
// (the page itself for a GET, "" for the home page).
func (s *server) render(w http.ResponseWriter, r *http.Request, code int, name, titleKey string, data any) {
	l := s.lang(w, r)
	sid := s.visitor(w, r)
	office := ""
	if cal, _, err := s.b.Office(r.Context()); err == nil {
		office = cal.OfficeName
	}
	p := page{Lang: l, Title: i18n.T(l, titleKey, nil), OfficeName: office, Demo: s.opt.Demo,
		Mailbox: s.hasMailbox(), InMailbox: strings.HasPrefix(r.URL.Path, "/demo/"),
		CSRF: s.csrfToken(sid), Data: data}
	for _, c := range []struct{ code, name string }{{"ro", "RO"}, {"en", "EN"}} {
		p.Langs = append(p.Langs, langLink{Code: c.code, Name: c.name, Href: s.here(r, c.code), Current: string(l) == c.code})
	}
	var buf strings.Builder
	if err := s.pages[name].ExecuteTemplate(&buf, "base", p); err != nil {
		s.opt.Log.Error("site template", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		fmt.Fprint(w, buf.String())
	}
}

// here is the address of the page in another language: the same GET
// address, or the home page after a POST (a form is not posted again).
func (s *server) here(r *http.Request, lang string) string {
	if r.Method == http.MethodPost {
		return "/?lang=" + lang
	}
	q := r.URL.Query()
	q.Set("lang", lang)
	return r.URL.Path + "?" + q.Encode()
}

// message is a page of one title and one sentence.
func (s *server) message(w http.ResponseWriter, r *http.Request, code int, title, text string) {
	s.render(w, r, code, "message", title, messageData{Text: text})
}

type messageData struct {
	Text string // a translation key
	Args []any
}
