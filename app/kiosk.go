package app

import (
	"context"
	"errors"
	"image"
	"image/color"
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/camera"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// KioskReset is how long the kiosk shows an answer (or an unfinished
// reference) before it goes back to its welcome screen.
const KioskReset = 10 * time.Second

// PrefKioskLang is the preference that holds the language the kiosk starts
// in and returns to (the supervisor's setting).
const PrefKioskLang = "kiosk_lang"

// kioskKeys are the keys of the on-screen keypad: the alphabet of the
// short reference (scanner/rescode), which has no 0, O, Y nor Z.
const kioskKeys = "123456789ABCDEFGHIJKLMNPQRSTUVWX"

// kioskMaxTyped bounds what the keypad takes: the longest reference.
const kioskMaxTyped = 14

type kioskScreen int

const (
	kioskHome kioskScreen = iota
	kioskKeypad
	kioskAnswer
	kioskUnlock     // the supervisor's password
	kioskSupervisor // the supervisor's settings
)

// Kiosk is the self check-in kiosk at the office's entrance (ghiseu
// kiosk): full screen and touch-first. The citizen shows the QR code of
// their booking to the camera (or to a handheld scanner), or types the
// booking's short reference on the on-screen keypad; the kiosk judges it
// with the desk's verdict engine as a counter does, records the arrival
// (the desk's counter is KioskCounter), and answers for the citizen
// (KioskAnswer): their ticket, large, or why not. It goes back to its
// welcome screen KioskReset after an answer. It shows no personal data
// beyond the first name's initial. Leaving it or changing its settings
// needs the supervisor password; it has no shortcuts, and closing its
// window asks for the password.
type Kiosk struct {
	win   fyne.Window
	desk  *desk.Desk
	prefs fyne.Preferences
	langs []i18n.Lang
	lang  i18n.Lang

	// Quit ends the kiosk once the supervisor chose to close it.
	Quit func()
	// After runs f on the GUI goroutine d from now, and returns a function
	// that cancels it; tests replace it with a clock they move.
	After func(d time.Duration, f func()) (stop func())

	screen  kioskScreen
	typed   string
	answer  KioskMessage
	stop    func()    // cancels the pending reset
	keys    []rune    // keys from a handheld scanner, until its Enter
	keyAt   time.Time // when the last of them came
	note    string    // the supervisor gate's error
	camLost bool
	judged  *camera.Judged

	root    *fyne.Container
	preview *canvas.Image
	pw      *widget.Entry
}

// NewKiosk builds the kiosk into w, on d (whose Counter should be
// KioskCounter), in the languages of the kiosk's translation files
// (i18n.Discover("kiosk")), starting in the one the supervisor chose.
func NewKiosk(a fyne.App, w fyne.Window, d *desk.Desk) *Kiosk {
	k := &Kiosk{win: w, desk: d, prefs: a.Preferences(), langs: i18n.Discover("kiosk"), judged: &camera.Judged{},
		Quit: a.Quit}
	k.After = func(d time.Duration, f func()) func() {
		t := time.AfterFunc(d, func() { fyne.Do(f) })
		return func() { t.Stop() }
	}
	k.lang = k.home()
	a.Settings().SetTheme(kioskTheme{newTheme(false)})
	k.preview = canvas.NewImageFromImage(image.NewGray(image.Rect(0, 0, 16, 9)))
	k.preview.FillMode = canvas.ImageFillContain
	k.preview.SetMinSize(fyne.NewSize(320, 180))
	k.preview.Hide()
	k.root = container.NewStack()
	w.SetContent(k.root)
	w.SetTitle(k.t("window_title", nil))
	w.SetCloseIntercept(k.askUnlock) // the window manager's close: the supervisor's password
	w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF4, Modifier: fyne.KeyModifierAlt},
		func(fyne.Shortcut) { k.askUnlock() }) // the same, where the kiosk holds the keyboard
	w.Canvas().SetOnTypedRune(k.typedRune)
	w.Canvas().SetOnTypedKey(k.typedKey)
	k.render()
	return k
}

// home is the language the kiosk starts in: the supervisor's choice, if
// the kiosk still speaks it, else Romanian.
func (k *Kiosk) home() i18n.Lang {
	want := i18n.Lang(k.prefs.String(PrefKioskLang))
	for _, l := range k.langs {
		if l == want {
			return l
		}
	}
	return i18n.Romanian
}

