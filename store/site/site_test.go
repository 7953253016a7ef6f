package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/rules"
)

// fakeBooker is a hub in memory: what the site asked, what it answers.
type fakeBooker struct {
	mu         sync.Mutex
	cal        calendar.Calendar
	taken      map[time.Time]int
	requestErr error
	confirmErr error
	cancelErr  error
	booking    store.Booking
	requests   []hub.BookingRequest
	confirms   int
	cancels    int
	lookups    int
}

func (f *fakeBooker) Office(context.Context) (calendar.Calendar, rules.Fees, error) {
	return f.cal, rules.DefaultFees, nil
}

func (f *fakeBooker) Taken(_ context.Context, from, to time.Time) (map[time.Time]int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[time.Time]int{}
	for t, n := range f.taken {
		if !t.Before(from) && t.Before(to) {
			out[t.UTC()] = n // another location than the calendar's: the site must not care
		}
	}
	return out, nil
}

func (f *fakeBooker) Request(_ context.Context, r hub.BookingRequest) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r)
	return f.requestErr
}

func (f *fakeBooker) Confirm(context.Context, string) (store.Booking, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.confirms++
	return f.booking, f.confirmErr
}

func (f *fakeBooker) BookingByCancel(context.Context, string) (store.Booking, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lookups++
	return f.booking, f.cancelErr
}

func (f *fakeBooker) CancelByToken(context.Context, string) (store.Booking, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cancels++
	b := f.booking
	b.Status = store.Cancelled
	return b, f.cancelErr
}

// now is Monday 23 November 2026, 09:05 at the office.
var now = time.Date(2026, 11, 23, 9, 5, 0, 0, mustLoc("Europe/Bucharest"))

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

const token = "0123456789abcdef0123456789abcdef"

func newFake() *fakeBooker {
	cal := calendar.Default()
	cal.Validate()
	cal.Address = "Str. Petőfi Sándor nr. 31, Dumbrăvița"
	cal.Priority = calendar.Week{"tue": {{Start: 8*60 + 30, End: 9*60 + 10}}}
	loc := cal.Location()
	return &fakeBooker{cal: cal, taken: map[time.Time]int{
		time.Date(2026, 11, 24, 9, 10, 0, 0, loc): 1, // Tuesday 09:10 is taken
	}, booking: store.Booking{ID: "2026112401", Office: cal.Office, Day: "2026-11-24",
		SlotStart: time.Date(2026, 11, 24, 10, 10, 0, 0, loc), SlotMinutes: 20, Kind: store.Intake,
		Name: "Ana Pop", Reason: "expiry", BirthDate: "1980-05-05", Status: store.Confirmed}}
}

func newSite(t *testing.T, f *fakeBooker, opt Options) http.Handler {
	t.Helper()
	if opt.Now == nil {
		opt.Now = func() time.Time { return now }
	}
	opt.Secret = []byte("test secret")
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
	}
	return New(f, opt)
}

func do(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func get(h http.Handler, path string, cookies []*http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return do(h, r)
}

func post(h http.Handler, path string, form url.Values, cookies []*http.Cookie, ip string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if ip != "" {
		r.RemoteAddr = net.JoinHostPort(ip, "40000")
	}
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return do(h, r)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// visit opens a day's page as a new visitor: their cookies and CSRF token.
func visit(t *testing.T, h http.Handler) ([]*http.Cookie, string) {
	t.Helper()
	w := get(h, "/zi/2026-11-24", nil)
	m := csrfField.FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || m == nil {
		t.Fatalf("day page: %d, no CSRF field:\n%s", w.Code, w.Body)
	}
	return w.Result().Cookies(), m[1]
}

func goodForm(csrf string) url.Values {
	return url.Values{"csrf": {csrf}, "day": {"2026-11-24"}, "slot": {"10:10"}, "email": {"ana.pop@example.ro"},
		"name": {"Ana   Pop"}, "reason": {"expiry"}, "birth": {"1980-05-05"}, "gdpr": {"da"}}
}

var untranslated = regexp.MustCompile(`\b(site|reason|help|doc|fee|escort)\.[a-z_]+`)

func TestPagesRenderInBothLanguages(t *testing.T) {
	dir := t.TempDir()
	writeMail(t, dir, "0001-confirm.eml", "Confirmă rezervarea")
	f := newFake()
	h := newSite(t, f, Options{Demo: true, MailDir: dir})
	for _, path := range []string{"/", "/zi/2026-11-24", "/zi/2026-11-30", "/zi/2027-05-01", "/gdpr",
		"/confirma?t=" + token, "/anuleaza?t=" + token, "/demo/posta", "/demo/posta/0001-confirm.eml", "/nu-exista"} {
		for _, lang := range []string{"ro", "en"} {
			t.Run(path+" "+lang, func(t *testing.T) {
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				w := get(h, path+sep+"lang="+lang, nil)
				body := w.Body.String()
				want := http.StatusOK
				if path == "/nu-exista" {
					want = http.StatusNotFound
				}
				if w.Code != want {
					t.Fatalf("status %d, want %d", w.Code, want)
				}
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("no <html lang=%q>", lang)
				}
				if m := untranslated.FindString(body); m != "" {
					t.Errorf("untranslated key %q in the page", m)
				}
				if strings.Contains(body, "<script") || strings.Contains(body, "style=") || strings.Contains(body, " on") && regexp.MustCompile(`\son[a-z]+=`).MatchString(body) {
					t.Errorf("script, inline style or handler in the page")
				}
				if got := w.Header().Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control %q", got)
				}
				if c := w.Result().Cookies(); !hasCookie(c, langCookie, lang) {
					t.Errorf("the language is not remembered: %v", c)
				}
			})
		}
	}
}

