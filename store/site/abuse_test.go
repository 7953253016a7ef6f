package site

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/hub"
)

// TestPrefixKey: an IPv4 address is its own key, an IPv6 address its /64.
func TestPrefixKey(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff"},
		{"2001:db8:1:2:a:b:c:d", "2001:db8:1:2::"},
		{"fe80::1%eth0", "fe80::2"},
		{"::ffff:203.0.113.7", "203.0.113.7"},
	} {
		if prefixKey(tc.a) != prefixKey(tc.b) {
			t.Errorf("%s and %s: %q and %q, want one key", tc.a, tc.b, prefixKey(tc.a), prefixKey(tc.b))
		}
	}
	for _, tc := range []struct{ a, b string }{
		{"2001:db8:1:2::1", "2001:db8:1:3::1"},
		{"203.0.113.7", "203.0.113.8"},
		{"2001:db8::1", "203.0.113.7"},
	} {
		if prefixKey(tc.a) == prefixKey(tc.b) {
			t.Errorf("%s and %s: one key %q", tc.a, tc.b, prefixKey(tc.a))
		}
	}
}

// TestPostsLimitedPerIPv6Prefix: a visitor changing addresses within its
// /64 is one visitor; the next /64 is another.
func TestPostsLimitedPerIPv6Prefix(t *testing.T) {
	f := newFake()
	h := newSite(t, f, Options{})
	cookies, csrf := visit(t, h)
	bad := goodForm(csrf)
	bad.Del("gdpr")
	for i := 1; i <= 11; i++ {
		w := post(h, "/rezervare", bad, cookies, fmt.Sprintf("2001:db8:1:2:%x::%x", i, i))
		if i <= 10 && w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("post %d: %d", i, w.Code)
		}
		if i == 11 && w.Code != http.StatusTooManyRequests {
			t.Fatalf("post 11 from the same /64: %d, want 429", w.Code)
		}
	}
	if w := post(h, "/rezervare", bad, cookies, "2001:db8:1:3::1"); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("another /64 is limited too: %d", w.Code)
	}
}

// clock is a settable time for the site.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestRequestsHeldPerVisitor: a visitor (an IPv4 address, an IPv6 /64)
// makes at most RequestsPerVisitor booking requests within the office's
// confirmation window, whatever the e-mail addresses, so it holds at most
// that many slots unconfirmed (one address held ~150 by posting 10 a
// minute); requests the form or the hub refuses hold nothing and do not
// count; the count frees as the window passes.
func TestRequestsHeldPerVisitor(t *testing.T) {
	for _, tc := range []struct {
		name    string
		ips     func(i int) string
		confirm time.Duration
	}{
		{"IPv4", func(int) string { return "203.0.113.7" }, 15 * time.Minute},
		{"IPv6 /64", func(i int) string { return fmt.Sprintf("2001:db8:5:6:%x::1", i) }, 15 * time.Minute},
		{"30-minute window", func(int) string { return "203.0.113.9" }, 30 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			f.cal.ConfirmTimeout = calendar.Duration(tc.confirm)
			c := &clock{t: now}
			h := newSite(t, f, Options{Now: c.now, PostsPerMinute: 1000})
			cookies, csrf := visit(t, h)
			n := 0
			send := func(mutate func(url.Values)) *httpResult {
				n++
				form := goodForm(csrf)
				form.Set("email", fmt.Sprintf("p%d@example.ro", n))
				if mutate != nil {
					mutate(form)
				}
				w := post(h, "/rezervare", form, cookies, tc.ips(n))
				return &httpResult{w.Code, w.Header().Get("Retry-After"), w.Body.String()}
			}
			// Refused by the form, refused by the hub: nothing held.
			for range 6 {
				if r := send(func(v url.Values) { v.Set("name", "Ion2") }); r.code != http.StatusUnprocessableEntity {
					t.Fatalf("invalid form: %d", r.code)
				}
			}
			f.requestErr = hub.ErrSlotTaken
			for range 6 {
				if r := send(nil); r.code != http.StatusUnprocessableEntity {
					t.Fatalf("refused by the hub: %d", r.code)
				}
			}
			f.requestErr = nil
			for i := 1; i <= 5; i++ {
				if i == 3 {
					f.requestErr = hub.ErrPersonHasBooking // looks held, counts as held
				}
				if r := send(nil); r.code != http.StatusOK {
					t.Fatalf("request %d: %d", i, r.code)
				}
				f.requestErr = nil
				c.add(time.Minute)
			}
			r := send(nil)
			if r.code != http.StatusTooManyRequests || r.retry == "" || r.retry == "0" ||
				!strings.Contains(r.body, "De la această conexiune așteaptă deja confirmarea mai multe cereri") {
				t.Fatalf("request 6: %d, Retry-After %q\n%s", r.code, r.retry, r.body)
			}
			if len(f.requests) != 5+6 { // the hub's 6 refusals reached it
				t.Errorf("%d requests reached the hub, want 11", len(f.requests))
			}
			// The first request leaves the window when its confirmation lapses.
			c.add(tc.confirm - 5*time.Minute - time.Second)
			if r := send(nil); r.code != http.StatusTooManyRequests {
				t.Errorf("a second before the first request lapses: %d", r.code)
			}
			c.add(time.Second)
			if r := send(nil); r.code != http.StatusOK {
				t.Errorf("when the first request lapsed: %d", r.code)
			}
			if r := send(nil); r.code != http.StatusTooManyRequests {
				t.Errorf("then one more: %d", r.code)
			}
		})
	}
}

