package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestPortalRush runs a small booking rush through the same code as
// ghiseu-bench portal: 60 citizens (6 of them the same persons again) at
// 10 slots, the mail server down for a second. Every slot is booked once,
// nobody twice, and every e-mail arrives. A citizen refused on a taken slot
// tries another: each refusal is on a slot someone else holds, so with as
// many tries as slots nobody gives up while a slot is free, and all ten
// are booked.
func TestPortalRush(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import aiosmtpd").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s lacks aiosmtpd (apt-get install python3-aiosmtpd): %v", python, err)
		}
		t.Skipf("skipped: %s lacks aiosmtpd; install Debian's python3-aiosmtpd (./dev.sh test does)", python)
	}
	var progress strings.Builder
	r, err := runPortal(context.Background(), portalConfig{Citizens: 60, Slots: 10, Repeat: 0.1, Retries: 10,
		SMTPDown: time.Second, Wait: 2 * time.Minute, Python: python, Dir: t.TempDir(), Progress: &progress})
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	var table strings.Builder
	r.print(&table)
	t.Logf("\n%s", table.String())
	if bad := r.failures(); len(bad) > 0 {
		t.Errorf("the rush broke a rule: %v", bad)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"held requests not replaced", r.Held - r.Replaced, 10},
		{"request e-mails of requests not replaced", min(r.RequestMails, r.Held-r.Replaced), r.Held - r.Replaced},
		{"confirmations", r.Confirmed, 10},
		{"QR e-mails", r.QRMails, 10},
		{"bookings", r.Bookings, 10},
		{"persons booked", r.Booked, 10},
		{"persons", r.Persons, 54},
		{"other refusals", r.Other, 0},
		{"the hub's answers", r.Held + r.SlotTaken + r.Person, len(r.Posts)},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	if r.SMTPDown < time.Second {
		t.Errorf("the mail server was down %v, want at least 1s", r.SMTPDown)
	}
	if len(r.Posts) < r.Citizens-r.DayFull {
		t.Errorf("%d request POSTs from %d citizens of whom %d found the day full", len(r.Posts), r.Citizens, r.DayFull)
	}
}
