// Package app is Ghișeu's GUI. It shows what store/desk decides and records
// and holds no rules of its own. Each screen has its own file.
package app

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/rules"
	"github.com/ghiseu/ghiseu/store/sync"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// PrefLanguage is the preference key of the interface language.
const PrefLanguage = "language"

// Counter is the clerk's main window: the verdict card, the manual code
// field and the day list.
type Counter struct {
	app  fyne.App
	win  fyne.Window
	desk *desk.Desk
	lang i18n.Lang

	// supervisorEvery is how often the supervisor's window reads the
	// office again (2 s when zero); tests that drive the window from their
	// own goroutine set it long and refresh by hand.
	supervisorEvery time.Duration

	keys      *keyRouter
	shortcuts map[string]func()
	card      *verdictCard
	manual    *scanEntry
	personal  *scanButton // hand over a pickup's card, or refuse an intake (personalAction)
	accept    *scanButton
	served    *scanButton // "Servit": on while there is someone to mark served
	day       *dayList
	clock     *widget.Label
	syncLabel *widget.Label
	syncer    *sync.Syncer
	camera    *cameraPanel
	speaker   *speaker // nil in tests: silent
	// supervisors are the supervisor windows opened from this counter.
	supervisors []*supervisorView

	// do runs a function on the GUI thread, from another goroutine.
	do func(func())

	shown    cardContent      // what the card shows, to repaint it in another language
	current  *verdict.Verdict // the last scan's verdict, for the action buttons
	lastCode string           // the last scanned code (or typed booking's reference), for an override
	asking   *question        // a message or question over the window, answered from the keyboard
	over     overlays         // the dialogs and windows open over the counter (question.go)
}

// NewCounter builds the counter screen into w.
func NewCounter(a fyne.App, w fyne.Window, d *desk.Desk) *Counter {
	c := &Counter{app: a, win: w, desk: d, do: fyne.Do, lang: i18n.Parse(a.Preferences().StringWithFallback(PrefLanguage, string(i18n.Romanian)))}
	a.Settings().SetTheme(newTheme(a.Preferences().Bool(PrefContrast)))
	c.keys = newKeyRouter(c.scanned)
	c.shortcuts = map[string]func(){}
	c.bindShortcuts()
	c.build()
	c.idle()
	c.routeKeys(w)
	c.interceptClose() // Alt+F4 mid-shift asks first
	if d.Clerk == "" {
		c.askSignIn()
	}
	return c
}

// routeKeys sends keys typed into w while nothing has its focus through
// the router, and has the router keep w's focus off widgets that would
// swallow a scan, so that a scan is caught whichever window has the focus.
// In the counter's window typing lands in the manual code field; in the
// others it goes nowhere, as before.
func (c *Counter) routeKeys(w fyne.Window) {
	var home func() fyne.Focusable
	if w == c.win {
		home = func() fyne.Focusable { return c.manual }
	}
	c.keys.guard(w, home)
	to := func() fyne.Focusable { // where typing goes
		if home == nil {
			return nil
		}
		c.win.Canvas().Focus(c.manual)
		return c.manual
	}
	w.Canvas().SetOnTypedRune(func(r rune) { c.keys.rune(to(), r) })
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		enter := ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter
		if enter && !c.keys.enter(to()) { // the Enter that ends a scan is the scan's
			return
		}
		if (enter || ev.Name == fyne.KeyEscape) && c.answer(enter) { // a message over the window takes no focus: answered here
			return
		}
		if f, ok := c.shortcuts[string(ev.Name)]; ok {
			f()
			return
		}
		switch {
		case enter: // a person's, given to the router above
		case editingKeys[ev.Name] || ev.Name == fyne.KeySpace: // Fyne reports character keys and Shift here too: they leave a burst alone
			c.keys.flush()
			c.keys.unpark(w, ev)
		}
	})
}

// scanned judges a code the handheld scanner typed, in whichever window:
// the counter's window comes to the front, where the verdict shows.
func (c *Counter) scanned(code string) {
	c.win.RequestFocus()
	c.Scan(code)
}

func (c *Counter) t(key string, args map[string]string) string { return i18n.T(c.lang, key, args) }

