package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Why the hub will not hold a request (see Hold).
var (
	ErrPersonHolds = errors.New("the person holds a booking already")
	ErrSlotFull    = errors.New("the slot is full")
	// ErrAddressFull: the request's e-mail address has MaxPerAddress
	// bookings and requests already.
	ErrAddressFull = errors.New("the e-mail address has as many bookings and requests as one address may")
)

// MaxPerAddress is the most live bookings (confirmed, their time ahead)
// and held requests one e-mail address may have at once: a family books
// with one address, but one address must not book the whole office under
// invented names. Addresses compare without regard to case (NormalEmail).
const MaxPerAddress = 4

// ErrWalkInAtHub: the office's cancel is for bookings; a walk-in belongs
// to the counter that registered it, which undoes it there.
var ErrWalkInAtHub = errors.New("a walk-in is the counter's that registered it: undo it there (Ctrl+Z), not at the hub")

// NoticeEvery is the least time between two notices to a booking's
// contact that someone asked again for its person (see Hold.Notice): so
// that nobody can flood a citizen's mailbox by asking in their name (one
// a day: a citizen who forgot learns it the first time).
const NoticeEvery = 24 * time.Hour

// NormalEmail is the form an e-mail address is stored and compared in:
// trimmed and lower case, the local part as the domain.
func NormalEmail(addr string) string {
	return strings.ToLower(strings.TrimSpace(addr))
}

// Hold is a booking request to hold (see DB.Hold).
type Hold struct {
	Request  Request
	Capacity int    // the bookings and live requests the slot takes
	Mail     []byte // the e-mail asking to confirm (nil: none)
	// Notice writes, for the contact c of the person's live booking b,
	// the notice that someone asked for another booking for that person
	// (nil: no notice).
	Notice func(b Booking, c Contact) ([]byte, error)
}

// Held tells what Hold did besides holding the slot.
type Held struct {
	Replaced int  // the person's earlier unconfirmed requests it replaced
	Noticed  bool // a notice went to the contact of the person's booking
	Mailed   bool // the e-mail asking to confirm is queued
	// AddressCount is the bookings and requests the e-mail address had
	// when it was over MaxPerAddress (ErrAddressFull), else 0.
	AddressCount int
}

// HoldRequest is Hold without a notice.
func (db *DB) HoldRequest(ctx context.Context, r Request, capacity int, now time.Time, mail []byte) error {
	_, err := db.Hold(ctx, Hold{Request: r, Capacity: capacity, Mail: mail}, now)
	return err
}