// httpResult is what a test keeps of an answer.
type httpResult struct {
	code  int
	retry string
	body  string
}

// TestNames: the form takes a person's name in one script and refuses
// what carries a message, a link, invisible characters or look-alike
// letters of another script, before asking the hub.
func TestNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"Ana Pop", true},
		{"Ștefan Țîrlea-Bălan", true},
		{"Ana-Maria O'Neil Ștefănescu", true},
		{"Ana-Maria O’Neil", true},
		{"Jean-Luc D. Dupré", true},
		{"Petőfi Sándor", true},
		{"Łukasz Żółć", true},
		{"Ion", true},
		{"Io", true},
		{"s\u0326tefan", true}, // a decomposed ș
		{"Иван Петров", false}, // identity cards print names in Latin letters
		{"Γιώργος Παπαδόπουλος", false},
		{strings.Repeat("a", 100), true},
		{strings.Repeat("a", 101), false},
		{"I", false},
		{"I.", false},
		{"- '.", false},
		{"Ion. URGENT: plata la https://x.example/card", false},
		{"Ion Pop 2", false},
		{"ana@pop", false},
		{"Ion/Pop", false},
		{"Ion: Pop", false},
		{"Maria Popescu\u200b", false},
		{"Maria \u202eucsepoP", false},
		{"\u041caria Popescu", false}, // a Cyrillic М
		{"Mаria", false},              // a Cyrillic а
		{"Ａｎａ Ｐｏｐ", false},            // fullwidth
		{"𝐀𝐧𝐚 𝐏𝐨𝐩", false},            // mathematical bold
		{"Ana\u0301\u0301\u0301 Pop", false},
		{"\u0301Ana", false},
		{"Ana <b>Pop</b>", false},
		{"Ana\tPop", false},
		{"王小明", false},
		{"Mɑria Pop", false}, // a Latin alpha, which reads as a
	} {
		if got := validName(tc.name); got != tc.ok {
			t.Errorf("validName(%q) = %v, want %v", tc.name, got, tc.ok)
		}
	}

	f := newFake()
	h := newSite(t, f, Options{})
	cookies, csrf := visit(t, h)
	for _, lang := range []string{"ro", "en"} {
		form := goodForm(csrf)
		form.Set("name", "Ion. URGENT: plata la https://x.example/card")
		form.Set("lang", lang)
		w := post(h, "/rezervare", form, cookies, "")
		want := map[string]string{"ro": "Scrieți numele și prenumele persoanei care vine, ca în actul de identitate: numai litere latine (cu diacritice)",
			"en": "Enter the full name of the person who will come, as on the identity card: only Latin letters (accents allowed)"}[lang]
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `<p class="error" id="err-name">`+want) {
			t.Errorf("%s: %d, no %q on the name\n%s", lang, w.Code, want, w.Body)
		}
	}
	if len(f.requests) != 0 {
		t.Errorf("the name reached the hub: %+v", f.requests)
	}
}

// TestConfirmTwice: the hub confirms a token once and gives its booking
// again when the button is pressed again; the site shows the confirmed
// booking each time (no 410), and says it when it was cancelled since.
func TestConfirmTwice(t *testing.T) {
	f := newFake()
	h := newSite(t, f, Options{})
	cookies, csrf := visit(t, h)
	form := url.Values{"csrf": {csrf}, "t": {token}}
	for i := 1; i <= 2; i++ {
		w := post(h, "/confirma", form, cookies, "")
		if body := w.Body.String(); w.Code != http.StatusOK || !strings.Contains(body, "Rezervarea este confirmată") ||
			!strings.Contains(body, "mar. 24 nov. 2026, 10:10") {
			t.Errorf("confirm %d: %d\n%s", i, w.Code, body)
		}
	}
	if f.confirms != 2 {
		t.Errorf("%d confirms reached the hub", f.confirms)
	}
	f.booking.Status = store.Cancelled
	w := post(h, "/confirma", form, cookies, "")
	if body := w.Body.String(); w.Code != http.StatusOK || strings.Contains(body, "Rezervarea este confirmată") ||
		!strings.Contains(body, "Această rezervare este deja anulată") {
		t.Errorf("confirm after cancelling: %d\n%s", w.Code, body)
	}
}

// TestCancelTooLate: once the appointment has begun, the cancel link's
// page and button say so (hub.ErrTooLate), in both languages.
func TestCancelTooLate(t *testing.T) {
	f := newFake()
	f.cancelErr = hub.ErrTooLate
	h := newSite(t, f, Options{})
	cookies, csrf := visit(t, h)
	for _, tc := range []struct{ lang, want string }{
		{"ro", "Ora programării a început sau a trecut, așa că rezervarea nu mai poate fi anulată."},
		{"en", "The appointment has begun or passed, so the booking can no longer be cancelled."},
	} {
		g := get(h, "/anuleaza?t="+token+"&lang="+tc.lang, nil)
		p := post(h, "/anuleaza", url.Values{"csrf": {csrf}, "t": {token}, "lang": {tc.lang}}, cookies, "")
		for method, w := range map[string]*httpResult{"GET": {g.Code, "", g.Body.String()}, "POST": {p.Code, "", p.Body.String()}} {
			if w.code != http.StatusConflict || !strings.Contains(w.body, tc.want) || strings.Contains(w.body, `name="t"`) {
				t.Errorf("%s %s: %d\n%s", method, tc.lang, w.code, w.body)
			}
		}
	}
}