// bindShortcuts registers the window's keyboard shortcuts; the text fields
// pass them on too. Fyne delivers Ctrl+Z as its standard Undo shortcut (and
// Ctrl+A, C, V, X, Y as select-all, copy, paste, cut, redo, left to the
// fields), so undo is bound to that and the others to free keys.
func (c *Counter) bindShortcuts() {
	bind := func(s fyne.Shortcut, f func()) {
		c.shortcuts[s.ShortcutName()] = f
		c.win.Canvas().AddShortcut(s, func(fyne.Shortcut) { f() })
	}
	bind(&fyne.ShortcutUndo{}, c.Undo)
	bind(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift}, c.CallAgain) // recall.go
	// Function keys come as plain keys: the fields and the window look
	// them up by name.
	c.shortcuts[string(fyne.KeyF2)] = c.askSignIn
	c.shortcuts[string(fyne.KeyF11)] = c.toggleFullScreen
	for key, f := range map[fyne.KeyName]func(){
		fyne.KeyN: c.CallNext,
		fyne.KeyW: c.askWalkIn,
		fyne.KeyE: c.Serve,
		fyne.KeyU: c.askSupervisor,
		fyne.KeyH: c.toggleContrast,
		fyne.KeyM: c.toggleMute,
		fyne.KeyP: c.HandOver,
		fyne.KeyR: c.askOverride,
		fyne.KeyK: c.askRefuse,
		fyne.KeyF: func() { c.win.Canvas().Focus(c.day.search) },
		fyne.KeyD: func() {
			if c.desk.Demo {
				c.showDemoCodes()
			}
		},
		fyne.KeyL: c.toggleLanguage,
		fyne.KeyI: c.askImport,
	} {
		bind(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierControl}, f)
	}
}

// build lays out the window in the current language.
func (c *Counter) build() {
	speakFyne(c.lang) // Fyne's own dialogs too
	if c.card == nil {
		c.card = newVerdictCard() // once: see verdictCard
	}
	c.manual = newScanEntry(c.keys, c.shortcuts)
	c.manual.SetPlaceHolder(c.t("ui.manual.placeholder", nil))
	c.manual.OnSubmitted = c.Typed
	check := c.button(c.t("ui.manual.check", nil), func() { c.manual.OnSubmitted(c.manual.Text) })
	undo := c.button(c.t("ui.undo", nil), c.Undo)
	c.personal = c.button(c.t("ui.handover", nil), c.HandOver)
	c.personal.Importance = widget.HighImportance
	c.accept = c.button(c.t("ui.accept", nil), c.askOverride)
	c.accept.Importance = widget.WarningImportance

	call := c.button(c.t("ui.call_next", nil), c.CallNext)
	call.Importance = widget.HighImportance
	c.served = c.button(c.t("ui.serve", nil), c.Serve)
	walkIn := c.button(c.t("ui.walkin", nil), c.askWalkIn)
	left := container.NewBorder(nil,
		container.NewVBox(c.actions(call, c.served, walkIn, undo, c.accept, c.personal),
			container.NewBorder(nil, nil, nil, check, c.manual)),
		nil, nil, c.card.root)
	c.day = newDayList(c)
	if c.camera == nil {
		c.camera = newCameraPanel()
		c.camera.root.Hide() // until a camera is started
	}
	right := container.NewBorder(nil, c.camera.root, nil, nil, c.day.root)
	split := container.NewHSplit(container.NewPadded(left), container.NewPadded(right))
	split.Offset = 0.55
	c.win.SetContent(container.NewBorder(c.header(), c.footer(), nil, nil, split))
	c.win.Canvas().Focus(c.manual)
	c.card.Show(c.shown)
	c.updateButtons()
	c.day.reload()
}

// button makes a button of the counter's window: its keys go through the
// router, so a scan while it has the focus is caught.
func (c *Counter) button(label string, tapped func()) *scanButton {
	return newScanButton(c.keys, c.shortcuts, label, tapped)
}

// EnableSound lets the counter play its sounds (the window does; tests
// stay silent).
func (c *Counter) EnableSound() { c.speaker = openSpeaker() }

// tickClock shows the office's date and time.
func (c *Counter) tickClock() {
	now := c.desk.Time()
	c.clock.SetText(i18n.Time(c.lang, now, "date") + "  " + now.Format("15:04:05"))
}

// RunClock keeps the header clock and the day list current, until ctx
// ends: the list is read again every minute, so that bookings become
// no-shows on screen as their slots pass (derived when read, nothing is
// written).
func (c *Counter) RunClock(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	focus := time.NewTicker(50 * time.Millisecond) // the keyboard's focus, off widgets that swallow scans
	defer focus.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-focus.C:
			c.do(c.keepFocus)
		case now := <-t.C:
			c.do(func() {
				c.tickClock()
				c.showSync()
				if now.Second() == 0 {
					c.day.reload()
				}
			})
		}
	}
}

// keepFocus keeps every window's focus where a scan is caught.
func (c *Counter) keepFocus() { c.keys.keepFocus(c.app.Driver().AllWindows()) }