func hasCookie(cs []*http.Cookie, name, value string) bool {
	for _, c := range cs {
		if c.Name == name && c.Value == value {
			return true
		}
	}
	return false
}

func TestLanguageFromCookieAndBrowser(t *testing.T) {
	h := newSite(t, newFake(), Options{})
	for _, tc := range []struct {
		cookie, accept, want string
	}{{"", "", "ro"}, {"en", "", "en"}, {"ro", "en-GB,en", "ro"}, {"", "en-US,en;q=0.9", "en"}, {"", "ro-RO", "ro"}, {"xx", "", "ro"}} {
		r := httptest.NewRequest(http.MethodGet, "/gdpr", nil)
		if tc.cookie != "" {
			r.AddCookie(&http.Cookie{Name: langCookie, Value: tc.cookie})
		}
		r.Header.Set("Accept-Language", tc.accept)
		if body := do(h, r).Body.String(); !strings.Contains(body, `<html lang="`+tc.want+`">`) {
			t.Errorf("cookie %q, Accept-Language %q: not in %s", tc.cookie, tc.accept, tc.want)
		}
	}
}

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	h := newSite(t, newFake(), Options{})
	for _, r := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/", nil),
		httptest.NewRequest(http.MethodGet, "/static/style.css", nil),
		httptest.NewRequest(http.MethodGet, "/nu-exista", nil),
		httptest.NewRequest(http.MethodDelete, "/", nil),
		httptest.NewRequest(http.MethodPost, "/rezervare", strings.NewReader("a=b")),
	} {
		w := do(h, r)
		for k, want := range map[string]string{
			"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
			"X-Frame-Options":         "DENY",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
		} {
			if got := w.Header().Get(k); got != want {
				t.Errorf("%s %s: %s = %q, want %q", r.Method, r.URL, k, got, want)
			}
		}
	}
}

