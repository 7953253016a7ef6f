package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store/desk/desktest"
)

// spreadsheetStarts are the first characters that make a spreadsheet read a
// cell as a formula (OWASP's CSV injection list).
const spreadsheetStarts = "=+-@\t\r"

// TestCSVNeutralisesFormulas puts a formula in every text column and checks
// that no cell of the CSV starts like one, and that each comes back with a
// quote in front and otherwise unchanged.
func TestCSVNeutralisesFormulas(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"equals", `=HYPERLINK("http://evil","x")`, `'=HYPERLINK("http://evil","x")`},
		{"plus", "+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"minus", "-2+3", "'-2+3"},
		{"at", "@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"},
		{"tab", "\t=1+1", "'\t'=1+1"},
		{"carriage return", "\r=1+1", "'\r'=1+1"},
		// A spreadsheet that splits on ';' (Romanian Excel) or on a tab
		// sees a cell start after each.
		{"after a semicolon", "Ana;=cmd|' /C calc'!A0", "Ana;'=cmd|' /C calc'!A0"},
		{"after a tab", "Ana\t=1+1", "Ana\t'=1+1"},
		{"after a comma and a blank", "Ana, -1+1", "Ana, '-1+1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Report{Office: tt.value, Day: tt.value, Totals: Totals{Name: tt.value},
				Counters: []Totals{{Name: tt.value}}, Clerks: []Totals{{Name: tt.value}}}
			recs := readCSV(t, r)
			for i, rec := range recs[1:] {
				for j, cell := range rec {
					if cell != "" && strings.ContainsRune(spreadsheetStarts, rune(cell[0])) {
						t.Errorf("row %d column %s starts a formula: %q", i+1, recs[0][j], cell)
					}
				}
				for _, j := range []int{0, 1, 3} { // office, day, name
					if rec[j] != tt.want {
						t.Errorf("row %d column %s is %q, want %q", i+1, recs[0][j], rec[j], tt.want)
					}
				}
			}
		})
	}
}

// TestCSVKeepsPlainCells checks that cells that cannot start a formula are
// written as they are.
func TestCSVKeepsPlainCells(t *testing.T) {
	for _, s := range []string{"Maria Pop", "1", "TM-DUMBRAVITA", "a=b", "'quoted", ""} {
		if got := cell(s); got != s {
			t.Errorf("cell(%q) = %q, want it unchanged", s, got)
		}
	}
}

// TestReportOfAHostileClerk runs a day in which a clerk signed in under a
// formula and an HTML tag: the CSV cell is neutralised, and the HTML page
// shows the name as text.
func TestReportOfAHostileClerk(t *testing.T) {
	ctx := context.Background()
	c := desktest.New(t)
	const formula = `=HYPERLINK("http://evil","x")`
	const tag = `<script>alert(1)</script>`
	c.At(8, 25)
	if _, err := c.Other("1", formula).CheckIn(ctx, c.Codes["Popescu Andrei"]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Other("2", tag).CheckIn(ctx, c.Codes["Lupu Sorin"]); err != nil {
		t.Fatal(err)
	}
	r, err := Build(ctx, c.Desk, "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, rec := range readCSV(t, r) {
		if rec[2] == "clerk" {
			names[rec[3]] = true
		}
	}
	if len(names) != 2 || !names["'"+formula] || !names[tag] {
		t.Fatalf("clerk names in the CSV: %v", names)
	}
	var page bytes.Buffer
	if err := r.HTML(&page, i18n.English, "<b>Office</b>"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{tag, "<b>Office</b>"} {
		if strings.Contains(page.String(), bad) {
			t.Errorf("the HTML page holds %q unescaped", bad)
		}
	}
	for _, good := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;Office&lt;/b&gt;", "=HYPERLINK(&#34;http://evil&#34;,&#34;x&#34;)"} {
		if !strings.Contains(page.String(), good) {
			t.Errorf("the HTML page lacks %q", good)
		}
	}
}

func readCSV(t *testing.T, r Report) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.CSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, buf.String())
	}
	return recs
}

// TestCreateIsOwnerOnly creates report files with umask 0, new and over an
// existing world-readable file: both end up 0600, the old content gone.
func TestCreateIsOwnerOnly(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.csv")
	if err := os.WriteFile(existing, []byte("old content, longer than the new one"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(existing, 0o666); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "new.csv"), existing} {
		f, err := Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString("new"); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", path, st.Mode().Perm())
		}
		if b, _ := os.ReadFile(path); string(b) != "new" {
			t.Errorf("%s holds %q, want %q", path, b, "new")
		}
	}
}
