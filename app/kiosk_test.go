package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/demo"
	"github.com/ghiseu/ghiseu/store/desk/desktest"
)

// fakeTimers is the kiosk's After with a clock the test moves.
type fakeTimers struct {
	now     time.Duration
	pending []*fakeTimer
}

type fakeTimer struct {
	at      time.Duration
	f       func()
	stopped bool
}

func (c *fakeTimers) after(d time.Duration, f func()) func() {
	t := &fakeTimer{at: c.now + d, f: f}
	c.pending = append(c.pending, t)
	return func() { t.stopped = true }
}

// advance moves the clock by d and runs what falls due.
func (c *fakeTimers) advance(d time.Duration) {
	c.now += d
	due := c.pending
	c.pending = nil
	for _, t := range due {
		switch {
		case t.stopped:
		case t.at <= c.now:
			t.f()
		default:
			c.pending = append(c.pending, t)
		}
	}
}

type kioskFixture struct {
	k      *Kiosk
	c      *desktest.Counter
	w      fyne.Window
	timers *fakeTimers
	quit   int
	refs   map[string]string // the demo bookings' short references by name
	ids    map[string]string
}

// newKioskFixture is a kiosk on a real demo database (desktest: Monday
// 23 November 2026) at hh:mm, with the clock and its reset in the test's
// hands.
func newKioskFixture(t *testing.T, hh, mm int) *kioskFixture {
	t.Helper()
	test.NewTempApp(t)
	f := &kioskFixture{c: desktest.New(t), timers: &fakeTimers{}, refs: map[string]string{}, ids: map[string]string{}}
	f.c.Counter, f.c.Clerk = KioskCounter, ""
	f.c.At(hh, mm)
	rows, err := f.c.Day(context.Background(), "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	later, err := f.c.Day(context.Background(), "2026-11-25") // Pavel Oana's day
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range append(rows, later...) {
		f.refs[r.Name], f.ids[r.Name] = r.Ref, r.ID
		if r.Code != "" {
			f.c.Codes[r.Name] = r.Code
		}
	}
	f.w = test.NewWindow(nil)
	f.w.Resize(fyne.NewSize(1366, 768))
	t.Cleanup(f.w.Close)
	f.k = NewKiosk(fyne.CurrentApp(), f.w, f.c.Desk)
	f.k.After = f.timers.after
	f.k.Quit = func() { f.quit++ }
	return f
}

// texts are the texts on the kiosk's screen: labels, canvas texts and
// buttons, as the citizen sees them.
func (f *kioskFixture) texts() []string {
	var out []string
	for _, o := range test.LaidOutObjects(f.w.Canvas().Content()) {
		if !o.Visible() {
			continue
		}
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *canvas.Text:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *widget.Entry:
			out = append(out, x.Text)
		}
	}
	return out
}

func (f *kioskFixture) screen() string { return strings.Join(f.texts(), " | ") }

