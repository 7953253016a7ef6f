package site

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/rules"
)

// TestReasonLabelsAgreeWithTheRules: for every reason and age band, the
// fee the form shows beside the reason is the one the rules give (and so
// the e-mail and the counter's verdict): the booking page's fee of an
// adult, a 16-year-old and a child of 10 booked for it is in the label,
// named by its age band where the bands differ. No reason's label names
// another reason's case (issue 12: "Expirare / schimbare stare civilă /
// preschimbare" showed a free card while the civil status reason costs 70
// lei, and put changes of data in the priority slots of expiring IDs).
func TestReasonLabelsAgreeWithTheRules(t *testing.T) {
	f := newFake()
	h := newSite(t, f, Options{})
	s := h.(*server)
	loc := f.cal.Location()
	slot := time.Date(2026, 11, 24, 10, 10, 0, 0, loc)
	bands := []struct{ key, born string }{
		{"site.fee.under_14", "2016-06-01"}, {"site.fee.minor", "2010-06-01"}, {"site.fee.adult", "1980-05-05"},
	}
	for _, l := range i18n.Langs {
		day := get(h, "/zi/2026-11-24?lang="+string(l), nil).Body.String()
		for _, reason := range rules.Reasons() {
			label := reasonLabel(l, reason, rules.DefaultFees)
			name := i18n.T(l, "reason."+reason, nil)
			if !strings.HasPrefix(label, name+" (") {
				t.Errorf("%s %s: label %q does not name the reason and its fee", l, reason, label)
			}
			if booked := f.cal.Booked(reason, false) == nil; booked != strings.Contains(day, `<option value="`+reason+`">`+label+`</option>`) {
				t.Errorf("%s %s: the day page's option is not %q", l, reason, label)
			}
			for _, other := range rules.Reasons() {
				if o := i18n.T(l, "reason."+other, nil); other != reason && strings.Contains(strings.ToLower(name), strings.ToLower(o)) {
					t.Errorf("%s: %q names %q", l, name, o)
				}
			}
			if cs := map[i18n.Lang]string{i18n.Romanian: "stare civil", i18n.English: "civil status"}[l]; reason != "civil_status_change" &&
				strings.Contains(strings.ToLower(name), cs) {
				t.Errorf("%s: %q speaks of a civil status change, which has its own reason and fee", l, name)
			}
			fees := map[int]bool{}
			for _, b := range bands {
				born, _ := time.Parse(time.DateOnly, b.born)
				if !rules.ReasonFitsAge(reason, born, slot) {
					continue
				}
				help := rules.For(reason, born, slot, rules.DefaultFees)
				fees[help.FeeLei] = true
				amount := i18n.T(l, "site.fee.free", nil)
				if help.FeeLei > 0 {
					amount = i18n.T(l, "site.fee.lei", map[string]string{"lei": fmt.Sprint(help.FeeLei)})
				}
				if !strings.Contains(label, amount) {
					t.Errorf("%s %s born %s: the rules' fee %q is not in %q", l, reason, b.born, amount, label)
				}
				// The booking's page (the confirmation) says the same fee.
				v := s.view(l, f.cal, rules.DefaultFees, store.Booking{Office: f.cal.Office, ID: "2026112401", SlotStart: slot,
					Kind: store.Intake, Reason: reason, BirthDate: b.born})
				free := strings.Split(i18n.T(l, "help.fee_free", map[string]string{"note": ""}), "(")[0]
				if help.FeeLei > 0 && !strings.Contains(v.Fee, amount) || help.FeeLei == 0 && !strings.HasPrefix(v.Fee, free) {
					t.Errorf("%s %s born %s: the booking page's fee %q, the label's %q", l, reason, b.born, v.Fee, amount)
				}
			}
			if len(fees) > 1 && !strings.Contains(label, i18n.T(l, "site.fee.under_14", map[string]string{"fee": ""})) {
				t.Errorf("%s %s: fees differ by age, the label does not say which: %q", l, reason, label)
			}
		}
	}
	if got := reasonLabel(i18n.Romanian, "lost", rules.DefaultFees); got != "Pierdere, furt sau deteriorare (70 de lei)" {
		t.Errorf("lost: %q", got)
	}
	if got := reasonLabel(i18n.Romanian, "expiry", rules.DefaultFees); got != "Expirarea actului de identitate (sub 14 ani: 70 de lei; de la 14 ani: gratuit)" {
		t.Errorf("expiry: %q", got)
	}
}

