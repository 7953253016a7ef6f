package site

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/mail"
	"github.com/ghiseu/ghiseu/store/rules"
)

// homeData is the home page: the office and the days of the window.
type homeData struct {
	Address, Phone string
	Hours          []hoursLine
	Days           []dayItem
}

type hoursLine struct{ What, When string }

// dayItem is one day of the window: a link when it has a free slot.
type dayItem struct {
	Date, Label, Note string
	Open              bool
}

func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.opt.Log.Error("site", "path", r.URL.Path, "err", err)
	s.message(w, r, http.StatusInternalServerError, "site.error.title", "site.error.text")
}

func (s *server) home(w http.ResponseWriter, r *http.Request) {
	l := s.lang(w, r)
	cal, _, err := s.b.Office(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.opt.Now().In(cal.Location())
	first := cal.At(now, 0)
	last := first.AddDate(0, 0, cal.BookingDays+1)
	taken, err := s.taken(r, first, last)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := homeData{Address: cal.Address, Phone: cal.Phone, Hours: hours(l, cal)}
	for i := 0; i <= cal.BookingDays; i++ {
		day := first.AddDate(0, 0, i)
		it := dayItem{Date: day.Format(time.DateOnly), Label: i18n.Time(l, day, "date")}
		free, note := dayState(l, cal, day, now, taken)
		it.Note, it.Open = note, free > 0
		d.Days = append(d.Days, it)
	}
	s.render(w, r, http.StatusOK, "home", "site.home.title", d)
}

// taken is the Booker's count per slot, keyed by Unix second (one instant
// in any location).
func (s *server) taken(r *http.Request, from, to time.Time) (map[int64]int, error) {
	m, err := s.b.Taken(r.Context(), from, to)
	if err != nil {
		return nil, fmt.Errorf("slots taken: %w", err)
	}
	out := make(map[int64]int, len(m))
	for t, n := range m {
		out[t.Unix()] += n
	}
	return out, nil
}

// dayState is how many slots of day are free to book at now, and what the
// home page says of the day.
func dayState(l i18n.Lang, cal calendar.Calendar, day, now time.Time, taken map[int64]int) (int, string) {
	if cal.IsClosed(day) {
		if name, ok := calendar.Holiday(day.In(cal.Location())); ok && !isExtraClosed(cal, day) {
			return 0, i18n.T(l, "site.day.holiday", map[string]string{"name": i18n.T(l, "site.holiday."+name, nil)})
		}
		return 0, i18n.T(l, "site.day.closed", nil)
	}
	slots := cal.Slots(day, false)
	if len(slots) == 0 {
		return 0, i18n.T(l, "site.day.no_booking", nil)
	}
	free, places, future := 0, 0, 0
	for _, sl := range slots {
		if cal.Bookable(sl, false, now) != nil {
			continue
		}
		future++
		if left := max(0, capacity(cal)-taken[sl.Unix()]); left > 0 {
			free++ // the citizen picks a time interval: count those
			places += left
		}
	}
	switch {
	case future == 0:
		return 0, i18n.T(l, "site.day.past", nil)
	case free == 0:
		return 0, i18n.T(l, "site.day.full", nil)
	case capacity(cal) > 1: // several people per interval: both, plainly
		return free, i18n.T(l, "site.day.free_places", map[string]string{"n": fmt.Sprint(free), "places": fmt.Sprint(places)})
	}
	return free, i18n.T(l, "site.day.free", map[string]string{"n": fmt.Sprint(free)})
}

func isExtraClosed(cal calendar.Calendar, day time.Time) bool {
	for _, d := range cal.Closed {
		if d == cal.Day(day) {
			return true
		}
	}
	return false
}

func capacity(cal calendar.Calendar) int { return max(cal.Capacity, 1) }

// hours are the office's weekly hours: by appointment, without, pickups.
func hours(l i18n.Lang, cal calendar.Calendar) []hoursLine {
	var out []hoursLine
	for _, w := range []struct {
		key  string
		week calendar.Week
	}{{"site.hours.intake", cal.Intake}, {"site.hours.walk_in", cal.WalkIn}, {"site.hours.pickup", cal.Pickup}} {
		var parts []string
		for wd := time.Monday; ; wd = (wd + 1) % 7 {
			// a date with that weekday, to ask the week
			ref := time.Date(2024, 1, 1+int((wd+6)%7), 12, 0, 0, 0, time.UTC) // 2024-01-01 is a Monday
			var ws []string
			for _, win := range w.week.On(ref) {
				ws = append(ws, win.Start.String()+"–"+win.End.String())
			}
			if len(ws) > 0 {
				parts = append(parts, i18n.T(l, fmt.Sprintf("weekday.%d", wd), nil)+" "+strings.Join(ws, ", "))
			}
			if wd == time.Sunday {
				break
			}
		}
		if len(parts) > 0 {
			out = append(out, hoursLine{What: i18n.T(l, w.key, nil), When: strings.Join(parts, "; ")})
		}
	}
	return out
}

// form is what the citizen typed; kept whole when the form comes back.
type form struct {
	Slot, Email, Name, Reason, Birth string
	GDPR                             bool
}

// dayData is a day's page: its slots and the form.
type dayData struct {
	Date, Label string
	Slots       []slotItem
	Reasons     []option
	Form        form
	Errs        map[string]string // field → one sentence
	General     string            // a refusal of the whole request
	AnyPriority bool
	BirthMax    string
}

type slotItem struct {
	ID, Value, Clock, Note  string
	Full, Priority, Checked bool
}

type option struct {
	Value, Label string
	Selected     bool
}

var dateForm = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (s *server) day(w http.ResponseWriter, r *http.Request) {
	date := strings.TrimPrefix(r.URL.Path, "/zi/")
	s.dayPage(w, r, http.StatusOK, date, form{}, nil, "")
}

// dayPage shows date's slots and the form with f's values and errors; a
// day that cannot be booked gets a page that says why, a date that is no
// date 404.
func (s *server) dayPage(w http.ResponseWriter, r *http.Request, code int, date string, f form, errs map[string]string, general string) {
	l := s.lang(w, r)
	cal, fees, err := s.b.Office(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !dateForm.MatchString(date) {
		s.message(w, r, http.StatusNotFound, "site.notfound.title", "site.notfound.text")
		return
	}
	day, err := time.ParseInLocation(time.DateOnly, date, cal.Location())
	if err != nil {
		s.message(w, r, http.StatusNotFound, "site.notfound.title", "site.notfound.text")
		return
	}
	now := s.opt.Now().In(cal.Location())
	label := i18n.Time(l, day, "date")
	first := cal.At(now, 0)
	posted := errs != nil || general != ""
	if day.Before(first) || day.After(first.AddDate(0, 0, cal.BookingDays)) {
		if posted { // a form came back: keep what the citizen typed, with one sentence
			d := dayData{Date: date, Label: label, Form: f, Errs: errs, Reasons: reasonOptions(l, cal, fees, f.Reason), BirthMax: now.Format(time.DateOnly),
				General: i18n.T(l, "site.err.too_far", map[string]string{"days": fmt.Sprint(cal.BookingDays)})}
			d.Form.Slot = ""
			s.render(w, r, code, "day", "site.day.title", d)
			return
		}
		s.render(w, r, http.StatusOK, "closed", "site.closed.title", closedData{Label: label,
			Why: i18n.T(l, "site.closed.window", map[string]string{"days": fmt.Sprint(cal.BookingDays)})})
		return
	}
	taken, err := s.taken(r, day, day.AddDate(0, 0, 1))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	free, note := dayState(l, cal, day, now, taken)
	if free == 0 && !posted {
		s.render(w, r, http.StatusOK, "closed", "site.closed.title", closedData{Label: label, Why: note})
		return
	}
	d := dayData{Date: date, Label: label, Form: f, Errs: errs, General: general,
		BirthMax: now.Format(time.DateOnly)}
	for i, sl := range cal.Slots(day, false) {
		if cal.Bookable(sl, false, now) != nil {
			continue
		}
		it := slotItem{ID: fmt.Sprintf("slot-%d", i), Value: sl.In(cal.Location()).Format("15:04"),
			Clock: sl.In(cal.Location()).Format("15:04"), Priority: cal.IsPriority(sl)}
		it.Full = taken[sl.Unix()] >= capacity(cal)
		it.Checked = !it.Full && it.Value == f.Slot
		switch {
		case it.Full:
			it.Note = i18n.T(l, "site.slot.full", nil)
		case it.Priority:
			it.Note = i18n.T(l, "site.slot.priority", nil)
			d.AnyPriority = true
		}
		d.Slots = append(d.Slots, it)
	}
	d.Reasons = reasonOptions(l, cal, fees, f.Reason)
	s.render(w, r, code, "day", "site.day.title", d)
}

// reasonOptions are the form's reasons, each with its fee (reasonLabel),
// chosen selected.
func reasonOptions(l i18n.Lang, cal calendar.Calendar, fees rules.Fees, chosen string) []option {
	var out []option
	for _, reason := range bookedReasons(cal) {
		out = append(out, option{Value: reason, Label: reasonLabel(l, reason, fees), Selected: reason == chosen})
	}
	return out
}

// reasonLabel is a reason's name with what its card costs, by age where
// that differs (rules.FeeOf: the fee the e-mail and the counter give):
// "Pierdere, furt sau deteriorare (70 de lei)", "Expirarea actului de
// identitate (sub 14 ani: 70 de lei; de la 14 ani: gratuit)".
func reasonLabel(l i18n.Lang, reason string, fees rules.Fees) string {
	f := rules.FeeOf(reason, fees)
	amount := func(lei int) string {
		if lei == 0 {
			return i18n.T(l, "site.fee.free", nil)
		}
		return i18n.T(l, "site.fee.lei", map[string]string{"lei": fmt.Sprint(lei)})
	}
	type band struct {
		key string
		lei int
	}
	var bands []band
	if f.Minor == f.Adult {
		bands = []band{{"site.fee.under_14", f.Under14}, {"site.fee.from_14", f.Minor}}
	} else {
		bands = []band{{"site.fee.under_14", f.Under14}, {"site.fee.minor", f.Minor}, {"site.fee.adult", f.Adult}}
	}
	bands = slices.DeleteFunc(bands, func(b band) bool { return b.lei < 0 }) // the reason does not fit the age
	same := true
	for _, b := range bands {
		same = same && b.lei == bands[0].lei
	}
	name := i18n.T(l, "reason."+reason, nil)
	if len(bands) == 0 {
		return name
	}
	if same {
		return name + " (" + amount(bands[0].lei) + ")"
	}
	parts := make([]string, len(bands))
	for i, b := range bands {
		parts[i] = i18n.T(l, b.key, map[string]string{"fee": amount(b.lei)})
	}
	return name + " (" + strings.Join(parts, "; ") + ")"
}

type closedData struct{ Label, Why string }

// bookedReasons are the reasons for issuance booked by appointment.
func bookedReasons(cal calendar.Calendar) []string {
	var out []string
	for _, reason := range rules.Reasons() {
		if cal.Booked(reason, false) == nil {
			out = append(out, reason)
		}
	}
	return out
}

// validate checks the form: one sentence per wrong field, keyed by field.
func validate(l i18n.Lang, cal calendar.Calendar, f form, now time.Time) map[string]string {
	errs := map[string]string{}
	if f.Slot == "" {
		errs["slot"] = i18n.T(l, "site.err.slot", nil)
	}
	if !mail.ValidAddress(f.Email) {
		errs["email"] = i18n.T(l, "site.err.email", nil)
	}
	if !validName(f.Name) {
		errs["name"] = i18n.T(l, "site.err.name", nil)
	}
	ok := false
	for _, reason := range bookedReasons(cal) {
		ok = ok || reason == f.Reason
	}
	if !ok {
		errs["reason"] = i18n.T(l, "site.err.reason", nil)
	}
	born, err := time.Parse(time.DateOnly, f.Birth)
	switch {
	case err != nil:
		errs["birth"] = i18n.T(l, "site.err.birth", nil)
	case born.After(now) || born.Before(now.AddDate(-130, 0, 0)):
		errs["birth"] = i18n.T(l, "site.err.birth_range", nil)
	}
	if !f.GDPR {
		errs["gdpr"] = i18n.T(l, "site.err.gdpr", nil)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// validName reports whether name is a person's as the hub takes it
// (hub.CheckName: Latin letters with their accents, spaces, hyphens,
// apostrophes and dots): the form says so at the field before the hub is
// asked, with the very rule the hub applies.
func validName(name string) bool { return hub.CheckName(name) == nil }

// request takes the form: the same answer whether or not the person holds
// a booking already, the form again with one sentence for any other
// refusal. A request that passes the form's checks counts against its
// e-mail address and its visitor (within the confirmation window: the
// slots a visitor holds unconfirmed); one the hub refuses holds no slot
// and is given back.
func (s *server) request(w http.ResponseWriter, r *http.Request) {
	l := s.lang(w, r)
	f := form{Slot: r.PostFormValue("slot"), Email: strings.TrimSpace(r.PostFormValue("email")),
		Name: strings.Join(strings.Fields(r.PostFormValue("name")), " "), Reason: r.PostFormValue("reason"),
		Birth: r.PostFormValue("birth"), GDPR: r.PostFormValue("gdpr") == "da"}
	date := r.PostFormValue("day")
	cal, _, err := s.b.Office(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := time.ParseInLocation(time.DateOnly, date, cal.Location()); err != nil || !dateForm.MatchString(date) {
		s.message(w, r, http.StatusBadRequest, "site.bad.title", "site.bad.text")
		return
	}
	now := s.opt.Now()
	if errs := validate(l, cal, f, now.In(cal.Location())); errs != nil {
		s.dayPage(w, r, http.StatusUnprocessableEntity, date, f, errs, "")
		return
	}
	slot, err := time.ParseInLocation("2006-01-02 15:04", date+" "+f.Slot, cal.Location())
	if err != nil {
		s.dayPage(w, r, http.StatusUnprocessableEntity, date, f, map[string]string{"slot": i18n.T(l, "site.err.slot", nil)}, "")
		return
	}
	visitor, mailKey := s.visitorKey(r), s.mailKey(f.Email)
	if ok, wait := s.held.allow(visitor, now, max(minHoldWindow, time.Duration(cal.ConfirmTimeout))); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int((wait+time.Second-1)/time.Second))))
		s.message(w, r, http.StatusTooManyRequests, "site.limit.title", "site.limit.held")
		return
	}
	if ok, wait := s.perMail.allow(mailKey, now); !ok {
		s.held.undo(visitor, now)
		s.tooMany(w, r, wait)
		return
	}
	err = s.b.Request(r.Context(), hub.BookingRequest{Name: f.Name, BirthDate: f.Birth, Reason: f.Reason,
		Kind: store.Intake, Slot: slot, Email: f.Email, Lang: string(l)})
	if err != nil && !errors.Is(err, hub.ErrPersonHasBooking) { // refused: nothing held, nothing sent
		s.held.undo(visitor, now)
		s.perMail.refund(mailKey)
	}
	if err == nil || errors.Is(err, hub.ErrPersonHasBooking) {
		s.render(w, r, http.StatusOK, "requested", "site.requested.title", requestedData{Email: f.Email,
			Minutes: int(time.Duration(cal.ConfirmTimeout) / time.Minute)})
		return
	}
	field, key := refusal(err)
	if key == "" {
		s.opt.Log.Error("site request", "err", err)
		key = "site.err.internal"
	}
	if field == "" {
		s.dayPage(w, r, http.StatusUnprocessableEntity, date, f, nil, i18n.T(l, key, nil))
		return
	}
	s.dayPage(w, r, http.StatusUnprocessableEntity, date, f, map[string]string{field: i18n.T(l, key, nil)}, "")
}

type requestedData struct {
	Email   string
	Minutes int
}

// refusal is the field a hub's refusal is about ("" for the whole form)
// and the sentence that says it; no key for an error that is no refusal.
func refusal(err error) (field, key string) {
	switch {
	case errors.Is(err, hub.ErrSlotTaken):
		return "slot", "site.err.slot_taken"
	case errors.Is(err, hub.ErrPriorityOnly):
		return "slot", "site.err.priority_only"
	case errors.Is(err, calendar.ErrPast):
		return "slot", "site.err.past"
	case errors.Is(err, calendar.ErrClosed):
		return "slot", "site.err.closed"
	case errors.Is(err, calendar.ErrNoSlot), errors.Is(err, calendar.ErrTooFar):
		return "slot", "site.err.no_slot"
	case errors.Is(err, hub.ErrReasonAge):
		return "reason", "site.err.reason_age"
	case errors.Is(err, hub.ErrCISUnder14):
		return "reason", "site.err.cis_under_14"
	case errors.Is(err, calendar.ErrNotByAppointment):
		return "reason", "site.err.not_by_appointment"
	case errors.Is(err, hub.ErrBadEmail):
		return "email", "site.err.email"
	case errors.Is(err, hub.ErrBadName):
		return "name", "site.err.name"
	case errors.Is(err, hub.ErrBadRequest):
		return "", "site.err.bad_request"
	}
	return "", ""
}

func (s *server) gdpr(w http.ResponseWriter, r *http.Request) {
	cal, _, err := s.b.Office(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	contact := s.opt.Contact
	if contact == "" {
		contact = strings.TrimSpace(strings.Join([]string{cal.Address, cal.Phone}, " · "))
	}
	s.render(w, r, http.StatusOK, "gdpr", "site.gdpr.title", gdprData{Office: cal.OfficeName,
		Days: s.opt.RetentionDays, Minutes: int(time.Duration(cal.ConfirmTimeout) / time.Minute), Contact: contact})
}

type gdprData struct {
	Office, Contact string
	Days, Minutes   int
}

// tokenForm is the form of a confirmation or cancel token.
var tokenForm = regexp.MustCompile(`^[A-Za-z0-9_-]{16,128}$`)

// formToken is the request's token: the query's on a GET, the form's on a POST.
func formToken(r *http.Request) (string, bool) {
	t := r.URL.Query().Get("t")
	if r.Method == http.MethodPost {
		t = r.PostFormValue("t")
	}
	return t, tokenForm.MatchString(t)
}

// actionData is a page of one button that posts a token.
type actionData struct {
	Token   string
	Booking *bookingView
}

// bookingView is a booking as the citizen reads it.
type bookingView struct {
	Date, Clock, Office, Address, Name, Reason, Reference string
	Cancelled                                             bool
	Documents                                             []string
	Fee, Escort, PayAt                                    string
}

func (s *server) view(l i18n.Lang, cal calendar.Calendar, fees rules.Fees, b store.Booking) *bookingView {
	start := b.SlotStart.In(cal.Location())
	v := &bookingView{Date: i18n.Time(l, start, "date") + " " + fmt.Sprint(start.Year()), Clock: start.Format("15:04"),
		Office: cal.OfficeName, Address: cal.Address, Name: b.Name, Reason: i18n.T(l, "reason."+b.Reason, nil),
		Reference: rescode.ReferenceOf(b.Office, b.ID), Cancelled: b.Status == store.Cancelled}
	born, err := time.Parse(time.DateOnly, b.BirthDate)
	if err != nil {
		born = time.Time{}
	}
	day, _ := time.Parse(time.DateOnly, cal.Day(start))
	h := rules.ForCard(b.Reason, b.Document, born, day, fees)
	for _, d := range h.Documents {
		v.Documents = append(v.Documents, i18n.T(l, d, nil))
	}
	if h.FeeLei > 0 {
		v.Fee = i18n.T(l, "help.fee", map[string]string{"lei": fmt.Sprint(h.FeeLei), "note": i18n.T(l, h.FeeNote, nil)})
		v.PayAt = cal.PayAt // nothing to pay: nowhere to pay it
	} else {
		v.Fee = i18n.T(l, "help.fee_free", map[string]string{"note": i18n.T(l, h.FeeNote, nil)})
	}
	if h.Escort != "" {
		v.Escort = i18n.T(l, h.Escort, nil)
	}
	return v
}

// confirm: GET shows the button (a mail scanner that follows the link
// changes nothing), POST confirms; pressing the button again shows the
// confirmed booking again (hub.Confirm is idempotent), no redirect.
func (s *server) confirm(w http.ResponseWriter, r *http.Request) {
	t, ok := formToken(r)
	if !ok {
		s.message(w, r, http.StatusNotFound, "site.lapsed.title", "site.lapsed.text")
		return
	}
	if r.Method != http.MethodPost {
		s.render(w, r, http.StatusOK, "confirm", "site.confirm.title", actionData{Token: t})
		return
	}
	b, err := s.b.Confirm(r.Context(), t)
	if errors.Is(err, hub.ErrLapsed) || errors.Is(err, store.ErrNotFound) {
		s.message(w, r, http.StatusGone, "site.lapsed.title", "site.lapsed.text")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if b.Status == store.Cancelled { // confirmed once, cancelled since: the button pressed again
		s.message(w, r, http.StatusOK, "site.cancelled.title", "site.cancel.already")
		return
	}
	cal, fees, err := s.b.Office(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The token's booking, however often the button is pressed (the hub
	// confirms once): the same page each time.
	s.render(w, r, http.StatusOK, "confirmed", "site.confirmed.title", actionData{Booking: s.view(s.lang(w, r), cal, fees, b)})
}

// cancel: GET shows the booking and the button, POST cancels.
func (s *server) cancel(w http.ResponseWriter, r *http.Request) {
	t, ok := formToken(r)
	if !ok {
		s.message(w, r, http.StatusNotFound, "site.cancel.gone.title", "site.cancel.gone.text")
		return
	}
	cal, fees, err := s.b.Office(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := s.lang(w, r)
	var b store.Booking
	if r.Method == http.MethodPost {
		b, err = s.b.CancelByToken(r.Context(), t)
	} else {
		b, err = s.b.BookingByCancel(r.Context(), t)
	}
	switch {
	case errors.Is(err, hub.ErrTooLate):
		s.message(w, r, http.StatusConflict, "site.cancel.late.title", "site.cancel.late.text")
	case errors.Is(err, hub.ErrNoBooking) || errors.Is(err, store.ErrNotFound) || errors.Is(err, hub.ErrLapsed):
		s.message(w, r, http.StatusNotFound, "site.cancel.gone.title", "site.cancel.gone.text")
	case err != nil:
		s.fail(w, r, err)
	case r.Method == http.MethodPost:
		s.render(w, r, http.StatusOK, "cancelled", "site.cancelled.title", actionData{Booking: s.view(l, cal, fees, b)})
	default:
		s.render(w, r, http.StatusOK, "cancel", "site.cancel.title", actionData{Token: t, Booking: s.view(l, cal, fees, b)})
	}
}
