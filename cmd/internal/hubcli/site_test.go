package hubcli

import (
	"context"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghiseu/ghiseu/store"
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
		wantErr string
		check   func(mail.Sender, string) bool
	}{
		{"the demo's folder", []string{"--mail-dir", t.TempDir()}, "", "", func(s mail.Sender, dir string) bool { return dir != "" }},
		{"no mail server: a folder beside the database", nil, "", "", func(s mail.Sender, dir string) bool {
			return dir == filepath.Join(filepath.Dir(db.Path()), "mail")
		}},
		{"both", []string{"--smtp", "mail.example.ro:587", "--mail-dir", "x", "--mail-from", "a@b.ro"}, "", "choose one", nil},
		{"a mail server without a sender", []string{"--smtp", "mail.example.ro:587"}, "", "--mail-from", nil},
		{"not a port", []string{"--smtp", "mail.example.ro:smtp", "--mail-from", "a@b.ro"}, "", "not a port", nil},
		{"no port", []string{"--smtp", "mail.example.ro", "--mail-from", "a@b.ro"}, "", "--smtp", nil},
		{"a password in clear", []string{"--smtp", "localhost:25", "--smtp-plain", "--smtp-user", "u", "--mail-from", "a@b.ro"}, "", "without TLS", nil},
		{"the password from stdin", []string{"--smtp", "mail.example.ro:587", "--smtp-user", "u", "--smtp-password-file", "-", "--mail-from", "a@b.ro"},
			"s3cret\n", "", func(s mail.Sender, dir string) bool {
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
			s, dir, err := mailSender(h, fs, strings.NewReader(tt.stdin))
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
