package hubcli

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/hub"
)

// newTestHub is an initialised, non-demo hub at the clock *now.
func newTestHub(t *testing.T, now *time.Time) *hub.Hub {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	_, key, _ := ed25519.GenerateKey(nil)
	if err := hub.Init(ctx, db, calendar.Default(), key, 1, *now); err != nil {
		t.Fatal(err)
	}
	return &hub.Hub{DB: db, Key: key, KeyID: 1, Now: func() time.Time { return *now }}
}

// flags parses args with cmd's flags.
func flags(t *testing.T, cmd hubCmd, args ...string) *flag.FlagSet {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cmd(context.Background(), nil, fs, nil, nil)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestServePurgesWithoutTheSite: the days past the retention go while the
// hub serves the counters only (they once went only with --site).
func TestServePurgesWithoutTheSite(t *testing.T) {
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newTestHub(t, &now)
	ctx := context.Background()
	old := store.Booking{ID: "77", Office: calendar.Default().Office, Day: "2026-01-05", SlotStart: time.Date(2026, 1, 5, 9, 0, 0, 0, loc),
		SlotMinutes: 20, Kind: store.Intake, Name: "Ion Vechi", Reason: "expiry", Status: store.Confirmed}
	if err := h.DB.PutBookings(ctx, []store.Booking{old}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, h, flags(t, serve, "--addr", "127.0.0.1:0"), nil, io.Discard) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := h.DB.BookingByID(context.Background(), old.ID); errors.Is(err, store.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Error("serve without --site kept a booking of a day past the retention")
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// TestServeKeepsTheSenderForReady: serve --site keeps its sender and site
// address; ready then uses them, and on a real hub without either refuses
// to e-mail from a made-up sender.
func TestServeKeepsTheSenderForReady(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newTestHub(t, &now)
	h.Letters = hub.Letters{SiteURL: "https://p.example.ro", From: "x <x@example.ro>"}
	token, _, err := h.Request(ctx, hub.BookingRequest{Name: "Ana Pop", BirthDate: "1990-05-05", Reason: "expiry",
		Kind: store.Intake, Slot: time.Date(2026, 11, 23, 8, 30, 0, 0, loc), Email: "ana@example.ro"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Confirm(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.DB.Append(ctx, store.Event{ID: store.NewEventID(), BookingID: b.ID, Type: store.Arrived, At: b.SlotStart, Counter: "1", Clerk: "Ana"}); err != nil {
		t.Fatal(err)
	}
	now = time.Date(2026, 12, 3, 10, 0, 0, 0, loc)
	cli := func() *hub.Hub { return &hub.Hub{DB: h.DB, Key: h.Key, KeyID: 1, Now: h.Now} }
	var out strings.Builder
	err = ready(ctx, cli(), flags(t, ready, "--booking", b.ID), nil, &out)
	if err == nil || !strings.Contains(err.Error(), "--mail-from") {
		t.Errorf("ready on a real hub with no sender kept or given: %v, want a refusal naming --mail-from", err)
	}
	const sender = "SPCLEP Dumbrăvița <programari@dumbravita.ro>"
	if _, err := newCitizenSide(cli(), flags(t, serve, "--site", "0.0.0.0:8080", "--site-url", "https://programari.dumbravita.ro",
		"--smtp", "mail.dumbravita.ro:587", "--mail-from", sender), strings.NewReader("")); err != nil {
		t.Fatal(err)
	}
	if err := ready(ctx, cli(), flags(t, ready, "--booking", b.ID), nil, &out); err != nil {
		t.Fatalf("ready after serve kept the sender: %v", err)
	}
	due, err := h.DB.DueMail(ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	last := due[len(due)-1]
	if last.Recipient != "ana@example.ro" || !strings.Contains(string(last.Message), "programari@dumbravita.ro") {
		t.Errorf("the card-ready e-mail to %s is not from serve's sender", last.Recipient)
	}
	if !strings.Contains(out.String(), "e-mail queued to the citizen") {
		t.Errorf("ready printed %q, want it to say the e-mail was queued", out.String())
	}
	out.Reset()
	err = ready(ctx, cli(), flags(t, ready, "--booking", b.ID), nil, &out)
	if err == nil || !strings.Contains(err.Error(), "already announced on 2026-12-03; pickup booked for 2026-12-11") {
		t.Errorf("ready twice: %v, want the first notice and the pickup's local day", err)
	}
}

// TestFindPrints: find prints the office's local times, says when nothing
// matches, and never a birth date or an e-mail address.
func TestFindPrints(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newTestHub(t, &now)
	h.Letters = hub.Letters{SiteURL: "https://p.example.ro", From: "x <x@example.ro>"}
	token, _, err := h.Request(ctx, hub.BookingRequest{Name: "Ion Popescu", BirthDate: "1990-05-05", Reason: "expiry",
		Kind: store.Intake, Slot: time.Date(2026, 11, 23, 8, 30, 0, 0, loc), Email: "ion@example.ro"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Confirm(ctx, token); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ args, want, not []string }{
		{[]string{"--name", "popescu"}, []string{"2026-11-23 08:30", "Ion Popescu"}, []string{"1990", "ion@example.ro", "T06:30", "Z"}},
		{[]string{"--name", "POPESCU ion", "--birth", "1990-05-05"}, []string{"Ion Popescu"}, nil},
		{[]string{"--name", "vasile"}, []string{"no booking matches"}, nil},
		{[]string{"--name", "popescu", "--birth", "1991-01-01"}, []string{"no booking matches"}, nil},
	}
	for _, tt := range tests {
		var out strings.Builder
		if err := find(ctx, h, flags(t, find, tt.args...), nil, &out); err != nil {
			t.Errorf("find %v: %v", tt.args, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("find %v printed %q, want %q in it", tt.args, out.String(), w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(out.String(), n) {
				t.Errorf("find %v printed %q, with %q in it", tt.args, out.String(), n)
			}
		}
	}
}

// TestCancelMailsWithServesSender: the office's cancel of a site booking
// e-mails the citizen from the sender serve was given; on a real hub that
// knows none it refuses and cancels nothing, naming --mail-from; it says
// whether an e-mail went out.
func TestCancelMailsWithServesSender(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newTestHub(t, &now)
	h.Letters = hub.Letters{SiteURL: "https://p.example.ro", From: "x <x@example.ro>"}
	token, _, err := h.Request(ctx, hub.BookingRequest{Name: "Ana Pop", BirthDate: "1990-05-05", Reason: "expiry",
		Kind: store.Intake, Slot: time.Date(2026, 11, 23, 8, 30, 0, 0, loc), Email: "ana@example.ro"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Confirm(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	cli := func() *hub.Hub { return &hub.Hub{DB: h.DB, Key: h.Key, KeyID: 1, Now: h.Now} }
	var out strings.Builder
	err = cancel(ctx, cli(), flags(t, cancel, "--booking", b.ID), nil, &out)
	if err == nil || !strings.Contains(err.Error(), "--mail-from") || !strings.Contains(err.Error(), "nothing was cancelled") {
		t.Errorf("cancel on a real hub with no sender: %v, want a refusal naming --mail-from", err)
	}
	if st, _ := h.DB.BookingByID(ctx, b.ID); st.Status != store.Confirmed {
		t.Fatalf("the refused cancel left the booking %s", st.Status)
	}
	const sender = "SPCLEP Dumbrăvița <programari@dumbravita.ro>"
	if _, err := newCitizenSide(cli(), flags(t, serve, "--site", "0.0.0.0:8080", "--site-url", "https://programari.dumbravita.ro",
		"--smtp", "mail.dumbravita.ro:587", "--mail-from", sender), strings.NewReader("")); err != nil {
		t.Fatal(err)
	}
	if err := cancel(ctx, cli(), flags(t, cancel, "--booking", b.ID), nil, &out); err != nil {
		t.Fatalf("cancel after serve kept the sender: %v", err)
	}
	if !strings.Contains(out.String(), "e-mail queued to the citizen") {
		t.Errorf("cancel printed %q, want it to say the e-mail was queued", out.String())
	}
	due, err := h.DB.DueMail(ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	last := due[len(due)-1]
	if last.Recipient != "ana@example.ro" || !strings.Contains(string(last.Message), "programari@dumbravita.ro") ||
		!strings.Contains(string(last.Message), "programari.dumbravita.ro") {
		t.Errorf("the cancel e-mail to %s is not from serve's sender with its site", last.Recipient)
	}
}
