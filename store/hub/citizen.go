package hub

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/letters"
	"github.com/ghiseu/ghiseu/store/rules"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// Letters says how the hub writes to citizens: the booking site's public
// address (the links in the e-mails), the sender, and whom to tell that an
// e-mail joined the outbox.
type Letters struct {
	SiteURL string // https://programari.example.ro, without a trailing slash
	From    string // "SPCLEP Dumbrăvița <programari@example.ro>"
	Queued  func() // the outbox's Kick; nil: nobody
}

// More reasons the booking site's requests are refused.
var (
	ErrBadEmail  = errors.New("not a valid e-mail address")
	ErrNoBooking = errors.New("no such booking, or it is cancelled already")
	ErrNotIntake = errors.New("the card is ready for an application (an intake) only")
	ErrElsewhere = errors.New("the card is collected at another office: that office's hub tells the citizen")
	ErrNoPickup  = errors.New("no free pickup slot in the next 60 days")
	ErrTooLate   = errors.New("the appointment has begun or passed: it can no longer be cancelled")
	ErrNotYet    = errors.New("the application's appointment is still ahead: its card cannot be ready")
)

// newToken is 128 random bits, as hex: a confirmation or cancel token.
func newToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (h *Hub) queued() {
	if h.Letters.Queued != nil {
		h.Letters.Queued()
	}
}

// link is the booking site's page at path for token, in the citizen's
// language (the e-mail's), whatever the browser that opens it prefers.
func (h *Hub) link(path, token string, lang i18n.Lang) string {
	return h.Letters.SiteURL + path + "?t=" + token + "&lang=" + string(lang)
}

// requestLetter is the e-mail asking to confirm a request ("" address:
// none, a request made at the office).
func (h *Hub) requestLetter(cal calendar.Calendar, r BookingRequest, token string, expires, now time.Time) ([]byte, error) {
	if r.Email == "" {
		return nil, nil
	}
	lang := i18n.Parse(r.Lang)
	m := letters.Request(cal, h.Letters.From, lang, r.Email, r.Name, r.Slot, r.Kind, h.link("/confirma", token, lang), expires)
	return m.Bytes(now)
}

// confirmation is the booking a confirmed request makes, signed, with its
// contact, cancel token and the e-mail carrying its code.
func (h *Hub) confirmation(cal calendar.Calendar, fees rules.Fees, req store.Request, id uint64, now time.Time) (store.Confirmation, error) {
	var r BookingRequest
	if err := json.Unmarshal([]byte(req.Booking), &r); err != nil {
		return store.Confirmation{}, fmt.Errorf("request: %w", err)
	}
	b, err := h.signed(cal, booking(cal, r), id)
	if err != nil {
		return store.Confirmation{}, err
	}
	c := store.Confirmation{Booking: b, Person: req.Person}
	if req.Email == "" {
		return c, nil
	}
	cancel := newToken()
	c.Email, c.Lang, c.CancelHash = req.Email, req.Lang, hashToken(cancel)
	lang := i18n.Parse(req.Lang)
	m, err := letters.Confirmed(cal, fees, h.Letters.From, lang, req.Email, b, h.link("/anuleaza", cancel, lang))
	if err != nil {
		return c, err
	}
	c.Mail, err = m.Bytes(now)
	return c, err
}

// signed gives b its ID, length, status and signed code.
func (h *Hub) signed(cal calendar.Calendar, b store.Booking, id uint64) (store.Booking, error) {
	minutes, kind := cal.SlotMinutes, rescode.Intake
	if b.Kind == store.Pickup {
		minutes, kind = cal.PickupMinute, rescode.Pickup
	}
	code, err := rescode.Issue(h.Key, rescode.Claims{KeyID: h.KeyID, BookingID: id, Office: cal.Office,
		SlotStart: b.SlotStart, SlotMinutes: minutes, Kind: kind})
	if err != nil {
		return b, err
	}
	b.ID, b.SlotMinutes, b.Status, b.Code = strconv.FormatUint(id, 10), minutes, store.Confirmed, code
	return b, nil
}

// Office is the hub's office and fees (for the booking site).
func (h *Hub) Office(ctx context.Context) (calendar.Calendar, rules.Fees, error) {
	return h.DB.Office(ctx)
}

// Taken counts the intake bookings and live requests per slot between
// from and to (for the booking site's free places).
func (h *Hub) Taken(ctx context.Context, from, to time.Time) (map[time.Time]int, error) {
	return h.DB.Taken(ctx, from, to, store.Intake, h.now())
}

// BookingByCancel finds the booking a cancel token is for, while its time
// is ahead.
func (h *Hub) BookingByCancel(ctx context.Context, token string) (store.Booking, error) {
	b, err := h.DB.BookingByCancel(ctx, hashToken(token), h.now())
	return b, cancelError(err)
}

// CancelByToken cancels the booking a cancel token is for, while its time
// is ahead; the token works once. The counters read the old code as
// cancelled after their next sync.
func (h *Hub) CancelByToken(ctx context.Context, token string) (store.Booking, error) {
	b, err := h.DB.CancelByHash(ctx, hashToken(token), h.now())
	return b, cancelError(err)
}