// otherOfficeCode is a code signed by the demo booking system for another
// office: it verifies, and is not this office's.
func otherOfficeCode(t *testing.T) string {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/Bucharest")
	code, err := rescode.Issue(demo.SigningKey(), rescode.Claims{KeyID: demo.KeyID, BookingID: 4242, Office: "TM-TIMISOARA",
		SlotStart: time.Date(2026, 11, 23, 9, 0, 0, 0, loc), SlotMinutes: 20, Kind: rescode.Intake})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// TestKioskAnswers shows every answer of the kiosk, in Romanian and in
// English, for codes of a real demo database at 08:25 and 10:00.
func TestKioskAnswers(t *testing.T) {
	typo := func(ref string) string { // the check digit changed: a mistyped reference
		last := ref[len(ref)-1]
		i := strings.IndexByte(kioskKeys, last)
		return ref[:len(ref)-1] + string(kioskKeys[(i+1)%len(kioskKeys)])
	}
	cases := []struct {
		name   string
		at     [2]int
		code   func(f *kioskFixture) string
		key    string
		ro, en []string // what the screen says (parts of it)
		ticket bool
	}{
		{"welcome", [2]int{8, 25}, func(f *kioskFixture) string { return f.c.Codes["Popescu Andrei"] }, "welcome",
			[]string{"Bine ați venit, A.!", "Numărul dvs.:", "D-", "Veți fi chemat pe ecran."},
			[]string{"Welcome, A.!", "Your number:", "D-", "You will be called on the screen."}, true},
		{"too early", [2]int{8, 25}, func(f *kioskFixture) string { return f.c.Codes["Bălan Ana"] }, "early",
			[]string{"Ați venit puțin prea devreme", "Programarea dvs. este la 10:10. Vă rugăm să reveniți după 09:55."},
			[]string{"You are a little early", "Your appointment is at 10:10. Please come back after 09:55."}, false},
		{"another day", [2]int{8, 25}, func(f *kioskFixture) string { return f.c.Codes["Pavel Oana"] }, "wrong_day",
			[]string{"Programarea dvs. este în altă zi", "Programarea dvs. este miercuri, 25 noiembrie, la 09:10."},
			[]string{"Your appointment is on another day", "Your appointment is on Wednesday 25 November, at 09:10."}, false},
		{"card not ready", [2]int{8, 25}, func(f *kioskFixture) string { return f.c.Codes["Georgescu Paul"] }, "not_ready",
			[]string{"Cartea dvs. nu este încă gata", "Cartea dvs. va fi gata din marți, 24 noiembrie."},
			[]string{"Your card is not ready yet", "Your card will be ready from Tuesday 24 November."}, false},
		{"cancelled", [2]int{8, 25}, func(f *kioskFixture) string { return f.c.Codes["Moldovan Radu"] }, "cancelled",
			[]string{"Această programare a fost anulată"}, []string{"This appointment was cancelled"}, false},
		{"another office's code", [2]int{8, 25}, func(*kioskFixture) string { return otherOfficeCode(t) }, "not_ours",
			[]string{"Acest cod nu este al biroului nostru"}, []string{"This code is not for this office"}, false},
		{"another office's reference", [2]int{8, 25}, func(*kioskFixture) string { return rescode.Reference("TM-TIMISOARA", 4242) }, "not_ours",
			[]string{"Acest cod nu este al biroului nostru"}, []string{"This code is not for this office"}, false},
		{"not a code", [2]int{8, 25}, func(*kioskFixture) string { return "https://example.org/poster" }, "unreadable",
			[]string{"Nu am recunoscut codul"}, []string{"We did not recognise this code"}, false},
		{"mistyped reference", [2]int{8, 25}, func(f *kioskFixture) string { return typo(f.refs["Popescu Andrei"]) }, "typo",
			[]string{"Referința nu este corectă"}, []string{"The reference is not correct"}, false},
		{"late: a counter", [2]int{10, 0}, func(f *kioskFixture) string { return f.c.Codes["Popescu Andrei"] }, "counter",
			[]string{"Vă rugăm să mergeți la un ghișeu", "Un funcționar vă va ajuta imediat."},
			[]string{"Please go to a counter", "A clerk will help you straight away."}, false},
	}
	for _, l := range []i18n.Lang{i18n.Romanian, i18n.English} {
		for _, tc := range cases {
			t.Run(string(l)+"/"+tc.name, func(t *testing.T) {
				f := newKioskFixture(t, tc.at[0], tc.at[1])
				f.k.setLang(l)
				f.k.Submit(tc.code(f))
				if f.k.screen != kioskAnswer || f.k.answer.Key != tc.key {
					t.Fatalf("answer %q on screen %d, want %q: %s", f.k.answer.Key, f.k.screen, tc.key, f.screen())
				}
				want := tc.ro
				if l == i18n.English {
					want = tc.en
				}
				shown := f.screen()
				for _, w := range want {
					if !strings.Contains(shown, w) {
						t.Errorf("the screen does not say %q: %s", w, shown)
					}
				}
				if got := f.k.answer.Ticket != ""; got != tc.ticket {
					t.Errorf("ticket %q, want one: %v", f.k.answer.Ticket, tc.ticket)
				}
			})
		}
	}
}

// TestKioskWelcomeRecords: a welcome is an arrival of counter "kiosk" with
// the ticket shown; the same code again shows the same ticket, and gives
// no new number.
func TestKioskWelcomeRecords(t *testing.T) {
	f := newKioskFixture(t, 8, 25)
	f.k.Submit(f.c.Codes["Popescu Andrei"])
	first := f.k.answer
	if first.Key != "welcome" || !strings.HasPrefix(first.Ticket, "D-") {
		t.Fatalf("first scan: %+v", first)
	}
	es, err := f.c.DB.Events(context.Background(), f.ids["Popescu Andrei"])
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Type != store.Arrived || es[0].Counter != KioskCounter || es[0].Ticket != first.Ticket {
		t.Fatalf("events: %+v", es)
	}
	f.k.Reset()
	f.k.Submit(f.c.Codes["Popescu Andrei"])
	if again := f.k.answer; again.Key != "already" || again.Ticket != first.Ticket {
		t.Fatalf("again: %+v, first ticket %s", again, first.Ticket)
	}
	if !strings.Contains(f.screen(), first.Ticket) || !strings.Contains(f.screen(), "Sunteți deja înregistrat") {
		t.Fatalf("again, the screen: %s", f.screen())
	}
	if es, _ := f.c.DB.Events(context.Background(), f.ids["Popescu Andrei"]); len(es) != 1 {
		t.Fatalf("a second scan recorded: %+v", es)
	}
}

// TestKioskKeypad types a short reference on the on-screen keypad, key by
// key, with a slip corrected, and checks in.
func TestKioskKeypad(t *testing.T) {
	f := newKioskFixture(t, 9, 40)
	tapButton(t, f, "Tastez referința")
	if f.k.screen != kioskKeypad {
		t.Fatalf("screen %d after the keypad's button", f.k.screen)
	}
	ref := f.refs["Stănescu Gheorghe"]
	if ref == "" {
		t.Fatal("no reference")
	}
	tapButton(t, f, "X")
	tapButton(t, f, "⌫ Șterge")
	for _, r := range ref {
		tapButton(t, f, string(r))
	}
	if f.k.typed != ref || !strings.Contains(f.screen(), ref) {
		t.Fatalf("typed %q, want %q; screen %s", f.k.typed, ref, f.screen())
	}
	tapButton(t, f, "Trimite")
	if f.k.answer.Key != "welcome" || !strings.Contains(f.screen(), "Bine ați venit, G.!") {
		t.Fatalf("answer %+v: %s", f.k.answer, f.screen())
	}
	es, _ := f.c.DB.Events(context.Background(), f.ids["Stănescu Gheorghe"])
	if len(es) != 1 || es[0].Counter != KioskCounter || es[0].Note != "manual" {
		t.Fatalf("events %+v", es)
	}
	for _, r := range "OYZ0" { // not of the reference's alphabet: no such keys
		if findButton(f, string(r)) != nil {
			t.Errorf("the keypad has a key %q", r)
		}
	}
}

// TestKioskScanner: a handheld scanner's keys, ended by Enter, are judged;
// stray keys long before them are no part of the code.
func TestKioskScanner(t *testing.T) {
	f := newKioskFixture(t, 8, 25)
	f.k.typedRune('q')
	f.k.keyAt = f.k.keyAt.Add(-kioskKeyPause - time.Second)
	for _, r := range f.c.Codes["Popescu Andrei"] {
		f.k.typedRune(r)
	}
	f.k.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if f.k.answer.Key != "welcome" {
		t.Fatalf("scanner: %+v", f.k.answer)
	}
}

// TestKioskReset: an answer, and the keypad left alone, go back to the
// welcome screen 10 s later, in the kiosk's own language; a new answer
// starts the 10 s again.
func TestKioskReset(t *testing.T) {
	f := newKioskFixture(t, 8, 25)
	f.k.setLang(i18n.English)
	f.k.Submit(f.c.Codes["Bălan Ana"])
	f.timers.advance(9 * time.Second)
	if f.k.screen != kioskAnswer {
		t.Fatalf("after 9 s: screen %d", f.k.screen)
	}
	f.k.Submit(f.c.Codes["Popescu Andrei"]) // the next citizen, 9 s in
	f.timers.advance(2 * time.Second)
	if f.k.screen != kioskAnswer || f.k.answer.Key != "welcome" {
		t.Fatalf("11 s after the first answer, 2 s after the second: screen %d, %q", f.k.screen, f.k.answer.Key)
	}
	f.timers.advance(8 * time.Second)
	if f.k.screen != kioskHome || f.k.lang != i18n.Romanian {
		t.Fatalf("10 s after the second answer: screen %d, language %s", f.k.screen, f.k.lang)
	}
	if s := f.screen(); strings.Contains(s, "D-") || !strings.Contains(s, "Arătați camerei codul QR") {
		t.Fatalf("the welcome screen: %s", s)
	}
	f.k.show(kioskKeypad)
	f.k.press('7')
	f.timers.advance(KioskReset)
	if f.k.screen != kioskHome || f.k.typed != "" {
		t.Fatalf("the keypad left alone: screen %d, typed %q", f.k.screen, f.k.typed)
	}
}

// TestKioskSupervisorGate: the corner's button and the window's close ask
// for the supervisor's password; a wrong one opens nothing and quits
// nothing; the right one opens the settings, whose button closes the kiosk.
func TestKioskSupervisorGate(t *testing.T) {
	f := newKioskFixture(t, 8, 25)
	f.k.askUnlock()
	if f.k.screen != kioskUnlock {
		t.Fatalf("screen %d", f.k.screen)
	}
	f.k.unlock("parola-gresita")
	if f.k.screen != kioskUnlock || f.quit != 0 || !strings.Contains(f.screen(), "Parolă greșită.") {
		t.Fatalf("a wrong password: screen %d, quit %d: %s", f.k.screen, f.quit, f.screen())
	}
	f.timers.advance(KioskReset) // left at the password: back to the citizens
	if f.k.screen != kioskHome || f.w.Canvas().Focused() != nil {
		t.Fatalf("the password left: screen %d, focused %v", f.k.screen, f.w.Canvas().Focused())
	}
	f.k.askUnlock()
	for _, r := range demo.Password + "x" { // on the on-screen keyboard, with a slip corrected
		tapButton(t, f, string(r))
	}
	tapButton(t, f, "⌫")
	if f.k.pw.Text != demo.Password {
		t.Fatalf("typed %q", f.k.pw.Text)
	}
	tapButton(t, f, "Deblochează")
	if f.k.screen != kioskSupervisor {
		t.Fatalf("the right password: screen %d: %s", f.k.screen, f.screen())
	}
	tapButton(t, f, "English")
	if got := fyne.CurrentApp().Preferences().String(PrefKioskLang); got != "en" {
		t.Fatalf("the kiosk's language: %q", got)
	}
	tapButton(t, f, "Close the kiosk")
	if f.quit != 1 {
		t.Fatalf("quit %d", f.quit)
	}
	f.k.Reset()
	if f.k.lang != i18n.English {
		t.Fatalf("after the supervisor chose English: %s", f.k.lang)
	}
}

// TestKioskShowsNoName: no word of a person's name is on the screen, in any
// answer; the welcome shows the first name's initial only.
func TestKioskShowsNoName(t *testing.T) {
	f := newKioskFixture(t, 8, 25)
	var names []string
	for n := range f.c.Codes {
		names = append(names, n)
	}
	for _, n := range names {
		f.k.Reset()
		f.k.Submit(f.c.Codes[n])
		words := map[string]bool{}
		for _, s := range f.texts() {
			for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
				words[strings.ToLower(w)] = true
			}
		}
		for _, part := range strings.FieldsFunc(n, func(r rune) bool { return r == ' ' || r == '-' }) {
			if words[strings.ToLower(part)] {
				t.Errorf("%s: %q is on the screen: %s", n, part, f.screen())
			}
		}
	}
	f.k.Reset()
	f.c.At(8, 40)
	f.k.Submit(f.c.Codes["Ionescu Maria-Ștefania"])
	if !strings.Contains(f.screen(), "Bine ați venit, M.!") {
		t.Fatalf("the welcome: %s", f.screen())
	}
}

