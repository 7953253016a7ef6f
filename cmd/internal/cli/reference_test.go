package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestReferenceAndName: check and checkin take a booking's short
// reference or a person's name as well as the code; list shows the
// references.
func TestReferenceAndName(t *testing.T) {
	db := newDemo(t)
	_, out, _ := run(t, db, "list", "--json", "--at", "08:00")
	var rows []struct{ Name, Ref string }
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) == 0 {
		t.Fatalf("list --json: %v in %s", err, out)
	}
	refs := map[string]string{}
	for _, r := range rows {
		if len(r.Ref) != 8 || refs[r.Ref] != "" {
			t.Fatalf("list --json: %s has reference %q", r.Name, r.Ref)
		}
		refs[r.Ref], refs[r.Name] = r.Name, r.Ref
	}
	ref := refs["Bălan Ana"]
	typo := ref[:7] + string("12"[strings.Count(ref[7:], "1")])
	steps := []struct {
		args    []string
		exit    int
		verdict string
		message string
	}{
		{[]string{"check", strings.ToLower(ref), "--at", "10:05", "--json"}, ExitOK, "valid", "Programare validă pentru azi"},
		{[]string{"checkin", typo, "--at", "10:12", "--json", "--lang", "en"}, ExitRefused, "reference_typo", "“" + typo + "” is not a valid reference: a character is wrong, swapped, missing or extra. Correct it and try again."},
		{[]string{"checkin", ref, "--at", "10:12", "--json", "--lang", "en"}, ExitOK, "valid", "Arrival recorded 10:12"},
		{[]string{"checkin", "balan ana", "--at", "10:14", "--json"}, ExitRefused, "already_arrived", "A sosit deja la 10:12, la ghișeul 1."},
		{[]string{"checkin", "Lupu", "--at", "08:35", "--json"}, ExitRefused, "name_incomplete", "„Lupu” nu este un nume complet; se potrivește parțial cu 1 programare de azi: Lupu Sorin 08:30 " + refs["Lupu Sorin"] + ". Tastați numele complet (nume și prenume) sau referința."},
		{[]string{"checkin", "sorin lupu", "--at", "08:35", "--json"}, ExitOK, "ready", ""},
		{[]string{"check", "Nimeni", "--json"}, ExitRefused, "name_not_found", ""},
	}
	for _, s := range steps {
		exit, out, errOut := run(t, db, s.args...)
		var v struct {
			Verdict, Message, Ref string
			Recorded              *struct{ Note string }
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil || exit != s.exit {
			t.Fatalf("%v: exit %d, %v in %q (%s)", s.args, exit, err, out, errOut)
		}
		if v.Verdict != s.verdict || s.message != "" && v.Message != s.message {
			t.Fatalf("%v: got %s %q, want %s %q", s.args, v.Verdict, v.Message, s.verdict, s.message)
		}
		if v.Verdict != "name_not_found" && v.Verdict != "reference_typo" && v.Verdict != "name_incomplete" && refs[v.Ref] == "" {
			t.Fatalf("%v: the verdict's reference is %q", s.args, v.Ref)
		}
		if v.Recorded != nil && v.Recorded.Note != "manual" {
			t.Fatalf("%v: recorded with the note %q, want manual", s.args, v.Recorded.Note)
		}
	}
	if _, out, _ := run(t, db, "list", "--lang", "en", "--at", "10:15"); !strings.Contains(out, ref+"  Application  Arrived    Bălan Ana") {
		t.Fatalf("list does not show the reference %s:\n%s", ref, out)
	}
}
