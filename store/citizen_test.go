package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	gosync "sync"
	"testing"
	"time"
)

// TestHoldRequestUnderARush sends many requests at once, from many people
// and a few repeated ones, at two slots of capacity 2: no slot is filled
// past capacity, nobody holds two, and every held request has its e-mail
// queued.
func TestHoldRequestUnderARush(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	slots := []time.Time{now.Add(48 * time.Hour), now.Add(49 * time.Hour)}
	var wg gosync.WaitGroup
	results := make(chan error, 60)
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := Request{Token: fmt.Sprint("t", i), Booking: "{}", Person: fmt.Sprint("p", i%40), SlotStart: slots[i%2],
				Kind: Intake, Expires: now.Add(15 * time.Minute), Email: fmt.Sprintf("c%d@example.ro", i)}
			results <- db.HoldRequest(ctx, r, 2, now, []byte("Subject: confirm\r\n\r\n"))
		}()
	}
	wg.Wait()
	close(results)
	held := 0
	for err := range results {
		switch {
		case err == nil:
			held++
		case !errors.Is(err, ErrSlotFull) && !errors.Is(err, ErrPersonHolds):
			t.Errorf("unexpected refusal: %v", err)
		}
	}
	if held < 4 { // a person's repeat replaces their earlier request: more may be answered held
		t.Errorf("%d requests held, want at least 4 (two slots of 2)", held)
	}
	taken, err := db.Taken(ctx, now, now.Add(72*time.Hour), Intake, now)
	if err != nil {
		t.Fatal(err)
	}
	byUnix := map[int64]int{}
	for s, n := range taken {
		byUnix[s.Unix()] += n
	}
	for _, s := range slots {
		if byUnix[s.Unix()] != 2 {
			t.Errorf("slot %v: %d taken, want 2", s, byUnix[s.Unix()])
		}
	}
	// One e-mail a request still held: a replaced request's went with it.
	if n, _, err := db.PendingMail(ctx); err != nil || n != len(slots)*2 {
		t.Errorf("%d e-mails queued (%v), want one a request still held: %d", n, err, len(slots)*2)
	}
	for i := range 40 {
		if personal, _, err := db.Holds(ctx, fmt.Sprint("p", i), slots[0], Intake, now); err != nil || personal > 1 {
			t.Errorf("person p%d holds %d requests (%v), want at most 1", i, personal, err)
		}
	}
}

// TestConfirmRequest: a live request becomes a booking with its contact
// and e-mail, once; a lapsed one is deleted and reads as not found.
func TestConfirmRequest(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	slot := now.Add(48 * time.Hour)
	for _, tok := range []string{"live", "old"} {
		if err := db.HoldRequest(ctx, Request{Token: tok, Booking: "{}", Person: "p-" + tok, SlotStart: slot, Kind: Intake,
			Expires: now.Add(15 * time.Minute), Email: tok + "@example.ro", Lang: "en"}, 5, now, nil); err != nil {
			t.Fatal(err)
		}
	}
	build := func(r Request, id uint64) (Confirmation, error) {
		b := sampleBooking(strconv.FormatUint(id, 10), "CODE"+r.Token)
		b.SlotStart = r.SlotStart
		return Confirmation{Booking: b, Person: r.Person, Email: r.Email, Lang: r.Lang, CancelHash: "h-" + r.Token, Mail: []byte("x")}, nil
	}
	b, err := db.ConfirmRequest(ctx, "live", now.Add(14*time.Minute), build)
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.ContactOf(ctx, b.ID)
	if err != nil || c.Email != "live@example.ro" || c.Lang != "en" || c.Person != "p-live" {
		t.Errorf("contact %+v, %v", c, err)
	}
	if again, err := db.ConfirmRequest(ctx, "live", now.Add(14*time.Minute), build); err != nil || again.ID != b.ID {
		t.Errorf("second confirmation: %+v, %v; want the same booking", again, err)
	}
	if _, err := db.ConfirmRequest(ctx, "old", now.Add(15*time.Minute), build); !errors.Is(err, ErrNotFound) {
		t.Errorf("lapsed confirmation: %v, want ErrNotFound", err)
	}
	if _, err := db.TakeRequest(ctx, "old"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the lapsed request is still there: %v", err)
	}
	if n, _, _ := db.PendingMail(ctx); n != 1 {
		t.Errorf("%d e-mails queued, want the confirmed booking's 1", n)
	}
}

