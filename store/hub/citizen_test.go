package hub

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/draw"
	"image/png"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/decode"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/mail"
)

// queued reads and removes the hub's outbox, parsed.
func queued(t *testing.T, h *Hub, now time.Time) []mail.Parsed {
	t.Helper()
	due, err := h.DB.DueMail(context.Background(), now, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []mail.Parsed
	for _, q := range due {
		p, err := mail.Parse(q.Message)
		if err != nil {
			t.Fatal(err)
		}
		if p.To != q.Recipient && !strings.Contains(p.To, "<"+q.Recipient+">") {
			t.Errorf("envelope to %s, header To %s", q.Recipient, p.To)
		}
		out = append(out, p)
		h.DB.MailSent(context.Background(), q.ID)
	}
	return out
}

// qrText decodes the PNG attachment of a letter with the project's decoder.
func qrText(t *testing.T, p mail.Parsed) string {
	t.Helper()
	for _, a := range p.Attachments {
		if a.ContentType != "image/png" {
			continue
		}
		img, err := png.Decode(bytes.NewReader(a.Data))
		if err != nil {
			t.Fatal(err)
		}
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
		r, ok := decode.New().Still(g)
		if !ok {
			t.Fatal("the QR attachment does not decode")
		}
		return r.Text
	}
	t.Fatalf("no PNG attachment in %q", p.Subject)
	return ""
}

// TestCitizenFlow walks a booking made on the site: the request's e-mail
// with its confirmation link, the confirmed booking's e-mail with a QR
// that verifies as that booking, the cancel link working once, and the
// card-ready e-mail with the pickup's QR.
func TestCitizenFlow(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc) // a Friday
	h := newHub(t, &now)
	kicks := 0
	h.Letters = Letters{SiteURL: "https://programari.example.ro", From: "SPCLEP Dumbrăvița <programari@example.ro>", Queued: func() { kicks++ }}
	req := BookingRequest{Name: "Ana Ștefănescu", BirthDate: "1990-04-04", Reason: "expiry", Kind: store.Intake,
		Slot: time.Date(2026, 11, 23, 8, 30, 0, 0, loc), Email: "ana@example.ro", Lang: "ro"}

	bad := req
	bad.Email = "ana@example"
	if _, _, err := h.Request(ctx, bad); !errors.Is(err, ErrBadEmail) {
		t.Errorf("an address without a domain: %v, want ErrBadEmail", err)
	}
	token, _, err := h.Request(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	letters := queued(t, h, now)
	if len(letters) != 1 || !strings.Contains(letters[0].Text, "https://programari.example.ro/confirma?t="+token+"&lang=ro") {
		t.Fatalf("request e-mails %+v, want one with the confirmation link", letters)
	}

	b, err := h.Confirm(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	letters = queued(t, h, now)
	if len(letters) != 1 {
		t.Fatalf("%d e-mails after confirming, want 1", len(letters))
	}
	confirmed := letters[0]
	if got := qrText(t, confirmed); got != b.Code {
		t.Errorf("the QR reads %q, want the booking's code", got)
	}
	ring, err := h.DB.Keyring(ctx)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := rescode.Parse(b.Code, ring)
	if err != nil || claims.Office != "TM-DUMBRAVITA" || !claims.SlotStart.Equal(req.Slot) {
		t.Errorf("the code verifies as %+v, %v", claims, err)
	}
	if ref := rescode.ReferenceOf(b.Office, b.ID); !strings.Contains(confirmed.Text, ref) {
		t.Errorf("the e-mail lacks the reference %s", ref)
	}
	i := strings.Index(confirmed.Text, "/anuleaza?t=")
	if i < 0 {
		t.Fatal("the e-mail lacks the cancel link")
	}
	cancel := confirmed.Text[i+len("/anuleaza?t=") : i+len("/anuleaza?t=")+32]
	if !strings.Contains(confirmed.Text, "/anuleaza?t="+cancel+"&lang=ro") {
		t.Error("the cancel link does not say the e-mail's language")
	}
	if again, err := h.Confirm(ctx, token); err != nil || again.ID != b.ID {
		t.Errorf("the confirmation token again: %+v, %v; want the same booking", again, err)
	}
	if n, _, _ := h.DB.PendingMail(ctx); n != 0 {
		t.Errorf("confirming again queued %d e-mails, want none", n)
	}
	if got, err := h.BookingByCancel(ctx, cancel); err != nil || got.ID != b.ID {
		t.Fatalf("booking by cancel token: %+v, %v", got, err)
	}
	if _, err := h.CancelByToken(ctx, cancel); err != nil {
		t.Fatal(err)
	}
	if _, err := h.CancelByToken(ctx, cancel); !errors.Is(err, ErrNoBooking) {
		t.Errorf("the cancel token again: %v, want ErrNoBooking", err)
	}
	if got, _ := h.DB.BookingByID(ctx, b.ID); got.Status != store.Cancelled {
		t.Errorf("status %s after cancelling", got.Status)
	}
	if kicks < 2 {
		t.Errorf("the outbox was woken %d times, want one an e-mail", kicks)
	}
}

// TestCardReady: the ready notice books the pickup at the first pickup
// slot from the first day the card may be collected, e-mails its QR, and
// is not told twice.
func TestCardReady(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc) // a Friday
	h := newHub(t, &now)
	h.Letters = Letters{SiteURL: "https://p.example.ro", From: "Office <p@example.ro>"}
	token, _, err := h.Request(ctx, BookingRequest{Name: "Ion Pop", BirthDate: "1980-02-02", Reason: "expiry", Kind: store.Intake,
		Slot: time.Date(2026, 11, 23, 9, 10, 0, 0, loc), Email: "ion@example.ro", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	in, err := h.Confirm(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	queued(t, h, now)
	arrive(t, h, in)
	now = time.Date(2026, 12, 3, 10, 0, 0, 0, loc) // a Thursday: the card is ready
	n, err := h.Ready(ctx, in.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	p, from := n.Pickup, n.From
	// Two working days after Thursday's notice is Monday 7 Dec; the office
	// hands cards over only on Fridays: from Friday 11 Dec.
	wantFrom := time.Date(2026, 12, 11, 0, 0, 0, 0, loc)
	if !from.Equal(wantFrom) || p.Kind != store.Pickup || p.SlotStart.Before(from) || p.SlotStart.Weekday() != time.Friday {
		t.Errorf("pickup %v (from %v), want a Friday slot from %v", p.SlotStart, from, wantFrom)
	}
	letters := queued(t, h, now)
	if len(letters) != 1 || qrText(t, letters[0]) != p.Code {
		t.Fatalf("ready e-mails %d, want one with the pickup's QR", len(letters))
	}
	if _, err := h.Ready(ctx, in.ID, false); !errors.Is(err, ErrAnnounced) {
		t.Errorf("ready told twice: %v, want ErrAnnounced", err)
	}
	if _, err := h.Ready(ctx, p.ID, false); !errors.Is(err, ErrNotIntake) {
		t.Errorf("ready for a pickup: %v, want ErrNotIntake", err)
	}
	if _, err := h.Ready(ctx, "999", false); !errors.Is(err, ErrNoBooking) {
		t.Errorf("ready for no booking: %v, want ErrNoBooking", err)
	}
}

// TestNoAnswerTellsWhoHasABooking: a person who holds a booking gets what
// everyone gets from the site (the slot is held until the request lapses,
// only no e-mail goes out), and a full slot is refused whoever asks.
func TestNoAnswerTellsWhoHasABooking(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newHub(t, &now)
	h.Letters = Letters{SiteURL: "https://p.example.ro", From: "Office <p@example.ro>"}
	at := func(hh, mm int) time.Time { return time.Date(2026, 11, 23, hh, mm, 0, 0, loc) }
	ana := BookingRequest{Name: "Ana Pop", BirthDate: "1990-05-05", Reason: "expiry", Kind: store.Intake, Slot: at(8, 30), Email: "ana@example.ro"}
	token, _, err := h.Request(ctx, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Confirm(ctx, token); err != nil {
		t.Fatal(err)
	}
	queued(t, h, now)
	taken := func(slot time.Time) int {
		m, err := h.Taken(ctx, at(0, 0), at(23, 0))
		if err != nil {
			t.Fatal(err)
		}
		for s, n := range m {
			if s.Equal(slot) {
				return n
			}
		}
		return 0
	}
	again := ana
	again.Slot, again.Email = at(9, 10), "other@example.ro"
	if _, _, err := h.Request(ctx, again); !errors.Is(err, ErrPersonHasBooking) {
		t.Fatalf("the same person again: %v", err)
	}
	if taken(at(9, 10)) != 1 {
		t.Error("a request of a person who holds a booking left its slot free: the free places tell")
	}
	for _, m := range queued(t, h, now) { // only the booking's own address is told (store.Hold)
		if !strings.Contains(m.To, "ana@example.ro") {
			t.Errorf("an e-mail to %s for a person who holds a booking, want none", m.To)
		}
	}
	for _, who := range []BookingRequest{again, {Name: "Ion Nou", BirthDate: "1970-01-01", Reason: "expiry", Kind: store.Intake}} {
		who.Slot = at(8, 30) // full (capacity 1: Ana's)
		if _, _, err := h.Request(ctx, who); !errors.Is(err, ErrSlotTaken) {
			t.Errorf("%s at a full slot: %v, want ErrSlotTaken whoever asks", who.Name, err)
		}
	}
}

// TestOnePersonHowEverWritten: the one-booking rule reads the name's words
// whatever their order and punctuation, and a name must be a name.
func TestOnePersonHowEverWritten(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newHub(t, &now)
	slot := time.Date(2026, 11, 23, 8, 30, 0, 0, loc)
	token, _, err := h.Request(ctx, BookingRequest{Name: "Maria Popescu", BirthDate: "1985-03-03", Reason: "expiry", Kind: store.Intake, Slot: slot})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Confirm(ctx, token); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want error
	}{
		{"Popescu Maria", ErrPersonHasBooking},
		{"Maria-Popescu", ErrPersonHasBooking},
		{"Maria Popescu.", ErrPersonHasBooking},
		{"  maria   POPESCU ", ErrPersonHasBooking},
		{"Maria Popescu\u200b", ErrBadName},
		{"\u041caria Popescu", ErrBadName}, // a Cyrillic М
		{"Ion. URGENT: plata la https://x.example/card", ErrBadName},
		{"Ion Pop 2", ErrBadName},
		{"I", ErrBadName},
	}
	for i, tt := range tests {
		r := BookingRequest{Name: tt.name, BirthDate: "1985-03-03", Reason: "expiry", Kind: store.Intake, Slot: slot.Add(time.Duration(i+1) * 20 * time.Minute)}
		if _, _, err := h.Request(ctx, r); !errors.Is(err, tt.want) {
			t.Errorf("%q: %v, want %v", tt.name, err, tt.want)
		}
	}
	if found, err := h.Find(ctx, "popescu MARIA", ""); err != nil || len(found) != 1 || found[0].Name != "Maria Popescu" {
		t.Errorf("find the booking in Maria Popescu's name: %+v, %v", found, err)
	}
	if _, _, err := h.Request(ctx, BookingRequest{Name: "Ana-Maria O'Neil Ștefănescu", BirthDate: "1999-09-09", Reason: "expiry",
		Kind: store.Intake, Slot: slot.Add(4 * time.Hour)}); err != nil {
		t.Errorf("a Romanian name with a hyphen, an apostrophe and diacritics: %v", err)
	}
}

// TestTooLateOrTooEarly: a cancel link stops at the appointment, a
// confirmation after the slot began lapses, and a card is not ready before
// its application.
func TestTooLateOrTooEarly(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, loc) // Monday
	h := newHub(t, &now)
	h.Letters = Letters{SiteURL: "https://p.example.ro", From: "Office <p@example.ro>"}
	slot := time.Date(2026, 11, 23, 8, 30, 0, 0, loc)
	token, _, err := h.Request(ctx, BookingRequest{Name: "Ana Pop", BirthDate: "1990-05-05", Reason: "expiry", Kind: store.Intake,
		Slot: slot, Email: "ana@example.ro"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Confirm(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Ready(ctx, b.ID, true); !errors.Is(err, ErrNotYet) {
		t.Errorf("ready before the application: %v, want ErrNotYet", err)
	}
	letters := queued(t, h, now)
	cancel := letters[len(letters)-1].Text[strings.Index(letters[len(letters)-1].Text, "/anuleaza?t=")+len("/anuleaza?t="):][:32]
	cancel = strings.TrimSpace(cancel)[:32]
	now = slot
	if _, err := h.BookingByCancel(ctx, cancel); !errors.Is(err, ErrTooLate) {
		t.Errorf("the cancel page at the appointment: %v, want ErrTooLate", err)
	}
	if _, err := h.CancelByToken(ctx, cancel); !errors.Is(err, ErrTooLate) {
		t.Errorf("cancelling at the appointment: %v, want ErrTooLate", err)
	}

	now = time.Date(2026, 11, 23, 9, 45, 0, 0, loc)
	late, _, err := h.Request(ctx, BookingRequest{Name: "Ion Pop", BirthDate: "1970-01-01", Reason: "expiry", Kind: store.Intake,
		Slot: time.Date(2026, 11, 23, 9, 50, 0, 0, loc)})
	if err != nil {
		t.Fatal(err)
	}
	now = time.Date(2026, 11, 23, 9, 51, 0, 0, loc) // within the 15 minutes, after the slot began
	if _, err := h.Confirm(ctx, late); !errors.Is(err, ErrLapsed) {
		t.Errorf("confirming after the slot began: %v, want ErrLapsed", err)
	}
}

// TestOnePersonKeyUnderARace: requests racing on a hub without its person
// key yet (a hub from before the key) agree on one key, so one person
// holds one request (each once made its own key and all were held).
func TestOnePersonKeyUnderARace(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newHub(t, &now)
	if err := h.DB.SetSetting(ctx, keyPersonKey, ""); err != nil {
		t.Fatal(err)
	}
	slots := calendar.Default().Slots(time.Date(2026, 11, 23, 0, 0, 0, 0, loc), false)
	var wg sync.WaitGroup
	held := make(chan bool, len(slots))
	for _, slot := range slots {
		wg.Go(func() {
			_, _, err := h.Request(ctx, BookingRequest{Name: "Pop Ana", BirthDate: "1980-01-01", Reason: "expiry", Kind: store.Intake, Slot: slot})
			held <- err == nil
		})
	}
	wg.Wait()
	close(held)
	n := 0
	for ok := range held {
		if ok {
			n++
		}
	}
	if n == 0 {
		t.Fatalf("one person, %d racing requests: none held", len(slots))
	}
	// Each request of the person replaces the one before: one stays held.
	taken, err := h.Taken(ctx, slots[0], slots[len(slots)-1].Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	live := 0
	for _, c := range taken {
		live += c
	}
	if live != 1 {
		t.Errorf("one person, %d racing requests: %d held at the end, want 1", len(slots), live)
	}
}

// TestLinksSayTheLanguage: the confirmation and cancel links open the site
// in the e-mail's language, not in the language of whatever browser the
// citizen's mail program hands them to.
func TestLinksSayTheLanguage(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	for _, lang := range []string{"ro", "en"} {
		now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
		h := newHub(t, &now)
		h.Letters = Letters{SiteURL: "https://p.example.ro", From: "Office <p@example.ro>"}
		token, _, err := h.Request(ctx, BookingRequest{Name: "Ion Pop", BirthDate: "1980-02-02", Reason: "expiry", Kind: store.Intake,
			Slot: time.Date(2026, 11, 23, 9, 10, 0, 0, loc), Email: "ion@example.ro", Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		if l := queued(t, h, now); len(l) != 1 || !strings.Contains(l[0].Text, "/confirma?t="+token+"&lang="+lang) {
			t.Errorf("%s: the confirmation link does not say the language: %+v", lang, l)
		}
		if _, err := h.Confirm(ctx, token); err != nil {
			t.Fatal(err)
		}
		l := queued(t, h, now)
		if len(l) != 1 || !regexp.MustCompile(`/anuleaza\?t=[0-9a-f]{32}&lang=`+lang).MatchString(l[0].Text) {
			t.Errorf("%s: the cancel link does not say the language", lang)
		}
	}
}
