package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ghiseu/ghiseu/cmd/internal/soak"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store/mail"
)

// smtpServer is Debian's aiosmtpd on loopback, writing what it takes to a
// folder (store/mail/testdata/smtpd.py).
type smtpServer struct {
	addr, dir string
	cmd       *exec.Cmd
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	if exec.Command("/usr/bin/python3", "-c", "import aiosmtpd").Run() != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3-aiosmtpd is missing (./dev.sh test installs it)")
		}
		t.Skip("python3-aiosmtpd is missing: ./dev.sh test installs it")
	}
	s := &smtpServer{addr: freeAddr(t), dir: t.TempDir()}
	_, port, _ := strings.Cut(s.addr, ":")
	s.cmd = exec.Command("/usr/bin/python3", "../../store/mail/testdata/smtpd.py", port, s.dir)
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	ready := make([]byte, 5)
	if _, err := out.Read(ready); err != nil || string(ready) != "ready" {
		t.Fatalf("the mail server did not start: %q %v", ready, err)
	}
	return s
}

// next waits for the n-th message the server took (1-based), parsed.
func (s *smtpServer) next(t *testing.T, n int) mail.Parsed {
	t.Helper()
	var names []string
	waitUntil(t, 30*time.Second, fmt.Sprintf("e-mail %d", n), func() bool {
		names, _ = filepath.Glob(filepath.Join(s.dir, "*.eml"))
		return len(names) >= n
	})
	slices.Sort(names)
	raw, err := os.ReadFile(names[n-1])
	if err != nil {
		t.Fatal(err)
	}
	p, err := mail.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func waitUntil(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// browser is headless Chromium driven through chromedp at one window size.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string // where each page's screenshot goes
	n     int
	mute  bool // no screenshots (a page shot already)
}

func newBrowser(t *testing.T, w, h int, shots string) *browser {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is missing (./dev.sh test installs it)")
		}
		t.Skip("chromium is missing: ./dev.sh test installs it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(w, h),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), int64(h))); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	os.MkdirAll(shots, 0o755)
	return &browser{t: t, ctx: ctx, shots: shots}
}

func (b *browser) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// is evaluates a JavaScript condition in the page.
func (b *browser) is(cond string) bool {
	b.t.Helper()
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](cond))
	if err != nil {
		b.t.Fatal(err)
	}
	return ok
}

// shot saves a screenshot of the whole page as NN-name.png.
func (b *browser) shot(name string) {
	b.t.Helper()
	if b.mute {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(90))
	if err != nil {
		b.t.Fatal(err)
	}
	b.n++
	b.t.Logf("page %d: %s", b.n, name)
	if err := os.WriteFile(filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, name)), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// text is the page's visible text.
func (b *browser) text() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// tabTo presses Tab until the focused element satisfies the JavaScript
// condition on el (document.activeElement), as a keyboard user would.
func (b *browser) tabTo(cond string) {
	b.t.Helper()
	for range 80 {
		if b.is(`(el => !!el && (` + cond + `))(document.activeElement)`) {
			return
		}
		b.run(chromedp.KeyEvent(kb.Tab))
	}
	b.t.Fatalf("no focusable element where %s", cond)
}

// pressUntil presses key until the focused element satisfies cond.
func (b *browser) pressUntil(key, cond string) {
	b.t.Helper()
	for range 60 {
		if b.is(`(el => ` + cond + `)(document.activeElement)`) {
			return
		}
		b.run(chromedp.KeyEvent(key))
	}
	b.t.Fatalf("%q never made %s", key, cond)
}

// bookByKeyboard books a slot on the site with the keyboard only: the day
// link, the slot's radio button, the fields, the GDPR box, the button.
func (b *browser) bookByKeyboard(site, lang, day, slot, email, name, birthDDMM, year string) {
	b.t.Helper()
	b.run(chromedp.Navigate(site + "/?lang=" + lang))
	b.shot("days")
	b.tabTo(fmt.Sprintf(`(el.getAttribute("href") || "").includes("/zi/%s")`, day))
	b.run(chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`#email`)))
	b.shot("day-form")
	b.tabTo(`el.name === "slot"`)
	b.pressUntil(kb.ArrowRight, fmt.Sprintf(`el.value === %q && el.checked`, slot))
	b.tabTo(`el.id === "email"`)
	b.run(chromedp.KeyEvent(email))
	b.tabTo(`el.id === "name"`)
	b.run(chromedp.KeyEvent(name))
	b.tabTo(`el.id === "reason"`)
	b.pressUntil(kb.ArrowDown, `el.value === "expiry"`)
	b.tabTo(`el.id === "birth"`)
	b.run(chromedp.KeyEvent(birthDDMM + year)) // day and month alike: the same in every date order
	b.tabTo(`el.id === "gdpr"`)
	b.run(chromedp.KeyEvent(" "))
	b.tabTo(`el.type === "submit"`)
	b.shot("day-form-filled")
	b.run(chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`p.lead[role=status]`)))
	b.shot("requested")
}

