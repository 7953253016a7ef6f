package rules

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The traceability table (docs/rules.md, issue 14): one row per rule
// sentence of the seeds (docs/seeds), naming where Ghișeu applies it and the
// test that proves it. These tests keep it from rotting: every function,
// method, type or test a row names must exist in the repository, every
// quoted sentence must be in its seed, and a rule not applied must say why.

// repoRoot is the directory holding go.mod, above the test's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// ruleRow is one row of the table.
type ruleRow struct {
	line                         int
	num, seed, ro, en, where, by string
}

// parseRules reads the rows of the table's Markdown: lines starting with
// '|' that are neither the header nor its separator.
func parseRules(md string) ([]ruleRow, error) {
	var rows []ruleRow
	for i, l := range strings.Split(md, "\n") {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "|") || strings.HasPrefix(l, "|---") || strings.HasPrefix(l, "| #") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "|"), "|")
		if len(cells) != 6 {
			return nil, fmt.Errorf("line %d: %d cells, want 6 (#, seed, Romanian, English, applied in, proved by)", i+1, len(cells))
		}
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		rows = append(rows, ruleRow{i + 1, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]})
	}
	return rows, nil
}

// refForm is a reference to Go code: a package directory of the
// repository, then a name, or a type and its method.
var refForm = regexp.MustCompile("`([a-z0-9_/]+)\\.([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)?)`")

// declared lists what a package directory declares: functions, types,
// constants and variables by name, methods as Type.Method; tests (in
// _test.go files) as well, marked by tests.
type declared struct{ names, tests map[string]bool }

// declarations parses the Go files of dir (repository-relative).
func declarations(root, dir string) (declared, error) {
	d := declared{map[string]bool{}, map[string]bool{}}
	files, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
	if err != nil || len(files) == 0 {
		return d, fmt.Errorf("package %s: no Go files", dir)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return d, err
		}
		isTest := strings.HasSuffix(f, "_test.go")
		for _, decl := range file.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				name := decl.Name.Name
				if decl.Recv != nil && len(decl.Recv.List) == 1 {
					name = receiver(decl.Recv.List[0].Type) + "." + name
				}
				d.names[name] = true
				if isTest && decl.Recv == nil && (strings.HasPrefix(name, "Test") || strings.HasPrefix(name, "Fuzz")) {
					d.tests[name] = true
				}
			case *ast.GenDecl:
				for _, spec := range decl.Specs {
					switch spec := spec.(type) {
					case *ast.TypeSpec:
						d.names[spec.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range spec.Names {
							d.names[n.Name] = true
						}
					}
				}
			}
		}
	}
	return d, nil
}

// receiver is a method receiver's type name, without '*' or type
// parameters.
func receiver(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return receiver(e.X)
	case *ast.IndexExpr:
		return receiver(e.X)
	case *ast.Ident:
		return e.Name
	}
	return ""
}

// checkRules checks the rows against the code under root and the seeds'
// texts (by file name): every error found, not only the first.
func checkRules(root string, rows []ruleRow, seeds map[string]string) error {
	var errs []error
	cache := map[string]declared{}
	lookup := func(dir string) (declared, error) {
		if d, ok := cache[dir]; ok {
			return d, nil
		}
		d, err := declarations(root, dir)
		cache[dir] = d
		return d, err
	}
	refs := func(r ruleRow, cell string, tests bool) int {
		n := 0
		for _, m := range refForm.FindAllStringSubmatch(cell, -1) {
			n++
			d, err := lookup(m[1])
			switch {
			case err != nil:
				errs = append(errs, fmt.Errorf("line %d: %v", r.line, err))
			case tests && !d.tests[m[2]]:
				errs = append(errs, fmt.Errorf("line %d: no test %s in %s", r.line, m[2], m[1]))
			case !tests && !d.names[m[2]]:
				errs = append(errs, fmt.Errorf("line %d: %s does not declare %s", r.line, m[1], m[2]))
			}
		}
		return n
	}
	for _, r := range rows {
		text, ok := seeds[r.seed]
		switch {
		case r.seed == "DOMAIN" && r.en != "": // a rule of DOMAIN.md that no seed states: no sentence to quote
		case !ok:
			errs = append(errs, fmt.Errorf("line %d: unknown seed %q", r.line, r.seed))
		case r.ro == "" || r.en == "":
			errs = append(errs, fmt.Errorf("line %d: a sentence and its gloss are needed", r.line))
		case !quoted(text, r.ro):
			errs = append(errs, fmt.Errorf("line %d: %q is not in seed %s", r.line, r.ro, r.seed))
		}
		applied := refs(r, r.where, false)
		proved := refs(r, r.by, true)
		notApplied := strings.HasPrefix(strings.ToLower(r.where), "not applied")
		switch {
		case notApplied && len(r.where) < len("not applied: ")+10:
			errs = append(errs, fmt.Errorf("line %d: a rule not applied must say why", r.line))
		case !notApplied && (applied == 0 || proved == 0):
			errs = append(errs, fmt.Errorf("line %d: name where the rule is applied and the test that proves it, or say 'not applied: why'", r.line))
		}
	}
	return errors.Join(errs...)
}