func TestHomeShowsTheWindow(t *testing.T) {
	f := newFake()
	loc := f.cal.Location()
	for _, s := range f.cal.Slots(time.Date(2026, 11, 25, 12, 0, 0, 0, loc), false) {
		f.taken[s] = 1 // Wednesday is full
	}
	body := get(newSite(t, f, Options{}), "/", nil).Body.String()
	for _, tc := range []struct {
		day  string
		link bool
		note string
	}{
		{"2026-11-23", true, "intervale libere"},    // today, from 09:10 on
		{"2026-11-24", true, "12 intervale libere"}, // 13 slots, 09:10 taken
		{"2026-11-25", false, "complet"},
		{"2026-11-27", false, "fără programări"}, // Friday: pickups only
		{"2026-11-29", false, "fără programări"}, // Sunday
		{"2026-11-30", false, "închis: Sfântul Andrei"},
		{"2026-12-01", false, "închis: Ziua Națională"},
		{"2026-12-23", true, "intervale libere"}, // the 30th day
		{"2026-12-24", false, ""},                // beyond the window: not listed
	} {
		linked := strings.Contains(body, `href="/zi/`+tc.day+`"`)
		if linked != tc.link {
			t.Errorf("%s: linked %v, want %v", tc.day, linked, tc.link)
		}
		if tc.note != "" && !regexp.MustCompile(dayLabel(tc.day)+`[^<]*</span> <span class="n">[^<]*`+regexp.QuoteMeta(tc.note)).MatchString(body) {
			t.Errorf("%s: no %q", tc.day, tc.note)
		}
	}
	for _, want := range []string{"Str. Petőfi Sándor nr. 31", "08:30–13:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
}

// dayLabel is the Romanian label's day of the month and month ("30 nov.").
func dayLabel(day string) string {
	d, _ := time.Parse(time.DateOnly, day)
	months := []string{"ian", "feb", "mar", "apr", "mai", "iun", "iul", "aug", "sept", "oct", "nov", "dec"}
	return fmt.Sprintf(` %d %s`, d.Day(), months[d.Month()-1])
}

func TestDayPage(t *testing.T) {
	f := newFake()
	h := newSite(t, f, Options{})
	body := get(h, "/zi/2026-11-24", nil).Body.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`value="09:10" disabled>\s*<label for="slot-\d+"><span class="clock">09:10</span> <span class="note">ocupat</span>`),
		regexp.MustCompile(`value="08:30">\s*<label[^>]*><span class="clock">08:30</span> <span class="note">rezervat pentru cazuri prioritare \(`),
		regexp.MustCompile(`value="10:10">\s*<label[^>]*><span class="clock">10:10</span></label>`),
		regexp.MustCompile(`<option value="expiry">`),
		regexp.MustCompile(`<a href="/gdpr">`),
		regexp.MustCompile(`type="date" id="birth"`),
		regexp.MustCompile(`Solicită rezervare`),
	} {
		if !want.MatchString(body) {
			t.Errorf("day page lacks %s", want)
		}
	}
	for _, walkIn := range []string{"residence_mention", "cip_abroad", "cip_no_domicile"} {
		if strings.Contains(body, `value="`+walkIn+`"`) {
			t.Errorf("the form offers %s, not booked by appointment", walkIn)
		}
	}
	// Every input but the hidden ones has its label.
	for _, m := range regexp.MustCompile(`<(input|select)[^>]*>`).FindAllString(body, -1) {
		if strings.Contains(m, `type="hidden"`) {
			continue
		}
		id := regexp.MustCompile(`id="([^"]+)"`).FindStringSubmatch(m)
		if id == nil || !strings.Contains(body, `<label for="`+id[1]+`">`) {
			t.Errorf("no label for %s", m)
		}
	}
	for path, want := range map[string]int{
		"/zi/2026-11-30": http.StatusOK, // closed: a page that says so
		"/zi/2026-11-20": http.StatusOK, // past
		"/zi/2027-01-20": http.StatusOK, // beyond the window
		"/zi/2026-13-45": http.StatusNotFound,
		"/zi/azi":        http.StatusNotFound,
		"/zi/":           http.StatusNotFound,
	} {
		w := get(h, path, nil)
		if w.Code != want {
			t.Errorf("%s: %d, want %d", path, w.Code, want)
		}
		if want == http.StatusOK && (!strings.Contains(w.Body.String(), "Ziua nu se poate programa") || strings.Contains(w.Body.String(), "<form")) {
			t.Errorf("%s: no clear page:\n%s", path, w.Body)
		}
	}
}

func TestRequest(t *testing.T) {
	f := newFake()
	h := newSite(t, f, Options{})
	cookies, csrf := visit(t, h)
	w := post(h, "/rezervare", goodForm(csrf), cookies, "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Dacă această cerere poate fi onorată, veți primi un e-mail la ana.pop@example.ro") ||
		!strings.Contains(w.Body.String(), "Confirmați în 15 minute") {
		t.Fatalf("request: %d\n%s", w.Code, w.Body)
	}
	want := hub.BookingRequest{Name: "Ana Pop", BirthDate: "1980-05-05", Reason: "expiry", Kind: store.Intake,
		Slot: time.Date(2026, 11, 24, 10, 10, 0, 0, f.cal.Location()), Email: "ana.pop@example.ro", Lang: "ro"}
	if len(f.requests) != 1 || !f.requests[0].Slot.Equal(want.Slot) {
		t.Fatalf("requests %+v", f.requests)
	}
	got := f.requests[0]
	got.Slot = want.Slot
	if got != want {
		t.Errorf("request %+v, want %+v", got, want)
	}
}

func TestPersonHasBookingLooksLikeSuccess(t *testing.T) {
	bodies := map[bool]string{}
	for _, has := range []bool{false, true} {
		f := newFake()
		if has {
			f.requestErr = hub.ErrPersonHasBooking
		}
		h := newSite(t, f, Options{})
		cookies, csrf := visit(t, h)
		w := post(h, "/rezervare", goodForm(csrf), cookies, "")
		if w.Code != http.StatusOK {
			t.Fatalf("has booking %v: %d", has, w.Code)
		}
		bodies[has] = w.Body.String()
	}
	if bodies[false] != bodies[true] {
		t.Errorf("the answers differ:\n%s\n----\n%s", bodies[false], bodies[true])
	}
}

