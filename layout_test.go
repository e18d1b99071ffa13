package jiefen_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestImportsFlowOneWay keeps DESIGN.md's layout true: cmd → internal/* →
// domain packages → calendar → jiefen. The root knows only the standard
// library; the calendar only the root and lunar-go (the lunar dates of the
// provisional calendar); domain packages know no gin, gorm, configs or internal package,
// and not each other; the annual report (report) knows the domain packages
// and nothing else; the scheduler knows no store (only its Ledger
// interface), the webhook sender only the standard library, and configs no
// runtime package (it checks a job's cron spec with cron itself).
func TestImportsFlowOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	domains := map[string]bool{"jiefen/routing": true, "jiefen/mediation": true, "jiefen/litigation": true,
		"jiefen/reconsideration": true, "jiefen/liaison": true, "jiefen/calendar": true}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, "|")
		for _, imp := range strings.Fields(imports) {
			std := !strings.Contains(strings.Split(imp, "/")[0], ".") && imp != "jiefen" && !strings.HasPrefix(imp, "jiefen/")
			switch {
			case strings.HasPrefix(imp, "jiefen/cmd"):
				t.Errorf("%s imports %s: nothing imports cmd", pkg, imp)
			case pkg == "jiefen" && !std:
				t.Errorf("jiefen imports %s: the root knows only the standard library", imp)
			case pkg == "jiefen/calendar" && !std && imp != "jiefen" && imp != "github.com/6tail/lunar-go/calendar":
				t.Errorf("calendar imports %s: it may import only jiefen and lunar-go", imp)
			case domains[pkg] && pkg != "jiefen/calendar" && !std && imp != "jiefen" && imp != "jiefen/calendar":
				t.Errorf("%s imports %s: a domain package imports only jiefen and calendar", pkg, imp)
			case pkg == "jiefen/report" && !std && imp != "jiefen" && !domains[imp]:
				t.Errorf("report imports %s: the annual report gathers the domains' figures and imports only them", imp)
			case pkg == "jiefen/internal/schedule" && !std && imp != "github.com/robfig/cron/v3":
				t.Errorf("internal/schedule imports %s: the scheduler knows only cron and its Ledger interface", imp)
			case pkg == "jiefen/internal/pii" && !std && !strings.HasPrefix(imp, "github.com/emmansun/gmsm/"):
				t.Errorf("internal/pii imports %s: sealing knows only the standard library and gmsm", imp)
			case pkg == "jiefen/internal/docx" && !std && !strings.HasPrefix(imp, "golang.org/x/image/"):
				t.Errorf("internal/docx imports %s: the Word writer knows only the standard library and x/image", imp)
			case pkg == "jiefen/internal/notify" && !std:
				t.Errorf("internal/notify imports %s: the webhook sender is standard library only", imp)
			case pkg == "jiefen/configs" && strings.HasPrefix(imp, "jiefen/internal/") && imp != "jiefen/internal/auth":
				t.Errorf("configs imports %s: the configuration knows the domain and the password policy, not the runtime", imp)
			}
		}
		if domains[pkg] || pkg == "jiefen" {
			seen++
		}
	}
	if seen < 4 {
		t.Fatalf("found only %d domain packages; is go list looking at the module?", seen)
	}
}

// TestHandlersNameNoStore keeps the handlers on their own small interfaces
// (issue 22): no non-test file of internal/httpapi names sqlstore.DB, one
// of its stores or the intaker; internal/wiring joins them to
// httpapi.Stores for cmd/jiefen. The store's value types (filters, read
// models, actions) may still be named.
func TestHandlersNameNoStore(t *testing.T) {
	dir := filepath.Join("internal", "httpapi")
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	// The concrete stores: the database, its stores and the intaker.
	stores := map[string]bool{"DB": true, "Intaker": true}
	for _, name := range []string{"Disputes", "Mediation", "Reconsideration", "Litigation", "CourtSync", "Liaison",
		"Orgs", "Routing", "Calendar", "Users", "Idempotency", "Notifications", "Audit", "Clocks", "Jobs"} {
		stores[name] = true
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		pkg := ""
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "jiefen/internal/sqlstore" {
				pkg = "sqlstore"
				if imp.Name != nil {
					pkg = imp.Name.Name
				}
			}
		}
		if pkg == "" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && stores[sel.Sel.Name] {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == pkg {
					t.Errorf("%s names sqlstore.%s: a handler file declares the small interface it uses, and internal/wiring joins the stores to it", fset.Position(sel.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked only %d files in %s; is the test running at the module root?", checked, dir)
	}
}

// TestTypesStaySmall keeps every type of the module under 40 methods
// (issue 22): a type with more serves more than one thing and is split, as
// httpapi's handlers are into one type per file. Test files are not
// counted.
func TestTypesStaySmall(t *testing.T) {
	const limit = 40
	fset := token.NewFileSet()
	counts := map[string]int{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// The go tool ignores these directories too.
			if path != "." && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || len(fn.Recv.List) == 0 {
				continue
			}
			counts[filepath.Dir(path)+"."+receiverType(fn.Recv.List[0].Type)]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) < 20 {
		t.Fatalf("found only %d types with methods; is the test running at the module root?", len(counts))
	}
	types := make([]string, 0, len(counts))
	for name := range counts {
		types = append(types, name)
	}
	sort.Slice(types, func(i, j int) bool {
		if counts[types[i]] != counts[types[j]] {
			return counts[types[i]] > counts[types[j]]
		}
		return types[i] < types[j]
	})
	if counts[types[0]] >= limit {
		var top []string
		for _, name := range types[:min(10, len(types))] {
			top = append(top, fmt.Sprintf("%s: %d", name, counts[name]))
		}
		for _, name := range types {
			if counts[name] >= limit {
				t.Errorf("%s has %d methods, at most %d allowed: split it by what it serves", name, counts[name], limit-1)
			}
		}
		t.Logf("the largest types:\n%s", strings.Join(top, "\n"))
	}
}

// receiverType is the name of a method receiver's type: T of T, *T, T[P]
// and *T[P].
func receiverType(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return fmt.Sprintf("%T", e)
		}
	}
}
