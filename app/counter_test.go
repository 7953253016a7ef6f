package app

import (
	"context"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/camera"
	"github.com/ghiseu/ghiseu/scanner/frames"
	"github.com/ghiseu/ghiseu/scanner/qr"
	"github.com/ghiseu/ghiseu/scanner/webcam"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/demo"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/pack"
	"github.com/ghiseu/ghiseu/store/rules"
)

// fixture is a counter window on a demo office at 10:12 on 23 Nov 2026,
// with a fake clock for the keyboard so bursts and typing can be replayed.
type fixture struct {
	mu      sync.Mutex // held while the counter's goroutines touch the window
	t       *testing.T
	c       *Counter
	d       *desk.Desk
	now     time.Time // the desk's clock
	keyTime time.Time
	pending func()
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	a := test.NewTempApp(t)
	loc, _ := time.LoadLocation("Europe/Bucharest")
	f := &fixture{t: t, now: time.Date(2026, 11, 23, 10, 12, 0, 0, loc)}
	f.keyTime = f.now
	d, err := desk.Open(context.Background(), desk.Config{DBPath: filepath.Join(t.TempDir(), "g.db"),
		Counter: "3", Clerk: "maria", Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	f.d = d
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1366, 768))
	f.c = NewCounter(a, w, d)
	// The test drives the window from its own goroutine: no refresh may run
	// beside it (the app runs both on Fyne's one UI goroutine).
	f.c.supervisorEvery = time.Hour
	t.Cleanup(func() { // before the database closes: no refresh may outlive the test
		for _, v := range slices.Clone(f.c.supervisors) {
			v.close()
		}
	})
	f.c.do = func(fn func()) {
		f.mu.Lock()
		defer f.mu.Unlock()
		fn()
	}
	f.c.keys.now = func() time.Time { return f.keyTime }
	f.c.keys.after = func(_ time.Duration, fn func()) { f.pending = fn }
	return f
}

// at sets the desk's clock to hh:mm on the fixture's day.
func (f *fixture) at(hh, mm int) {
	f.now = time.Date(2026, 11, 23, hh, mm, 0, 0, f.now.Location())
}

// code is the demo code of the named person.
func (f *fixture) code(name string) string {
	rows, err := f.d.Day(context.Background(), f.d.Today())
	if err != nil {
		f.t.Fatal(err)
	}
	for _, r := range rows {
		if r.Name == name {
			return r.Code
		}
	}
	f.t.Fatalf("no demo booking for %s", name)
	return ""
}

// keys types text into field with gap between keys, then Enter if asked,
// letting the router's timer run when the pause is long.
func (f *fixture) keys(field *scanEntry, text string, gap time.Duration, enter bool) {
	for _, r := range text {
		f.pause(gap)
		field.TypedRune(r)
	}
	f.keyTime = f.keyTime.Add(gap)
	if enter {
		field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	f.keyTime = f.keyTime.Add(time.Second)
	if f.pending != nil {
		f.pending()
	}
}

// pause lets gap pass before the next key, running the router's timer when
// the pause is longer than a scanner's.
func (f *fixture) pause(gap time.Duration) {
	f.keyTime = f.keyTime.Add(gap)
	if f.pending != nil && gap > f.c.keys.det.MaxGap {
		p := f.pending
		f.pending = nil
		p()
	}
}

func (f *fixture) state(name string) store.State {
	rows, _ := f.d.Day(context.Background(), f.d.Today())
	for _, r := range rows {
		if r.Name == name {
			return r.State
		}
	}
	return ""
}

// shortcut presses Ctrl+key in the manual field, as Fyne's desktop driver
// delivers it: Ctrl+Z as the standard Undo shortcut, others as custom ones.
func (f *fixture) shortcut(key fyne.KeyName) {
	var s fyne.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierControl}
	if key == fyne.KeyZ {
		s = &fyne.ShortcutUndo{}
	}
	f.c.manual.TypedShortcut(s)
}