func (k *Kiosk) t(key string, args map[string]string) string {
	return i18n.T(k.lang, "kiosk."+key, args)
}

// Submit judges a code or a short reference and shows the answer. The
// arrival, when the verdict accepts it, is on disk before the answer
// shows. Nothing about the person is logged.
func (k *Kiosk) Submit(text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	v, err := k.desk.CheckIn(context.Background(), text)
	if err != nil {
		slog.Error("kiosk: check-in failed", "err", err)
		v = verdict.Verdict{} // sent to a counter
	}
	k.answer = KioskAnswer(k.lang, v)
	slog.Info("kiosk: answered", "verdict", v.Name, "answer", k.answer.Key, "ticket", v.Ticket, "recorded", v.Recorded != nil)
	k.typed = ""
	k.show(kioskAnswer)
}

// show changes the screen; an answer and the keypad go back to the
// welcome screen after KioskReset.
func (k *Kiosk) show(s kioskScreen) {
	if k.stop != nil {
		k.stop()
		k.stop = nil
	}
	k.screen = s
	if s == kioskAnswer || s == kioskKeypad || s == kioskUnlock {
		k.stop = k.After(KioskReset, k.Reset)
	}
	k.render()
}

// Reset goes back to the welcome screen in the kiosk's own language,
// forgetting what was typed and answered.
func (k *Kiosk) Reset() {
	if k.stop != nil {
		k.stop()
		k.stop = nil
	}
	k.screen, k.typed, k.answer, k.note, k.lang = kioskHome, "", KioskMessage{}, "", k.home()
	k.win.SetTitle(k.t("window_title", nil))
	k.render()
}

// setLang shows the kiosk in l until the next reset.
func (k *Kiosk) setLang(l i18n.Lang) {
	k.lang = l
	k.win.SetTitle(k.t("window_title", nil))
	if k.screen == kioskKeypad || k.screen == kioskUnlock {
		k.show(k.screen) // a touch is activity: the reset waits again
		return
	}
	k.render()
}

// press is a key of the on-screen keypad.
func (k *Kiosk) press(key rune) {
	if len(k.typed) < kioskMaxTyped {
		k.typed += string(key)
	}
	k.show(kioskKeypad)
}

// typedRune gathers a handheld scanner's keys (a keyboard wedge); its
// Enter submits them. A person at a keyboard is treated alike: the
// kiosk has no field to type into.
func (k *Kiosk) typedRune(r rune) {
	if k.screen == kioskUnlock || k.screen == kioskSupervisor {
		return
	}
	now := time.Now()
	if now.Sub(k.keyAt) > kioskKeyPause { // stray keys long ago are no part of this code
		k.keys = nil
	}
	k.keyAt = now
	if len(k.keys) < 4096 {
		k.keys = append(k.keys, r)
	}
}

// kioskKeyPause is the longest pause inside what a handheld scanner (or a
// person at a keyboard) types before its Enter.
const kioskKeyPause = 3 * time.Second

// typedKey is the window's keys: Enter submits a scanner's code; no other
// key does anything (the kiosk has no shortcuts).
func (k *Kiosk) typedKey(e *fyne.KeyEvent) {
	if e.Name != fyne.KeyReturn && e.Name != fyne.KeyEnter {
		return
	}
	text := string(k.keys)
	k.keys = nil
	if k.screen == kioskUnlock || k.screen == kioskSupervisor || strings.TrimSpace(text) == "" {
		return
	}
	k.judged.Mark(strings.TrimSpace(text), time.Now())
	k.Submit(text)
}

// StartCamera reads codes from the camera (the counter's pipeline:
// a code held in view is read once, one judged in the last minute is
// left alone) and submits them while the kiosk shows its welcome screen
// or an answer.
func (k *Kiosk) StartCamera(ctx context.Context, open func() (camera.Source, error)) {
	k.preview.Show()
	p := &camera.Pipeline{
		Open:   open,
		Judged: k.judged,
		OnCode: func(text string) {
			fyne.Do(func() {
				if k.screen == kioskHome || k.screen == kioskAnswer {
					k.Submit(text)
				} else {
					k.judged.Forget(text) // the keypad or the supervisor is in use: read it again later
				}
			})
		},
		OnPreview: func(g *image.Gray, outline []image.Point) {
			img := preview(g, outline)
			fyne.Do(func() {
				k.preview.Image = img
				k.preview.Refresh()
			})
		},
		OnState: func(s camera.State, err error) {
			fyne.Do(func() {
				lost := s == camera.Lost
				if lost != k.camLost {
					k.camLost = lost
					k.render()
				}
			})
		},
	}
	go p.Run(ctx)
}

