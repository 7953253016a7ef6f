package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/webcam"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/report"
	"github.com/ghiseu/ghiseu/store/sync"
)

// settingsForm is the supervisor's settings: this counter, its camera, the
// hub, the grace windows, how long days are kept, the language.
type settingsForm struct {
	counter, enrol, early, late, noShow, retention, volume *scanEntry
	camera, lang                                           *widget.Select
	langs                                                  map[string]i18n.Lang // lang's choices
}

// showSettings opens the settings in parent (the supervisor's window) and
// returns the dialog and its form.
func (c *Counter) showSettings(parent fyne.Window) (*dialog.FormDialog, *settingsForm) {
	ctx := context.Background()
	link, linked, _ := sync.Linked(ctx, c.desk.DB)
	keep, _ := c.desk.DB.Retention(ctx)
	f := &settingsForm{counter: entry(c.desk.Counter), enrol: entry(""),
		early: entry(minutes(c.desk.Cal.EarlyGrace)), late: entry(minutes(c.desk.Cal.LateGrace)),
		noShow: entry(minutes(c.desk.Cal.NoShowAfter)), retention: entry(strconv.Itoa(keep)),
		volume: entry(strconv.Itoa(c.app.Preferences().IntWithFallback(PrefVolume, 70)))}
	for _, e := range []*scanEntry{f.counter, f.enrol, f.early, f.late, f.noShow, f.retention, f.volume} {
		e.keys, e.shortcuts = c.keys, c.shortcuts // a scan here reaches the counter
	}
	// The enrolment string holds the counter's token: never shown again.
	f.enrol.Password = true
	f.enrol.SetPlaceHolder(c.t("settings.enrol.none", nil))
	if linked {
		f.enrol.SetPlaceHolder(c.t("settings.enrol.linked", map[string]string{"url": link.URL, "counter": link.Counter}))
		f.counter.Disable() // the enrolled number is the counter's
	}
	cams := []string{"—"}
	devices, _ := webcam.List()
	for _, d := range devices {
		cams = append(cams, d.Path)
	}
	f.camera = widget.NewSelect(cams, nil)
	f.camera.SetSelected(c.app.Preferences().StringWithFallback("camera", "—"))
	// The languages by their names, in their own language.
	langs := map[string]i18n.Lang{c.t("settings.language.ro", nil): i18n.Romanian, c.t("settings.language.en", nil): i18n.English}
	f.lang = widget.NewSelect([]string{c.t("settings.language.ro", nil), c.t("settings.language.en", nil)}, nil)
	for name, l := range langs {
		if l == c.lang {
			f.lang.SetSelected(name)
		}
	}
	f.langs = langs
	items := []*widget.FormItem{
		widget.NewFormItem(c.t("settings.counter", nil), f.counter),
		widget.NewFormItem(c.t("settings.camera", nil), f.camera),
		widget.NewFormItem(c.t("settings.enrol", nil), f.enrol),
		widget.NewFormItem(c.t("settings.early", nil), f.early),
		widget.NewFormItem(c.t("settings.late", nil), f.late),
		widget.NewFormItem(c.t("settings.no_show", nil), f.noShow),
		widget.NewFormItem(c.t("settings.retention", nil), f.retention),
		widget.NewFormItem(c.t("settings.language", nil), f.lang),
		widget.NewFormItem(c.t("settings.volume", nil), f.volume),
	}
	// Each field is checked as it is typed: its error shows under it, and
	// Save waits until every field is right.
	for _, ch := range c.settingsChecks(f) {
		ch.entry.Validator = ch.check
	}
	// Escape closes the dialog, wherever the keyboard is in parent: in a
	// field, or nowhere (keepFocus takes it off the selects and buttons).
	route := parent.Canvas().OnTypedKey()
	var d *dialog.FormDialog
	closed := func() { // for good: parent's keys go back as they were
		parent.Canvas().SetOnTypedKey(route)
		for _, e := range []*scanEntry{f.counter, f.enrol, f.early, f.late, f.noShow, f.retention, f.volume} {
			e.onEscape = nil
		}
	}
	d = dialog.NewForm(c.t("settings.title", nil), c.t("settings.save", nil), c.t("ui.accept.cancel", nil), items,
		func(ok bool) {
			if !ok {
				closed()
				return
			}
			if err := c.saveSettings(f); err != nil {
				// The dialog stays, with every edit, under the error.
				d.Show()
				dialog.ShowError(err, parent)
				return
			}
			closed()
			dialog.ShowInformation(c.t("settings.title", nil), c.t("settings.saved", nil), parent)
		}, parent)
	for _, e := range []*scanEntry{f.counter, f.enrol, f.early, f.late, f.noShow, f.retention, f.volume} {
		e.onEscape = d.Hide
	}
	parent.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			d.Hide()
			return
		}
		if route != nil {
			route(ev)
		}
	})
	d.Resize(fyne.NewSize(640, 560))
	d.Show()
	return d, f
}

// settingsCheck is a settings field's check, with its label.
type settingsCheck struct {
	label string
	entry *scanEntry
	check fyne.StringValidator
}

