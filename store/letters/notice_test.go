package letters

import (
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
)

// TestNotice: the notice to a booking's contact that someone asked for
// another booking for its person says, in each language, the one-booking
// rule, the existing booking's day and time, and to cancel it with the
// confirmation e-mail's link; it holds no birth date and no link at all
// (the cancel token is kept only as a hash, and no link can come from a
// stranger's request).
func TestNotice(t *testing.T) {
	cal := calendar.Default()
	slot := time.Date(2026, 11, 30, 9, 10, 0, 0, cal.Location())
	for _, tt := range []struct {
		lang  i18n.Lang
		facts []string
	}{
		{i18n.Romanian, []string{"O cerere nouă de programare a fost făcută pentru Ionescu Maria",
			"O persoană poate avea o singură programare: dacă doriți altă oră, anulați-o întâi pe cea existentă din e-mailul ei",
			"luni, 30 noiembrie 2026", "09:10", "„Anulează rezervarea”", cal.Address}},
		{i18n.English, []string{"A new booking request was made for Ionescu Maria", "One person can have only one booking",
			"Monday, 30 November 2026", "09:10", "“Cancel booking”"}},
	} {
		b := booking(t, 4321, slot, store.Intake, "Ionescu Maria", "expiry", "1982-03-14")
		r := receive(t, Notice(cal, from, tt.lang, to, b))
		label := "notice " + string(tt.lang)
		r.has(t, label, tt.facts)
		r.lacks(t, label, []string{"1982", "http"})
		if r.subject == "" || len(r.files) != 0 {
			t.Errorf("%s: subject %q, %d attachments", label, r.subject, len(r.files))
		}
	}
}

// TestOfficeCancelled: the office's cancelling says, in the booking's
// language, which booking was cancelled, by the office, and where to book
// again (the site's address, or without it the site in words).
func TestOfficeCancelled(t *testing.T) {
	cal := calendar.Default()
	slot := time.Date(2026, 11, 30, 9, 10, 0, 0, cal.Location())
	site := "https://programari.example.ro"
	for _, tt := range []struct {
		lang          i18n.Lang
		site          string
		facts, absent []string
	}{
		{i18n.Romanian, site, []string{"luni, 30 noiembrie 2026, ora 09:10, a fost anulată de ghișeu",
			"Puteți face o nouă programare pe " + site, "Ionescu Maria"}, []string{"1982"}},
		{i18n.English, site, []string{"Your booking of Monday, 30 November 2026 at 09:10 was cancelled by the office",
			"You may book again at " + site}, []string{"1982", "anulat"}},
		{i18n.English, "", []string{"cancelled by the office", "You may book again on the office's booking site"}, []string{"http"}},
	} {
		b := booking(t, 4321, slot, store.Intake, "Ionescu Maria", "expiry", "1982-03-14")
		r := receive(t, OfficeCancelled(cal, from, tt.lang, to, b, tt.site))
		label := "office cancel " + string(tt.lang) + " " + tt.site
		r.has(t, label, tt.facts)
		r.lacks(t, label, tt.absent)
	}
}
