package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/letters"
	"github.com/ghiseu/ghiseu/store/mail"
	"github.com/ghiseu/ghiseu/store/rules"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// BookingRequest is what a citizen asks for on the booking portal.
type BookingRequest struct {
	Name      string     `json:"name"`
	BirthDate string     `json:"birth_date"` // YYYY-MM-DD
	Reason    string     `json:"reason"`
	Kind      store.Kind `json:"kind"`
	Slot      time.Time  `json:"slot"`
	ReadyOn   string     `json:"ready_on,omitempty"` // pickups: the "card ready" notice
	// Document is the card applied for: "cei" (the default), "cis" or
	// "cip" (rules.DocumentFor).
	Document string `json:"document,omitempty"`
	// PickupOffice is the other office chosen, when applying, to collect
	// the card at ("" or the hub's own office: here).
	PickupOffice string `json:"pickup_office,omitempty"`
	// Email is where the booking site sends the request's confirmation
	// and, once confirmed, the code ("" for a booking made by the office);
	// Lang is the site's language at the request (i18n.Parse).
	Email string `json:"-"`
	Lang  string `json:"-"`
}

// Why a request is refused (besides calendar.ErrPast and the others of
// calendar.Bookable).
var (
	ErrPersonHasBooking = errors.New("this person already holds a booking")
	// ErrAddressFull: the request's e-mail address has as many live
	// bookings and requests as one address may (store.MaxPerAddress). It
	// is an ErrPersonHasBooking (errors.Is), so that it is answered
	// exactly alike: the page everyone gets, no e-mail, the slot held
	// until the request lapses.
	ErrAddressFull  = fmt.Errorf("%w, or its e-mail address has as many bookings and requests as one address may", ErrPersonHasBooking)
	ErrSlotTaken    = errors.New("the slot is taken")
	ErrBadRequest   = errors.New("incomplete request")
	ErrLapsed       = errors.New("the request was not confirmed in time and has lapsed")
	ErrCISUnder14   = errors.New("no simple identity card (CIS) is issued under 14")
	ErrPriorityOnly = errors.New("the slot is reserved for priority cases: expiring identity cards and 14-year-olds")
	// ErrCIPNotBooked: a provisional card (CIP) is taken only without
	// appointment, in the office's walk-in hours (seed 002).
	ErrCIPNotBooked = fmt.Errorf("%w: a provisional identity card (CIP) is applied for only without appointment, in the office's walk-in hours", calendar.ErrNotByAppointment)
	// ErrDomicileOnly: only a CEI may be collected at another office; a
	// CIS is applied for and collected only at the domicile's office.
	ErrDomicileOnly = errors.New("only an electronic identity card (CEI) may be collected at another office; a simple card (CIS) only at the office of the domicile")
	// ErrReasonAge: the reason contradicts the birth date on the slot's day.
	ErrReasonAge = errors.New("the reason does not match the age on the slot's day: turning_14 is for 14-year-olds (or 13 within 30 days of 14), child_under_14 for children under 14")
	// ErrNotReadyYet: a pickup slot before the card may be collected, or
	// a pickup without the date of the "card ready" notice.
	ErrNotReadyYet = errors.New("a pickup is booked only with the date of the \"card ready\" notice, on or after the first day the card may be collected")
)