func TestScanIntoManualField(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	if got := f.c.card.title.Text; got != "Programare validă" {
		t.Fatalf("card title %q", got)
	}
	if got := f.c.card.detail.Text; got != "Sosire înregistrată 10:12" {
		t.Fatalf("card detail %q", got)
	}
	if f.c.manual.Text != "" {
		t.Fatalf("the scan leaked into the field: %q", f.c.manual.Text)
	}
	if s := f.state("Bălan Ana"); s != store.Present {
		t.Fatalf("state %s", s)
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	if got := f.c.card.title.Text; got != "Sosire deja înregistrată" {
		t.Fatalf("second scan: card title %q", got)
	}
	if got := f.c.card.bg.FillColor; got != cardColours["amber"][0] {
		t.Fatalf("second scan: card colour %v", got)
	}
}

func TestScanWhileSearching(t *testing.T) {
	f := newFixture(t)
	f.at(8, 35)
	f.c.win.Canvas().Focus(f.c.day.search)
	f.keys(f.c.day.search, "stef", 150*time.Millisecond, false)
	if f.c.day.search.Text != "stef" {
		t.Fatalf("typing reached the search box as %q", f.c.day.search.Text)
	}
	if len(f.c.day.shown) != 1 || f.c.day.shown[0].Name != "Ionescu Maria-Ștefania" {
		t.Fatalf("search without diacritics found %v", f.c.day.shown)
	}
	f.keys(f.c.day.search, f.code("Popescu Andrei"), 3*time.Millisecond, true)
	if f.c.day.search.Text != "stef" {
		t.Fatalf("the scan leaked into the search box: %q", f.c.day.search.Text)
	}
	if s := f.state("Popescu Andrei"); s != store.Present {
		t.Fatalf("scan while searching: state %s", s)
	}
}

func TestManualEntryAndRefusal(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, "GHNOTAREALCODE22", 200*time.Millisecond, true)
	if got := f.c.card.title.Text; got != "Nu este un cod de programare" {
		t.Fatalf("card title %q", got)
	}
	code := f.code("Moldovan Radu") // cancelled in the booking system
	f.keys(f.c.manual, strings.ToLower(code), 200*time.Millisecond, true)
	if got := f.c.card.title.Text; got != "Programare anulată" {
		t.Fatalf("typed cancelled code: card title %q", got)
	}
	if f.c.card.bg.FillColor != cardColours["red"][0] {
		t.Fatal("a cancelled booking is not red")
	}
}

func TestUndoAndLanguage(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	f.shortcut(fyne.KeyZ)
	if s := f.state("Bălan Ana"); s != store.Expected {
		t.Fatalf("after undo: state %s", s)
	}
	if got := f.c.card.detail.Text; got != "Sosirea pentru Bălan Ana a fost anulată." {
		t.Fatalf("undo card %q", got)
	}
	f.shortcut(fyne.KeyZ)
	if got := f.c.card.title.Text; got != "Nu există nicio acțiune de anulat." {
		t.Fatalf("second undo %q", got)
	}
	f.shortcut(fyne.KeyL)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	if got := f.c.card.detail.Text; got != "Arrival recorded 10:12" {
		t.Fatalf("in English: %q", got)
	}
	if f.c.app.Preferences().String(PrefLanguage) != "en" {
		t.Fatal("the language choice is not remembered")
	}
}

func TestPickupHandOver(t *testing.T) {
	f := newFixture(t)
	f.at(9, 16)
	if !f.c.personal.Disabled() {
		t.Fatal("hand-over enabled with nothing scanned")
	}
	f.keys(f.c.manual, f.code("Rusu Daria"), 4*time.Millisecond, true)
	if !strings.Contains(f.c.card.help.Text, "PIN") {
		t.Fatalf("no PIN reminder on a pickup: %q", f.c.card.help.Text)
	}
	if f.c.personal.Disabled() {
		t.Fatal("hand-over disabled after a pickup arrival")
	}
	f.shortcut(fyne.KeyP)
	if s := f.state("Rusu Daria"); s != store.Collected {
		t.Fatalf("after hand-over: state %s", s)
	}
	if !strings.Contains(f.c.card.detail.Text, "părintelui") {
		t.Fatalf("no reminder that a child's card goes to a parent: %q", f.c.card.detail.Text)
	}
	if !f.c.personal.Disabled() {
		t.Fatal("hand-over still enabled after the hand-over")
	}
}

