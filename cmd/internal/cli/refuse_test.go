package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRefuseAndChecklist: "refuse" records a cancellation reason that a
// later check and the report show, and --json says what the text says
// (title, message and the clerk's checklist; issue 14).
func TestRefuseAndChecklist(t *testing.T) {
	db := newDemo(t)
	code := demoCode(t, db, "Bălan Ana") // 10:10
	type answer struct {
		Verdict   string
		Title     string
		Message   string
		Checklist []string
		Details   map[string]string
	}
	jsonOf := func(args ...string) (int, answer) {
		t.Helper()
		exit, out, errOut := run(t, db, append(args, "--json", "--lang", "en")...)
		var a answer
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatalf("%v: %v %q %s", args, err, out, errOut)
		}
		return exit, a
	}
	// The checklist of --json is the text's, line by line.
	_, a := jsonOf("check", code, "--at", "10:05")
	_, text, _ := run(t, db, "check", code, "--at", "10:05", "--lang", "en")
	if len(a.Checklist) == 0 {
		t.Fatal("no checklist in --json")
	}
	for _, l := range a.Checklist {
		if !strings.Contains(text, "  "+l+"\n") {
			t.Errorf("--json's %q is not in the text output:\n%s", l, text)
		}
	}
	if !strings.Contains(text, a.Title) || !strings.Contains(text, a.Message) {
		t.Errorf("title %q or message %q not in the text output", a.Title, a.Message)
	}
	tests := []struct {
		name    string
		args    []string
		exit    int
		verdict string
		cancel  string
	}{
		{"no reason", []string{"refuse", code, "--at", "10:06"}, ExitError, "", ""},
		{"not a refusal reason", []string{"refuse", code, "--reason", "no_show", "--at", "10:06"}, ExitError, "", ""},
		{"missing documents", []string{"refuse", code, "--reason", "missing_documents", "--at", "10:06"}, ExitOK, "refused", "missing_documents"},
		{"a check afterwards", []string{"check", code, "--at", "10:07"}, ExitRefused, "refused", "missing_documents"},
		{"a check-in afterwards", []string{"checkin", code, "--at", "10:08"}, ExitRefused, "refused", "missing_documents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.verdict == "" {
				if exit, _, _ := run(t, db, tt.args...); exit != tt.exit {
					t.Fatalf("exit %d, want %d", exit, tt.exit)
				}
				return
			}
			exit, a := jsonOf(tt.args...)
			if exit != tt.exit || a.Verdict != tt.verdict || a.Details["cancel"] != tt.cancel ||
				!strings.Contains(a.Message, "the required documents are missing") {
				t.Fatalf("exit %d, %+v", exit, a)
			}
		})
	}
	exit, out, _ := run(t, db, "report", "--at", "13:30", "--json")
	var r struct {
		Totals struct {
			MissingDocuments int `json:"missing_documents"`
		}
	}
	if err := json.Unmarshal([]byte(out), &r); exit != ExitOK || err != nil || r.Totals.MissingDocuments != 1 {
		t.Fatalf("report: %d %v %s", exit, err, out)
	}
}

// TestRefuseNotRefusable: a refusal that makes no sense is not recorded
// and says why in the user's language, not an internal error (issue 14).
func TestRefuseNotRefusable(t *testing.T) {
	db := newDemo(t)
	tests := []struct {
		name, who, at, lang, want string
	}{
		{"a pickup, in English", "Georgescu Paul", "10:46", "en", "This booking cannot be refused: a pickup is not refused"},
		{"a pickup, in Romanian", "Georgescu Paul", "10:46", "ro", "Această programare nu poate fi refuzată: o ridicare nu se refuză"},
		{"a cancelled booking", "Moldovan Radu", "10:31", "en", "the booking is cancelled or was replaced"},
		{"an 08:30 no-show at 11:11", "Popescu Andrei", "11:11", "en", "the person did not come (a no-show)"},
		{"before the slot, nobody there", "Neagu Cristina", "08:00", "en", "the person has not arrived"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exit, out, errOut := run(t, db, "refuse", tt.who, "--reason", "data_mismatch", "--at", tt.at, "--lang", tt.lang)
			if exit != ExitRefused || !strings.Contains(out, tt.want) || strings.Contains(out+errOut, "refuse booking") {
				t.Fatalf("exit %d, out %q, stderr %q; want %q", exit, out, errOut, tt.want)
			}
		})
	}
	exit, out, _ := run(t, db, "report", "--at", "13:30", "--json")
	var r struct {
		Totals struct {
			NoShows      int `json:"no_shows"`
			DataMismatch int `json:"data_mismatch"`
		}
	}
	if err := json.Unmarshal([]byte(out), &r); exit != ExitOK || err != nil || r.Totals.DataMismatch != 0 || r.Totals.NoShows != 16 {
		t.Fatalf("report after refusals that were not recorded: %d %v %+v", exit, err, r.Totals)
	}
}