// askUnlock asks for the supervisor's password (the corner's button, the
// window's close).
func (k *Kiosk) askUnlock() {
	if k.screen == kioskSupervisor {
		return
	}
	slog.Info("kiosk: supervisor password asked")
	k.note = ""
	k.show(kioskUnlock)
	k.win.Canvas().Focus(k.pw)
}

// unlock checks the supervisor's password and opens the settings. A code
// scanned while the password is asked (someone left the screen there) is
// a citizen's, not a guess: it is judged, and no try is counted.
func (k *Kiosk) unlock(password string) {
	if rescode.Whole(password) {
		k.pw.SetText("")
		k.win.Canvas().Unfocus()
		k.Submit(password)
		return
	}
	ok, err := k.desk.DB.CheckSupervisor(context.Background(), store.AtKiosk, password)
	switch {
	case errors.Is(err, store.ErrNoPassword):
		k.note = k.t("supervisor.no_password", nil)
	case isLocked(err):
		slog.Warn("kiosk: supervisor password locked after too many wrong ones")
		k.note = k.t("supervisor.locked", map[string]string{"wait": lockWait(k.lang, err)})
	case err != nil:
		slog.Error("kiosk: supervisor password", "err", err)
		k.note = k.t("supervisor.wrong", nil)
	case !ok:
		slog.Warn("kiosk: wrong supervisor password")
		k.note = k.t("supervisor.wrong", nil)
	}
	if !ok || err != nil {
		k.show(kioskUnlock)
		return
	}
	slog.Info("kiosk: supervisor unlocked")
	k.note = ""
	k.show(kioskSupervisor)
}

// setHome is the supervisor's choice of the kiosk's language.
func (k *Kiosk) setHome(l i18n.Lang) {
	k.prefs.SetString(PrefKioskLang, string(l))
	k.lang = l
	k.render()
}

// render draws the current screen.
func (k *Kiosk) render() {
	var body fyne.CanvasObject
	switch k.screen {
	case kioskKeypad:
		body = k.keypadView()
	case kioskAnswer:
		body = k.answerView()
	case kioskUnlock:
		body = k.unlockView()
	case kioskSupervisor:
		body = k.supervisorView()
	default:
		body = k.homeView()
	}
	top := container.NewBorder(nil, nil, nil, k.lockButton(), k.langBar())
	if k.screen == kioskUnlock || k.screen == kioskSupervisor {
		top = container.NewBorder(nil, nil, nil, nil, layout.NewSpacer())
	}
	if k.screen != kioskUnlock { // the password's field, gone, keeps no keys: they are a scanner's
		k.win.Canvas().Unfocus()
	}
	k.root.Objects = []fyne.CanvasObject{container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewPadded(body))}
	k.root.Refresh()
}

// langBar is a button for each language the kiosk speaks, in that
// language's own name.
func (k *Kiosk) langBar() fyne.CanvasObject {
	box := container.NewHBox()
	for _, l := range k.langs {
		b := widget.NewButton(i18n.T(l, "kiosk.language", nil), func() { k.setLang(l) })
		if l == k.lang {
			b.Importance = widget.HighImportance
		}
		box.Add(container.NewGridWrap(fyne.NewSize(200, 72), b))
	}
	return box
}

// lockButton is the supervisor's discreet button in the corner.
func (k *Kiosk) lockButton() fyne.CanvasObject {
	b := widget.NewButtonWithIcon("", theme.SettingsIcon(), k.askUnlock)
	b.Importance = widget.LowImportance
	return b
}

// kioskRow is a centred row of objects of one size (big buttons).
func kioskRow(size fyne.Size, objs ...fyne.CanvasObject) fyne.CanvasObject {
	row := container.NewHBox()
	for _, o := range objs {
		row.Add(container.NewGridWrap(size, o))
	}
	return container.NewCenter(row)
}

