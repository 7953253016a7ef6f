package demo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
)

func TestDayIsRealistic(t *testing.T) {
	o, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation(o.Office.Timezone)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, loc)
	bs, err := o.Day(now)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[store.Kind]int{}
	reasons := map[string]bool{}
	codes := map[string]bool{}
	minors, past, today := 0, 0, 0
	for _, b := range bs {
		kinds[b.Kind]++
		reasons[b.Reason] = true
		if _, err := rescode.Parse(b.Code); err != nil || codes[b.Code] {
			t.Fatalf("booking %s has a bad or repeated code %q", b.ID, b.Code)
		}
		codes[b.Code] = true
		born, err := time.ParseInLocation(time.DateOnly, b.BirthDate, loc)
		if err != nil {
			t.Fatalf("booking %s: birth date %q", b.ID, b.BirthDate)
		}
		if born.AddDate(18, 0, 0).After(now) {
			minors++
		}
		if b.Day == "2026-11-23" {
			today++
			if b.SlotEnd().Before(now) {
				past++
			}
		}
		if h := b.SlotStart.Hour(); b.Kind == store.Intake && (h < 8 || h >= 13) {
			t.Errorf("intake %s at %v is outside the office hours", b.ID, b.SlotStart)
		}
	}
	if kinds[store.Intake] < 10 || kinds[store.Pickup] < 3 || len(reasons) < 5 || minors < 3 || past < 3 || today == len(bs) {
		t.Fatalf("demo day too thin: kinds %v, %d reasons, %d minors, %d past, %d of %d today",
			kinds, len(reasons), minors, past, today, len(bs))
	}
}

func TestInstallKeepsCodes(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	if err := Install(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	office, _ := db.Setting(ctx, KeyOffice)
	loc, _ := time.LoadLocation("Europe/Bucharest")
	day := now.In(loc).Format(time.DateOnly)
	first, err := db.DayBookings(ctx, office, day)
	if err != nil || len(first) == 0 {
		t.Fatalf("no demo bookings today: %v", err)
	}
	if err := Install(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	again, _ := db.DayBookings(ctx, office, day)
	if len(again) != len(first) || again[0].Code != first[0].Code {
		t.Fatalf("reinstalling changed today's codes")
	}
}
