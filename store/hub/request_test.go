package hub

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
)

// siteHub is a hub whose site sends e-mail, on Friday 20 November 2026 at
// noon, and the Monday after's slot at hh:mm.
func siteHub(t *testing.T, now *time.Time) (*Hub, func(hh, mm int) time.Time) {
	t.Helper()
	loc := calendar.Default().Location()
	*now = time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newHub(t, now)
	h.Letters = Letters{SiteURL: "https://p.example.ro", From: "Office <p@example.ro>"}
	return h, func(hh, mm int) time.Time { return time.Date(2026, 11, 23, hh, mm, 0, 0, loc) }
}

// TestRequestAgainReplaces: a citizen who mistyped the address asks again
// and gets the e-mail at once, at the same slot or another; the first
// request's link then reads as lapsed, and the new one confirms.
func TestRequestAgainReplaces(t *testing.T) {
	ctx := context.Background()
	var now time.Time
	h, at := siteHub(t, &now)
	ana := BookingRequest{Name: "Ana Pop", BirthDate: "1990-05-05", Reason: "expiry", Kind: store.Intake, Slot: at(8, 30), Email: "ana@exmaple.ro"}
	typo, _, err := h.Request(ctx, ana)
	if err != nil {
		t.Fatal(err)
	}
	queued(t, h, now)
	var token string
	for _, slot := range []time.Time{at(8, 30), at(9, 10)} { // capacity 1: her own request does not fill 08:30
		ana.Slot, ana.Email = slot, "ana@example.ro"
		if token, _, err = h.Request(ctx, ana); err != nil {
			t.Fatalf("asking again at %s: %v, want held", slot.Format("15:04"), err)
		}
		if got := queued(t, h, now); len(got) != 1 || !strings.Contains(got[0].To, "ana@example.ro") || !strings.Contains(got[0].Text, token) {
			t.Fatalf("asking again at %s: e-mails %+v, want one to the new address with the new link", slot.Format("15:04"), got)
		}
	}
	if _, err := h.Confirm(ctx, typo); !errors.Is(err, ErrLapsed) {
		t.Errorf("the replaced request's link: %v, want ErrLapsed", err)
	}
	b, err := h.Confirm(ctx, token)
	if err != nil || !b.SlotStart.Equal(at(9, 10)) {
		t.Fatalf("the last request: %+v, %v", b, err)
	}
	other := BookingRequest{Name: "Dan Ene", BirthDate: "1970-01-01", Reason: "expiry", Kind: store.Intake, Slot: at(8, 30)}
	if _, _, err := h.Request(ctx, other); err != nil {
		t.Errorf("the slot the replaced request held: %v, want it free", err)
	}
}

