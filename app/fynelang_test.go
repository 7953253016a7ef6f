package app

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
)

// Fyne's own dialogs speak the app's language, on a system in English, in
// Romanian or in a third language, and follow Ctrl+L.
func TestFyneDialogsSpeakTheAppsLanguage(t *testing.T) {
	for _, system := range []string{"", "en_US.UTF-8", "ro_RO.UTF-8", "de_DE.UTF-8"} {
		t.Run(system, func(t *testing.T) {
			t.Setenv("LANG", system)
			t.Setenv("LC_ALL", "")
			t.Setenv("LC_MESSAGES", "")
			t.Setenv("LANGUAGE", "")
			fyneLang.Lock()
			fyneLang.lang = "" // given again for this system
			fyneLang.Unlock()
			f := newFixture(t)
			want := map[string][2]string{"Cancel": {"Renunță", "Cancel"}, "Error": {"Eroare", "Error"},
				"Yes": {"Da", "Yes"}, "Open": {"Deschide", "Open"}, "Show Hidden Files": {"Arată fișierele ascunse", "Show Hidden Files"}}
			for i := range 2 {
				for id, w := range want {
					if got := lang.L(id); got != w[i] {
						t.Errorf("language %s: %q is %q, want %q", f.c.lang, id, got, w[i])
					}
				}
				if got := lang.X("file.name", "Name"); got != [2]string{"Nume", "Name"}[i] {
					t.Errorf("language %s: file.name is %q", f.c.lang, got)
				}
				dialog.ShowError(errors.New("disc plin"), f.c.win)
				if told := f.told(); !strings.Contains(told, [2]string{"Eroare", "Error"}[i]) {
					t.Errorf("language %s: the error dialog says %q", f.c.lang, told)
				}
				f.c.win.Canvas().Overlays().Top().Hide()
				f.shortcut(fyne.KeyL)
			}
		})
	}
}
