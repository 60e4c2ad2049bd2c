package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// logPrefix matches the old "outbox: …" style: the part belongs in the
// component attribute, not in the message.
var logPrefix = regexp.MustCompile(`^[a-z][a-z_.]*: `)

// TestLogMessagesOneStyle reads every non-test Go file for slog calls
// (x.Debug/Info/Warn/Error with a string literal message and key-value
// pairs) and checks the message is English and has no "pkg: " prefix.
// service's TestLogRecordsNameTheirComponent checks the component
// attribute on the records of a run; this catches the calls that run does
// not reach.
func TestLogMessagesOneStyle(t *testing.T) {
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 || len(call.Args)%2 == 0 && !call.Ellipsis.IsValid() {
				return true // slog calls have a message and key-value pairs
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch sel.Sel.Name {
			case "Debug", "Info", "Warn", "Error":
			default:
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && (x.Name == "t" || x.Name == "b" || x.Name == "http") {
				return true // testing.T in test-support packages, http.Error
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			msg, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			checked++
			pos := fset.Position(lit.Pos())
			if strings.IndexFunc(msg, func(c rune) bool { return unicode.Is(unicode.Han, c) }) >= 0 {
				t.Errorf("%s: log message not in English: %q", pos, msg)
			}
			if logPrefix.MatchString(msg) {
				t.Errorf("%s: log message names its part as a prefix (use the component attribute): %q", pos, msg)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d log calls checked", checked)
	if checked < 40 {
		t.Errorf("only %d log calls found: the scan no longer sees them", checked)
	}
}
