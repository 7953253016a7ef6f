package site

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/letters"
	"github.com/ghiseu/ghiseu/store/rules"
)

// TestLook serves the site with a fake hub and a demo mailbox of real
// letters, for a person (or a browser) to look at:
// SITE_LOOK_ADDR=127.0.0.1:8099 SITE_LOOK_SECONDS=300 go test ./store/site -run TestLook
func TestLook(t *testing.T) {
	addr := os.Getenv("SITE_LOOK_ADDR")
	if addr == "" {
		t.Skip("SITE_LOOK_ADDR not set")
	}
	secs, _ := strconv.Atoi(os.Getenv("SITE_LOOK_SECONDS"))
	f := newFake()
	f.booking.Code = "GHS1.demo-code-for-looking"
	dir := t.TempDir()
	from := "SPCLEP Dumbrăvița <programari@example.ro>"
	slot := f.booking.SlotStart
	for i, l := range []i18n.Lang{i18n.Romanian, i18n.English} {
		m := letters.Request(f.cal, from, l, "ana.pop@example.ro", "Ana Pop", slot, store.Intake,
			"http://"+addr+"/confirma?t="+token, now.Add(15*time.Minute))
		raw, err := m.Bytes(now)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "000"+strconv.Itoa(i)+"-request.eml"), raw, 0o600)
		c, err := letters.Confirmed(f.cal, rules.DefaultFees, from, l, "ana.pop@example.ro", f.booking, "http://"+addr+"/anuleaza?t="+token)
		if err != nil {
			t.Fatal(err)
		}
		raw, err = c.Bytes(now)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "001"+strconv.Itoa(i)+"-confirmed.eml"), raw, 0o600)
	}
	srv := &http.Server{Addr: addr, Handler: New(f, Options{Now: func() time.Time { return now }, Demo: true, MailDir: dir,
		PostsPerMinute: 1000, RequestsPerHour: 1000})}
	go func() { time.Sleep(time.Duration(max(secs, 60)) * time.Second); srv.Close() }()
	t.Logf("serving on http://%s", addr)
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		t.Fatal(err)
	}
}