// Request takes a booking request by the rules of DOMAIN.md: only a free
// slot of the office's calendar, in the future and within the booking
// window, not on a closed day, one booking per person. It returns the
// confirmation token the e-mail carries and when it lapses.
//
// A person's new request replaces their earlier unconfirmed one (its link
// then reads as lapsed): a citizen who mistyped the address asks again at
// once. A person with a live confirmed booking, or an e-mail address with
// store.MaxPerAddress bookings and requests, gets ErrPersonHasBooking
// (ErrAddressFull) and the requester no e-mail, while the slot is held as
// any request's is (see store.DB.Hold): nobody learns from the answer
// whether a person or an address has a booking. The contact of the
// person's booking is told instead (letters.Notice), at most once a day.
func (h *Hub) Request(ctx context.Context, r BookingRequest) (string, time.Time, error) {
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	if _, err := time.Parse(time.DateOnly, r.BirthDate); err != nil || r.Name == "" || !knownReason(r.Reason) ||
		(r.Kind != store.Intake && r.Kind != store.Pickup) {
		return "", time.Time{}, ErrBadRequest
	}
	if !rules.KnownDocument(r.Document) || r.PickupOffice != "" && !officeForm.MatchString(r.PickupOffice) {
		return "", time.Time{}, ErrBadRequest
	}
	now := h.now()
	if err := cal.Bookable(r.Slot, r.Kind == store.Pickup, now); err != nil {
		return "", time.Time{}, err
	}
	if err := seedRules(cal, r); err != nil {
		return "", time.Time{}, err
	}
	if err := CheckName(r.Name); err != nil {
		return "", time.Time{}, err
	}
	if r.Email != "" && !mail.ValidAddress(r.Email) {
		return "", time.Time{}, ErrBadEmail
	}
	r.Email = store.NormalEmail(r.Email) // as stored and counted
	who, err := h.person(ctx, r.Name, r.BirthDate)
	if err != nil {
		return "", time.Time{}, err
	}
	raw, _ := json.Marshal(r)
	token := newToken()
	expires := now.Add(time.Duration(cal.ConfirmTimeout))
	letter, err := h.requestLetter(cal, r, token, expires, now)
	if err != nil {
		return "", time.Time{}, err
	}
	held, err := h.DB.Hold(ctx, store.Hold{
		Request: store.Request{Token: hashToken(token), Booking: string(raw), Person: who,
			SlotStart: r.Slot, Kind: r.Kind, Expires: expires, Email: r.Email, Lang: r.Lang},
		Capacity: cal.Capacity, Mail: letter,
		Notice: func(b store.Booking, c store.Contact) ([]byte, error) {
			return letters.Notice(cal, h.sender(cal), i18n.Parse(c.Lang), c.Email, b).Bytes(now)
		},
	}, now)
	if held.Mailed || held.Noticed {
		h.queued()
	}
	if held.Replaced > 0 {
		slog.Debug("booking request replaces the person's earlier one", "replaced", held.Replaced)
	}
	switch {
	case errors.Is(err, store.ErrPersonHolds):
		return "", time.Time{}, ErrPersonHasBooking
	case errors.Is(err, store.ErrAddressFull):
		// Nothing personal: neither the address nor the name.
		slog.Warn("booking request over the e-mail address's cap: held without an e-mail",
			"bookings_and_requests", held.AddressCount, "cap", store.MaxPerAddress)
		return "", time.Time{}, ErrAddressFull
	case errors.Is(err, store.ErrSlotFull):
		return "", time.Time{}, ErrSlotTaken
	case err != nil:
		return "", time.Time{}, err
	}
	return token, expires, nil
}

// sender is the e-mails' sender: Letters.From, or without it the office's
// name at an address of its own that no mail server takes for real (as the
// CLI's commands that queue e-mail for a running serve do).
func (h *Hub) sender(cal calendar.Calendar) string {
	if h.Letters.From != "" {
		return h.Letters.From
	}
	name := cal.OfficeName
	if name == "" {
		name = cal.Office
	}
	return name + " <programari@" + strings.ToLower(cal.Office) + ".invalid>"
}

// seedRules are the rules of the seeds a booking request must meet besides
// its slot: only a service by appointment is booked (not a CIP, by reason
// or chosen, nor a residence visa, taken without appointment), only a CEI
// is collected at another office, the reason agrees with the age on the
// slot's day (rules.ReasonFitsAge), no CIS under 14, a slot reserved for
// priority cases only for one (an expiring identity card, a 14-year-old),
// and a pickup only with its "card ready" date, from the first day the
// counter's pickup verdict hands the card over (verdict.ReadyFrom).
func seedRules(cal calendar.Calendar, r BookingRequest) error {
	born, _ := time.Parse(time.DateOnly, r.BirthDate)
	day, _ := time.Parse(time.DateOnly, cal.Day(r.Slot))
	switch {
	case cal.Booked(r.Reason, r.Kind == store.Pickup) != nil:
		return calendar.ErrNotByAppointment
	case r.Document == rules.CIP:
		return ErrCIPNotBooked
	case booking(cal, r).PickupOffice != "" && rules.DomicileOnly(r.Reason, r.Document):
		return ErrDomicileOnly
	case !rules.ReasonFitsAge(r.Reason, born, day):
		return ErrReasonAge
	case r.Kind == store.Intake && !rules.AllowedFor(rules.DocumentFor(r.Reason, r.Document), rules.AgeOn(born, day)):
		return ErrCISUnder14
	case r.Kind == store.Intake && cal.IsPriority(r.Slot) && !rules.PriorityCase(r.Reason, born, day):
		return ErrPriorityOnly
	case r.Kind == store.Pickup:
		from, ok := verdict.ReadyFrom(cal, booking(cal, r))
		if !ok || r.Slot.Before(from) {
			if ok {
				return fmt.Errorf("%w: from %s", ErrNotReadyYet, from.Format(time.DateOnly))
			}
			return ErrNotReadyYet
		}
	}
	return nil
}

