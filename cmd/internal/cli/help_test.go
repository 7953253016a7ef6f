package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestHelpAndUnknownCommands: -h and --help after a command print its
// form and options and exit 0; "help" lists every command; a word that is
// no command says so, lists them and exits ExitError.
func TestHelpAndUnknownCommands(t *testing.T) {
	t.Setenv("GHISEU_LANG", "ro")
	for _, tt := range []struct {
		args           []string
		exit           int
		stdout, stderr []string // what each must contain
	}{
		{[]string{"list", "-h"}, ExitOK, []string{"ghiseu list [--day", "-json"}, nil},
		{[]string{"report", "--help"}, ExitOK, []string{"ghiseu report [--day", "-format"}, nil},
		{[]string{"report", "--day", "2026-11-23", "-help"}, ExitOK, []string{"ghiseu report"}, nil},
		{[]string{"help"}, ExitOK, []string{"ghiseu check CODE", "ghiseu supervisor-password", "Comenzi"}, nil},
		{[]string{"--help"}, ExitOK, []string{"ghiseu list"}, nil},
		{[]string{"help", "refuse"}, ExitOK, []string{"ghiseu refuse CODE|REF|NAME --reason"}, nil},
		{[]string{"lsit"}, ExitError, nil, []string{"comandă necunoscută: „lsit”", "ghiseu list [--day"}},
		{[]string{}, ExitError, nil, []string{"ghiseu checkin"}},
		{[]string{"list", "--nope"}, ExitError, nil, []string{"utilizare greșită"}},
	} {
		var out, errOut bytes.Buffer
		exit := Run(context.Background(), tt.args, strings.NewReader(""), &out, &errOut)
		if exit != tt.exit {
			t.Errorf("%v: exit %d, want %d (%s)", tt.args, exit, tt.exit, errOut.String())
		}
		for _, w := range tt.stdout {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%v: stdout lacks %q:\n%s", tt.args, w, out.String())
			}
		}
		for _, w := range tt.stderr {
			if !strings.Contains(errOut.String(), w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tt.args, w, errOut.String())
			}
		}
		if strings.Contains(errOut.String(), "help requested") {
			t.Errorf("%v: %s", tt.args, errOut.String())
		}
	}
	for name := range Commands {
		if synopses[name] == "" || !strings.HasPrefix(synopses[name], name) {
			t.Errorf("command %s has no form for -h: %q", name, synopses[name])
		}
	}
}

// TestReportAndListSpeakAlike: the text report is in the command line's
// language like list; list --json says "cancelled" for a cancelled booking
// as the text list does, keeping what happened at the counter in visit.
func TestReportAndListSpeakAlike(t *testing.T) {
	t.Setenv("GHISEU_LANG", "")
	db := newDemo(t)
	for _, tt := range []struct {
		lang         string
		want, absent []string
	}{
		{"ro", []string{"programări", "sosiri", "absențe", "așteptare medie 0,0 min"}, []string{"bookings", "arrivals", "wait"}},
		{"en", []string{"bookings", "arrivals", "no-shows", "average wait 0.0 min"}, []string{"programări"}},
	} {
		exit, out, errOut := run(t, db, "report", "--lang", tt.lang, "--at", "12:00")
		if exit != ExitOK {
			t.Fatalf("report --lang %s: exit %d, %s", tt.lang, exit, errOut)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("report --lang %s lacks %q: %s", tt.lang, w, out)
			}
		}
		for _, w := range tt.absent {
			if strings.Contains(out, w) {
				t.Errorf("report --lang %s says %q: %s", tt.lang, w, out)
			}
		}
	}
	_, text, _ := run(t, db, "list", "--lang", "en", "--at", "08:00")
	_, js, _ := run(t, db, "list", "--json", "--at", "08:00")
	var rows []struct{ Name, State, Status, Visit string }
	if err := json.Unmarshal([]byte(js), &rows); err != nil {
		t.Fatal(err)
	}
	cancelled := 0
	for _, r := range rows {
		switch {
		case r.Status == "cancelled" || r.Status == "replaced":
			cancelled++
			if r.State != r.Status || r.Visit == "" {
				t.Errorf("%s (%s): state %q, visit %q; want state %q", r.Name, r.Status, r.State, r.Visit, r.Status)
			}
			if !strings.Contains(text, "Cancelled  "+r.Name) && !strings.Contains(text, "Replaced   "+r.Name) {
				t.Errorf("the text list does not say %s is %s:\n%s", r.Name, r.Status, text)
			}
		case r.State == "cancelled" || r.Visit != "":
			t.Errorf("%s (%s): state %q, visit %q", r.Name, r.Status, r.State, r.Visit)
		}
	}
	if cancelled == 0 {
		t.Fatal("the demo has no cancelled booking to list")
	}
}
