package store

import (
	"context"
	"errors"
	"fmt"
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
	if held != 4 {
		t.Errorf("%d requests held, want 4 (two slots of 2)", held)
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
	if n, _, err := db.PendingMail(ctx); err != nil || n != held {
		t.Errorf("%d e-mails queued (%v), want one a held request: %d", n, err, held)
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
