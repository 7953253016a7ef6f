package calendar

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

var bucharest, _ = time.LoadLocation("Europe/Bucharest")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, bucharest)
	if err != nil {
		panic(err)
	}
	return t
}

func TestOrthodoxEaster(t *testing.T) {
	for year, want := range map[int]string{
		2020: "2020-04-19", 2021: "2021-05-02", 2022: "2022-04-24", 2023: "2023-04-16",
		2024: "2024-05-05", 2025: "2025-04-20", 2026: "2026-04-12", 2027: "2027-05-02",
		2028: "2028-04-16", 2030: "2030-04-28", 2035: "2035-04-29",
	} {
		if got := OrthodoxEaster(year).Format(time.DateOnly); got != want {
			t.Errorf("Orthodox Easter %d = %s, want %s", year, got, want)
		}
	}
}

func TestHolidays(t *testing.T) {
	tests := []struct {
		day  string
		want string
	}{
		{"2026-01-01", "new_year"}, {"2026-01-06", "epiphany"}, {"2026-01-24", "union_day"},
		{"2026-04-10", "good_friday"}, {"2026-04-12", "easter"}, {"2026-04-13", "easter"},
		{"2026-05-31", "pentecost"}, {"2026-06-01", "children_day"}, // Whit Monday falls on 1 June in 2026
		{"2027-06-20", "pentecost"}, {"2027-06-21", "pentecost"}, {"2025-06-09", "pentecost"},
		{"2026-08-15", "dormition"}, {"2026-11-30", "st_andrew"}, {"2026-12-01", "national_day"},
		{"2026-12-26", "christmas"},
		{"2026-04-14", ""}, {"2026-11-23", ""}, {"2026-06-02", ""},
	}
	for _, tt := range tests {
		d, _ := time.ParseInLocation(time.DateOnly, tt.day, bucharest)
		got, ok := Holiday(d)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Holiday(%s) = %q, %v; want %q", tt.day, got, ok, tt.want)
		}
	}
}

func TestSlots(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		day    string
		pickup bool
		count  int
		first  string
	}{
		{"Monday intake: 08:30-13:00 in 20-minute slots", "2026-11-23", false, 13, "2026-11-23 08:30"},
		{"Thursday intake is in the afternoon", "2026-11-26", false, 12, "2026-11-26 13:00"},
		{"no intake on Friday", "2026-11-27", false, 0, ""},
		{"Friday pickups, 15 minutes", "2026-11-27", true, 14, "2026-11-27 08:30"},
		{"closed on St Andrew's day", "2026-11-30", false, 0, ""},
		{"closed on Easter Monday", "2026-04-13", false, 0, ""},
		{"Monday after the spring DST change", "2026-03-30", false, 13, "2026-03-30 08:30"},
		{"Monday after the autumn DST change", "2026-10-26", false, 13, "2026-10-26 08:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := time.ParseInLocation(time.DateOnly, tt.day, bucharest)
			slots := c.Slots(d, tt.pickup)
			if len(slots) != tt.count {
				t.Fatalf("%d slots, want %d", len(slots), tt.count)
			}
			if tt.count > 0 && !slots[0].Equal(at(tt.first)) {
				t.Fatalf("first slot %v, want %s", slots[0], tt.first)
			}
		})
	}
	// The same wall-clock slot is an hour apart in UTC across the DST change.
	spring := c.Slots(at("2026-03-30 00:00"), false)[0].UTC().Hour()
	winter := c.Slots(at("2026-03-23 00:00"), false)[0].UTC().Hour()
	if spring != 5 || winter != 6 {
		t.Fatalf("08:30 local is %02d:30 UTC in summer and %02d:30 UTC in winter; want 05 and 06", spring, winter)
	}
}

