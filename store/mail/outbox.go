package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	netmail "net/mail"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ghiseu/ghiseu/store"
)

// Outbox delivers the e-mails queued in the hub's database (store's
// mail_outbox). A message is deleted only once the Sender has taken it, so
// a mail server that is down, or a process that is stopped, loses nothing:
// the next Run carries on from the database. Delivery is at least once: a
// crash between the server's answer and the deletion sends the message
// again. One Run per database.
//
// Retries: after the n-th failure a message waits Backoff·2^(n-1), at most
// MaxBackoff, less up to a fifth at random so that a queue that failed
// together does not retry in one burst (30 s, 1 min, 2 min, … 1 h). A
// message the server refused for good (ErrRejected, a 5xx answer to the
// recipient or the message) keeps its error and is tried again only every
// Rejected (6 h): a mailbox that was full or a server that was wrong may
// recover, and an administrator sees it in the database meanwhile.
type Outbox struct {
	DB     *store.DB
	Sender Sender

	Backoff    time.Duration    // the first retry's wait; default 30 s
	MaxBackoff time.Duration    // the longest wait; default 1 h
	Rejected   time.Duration    // the wait after a permanent refusal; default 6 h
	Batch      int              // messages read from the database at a time; default 50
	Now        func() time.Time // the clock; default time.Now
	Log        *slog.Logger     // default slog.Default()

	once sync.Once
	kick chan struct{}
}

// Enqueue writes m and queues it for delivery, then wakes Run.
func (o *Outbox) Enqueue(ctx context.Context, m Message) error {
	raw, err := m.Bytes(o.now())
	if err != nil {
		return err
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return fmt.Errorf("queue mail: recipient: %w", err)
	}
	if err := o.DB.EnqueueMail(ctx, to.Address, raw, o.now()); err != nil {
		return err
	}
	o.Kick()
	return nil
}

// Kick wakes Run to look for due mail now, e.g. after a message was queued
// in another transaction. It never blocks.
func (o *Outbox) Kick() {
	select {
	case o.wake() <- struct{}{}:
	default:
	}
}

func (o *Outbox) wake() chan struct{} {
	o.once.Do(func() { o.kick = make(chan struct{}, 1) })
	return o.kick
}

// Run delivers due mail until ctx is done, then returns nil (an error only
// when DB or Sender is missing). Between
// rounds it sleeps until the next message falls due, a Kick, or a minute
// at most. A database error is logged and tried again later, never fatal.
func (o *Outbox) Run(ctx context.Context) error {
	if o.DB == nil || o.Sender == nil {
		return errors.New("mail outbox: no database or no sender")
	}
	log := o.log()
	for {
		wait := time.Minute
		if err := o.deliverDue(ctx); err != nil && ctx.Err() == nil {
			log.Error("mail outbox", "err", err)
			wait = o.backoff(1)
		} else if next, ok, err := o.DB.NextMailAt(ctx); err != nil && ctx.Err() == nil {
			log.Error("mail outbox", "err", err)
			wait = o.backoff(1)
		} else if ok {
			wait = min(wait, max(next.Sub(o.now()), 0))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-o.wake():
		case <-t.C:
		}
		t.Stop()
	}
}

// deliverDue drops the messages not worth sending any more (a lapsed
// confirmation link), then sends every message due now, batch by batch,
// and logs the counts.
func (o *Outbox) deliverDue(ctx context.Context) error {
	if n, err := o.DB.DeleteExpiredMail(ctx, o.now()); err != nil {
		return err
	} else if n > 0 {
		o.log().Info("mail outbox: expired messages dropped unsent", "count", n)
	}
	batch := o.Batch
	if batch <= 0 {
		batch = 50
	}
	var sent, failed, rejected int
	var lastErr string
	defer func() {
		// One line a round, not one a message: a queue of a thousand
		// against a server that is down stays readable.
		if sent+failed+rejected > 0 {
			pending, oldest, err := o.DB.PendingMail(context.WithoutCancel(ctx))
			attrs := []any{"sent", sent, "failed", failed, "rejected", rejected, "pending", pending}
			if err == nil && pending > 0 {
				attrs = append(attrs, "oldest", o.now().Sub(oldest).Round(time.Second))
			}
			if lastErr != "" {
				o.log().Warn("mail outbox", append(attrs, "err", lastErr)...)
			} else {
				o.log().Info("mail outbox", attrs...)
			}
		}
	}()
	seen := map[int64]bool{} // each message once per round, even if due again at once
	for {
		due, err := o.DB.DueMail(ctx, o.now(), batch)
		if err != nil {
			return err
		}
		fresh := 0
		for _, m := range due {
			if seen[m.ID] {
				continue
			}
			seen[m.ID] = true
			fresh++
			err := o.Sender.Send(ctx, envelopeFrom(m.Message), []string{m.Recipient}, m.Message)
			if ctx.Err() != nil {
				return nil // stopped mid-send: the message stays due
			}
			if err == nil {
				sent++
				if err := o.DB.MailSent(ctx, m.ID); err != nil {
					return err
				}
				continue
			}
			wait := o.backoff(m.Attempts + 1)
			if errors.Is(err, ErrRejected) {
				rejected++
				wait = o.Rejected
				if wait <= 0 {
					wait = 6 * time.Hour
				}
			} else {
				failed++
			}
			reason := scrub(err.Error(), m.Recipient)
			lastErr = reason
			o.log().Debug("mail not delivered", "id", m.ID, "attempt", m.Attempts+1, "retry_in", wait.Round(time.Millisecond), "err", reason)
			if err := o.DB.MailFailed(ctx, m.ID, reason, o.now().Add(wait)); err != nil {
				return err
			}
		}
		if fresh == 0 || len(due) < batch {
			return nil
		}
	}
}

// backoff is the wait after the n-th failure (n ≥ 1), with jitter.
func (o *Outbox) backoff(n int) time.Duration {
	base, ceil := o.Backoff, o.MaxBackoff
	if base <= 0 {
		base = 30 * time.Second
	}
	if ceil <= 0 {
		ceil = time.Hour
	}
	d := base
	for i := 1; i < n && d < ceil; i++ {
		d *= 2
	}
	d = min(d, ceil)
	return d - rand.N(d/5+1)
}

func (o *Outbox) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Outbox) log() *slog.Logger {
	if o.Log != nil {
		return o.Log
	}
	return slog.Default()
}

// envelopeFrom is the address in the message's From header, the envelope
// sender (bounces go there); empty, the null sender, if there is none.
func envelopeFrom(msg []byte) string {
	end := bytes.Index(msg, []byte("\r\n\r\n"))
	if end < 0 {
		return ""
	}
	m, err := netmail.ReadMessage(bytes.NewReader(msg[:end+4]))
	if err != nil {
		return ""
	}
	a, err := netmail.ParseAddress(m.Header.Get("From"))
	if err != nil {
		return ""
	}
	return a.Address
}

// anyAddress matches what looks like an e-mail address in a server's
// answer.
var anyAddress = regexp.MustCompile(`[^\s<>"'@,;:()\[\]]+@[^\s<>"'@,;:()\[\]]+`)

// scrub removes the recipient, and anything else that looks like an
// address, from an error text before it is logged or stored as the
// message's last error, and bounds its length.
func scrub(s, recipient string) string {
	if recipient != "" {
		s = strings.ReplaceAll(s, recipient, "<recipient>")
		if l := strings.ToLower(recipient); l != recipient {
			s = strings.ReplaceAll(s, l, "<recipient>")
		}
	}
	s = anyAddress.ReplaceAllString(s, "<address>")
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}
