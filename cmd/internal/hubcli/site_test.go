package hubcli

import (
	"context"
	"crypto/ed25519"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/mail"
)

// TestMailSender: where the site's e-mail goes, and the settings refused
// before the hub serves anything.
func TestMailSender(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := &hub.Hub{DB: db}
	tests := []struct {
		name    string
		args    []string
		stdin   string
		demo    bool
		wantErr string
		check   func(mail.Sender, string) bool
	}{
		{"the demo's folder", []string{"--mail-dir", t.TempDir()}, "", false, "", func(s mail.Sender, dir string) bool { return dir != "" }},
		{"a demo hub without a mail server: a folder beside the database", nil, "", true, "", func(s mail.Sender, dir string) bool {
			return dir == filepath.Join(filepath.Dir(db.Path()), "mail")
		}},
		{"a real hub without a mail server", nil, "", false, "--smtp", nil},
		{"both", []string{"--smtp", "mail.example.ro:587", "--mail-dir", "x", "--mail-from", "a@b.ro"}, "", false, "choose one", nil},
		{"a mail server without a sender", []string{"--smtp", "mail.example.ro:587"}, "", false, "--mail-from", nil},
		{"not a port", []string{"--smtp", "mail.example.ro:smtp", "--mail-from", "a@b.ro"}, "", false, "not a port", nil},
		{"no port", []string{"--smtp", "mail.example.ro", "--mail-from", "a@b.ro"}, "", false, "--smtp", nil},
		{"a password in clear", []string{"--smtp", "localhost:25", "--smtp-plain", "--smtp-user", "u", "--mail-from", "a@b.ro"}, "", false, "without TLS", nil},
		{"the password from stdin", []string{"--smtp", "mail.example.ro:587", "--smtp-user", "u", "--smtp-password-file", "-", "--mail-from", "a@b.ro"},
			"s3cret\n", false, "", func(s mail.Sender, dir string) bool {
				m, ok := s.(*mail.SMTP)
				return ok && m.Password == "s3cret" && m.User == "u" && m.Port == 587 && m.TLS == mail.TLSRequired && dir == ""
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			siteFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			s, dir, err := mailSender(h, fs, strings.NewReader(tt.stdin), tt.demo)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %v, want one saying %q", err, tt.wantErr)
				}
			case err != nil:
				t.Errorf("unexpected error: %v", err)
			case !tt.check(s, dir):
				t.Errorf("sender %#v, folder %q", s, dir)
			}
		})
	}
}

// TestSiteURL: the e-mails' links go to an address a citizen can open; a
// hub that e-mails real citizens (--smtp) must be told it, in https.
func TestSiteURL(t *testing.T) {
	tests := []struct {
		addr, given   string
		demo, smtp    bool
		want, wantErr string
	}{
		{"127.0.0.1:8080", "", false, false, "http://127.0.0.1:8080", ""},
		{"localhost:8080", "", false, false, "http://localhost:8080", ""},
		{"127.0.0.1:8080", "", false, true, "", "--site-url"},
		{"127.0.0.1:8080", "", true, true, "", "--site-url"},
		{":8080", "", false, false, "", "--site-url"},
		{"0.0.0.0:8080", "", false, false, "", "--site-url"},
		{"192.168.1.10:8080", "", false, false, "", "--site-url"},
		{"0.0.0.0:8080", "https://programari.example.ro/", false, true, "https://programari.example.ro", ""},
		{"0.0.0.0:8080", "programari.example.ro", false, true, "", "http"},
		{"0.0.0.0:8080", "http://programari.example.ro", false, true, "", "https://"},
		{"0.0.0.0:8080", "http://192.168.1.10:8080", true, true, "http://192.168.1.10:8080", ""},
		{"127.0.0.1:8080", "http://127.0.0.1:8080", false, true, "http://127.0.0.1:8080", ""},
		{"0.0.0.0:8080", "https://", false, true, "", "absolute"},
		{"0.0.0.0:8080", "https://user@programari.example.ro", false, true, "", "absolute"},
		{"0.0.0.0:8080", "https://programari.example.ro/?x=1", false, true, "", "absolute"},
		{"0.0.0.0:8080", "ftp://programari.example.ro", false, true, "", "absolute"},
	}
	for _, tt := range tests {
		got, err := siteURL(tt.addr, tt.given, tt.demo, tt.smtp)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("siteURL(%q, %q, demo %v, smtp %v) = %q, %v; want an error saying %q", tt.addr, tt.given, tt.demo, tt.smtp, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("siteURL(%q, %q, demo %v, smtp %v) = %q, %v; want %q", tt.addr, tt.given, tt.demo, tt.smtp, got, err, tt.want)
		}
	}
}

// TestReadyForASiteBooking: `ghiseu-hub ready` e-mails the citizen who
// booked on the site (it once failed for want of a sender).
func TestReadyForASiteBooking(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, key, _ := ed25519.GenerateKey(nil)
	cal := calendar.Default()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, cal.Location())
	if err := hub.Init(ctx, db, cal, key, 1, now); err != nil {
		t.Fatal(err)
	}
	h := &hub.Hub{DB: db, Key: key, KeyID: 1, Now: func() time.Time { return now },
		Letters: hub.Letters{SiteURL: "https://p.example.ro", From: "Office <p@example.ro>"}}
	token, _, err := h.Request(ctx, hub.BookingRequest{Name: "Ana Pop", BirthDate: "1990-05-05", Reason: "expiry",
		Kind: store.Intake, Slot: time.Date(2026, 11, 23, 8, 30, 0, 0, cal.Location()), Email: "ana@example.ro"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Confirm(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range must(db.DueMail(ctx, now, 10)) {
		db.MailSent(ctx, m.ID)
	}
	if err := db.Append(ctx, store.Event{ID: store.NewEventID(), BookingID: b.ID, Type: store.Arrived, At: b.SlotStart, Counter: "1", Clerk: "Ana"}); err != nil {
		t.Fatal(err)
	}
	db.SetSetting(ctx, keyMailFrom, "Office <p@example.ro>") // as serve --mail-from keeps it
	now = time.Date(2026, 12, 3, 10, 0, 0, 0, cal.Location())
	fs := flag.NewFlagSet("ready", flag.ContinueOnError)
	ready(ctx, nil, fs, nil, nil)
	fs.Parse([]string{"--booking", b.ID})
	cli := &hub.Hub{DB: db, Key: key, KeyID: 1, Now: h.Now} // as withHub makes it: no letters set
	var out strings.Builder
	if err := ready(ctx, cli, fs, nil, &out); err != nil {
		t.Fatalf("ready: %v", err)
	}
	if due := must(db.DueMail(ctx, now, 10)); len(due) != 1 || due[0].Recipient != "ana@example.ro" {
		t.Errorf("ready queued %d e-mails, want the card-ready one to Ana", len(due))
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