func cancelError(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ErrNoBooking
	case errors.Is(err, store.ErrStarted):
		return ErrTooLate
	}
	return err
}

// SweepLapsed deletes the requests that were not confirmed in time.
func (h *Hub) SweepLapsed(ctx context.Context) (int, error) {
	return h.DB.DeleteLapsed(ctx, h.now())
}

// Purge deletes the bookings (with their events and the citizens' e-mail
// addresses) of the days older than the retention setting.
func (h *Hub) Purge(ctx context.Context) (int, error) {
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return 0, err
	}
	days, err := h.DB.Retention(ctx)
	if err != nil {
		return 0, err
	}
	return h.DB.Purge(ctx, cal.Day(h.now().AddDate(0, 0, -days)))
}

const keySiteSecret = "site_secret"

// SiteSecret is the key of the booking site's form tokens, made once and
// kept, so that a form opened before a restart of the hub still posts.
func (h *Hub) SiteSecret(ctx context.Context) ([]byte, error) {
	raw, err := h.DB.Setting(ctx, keySiteSecret)
	if err != nil {
		return nil, err
	}
	if raw != "" {
		return hex.DecodeString(raw)
	}
	key := make([]byte, 32)
	rand.Read(key)
	return key, h.DB.SetSetting(ctx, keySiteSecret, hex.EncodeToString(key))
}

// More reasons a card-ready notice is refused.
var (
	// ErrNoIntake: nobody came to the booking, as far as the counters'
	// events tell (no arrival, call or service recorded, or the person was
	// sent away): no application was taken in, so no card can be ready.
	ErrNoIntake = errors.New("no application was taken in at this booking: the counters recorded no arrival for it")
	// ErrAnnounced: the card was announced ready already (see Announced).
	ErrAnnounced = errors.New("the card was announced ready already")
	// ErrNoSender: the citizen is to be e-mailed but the hub knows no
	// sender (Letters.From).
	ErrNoSender = errors.New("no sender for the citizen's e-mail")
)

// Announced is the refusal of a second card-ready notice: when the first
// was told and the pickup it booked. It is ErrAnnounced.
type Announced struct {
	On     string        // YYYY-MM-DD of the first notice
	Pickup store.Booking // the pickup it booked
	loc    *time.Location
}

func (a *Announced) Error() string {
	return fmt.Sprintf("already announced on %s; pickup booked for %s (booking %s)", a.On,
		a.Pickup.SlotStart.In(a.loc).Format("2006-01-02 15:04"), a.Pickup.ID)
}

// Is makes an *Announced match ErrAnnounced.
func (a *Announced) Is(target error) bool { return target == ErrAnnounced }

// ReadyNotice is what a card-ready notice did.
type ReadyNotice struct {
	Pickup  store.Booking // the pickup booked
	From    time.Time     // the first day the card may be collected
	Emailed bool          // an e-mail to the citizen was queued (false: no contact on file)
}

// Ready tells the hub that the card applied for at booking id is ready:
// the hub books the pickup at the first free pickup slot from the first
// day the card may be collected (the office's working days after today's
// notice) and, when the booking came from the site, e-mails the citizen
// the day, the pickup hours, the pickup's code and the PIN reminder.
//
// A card is ready only for an application that was taken in: the
// counters' events must record the person's arrival at the booking
// (ErrNoIntake otherwise), unless force (the office took it in on paper
// while the counters were down). A booking told ready already is refused
// with *Announced.
func (h *Hub) Ready(ctx context.Context, id string, force bool) (ReadyNotice, error) {
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return ReadyNotice{}, err
	}
	in, err := h.DB.BookingByID(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound) || err == nil && in.Status != store.Confirmed:
		return ReadyNotice{}, ErrNoBooking
	case err != nil:
		return ReadyNotice{}, err
	case in.Kind != store.Intake:
		return ReadyNotice{}, ErrNotIntake
	case in.PickupOffice != "" && in.PickupOffice != cal.Office:
		return ReadyNotice{}, fmt.Errorf("%w (%s)", ErrElsewhere, in.PickupOffice)
	}
	now := h.now()
	if in.SlotStart.After(now) {
		return ReadyNotice{}, fmt.Errorf("%w (%s)", ErrNotYet, in.SlotStart.In(cal.Location()).Format("2006-01-02 15:04"))
	}
	if err := h.announced(ctx, cal, in); err != nil {
		return ReadyNotice{}, err
	}
	if !force {
		events, err := h.DB.Events(ctx, id)
		if err != nil {
			return ReadyNotice{}, err
		}
		if s := store.Derive(events).State; s == store.Turned {
			return ReadyNotice{}, fmt.Errorf("%w (the person was sent away at the counter)", ErrNoIntake)
		} else if !s.Came() {
			return ReadyNotice{}, ErrNoIntake
		}
	}
	contact, err := h.DB.ContactOf(ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return ReadyNotice{}, err
	}
	if contact.Email != "" && h.Letters.From == "" {
		return ReadyNotice{}, ErrNoSender
	}
	if contact.Person == "" {
		if contact.Person, err = h.person(ctx, in.Name, in.BirthDate); err != nil {
			return ReadyNotice{}, err
		}
	}
	p := store.Booking{Office: cal.Office, Kind: store.Pickup, Name: in.Name, Reason: in.Reason,
		BirthDate: in.BirthDate, Document: in.Document, ReadyOn: cal.Day(now)}
	from, _ := verdict.ReadyFrom(cal, p)
	slot, err := h.pickupSlot(ctx, cal, contact.Person, from, now)
	if err != nil {
		return ReadyNotice{}, err
	}
	p.SlotStart, p.Day = slot.In(cal.Location()), cal.Day(slot)
	b, err := h.DB.AddBooking(ctx, now, func(next uint64) (store.Confirmation, error) {
		b, err := h.signed(cal, p, next)
		if err != nil {
			return store.Confirmation{}, err
		}
		c := store.Confirmation{Booking: b, Person: contact.Person, Email: contact.Email, Lang: contact.Lang}
		if contact.Email == "" {
			return c, nil
		}
		cancel := newToken()
		c.CancelHash = hashToken(cancel)
		m, err := letters.Ready(cal, h.Letters.From, i18n.Parse(contact.Lang), contact.Email, b, from)
		if err != nil {
			return c, err
		}
		c.Mail, err = m.Bytes(now)
		return c, err
	})
	if err != nil {
		return ReadyNotice{}, err
	}
	if contact.Email != "" {
		h.queued()
	}
	return ReadyNotice{Pickup: b, From: from, Emailed: contact.Email != ""}, nil
}