var spaces = regexp.MustCompile(`\s+`)

// quoted reports whether ro is in text, whitespace aside; "…" stands for
// words left out.
func quoted(text, ro string) bool {
	text = spaces.ReplaceAllString(text, " ")
	rest := text
	for _, part := range strings.Split(ro, "…") {
		part = strings.TrimSpace(spaces.ReplaceAllString(part, " "))
		i := strings.Index(rest, part)
		if i < 0 {
			return false
		}
		rest = rest[i+len(part):]
	}
	return true
}

// readSeeds reads docs/seeds by their numbers ("000" for 000_….txt).
func readSeeds(t *testing.T, root string) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(root, "docs", "seeds", "*.txt"))
	seeds := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds[strings.SplitN(filepath.Base(f), "_", 2)[0]] = string(b)
	}
	if len(seeds) != 3 {
		t.Fatalf("docs/seeds holds %d seeds, want 3", len(seeds))
	}
	return seeds
}

// TestRulesTable: docs/rules.md names only code and tests that exist, quotes
// its seeds exactly, and has rows from each of the three seeds.
func TestRulesTable(t *testing.T) {
	root := repoRoot(t)
	md, err := os.ReadFile(filepath.Join(root, "docs", "rules.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := parseRules(string(md))
	if err != nil {
		t.Fatal(err)
	}
	seeds := readSeeds(t, root)
	perSeed := map[string]int{}
	for _, r := range rows {
		perSeed[r.seed]++
	}
	for s := range seeds {
		if perSeed[s] == 0 {
			t.Errorf("no row for seed %s", s)
		}
	}
	if err := checkRules(root, rows, seeds); err != nil {
		t.Error(err)
	}
}

// TestRulesTableCheckBites: the check finds a function, a method or a test
// that does not exist, a sentence its seed does not hold, and a rule left
// without a place or a reason.
func TestRulesTableCheckBites(t *testing.T) {
	root := repoRoot(t)
	seeds := map[string]string{"003": "O persoană poate face o singură programare.\nAccesul la ghişeu"}
	good := ruleRow{1, "1", "003", "O persoană poate face … programare.", "One person, one booking.",
		"`store/hub.Hub.Request`, `store/rules.ForCard`", "`store/hub.TestBookingRules`"}
	if err := checkRules(root, []ruleRow{good}, seeds); err != nil {
		t.Fatalf("a good row: %v", err)
	}
	tests := []struct {
		name string
		edit func(*ruleRow)
		want string
	}{
		{"no such function", func(r *ruleRow) { r.where = "`store/rules.NoSuchRule`" }, "does not declare NoSuchRule"},
		{"no such method", func(r *ruleRow) { r.where = "`store/hub.Hub.Fly`" }, "does not declare Hub.Fly"},
		{"no such package", func(r *ruleRow) { r.where = "`store/nowhere.Rule`" }, "no Go files"},
		{"no such test", func(r *ruleRow) { r.by = "`store/hub.TestNothing`" }, "no test TestNothing"},
		{"a function is no test", func(r *ruleRow) { r.by = "`store/rules.ForCard`" }, "no test ForCard"},
		{"a sentence not in the seed", func(r *ruleRow) { r.ro = "Programarea se face prin telefon." }, "is not in seed"},
		{"an unknown seed", func(r *ruleRow) { r.seed = "009" }, "unknown seed"},
		{"no test", func(r *ruleRow) { r.by = "" }, "name where the rule is applied"},
		{"not applied, no reason", func(r *ruleRow) { r.where, r.by = "not applied", "" }, "must say why"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			tt.edit(&r)
			err := checkRules(root, []ruleRow{r}, seeds)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := parseRules("| # | seed |\n|---|---|\n| 1 | 003 | only three |\n"); err == nil {
		t.Fatal("a row of 3 cells parsed")
	}
}
