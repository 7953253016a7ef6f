package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/textproto"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
)

// fakeSender fails while down is set, refuses recipients starting with
// "refuse", and records what it took.
type fakeSender struct {
	mu    sync.Mutex
	down  bool
	tries int
	got   [][]byte
	froms []string
}

func (f *fakeSender) Send(ctx context.Context, from string, to []string, msg []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tries++
	if f.down {
		return errors.New("dial tcp 127.0.0.1:25: connection refused")
	}
	if strings.HasPrefix(to[0], "refuse") {
		return fmt.Errorf("smtp: RCPT TO: %w: %w", ErrRejected, &textproto.Error{Code: 550, Msg: "5.1.1 <" + to[0] + ">: no such user"})
	}
	f.got = append(f.got, msg)
	f.froms = append(f.froms, from)
	return nil
}

func (f *fakeSender) state() (tries, got int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tries, len(f.got)
}

func (f *fakeSender) setDown(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
}

func openDB(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitFor polls cond for up to 20 s (the machine is shared and slow).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func pending(t *testing.T, db *store.DB) int {
	t.Helper()
	n, _, err := db.PendingMail(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func testMessage(to, subject string) Message {
	return Message{From: "SPCLEP Dumbrăvița <programari@example.ro>", To: to, Subject: subject, Text: "Bună ziua."}
}

// runOutbox runs o until the test ends.
func runOutbox(t *testing.T, o *Outbox) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- o.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// TestOutboxRetriesAndResumes: with the sender down, queued mail is kept
// and retried with back-off; a new process on the same database delivers
// it once the sender is back; a refused recipient is kept with its error
// (without its address) and put off for long.
func TestOutboxRetriesAndResumes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	ctx := context.Background()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))

	sender := &fakeSender{down: true}
	db := openDB(t, path)
	o := &Outbox{DB: db, Sender: sender, Backoff: 20 * time.Millisecond, MaxBackoff: 80 * time.Millisecond, Log: log}
	stop := runOutbox(t, o)
	for i := range 3 {
		if err := o.Enqueue(ctx, testMessage(fmt.Sprintf("ana%d@example.ro", i), "Confirmă rezervarea")); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "retries", func() bool { tries, _ := sender.state(); return tries >= 12 })
	stop()
	db.Close()
	if _, got := sender.state(); got != 0 {
		t.Fatalf("a down sender took %d messages", got)
	}

	// The process restarts; the mail server is back.
	db = openDB(t, path)
	if n := pending(t, db); n != 3 {
		t.Fatalf("%d messages kept, want 3", n)
	}
	due, err := db.DueMail(ctx, time.Now().Add(time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range due {
		if m.Attempts < 2 || !strings.Contains(m.LastError, "connection refused") {
			t.Errorf("message %d: %d attempts, last error %q", m.ID, m.Attempts, m.LastError)
		}
	}
	sender.setDown(false)
	o = &Outbox{DB: db, Sender: sender, Backoff: 20 * time.Millisecond, MaxBackoff: 80 * time.Millisecond,
		Rejected: time.Hour, Log: log}
	runOutbox(t, o)
	waitFor(t, "delivery after restart", func() bool { return pending(t, db) == 0 })
	if _, got := sender.state(); got != 3 {
		t.Fatalf("%d messages delivered, want 3", got)
	}
	if sender.froms[0] != "programari@example.ro" {
		t.Errorf("envelope sender %q", sender.froms[0])
	}

	// A refused recipient stays, with the error, put off by Rejected.
	before := time.Now()
	if err := o.Enqueue(ctx, testMessage("refused@example.ro", "x")); err != nil {
		t.Fatal(err)
	}
	var m store.QueuedMail
	waitFor(t, "the refusal recorded", func() bool {
		due, err := db.DueMail(ctx, time.Now().Add(2*time.Hour), 10)
		if err != nil || len(due) != 1 || due[0].Attempts == 0 {
			return false
		}
		m = due[0]
		return true
	})
	if m.NextAt.Before(before.Add(50*time.Minute)) || !strings.Contains(m.LastError, "550") ||
		strings.Contains(m.LastError, "refused@") {
		t.Errorf("refused message: next %v (queued %v), last error %q", m.NextAt, before, m.LastError)
	}
	if strings.Contains(logs.String(), "@example.ro") || strings.Contains(logs.String(), "Bună") {
		t.Errorf("the log shows an address or a message:\n%s", logs.String())
	}
	if !regexp.MustCompile(`sent=[1-3] `).MatchString(logs.String()) || !strings.Contains(logs.String(), "pending=0") {
		t.Errorf("the log does not count what was sent:\n%s", logs.String())
	}
}

// syncWriter serialises writes from the outbox's goroutine and the test.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// TestBackoff checks the waits: doubling from Backoff, capped, jittered
// down by at most a fifth.
func TestBackoff(t *testing.T) {
	tests := []struct {
		base, ceil time.Duration
		n          int
		want       time.Duration
	}{
		{0, 0, 1, 30 * time.Second},
		{0, 0, 2, time.Minute},
		{0, 0, 5, 8 * time.Minute},
		{0, 0, 8, time.Hour},
		{0, 0, 1000, time.Hour},
		{time.Second, 10 * time.Second, 3, 4 * time.Second},
		{time.Second, 10 * time.Second, 5, 10 * time.Second},
	}
	for _, tt := range tests {
		o := &Outbox{Backoff: tt.base, MaxBackoff: tt.ceil}
		for range 50 {
			if got := o.backoff(tt.n); got > tt.want || got < tt.want-tt.want/5 {
				t.Errorf("backoff(%d) with %v..%v = %v, want %v less up to a fifth", tt.n, tt.base, tt.ceil, got, tt.want)
				break
			}
		}
	}
}

// TestScrub checks that error texts lose addresses.
func TestScrub(t *testing.T) {
	tests := []struct{ in, rcpt, want string }{
		{"550 5.1.1 <Ana@Example.ro>: no such user", "Ana@Example.ro", "550 5.1.1 <<recipient>>: no such user"},
		{"550 5.1.1 ana@example.ro unknown", "ANA@example.ro", "550 5.1.1 <recipient> unknown"},
		{"550 5.1.1 ion@example.ro unknown", "ana@example.ro", "550 5.1.1 <address> unknown"},
		{"dial tcp 127.0.0.1:25: connection refused", "a@b.ro", "dial tcp 127.0.0.1:25: connection refused"},
	}
	for _, tt := range tests {
		if got := scrub(tt.in, tt.rcpt); got != tt.want {
			t.Errorf("scrub(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