// press follows a link from an e-mail (confirm, cancel) and presses its
// page's one button with the keyboard, a screenshot before and after.
func (b *browser) press(link, before, after string) {
	b.t.Helper()
	b.run(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`button[type=submit]`)))
	b.shot(before)
	b.tabTo(`el.type === "submit"`)
	b.run(chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`p.lead[role=status]`)))
	b.shot(after)
}

// refusals shows the GDPR notice and the form's answers to an empty
// request: one sentence a field, in the page's language.
func (b *browser) refusals(site, lang, day string) {
	b.t.Helper()
	b.run(chromedp.Navigate(site + "/gdpr?lang=" + lang))
	b.shot("gdpr")
	b.run(chromedp.Navigate(site+"/zi/"+day), chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#err-email`)))
	b.shot("day-form-errors")
	if !b.is(`["err-slot", "err-email", "err-name", "err-reason", "err-birth", "err-gdpr"].every(id => document.getElementById(id))`) {
		b.t.Errorf("an empty request does not name every missing field")
	}
}

// linkIn finds the site's link with path in a letter's text.
func linkIn(t *testing.T, p mail.Parsed, site, path string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(site+path) + `\?t=[0-9a-f]{32}`).FindString(p.Text)
	if m == "" {
		t.Fatalf("no %s link in %q:\n%s", path, p.Subject, p.Text)
	}
	return m
}

// referenceIn finds the short booking reference in a letter's text.
func referenceIn(t *testing.T, p mail.Parsed) string {
	t.Helper()
	for _, w := range strings.FieldsFunc(p.Text, func(r rune) bool { return !('A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-') }) {
		if len(w) >= 8 && len(w) <= 12 {
			if _, err := rescode.ParseReference(w); err == nil {
				return w
			}
		}
	}
	t.Fatalf("no booking reference in %q", p.Subject)
	return ""
}