// TestKioskLanguages: the language buttons are the kiosk's translation
// files, each in its own name.
func TestKioskLanguages(t *testing.T) {
	f := newKioskFixture(t, 8, 25)
	langs := i18n.Discover("kiosk")
	if len(langs) < 2 || langs[0] != i18n.Romanian || langs[1] != i18n.English {
		t.Fatalf("languages %v", langs)
	}
	for _, l := range langs {
		if findButton(f, i18n.T(l, "kiosk.language", nil)) == nil {
			t.Errorf("no button for %s: %s", l, f.screen())
		}
	}
	tapButton(t, f, "English")
	if !strings.Contains(f.screen(), "Show the QR code from your booking e-mail") {
		t.Fatalf("English: %s", f.screen())
	}
}

func findButton(f *kioskFixture, text string) *widget.Button {
	for _, o := range test.LaidOutObjects(f.w.Canvas().Content()) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.Text == text {
			return b
		}
	}
	return nil
}

func tapButton(t *testing.T, f *kioskFixture, text string) {
	t.Helper()
	b := findButton(f, text)
	if b == nil {
		t.Fatalf("no button %q: %s", text, f.screen())
	}
	test.Tap(b)
}

// TestKioskPasswordCannotBeGuessed: someone at the kiosk trying passwords
// gets FreeTries answers, then a lock that refuses the right password too
// and says, in the kiosk's language, how long it lasts.
func TestKioskPasswordCannotBeGuessed(t *testing.T) {
	f := newKioskFixture(t, 8, 25)
	f.k.askUnlock()
	for i := range store.FreeTries {
		f.k.unlock(fmt.Sprintf("ghicit-%d", i))
		if !strings.Contains(f.screen(), "Parolă greșită.") {
			t.Fatalf("wrong password %d: %s", i+1, f.screen())
		}
	}
	f.k.unlock("ghicit-x")
	if !regexp.MustCompile(`Prea multe parole greșite. Încercați din nou peste \d{1,2} (de )?secunde.`).MatchString(f.screen()) {
		t.Fatalf("one guess too many: %s", f.screen())
	}
	f.k.unlock(demo.Password)
	if f.k.screen != kioskUnlock || !strings.Contains(f.screen(), "Prea multe parole greșite") {
		t.Fatalf("the right password while locked opened the settings: screen %d: %s", f.k.screen, f.screen())
	}
	f.k.lang = i18n.English
	f.k.unlock(demo.Password)
	if !regexp.MustCompile(`Too many wrong passwords. Try again in \d{1,2} seconds.`).MatchString(f.screen()) {
		t.Fatalf("in English: %s", f.screen())
	}
}

// TestKioskScanAtThePassword: the password screen left open, a citizen
// scans their code: it is judged as at the welcome screen, and it is not
// counted as a guess at the supervisor's password.
func TestKioskScanAtThePassword(t *testing.T) {
	f := newKioskFixture(t, 8, 25)
	f.k.askUnlock()
	f.k.unlock(f.c.Codes["Popescu Andrei"])
	if f.k.screen != kioskAnswer || !strings.Contains(f.screen(), "D-0") {
		t.Fatalf("a scan at the password: screen %d: %s", f.k.screen, f.screen())
	}
	if tries, _ := f.c.Desk.DB.Setting(context.Background(), "supervisor_tries:kiosk"); tries != "" {
		t.Errorf("the scan was counted as a guess: %q", tries)
	}
}
