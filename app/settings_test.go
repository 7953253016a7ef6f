package app

import (
	"strings"
	"testing"
	"time"
)

// A wrong value keeps the settings open with every edit, says which field
// is wrong, and saves nothing until it is right.
func TestSettingsKeepEditsAndNameTheField(t *testing.T) {
	f := newFixture(t)
	d, form := f.c.showSettings(f.c.win)
	form.late.SetText("25")
	for _, tt := range []struct {
		entry      *scanEntry
		text, want string
	}{
		{form.volume, "140", "Volumul sunetelor (0–100): un număr între 0 și 100"},
		{form.early, "lots", "Primire înainte de oră (min): un număr de minute între 0 și 120"},
		{form.retention, "0", "Zile păstrate: un număr de zile între 1 și 3650"},
		{form.counter, "3 bis!", "Numărul ghișeului: litere, cifre și cratimă"},
		{form.enrol, "not-an-enrolment", "Codul de înrolare (de la ghiseu-hub enroll): nu este un cod de înrolare"},
	} {
		old := tt.entry.Text
		tt.entry.SetText(tt.text)
		if tt.entry.Validate() == nil {
			t.Errorf("%q is taken as it is typed", tt.text)
		}
		d.Submit() // Save, or Enter
		if f.overlays() != 1 || form.late.Text != "25" || tt.entry.Text != tt.text {
			t.Fatalf("%q: %d dialogs, late grace field %q, the field %q", tt.text, f.overlays(), form.late.Text, tt.entry.Text)
		}
		if err := f.c.saveSettings(form); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: the error %v does not name the field as %q", tt.text, err, tt.want)
		}
		if time.Duration(f.c.desk.Cal.LateGrace) == 25*time.Minute {
			t.Fatalf("%q: the other edits were saved with a wrong value", tt.text)
		}
		tt.entry.SetText(old)
	}
	d.Submit()
	if time.Duration(f.c.desk.Cal.LateGrace) != 25*time.Minute {
		t.Fatalf("the right values were not saved: late grace %v", time.Duration(f.c.desk.Cal.LateGrace))
	}
	if !strings.Contains(f.told(), "Setările au fost salvate") {
		t.Fatalf("after saving: %q", f.told())
	}
}
