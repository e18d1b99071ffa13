package jiefen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// messageFormats finds, in every non-test Go file of the module, each
// message format a person may read: the format of Errorf, Textf, Field,
// Problems.Add, NeedState and a case's need, the message of Wrap, and the
// Message of an Error or a FieldError written out. It returns them with
// the places they are written.
func messageFormats(t *testing.T) map[string][]string {
	t.Helper()
	found := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "bench") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		add := func(e ast.Expr) {
			lit, ok := e.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || s == "" {
				return
			}
			found[s] = append(found[s], fset.Position(lit.Pos()).String())
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fun := n.Fun.(type) {
				case *ast.Ident:
					name = fun.Name
				case *ast.SelectorExpr:
					if x, ok := fun.X.(*ast.Ident); ok && x.Name == "fmt" {
						return true
					}
					name = fun.Sel.Name
				}
				args := n.Args
				switch {
				case (name == "Errorf" || name == "Field") && len(args) >= 2:
					add(args[1])
				case (name == "Textf" || name == "NeedState" || name == "need" || name == "invalid" || name == "tooLarge") && len(args) >= 1:
					add(args[0])
				case name == "CheckEventDay" && len(args) == 6:
					add(args[5])
				case name == "Wrap" && len(args) == 3:
					add(args[2])
				case (name == "Add" || name == "add") && len(args) >= 2:
					if lit, ok := args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING || isFieldPath(args[0]) {
						add(args[1])
					}
				}
			case *ast.CompositeLit:
				typ := ""
				switch x := n.Type.(type) {
				case *ast.Ident:
					typ = x.Name
				case *ast.SelectorExpr:
					typ = x.Sel.Name
				}
				if typ == "Error" || typ == "FieldError" || typ == "" && hasKeys(n, "Field", "Message") {
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Message" {
								add(kv.Value)
							}
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// hasKeys reports whether the composite literal lit sets every one of keys.
func hasKeys(lit *ast.CompositeLit, keys ...string) bool {
	set := map[string]bool{}
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok {
				set[k.Name] = true
			}
		}
	}
	for _, k := range keys {
		if !set[k] {
			return false
		}
	}
	return true
}

// isFieldPath reports whether e looks like a field path built at run time
// (path+".phone", field, codeField): the first argument of Problems.Add.
func isFieldPath(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BinaryExpr:
		return true
	case *ast.Ident:
		return strings.Contains(strings.ToLower(x.Name), "field") || x.Name == "path" || x.Name == "name"
	}
	return false
}

// TestEveryMessageIsInTheCatalogue holds the catalogue to the code: every
// English message a person may read has its Chinese text, and every entry
// is still used.
func TestEveryMessageIsInTheCatalogue(t *testing.T) {
	found := messageFormats(t)
	var missing []string
	for format, places := range found {
		if HasChinese(format) || !hasLetters(format) {
			continue
		}
		if _, ok := chineseMessages[format]; !ok {
			missing = append(missing, places[0]+"\t"+strconv.Quote(format))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no Chinese text for %s", m)
	}
	for format, zh := range chineseMessages {
		if !HasChinese(zh) {
			t.Errorf("the Chinese text of %q holds no Chinese: %q", format, zh)
		}
	}
}

// hasLetters reports whether s holds a Latin letter outside its verbs: a
// format of verbs alone ("%s", "%v") passes a message through.
func hasLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+1 < len(s) {
			i++
			for i < len(s) && strings.IndexByte("+-# 0123456789.[]", s[i]) >= 0 {
				i++
			}
			continue
		}
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}