// settingsChecks are the checks of the form's text fields.
func (c *Counter) settingsChecks(f *settingsForm) []settingsCheck {
	between := func(lo, hi int, key string) fyne.StringValidator {
		return func(s string) error {
			if n, err := strconv.Atoi(strings.TrimSpace(s)); err != nil || n < lo || n > hi {
				return errors.New(c.t(key, map[string]string{"min": strconv.Itoa(lo), "max": strconv.Itoa(hi)}))
			}
			return nil
		}
	}
	minutes := between(0, 120, "settings.minutes")
	return []settingsCheck{
		{c.t("settings.counter", nil), f.counter, func(s string) error {
			if f.counter.Disabled() { // the enrolled number
				return nil
			}
			if store.CheckCounter(s) != nil {
				return errors.New(c.t("settings.counter.bad", nil))
			}
			return nil
		}},
		{c.t("settings.enrol", nil), f.enrol, func(s string) error {
			if strings.TrimSpace(s) == "" {
				return nil
			}
			if _, err := sync.ParseEnrolment(s); err != nil {
				return errors.New(c.t("settings.enrol.bad", nil))
			}
			return nil
		}},
		{c.t("settings.early", nil), f.early, minutes},
		{c.t("settings.late", nil), f.late, minutes},
		{c.t("settings.no_show", nil), f.noShow, minutes},
		{c.t("settings.retention", nil), f.retention, between(1, 3650, "settings.days")},
		{c.t("settings.volume", nil), f.volume, between(0, 100, "settings.volume.bad")},
	}
}

// entry is a settings field holding s; showSettings routes its keys.
func entry(s string) *scanEntry {
	e := newScanEntry(nil, nil)
	e.SetText(s)
	return e
}

func minutes(d calendar.Duration) string { return strconv.Itoa(int(time.Duration(d).Minutes())) }

// saveSettings checks and stores the form. The camera and the hub link
// take effect at the next start.
func (c *Counter) saveSettings(f *settingsForm) error {
	ctx := context.Background()
	for _, ch := range c.settingsChecks(f) { // the error names the field
		if err := ch.check(ch.entry.Text); err != nil {
			return fmt.Errorf("%s: %w", ch.label, err)
		}
	}
	number := func(e *scanEntry) int { n, _ := strconv.Atoi(strings.TrimSpace(e.Text)); return n }
	grace := [3]int{number(f.early), number(f.late), number(f.noShow)}
	volume, keep := number(f.volume), number(f.retention)
	cal := c.desk.Cal
	cal.EarlyGrace = calendar.Duration(time.Duration(grace[0]) * time.Minute)
	cal.LateGrace = calendar.Duration(time.Duration(grace[1]) * time.Minute)
	cal.NoShowAfter = calendar.Duration(time.Duration(grace[2]) * time.Minute)
	if err := c.desk.DB.SetOffice(ctx, cal, c.desk.Fees); err != nil {
		return err
	}
	if err := c.desk.DB.SetRetention(ctx, keep); err != nil {
		return err
	}
	if strings.TrimSpace(f.enrol.Text) != "" {
		e, err := sync.ParseEnrolment(f.enrol.Text)
		if err != nil {
			return fmt.Errorf("%s: %w", c.t("settings.enrol", nil), err)
		}
		if err := sync.Link(ctx, c.desk.DB, e); err != nil {
			return err
		}
	}
	prefs := c.app.Preferences()
	prefs.SetString("counter", f.counter.Text)
	prefs.SetInt(PrefVolume, volume)
	prefs.SetString("camera", map[bool]string{true: "none", false: f.camera.Selected}[f.camera.Selected == "—"])
	c.desk.Counter = f.counter.Text
	if err := c.desk.Reload(ctx); err != nil {
		return err
	}
	if lang, ok := f.langs[f.lang.Selected]; ok && lang != c.lang {
		c.lang = lang
		prefs.SetString(PrefLanguage, string(lang))
	}
	c.build()
	return nil
}

// saveReport writes the day's report as CSV and HTML beside the database,
// in reports/, and returns the HTML file's path.
func (c *Counter) saveReport() (string, error) {
	ctx := context.Background()
	r, err := report.Build(ctx, c.desk, c.desk.Today())
	if err != nil {
		return "", err
	}
	dir := filepath.Join(filepath.Dir(c.desk.DB.Path()), "reports")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	base := filepath.Join(dir, fmt.Sprintf("ghiseu-%s-%s", r.Office, r.Day))
	for ext, write := range map[string]func(f *os.File) error{
		".csv":  func(f *os.File) error { return r.CSV(f) },
		".html": func(f *os.File) error { return r.HTML(f, c.lang, c.desk.Cal.OfficeName) },
	} {
		f, err := report.Create(base + ext) // owner only: it names the clerks
		if err != nil {
			return "", err
		}
		if err := write(f); err != nil {
			f.Close()
			return "", err
		}
		if err := f.Close(); err != nil {
			return "", err
		}
	}
	return base + ".html", nil
}
