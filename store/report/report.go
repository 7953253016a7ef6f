// Package report is an office's end-of-day report: bookings, arrivals,
// no-shows, pickups, average wait and service times, per counter and per
// clerk, as CSV and as a printable HTML page.
package report

import (
	"context"
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/rules"
)

// Totals are the numbers of a day, or of one counter or clerk.
type Totals struct {
	Name     string `json:"name,omitempty"` // the counter or clerk
	Bookings int    `json:"bookings"`
	Arrivals int    `json:"arrivals"`
	NoShows  int    `json:"no_shows"`
	Pickups  int    `json:"pickups"`
	Served   int    `json:"served"`
	// DataMismatch and MissingDocuments count the people refused at the
	// counter for that reason (the booking cancelled, to book anew); the
	// no-shows are the third cancellation reason.
	DataMismatch     int           `json:"data_mismatch"`
	MissingDocuments int           `json:"missing_documents"`
	AvgWait          time.Duration `json:"avg_wait"`    // from arrival to being called
	AvgService       time.Duration `json:"avg_service"` // from being called to served
	waits            []time.Duration
	services         []time.Duration
}

// Report is one office day.
type Report struct {
	Office    string   `json:"office"`
	Day       string   `json:"day"`
	Totals    Totals   `json:"totals"`
	Counters  []Totals `json:"counters"`
	Clerks    []Totals `json:"clerks"`
	Conflicts int      `json:"conflicts"`
}

// Build counts a day from the desk's bookings and events, at the desk's
// clock: the no-shows are the bookings nobody came to by then (desk.Day).
func Build(ctx context.Context, d *desk.Desk, day string) (Report, error) {
	rows, err := d.Day(ctx, day)
	if err != nil {
		return Report{}, err
	}
	r := Report{Office: d.Cal.Office, Day: day}
	counters, clerks := map[string]*Totals{}, map[string]*Totals{}
	get := func(m map[string]*Totals, k string) *Totals {
		if m[k] == nil {
			m[k] = &Totals{Name: k}
		}
		return m[k]
	}
	for _, row := range rows {
		if row.Status == store.Cancelled || row.Status == store.Replaced {
			continue
		}
		r.Totals.Bookings++
		var arrived, called *store.Event
		for _, e := range store.Effective(row.Events) {
			e := e
			switch e.Type {
			case store.Arrived:
				if arrived == nil {
					arrived = &e
					r.Totals.Arrivals++
					get(counters, e.Counter).Arrivals++
					get(clerks, e.Clerk).Arrivals++
				}
			case store.PickedUp:
				r.Totals.Pickups++
				get(counters, e.Counter).Pickups++
				get(clerks, e.Clerk).Pickups++
			case store.Called:
				called = &e
				if arrived != nil {
					w := e.At.Sub(arrived.At)
					r.Totals.waits = append(r.Totals.waits, w)
					get(counters, e.Counter).waits = append(get(counters, e.Counter).waits, w)
					get(clerks, e.Clerk).waits = append(get(clerks, e.Clerk).waits, w)
				}
			case store.Refused:
				for _, t := range []*Totals{&r.Totals, get(counters, e.Counter), get(clerks, e.Clerk)} {
					t.refused(e.Note)
				}
			case store.Served:
				r.Totals.Served++
				get(counters, e.Counter).Served++
				get(clerks, e.Clerk).Served++
				if called != nil {
					s := e.At.Sub(called.At)
					r.Totals.services = append(r.Totals.services, s)
					get(counters, e.Counter).services = append(get(counters, e.Counter).services, s)
					get(clerks, e.Clerk).services = append(get(clerks, e.Clerk).services, s)
				}
			}
		}
		if row.State == store.Absent { // derived at the desk's clock; old no-show events count for nothing
			r.Totals.NoShows++
		}
		if row.Duplicate() {
			r.Conflicts++
		}
	}
	r.Totals.average()
	r.Counters, r.Clerks = sorted(counters), sorted(clerks)
	return r, nil
}

// refused counts a refusal at the counter under its reason.
func (t *Totals) refused(reason string) {
	switch reason {
	case rules.CancelDataMismatch:
		t.DataMismatch++
	case rules.CancelMissingDocuments:
		t.MissingDocuments++
	}
}

// Cancelled is how many bookings were cancelled for reason (one of
// rules.CancelReasons): no-shows, data that did not match the form,
// missing documents.
func (t Totals) Cancelled(reason string) int {
	switch reason {
	case rules.CancelNoShow:
		return t.NoShows
	case rules.CancelDataMismatch:
		return t.DataMismatch
	case rules.CancelMissingDocuments:
		return t.MissingDocuments
	}
	return 0
}

func (t *Totals) average() {
	t.AvgWait, t.AvgService = avg(t.waits), avg(t.services)
}

func avg(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return (sum / time.Duration(len(ds))).Round(time.Second)
}