// TestPriorityReasons: of the reasons, an adult may take a priority slot
// only for an expiring ID; a 14-year-old for any reason (DOMAIN.md:
// priority slots are for expiring IDs and 14-year-olds).
func TestPriorityReasons(t *testing.T) {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	adult, fourteen := time.Date(1980, 5, 5, 0, 0, 0, 0, time.UTC), time.Date(2012, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, reason := range rules.Reasons() {
		if got := rules.PriorityCase(reason, adult, day); rules.ReasonFitsAge(reason, adult, day) && got != (reason == "expiry") {
			t.Errorf("%s, an adult: priority %v", reason, got)
		}
		if !rules.PriorityCase(reason, fourteen, day) {
			t.Errorf("%s, aged 14: no priority", reason)
		}
	}
}

// TestHomeCountsIntervals: with two places per interval the home page
// counts the intervals the citizen picks from, and says the places
// beside them (issue 12: "22 de intervale libere" for 12 intervals).
func TestHomeCountsIntervals(t *testing.T) {
	for _, tc := range []struct {
		capacity int
		ro, en   string
	}{
		{1, "12 intervale libere<", "12 free slots<"},
		{2, "12 intervale libere (22 de locuri)", "12 free slots (22 places)"},
	} {
		f := newFake()
		f.cal.Capacity = tc.capacity
		loc := f.cal.Location()
		f.taken[time.Date(2026, 11, 24, 9, 10, 0, 0, loc)] = tc.capacity // full
		if tc.capacity == 2 {
			f.taken[time.Date(2026, 11, 24, 9, 30, 0, 0, loc)] = 1 // one place left
			f.taken[time.Date(2026, 11, 24, 9, 50, 0, 0, loc)] = 1
		}
		h := newSite(t, f, Options{})
		for l, want := range map[string]string{"ro": tc.ro, "en": tc.en} {
			body := get(h, "/?lang="+l, nil).Body.String()
			i := strings.Index(body, `href="/zi/2026-11-24"`)
			if i < 0 || !strings.Contains(body[i:min(len(body), i+300)], want) {
				t.Errorf("capacity %d, %s: Tuesday does not say %q:\n%s", tc.capacity, l, want, body[max(0, i):min(len(body), i+300)])
			}
		}
	}
}

// TestFarDayKeepsTheForm: a day posted beyond the booking window (or
// refused by the hub as too far) gives the form back with what the
// citizen typed and one sentence, as the other refusals do.
func TestFarDayKeepsTheForm(t *testing.T) {
	for _, tc := range []struct {
		name    string
		hubErr  error
		edit    func(url.Values)
		reached bool
	}{
		{"beyond the window", calendar.ErrTooFar, func(url.Values) {}, true},
		{"beyond the window, an e-mail wrong too", nil, func(v url.Values) { v.Set("email", "ana.pop@") }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			f.requestErr = tc.hubErr
			h := newSite(t, f, Options{})
			cookies, csrf := visit(t, h)
			form := goodForm(csrf)
			form.Set("day", "2027-01-20")
			form.Set("name", "Ștefan Țîrlea-Bălan")
			form.Set("reason", "lost")
			tc.edit(form)
			w := post(h, "/rezervare", form, cookies, "10.1.2.3")
			body := w.Body.String()
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d:\n%s", w.Code, body)
			}
			for _, k := range []string{`value="Ștefan Țîrlea-Bălan"`, `value="1980-05-05"`, `<option value="lost" selected>`,
				`id="gdpr" name="gdpr" value="da" checked`, `value="` + form.Get("email") + `"`,
				`<p class="alert" id="err-form" role="alert">Ziua aleasă nu mai este în fereastra de programare (următoarele 30 de zile); alegeți altă zi.</p>`} {
				if !strings.Contains(body, k) {
					t.Errorf("lost %s:\n%s", k, body)
				}
			}
			if got := len(f.requests) > 0; got != tc.reached {
				t.Errorf("reached the hub: %v", got)
			}
		})
	}
}

// TestPostsLimitedPerIPv6Site: a client walking through the /64s of its
// /48 gets 5 × the per-visitor posts, then 429; another /48 and IPv4
// addresses (each its own) are not limited by it; a /64 over its own
// limit does not use up its /48's.
func TestPostsLimitedPerIPv6Site(t *testing.T) {
	f := newFake()
	h := newSite(t, f, Options{PostsPerMinute: 4})
	cookies, csrf := visit(t, h)
	bad := goodForm(csrf)
	bad.Del("gdpr")
	for i := 1; i <= 10; i++ { // one /64 over its limit: 4 pass, 6 refused, the /48's tokens given back
		w := post(h, "/rezervare", bad, cookies, "2001:db8:7:ffff::1")
		if want := map[bool]int{true: http.StatusUnprocessableEntity, false: http.StatusTooManyRequests}[i <= 4]; w.Code != want {
			t.Fatalf("post %d from one /64: %d, want %d", i, w.Code, want)
		}
	}
	for i := 1; i <= 17; i++ { // 16 more from new /64s: 20 in the /48
		w := post(h, "/rezervare", bad, cookies, fmt.Sprintf("2001:db8:7:%x::1", i))
		if i <= 16 && w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("post %d from a new /64 of the /48: %d", i, w.Code)
		}
		if i == 17 && w.Code != http.StatusTooManyRequests {
			t.Fatalf("post 21 from the /48: %d, want 429", w.Code)
		}
	}
	for _, ip := range []string{"2001:db8:8::1", "203.0.113.7", "203.0.113.8"} {
		if w := post(h, "/rezervare", bad, cookies, ip); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s is limited by another /48: %d", ip, w.Code)
		}
	}
}

// TestLimitsStayBounded: an attacker with many addresses (new /64s of one
// /48, many /48s, many IPv4 addresses) never makes either limit remember
// more than MaxTracked keys; the /64s of a /48 past its limit are not
// remembered at all.
func TestLimitsStayBounded(t *testing.T) {
	s := newSite(t, newFake(), Options{PostsPerMinute: 2, MaxTracked: 100}).(*server)
	at := now
	for i := range 5000 {
		s.allowPost(fmt.Sprintf("2001:db8:1:%x::1", i), at) // one /48
	}
	if n := s.perIP.size(); n > 5*2 {
		t.Errorf("one /48 made the /64 limit remember %d keys, want at most %d", n, 5*2)
	}
	for i := range 20000 {
		at = at.Add(time.Millisecond)
		switch i % 3 {
		case 0:
			s.allowPost(fmt.Sprintf("2001:db8:%x:%x::1", i, i), at)
		case 1:
			s.allowPost(fmt.Sprintf("2001:%x:%x::1", i, i), at)
		default:
			s.allowPost(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}).String(), at)
		}
		if s.perIP.size() > 100 || s.perSite.size() > 100 {
			t.Fatalf("after %d addresses: %d and %d keys, max 100", i, s.perIP.size(), s.perSite.size())
		}
	}
	if s.perSite.size() == 0 || s.perIP.size() == 0 {
		t.Error("the limits remember nothing")
	}
}
