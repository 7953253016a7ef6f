package verdict

import (
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
)

func TestJudge(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Bucharest")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 12, 0, 0, loc)
	c := Context{Office: "B1", Now: now, Loc: loc}
	today := store.Booking{ID: "b", Office: "B1", Day: "2026-11-23", SlotStart: now, SlotMinutes: 20, Status: store.Confirmed}
	other := today
	other.Day, other.SlotStart = "2026-11-25", time.Date(2026, 11, 25, 10, 20, 0, 0, loc)
	elsewhere := today
	elsewhere.Office = "B2"
	cancelled, replaced := today, today
	cancelled.Status, replaced.Status = store.Cancelled, store.Replaced
	arrival := &store.Event{ID: "e", Type: store.Arrived, At: time.Date(2026, 11, 23, 8, 5, 0, 0, time.UTC), Counter: "2"}

	tests := []struct {
		name    string
		b       store.Booking
		d       store.Derived
		want    Name
		colour  Colour
		details map[string]string
	}{
		{"valid", today, store.Derived{State: store.Expected}, Valid, Green, map[string]string{}},
		{"wrong day", other, store.Derived{State: store.Expected}, WrongDay, Red, map[string]string{"slot": "2026-11-25T10:20:00+02:00"}},
		{"wrong office", elsewhere, store.Derived{State: store.Expected}, WrongOffice, Red, map[string]string{"office": "B2"}},
		{"cancelled", cancelled, store.Derived{State: store.Expected}, Cancelled, Red, map[string]string{}},
		{"replaced", replaced, store.Derived{State: store.Expected}, Replaced, Red, map[string]string{}},
		{"already arrived, time in office zone", today, store.Derived{State: store.Present, Last: arrival}, AlreadyArrived, Amber,
			map[string]string{"at": "2026-11-23T10:05:00+02:00", "counter": "2"}},
		{"no-show", today, store.Derived{State: store.Absent, Last: arrival}, NoShowRecorded, Amber,
			map[string]string{"at": "2026-11-23T10:05:00+02:00", "counter": "2"}},
		{"picked up", today, store.Derived{State: store.Collected, Last: arrival}, AlreadyPickedUp, Red,
			map[string]string{"at": "2026-11-23T10:05:00+02:00", "counter": "2"}},
		{"cancelled beats already arrived", cancelled, store.Derived{State: store.Present, Last: arrival}, Cancelled, Red, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge(c, tt.b, tt.d)
			if v.Name != tt.want || v.Colour != tt.colour {
				t.Fatalf("got %s/%s, want %s/%s", v.Name, v.Colour, tt.want, tt.colour)
			}
			if len(v.Details) != len(tt.details) {
				t.Fatalf("details %v, want %v", v.Details, tt.details)
			}
			for k, want := range tt.details {
				if v.Details[k] != want {
					t.Fatalf("details[%s] = %q, want %q", k, v.Details[k], want)
				}
			}
			if v.Accepts() != (tt.want == Valid) {
				t.Fatalf("Accepts() = %v", v.Accepts())
			}
		})
	}
}
