package calendar

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Mode says how a service of the office is reached.
type Mode string

// The modes of a service.
const (
	ByAppointment  Mode = "appointment" // booked on the portal, in the intake hours
	WithoutBooking Mode = "walk_in"     // only without appointment, in the service's own hours
	ForPickup      Mode = "pickup"      // collecting a finished card, in the pickup hours
)

// Service is one thing the office does at its counters, for some reasons
// for issuance, and how it is reached. The seeds' example (SPCLEP
// Dumbrăvița): CEI and CIS intake by appointment; CEI and CIS "special
// situations" without appointment on Thursday 08:30-10:00; residence visas
// and provisional cards (CIP) without appointment on Thursday 09:00-10:00;
// pickups on Friday.
type Service struct {
	Name string `json:"name"` // a translation key suffix: "service.<name>"
	Mode Mode   `json:"mode"`
	// Reasons are the reasons for issuance it takes; none: every reason.
	Reasons []string `json:"reasons,omitempty"`
	// Hours are a walk-in service's hours; none: the calendar's WalkIn
	// week. Appointments and pickups follow the Intake and Pickup weeks.
	Hours Week `json:"hours,omitempty"`
}

// Takes reports whether the service takes reason.
func (s Service) Takes(reason string) bool {
	return len(s.Reasons) == 0 || slices.Contains(s.Reasons, reason)
}

// CEIReasons are the reasons for issuance of an identity card (CEI or CIS)
// that the intake by appointment takes; WalkInOnlyReasons (residence visas
// and provisional cards) are taken only without appointment.
var (
	CEIReasons        = []string{"expiry", "civil_status_change", "lost", "domicile_change", "child_under_14", "turning_14", "domicile_from_abroad", "citizenship_acquired"}
	WalkInOnlyReasons = []string{"residence_mention", "cip_abroad", "cip_no_domicile"}
)

// DefaultServices are SPCLEP Dumbrăvița's services (the seeds' "Program cu
// publicul").
func DefaultServices() []Service {
	thu := func(a, b Clock) Week { return Week{"thu": {{a, b}}} }
	return []Service{
		{Name: "intake", Mode: ByAppointment, Reasons: CEIReasons},
		{Name: "special", Mode: WithoutBooking, Reasons: CEIReasons, Hours: thu(8*60+30, 10*60)},
		{Name: "residence_cip", Mode: WithoutBooking, Reasons: WalkInOnlyReasons, Hours: thu(9*60, 10*60)},
		{Name: "pickup", Mode: ForPickup},
	}
}

// AllServices are the calendar's services; a calendar written before
// services existed has intake by appointment and walk-ins in its WalkIn
// hours, for every reason, and pickups.
func (c Calendar) AllServices() []Service {
	if len(c.Services) > 0 {
		return c.Services
	}
	return []Service{{Name: "intake", Mode: ByAppointment}, {Name: "special", Mode: WithoutBooking}, {Name: "pickup", Mode: ForPickup}}
}

// Why a service cannot be had as asked.
var (
	ErrNotByAppointment = errors.New("this service is not by appointment: it is taken only without a booking, in its hours")
	ErrNotWalkIn        = errors.New("this service is not taken without appointment")
	ErrNotWalkInHours   = errors.New("not in the walk-in hours of this service")
)

// Booked says whether a booking of this kind (pickup or intake) for reason
// may be made: an intake only for a reason a service by appointment takes
// (ErrNotByAppointment otherwise), a pickup when the office has pickups.
func (c Calendar) Booked(reason string, pickup bool) error {
	want := ByAppointment
	if pickup {
		want = ForPickup
	}
	for _, s := range c.AllServices() {
		if s.Mode == want && (pickup || s.Takes(reason)) {
			return nil
		}
	}
	return ErrNotByAppointment
}

// hours is when a walk-in service takes people.
func (c Calendar) hours(s Service) Week {
	if s.Hours != nil {
		return s.Hours
	}
	return c.WalkIn
}

// WalkInService is the service that takes a person without appointment for
// reason at t: ErrNotWalkIn when no walk-in service takes that reason,
// ErrNotWalkInHours when none that does is open at t.
func (c Calendar) WalkInService(reason string, t time.Time) (Service, error) {
	err := ErrNotWalkIn
	for _, s := range c.AllServices() {
		if s.Mode != WithoutBooking || !s.Takes(reason) {
			continue
		}
		if c.InWindow(c.hours(s), t) {
			return s, nil
		}
		err = ErrNotWalkInHours
	}
	return Service{}, err
}

// WalkInReasons are the reasons, of those given, that a walk-in service
// takes at t, in their order: what the counter offers a person who comes
// without a booking.
func (c Calendar) WalkInReasons(reasons []string, t time.Time) []string {
	var out []string
	for _, r := range reasons {
		if _, err := c.WalkInService(r, t); err == nil {
			out = append(out, r)
		}
	}
	return out
}

// IsPriority reports whether the intake slot starting at start is one the
// office reserves for priority cases (expiring IDs, 14-year-olds).
func (c Calendar) IsPriority(start time.Time) bool { return c.InWindow(c.Priority, start) }

// validateServices checks the services' modes and hours.
func (c Calendar) validateServices() error {
	for _, s := range c.Services {
		switch s.Mode {
		case ByAppointment, WithoutBooking, ForPickup:
		default:
			return fmt.Errorf("office %s: service %q: unknown mode %q", c.Office, s.Name, s.Mode)
		}
		if s.Name == "" {
			return fmt.Errorf("office %s: a service without a name", c.Office)
		}
		if err := c.validateWeek("service "+s.Name, s.Hours); err != nil {
			return err
		}
	}
	return c.validateWeek("priority", c.Priority)
}