// Hold stores a pending booking request if, at now, its slot has fewer
// than h.Capacity bookings and live requests of its kind (the person's own
// request there aside: it is replaced). The checks and the insert are one
// transaction, so a rush of requests never fills a slot past capacity nor
// gives one person two. h.Mail, the e-mail asking to confirm, joins the
// outbox in the same transaction (worth sending until the request lapses),
// so a held slot always has its e-mail on the way.
//
// A new request of a person REPLACES their earlier unconfirmed requests
// (deleted in the same transaction: their confirm links stop working), so
// a citizen who mistyped the address asks again at once, and nobody locks
// a person out by asking in their name.
//
// A person with a live confirmed booking gets ErrPersonHolds, and an
// e-mail address with MaxPerAddress bookings and requests ErrAddressFull;
// yet the slot is held all the same, without an e-mail to the requester,
// until the request lapses: the booking site shows everyone the same page
// and the same free places, so nobody learns from it whether a person or
// an address has a booking. For ErrPersonHolds, the contact of the
// person's booking gets h.Notice's letter instead, at most once per
// NoticeEvery and booking. The slot is checked first for the same reason:
// a full slot is refused whoever asks.
func (db *DB) Hold(ctx context.Context, h Hold, now time.Time) (Held, error) {
	r := h.Request
	r.Email = NormalEmail(r.Email)
	var held Held
	var outcome error
	err := db.tx(ctx, func(t *sql.Tx) error {
		held, outcome = Held{}, nil
		personal, inSlot, err := holds(ctx, t, r.Person, r.SlotStart, r.Kind, now)
		if err != nil {
			return fmt.Errorf("hold request: %w", err)
		}
		var own, pending int // the person's live unconfirmed requests: in this slot, and all
		if r.Person != "" {
			if err := t.QueryRowContext(ctx, `SELECT
				count(*) FILTER (WHERE slot_start = ? AND kind = ?), count(*)
				FROM requests WHERE person = ? AND expires_at > ? AND booking_id = ''`,
				r.SlotStart.Unix(), r.Kind, r.Person, now.Unix()).Scan(&own, &pending); err != nil {
				return fmt.Errorf("hold request: own requests: %w", err)
			}
		}
		if inSlot-own >= max(h.Capacity, 1) {
			return ErrSlotFull
		}
		if r.Person != "" {
			// The replaced requests' e-mails not sent yet go with them: a
			// mistyped address must not get the person's slot later.
			if _, err := t.ExecContext(ctx, `DELETE FROM mail_outbox WHERE request IN
				(SELECT token FROM requests WHERE person = ? AND booking_id = '')`, r.Person); err != nil {
				return fmt.Errorf("hold request: replace its e-mail: %w", err)
			}
			res, err := t.ExecContext(ctx, `DELETE FROM requests WHERE person = ? AND booking_id = ''`, r.Person)
			if err != nil {
				return fmt.Errorf("hold request: replace: %w", err)
			}
			n, _ := res.RowsAffected()
			held.Replaced = min(int(n), pending)
		}
		mail := h.Mail
		switch {
		case personal-pending > 0:
			outcome, r.Email, mail = ErrPersonHolds, "", nil
			if held.Noticed, err = noticeTx(ctx, t, r.Person, now, h.Notice); err != nil {
				return fmt.Errorf("hold request: notice: %w", err)
			}
		case r.Email != "":
			n, err := addressCount(ctx, t, r.Email, now)
			if err != nil {
				return fmt.Errorf("hold request: %w", err)
			}
			if n >= MaxPerAddress {
				outcome, held.AddressCount, r.Email, mail = ErrAddressFull, n, "", nil
			}
		}
		if err := putRequestTx(ctx, t, r); err != nil {
			return fmt.Errorf("hold request: %w", err)
		}
		if mail == nil || r.Email == "" {
			return nil
		}
		held.Mailed = true
		return enqueueRequestMail(ctx, t, r.Email, mail, now, r.Expires, r.Token)
	})
	if err != nil {
		return Held{}, err
	}
	return held, outcome
}