func TestFormKeepsValuesOnError(t *testing.T) {
	f := newFake()
	h := newSite(t, f, Options{})
	cookies, csrf := visit(t, h)
	for _, tc := range []struct {
		name, field, value, sentence string
	}{
		{"email", "email", "ana.pop@", "Scrieți o adresă de e-mail validă"},
		{"name", "name", "A", "Scrieți numele și prenumele"},
		{"reason", "reason", "cip_abroad", "Alegeți motivul eliberării din listă"},
		{"birth", "birth", "23.04.1985", "Scrieți data nașterii sub forma an-lună-zi"},
		{"birth future", "birth", "2030-01-01", "Data nașterii nu poate fi în viitor"},
		{"gdpr", "gdpr", "", "Bifați că ați citit nota de informare GDPR"},
		{"slot", "slot", "", "Alegeți o oră liberă"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := goodForm(csrf)
			form.Set(tc.field, tc.value)
			form.Set("name", "Ștefan Țîrlea-Bălan")
			if tc.field == "name" {
				form.Set("name", tc.value)
			}
			w := post(h, "/rezervare", form, cookies, "10.0.0."+fmt.Sprint(len(tc.name)))
			body := w.Body.String()
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d:\n%s", w.Code, body)
			}
			errID := "err-" + tc.field
			if !strings.Contains(body, `<p class="error" id="`+errID+`">`+tc.sentence) {
				t.Errorf("no %q next to the field", tc.sentence)
			}
			if !regexp.MustCompile(`aria-describedby="[^"]*\b` + errID + `"`).MatchString(body) {
				t.Errorf("the error is not tied to its field")
			}
			keep := []string{`value="ana.pop@example.ro"`, `value="1980-05-05"`, `<option value="expiry" selected>`,
				`value="10:10" checked`, `id="gdpr" name="gdpr" value="da" checked`, `value="Ștefan Țîrlea-Bălan"`}
			for _, k := range keep {
				if tc.field == "email" && strings.Contains(k, "example") || tc.field == "birth" && strings.Contains(k, "1980") ||
					tc.field == "reason" && strings.Contains(k, "expiry") || tc.field == "slot" && strings.Contains(k, "10:10") ||
					tc.field == "gdpr" && strings.Contains(k, "gdpr") || tc.field == "name" && strings.Contains(k, "Ștefan") {
					continue
				}
				if !strings.Contains(body, k) {
					t.Errorf("lost %s", k)
				}
			}
			if tc.field != "gdpr" && tc.field != "slot" && tc.field != "reason" && tc.value != "" && !strings.Contains(body, tc.value) {
				t.Errorf("the wrong value %q is not kept to be corrected", tc.value)
			}
		})
	}
	if len(f.requests) != 0 {
		t.Errorf("invalid forms reached the hub: %d", len(f.requests))
	}
}