// TestCancelByHash: the cancel token works once and forgets the address.
func TestCancelByHash(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	b, err := db.AddBooking(ctx, now, func(id uint64) (Confirmation, error) {
		b := sampleBooking(strconv.FormatUint(id, 10), "C")
		b.SlotStart = now.Add(24 * time.Hour)
		return Confirmation{Booking: b, Person: "p", Email: "a@example.ro", CancelHash: "hash"}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.BookingByCancel(ctx, "hash", now); err != nil || got.ID != b.ID {
		t.Fatalf("by cancel: %+v, %v", got, err)
	}
	if got, err := db.CancelByHash(ctx, "hash", now); err != nil || got.Status != Cancelled {
		t.Fatalf("cancel: %+v, %v", got, err)
	}
	if got, _ := db.BookingByID(ctx, b.ID); got.Status != Cancelled {
		t.Errorf("status %s after cancel", got.Status)
	}
	for _, step := range []func() error{
		func() error { _, err := db.CancelByHash(ctx, "hash", now); return err },
		func() error { _, err := db.BookingByCancel(ctx, "hash", now); return err },
		func() error { _, err := db.ContactOf(ctx, b.ID); return err },
	} {
		if err := step(); !errors.Is(err, ErrNotFound) {
			t.Errorf("after cancel: %v, want ErrNotFound", err)
		}
	}
}

// TestDeleteLapsed deletes only the requests past their time.
func TestDeleteLapsed(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i, exp := range []time.Duration{-time.Minute, 0, time.Minute} {
		if err := db.PutRequest(ctx, Request{Token: fmt.Sprint(i), Booking: "{}", Person: fmt.Sprint(i),
			SlotStart: now.Add(time.Hour), Kind: Intake, Expires: now.Add(exp)}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.DeleteLapsed(ctx, now); err != nil || n != 2 {
		t.Errorf("deleted %d (%v), want 2", n, err)
	}
	if _, err := db.TakeRequest(ctx, "2"); err != nil {
		t.Errorf("the live request went too: %v", err)
	}
}

// TestExpiredMailIsNotSent: a confirmation e-mail still queued when its
// request lapses is dropped, not sent late.
func TestExpiredMailIsNotSent(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	if err := db.HoldRequest(ctx, Request{Token: "t", Booking: "{}", Person: "p", SlotStart: now.Add(48 * time.Hour), Kind: Intake,
		Expires: now.Add(15 * time.Minute), Email: "a@example.ro"}, 1, now, []byte("confirm")); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.DueMail(ctx, now.Add(14*time.Minute), 10); len(due) != 1 {
		t.Fatalf("%d due before the request lapses, want 1", len(due))
	}
	if due, _ := db.DueMail(ctx, now.Add(15*time.Minute), 10); len(due) != 0 {
		t.Errorf("%d due after the request lapsed, want 0", len(due))
	}
	if n, err := db.DeleteExpiredMail(ctx, now.Add(15*time.Minute)); err != nil || n != 1 {
		t.Errorf("expired mail deleted: %d, %v; want 1", n, err)
	}
}

// TestCancelStopsAtTheAppointment: a cancel token no longer works once the
// booking's time has begun.
func TestCancelStopsAtTheAppointment(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	b, err := db.AddBooking(ctx, now, func(id uint64) (Confirmation, error) {
		b := sampleBooking(strconv.FormatUint(id, 10), "C")
		b.SlotStart = now.Add(time.Hour)
		return Confirmation{Booking: b, Person: "p", Email: "a@example.ro", CancelHash: "hash"}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CancelByHash(ctx, "hash", b.SlotStart); !errors.Is(err, ErrStarted) {
		t.Errorf("cancel at the slot: %v, want ErrStarted", err)
	}
	if got, _ := db.BookingByID(ctx, b.ID); got.Status != Confirmed {
		t.Errorf("status %s after a refused cancel", got.Status)
	}
}

// holdReq is a request of person at slot from addr, live 15 minutes from now.
func holdReq(tok, person, addr string, slot, now time.Time) Request {
	return Request{Token: tok, Booking: "{}", Person: person, SlotStart: slot, Kind: Intake,
		Expires: now.Add(15 * time.Minute), Email: addr}
}

// mailTo lists the recipients of the queued e-mail, and drops it.
func mailTo(t *testing.T, db *DB, now time.Time) []string {
	t.Helper()
	due, err := db.DueMail(context.Background(), now, 100)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range due {
		to = append(to, m.Recipient)
		if err := db.MailSent(context.Background(), m.ID); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// TestHoldReplacesTheUnconfirmed: a person's new request replaces their
// unconfirmed one at once (a mistyped address is fixed by asking again,
// and nobody locks a person out by asking in their name): the new one gets
// its e-mail, the old one's token no longer confirms, the old slot is
// free, and the person's own request does not make its slot look full.
func TestHoldReplacesTheUnconfirmed(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	a, b := now.Add(48*time.Hour), now.Add(49*time.Hour)
	for _, step := range []struct {
		tok  string
		slot time.Time
		addr string
	}{{"typo", a, "ana@exmaple.ro"}, {"same-slot", a, "ana@example.ro"}, {"other-slot", b, "ana@example.ro"}} {
		held, err := db.Hold(ctx, Hold{Request: holdReq(step.tok, "p", step.addr, step.slot, now), Capacity: 1, Mail: []byte("confirm")}, now)
		if err != nil || !held.Mailed {
			t.Fatalf("%s: %+v, %v; want held with its e-mail", step.tok, held, err)
		}
		if step.tok != "typo" && held.Replaced != 1 {
			t.Errorf("%s: replaced %d, want 1", step.tok, held.Replaced)
		}
		if to := mailTo(t, db, now); len(to) != 1 || to[0] != step.addr {
			t.Errorf("%s: e-mail to %v, want %s", step.tok, to, step.addr)
		}
	}
	build := func(r Request, id uint64) (Confirmation, error) {
		bk := sampleBooking(strconv.FormatUint(id, 10), "C"+r.Token)
		bk.SlotStart = r.SlotStart
		return Confirmation{Booking: bk, Person: r.Person}, nil
	}
	for _, old := range []string{"typo", "same-slot"} {
		if _, err := db.ConfirmRequest(ctx, old, now, build); !errors.Is(err, ErrNotFound) {
			t.Errorf("the replaced request %s confirms: %v, want ErrNotFound", old, err)
		}
	}
	taken, _ := db.Taken(ctx, now, now.Add(72*time.Hour), Intake, now)
	for s, n := range taken {
		if s.Unix() == a.Unix() && n != 0 || s.Unix() == b.Unix() && n != 1 {
			t.Errorf("slot %v: %d taken after the replacement", s, n)
		}
	}
	if _, err := db.ConfirmRequest(ctx, "other-slot", now, build); err != nil {
		t.Errorf("the last request: %v", err)
	}
	// Another person's request still fills a slot for everyone else.
	if _, err := db.Hold(ctx, Hold{Request: holdReq("q1", "q", "q@example.ro", a, now), Capacity: 1}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Hold(ctx, Hold{Request: holdReq("r1", "r", "r@example.ro", a, now), Capacity: 1}, now); !errors.Is(err, ErrSlotFull) {
		t.Errorf("a third person at a full slot: %v, want ErrSlotFull", err)
	}
}

// TestHoldNoticesTheBookingsContact: a request of a person with a live
// confirmed booking is held without an e-mail to the requester, and the
// booking's own address is told instead, at most once per NoticeEvery; a
// booking made without the site (no contact) is told nothing.
func TestHoldNoticesTheBookingsContact(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i, email := range []string{"Ana@Example.RO", ""} {
		if _, err := db.AddBooking(ctx, now, func(id uint64) (Confirmation, error) {
			bk := sampleBooking(strconv.FormatUint(id, 10), "C")
			bk.SlotStart = now.Add(72 * time.Hour)
			return Confirmation{Booking: bk, Person: fmt.Sprint("p", i), Email: email, Lang: "en", CancelHash: fmt.Sprint("h", i)}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	var told []Contact
	notice := func(b Booking, c Contact) ([]byte, error) {
		told = append(told, c)
		return []byte("notice of " + b.ID), nil
	}
	for _, step := range []struct {
		name   string
		person string
		after  time.Duration
		notice bool
	}{
		{"first ask", "p0", 0, true},
		{"again at once", "p0", time.Minute, false},
		{"again within the day", "p0", 23 * time.Hour, false},
		{"after the day", "p0", 25 * time.Hour, true},
		{"a booking without the site", "p1", 0, false},
	} {
		at := now.Add(step.after)
		held, err := db.Hold(ctx, Hold{Request: holdReq(step.name, step.person, "x@evil.example", now.Add(48*time.Hour), at),
			Capacity: 5, Mail: []byte("confirm"), Notice: notice}, at)
		if !errors.Is(err, ErrPersonHolds) || held.Mailed || held.Noticed != step.notice {
			t.Errorf("%s: %+v, %v; want ErrPersonHolds, no e-mail, notice %v", step.name, held, err, step.notice)
		}
		to := mailTo(t, db, at)
		if step.notice && (len(to) != 1 || to[0] != "ana@example.ro") || !step.notice && len(to) != 0 {
			t.Errorf("%s: e-mail to %v", step.name, to)
		}
	}
	if len(told) != 2 || told[0].Lang != "en" || told[0].Email != "ana@example.ro" {
		t.Errorf("told %+v", told)
	}
	if personal, _, _ := db.Holds(ctx, "p0", now, Intake, now.Add(25*time.Hour)); personal != 2 {
		t.Errorf("p0 holds %d (the booking and the last request), want 2: a repeat replaces the decoy too", personal)
	}
}

// TestAddressCap: one e-mail address has at most MaxPerAddress live
// bookings and held requests (its case aside); past and cancelled bookings
// and lapsed requests do not count. Over the cap, the slot is held all the
// same, without an e-mail.
func TestAddressCap(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name                      string
		live, past, cancelled, rq int // bookings of the address, and its held requests
		lapsed                    int
		wantFull                  bool
	}{
		{"empty", 0, 0, 0, 0, 0, false},
		{"three", 2, 0, 0, 1, 0, false},
		{"three, and the past and cancelled", 3, 2, 2, 0, 2, false},
		{"four bookings", 4, 0, 0, 0, 0, true},
		{"two and two requests", 2, 0, 0, 2, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTemp(t)
			ctx := context.Background()
			n := 0
			add := func(addr string, slot time.Time, status Status) {
				n++
				b, err := db.AddBooking(ctx, now, func(id uint64) (Confirmation, error) {
					bk := sampleBooking(strconv.FormatUint(id, 10), "C")
					bk.SlotStart = slot
					return Confirmation{Booking: bk, Person: fmt.Sprint("b", n), Email: addr, CancelHash: fmt.Sprint("h", n)}, nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if status != Confirmed {
					db.SetStatus(ctx, b.ID, status)
				}
			}
			for range tt.live {
				add("Fam@Example.ro", now.Add(24*time.Hour), Confirmed)
			}
			for range tt.past {
				add("fam@example.ro", now.Add(-time.Hour), Confirmed)
			}
			for range tt.cancelled {
				add("fam@example.ro", now.Add(24*time.Hour), Cancelled)
			}
			for i := range tt.rq {
				if err := db.HoldRequest(ctx, holdReq(fmt.Sprint("r", i), fmt.Sprint("r", i), "FAM@example.RO", now.Add(50*time.Hour), now),
					9, now, nil); err != nil {
					t.Fatal(err)
				}
			}
			for i := range tt.lapsed {
				if err := db.PutRequest(ctx, holdReq(fmt.Sprint("l", i), fmt.Sprint("l", i), "fam@example.ro", now.Add(50*time.Hour),
					now.Add(-20*time.Minute))); err != nil {
					t.Fatal(err)
				}
			}
			slot := now.Add(30 * time.Hour)
			held, err := db.Hold(ctx, Hold{Request: holdReq("new", "new", " fam@EXAMPLE.ro", slot, now), Capacity: 9, Mail: []byte("confirm")}, now)
			if tt.wantFull {
				if !errors.Is(err, ErrAddressFull) || held.Mailed || held.AddressCount != MaxPerAddress {
					t.Errorf("%+v, %v; want ErrAddressFull, no e-mail, count %d", held, err, MaxPerAddress)
				}
				if to := mailTo(t, db, now); len(to) != 0 {
					t.Errorf("e-mail over the cap to %v", to)
				}
			} else if err != nil || !held.Mailed {
				t.Errorf("%+v, %v; want held with its e-mail", held, err)
			} else if to := mailTo(t, db, now); len(to) != 1 || to[0] != "fam@example.ro" {
				t.Errorf("e-mail to %v, want fam@example.ro (lower case)", to)
			}
			taken, _ := db.Taken(ctx, slot, slot.Add(time.Minute), Intake, now)
			if len(taken) != 1 {
				t.Errorf("the slot asked for is not held: %v", taken)
			}
		})
	}
}

// TestCancelByOffice: the office's cancel e-mails the contact of a site
// booking still ahead, in the same transaction, and forgets the contact;
// a booking without a contact, or whose time has passed, is only
// cancelled; an unknown booking is ErrNotFound.
func TestCancelByOffice(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		email    string
		slot     time.Duration
		wantMail bool
	}{
		{"site booking ahead", "ana@example.ro", 24 * time.Hour, true},
		{"hub booking", "", 24 * time.Hour, false},
		{"site booking past", "dan@example.ro", -time.Hour, false},
	}
	for i, tt := range tests {
		b, err := db.AddBooking(ctx, now, func(id uint64) (Confirmation, error) {
			bk := sampleBooking(strconv.FormatUint(id, 10), "C")
			bk.SlotStart = now.Add(tt.slot)
			return Confirmation{Booking: bk, Person: "p", Email: tt.email, Lang: "en", CancelHash: fmt.Sprint("h", i)}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got Contact
		cb, mailed, err := db.CancelByOffice(ctx, b.ID, now, func(b Booking, c Contact) ([]byte, error) {
			got = c
			return []byte("cancelled " + b.ID), nil
		})
		if err != nil || mailed != tt.wantMail || cb.Status != Cancelled {
			t.Errorf("%s: %+v, mailed %v, %v; want mailed %v", tt.name, cb, mailed, err, tt.wantMail)
		}
		if to := mailTo(t, db, now); tt.wantMail && (len(to) != 1 || to[0] != tt.email || got.Lang != "en") || !tt.wantMail && len(to) != 0 {
			t.Errorf("%s: e-mail to %v (contact %+v)", tt.name, to, got)
		}
		if st, _ := db.BookingByID(ctx, b.ID); st.Status != Cancelled {
			t.Errorf("%s: status %s", tt.name, st.Status)
		}
		if _, err := db.ContactOf(ctx, b.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: the contact is kept: %v", tt.name, err)
		}
	}
	if _, _, err := db.CancelByOffice(ctx, "404", now, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown booking: %v, want ErrNotFound", err)
	}
}

// TestReplacedRequestsMailIsNotSent: a request replaced before its e-mail
// went out takes the e-mail with it: the mistyped address never gets the
// person's name and slot. Another person's e-mail to the same address stays.
func TestReplacedRequestsMailIsNotSent(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 500_000_000, time.UTC) // expiries with milliseconds, as the hub's
	slot := now.Add(48 * time.Hour)
	for _, h := range []Hold{
		{Request: holdReq("other", "q", "ana@exmaple.ro", slot.Add(time.Hour), now), Capacity: 1, Mail: []byte("other person")},
		{Request: holdReq("typo", "p", "ana@exmaple.ro", slot, now), Capacity: 1, Mail: []byte("typo")},
		{Request: holdReq("fixed", "p", "ana@example.ro", slot, now.Add(time.Minute)), Capacity: 1, Mail: []byte("fixed")},
	} {
		if _, err := db.Hold(ctx, h, now); err != nil {
			t.Fatal(err)
		}
	}
	due, err := db.DueMail(ctx, now.Add(2*time.Minute), 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range due {
		got = append(got, m.Recipient+": "+string(m.Message))
	}
	if want := []string{"ana@exmaple.ro: other person", "ana@example.ro: fixed"}; !slices.Equal(got, want) {
		t.Errorf("queued %q, want %q", got, want)
	}
}

// TestOfficeCannotCancelAWalkIn: a walk-in is its counter's; cancelled at
// the hub, the counter's next push of it would be refused as another's.
func TestOfficeCannotCancelAWalkIn(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	w := sampleBooking("w-00000000000000a1", "")
	w.Status, w.SlotStart = WalkIn, now
	if err := db.PutBookings(ctx, []Booking{w}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CancelByOffice(ctx, w.ID, now, nil); !errors.Is(err, ErrWalkInAtHub) {
		t.Fatalf("cancel of a walk-in: %v, want ErrWalkInAtHub", err)
	}
	if b, _ := db.BookingByID(ctx, w.ID); b.Status != WalkIn {
		t.Errorf("the walk-in is %s after the refused cancel", b.Status)
	}
}