// kioskText is a line of text of the given size, centred, wrapped.
func kioskText(text string, size fyne.ThemeSizeName, bold bool) *widget.Label {
	l := widget.NewLabel(text)
	l.Alignment = fyne.TextAlignCenter
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = size
	l.TextStyle.Bold = bold
	return l
}

func (k *Kiosk) homeView() fyne.CanvasObject {
	type_ := widget.NewButtonWithIcon(k.t("keypad.open", nil), theme.ContentAddIcon(), func() { k.show(kioskKeypad) })
	type_.Importance = widget.HighImportance
	lines := []fyne.CanvasObject{
		kioskText(k.t("title", nil), theme.SizeNameHeadingText, true),
		kioskText(k.t("prompt", nil), theme.SizeNameSubHeadingText, false),
	}
	if k.camLost {
		warn := kioskText(k.t("camera.lost", nil), theme.SizeNameText, false)
		warn.Importance = widget.WarningImportance
		lines = append(lines, warn)
	}
	if k.preview.Visible() { // a camera: the citizen sees what it sees
		lines = append(lines, container.NewCenter(container.NewGridWrap(fyne.NewSize(400, 225), k.preview)))
	}
	lines = append(lines, kioskText(k.t("prompt.or", nil), theme.SizeNameText, false),
		container.NewCenter(container.NewGridWrap(fyne.NewSize(480, 90), type_)))
	return container.NewVBox(append([]fyne.CanvasObject{layout.NewSpacer()}, append(lines, layout.NewSpacer())...)...)
}

func (k *Kiosk) keypadView() fyne.CanvasObject {
	shown := k.typed
	if shown == "" {
		shown = "—"
	}
	typed := canvas.NewText(shown, theme.Color(theme.ColorNameForeground))
	typed.TextSize, typed.TextStyle = 56, fyne.TextStyle{Monospace: true, Bold: true}
	typed.Alignment = fyne.TextAlignCenter
	grid := container.NewGridWithColumns(8)
	for _, r := range kioskKeys {
		grid.Add(widget.NewButton(string(r), func() { k.press(r) }))
	}
	back := widget.NewButton(k.t("keypad.back", nil), func() {
		if k.typed != "" {
			k.typed = k.typed[:len(k.typed)-1]
		}
		k.show(kioskKeypad)
	})
	cancel := widget.NewButton(k.t("keypad.cancel", nil), k.Reset)
	ok := widget.NewButton(k.t("keypad.ok", nil), func() { k.Submit(k.typed) })
	ok.Importance = widget.HighImportance
	if k.typed == "" {
		ok.Disable()
	}
	return container.NewVBox(layout.NewSpacer(),
		kioskText(k.t("keypad.title", nil), theme.SizeNameHeadingText, true),
		kioskText(k.t("keypad.hint", nil), theme.SizeNameText, false),
		typed,
		container.NewCenter(container.NewGridWrap(fyne.NewSize(960, 300), grid)),
		kioskRow(fyne.NewSize(300, 80), cancel, back, ok),
		layout.NewSpacer())
}

// kioskTones are the answers' colours: a welcome green, a later visit
// amber, a counter blue (no answer is a red "refused" to a citizen).
var kioskTones = map[KioskTone]color.Color{
	ToneWelcome: color.NRGBA{0x1b, 0x7a, 0x3a, 0xff},
	ToneWait:    color.NRGBA{0xa8, 0x5d, 0x00, 0xff},
	ToneHelp:    color.NRGBA{0x1f, 0x4e, 0x8c, 0xff},
}

func (k *Kiosk) answerView() fyne.CanvasObject {
	m := k.answer
	band := canvas.NewRectangle(kioskTones[m.Tone])
	band.SetMinSize(fyne.NewSize(0, 24))
	lines := []fyne.CanvasObject{layout.NewSpacer(), band, kioskText(m.Title, theme.SizeNameHeadingText, true)}
	if m.Ticket != "" {
		ticket := canvas.NewText(m.Ticket, kioskTones[ToneWelcome])
		ticket.TextSize, ticket.TextStyle, ticket.Alignment = 180, fyne.TextStyle{Bold: true}, fyne.TextAlignCenter
		lines = append(lines, kioskText(m.Label, theme.SizeNameSubHeadingText, false), ticket)
	}
	done := widget.NewButton(k.t("done", nil), k.Reset)
	done.Importance = widget.HighImportance
	lines = append(lines, kioskText(m.Body, theme.SizeNameSubHeadingText, false),
		container.NewCenter(container.NewGridWrap(fyne.NewSize(320, 90), done)), layout.NewSpacer())
	return container.NewVBox(lines...)
}