func sorted(m map[string]*Totals) []Totals {
	var out []Totals
	for _, t := range m {
		if t.Name == desk.System {
			continue
		}
		t.average()
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula or a command (OWASP, "CSV Injection").
const formulaStarts = "=+-@\t\r"

// cellBreaks split a cell into several when a spreadsheet reads the file
// with another list separator (Romanian Excel splits on ';') or breaks a
// line in it: each piece is a cell start of its own.
const cellBreaks = ";,\t\r\n"

// cell neutralises s for a CSV file opened in a spreadsheet: every piece of
// it that a spreadsheet may take for the start of a cell (the whole, and
// whatever follows a ';', ',', tab or line break) and that starts like a
// formula, blanks aside, gets a single quote in front, so that it is shown
// as text. Numbers are treated alike: a negative average (counters whose
// clocks disagree) is shown as text too, never run.
func cell(s string) string {
	var b strings.Builder
	start := true
	for _, r := range s {
		if start && r != ' ' && strings.ContainsRune(formulaStarts, r) {
			b.WriteByte('\'')
		}
		if r != ' ' {
			start = false
		}
		if strings.ContainsRune(cellBreaks, r) {
			start = true
		}
		b.WriteRune(r)
	}
	return b.String()
}

func minutes(d time.Duration) string { return strconv.FormatFloat(d.Minutes(), 'f', 1, 64) }

// CSV writes the report as CSV: one row for the day, then one per counter
// and one per clerk. Every cell that a spreadsheet would take for a
// formula is neutralised (see cell): names come from whoever signed in.
func (r Report) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"office", "day", "scope", "name", "bookings", "arrivals", "no_shows", "pickups", "served", "avg_wait_min", "avg_service_min",
		"data_mismatch", "missing_documents"})
	row := func(scope string, t Totals) {
		cells := []string{r.Office, r.Day, scope, t.Name, strconv.Itoa(t.Bookings), strconv.Itoa(t.Arrivals),
			strconv.Itoa(t.NoShows), strconv.Itoa(t.Pickups), strconv.Itoa(t.Served), minutes(t.AvgWait), minutes(t.AvgService),
			strconv.Itoa(t.DataMismatch), strconv.Itoa(t.MissingDocuments)}
		for i := range cells {
			cells[i] = cell(cells[i])
		}
		cw.Write(cells)
	}
	row("day", r.Totals)
	for _, t := range r.Counters {
		row("counter", t)
	}
	for _, t := range r.Clerks {
		row("clerk", t)
	}
	cw.Flush()
	return cw.Error()
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{"min": minutes}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.T.title}} {{.R.Day}}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #999;padding:.3em .8em;text-align:right}th:first-child,td:first-child{text-align:left}
@media print{body{margin:0}}</style></head><body>
<h1>{{.T.title}}</h1><p>{{.OfficeName}} · {{.R.Day}}</p>
<table><tr><th></th><th>{{.T.bookings}}</th><th>{{.T.arrivals}}</th><th>{{.T.noshows}}</th><th>{{.T.pickups}}</th><th>{{.T.served}}</th><th>{{.T.wait}}</th><th>{{.T.service}}</th></tr>
<tr><td>{{.T.day}}</td><td>{{.R.Totals.Bookings}}</td><td>{{.R.Totals.Arrivals}}</td><td>{{.R.Totals.NoShows}}</td><td>{{.R.Totals.Pickups}}</td><td>{{.R.Totals.Served}}</td><td>{{min .R.Totals.AvgWait}}</td><td>{{min .R.Totals.AvgService}}</td></tr>
</table>
{{range $scope := .Scopes}}<h2>{{$scope.Title}}</h2><table><tr><th></th><th>{{$.T.arrivals}}</th><th>{{$.T.pickups}}</th><th>{{$.T.served}}</th><th>{{$.T.wait}}</th><th>{{$.T.service}}</th></tr>
{{range $scope.Rows}}<tr><td>{{.Name}}</td><td>{{.Arrivals}}</td><td>{{.Pickups}}</td><td>{{.Served}}</td><td>{{min .AvgWait}}</td><td>{{min .AvgService}}</td></tr>
{{end}}</table>{{end}}
<h2>{{.T.cancelled}}</h2><table>{{range .Cancelled}}<tr><td>{{.Reason}}</td><td>{{.Count}}</td></tr>
{{end}}</table>
{{if .R.Conflicts}}<p>{{.T.conflicts}}: {{.R.Conflicts}}</p>{{end}}
</body></html>
`))

// HTML writes the report as a printable page in l.
func (r Report) HTML(w io.Writer, l i18n.Lang, officeName string) error {
	t := map[string]string{}
	for _, k := range []string{"title", "bookings", "arrivals", "noshows", "pickups", "served", "wait", "service", "day", "counters", "clerks", "conflicts", "cancelled"} {
		t[k] = i18n.T(l, "report."+k, nil)
	}
	type cancelled struct {
		Reason string
		Count  int
	}
	var cs []cancelled
	for _, reason := range rules.CancelReasons() {
		cs = append(cs, cancelled{i18n.T(l, "cancel."+reason, nil), r.Totals.Cancelled(reason)})
	}
	type scope struct {
		Title string
		Rows  []Totals
	}
	return page.Execute(w, map[string]any{"Lang": string(l), "T": t, "R": r, "OfficeName": officeName,
		"Scopes": []scope{{t["counters"], r.Counters}, {t["clerks"], r.Clerks}}, "Cancelled": cs})
}

// Text writes a short summary for the terminal.
func (r Report) Text(w io.Writer) {
	fmt.Fprintf(w, "%s %s: %d bookings, %d arrivals, %d no-shows, %d pickups, %d served, wait %s min, service %s min; refused: %d data mismatch, %d missing documents\n",
		r.Office, r.Day, r.Totals.Bookings, r.Totals.Arrivals, r.Totals.NoShows, r.Totals.Pickups, r.Totals.Served,
		minutes(r.Totals.AvgWait), minutes(r.Totals.AvgService), r.Totals.DataMismatch, r.Totals.MissingDocuments)
}