// TestNoticeToTheBookingsAddress: someone asking again for a person who
// has a confirmed booking gets no e-mail and the answer everyone gets,
// while the booking's own address is told, in the booking's language,
// with its day and time and how to cancel it; at most once a day.
func TestNoticeToTheBookingsAddress(t *testing.T) {
	ctx := context.Background()
	var now time.Time
	h, at := siteHub(t, &now)
	kicks := 0
	h.Letters.Queued = func() { kicks++ }
	for _, tt := range []struct {
		lang, name string
		asked      int // the stranger asks at 10:asked
		says       []string
	}{
		{"ro", "Ana Pop", 10, []string{"O cerere nouă de programare a fost făcută pentru Ana Pop",
			"O persoană poate avea o singură programare: dacă doriți altă oră, anulați-o întâi pe cea existentă din e-mailul ei",
			"luni, 23 noiembrie 2026", "08:30", "Anulează rezervarea"}},
		{"en", "Dan Ene", 30, []string{"A new booking request was made for Dan Ene", "Monday, 23 November 2026", "09:10", "Cancel booking"}},
	} {
		slot := at(8, 30)
		if tt.lang == "en" {
			slot = at(9, 10)
		}
		owner := BookingRequest{Name: tt.name, BirthDate: "1990-05-05", Reason: "expiry", Kind: store.Intake, Slot: slot,
			Email: tt.lang + "-owner@example.ro", Lang: tt.lang}
		token, _, err := h.Request(ctx, owner)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Confirm(ctx, token); err != nil {
			t.Fatal(err)
		}
		queued(t, h, now)
		start := now
		for i, step := range []struct {
			after  time.Duration
			notice bool
		}{{0, true}, {time.Minute, false}, {23 * time.Hour, false}, {25 * time.Hour, true}} {
			now = start.Add(step.after)
			again := owner
			again.Slot, again.Email, again.Lang = at(10, tt.asked), "stranger@example.ro", "en"
			kicks = 0
			if _, _, err := h.Request(ctx, again); !errors.Is(err, ErrPersonHasBooking) {
				t.Fatalf("%s %d: %v, want ErrPersonHasBooking", tt.lang, i, err)
			}
			got := queued(t, h, now)
			for _, m := range got {
				if strings.Contains(m.To, "stranger") {
					t.Errorf("%s %d: the requester got an e-mail: %q", tt.lang, i, m.Subject)
				}
			}
			if !step.notice {
				if len(got) != 0 {
					t.Errorf("%s %d: %d e-mails within the day, want none", tt.lang, i, len(got))
				}
				continue
			}
			if len(got) != 1 || !strings.Contains(got[0].To, owner.Email) || kicks == 0 {
				t.Fatalf("%s %d: e-mails %+v (kicks %d), want the notice to %s", tt.lang, i, got, kicks, owner.Email)
			}
			for _, s := range tt.says {
				if !strings.Contains(got[0].Text, s) {
					t.Errorf("%s %d: the notice lacks %q:\n%s", tt.lang, i, s, got[0].Text)
				}
			}
			if strings.Contains(got[0].Text, "1990") || strings.Contains(got[0].Text, "stranger") {
				t.Errorf("%s %d: the notice tells the birth date or the requester", tt.lang, i)
			}
		}
		now = start
	}
}

// TestAddressCapAtTheHub: one address books for a family of four, not
// more; the fifth request, however the address is written, gets the
// answer everyone gets and no e-mail, and the log says how many without
// the address or the name.
func TestAddressCapAtTheHub(t *testing.T) {
	ctx := context.Background()
	var now time.Time
	h, at := siteHub(t, &now)
	var log bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&log, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	names := []string{"Ana Pop", "Dan Pop", "Ion Pop", "Eva Pop", "Vlad Inventat"}
	addrs := []string{"fam@example.ro", "Fam@Example.ro", "FAM@EXAMPLE.RO", "fam@example.RO", "fAm@exAmple.ro"}
	for i, name := range names {
		r := BookingRequest{Name: name, BirthDate: "1980-01-01", Reason: "expiry", Kind: store.Intake,
			Slot: at(8, 30).Add(time.Duration(i) * 20 * time.Minute), Email: addrs[i]}
		token, _, err := h.Request(ctx, r)
		got := queued(t, h, now)
		if i < store.MaxPerAddress {
			if err != nil || len(got) != 1 {
				t.Fatalf("%d: %v, %d e-mails; want held with its e-mail", i, err, len(got))
			}
			if i%2 == 0 { // confirmed bookings and held requests count alike
				if _, err := h.Confirm(ctx, token); err != nil {
					t.Fatal(err)
				}
				queued(t, h, now)
			}
			continue
		}
		if !errors.Is(err, ErrAddressFull) || !errors.Is(err, ErrPersonHasBooking) || len(got) != 0 {
			t.Errorf("%d over the cap: %v, %d e-mails; want ErrAddressFull (an ErrPersonHasBooking) and none", i, err, len(got))
		}
	}
	line := log.String()
	if !strings.Contains(line, "bookings_and_requests=4") {
		t.Errorf("no count in the log: %q", line)
	}
	for _, private := range []string{"fam@", "FAM@", "fAm@", "Vlad", "1980"} {
		if strings.Contains(line, private) {
			t.Errorf("the log tells %q: %q", private, line)
		}
	}
}