func (c *Counter) toggleLanguage() {
	c.lang = i18n.English
	if c.lang == i18n.Parse(c.app.Preferences().String(PrefLanguage)) {
		c.lang = i18n.Romanian
	}
	c.app.Preferences().SetString(PrefLanguage, string(c.lang))
	if c.current != nil {
		c.shown = c.contentOf(*c.current)
	} else {
		c.idle()
	}
	c.build()
}

func (c *Counter) idle() {
	c.shown = c.idleContent()
	c.withdrawOffer()
	if c.card != nil {
		c.card.Show(c.shown)
	}
}

// Scan judges a code read by the handheld scanner or the camera (or a
// short reference), records the arrival when the verdict allows it, and
// shows the verdict. The arrival is on disk before the verdict is shown.
func (c *Counter) Scan(code string) { c.checkIn(code, c.desk.CheckIn) }

// Typed is Scan for what the clerk typed in the manual field: a code, a
// booking's short reference or a person's name. The field empties, except
// after a reference with a typo or a name that is only part of someone's
// (keepTyped): the text stays there to be corrected or completed.
func (c *Counter) Typed(text string) {
	if strings.TrimSpace(text) == "" && (c.answer(true) || c.day.checkInPicked()) { // a question's default, or the person picked in the day list
		return
	}
	c.manual.SetText("")
	if v, ok := c.checkIn(text, c.desk.CheckInTyped); ok && keepTyped[v.Name] {
		c.manual.SetText(strings.TrimSpace(text))
		c.manual.CursorColumn = len([]rune(c.manual.Text))
	}
}

// keepTyped are the verdicts on typed text that leave it in the field to be
// corrected or completed: a reference with a typo, a name that is part of
// one or more bookings' names.
var keepTyped = map[verdict.Name]bool{verdict.ReferenceTypo: true, verdict.NameIncomplete: true, verdict.NameAmbiguous: true}

// checkIn judges text with the desk's judge and shows the verdict; false
// when nothing was judged (nobody signed in, or the database failed). It
// runs on the Enter that ends a scan or the typing, and logs how long the
// verdict took from there (the soak benchmark reads it).
func (c *Counter) checkIn(text string, judge func(context.Context, string) (verdict.Verdict, error)) (v verdict.Verdict, judged bool) {
	start := time.Now()
	defer func() {
		if judged {
			slog.Info("verdict shown", "verdict", v.Name, "after", time.Since(start))
		}
	}()
	defer c.win.Canvas().Focus(c.manual)
	if !c.signedIn() {
		return verdict.Verdict{}, false
	}
	v, err := judge(context.Background(), text)
	if err != nil {
		c.fail(err)
		return verdict.Verdict{}, false
	}
	code := text
	if v.Manual && v.Booking != nil { // an override finds a typed booking by its reference
		code = rescode.ReferenceOf(v.Booking.Office, v.Booking.ID)
	}
	c.markJudged(text, v.Name)
	c.showVerdict(v, code)
	return v, true
}

// Override takes the person on the card anyway, with the clerk's reason.
func (c *Counter) Override(reason string) { c.overrideCode(c.lastCode, reason) }

// overrideCode takes the person of this code anyway: the one an override
// dialog was opened for, whatever was scanned meanwhile.
func (c *Counter) overrideCode(code, reason string) {
	defer c.win.Canvas().Focus(c.manual)
	v, err := c.desk.Override(context.Background(), code, reason)
	if err != nil {
		c.fail(err)
		return
	}
	c.showVerdict(v, code)
}

func (c *Counter) contentOf(v verdict.Verdict) cardContent {
	m := v.Message(c.lang)
	return cardContent{Colour: v.Colour, Ticket: c.ticketLine(v), Title: m.Title, Who: m.Who, Lines: strings.Join(m.Lines, "\n"),
		Detail: m.Detail, Help: strings.Join(m.Help, "\n")}
}

// showVerdict shows a verdict on the card and makes its person the one the
// action buttons act on; code is what identifies them to the desk.
func (c *Counter) showVerdict(v verdict.Verdict, code string) {
	c.show(c.contentOf(v))
	c.current, c.lastCode = &v, code
	c.updateButtons()
}

// show shows content on the card. The card then names nobody the buttons
// could act on (showVerdict does): an action never falls on a person the
// card no longer shows.
func (c *Counter) show(content cardContent) {
	c.current = nil
	c.withdrawOffer()
	c.shown = content
	c.card.Show(content)
	c.sound(content.Colour)
	c.updateButtons()
	c.day.reload()
}

