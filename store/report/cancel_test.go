package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store/desk/desktest"
	"github.com/ghiseu/ghiseu/store/rules"
)

// TestCancellationReasons: the report counts each reason a booking was
// cancelled for: no-shows, data that does not match the form, missing
// documents (issue 14, rule 7); an undone refusal counts for nothing.
func TestCancellationReasons(t *testing.T) {
	ctx := context.Background()
	c := desktest.New(t)
	d := c.Desk
	c2 := c.Other("2", "dan")
	rows, _ := d.Day(ctx, "2026-11-23")
	id, slot := map[string]string{}, map[string]time.Time{}
	for _, r := range rows {
		id[r.Name], slot[r.Name] = r.ID, r.SlotStart
	}
	// A refusal is of a person at the counter: each is refused at their slot.
	at := func(name string) { c.At(slot[name].Hour(), slot[name].Minute()) }
	refusals := []struct {
		atTwo        bool // counter 2 refuses
		name, reason string
	}{
		{false, "Popescu Andrei", rules.CancelMissingDocuments},
		{false, "Ionescu Maria-Ștefania", rules.CancelMissingDocuments},
		{true, "Neagu Cristina", rules.CancelDataMismatch},
	}
	for _, r := range refusals {
		at(r.name)
		refuse := d.Refuse
		if r.atTwo {
			refuse = c2.Refuse
		}
		if _, err := refuse(ctx, id[r.name], r.reason); err != nil {
			t.Fatalf("refuse %s: %v", r.name, err)
		}
	}
	// A fourth refusal, undone at once, counts for nothing.
	at("Dumitrescu Ilinca")
	if _, err := c2.Refuse(ctx, id["Dumitrescu Ilinca"], rules.CancelDataMismatch); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	c.At(13, 30)
	r, err := Build(ctx, d, "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reason string
		want   int
	}{{rules.CancelNoShow, 16 - 3}, {rules.CancelMissingDocuments, 2}, {rules.CancelDataMismatch, 1}}
	for _, tt := range tests {
		if got := r.Totals.Cancelled(tt.reason); got != tt.want {
			t.Errorf("cancelled for %s: %d, want %d", tt.reason, got, tt.want)
		}
	}
	if len(r.Counters) != 2 || r.Counters[0].MissingDocuments != 2 || r.Counters[1].DataMismatch != 1 || r.Clerks[1].DataMismatch != 1 {
		t.Errorf("per counter and clerk: %+v %+v", r.Counters, r.Clerks)
	}
	var buf bytes.Buffer
	if err := r.CSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || recs[0][11] != "data_mismatch" || recs[1][11] != "1" || recs[1][12] != "2" {
		t.Fatalf("CSV %v, %v", recs, err)
	}
	buf.Reset()
	if err := r.HTML(&buf, i18n.Romanian, "SPCLEP Dumbrăvița"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Programări anulate, pe motive", "<td>lipsa actelor necesare</td><td>2</td>", "<td>neprezentare la data și ora programate</td><td>13</td>"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("the HTML page lacks %q", s)
		}
	}
	buf.Reset()
	r.Text(&buf)
	if !strings.Contains(buf.String(), "13 no-shows") || !strings.Contains(buf.String(), "refused: 1 data mismatch, 2 missing documents") {
		t.Errorf("text %q", buf.String())
	}
}