// announced is *Announced when the intake in was told ready already: a
// confirmed pickup of the same person (name and birth date), noticed on
// or after the intake's day.
func (h *Hub) announced(ctx context.Context, cal calendar.Calendar, in store.Booking) error {
	name := personName(in.Name)
	var first *store.Booking
	err := h.DB.BookingsBetween(ctx, cal.Office, in.Day, cal.Day(in.SlotStart.AddDate(0, 0, 400)), func(b store.Booking) error {
		if first == nil && b.Kind == store.Pickup && b.Status == store.Confirmed && b.ReadyOn >= in.Day &&
			b.BirthDate == in.BirthDate && personName(b.Name) == name {
			first = &b
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("earlier card-ready notices: %w", err)
	}
	if first != nil {
		return &Announced{On: first.ReadyOn, Pickup: *first, loc: cal.Location()}
	}
	return nil
}

// pickupSlot is the first pickup slot from from with room, in the next 60
// days; a person who holds a booking ahead (a pickup told already) gets
// ErrPersonHasBooking.
func (h *Hub) pickupSlot(ctx context.Context, cal calendar.Calendar, person string, from, now time.Time) (time.Time, error) {
	for d := 0; d < 60; d++ {
		for _, s := range cal.Slots(from.AddDate(0, 0, d), true) {
			if s.Before(from) || !s.After(now) {
				continue
			}
			personal, inSlot, err := h.DB.Holds(ctx, person, s, store.Pickup, now)
			switch {
			case err != nil:
				return time.Time{}, err
			case personal > 0:
				return time.Time{}, ErrPersonHasBooking
			case inSlot < max(cal.Capacity, 1):
				return s, nil
			}
		}
	}
	return time.Time{}, ErrNoPickup
}

// Find lists the office's own bookings from today on (confirmed,
// cancelled or other) whose name holds every word of name, each as a part
// of one of its words, in any order, case and diacritics aside: "popescu"
// and "pop ion" find "Ion Popescu". With birth (YYYY-MM-DD, from the ID
// card the citizen shows), only that person's. The office finds a booking
// someone made in a citizen's name, to cancel it.
func (h *Hub) Find(ctx context.Context, name, birth string) ([]store.Booking, error) {
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return nil, err
	}
	want := strings.Fields(personName(name))
	if len(want) == 0 {
		return nil, ErrBadName
	}
	now := h.now()
	var found []store.Booking
	err = h.DB.BookingsBetween(ctx, cal.Office, cal.Day(now), cal.Day(now.AddDate(0, 0, 400)), func(b store.Booking) error {
		if (birth == "" || b.BirthDate == birth) && nameHas(strings.Fields(personName(b.Name)), want) {
			found = append(found, b)
		}
		return nil
	})
	return found, err
}

// nameHas reports whether each word of want is a part of a word of words,
// each word of words serving one word of want ("ana ana" is not "Ana Pop").
func nameHas(words, want []string) bool {
	used := make([]bool, len(words))
	// The longest words first: "an" must not take the word "ana" needs.
	want = slices.Clone(want)
	slices.SortFunc(want, func(a, b string) int { return len(b) - len(a) })
next:
	for _, w := range want {
		for i, word := range words {
			if !used[i] && strings.Contains(word, w) {
				used[i] = true
				continue next
			}
		}
		return false
	}
	return true
}