// addressCount counts the live confirmed bookings and the held requests
// of the e-mail address addr (in NormalEmail's form) at now.
func addressCount(ctx context.Context, t *sql.Tx, addr string, now time.Time) (int, error) {
	var n int
	err := t.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM contacts c JOIN bookings b ON b.id = c.booking_id
			WHERE c.email = ? AND b.status = 'confirmed' AND b.slot_start > ?) +
		(SELECT count(*) FROM requests WHERE email = ? AND expires_at > ? AND booking_id = '')`,
		addr, now.Unix(), addr, now.Unix()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("bookings of the address: %w", err)
	}
	return n, nil
}

// noticeTx queues, for each live confirmed booking of person made on the
// site whose contact was not told in the last NoticeEvery, the notice
// write makes (worth sending until the booking's time), and notes when.
func noticeTx(ctx context.Context, t *sql.Tx, person string, now time.Time, write func(Booking, Contact) ([]byte, error)) (bool, error) {
	if write == nil || person == "" {
		return false, nil
	}
	rows, err := t.QueryContext(ctx, `SELECT b.id, c.email, c.lang FROM bookings b JOIN contacts c ON c.booking_id = b.id
		WHERE b.person = ? AND b.status = 'confirmed' AND b.kind = 'intake' AND b.slot_start > ? AND c.noticed_at <= ?
			AND NOT EXISTS (SELECT 1 FROM events r WHERE r.booking_id = b.id AND r.type = 'refused'
				AND NOT EXISTS (SELECT 1 FROM events u WHERE u.type = 'undone' AND u.undoes = r.id))
		ORDER BY b.slot_start`, person, now.Unix(), now.Add(-NoticeEvery).Unix())
	if err != nil {
		return false, err
	}
	type due struct {
		id string
		c  Contact
	}
	var todo []due
	for rows.Next() {
		d := due{c: Contact{Person: person}}
		if err := rows.Scan(&d.id, &d.c.Email, &d.c.Lang); err != nil {
			rows.Close()
			return false, err
		}
		todo = append(todo, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	told := map[string]bool{} // one notice an address
	for _, d := range todo {
		if told[d.c.Email] {
			continue
		}
		told[d.c.Email] = true
		b, err := scanBooking(t.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE id = ?`, d.id))
		if err != nil {
			return false, err
		}
		msg, err := write(b, d.c)
		if err != nil {
			return false, err
		}
		if err := enqueueMailUntil(ctx, t, d.c.Email, msg, now, b.SlotStart); err != nil {
			return false, err
		}
		if _, err := t.ExecContext(ctx, `UPDATE contacts SET noticed_at = ? WHERE booking_id = ?`, now.Unix(), d.id); err != nil {
			return false, err
		}
	}
	return len(todo) > 0, nil
}

// Confirmation is a booking the hub adds, with what the citizen's side
// keeps of it: whose it is (a hash), the e-mail address and language its
// letters go to and the hash of its cancel token (all empty for a booking
// made without the site), and the e-mail to send now (nil: none).
type Confirmation struct {
	Booking     Booking
	Person      string
	Email, Lang string
	CancelHash  string
	Mail        []byte
}

