// Package calendar is an office's week and year: when it takes bookings,
// pickups and walk-ins, which days it is closed, and the timing rules the
// booking side and the counter share. DOMAIN.md's SPCLEP Dumbrăvița is the
// default; every office can have its own.
package calendar

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Clock is a time of day in minutes after midnight.
type Clock int

// ParseClock reads "HH:MM".
func ParseClock(s string) (Clock, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("time of day %q: want HH:MM", s)
	}
	return Clock(t.Hour()*60 + t.Minute()), nil
}

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalText writes "HH:MM".
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads "HH:MM".
func (c *Clock) UnmarshalText(b []byte) error {
	v, err := ParseClock(string(b))
	*c = v
	return err
}

// Window is a span of a day, [Start, End).
type Window struct {
	Start Clock `json:"start"`
	End   Clock `json:"end"`
}

// Week gives each weekday its windows; keys are "mon".."sun".
type Week map[string][]Window

var weekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// On lists the windows of t's weekday.
func (w Week) On(t time.Time) []Window { return w[weekdayKeys[t.Weekday()]] }

// Duration is a time.Duration written as "15m", "2h".
type Duration time.Duration

// MarshalText writes the duration as Go does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads "15m", "1h30m".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	*d = Duration(v)
	return err
}

// Calendar is one office's settings for time.
type Calendar struct {
	Office       string `json:"office"`
	OfficeName   string `json:"office_name"`
	TimeZone     string `json:"time_zone"`
	SlotMinutes  int    `json:"slot_minutes"`   // one intake, 20 by default (15 at some offices)
	PickupMinute int    `json:"pickup_minutes"` // one pickup slot
	Capacity     int    `json:"capacity"`       // bookings of a kind per slot (counters); 1 when 0
	Intake       Week   `json:"intake"`         // by appointment
	Pickup       Week   `json:"pickup"`         // pickups of finished cards
	WalkIn       Week   `json:"walk_in"`        // special situations, no appointment
	// Services say, per service, whether it is by appointment, only
	// without appointment (in its own hours) or a pickup; none: see
	// AllServices.
	Services []Service `json:"services,omitempty"`
	// Priority are the intake hours whose slots are reserved for priority
	// cases: expiring IDs and 14-year-olds (rules.PriorityCase).
	Priority Week     `json:"priority,omitempty"`
	Closed   []string `json:"closed"` // extra closed days, YYYY-MM-DD
	// NotHolidays lists public holidays this office works on anyway
	// (a law that changed before this program did).
	NotHolidays    []string `json:"not_holidays"`
	BookingDays    int      `json:"booking_days"`        // how far ahead one may book
	ConfirmTimeout Duration `json:"confirm_timeout"`     // to confirm a booking request by e-mail
	EarlyGrace     Duration `json:"early_grace"`         // how early before the slot one is taken
	LateGrace      Duration `json:"late_grace"`          // how late after the slot's start one is still taken
	NoShowAfter    Duration `json:"no_show_after"`       // after the slot's end, an absent person is a no-show
	PickupWorkDays int      `json:"pickup_working_days"` // working days from the ready notice to pickup
	// WaitAmber and WaitRed are the waits past which the supervisor's view
	// shows a waiting person amber and red; zero (a calendar written before
	// they existed) means DefaultWaitAmber and DefaultWaitRed.
	WaitAmber Duration `json:"wait_amber,omitzero"`
	WaitRed   Duration `json:"wait_red,omitzero"`
	// Address is the office's street address, as the citizen's e-mails
	// and the booking site print it.
	Address string `json:"address,omitempty"`
	// Phone is the office's telephone number for citizens' questions.
	Phone string `json:"phone,omitempty"`
	// PayAt says, in the office's own words, where the fees are paid
	// (the bank, the machines, the town hall's cashier for a CIP).
	PayAt string `json:"pay_at,omitempty"`
	// Tickets are the letters of the ticket numbers by kind (tickets.go);
	// empty: D, R, F.
	Tickets TicketLetters `json:"tickets,omitzero"`
	loc     *time.Location
}

// MaxBookingDays is the longest booking window an office may set: the
// seeds give 30 days from today, some offices 31.
const MaxBookingDays = 31

