package sync

import (
	"fmt"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
)

// Text words the status for the clerk, with times in loc: online; offline
// since 10:42; the hub's error; refused items; a wrong clock.
func (s Status) Text(l i18n.Lang, loc *time.Location) string {
	args := map[string]string{"pending": fmt.Sprint(s.Pending), "parked": fmt.Sprint(s.Parked),
		"since": s.Since.In(loc).Format(time.RFC3339), "err": errText(s.Err),
		"offset": offsetText(s.ClockOffset)}
	var text string
	switch {
	case s.State == Online && s.Pending == 0:
		text = i18n.T(l, "sync.online", args)
	case s.State == Online:
		text = i18n.T(l, "sync.online_pending", args)
	case s.State == "":
		text = i18n.T(l, "sync.never", args)
	case s.State == Untrusted:
		text = i18n.T(l, "sync.untrusted", args)
	case s.State == HubFailed:
		text = i18n.T(l, "sync.hub_error", args)
	default:
		text = i18n.T(l, "sync.offline", args)
	}
	if s.ClockWrong() {
		text += " · " + i18n.T(l, "sync.clock", args)
	}
	if s.Parked > 0 {
		text += " · " + i18n.T(l, "sync.parked", args)
	}
	return text
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// offsetText says how far off the clock is, in hours and minutes.
func offsetText(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Minute)
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

// ParkedText words one item the hub refused, for the supervisor: when,
// what, who, and why.
func ParkedText(l i18n.Lang, p store.Parked, loc *time.Location) string {
	why := i18n.T(l, "sync.refused."+p.Reason, nil)
	if strings.HasPrefix(why, "sync.refused.") { // a reason this version does not know
		why = p.Reason
	}
	if p.WalkIn != nil {
		return fmt.Sprintf("%s · %s · %s (%s)", p.WalkIn.SlotStart.In(loc).Format("2006-01-02 15:04"), p.WalkIn.Name, why, p.Detail)
	}
	e := p.Event
	who := e.Counter + " " + e.Clerk
	if e.Counter == store.SystemCounter || e.Clerk == store.SystemCounter { // an old version's own record
		who = i18n.T(l, "sync.by_old_version", nil)
	}
	return fmt.Sprintf("%s · %s %s · %s · %s (%s)", e.At.In(loc).Format("2006-01-02 15:04"),
		i18n.T(l, "event."+string(e.Type), nil), e.BookingID, who, why, p.Detail)
}
