package app

import (
	"log/slog"
	"strings"
	gosync "sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/ghiseu/ghiseu/assets/i18n"
)

// fyneLang is the language Fyne's own dialogs were last given.
var fyneLang struct {
	gosync.Mutex
	lang i18n.Lang
}

// speakFyne has Fyne's own dialogs and menus (the file chooser of Ctrl+I,
// an error's title, a confirmation's Yes and No, a field's Copy and Paste)
// speak l, the app's language, whatever the system's.
//
// Fyne picks its language once from the system's locale and has no call
// to choose another; it does take an app's translations for a locale. So
// l's messages are given for the locale Fyne picks from the system and for
// English, its fallback when the system names none it knows: the latest
// messages for a locale win, and a switch (Ctrl+L) gives them again.
func speakFyne(l i18n.Lang) {
	fyneLang.Lock()
	defer fyneLang.Unlock()
	if fyneLang.lang == l {
		return
	}
	data := i18n.Fyne(l)
	system := lang.SystemLocale().LanguageString() // "ro-RO"
	base, _, _ := strings.Cut(system, "-")
	for _, loc := range []fyne.Locale{"en", fyne.Locale(base), fyne.Locale(system)} {
		if err := lang.AddTranslationsForLocale(data, loc); err != nil {
			slog.Error("Fyne's dialogs keep their language", "lang", l, "locale", loc, "err", err)
			return
		}
	}
	fyneLang.lang = l
}