func TestBookable(t *testing.T) {
	c := Default()
	now := at("2026-11-22 18:00")
	tests := []struct {
		slot   string
		pickup bool
		want   error
	}{
		{"2026-11-23 08:30", false, nil},
		{"2026-11-23 08:40", false, ErrNoSlot},
		{"2026-11-23 13:00", false, ErrNoSlot},
		{"2026-11-27 09:00", true, nil},
		{"2026-11-27 09:00", false, ErrNoSlot},
		{"2026-11-22 08:30", false, ErrPast},
		{"2026-12-01 08:30", false, ErrClosed},
		{"2026-12-21 08:30", false, nil}, // 29 days ahead
		{"2026-12-28 08:30", false, ErrTooFar},
	}
	for _, tt := range tests {
		if err := c.Bookable(at(tt.slot), tt.pickup, now); !errors.Is(err, tt.want) {
			t.Errorf("Bookable(%s, pickup %v) = %v, want %v", tt.slot, tt.pickup, err, tt.want)
		}
	}
	c.Closed = []string{"2026-11-23"}
	if err := c.Bookable(at("2026-11-23 08:30"), false, now); !errors.Is(err, ErrClosed) {
		t.Errorf("extra closed day: %v", err)
	}
	c.NotHolidays = []string{"2026-12-01"}
	if c.IsClosed(at("2026-12-01 10:00")) {
		t.Error("a holiday the office works on is closed")
	}
}

func TestWorkingDays(t *testing.T) {
	c := Default()
	tests := []struct{ from, want string }{
		{"2026-11-23 10:00", "2026-11-25 10:00"}, // Mon → Wed
		{"2026-11-26 10:00", "2026-12-02 10:00"}, // Thu → Fri, (Mon 30 Nov and Tue 1 Dec are holidays) → Wed
		{"2026-04-09 10:00", "2026-04-15 10:00"}, // Thu → skips Good Friday and Easter Monday
		{"2026-03-27 10:00", "2026-03-31 10:00"}, // across the spring DST change, same wall clock
	}
	for _, tt := range tests {
		if got := c.AddWorkingDays(at(tt.from), 2); !got.Equal(at(tt.want)) {
			t.Errorf("2 working days after %s = %v, want %s", tt.from, got, tt.want)
		}
	}
}

func TestDayAcrossDST(t *testing.T) {
	c := Default()
	for utc, want := range map[string]string{
		"2026-10-24T21:30:00Z": "2026-10-25", // 00:30 summer time
		"2026-10-25T21:30:00Z": "2026-10-25", // 23:30 winter time
		"2026-03-28T22:30:00Z": "2026-03-29",
	} {
		ts, _ := time.Parse(time.RFC3339, utc)
		if got := c.Day(ts); got != want {
			t.Errorf("Day(%s) = %s, want %s", utc, got, want)
		}
	}
}

func TestInWindow(t *testing.T) {
	c := Default()
	for s, want := range map[string]bool{
		"2026-11-26 08:30": true, "2026-11-26 09:59": true, "2026-11-26 10:00": false,
		"2026-11-23 09:00": false, "2026-12-03 09:00": true,
	} {
		if got := c.InWindow(c.WalkIn, at(s)); got != want {
			t.Errorf("walk-in at %s = %v, want %v", s, got, want)
		}
	}
}