func (k *Kiosk) unlockView() fyne.CanvasObject {
	if k.pw == nil {
		k.pw = widget.NewPasswordEntry()
	}
	k.pw.SetText("")
	k.pw.OnSubmitted = k.unlock
	k.pw.OnChanged = func(string) { // typing is activity: the reset waits again
		if k.stop != nil {
			k.stop()
		}
		k.stop = k.After(KioskReset, k.Reset)
	}
	unlock := widget.NewButton(k.t("supervisor.unlock", nil), func() { k.unlock(k.pw.Text) })
	unlock.Importance = widget.HighImportance
	cancel := widget.NewButton(k.t("supervisor.cancel", nil), k.Reset)
	lines := []fyne.CanvasObject{layout.NewSpacer(), kioskText(k.t("supervisor.password", nil), theme.SizeNameHeadingText, true),
		container.NewCenter(container.NewGridWrap(fyne.NewSize(480, 70), k.pw))}
	if k.note != "" {
		n := kioskText(k.note, theme.SizeNameText, false)
		n.Importance = widget.DangerImportance
		lines = append(lines, n)
	}
	lines = append(lines, k.passwordKeys(), kioskRow(fyne.NewSize(300, 80), cancel, unlock), layout.NewSpacer())
	return container.NewVBox(lines...)
}

// kioskPasswordRows are the keys of the on-screen keyboard of the
// supervisor's password, for a kiosk with no keyboard.
var kioskPasswordRows = []string{"1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm._⌫"}

// passwordKeys is an on-screen keyboard that types into the password.
func (k *Kiosk) passwordKeys() fyne.CanvasObject {
	rows := container.NewVBox()
	for _, row := range kioskPasswordRows {
		line := container.NewHBox()
		for _, r := range row {
			key := string(r)
			line.Add(container.NewGridWrap(fyne.NewSize(64, 52), widget.NewButton(key, func() {
				if key == "⌫" {
					if t := []rune(k.pw.Text); len(t) > 0 {
						k.pw.SetText(string(t[:len(t)-1]))
					}
					return
				}
				k.pw.SetText(k.pw.Text + key)
			})))
		}
		rows.Add(container.NewCenter(line))
	}
	return rows
}

func (k *Kiosk) supervisorView() fyne.CanvasObject {
	langs := container.NewHBox()
	for _, l := range k.langs {
		b := widget.NewButton(i18n.T(l, "kiosk.language", nil), func() { k.setHome(l) })
		if l == k.home() {
			b.Importance = widget.HighImportance
		}
		langs.Add(b)
	}
	quit := widget.NewButton(k.t("supervisor.quit", nil), func() {
		slog.Info("kiosk: closed by the supervisor")
		k.Quit()
	})
	quit.Importance = widget.DangerImportance
	back := widget.NewButton(k.t("supervisor.back", nil), k.Reset)
	back.Importance = widget.HighImportance
	return container.NewVBox(layout.NewSpacer(),
		kioskText(k.t("supervisor.title", nil), theme.SizeNameHeadingText, true),
		container.NewCenter(container.NewHBox(widget.NewLabel(k.t("supervisor.default_lang", nil)), langs)),
		kioskRow(fyne.NewSize(360, 80), back, quit),
		layout.NewSpacer())
}

// kioskTheme is the app's theme with everything larger, for fingers and
// for reading standing up.
type kioskTheme struct{ fyne.Theme }

// kioskSizes are the kiosk's sizes.
var kioskSizes = map[fyne.ThemeSizeName]float32{
	theme.SizeNameText:           26,
	theme.SizeNameHeadingText:    52,
	theme.SizeNameSubHeadingText: 34,
	theme.SizeNamePadding:        8,
	theme.SizeNameInnerPadding:   16,
	theme.SizeNameInlineIcon:     32,
}

func (t kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	if s, ok := kioskSizes[n]; ok {
		return s
	}
	return t.Theme.Size(n)
}