func TestDayListFilter(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	f.c.day.filter.SetSelectedIndex(2) // arrived
	if len(f.c.day.shown) != 1 || f.c.day.shown[0].Name != "Bălan Ana" {
		t.Fatalf("arrived filter shows %d rows", len(f.c.day.shown))
	}
	f.c.day.filter.SetSelectedIndex(0)
	if len(f.c.day.shown) != len(f.c.day.all) || len(f.c.day.all) < 10 {
		t.Fatalf("all filter shows %d of %d", len(f.c.day.shown), len(f.c.day.all))
	}
}

func TestHelpAndOverride(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	for _, want := range []string{"Taxă: 70 de lei", "se iau amprentele", "valabilă 10 ani", "☐ Certificatul de naștere"} {
		if !strings.Contains(f.c.card.help.Text, want) {
			t.Errorf("the card's checklist lacks %q:\n%s", want, f.c.card.help.Text)
		}
	}
	if !f.c.accept.Disabled() {
		t.Fatal("accept-with-reason enabled on a valid verdict")
	}
	f.keys(f.c.manual, f.code("Popescu Andrei"), 4*time.Millisecond, true) // 08:30, now 10:12: a no-show since 09:00
	if f.c.card.title.Text != "Marcat absent" || f.c.accept.Disabled() || f.state("Popescu Andrei") != store.Absent {
		t.Fatalf("no-show: %q, accept disabled %v, %s", f.c.card.title.Text, f.c.accept.Disabled(), f.state("Popescu Andrei"))
	}
	f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true) // 09:50, now 10:12
	if f.c.card.title.Text != "Întârziere: programarea a expirat" || f.c.accept.Disabled() {
		t.Fatalf("late: %q, accept disabled %v", f.c.card.title.Text, f.c.accept.Disabled())
	}
	f.c.Override("fără programare, locuri libere")
	if f.c.card.title.Text != "Primit de funcționar" || f.state("Stănescu Gheorghe") != store.Present {
		t.Fatalf("after the override: %q, %s", f.c.card.title.Text, f.state("Stănescu Gheorghe"))
	}
}

// demoPack writes a day pack signed with the demo key, as a booking system
// trusted by the demo office would, with one booking of 23 Nov 2026.
func demoPack(t *testing.T, seq int64, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pack.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	cal := demo.Calendar()
	start := time.Date(2026, 11, 23, 12, 50, 0, 0, cal.Location())
	err = pack.Write(f, demo.SigningKey(), demo.KeyID, pack.Contents{
		Manifest: pack.Manifest{Office: cal.Office, From: "2026-11-23", To: "2026-11-29", Sequence: seq},
		Office:   pack.Office{Calendar: cal, Fees: rules.DefaultFees},
		Keys:     demo.Keyring(),
		Bookings: func(y func(pack.Booking) error) error {
			return y(pack.Booking{ID: "900001", SlotStart: start, SlotMinutes: 20, Kind: "intake", Name: name, Reason: "expiry"})
		},
	})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// waitFor waits until ok holds, looking at the window only while the
// counter's goroutines are not changing it.
func (f *fixture) waitFor(ok func() bool) {
	f.t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		f.mu.Lock()
		done := ok()
		f.mu.Unlock()
		if done {
			return
		}
	}
	f.t.Fatal("timed out")
}

func TestImportPack(t *testing.T) {
	f := newFixture(t)
	f.c.Import(demoPack(t, 5, "Grigorescu Ana"))
	f.waitFor(func() bool { return f.c.card.title.Text == "Pachet importat" })
	if f.state("Grigorescu Ana") != store.Expected || f.c.desk.Demo {
		t.Fatalf("after the import: %s, demo %v", f.state("Grigorescu Ana"), f.c.desk.Demo)
	}
	bad := demoPack(t, 4, "Altcineva")
	f.mu.Lock()
	f.c.Import(bad)
	f.mu.Unlock()
	f.waitFor(func() bool { return f.c.card.title.Text == "Pachetul nu a fost importat" })
	if !strings.Contains(f.c.card.detail.Text, "mai vechi decât cel instalat") {
		t.Fatalf("refusal: %q", f.c.card.detail.Text)
	}
}