// withdrawOffer withdraws the day list's offer to check in the person
// picked there: the card shows something new, and an Enter meant for it
// must not check in someone the card does not show.
func (c *Counter) withdrawOffer() {
	if c.day != nil {
		c.day.withdraw()
	}
}

func (c *Counter) fail(err error) {
	slog.Error("counter action failed", "err", err)
	c.current = nil
	c.withdrawOffer()
	// Only the card: reloading the list could fail again, and again.
	c.shown = cardContent{Colour: verdict.Red, Title: c.t("ui.error.title", nil),
		Detail: c.t("ui.error.storage", map[string]string{"err": err.Error()})}
	c.card.Show(c.shown)
	c.sound(verdict.Red)
	c.updateButtons()
}

// Undo cancels this counter's last action.
func (c *Counter) Undo() {
	defer c.win.Canvas().Focus(c.manual)
	e, err := c.desk.Undo(context.Background())
	if errors.Is(err, desk.ErrNothingToUndo) {
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("ui.undo.nothing", nil)})
		return
	}
	if errors.Is(err, desk.ErrUndoTooLate) {
		c.show(cardContent{Colour: verdict.Amber, Title: c.t("ui.undo.too_late", nil)})
		return
	}
	if err != nil {
		c.fail(err)
		return
	}
	b, err := c.desk.DB.BookingByID(context.Background(), e.BookingID)
	if err != nil {
		c.fail(err)
		return
	}
	c.show(cardContent{Colour: verdict.Amber, Title: c.t("ui.undo.done", nil), Who: b.Name,
		Detail: c.t("ui.undo.done.detail", map[string]string{"what": c.t("event."+string(e.Type), nil), "name": b.Name})})
}

// HandOver records that the finished card of the pickup person the card
// shows was handed over.
func (c *Counter) HandOver() {
	defer c.win.Canvas().Focus(c.manual)
	if !c.canHandOver() {
		return
	}
	b := *c.current.Booking
	e, err := c.desk.Record(context.Background(), b.ID, store.PickedUp)
	if err != nil {
		c.fail(err)
		return
	}
	content := cardContent{Colour: verdict.Green, Who: b.Name,
		Title: c.t("ui.handover.done", map[string]string{"at": e.At.In(c.desk.Cal.Location()).Format(time.RFC3339)})}
	if born, err := time.Parse(time.DateOnly, b.BirthDate); err == nil && rules.AgeOn(born, c.desk.Time()) < 14 {
		content.Detail = c.t("help.pickup_minor", nil)
	}
	c.show(content)
}

// canHandOver reports whether the card shows a pickup person who has
// arrived and whose card is not yet handed over: the arrival this scan
// recorded (or the clerk's override), an arrival recorded before, or the
// person called to this counter.
func (c *Counter) canHandOver() bool {
	v := c.current
	if v == nil || v.Booking == nil || v.Booking.Kind != store.Pickup {
		return false
	}
	switch v.Name {
	case verdict.AlreadyArrived, verdict.CalledIn:
		return true
	}
	return v.Recorded != nil && v.Recorded.Type == store.Arrived
}

func (c *Counter) canOverride() bool { return c.current != nil && c.current.Overridable() }

// canServe reports whether "Servit" has someone to act on: the card shows
// a person called to this counter, or this counter serves someone (as the
// day list last read says).
func (c *Counter) canServe() bool {
	if v := c.current; v != nil && v.Name == verdict.CalledIn && v.Booking != nil {
		return true
	}
	return c.day != nil && c.day.serving()
}

// updateButtons enables the action buttons whose action applies now; the
// day list calls it too, each time it is read again.
// personalAction is the sixth action button's, whichever applies to the
// person on the card: a pickup's card handed over (Ctrl+P) or an intake
// refused with a reason (Ctrl+K); never both, so one button serves, its
// label following the card.
func (c *Counter) personalAction() (label string, act func(), ok bool) {
	switch {
	case c.canHandOver():
		return c.t("ui.handover", nil), c.HandOver, true
	case c.canRefuse():
		return c.t("ui.refuse", nil), c.askRefuse, true
	}
	return c.t("ui.handover", nil), c.HandOver, false
}

func (c *Counter) updateButtons() {
	personal := false
	if c.personal != nil {
		var label string
		label, c.personal.OnTapped, personal = c.personalAction()
		relabel(c.personal, label)
	}
	for b, ok := range map[*scanButton]bool{c.personal: personal, c.accept: c.canOverride(), c.served: c.canServe()} {
		if b == nil { // while the window is built
			continue
		}
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}
