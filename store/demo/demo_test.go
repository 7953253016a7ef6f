package demo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/rules"
)

func TestDayIsRealistic(t *testing.T) {
	cal := Calendar()
	loc := cal.Location()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, loc)
	bs, err := Day(now)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[store.Kind]int{}
	reasons := map[string]bool{}
	minors, past, today := 0, 0, 0
	for _, b := range bs {
		kinds[b.Kind]++
		reasons[b.Reason] = true
		c, err := rescode.Parse(b.Code, Keyring())
		if err != nil || c.SlotStart.Unix() != b.SlotStart.Unix() || c.Office != cal.Office {
			t.Fatalf("booking %s: code does not verify to its booking: %+v, %v", b.ID, c, err)
		}
		born, err := time.ParseInLocation(time.DateOnly, b.BirthDate, loc)
		if err != nil {
			t.Fatalf("booking %s: birth date %q", b.ID, b.BirthDate)
		}
		if rules.AgeOn(born, now) < 18 {
			minors++
		}
		if b.Day == "2026-11-23" {
			today++
			if b.SlotEnd().Before(now) {
				past++
			}
			if !cal.IsSlot(b.SlotStart, b.Kind == store.Pickup) && b.Kind == store.Intake {
				t.Errorf("intake %s at %v is not a slot of the office", b.ID, b.SlotStart)
			}
		}
		if b.Kind == store.Pickup && b.ReadyOn == "" {
			t.Errorf("pickup %s has no ready date", b.ID)
		}
	}
	if kinds[store.Intake] < 10 || kinds[store.Pickup] < 3 || len(reasons) < 5 || minors < 3 || past < 3 || today == len(bs) {
		t.Fatalf("demo day too thin: kinds %v, %d reasons, %d minors, %d past, %d of %d today",
			kinds, len(reasons), minors, past, today, len(bs))
	}
}

func TestInstallIsStable(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	if err := Install(ctx, db, now, false); err != nil {
		t.Fatal(err)
	}
	cal, _, err := db.Office(ctx)
	if err != nil || cal.Office != Calendar().Office {
		t.Fatalf("office after install: %+v, %v", cal, err)
	}
	if ring, err := db.Keyring(ctx); err != nil || len(ring) != 1 {
		t.Fatalf("keyring after install: %v, %v", ring, err)
	}
	first, err := db.DayBookings(ctx, cal.Office, cal.Day(now))
	if err != nil || len(first) == 0 {
		t.Fatalf("no demo bookings today: %v", err)
	}
	if err := Install(ctx, db, now, false); err != nil {
		t.Fatal(err)
	}
	again, _ := db.DayBookings(ctx, cal.Office, cal.Day(now))
	if len(again) != len(first) || again[0].Code != first[0].Code {
		t.Fatal("installing again changed today's codes")
	}
}