func TestCameraFromFolder(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	img, err := qr.Encode(f.code("Bălan Ana"), 360)
	if err != nil {
		t.Fatal(err)
	}
	fh, _ := os.Create(filepath.Join(dir, "frame.png"))
	png.Encode(fh, img)
	fh.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.c.StartCamera(ctx, func() (camera.Source, error) { return frames.Open(dir, 20) })
	f.waitFor(func() bool { return f.state("Bălan Ana") == store.Present })
	f.waitFor(func() bool { return f.c.camera.state.Text == "Camera citește coduri" })
	time.Sleep(300 * time.Millisecond) // the same code, frame after frame
	if es, _ := f.d.DB.Events(context.Background(), f.bookingID("Bălan Ana")); len(es) != 1 {
		t.Fatalf("%d events for a code held in front of the camera, want 1", len(es))
	}
	f.waitFor(func() bool { return f.c.card.title.Text == "Programare validă" })
}

func TestCameraLost(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.c.StartCamera(ctx, func() (camera.Source, error) { return nil, fmt.Errorf("open /dev/video0: %w", webcam.ErrBusy) })
	// In the app's language (Romanian here), whatever the error's own words.
	f.waitFor(func() bool { return strings.Contains(f.c.camera.state.Text, "camera este folosită de alt program") })
	f.mu.Lock()
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	f.mu.Unlock()
	if f.state("Bălan Ana") != store.Present {
		t.Fatal("the handheld scanner stopped working with the camera lost")
	}
}

func (f *fixture) bookingID(name string) string {
	rows, _ := f.d.Day(context.Background(), f.d.Today())
	for _, r := range rows {
		if r.Name == name {
			return r.ID
		}
	}
	return ""
}

// typeSlowly types text into the focused field as a person does.
func (f *fixture) typeSlowly(text string, enter bool) {
	focused, ok := f.c.win.Canvas().Focused().(*scanEntry)
	if !ok {
		f.t.Fatalf("the focus is on %T, not a text field", f.c.win.Canvas().Focused())
	}
	f.keys(focused, text, 200*time.Millisecond, enter)
}