// officeForm is the form of an office's code (TM-DUMBRAVITA).
var officeForm = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,39}$`)

func knownReason(r string) bool {
	for _, k := range rules.Reasons() {
		if k == r {
			return true
		}
	}
	return false
}

// Confirm turns a request into a booking, if it has not lapsed and its
// slot has not begun, and issues its signed code; a request made on the
// site gets its e-mail with the code, the reference and a cancel link.
// Confirming again gives the same booking and sends nothing. Tokens are
// kept only as hashes.
func (h *Hub) Confirm(ctx context.Context, token string) (store.Booking, error) {
	cal, fees, err := h.DB.Office(ctx)
	if err != nil {
		return store.Booking{}, err
	}
	now := h.now()
	b, err := h.DB.ConfirmRequest(ctx, hashToken(token), now, func(req store.Request, id uint64) (store.Confirmation, error) {
		return h.confirmation(cal, fees, req, id, now)
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return b, ErrLapsed
	case err != nil:
		return b, err
	}
	h.queued()
	return b, nil
}

// booking is the booking a request makes at cal's office (without its id,
// length, status and code): the card chosen and the office it is collected
// at, as the counter reads them.
func booking(cal calendar.Calendar, r BookingRequest) store.Booking {
	b := store.Booking{Office: cal.Office, Day: cal.Day(r.Slot), SlotStart: r.Slot.In(cal.Location()),
		Kind: r.Kind, Name: r.Name, Reason: r.Reason, BirthDate: r.BirthDate, ReadyOn: r.ReadyOn}
	if r.Document != "" {
		b.Document = rules.DocumentFor(r.Reason, r.Document)
	}
	switch {
	case r.Kind == store.Intake && r.PickupOffice != cal.Office:
		b.PickupOffice = r.PickupOffice // collected elsewhere: 10 working days later
	case r.Kind == store.Pickup && r.PickupOffice != "":
		b.PickupOffice = cal.Office // a card applied for elsewhere, collected here
	}
	return b
}

// Cancel cancels a booking for the office (ghiseu-hub cancel); the
// counters learn it with the next pack. A booking made on the site, still
// ahead, gets an e-mail in its language that the office cancelled it and
// where to book again (mailed), and its contact is forgotten; a booking
// made at the hub has no contact and is only cancelled. A hub that is not
// a demo and knows no sender (Letters.From) refuses, with ErrNoSender,
// a booking it would have to e-mail: a made-up sender's mail goes nowhere.
func (h *Hub) Cancel(ctx context.Context, id string) (mailed bool, err error) {
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return false, fmt.Errorf("cancel booking %s: %w", id, err)
	}
	demo, err := h.IsDemo(ctx)
	if err != nil {
		return false, err
	}
	now := h.now()
	_, mailed, err = h.DB.CancelByOffice(ctx, id, now, func(b store.Booking, c store.Contact) ([]byte, error) {
		if h.Letters.From == "" && !demo {
			return nil, ErrNoSender
		}
		return letters.OfficeCancelled(cal, h.sender(cal), i18n.Parse(c.Lang), c.Email, b, h.Letters.SiteURL).Bytes(now)
	})
	if err != nil {
		return false, fmt.Errorf("cancel booking %s: %w", id, err)
	}
	if mailed {
		h.queued()
	}
	return mailed, nil
}