// TestOfficeCancelMails: the office's cancel (ghiseu-hub cancel) e-mails a
// site booking's citizen, in the booking's language, that the office
// cancelled it and where to book again, and forgets the address; a
// booking made at the hub is only cancelled. A hub that knows no sender
// refuses to cancel a booking it must e-mail, and cancels nothing.
func TestOfficeCancelMails(t *testing.T) {
	ctx := context.Background()
	var now time.Time
	h, at := siteHub(t, &now)
	kicks := 0
	h.Letters.Queued = func() { kicks++ }
	for _, tt := range []struct {
		name, person, email, lang string
		hh, mm                    int
		says                      []string
	}{
		{"site, English", "Ana Pop", "ana@example.ro", "en", 8, 30, []string{
			"Your booking of Monday, 23 November 2026 at 08:30 was cancelled by the office", "You may book again at https://p.example.ro"}},
		{"site, Romanian", "Dan Pop", "dan@example.ro", "ro", 9, 10, []string{
			"Programarea dumneavoastră din luni, 23 noiembrie 2026, ora 09:10, a fost anulată de ghișeu",
			"Puteți face o nouă programare pe https://p.example.ro"}},
		{"at the hub", "Ion Pop", "", "", 9, 50, nil},
	} {
		r := BookingRequest{Name: tt.person, BirthDate: "1980-01-01", Reason: "expiry", Kind: store.Intake,
			Slot: at(tt.hh, tt.mm), Email: tt.email, Lang: tt.lang}
		h.Letters.From = "Office <p@example.ro>" // as the site's hub
		token, _, err := h.Request(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		b, err := h.Confirm(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		queued(t, h, now)
		kicks = 0
		h.Letters.From = "" // a hub that serve never told its sender
		mailed, err := h.Cancel(ctx, b.ID)
		if tt.email != "" {
			if !errors.Is(err, ErrNoSender) || mailed {
				t.Fatalf("%s: cancel without a sender: %v, mailed %v; want ErrNoSender", tt.name, err, mailed)
			}
			if st, _ := h.DB.BookingByID(ctx, b.ID); st.Status != store.Confirmed {
				t.Fatalf("%s: refused, yet the booking is %s", tt.name, st.Status)
			}
			h.Letters.From = "SPCLEP Dumbrăvița <p@example.ro>" // as ghiseu-hub cancel with serve's sender
			mailed, err = h.Cancel(ctx, b.ID)
		}
		if err != nil || mailed != (tt.email != "") {
			t.Fatalf("%s: %v, mailed %v", tt.name, err, mailed)
		}
		got := queued(t, h, now)
		if tt.email == "" {
			if len(got) != 0 {
				t.Errorf("%s: %d e-mails, want none", tt.name, len(got))
			}
		} else {
			if len(got) != 1 || !strings.Contains(got[0].To, tt.email) || kicks == 0 {
				t.Fatalf("%s: e-mails %+v, want one to %s", tt.name, got, tt.email)
			}
			for _, s := range tt.says {
				if !strings.Contains(got[0].Text, s) {
					t.Errorf("%s: the e-mail lacks %q:\n%s", tt.name, s, got[0].Text)
				}
			}
			if !strings.Contains(got[0].From, "SPCLEP Dumbrăvița") {
				t.Errorf("%s: from %q, want the office", tt.name, got[0].From)
			}
		}
		if st, _ := h.DB.BookingByID(ctx, b.ID); st.Status != store.Cancelled {
			t.Errorf("%s: status %s", tt.name, st.Status)
		}
		if _, err := h.DB.ContactOf(ctx, b.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: the contact is kept: %v", tt.name, err)
		}
	}
	if _, err := h.Cancel(ctx, "404"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown booking: %v, want ErrNotFound", err)
	}
}