// TestCitizenBooksOnTheSiteAndIsCheckedIn is the citizen's side end to
// end with real processes: the hub serving its booking site, Debian's
// aiosmtpd as the mail server, headless Chromium as the citizen's phone
// (360×740, keyboard only) and PC (1366×768), and the counter. Ana books,
// confirms from the e-mail, and is checked in by the QR attached to the
// second e-mail, read with the counter's decoder; Bogdan is checked in by
// the short reference typed from his e-mail; Cristina cancels from hers
// and her code reads "cancelled" at the counter after its next sync.
func TestCitizenBooksOnTheSiteAndIsCheckedIn(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	smtp := startSMTP(t)
	dir := t.TempDir()
	t.Cleanup(func() {
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "hub.log"))
			t.Logf("the hub's log:\n%s", log)
		}
	})
	w := &world{t: t, dir: dir, ghiseu: build(t, dir, "../ghiseu", "ghiseu"), hubBin: build(t, dir, ".", "ghiseu-hub"),
		addr: freeAddr(t), tokens: map[string]string{}, persons: map[string]string{}, refs: map[string]string{}}
	os.WriteFile(filepath.Join(dir, "office.json"), []byte(strings.Replace(office, `"capacity":1`, `"capacity":2`, 1)), 0o600)
	w.must(w.hubBin, "init", "--db", "hub.db", "--key", "hub.key", "--calendar", "office.json")

	// The hub lives tomorrow at 07:00 while the citizens book, so that the
	// morning's slots are open whatever the hour of the test.
	loc, _ := time.LoadLocation("Europe/Bucharest")
	w.day = time.Now().In(loc).AddDate(0, 0, 1).Format(time.DateOnly)
	at := func(hhmm string) time.Time {
		t0, _ := time.ParseInLocation(time.DateTime, w.day+" "+hhmm+":00", loc)
		return t0
	}
	siteAddr := freeAddr(t)
	site := "http://" + siteAddr
	w.hubArgs = []string{"--site", siteAddr, "--site-url", site, "--smtp", smtp.addr, "--smtp-plain",
		"--mail-from", "SPCLEP Dumbrăvița <programari@dumbravita.example>"}
	w.hubEnv = []string{"GHISEU_CLOCK_SKEW=" + time.Until(at("07:00")).Round(time.Second).String()}
	w.startHub()
	waitUntil(t, 10*time.Second, "the booking site", func() bool {
		resp, err := http.Get(site + "/")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})

	shots := filepath.Join(cmpOr(os.Getenv("GHISEU_SCREENSHOTS"), t.TempDir()), "site")
	phone := newBrowser(t, 360, 740, filepath.Join(shots, "360x740"))
	pc := newBrowser(t, 1366, 768, filepath.Join(shots, "1366x768"))

	// Ana, on her phone, with the keyboard only.
	phone.refusals(site, "ro", w.day)
	phone.bookByKeyboard(site, "ro", w.day, "09:00", "ana@example.ro", "Ana Popescu", "0404", "1990")
	request := smtp.next(t, 1)
	if !strings.Contains(request.Subject, "Confirmă rezervarea") || !strings.Contains(request.To, "ana@example.ro") {
		t.Fatalf("first e-mail %q to %s, want the confirmation request to Ana", request.Subject, request.To)
	}
	phone.press(linkIn(t, request, site, "/confirma"), "confirm", "confirmed")
	anaMail := smtp.next(t, 2)
	anaRef := referenceIn(t, anaMail)
	if !strings.Contains(phone.text(), anaRef) {
		t.Errorf("the confirmation page lacks Ana's reference %s", anaRef)
	}
	qr := ""
	for _, a := range anaMail.Attachments {
		switch a.ContentType {
		case "image/png":
			qr = filepath.Join(dir, "ana-qr.png")
			os.WriteFile(qr, a.Data, 0o600)
		case "text/calendar":
			if !strings.Contains(string(a.Data), "BEGIN:VEVENT") {
				t.Errorf("the calendar attachment is not an event:\n%s", a.Data)
			}
		}
	}
	if qr == "" {
		t.Fatalf("Ana's e-mail %q has no QR attachment", anaMail.Subject)
	}
	if code := w.must(w.ghiseu, "decode", qr); !strings.HasPrefix(code, "GH") {
		t.Fatalf("ghiseu decode of Ana's QR: %q", code)
	}

	// Bogdan and Cristina, on a PC, in English (the same flow).
	pc.refusals(site, "en", w.day)
	pc.bookByKeyboard(site, "en", w.day, "09:00", "bogdan@example.ro", "Bogdan Ionescu", "0505", "1985")
	pc.press(linkIn(t, smtp.next(t, 3), site, "/confirma"), "confirm", "confirmed")
	bogdanRef := referenceIn(t, smtp.next(t, 4))
	pc.mute = true // the pages of Bogdan's booking again
	pc.bookByKeyboard(site, "en", w.day, "09:20", "cristina@example.ro", "Cristina Marin", "0606", "1975")
	pc.press(linkIn(t, smtp.next(t, 5), site, "/confirma"), "confirm", "confirmed")
	pc.mute = false
	cristinaMail := smtp.next(t, 6)
	cristinaRef := referenceIn(t, cristinaMail)
	pc.press(linkIn(t, cristinaMail, site, "/anuleaza"), "cancel", "cancelled")

	// The counter: its hub's clock is put after the morning, as in the
	// other end-to-end tests, and it syncs the day.
	w.killHub()
	w.hubEnv = []string{"GHISEU_CLOCK_SKEW=" + time.Until(at("12:00")).Round(time.Second).String()}
	w.startHub()
	w.link("1", "1")
	if err := w.sync("1"); err != nil {
		t.Fatal(err)
	}
	// The counter's real window, under Xvfb with openbox: Ana shows the QR
	// from her e-mail to the camera (the attachment played as its frames),
	// Bogdan's reference is typed into the window as a clerk types it.
	x, err := soak.StartScreen(1366, 768)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	frames := filepath.Join(dir, "camera")
	os.MkdirAll(frames, 0o700)
	os.Rename(qr, filepath.Join(frames, "ana-qr.png"))
	gui := exec.Command(w.ghiseu, "--db", "c1.db", "--counter", "1", "--clerk", "Ioana Pop", "--clock", w.at("08:55"), "--frames", frames)
	gui.Dir, gui.Env = dir, x.Env(append(os.Environ(), "LANG=ro_RO.UTF-8"))
	if err := gui.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { gui.Process.Kill(); gui.Wait() }()
	arrived := func(name string) func() bool {
		return func() bool { return w.states("1")[name] == "arrived" }
	}
	waitUntil(t, 60*time.Second, "Ana checked in by her QR at the counter's camera", arrived("Ana Popescu"))
	if err := x.WaitFor(10*time.Second, func() bool { return x.HasWindow("^Ghișeu") }); err != nil {
		t.Fatal("no counter window")
	}
	x.Run("xdotool", "search", "--onlyvisible", "--name", "^Ghișeu", "windowactivate", "--sync")
	if err := x.TypeText(60*time.Millisecond, bogdanRef); err != nil {
		t.Fatal(err)
	}
	x.Key("Return")
	waitUntil(t, 20*time.Second, "Bogdan checked in by his typed reference", arrived("Bogdan Ionescu"))
	time.Sleep(time.Second) // the card's next frame
	x.Run("import", "-window", "root", filepath.Join(shots, "counter-after-the-site.png"))

	out, _ := w.counter("1", "check", cristinaRef, "--at", w.at("09:15"), "--json")
	var v struct{ Verdict string }
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Verdict != "cancelled" {
		t.Errorf("Cristina's cancelled booking at the counter: %q (%v), want cancelled\n%s", v.Verdict, err, out)
	}
	if anaRef == bogdanRef {
		t.Errorf("two bookings share the reference %s", anaRef)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