func TestRefusalsShowTheFormAgain(t *testing.T) {
	for _, tc := range []struct {
		err      error
		field    string
		sentence string
	}{
		{hub.ErrSlotTaken, "slot", "Ora aleasă tocmai a fost ocupată"},
		{hub.ErrPriorityOnly, "slot", "Ora aleasă este rezervată pentru cazuri prioritare"},
		{calendar.ErrPast, "slot", "Ora aleasă a trecut"},
		{calendar.ErrClosed, "slot", "Ghișeul este închis"},
		{hub.ErrReasonAge, "reason", "Motivul ales nu se potrivește cu vârsta"},
		{hub.ErrCIPNotBooked, "reason", "Pentru acest motiv nu se face programare"},
		{hub.ErrCISUnder14, "reason", "Sub 14 ani nu se eliberează"},
		{hub.ErrBadRequest, "form", "Cererea este incompletă"},
		{hub.ErrBadEmail, "email", "Scrieți o adresă de e-mail validă"},
		{hub.ErrBadName, "name", "Scrieți numele și prenumele persoanei care vine, ca în actul de identitate"},
		{errors.New("disk full"), "form", "Cererea nu a putut fi înregistrată acum"},
	} {
		t.Run(tc.err.Error(), func(t *testing.T) {
			f := newFake()
			f.requestErr = tc.err
			h := newSite(t, f, Options{})
			cookies, csrf := visit(t, h)
			w := post(h, "/rezervare", goodForm(csrf), cookies, "")
			body := w.Body.String()
			if w.Code != http.StatusUnprocessableEntity || strings.Contains(body, "veți primi un e-mail") {
				t.Fatalf("status %d:\n%s", w.Code, body)
			}
			if !regexp.MustCompile(`id="err-` + tc.field + `"[^>]*>` + regexp.QuoteMeta(tc.sentence)).MatchString(body) {
				t.Errorf("no %q on %s:\n%s", tc.sentence, tc.field, body)
			}
			for _, k := range []string{`value="ana.pop@example.ro"`, `value="Ana Pop"`, `value="1980-05-05"`} {
				if !strings.Contains(body, k) {
					t.Errorf("lost %s", k)
				}
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	f := newFake()
	h := newSite(t, f, Options{})
	cookies, csrf := visit(t, h)
	other, otherCSRF := visit(t, h)
	for _, tc := range []struct {
		name    string
		cookies []*http.Cookie
		csrf    string
		want    int
	}{
		{"no cookie, no token", nil, "", http.StatusForbidden},
		{"no cookie", nil, csrf, http.StatusForbidden},
		{"no token", cookies, "", http.StatusForbidden},
		{"wrong token", cookies, flip(csrf), http.StatusForbidden},
		{"another visitor's token", cookies, otherCSRF, http.StatusForbidden},
		{"another visitor's cookie", other, csrf, http.StatusForbidden},
		{"right", cookies, csrf, http.StatusOK},
	} {
		for _, path := range []string{"/rezervare", "/confirma", "/anuleaza"} {
			form := goodForm(tc.csrf)
			form.Set("t", token)
			w := post(h, path, form, tc.cookies, "10.1.0."+fmt.Sprint(len(tc.name)))
			if w.Code != tc.want {
				t.Errorf("%s %s: %d, want %d", tc.name, path, w.Code, tc.want)
			}
		}
	}
	if len(f.requests) != 1 || f.confirms != 1 || f.cancels != 1 {
		t.Errorf("refused posts reached the hub: %d requests, %d confirms, %d cancels", len(f.requests), f.confirms, f.cancels)
	}
}

// flip is s with its first character changed.
func flip(s string) string {
	if s[0] == 'x' {
		return "y" + s[1:]
	}
	return "x" + s[1:]
}

func TestCookies(t *testing.T) {
	h := newSite(t, newFake(), Options{})
	r := httptest.NewRequest(http.MethodGet, "https://programari.example.ro/zi/2026-11-24", nil)
	w := do(h, r)
	var sid *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == sidCookie {
			sid = c
		}
	}
	if sid == nil || !sid.HttpOnly || !sid.Secure || sid.SameSite != http.SameSiteLaxMode || len(sid.Value) < 22 {
		t.Fatalf("visitor cookie %+v", sid)
	}
	w = do(h, httptest.NewRequest(http.MethodGet, "/", nil))
	for _, c := range w.Result().Cookies() {
		if c.Secure {
			t.Errorf("cookie %s Secure over plain HTTP", c.Name)
		}
	}
}

func TestRateLimits(t *testing.T) {
	t.Run("per client", func(t *testing.T) {
		f := newFake()
		h := newSite(t, f, Options{})
		cookies, csrf := visit(t, h)
		for i := 1; i <= 11; i++ {
			form := goodForm(csrf)
			form.Set("email", fmt.Sprintf("p%d@example.ro", i))
			form.Del("gdpr") // refused by the form: only the posts' limit counts it
			w := post(h, "/rezervare", form, cookies, "203.0.113.7")
			if i <= 10 && w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("post %d: %d", i, w.Code)
			}
			if i == 11 && (w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "") {
				t.Fatalf("post 11: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
			}
		}
		if w := post(h, "/rezervare", goodForm(csrf), cookies, "203.0.113.8"); w.Code != http.StatusOK {
			t.Errorf("another client is limited too: %d", w.Code)
		}
	})
	t.Run("per e-mail", func(t *testing.T) {
		f := newFake()
		h := newSite(t, f, Options{})
		cookies, csrf := visit(t, h)
		// Forms refused by the form's checks, or by the hub, do not use
		// up the address.
		for i := 1; i <= 8; i++ {
			form := goodForm(csrf)
			form.Set("email", "ana.pop@example.ro")
			form.Set("name", fmt.Sprintf("Ana Pop %d", i))
			if w := post(h, "/rezervare", form, cookies, fmt.Sprintf("198.51.99.%d", i)); w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("invalid form %d: %d", i, w.Code)
			}
		}
		f.requestErr = hub.ErrSlotTaken
		for i := 1; i <= 8; i++ {
			if w := post(h, "/rezervare", goodForm(csrf), cookies, fmt.Sprintf("198.51.98.%d", i)); w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("refused request %d: %d", i, w.Code)
			}
		}
		f.requestErr = nil
		f.requests = nil
		for i := 1; i <= 7; i++ {
			form := goodForm(csrf)
			form.Set("email", "Ana.Pop@example.ro")
			if i%2 == 0 {
				form.Set("email", "ana.pop@EXAMPLE.ro")
			}
			w := post(h, "/rezervare", form, cookies, fmt.Sprintf("198.51.100.%d", i))
			if i <= 6 && w.Code != http.StatusOK {
				t.Fatalf("request %d: %d", i, w.Code)
			}
			if i == 7 {
				retry := w.Header().Get("Retry-After")
				if w.Code != http.StatusTooManyRequests || retry == "" || retry == "0" {
					t.Fatalf("request 7: %d, Retry-After %q", w.Code, retry)
				}
			}
		}
		if len(f.requests) != 6 {
			t.Errorf("%d requests reached the hub, want 6", len(f.requests))
		}
	})
}

func TestLimiterIsBounded(t *testing.T) {
	l := newLimiter(2, time.Minute, 100)
	at := now
	for i := range 1000 {
		l.allow(fmt.Sprint("k", i), at)
		at = at.Add(time.Millisecond)
	}
	if n := l.size(); n > 100 {
		t.Errorf("limiter remembers %d keys, max 100", n)
	}
	// Keys are forgotten about two periods after their last use.
	l = newLimiter(3, time.Hour, 100)
	l.allow("mail", now)
	l.allow("other", now.Add(90*time.Minute))
	l.allow("other", now.Add(150*time.Minute))
	if _, kept := l.m["mail"]; kept {
		t.Errorf("a key unused for 2.5 periods is remembered")
	}
	// The bucket refills.
	l = newLimiter(2, time.Minute, 100)
	ok1, _ := l.allow("a", now)
	ok2, _ := l.allow("a", now)
	ok3, wait := l.allow("a", now)
	ok4, _ := l.allow("a", now.Add(wait))
	if !ok1 || !ok2 || ok3 || wait <= 0 || wait > 31*time.Second || !ok4 {
		t.Errorf("bucket: %v %v %v (wait %v) %v", ok1, ok2, ok3, wait, ok4)
	}
}

func TestBodyLimit(t *testing.T) {
	f := newFake()
	h := newSite(t, f, Options{})
	cookies, csrf := visit(t, h)
	form := goodForm(csrf)
	form.Set("name", strings.Repeat("A", 20<<10))
	if w := post(h, "/rezervare", form, cookies, ""); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 20 KiB form: %d, want 413", w.Code)
	}
	if len(f.requests) != 0 {
		t.Errorf("the large form reached the hub")
	}
}