// ConfirmRequest confirms the request token names: in one transaction it
// stores the booking build makes of it (given the request and the next
// free booking ID), its contact and its e-mail, and marks the request
// confirmed. Confirming again (a second press, a reload) gives the same
// booking and sends nothing. A request that lapsed before now, or whose
// slot has begun, is deleted and, like an unknown token, gives ErrNotFound.
func (db *DB) ConfirmRequest(ctx context.Context, token string, now time.Time, build func(Request, uint64) (Confirmation, error)) (Booking, error) {
	var b Booking
	lapsed := false
	err := db.tx(ctx, func(t *sql.Tx) error {
		var r Request
		var start, expires int64
		var done string
		err := t.QueryRowContext(ctx, `SELECT token, booking, person, slot_start, kind, expires_at, email, lang, booking_id
			FROM requests WHERE token = ?`, token).Scan(&r.Token, &r.Booking, &r.Person, &start, &r.Kind, &expires, &r.Email, &r.Lang, &done)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return ErrNotFound
		case err != nil:
			return err
		case done != "":
			b, err = scanBooking(t.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE id = ?`, done))
			return err
		}
		r.SlotStart, r.Expires = time.Unix(start, 0), time.Unix(expires, 0)
		if !now.Before(r.Expires) || !now.Before(r.SlotStart) {
			lapsed = true
			_, err := t.ExecContext(ctx, `DELETE FROM requests WHERE token = ?`, token)
			return err // the deletion stands
		}
		id, err := nextBookingID(ctx, t)
		if err != nil {
			return err
		}
		c, err := build(r, id)
		if err != nil {
			return err
		}
		if err := addTx(ctx, t, c, now); err != nil {
			return err
		}
		b = c.Booking
		_, err = t.ExecContext(ctx, `UPDATE requests SET booking_id = ?, email = '' WHERE token = ?`, b.ID, token)
		return err
	})
	if err == nil && lapsed {
		err = ErrNotFound
	}
	return b, err
}

// AddBooking stores, in one transaction, the booking build makes given
// the next free booking ID, with its contact and its e-mail.
func (db *DB) AddBooking(ctx context.Context, now time.Time, build func(uint64) (Confirmation, error)) (Booking, error) {
	var c Confirmation
	err := db.tx(ctx, func(t *sql.Tx) error {
		id, err := nextBookingID(ctx, t)
		if err != nil {
			return err
		}
		if c, err = build(id); err != nil {
			return err
		}
		return addTx(ctx, t, c, now)
	})
	return c.Booking, err
}

func nextBookingID(ctx context.Context, t *sql.Tx) (uint64, error) {
	var max sql.NullInt64
	if err := t.QueryRowContext(ctx, `SELECT max(CAST(id AS INTEGER)) FROM bookings`).Scan(&max); err != nil {
		return 0, fmt.Errorf("next booking id: %w", err)
	}
	return uint64(max.Int64) + 1, nil
}

func addTx(ctx context.Context, t *sql.Tx, c Confirmation, now time.Time) error {
	if err := putBookingsTx(ctx, t, []Booking{c.Booking}); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `UPDATE bookings SET person = ? WHERE id = ?`, c.Person, c.Booking.ID); err != nil {
		return fmt.Errorf("add booking %s: %w", c.Booking.ID, err)
	}
	if c.Email != "" {
		c.Email = NormalEmail(c.Email)
		if _, err := t.ExecContext(ctx, `INSERT INTO contacts (booking_id, email, lang, cancel_hash) VALUES (?, ?, ?, ?)`,
			c.Booking.ID, c.Email, c.Lang, c.CancelHash); err != nil {
			return fmt.Errorf("add booking %s: contact: %w", c.Booking.ID, err)
		}
	}
	if c.Mail != nil { // worth sending until the booked time
		if err := enqueueMailUntil(ctx, t, c.Email, c.Mail, now, c.Booking.SlotStart); err != nil {
			return err
		}
	}
	return bumpTx(ctx, t)
}

// Contact is where a booking's letters go.
type Contact struct {
	Email, Lang string
	Person      string // the booking's person hash
}

// ContactOf finds the contact of a booking made on the site.
func (db *DB) ContactOf(ctx context.Context, bookingID string) (Contact, error) {
	var c Contact
	err := db.ro.QueryRowContext(ctx, `SELECT c.email, c.lang, b.person FROM contacts c JOIN bookings b ON b.id = c.booking_id
		WHERE c.booking_id = ?`, bookingID).Scan(&c.Email, &c.Lang, &c.Person)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("contact of booking %s: %w", bookingID, ErrNotFound)
	}
	return c, err
}

// ErrStarted: the booking's time has begun or passed; it can no longer be
// cancelled by its citizen.
var ErrStarted = errors.New("the appointment has begun or passed")

// BookingByCancel finds the confirmed booking whose cancel token hashes to
// hash, if its time is still ahead at now.
func (db *DB) BookingByCancel(ctx context.Context, hash string, now time.Time) (Booking, error) {
	return byCancel(ctx, db.ro, hash, now)
}

func byCancel(ctx context.Context, q rowQuerier, hash string, now time.Time) (Booking, error) {
	b, err := scanBooking(q.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE status = 'confirmed' AND id =
		(SELECT booking_id FROM contacts WHERE cancel_hash = ?)`, hash))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Booking{}, ErrNotFound
	case err != nil:
		return Booking{}, err
	case !now.Before(b.SlotStart):
		return b, ErrStarted
	}
	return b, nil
}

// CancelByHash cancels the confirmed booking whose cancel token hashes to
// hash, if its time is still ahead at now, and forgets its contact: the
// token works once, and the e-mail address is not needed any more. The
// counters learn it with the next pack.
func (db *DB) CancelByHash(ctx context.Context, hash string, now time.Time) (Booking, error) {
	var b Booking
	err := db.tx(ctx, func(t *sql.Tx) error {
		var err error
		if b, err = byCancel(ctx, t, hash, now); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE bookings SET status = 'cancelled' WHERE id = ?`, b.ID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM contacts WHERE booking_id = ?`, b.ID); err != nil {
			return err
		}
		b.Status = Cancelled
		return bumpTx(ctx, t)
	})
	return b, err
}