func TestJSON(t *testing.T) {
	c, err := Parse([]byte(`{"office":"CJ-DJEP","office_name":"DJEP Cluj","time_zone":"Europe/Bucharest",
		"slot_minutes":15,"pickup_minutes":10,"intake":{"mon":[{"start":"08:00","end":"16:00"}]},
		"booking_days":31,"confirm_timeout":"30m","early_grace":"10m","late_grace":"5m","no_show_after":"5m",
		"pickup_working_days":2,"closed":["2026-12-24"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Slots(at("2026-11-23 00:00"), false)); got != 32 {
		t.Fatalf("DJEP Cluj Monday has %d 15-minute slots, want 32", got)
	}
	if time.Duration(c.ConfirmTimeout) != 30*time.Minute {
		t.Fatalf("confirm timeout %v", time.Duration(c.ConfirmTimeout))
	}
	for _, bad := range []string{
		`{"time_zone":"Mars/Olympus","slot_minutes":20,"pickup_minutes":15,"booking_days":30}`,
		`{"time_zone":"Europe/Bucharest","slot_minutes":0,"pickup_minutes":15,"booking_days":30}`,
		`{"time_zone":"Europe/Bucharest","slot_minutes":20,"pickup_minutes":15,"booking_days":30,"intake":{"lun":[]}}`,
		`{"time_zone":"Europe/Bucharest","slot_minutes":20,"pickup_minutes":15,"booking_days":30,"intake":{"mon":[{"start":"13:00","end":"08:00"}]}}`,
		`{"time_zone":"Europe/Bucharest","slot_minutes":20,"pickup_minutes":15,"booking_days":30,"closed":["24.12.2026"]}`,
		`{"time_zone":"Europe/Bucharest","slot_minutes":20,"intake":{"mon":[{"start":"8h","end":"9h"}]}}`,
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestWaitThresholds(t *testing.T) {
	base := `{"office":"X","time_zone":"Europe/Bucharest","slot_minutes":20,"pickup_minutes":15,"booking_days":30`
	tests := []struct {
		name       string
		json       string
		amber, red time.Duration
		bad        bool
	}{
		{"a calendar from before the thresholds", base + `}`, 15 * time.Minute, 30 * time.Minute, false},
		{"both set", base + `,"wait_amber":"10m","wait_red":"20m"}`, 10 * time.Minute, 20 * time.Minute, false},
		{"amber only", base + `,"wait_amber":"20m"}`, 20 * time.Minute, 30 * time.Minute, false},
		{"amber past the default red", base + `,"wait_amber":"40m"}`, 0, 0, true},
		{"red before amber", base + `,"wait_amber":"20m","wait_red":"10m"}`, 0, 0, true},
		{"negative", base + `,"wait_red":"-5m"}`, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.json))
			if tt.bad {
				if err == nil {
					t.Fatal("accepted")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if amber, red := c.WaitThresholds(); amber != tt.amber || red != tt.red {
				t.Fatalf("thresholds %v, %v; want %v, %v", amber, red, tt.amber, tt.red)
			}
		})
	}
	// Unset thresholds are not written: calendars stay as they were.
	data, err := json.Marshal(Default())
	if err != nil || strings.Contains(string(data), "wait_") {
		t.Fatalf("default calendar written as %s (%v)", data, err)
	}
}

func TestCheckBooking(t *testing.T) {
	tests := []struct {
		name    string
		days    int
		confirm time.Duration
		ok      bool
	}{
		{"the seeds' 30 days and 15 minutes", 30, 15 * time.Minute, true},
		{"31 days and 30 minutes", 31, 30 * time.Minute, true},
		{"32 days", 32, 15 * time.Minute, false},
		{"no confirmation time", 30, 0, false},
		{"a day to confirm", 30, 24 * time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.BookingDays, c.ConfirmTimeout = tt.days, Duration(tt.confirm)
			if err := c.CheckBooking(); (err == nil) != tt.ok {
				t.Errorf("CheckBooking() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

// TestIsSlotAgreesWithSlots: IsSlot's arithmetic finds exactly the starts
// Slots lists, over a year of days, both kinds, and nothing a minute off.
func TestIsSlotAgreesWithSlots(t *testing.T) {
	c := Default()
	c.Pickup["mon"] = []Window{{510, 600}} // a second pickup day
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, c.Location())
	checked := 0
	for d := 0; d < 366; d++ {
		at := day.AddDate(0, 0, d)
		for _, pickup := range []bool{false, true} {
			for _, s := range c.Slots(at, pickup) {
				checked++
				if !c.IsSlot(s, pickup) {
					t.Fatalf("%v (pickup %v) is a slot, IsSlot says no", s, pickup)
				}
				for _, off := range []time.Duration{time.Minute, -time.Minute, time.Second} {
					if c.IsSlot(s.Add(off), pickup) && !slicesContain(c.Slots(at, pickup), s.Add(off)) {
						t.Fatalf("%v (pickup %v) is no slot, IsSlot says yes", s.Add(off), pickup)
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d slots checked", checked)
	}
	for d := 0; d < 40; d++ { // every minute of 40 days (holidays among them): the same answer
		at := day.AddDate(0, 0, d)
		for _, pickup := range []bool{false, true} {
			slots := c.Slots(at, pickup)
			for m := 0; m < 24*60; m++ {
				s := at.Add(time.Duration(m) * time.Minute)
				if c.IsSlot(s, pickup) != slicesContain(slots, s) {
					t.Fatalf("%v (pickup %v): IsSlot %v", s, pickup, c.IsSlot(s, pickup))
				}
			}
		}
	}
}

func slicesContain(ts []time.Time, x time.Time) bool {
	for _, t := range ts {
		if t.Equal(x) {
			return true
		}
	}
	return false
}
