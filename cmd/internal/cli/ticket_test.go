package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// check --json and checkin --json carry the person's ticket, list --json
// each arrived person's; a second checkin shows the same ticket and gives
// none; the text output says it too.
func TestTicketInJSON(t *testing.T) {
	db := newDemo(t)
	code := demoCode(t, db, "Bălan Ana")
	steps := []struct {
		args   []string
		ticket string
	}{
		{[]string{"check", code, "--at", "10:05", "--json"}, ""}, // not arrived: none
		{[]string{"checkin", code, "--at", "10:12", "--json"}, "D-001"},
		{[]string{"checkin", code, "--at", "10:14", "--counter", "2", "--json"}, "D-001"}, // already arrived
		{[]string{"check", code, "--at", "10:15", "--json"}, "D-001"},
	}
	for _, s := range steps {
		_, out, errOut := run(t, db, s.args...)
		var v struct {
			Verdict  string
			Ticket   *string `json:"ticket"`
			Recorded *struct{ Ticket string }
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v: %v in %q (%s)", s.args, err, out, errOut)
		}
		got := ""
		if v.Ticket != nil {
			got = *v.Ticket
		}
		if got != s.ticket {
			t.Errorf("%v: verdict %s, ticket %q, want %q", s.args, v.Verdict, got, s.ticket)
		}
		if v.Recorded != nil && v.Recorded.Ticket != got {
			t.Errorf("%v: the recorded event's ticket %q, the verdict's %q", s.args, v.Recorded.Ticket, got)
		}
	}
	_, out, _ := run(t, db, "list", "--json", "--at", "10:30")
	var rows []struct{ Name, Ticket string }
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	tickets := map[string]string{}
	for _, r := range rows {
		if r.Ticket != "" {
			tickets[r.Name] = r.Ticket
		}
	}
	if len(tickets) != 1 || tickets["Bălan Ana"] != "D-001" {
		t.Errorf("list --json: tickets %v, want Bălan Ana's D-001 only", tickets)
	}
	_, out, _ = run(t, db, "check", code, "--at", "10:15", "--lang", "en")
	if !strings.Contains(out, "No. D-001") {
		t.Errorf("check's text output does not say the ticket:\n%s", out)
	}
	_, out, _ = run(t, db, "list", "--at", "10:30")
	if !strings.Contains(out, "D-001") {
		t.Errorf("list's text output does not show the ticket:\n%s", out)
	}
}