func TestMethods(t *testing.T) {
	h := newSite(t, newFake(), Options{})
	for _, tc := range []struct {
		method, path, allow string
	}{
		{http.MethodDelete, "/", "GET, HEAD"},
		{http.MethodPost, "/", "GET, HEAD"},
		{http.MethodGet, "/rezervare", "POST"},
		{http.MethodPut, "/confirma", "GET, POST, HEAD"},
		{http.MethodPost, "/gdpr", "GET, HEAD"},
	} {
		w := do(h, httptest.NewRequest(tc.method, tc.path, nil))
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d, Allow %q", tc.method, tc.path, w.Code, w.Header().Get("Allow"))
		}
	}
	if w := do(h, httptest.NewRequest(http.MethodHead, "/", nil)); w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Errorf("HEAD /: %d, %d bytes", w.Code, w.Body.Len())
	}
}

func TestConfirmAndCancel(t *testing.T) {
	f := newFake()
	h := newSite(t, f, Options{})
	// GET (as a mail scanner follows links) changes nothing.
	for _, path := range []string{"/confirma?t=" + token, "/anuleaza?t=" + token} {
		w := get(h, path, nil)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<input type="hidden" name="t" value="`+token+`">`) {
			t.Errorf("GET %s: %d\n%s", path, w.Code, w.Body)
		}
	}
	if f.confirms != 0 || f.cancels != 0 {
		t.Fatalf("a GET confirmed (%d) or cancelled (%d)", f.confirms, f.cancels)
	}
	if f.lookups != 1 {
		t.Errorf("the cancel page did not show the booking")
	}
	cookies, csrf := visit(t, h)
	form := url.Values{"csrf": {csrf}, "t": {token}}
	body := post(h, "/confirma", form, cookies, "").Body.String()
	ref := rescode.ReferenceOf(f.booking.Office, f.booking.ID)
	for _, want := range []string{"Rezervarea este confirmată", "mar. 24 nov. 2026, 10:10", "SPCLEP Dumbrăvița", "Ana Pop", ref,
		"codul QR este pe drum", "Certificatul de naștere", "Taxă: nu"} {
		if !strings.Contains(body, want) {
			t.Errorf("confirmation lacks %q", want)
		}
	}
	if ref == "" || f.confirms != 1 {
		t.Errorf("reference %q, confirms %d", ref, f.confirms)
	}
	body = post(h, "/anuleaza", form, cookies, "").Body.String()
	if !strings.Contains(body, "a fost anulată; ora este din nou liberă") || f.cancels != 1 {
		t.Errorf("cancel: %d cancels\n%s", f.cancels, body)
	}
	for _, tc := range []struct {
		path string
		err  *error
		val  error
		want string
		code int
	}{
		{"/confirma", &f.confirmErr, hub.ErrLapsed, "a fost înlocuită de o cerere mai nouă pentru aceeași persoană", http.StatusGone},
		{"/anuleaza", &f.cancelErr, store.ErrNotFound, "Linkul de anulare nu mai este valabil", http.StatusNotFound},
		{"/anuleaza", &f.cancelErr, hub.ErrNoBooking, "Linkul de anulare nu mai este valabil", http.StatusNotFound},
		{"/confirma", &f.confirmErr, errors.New("db locked"), "încercați din nou", http.StatusInternalServerError},
	} {
		*tc.err = tc.val
		w := post(h, tc.path, form, cookies, "")
		if w.Code != tc.code || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("%s with %v: %d\n%s", tc.path, tc.val, w.Code, w.Body)
		}
		*tc.err = nil
	}
	// A token of the wrong form never reaches the hub.
	before := f.confirms
	form.Set("t", "../../etc")
	if w := post(h, "/confirma", form, cookies, ""); w.Code != http.StatusNotFound || f.confirms != before {
		t.Errorf("bad token: %d, confirms %d", w.Code, f.confirms)
	}
}

func TestNothingPersonalInTheLog(t *testing.T) {
	var log bytes.Buffer
	f := newFake()
	h := newSite(t, f, Options{Log: slog.New(slog.NewTextHandler(&log, nil))})
	cookies, csrf := visit(t, h)
	post(h, "/rezervare", goodForm(csrf), cookies, "")
	get(h, "/confirma?t="+token, cookies)
	post(h, "/confirma", url.Values{"csrf": {csrf}, "t": {token}}, cookies, "")
	f.requestErr = errors.New("boom")
	post(h, "/rezervare", goodForm(csrf), cookies, "")
	out := log.String()
	for _, secret := range []string{"ana.pop", "Ana", "1980", token, csrf} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "path=/confirma") || !strings.Contains(out, "status=200") {
		t.Errorf("the log lacks path and status:\n%s", out)
	}
}

// writeMail writes a demo message with a quoted-printable text part and a
// PNG attachment, as store/mail does.
func writeMail(t *testing.T, dir, name, subject string) string {
	t.Helper()
	msg := "From: =?utf-8?q?SPCLEP_Dumbr=C4=83vi=C8=9Ba?= <programari@example.ro>\r\n" +
		"To: ana.pop@example.ro\r\n" +
		"Subject: =?utf-8?q?" + strings.ReplaceAll(qEncode(subject), " ", "_") + "?=\r\n" +
		"Date: Mon, 23 Nov 2026 09:05:00 +0200\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n" +
		"--outer\r\n" +
		"Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n" +
		"--inner\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
		"Ap=C4=83sa=C8=9Bi: https://programari.example.ro/confirma?t=3D" + token + ".\r\n" +
		"--inner\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n\r\n" +
		"<p>html</p>\r\n" +
		"--inner--\r\n" +
		"--outer\r\n" +
		"Content-Type: image/png; name=\"qr.png\"\r\n" +
		"Content-Disposition: attachment; filename=\"qr.png\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" +
		"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlE\r\nQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n" +
		"--outer--\r\n"
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(msg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func qEncode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 0x80 && c != '=' && c != '?' && c != '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String()
}

func TestDemoMailbox(t *testing.T) {
	dir := t.TempDir()
	first := writeMail(t, dir, "0001-a.eml", "Confirmă rezervarea")
	second := writeMail(t, dir, "0002-b.eml", "Rezervarea dumneavoastră")
	os.Chtimes(first, now, now)
	os.Chtimes(second, now.Add(time.Minute), now.Add(time.Minute))
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600)
	secret := filepath.Join(t.TempDir(), "secret.eml")
	os.WriteFile(secret, []byte("Subject: secret\r\n\r\nsecret body"), 0o600)
	os.Symlink(secret, filepath.Join(dir, "link.eml"))
	h := newSite(t, newFake(), Options{Demo: true, MailDir: dir})

	list := get(h, "/demo/posta", nil).Body.String()
	a, b := strings.Index(list, "Confirmă rezervarea"), strings.Index(list, "Rezervarea dumneavoastră")
	if a < 0 || b < 0 || b > a {
		t.Errorf("the list is not newest first (%d, %d):\n%s", a, b, list)
	}
	for _, want := range []string{"DEMO – cutie poștală de test, nu e un serviciu real", "ana.pop@example.ro"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if strings.Contains(list, "notes.txt") || strings.Contains(list, "secret") {
		t.Errorf("the list shows a file that is no message")
	}
	msg := get(h, "/demo/posta/0001-a.eml", nil).Body.String()
	for _, want := range []string{"Apăsați: ", `<a href="https://programari.example.ro/confirma?t=` + token + `">`,
		`<img src="/demo/posta/0001-a.eml/0"`, "SPCLEP Dumbrăvița", "DEMO – cutie poștală"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message page lacks %q:\n%s", want, msg)
		}
	}
	img := get(h, "/demo/posta/0001-a.eml/0", nil)
	if img.Header().Get("Content-Type") != "image/png" || !bytes.HasPrefix(img.Body.Bytes(), []byte("\x89PNG")) {
		t.Errorf("attachment: %s, %q", img.Header().Get("Content-Type"), img.Body.Bytes()[:min(8, img.Body.Len())])
	}
	for _, path := range []string{"/demo/posta/../secret.eml", "/demo/posta/..%2F..%2Fsecret.eml", "/demo/posta/link.eml",
		"/demo/posta/notes.txt", "/demo/posta/0001-a.eml/1", "/demo/posta/0001-a.eml/-0", "/demo/posta/0001-a.eml/00",
		"/demo/posta/nu.eml", "/demo/posta/...eml", "/demo/posta/%2e%2e.eml"} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.URL.Path = path
		if u, err := url.PathUnescape(path); err == nil {
			r.URL.Path = u
		}
		w := do(h, r)
		if w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "secret body") {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
}

// TestMailboxOnlyOnADemo: the mailbox is served, linked and the DEMO banner
// shown only on a demo; a real office whose hub writes its mail to files
// (MailDir without Demo) shows neither the messages nor the banner.
func TestMailboxOnlyOnADemo(t *testing.T) {
	dir := t.TempDir()
	writeMail(t, dir, "0001-a.eml", "Confirmă rezervarea")
	for _, tc := range []struct {
		name            string
		opt             Options
		mailbox, banner bool
	}{
		{"demo with mail files", Options{Demo: true, MailDir: dir}, true, true},
		{"mail files of a real office", Options{MailDir: dir}, false, false},
		{"demo without mail files", Options{Demo: true}, false, true},
		{"real office", Options{}, false, false},
	} {
		h := newSite(t, newFake(), tc.opt)
		for _, path := range []string{"/demo/posta", "/demo/posta/0001-a.eml", "/demo/posta/0001-a.eml/0"} {
			w := get(h, path, nil)
			if got := w.Code == http.StatusOK; got != tc.mailbox {
				t.Errorf("%s: %s answers %d", tc.name, path, w.Code)
			}
			if !tc.mailbox && strings.Contains(w.Body.String(), "ana.pop@example.ro") {
				t.Errorf("%s: %s shows a message", tc.name, path)
			}
		}
		home := get(h, "/", nil).Body.String()
		if got := strings.Contains(home, `<p class="demo">`); got != tc.banner {
			t.Errorf("%s: DEMO banner %v, want %v", tc.name, got, tc.banner)
		}
		if got := strings.Contains(home, `href="/demo/posta"`); got != tc.mailbox {
			t.Errorf("%s: link to the mailbox %v, want %v", tc.name, got, tc.mailbox)
		}
	}
}

func TestClientBehindProxy(t *testing.T) {
	for _, tc := range []struct {
		forwarded bool
		header    []string
		want      string
	}{
		{false, nil, "192.0.2.1"},
		{false, []string{"203.0.113.9"}, "192.0.2.1"}, // no proxy: the header is the client's own word
		{true, nil, "192.0.2.1"},
		{true, []string{"203.0.113.9"}, "203.0.113.9"},
		{true, []string{"1.1.1.1, 203.0.113.9"}, "203.0.113.9"}, // the client wrote the first, the proxy the last
		{true, []string{"1.1.1.1", "2001:db8::1"}, "2001:db8::1"},
		{true, []string{"not an address"}, "192.0.2.1"},
	} {
		r := httptest.NewRequest(http.MethodPost, "/rezervare", nil)
		for _, h := range tc.header {
			r.Header.Add("X-Forwarded-For", h)
		}
		if got := clientIP(r, tc.forwarded); got != tc.want {
			t.Errorf("forwarded %v, %q: %s, want %s", tc.forwarded, tc.header, got, tc.want)
		}
	}
}

func TestPostedPagesInBothLanguages(t *testing.T) {
	for _, lang := range []string{"ro", "en"} {
		f := newFake()
		h := newSite(t, f, Options{})
		cookies, csrf := visit(t, h)
		bad := goodForm(csrf)
		bad.Set("email", "x")
		withToken := url.Values{"csrf": {csrf}, "t": {token}}
		for _, tc := range []struct {
			path string
			form url.Values
		}{{"/rezervare", goodForm(csrf)}, {"/rezervare", bad}, {"/confirma", withToken}, {"/anuleaza", withToken}} {
			tc.form.Set("lang", lang)
			w := post(h, tc.path, tc.form, cookies, "")
			body := w.Body.String()
			if !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s in %s: no <html lang>", tc.path, lang)
			}
			if m := untranslated.FindString(body); m != "" {
				t.Errorf("%s in %s: untranslated %q", tc.path, lang, m)
			}
			if w.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("%s in %s: cacheable", tc.path, lang)
			}
		}
		if f.requests[0].Lang != lang {
			t.Errorf("the request's language %q, want %q", f.requests[0].Lang, lang)
		}
	}
}

// countingReader counts what the site reads of a body.
type countingReader struct {
	n    int
	left int
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	k := min(len(p), c.left)
	for i := range p[:k] {
		p[i] = 'a'
	}
	c.n += k
	c.left -= k
	return k, nil
}

func TestRefusedPostsReadLittle(t *testing.T) {
	h := newSite(t, newFake(), Options{})
	for _, path := range []string{"/", "/gdpr", "/nu-exista", "/rezervare"} {
		body := &countingReader{left: 4 << 20}
		r := httptest.NewRequest(http.MethodPost, path, body)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := do(h, r)
		if w.Code < 400 || body.n > MaxBody+4096 {
			t.Errorf("POST %s: %d, read %d bytes", path, w.Code, body.n)
		}
	}
}