func TestSignInFirst(t *testing.T) {
	f := newFixture(t)
	f.c.desk.Clerk = ""
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	if f.state("Bălan Ana") != store.Expected || !strings.Contains(f.c.card.title.Text, "Începeți tura") {
		t.Fatalf("a scan before anyone signed in: %s, %q", f.state("Bălan Ana"), f.c.card.title.Text)
	}
	f.c.askSignIn()
	f.typeSlowly("Ion Pop", true)
	if f.c.desk.Clerk != "Ion Pop" {
		t.Fatalf("clerk %q after signing in", f.c.desk.Clerk)
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	es, _ := f.d.DB.Events(context.Background(), f.bookingID("Bălan Ana"))
	if len(es) != 1 || es[0].Clerk != "Ion Pop" {
		t.Fatalf("events %+v: the arrival must name the clerk", es)
	}
}

func TestQueueWorkflow(t *testing.T) {
	f := newFixture(t)
	f.shortcut(fyne.KeyE) // told over the window, the card left alone
	if !strings.Contains(f.told(), "Nu ați chemat pe nimeni") {
		t.Fatalf("served with nobody called: told %q, card %q", f.told(), f.c.card.title.Text)
	}
	f.keys(f.c.manual, "", 0, true) // OK
	f.shortcut(fyne.KeyN)
	if f.c.card.title.Text != "Nu așteaptă nimeni" {
		t.Fatalf("call next with nobody waiting: %q", f.c.card.title.Text)
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	f.now = f.now.Add(7 * time.Minute)
	f.shortcut(fyne.KeyN)
	if f.c.card.title.Text != "Chemat la ghișeu" || !strings.HasPrefix(f.c.card.who.Text, "Bălan Ana · ") || f.c.card.detail.Text != "A așteptat 7 min." {
		t.Fatalf("called: %q %q %q", f.c.card.title.Text, f.c.card.who.Text, f.c.card.detail.Text)
	}
	if f.state("Bălan Ana") != store.InService {
		t.Fatalf("state %s", f.state("Bălan Ana"))
	}
	f.shortcut(fyne.KeyE)
	if f.c.card.title.Text != "Servit" || f.state("Bălan Ana") != store.Done {
		t.Fatalf("served: %q, %s", f.c.card.title.Text, f.state("Bălan Ana"))
	}
}

// TestSupervisorPasswordCannotBeGuessed: at an unattended counter, Ctrl+U
// and guesses get FreeTries answers, then a lock that refuses the right
// password too and says how long it lasts; no window opens.
func TestSupervisorPasswordCannotBeGuessed(t *testing.T) {
	f := newFixture(t)
	if err := f.d.DB.SetSupervisorPassword(context.Background(), "sefa-birou-2026"); err != nil {
		t.Fatal(err)
	}
	windows := len(f.c.app.Driver().AllWindows())
	try := func(password, want string) {
		t.Helper()
		f.shortcut(fyne.KeyU)
		f.typeSlowly(password, true)
		if !strings.Contains(f.told(), want) || len(f.c.app.Driver().AllWindows()) != windows {
			t.Fatalf("%q: told %q, %d windows; want %q and no window", password, f.told(), len(f.c.app.Driver().AllWindows()), want)
		}
		f.c.win.Canvas().Overlays().Top().Hide()
	}
	for i := range store.FreeTries {
		try(fmt.Sprintf("ghicit-%d", i), "Parolă greșită")
	}
	try("ghicit-x", "Încercați din nou peste ")
	try("sefa-birou-2026", "Prea multe parole greșite")
}

func TestSupervisorWindow(t *testing.T) {
	f := newFixture(t)
	if err := f.d.DB.SetSupervisorPassword(context.Background(), "sefa-birou-2026"); err != nil {
		t.Fatal(err)
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	windows := len(f.c.app.Driver().AllWindows())
	f.shortcut(fyne.KeyU)
	if _, ok := f.c.win.Canvas().Focused().(*scanEntry); !ok {
		t.Fatalf("the password field has no focus: %T", f.c.win.Canvas().Focused())
	}
	f.typeSlowly("wrong", true)
	if f.c.card.title.Text == "Parolă greșită" || !strings.Contains(f.told(), "Parolă greșită") || len(f.c.app.Driver().AllWindows()) != windows {
		t.Fatalf("a wrong password: card %q, told %q, %d windows", f.c.card.title.Text, f.told(), len(f.c.app.Driver().AllWindows()))
	}
	f.c.win.Canvas().Overlays().Top().Hide()
	f.shortcut(fyne.KeyU)
	f.typeSlowly("sefa-birou-2026", true)
	if len(f.c.app.Driver().AllWindows()) != windows+1 {
		t.Fatal("the supervisor window did not open")
	}
	v := f.c.OpenSupervisor()
	if len(v.counts.Objects) != 7 || !strings.Contains(v.queue.Text, "Bălan Ana") || !strings.Contains(v.desks.Text, "Ghișeul 3 · maria") {
		t.Fatalf("supervisor view: %d tiles, queue %q, counters %q", len(v.counts.Objects), v.queue.Text, v.desks.Text)
	}
	if len(v.hours.Objects) == 0 {
		t.Fatal("no hours in the chart")
	}
	// Closed windows are forgotten: 50 openings a day hold no memory.
	for _, w := range slices.Clone(f.c.supervisors) {
		w.close()
	}
	for range 3 {
		f.c.OpenSupervisor().close()
	}
	if len(f.c.supervisors) != 0 {
		t.Fatalf("%d supervisor windows kept after they were closed", len(f.c.supervisors))
	}
}

func TestHighContrast(t *testing.T) {
	f := newFixture(t)
	f.shortcut(fyne.KeyH)
	th := f.c.app.Settings().Theme()
	if th.Color(theme.ColorNameBackground, theme.VariantDark) != color.Black || th.Size(theme.SizeNameText) != 18 {
		t.Fatal("the high-contrast theme is not on")
	}
	if !f.c.app.Preferences().Bool(PrefContrast) {
		t.Fatal("the choice is not remembered")
	}
	f.shortcut(fyne.KeyH)
	if f.c.app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantDark) == color.Black {
		t.Fatal("the high-contrast theme did not switch off")
	}
}

func TestSettingsAndReport(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	form := &settingsForm{counter: entry("7"), enrol: entry(""), early: entry("5"), late: entry("25"),
		noShow: entry("30"), retention: entry("60"), volume: entry("40"), camera: widget.NewSelect([]string{"—"}, nil), lang: widget.NewSelect([]string{"Română", "English"}, nil),
		langs: map[string]i18n.Lang{"Română": i18n.Romanian, "English": i18n.English}}
	form.camera.SetSelected("—")
	form.lang.SetSelected("English")
	if err := f.c.saveSettings(form); err != nil {
		t.Fatal(err)
	}
	if f.c.desk.Counter != "7" || time.Duration(f.c.desk.Cal.LateGrace) != 25*time.Minute || f.c.lang != "en" {
		t.Fatalf("after saving: counter %s, late grace %v, lang %s", f.c.desk.Counter, time.Duration(f.c.desk.Cal.LateGrace), f.c.lang)
	}
	if keep, _ := f.d.DB.Retention(context.Background()); keep != 60 {
		t.Fatalf("retention %d", keep)
	}
	if v := f.c.app.Preferences().Int(PrefVolume); v != 40 {
		t.Fatalf("volume %d", v)
	}
	f.shortcut(fyne.KeyM)
	if !f.c.app.Preferences().Bool(PrefMute) {
		t.Fatal("Ctrl+M did not mute")
	}
	form.volume.SetText("140")
	if err := f.c.saveSettings(form); err == nil {
		t.Fatal("a volume of 140 was saved")
	}
	form.volume.SetText("40")
	// Popescu's 08:30 slot is now late only after 08:55.
	f.at(8, 50)
	f.keys(f.c.manual, f.code("Popescu Andrei"), 4*time.Millisecond, true)
	if f.state("Popescu Andrei") != store.Present {
		t.Fatalf("with 25 minutes of late grace, 08:50 is on time: %q", f.c.card.title.Text)
	}
	form.early.SetText("lots")
	if err := f.c.saveSettings(form); err == nil {
		t.Fatal("a non-number of minutes was saved")
	}
	path, err := f.c.saveReport()
	if err != nil {
		t.Fatal(err)
	}
	html, _ := os.ReadFile(path)
	csvText, _ := os.ReadFile(strings.TrimSuffix(path, ".html") + ".csv")
	if !strings.Contains(string(html), "Day report") || !strings.Contains(string(csvText), "TM-DUMBRAVITA,2026-11-23,day,,16,2,") {
		t.Fatalf("report files:\n%s\n%s", html, csvText)
	}
}

func TestWalkInDialog(t *testing.T) {
	f := newFixture(t) // the demo office takes walk-ins all morning
	f.shortcut(fyne.KeyW)
	f.typeSlowly("Grigore Vieru", false)
	f.c.WalkIn("Grigore Vieru", "lost")
	if f.c.card.title.Text != "Primit fără programare" || f.state("Grigore Vieru") != store.Present {
		t.Fatalf("walk-in: %q, %s", f.c.card.title.Text, f.state("Grigore Vieru"))
	}
	f.c.WalkIn("", "lost")
	if f.c.card.title.Text != "Primirea fără programare cere numele și un motiv cunoscut." {
		t.Fatalf("a walk-in without a name: %q", f.c.card.title.Text)
	}
}

func TestScanSurvivesAHiccup(t *testing.T) {
	f := newFixture(t)
	code := f.code("Bălan Ana")
	// The first three keys arrive, then the PC stalls for 150 ms: the
	// router's timer releases them into the field; the rest of the burst
	// follows.
	f.keys(f.c.manual, code[:3], 4*time.Millisecond, false)
	if f.c.manual.Text != code[:3] {
		t.Fatalf("the released keys are %q", f.c.manual.Text)
	}
	f.keyTime = f.keyTime.Add(-time.Second + 150*time.Millisecond) // keys() waited a second; the stall was shorter
	f.keys(f.c.manual, code[3:], 4*time.Millisecond, true)
	if f.c.manual.Text != "" || f.state("Bălan Ana") != store.Present {
		t.Fatalf("after the stalled scan: field %q, state %s, card %q", f.c.manual.Text, f.state("Bălan Ana"), f.c.card.title.Text)
	}
}

func TestOverrideNeedsTheSupervisor(t *testing.T) {
	f := newFixture(t)
	f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true) // 09:50, late at 10:12
	for _, tc := range []struct {
		password string
		state    store.State
		title    string
	}{{"wrong", store.Expected, "Întârziere: programarea a expirat"}, {demo.Password, store.Present, "Primit de funcționar"}} {
		f.keys(f.c.manual, f.code("Stănescu Gheorghe"), 4*time.Millisecond, true)
		f.shortcut(fyne.KeyR)
		f.typeSlowly("fără programare", true) // the reason; Enter moves to the password
		f.typeSlowly(tc.password, true)
		// A wrong password is told over the window; the card keeps its person.
		if f.state("Stănescu Gheorghe") != tc.state || f.c.card.title.Text != tc.title ||
			(tc.password == "wrong") != strings.Contains(f.told(), "Parolă greșită") {
			t.Fatalf("password %q: %s, card %q, told %q", tc.password, f.state("Stănescu Gheorghe"), f.c.card.title.Text, f.told())
		}
		if tc.password == "wrong" { // the dialog stays open: Escape closes it
			f.c.win.Canvas().Focused().(*scanEntry).TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		}
		if top := f.c.win.Canvas().Overlays().Top(); top != nil {
			t.Fatalf("password %q: a dialog is still open: %q", tc.password, f.told())
		}
	}
}

// told is the text of the message over the window, if one is shown.
func (f *fixture) told() string {
	top := f.c.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(top)
	return strings.Join(out, " | ")
}

func TestDemoCodesWindow(t *testing.T) {
	f := newFixture(t)
	windows := len(f.c.app.Driver().AllWindows())
	f.shortcut(fyne.KeyD)
	all := f.c.app.Driver().AllWindows()
	if len(all) != windows+1 {
		t.Fatal("Ctrl+D opened no window")
	}
	w := all[len(all)-1]
	grid := w.Content().(*container.Scroll).Content.(*fyne.Container)
	rows, _ := f.d.Day(context.Background(), f.d.Today())
	if len(grid.Objects) != len(rows) {
		t.Fatalf("%d codes shown for %d bookings", len(grid.Objects), len(rows))
	}
	// The first tile's QR image reads back as the first booking's code.
	img := grid.Objects[0].(*fyne.Container).Objects[0].(*canvas.Image).Image
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil || res.GetText() != rows[0].Code {
		t.Fatalf("the first tile reads %v, %v", res, err)
	}
	w.Close()
}

func TestEscapeCancelsDialogs(t *testing.T) {
	f := newFixture(t)
	f.shortcut(fyne.KeyW)
	field := f.c.win.Canvas().Focused().(*scanEntry)
	field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.c.win.Canvas().Focused() != f.c.manual {
		t.Fatal("Escape did not give the keyboard back to the code field")
	}
	if overlay := f.c.win.Canvas().Overlays().Top(); overlay != nil {
		t.Fatal("the dialog is still open")
	}
	f.keys(f.c.manual, f.code("Bălan Ana"), 4*time.Millisecond, true)
	if f.state("Bălan Ana") != store.Present {
		t.Fatal("the next scan was not recorded")
	}
}