// Default is SPCLEP Dumbrăvița as DOMAIN.md describes it.
func Default() Calendar {
	w := func(a, b string) Window {
		s, _ := ParseClock(a)
		e, _ := ParseClock(b)
		return Window{s, e}
	}
	morning := []Window{w("08:30", "13:00")}
	return Calendar{
		Office: "TM-DUMBRAVITA", OfficeName: "SPCLEP Dumbrăvița", TimeZone: "Europe/Bucharest",
		SlotMinutes: 20, PickupMinute: 15,
		Intake:      Week{"mon": morning, "tue": morning, "wed": morning, "thu": {w("13:00", "17:00")}},
		WalkIn:      Week{"thu": {w("08:30", "10:00")}},
		Pickup:      Week{"fri": {w("08:30", "12:00")}},
		Services:    DefaultServices(),
		BookingDays: 30, ConfirmTimeout: Duration(15 * time.Minute),
		EarlyGrace: Duration(15 * time.Minute), LateGrace: Duration(10 * time.Minute),
		NoShowAfter: Duration(10 * time.Minute), PickupWorkDays: 2,
		// The address and phone are the demo's, made up: the seeds give
		// none. Where to pay is from seed 002 and DOMAIN.md.
		Address: "Str. Petőfi Sándor nr. 31, 307160 Dumbrăvița, jud. Timiș",
		Phone:   "0256 000 000",
		PayAt:   "CEI și CIS: la ghișeele CEC Bank sau la automatele SelfPay; CIP: la casieria Primăriei Dumbrăvița",
	}
}

// CheckBooking checks what the booking site takes from the calendar, when
// a hub is set up: a booking window of at most MaxBookingDays and a
// confirmation time between a minute and an hour. (Counters read
// calendars without this check: a pack is never refused for it.)
func (c Calendar) CheckBooking() error {
	if c.BookingDays > MaxBookingDays {
		return fmt.Errorf("office %s: booking_days %d: the booking window is at most %d days (seed 001: 30, or 31)", c.Office, c.BookingDays, MaxBookingDays)
	}
	if t := time.Duration(c.ConfirmTimeout); t < time.Minute || t > time.Hour {
		return fmt.Errorf("office %s: confirm_timeout %s: between 1m and 1h (the seeds say 15m; 30m is reported too)", c.Office, t)
	}
	if err := c.CheckTickets(); err != nil { // the hub's: the counters take the letters it sends
		return fmt.Errorf("office %s: %w", c.Office, err)
	}
	return nil
}

// Parse reads a calendar from JSON and checks it.
func Parse(data []byte) (Calendar, error) {
	var c Calendar
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("read office calendar: %w", err)
	}
	return c, c.Validate()
}

// Validate checks the settings and loads the time zone.
func (c *Calendar) Validate() error {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return fmt.Errorf("office %s: time zone %q: %w", c.Office, c.TimeZone, err)
	}
	c.loc = loc
	if c.SlotMinutes <= 0 || c.PickupMinute <= 0 || c.BookingDays <= 0 {
		return fmt.Errorf("office %s: slot lengths and the booking window must be positive", c.Office)
	}

	for name, week := range map[string]Week{"intake": c.Intake, "pickup": c.Pickup, "walk_in": c.WalkIn} {
		if err := c.validateWeek(name, week); err != nil {
			return err
		}
	}
	if err := c.validateServices(); err != nil {
		return err
	}
	if c.WaitAmber < 0 || c.WaitRed < 0 {
		return fmt.Errorf("office %s: wait thresholds must not be negative", c.Office)
	}
	if amber, red := c.WaitThresholds(); red <= amber {
		return fmt.Errorf("office %s: wait_red (%s) must be longer than wait_amber (%s)", c.Office, red, amber)
	}
	for _, d := range append(append([]string{}, c.Closed...), c.NotHolidays...) {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return fmt.Errorf("office %s: day %q: want YYYY-MM-DD", c.Office, d)
		}
	}
	return nil
}

// validateWeek checks a week's weekdays and windows.
func (c Calendar) validateWeek(name string, week Week) error {
	for day, ws := range week {
		if !strings.Contains(strings.Join(weekdayKeys[:], " "), day) {
			return fmt.Errorf("office %s: %s hours: unknown weekday %q", c.Office, name, day)
		}
		for _, w := range ws {
			if w.End <= w.Start {
				return fmt.Errorf("office %s: %s hours on %s: %s-%s is empty", c.Office, name, day, w.Start, w.End)
			}
		}
	}
	return nil
}

// The wait thresholds of a calendar that sets none.
const (
	DefaultWaitAmber = 15 * time.Minute
	DefaultWaitRed   = 30 * time.Minute
)

