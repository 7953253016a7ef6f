package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"
)

// TestMailOutbox walks a message through the outbox: queued and due at
// once, failed and put off, due again, sent and gone.
func TestMailOutbox(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	t0 := time.UnixMilli(1795424000123)

	if n, oldest, err := db.PendingMail(ctx); err != nil || n != 0 || !oldest.IsZero() {
		t.Fatalf("empty outbox: %d, %v, %v", n, oldest, err)
	}
	if _, ok, err := db.NextMailAt(ctx); err != nil || ok {
		t.Fatalf("empty outbox has a next time: %v, %v", ok, err)
	}
	if err := db.EnqueueMail(ctx, "ana@example.ro", []byte("first"), t0); err != nil {
		t.Fatal(err)
	}
	if err := db.EnqueueMail(ctx, "ion@example.ro", []byte("second"), t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := db.EnqueueMail(ctx, "", []byte("x"), t0); err == nil {
		t.Error("a message without recipient was queued")
	}

	due, err := db.DueMail(ctx, t0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].Recipient != "ana@example.ro" || !bytes.Equal(due[0].Message, []byte("first")) ||
		!due[0].Created.Equal(t0) || due[0].Attempts != 0 {
		t.Fatalf("due at t0: %+v", due)
	}
	first := due[0].ID

	later := t0.Add(time.Minute)
	if err := db.MailFailed(ctx, first, "connection refused", later); err != nil {
		t.Fatal(err)
	}
	due, err = db.DueMail(ctx, t0.Add(2*time.Second), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].Recipient != "ion@example.ro" {
		t.Fatalf("after a failure the first message is still due: %+v", due)
	}
	if next, ok, err := db.NextMailAt(ctx); err != nil || !ok || !next.Equal(t0.Add(time.Second)) {
		t.Fatalf("next mail at %v, %v, %v", next, ok, err)
	}
	if err := db.MailSent(ctx, due[0].ID); err != nil {
		t.Fatal(err)
	}

	due, err = db.DueMail(ctx, later, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].ID != first || due[0].Attempts != 1 || due[0].LastError != "connection refused" ||
		!due[0].NextAt.Equal(later) {
		t.Fatalf("the failed message when due again: %+v", due)
	}
	if n, oldest, err := db.PendingMail(ctx); err != nil || n != 1 || !oldest.Equal(t0) {
		t.Fatalf("pending: %d, %v, %v", n, oldest, err)
	}
	if err := db.MailSent(ctx, first); err != nil {
		t.Fatal(err)
	}
	if n, _, err := db.PendingMail(ctx); err != nil || n != 0 {
		t.Fatalf("pending after all sent: %d, %v", n, err)
	}
}

// TestEnqueueMailFollowsItsTransaction checks that a message queued inside a
// transaction that rolls back is not queued.
func TestEnqueueMailFollowsItsTransaction(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	boom := errors.New("boom")
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := enqueueMail(ctx, tx, "ana@example.ro", []byte("m"), time.Now()); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("tx: %v", err)
	}
	if n, _, err := db.PendingMail(ctx); err != nil || n != 0 {
		t.Fatalf("a rolled-back message is queued: %d, %v", n, err)
	}
}