// DeleteLapsed deletes the requests past their confirmation time: what a
// citizen typed is kept no longer than that (a confirmed one is a booking
// by then, and its marker goes too).
func (db *DB) DeleteLapsed(ctx context.Context, now time.Time) (int, error) {
	res, err := db.sql.ExecContext(ctx, `DELETE FROM requests WHERE expires_at <= ?`, now.Unix())
	if err != nil {
		return 0, fmt.Errorf("delete lapsed requests: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Taken counts, per slot start between from and to, the confirmed
// bookings and the requests live at now, of one kind. The keys are in UTC:
// compare them by instant (Unix), not as map keys of another location.
func (db *DB) Taken(ctx context.Context, from, to time.Time, kind Kind, now time.Time) (map[time.Time]int, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT slot_start, count(*) FROM (
			SELECT slot_start FROM bookings WHERE kind = ? AND status = 'confirmed' AND slot_start >= ? AND slot_start < ?
			UNION ALL
			SELECT slot_start FROM requests WHERE kind = ? AND expires_at > ? AND booking_id = '' AND slot_start >= ? AND slot_start < ?)
		GROUP BY slot_start`, kind, from.Unix(), to.Unix(), kind, now.Unix(), from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("taken slots: %w", err)
	}
	defer rows.Close()
	taken := map[time.Time]int{}
	for rows.Next() {
		var start int64
		var n int
		if err := rows.Scan(&start, &n); err != nil {
			return nil, err
		}
		taken[time.Unix(start, 0).UTC()] = n
	}
	return taken, rows.Err()
}

// CancelByOffice cancels booking id for the office at now, in one
// transaction: the booking is marked cancelled and, when it was confirmed,
// its time is ahead and it was made on the site, the e-mail letter writes
// (given the booking and its contact) is queued to its contact; the
// contact is forgotten either way (the address is not needed any more).
// It tells whether an e-mail was queued. An unknown booking gives
// ErrNotFound. The counters learn of it with the next pack.
func (db *DB) CancelByOffice(ctx context.Context, id string, now time.Time, letter func(Booking, Contact) ([]byte, error)) (Booking, bool, error) {
	var b Booking
	mailed := false
	err := db.tx(ctx, func(t *sql.Tx) error {
		mailed = false
		var err error
		b, err = scanBooking(t.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE id = ?`, id))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("booking %s: %w", id, ErrNotFound)
		case err != nil:
			return err
		case b.Status == WalkIn:
			return fmt.Errorf("booking %s: %w", id, ErrWalkInAtHub)
		}
		var c Contact
		err = t.QueryRowContext(ctx, `SELECT c.email, c.lang, b.person FROM contacts c JOIN bookings b ON b.id = c.booking_id
			WHERE c.booking_id = ?`, id).Scan(&c.Email, &c.Lang, &c.Person)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("contact of booking %s: %w", id, err)
		}
		if c.Email != "" && letter != nil && b.Status == Confirmed && now.Before(b.SlotStart) {
			msg, err := letter(b, c)
			if err != nil {
				return fmt.Errorf("cancel e-mail of booking %s: %w", id, err)
			}
			if err := enqueueMailUntil(ctx, t, c.Email, msg, now, b.SlotStart); err != nil {
				return err
			}
			mailed = true
		}
		if _, err := t.ExecContext(ctx, `UPDATE bookings SET status = 'cancelled' WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM contacts WHERE booking_id = ?`, id); err != nil {
			return err
		}
		b.Status = Cancelled
		return bumpTx(ctx, t)
	})
	return b, mailed, err
}