// WaitThresholds are the waits past which a waiting person is shown amber
// and red: the calendar's, or the defaults where it sets none.
func (c Calendar) WaitThresholds() (amber, red time.Duration) {
	amber, red = time.Duration(c.WaitAmber), time.Duration(c.WaitRed)
	if amber == 0 {
		amber = DefaultWaitAmber
	}
	if red == 0 {
		red = DefaultWaitRed
	}
	return amber, red
}

// Location is the office's time zone.
func (c Calendar) Location() *time.Location {
	if c.loc == nil {
		if loc, err := time.LoadLocation(c.TimeZone); err == nil {
			return loc
		}
		return time.UTC
	}
	return c.loc
}

// Day is the office-local date of t.
func (c Calendar) Day(t time.Time) string { return t.In(c.Location()).Format(time.DateOnly) }

// At is the moment a clock time of t's office-local day.
func (c Calendar) At(t time.Time, k Clock) time.Time {
	y, m, d := t.In(c.Location()).Date()
	return time.Date(y, m, d, int(k)/60, int(k)%60, 0, 0, c.Location())
}

// IsClosed reports whether the office is closed all day on t's date: a
// public holiday or an extra closed day.
func (c Calendar) IsClosed(t time.Time) bool {
	day := c.Day(t)
	for _, d := range c.Closed {
		if d == day {
			return true
		}
	}
	for _, d := range c.NotHolidays {
		if d == day {
			return false
		}
	}
	_, holiday := Holiday(t.In(c.Location()))
	return holiday
}

// WorkingDay reports whether t's date is a working day: Monday to Friday
// and not closed.
func (c Calendar) WorkingDay(t time.Time) bool {
	wd := t.In(c.Location()).Weekday()
	return wd != time.Saturday && wd != time.Sunday && !c.IsClosed(t)
}

// AddWorkingDays is the date n working days after t's date (at t's clock
// time).
func (c Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	t = t.In(c.Location())
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if c.WorkingDay(t) {
			n--
		}
	}
	return t
}

// Slots lists the slots of a kind ("intake" or "pickup") on t's date, in
// order; none on a closed day.
func (c Calendar) Slots(t time.Time, pickup bool) []time.Time {
	if c.IsClosed(t) {
		return nil
	}
	week, length := c.Intake, c.SlotMinutes
	if pickup {
		week, length = c.Pickup, c.PickupMinute
	}
	var out []time.Time
	for _, w := range week.On(t.In(c.Location())) {
		for k := w.Start; k+Clock(length) <= w.End; k += Clock(length) {
			out = append(out, c.At(t, k))
		}
	}
	return out
}

// IsSlot reports whether start is the start of a slot of that kind: one of
// Slots, found by arithmetic (the booking site asks it of every slot of a
// day at every page).
func (c Calendar) IsSlot(start time.Time, pickup bool) bool {
	week, length := c.Intake, Clock(c.SlotMinutes)
	if pickup {
		week, length = c.Pickup, Clock(c.PickupMinute)
	}
	local := start.In(c.Location())
	k := Clock(local.Hour()*60 + local.Minute())
	if length <= 0 || local.Second() != 0 || local.Nanosecond() != 0 || !c.At(local, k).Equal(start) || c.IsClosed(start) {
		return false
	}
	for _, w := range week.On(local) {
		if k >= w.Start && k+length <= w.End && (k-w.Start)%length == 0 {
			return true
		}
	}
	return false
}

// Bookable says why a slot cannot be booked at now, or nil: it must be a
// slot of the office, in the future and within the booking window.
func (c Calendar) Bookable(start time.Time, pickup bool, now time.Time) error {
	switch {
	case !start.After(now):
		return ErrPast
	case c.IsClosed(start):
		return ErrClosed
	case !c.IsSlot(start, pickup):
		return ErrNoSlot
	case start.After(c.At(now, 0).AddDate(0, 0, c.BookingDays+1)):
		return ErrTooFar
	}
	return nil
}

// Why a slot cannot be booked.
var (
	ErrPast   = fmt.Errorf("the slot has passed")
	ErrClosed = fmt.Errorf("the office is closed that day")
	ErrNoSlot = fmt.Errorf("not a slot of the office's hours")
	ErrTooFar = fmt.Errorf("beyond the booking window")
)

// InWindow reports whether t falls in one of the week's windows on its day,
// and the office is open.
func (c Calendar) InWindow(week Week, t time.Time) bool {
	if c.IsClosed(t) {
		return false
	}
	t = t.In(c.Location())
	k := Clock(t.Hour()*60 + t.Minute())
	for _, w := range week.On(t) {
		if k >= w.Start && k < w.End {
			return true
		}
	}
	return false
}
