package service

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"firebot/config/configtest"
	"firebot/office"
)

// TestChatCommandsListed: the comment on each line of chatCommands names
// exactly the commands that line registers, in order, so the list a
// newcomer reads is the list the router serves.
func TestChatCommandsListed(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "commands.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	comments := map[int]string{} // line → its trailing comment
	for _, cg := range f.Comments {
		comments[fset.Position(cg.Pos()).Line] = strings.TrimSpace(strings.TrimPrefix(cg.Text(), "//"))
	}
	var lines []string
	ast.Inspect(f, func(n ast.Node) bool {
		fn, ok := n.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "chatCommands" {
			return true
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			for _, e := range lit.Elts {
				lines = append(lines, comments[fset.Position(e.Pos()).Line])
			}
			return false
		})
		return false
	})
	groups := chatCommands(office.NewTools(office.Options{Config: configtest.Example(t)}))
	if len(lines) != len(groups) || len(groups) == 0 {
		t.Fatalf("chatCommands: %d groups, %d commented lines", len(groups), len(lines))
	}
	seen := map[string]bool{}
	for i, g := range groups {
		var names []string
		for _, c := range g {
			names = append(names, c.Name)
			if seen[c.Name] {
				t.Errorf("%s listed twice", c.Name)
			}
			seen[c.Name] = true
		}
		if got := strings.Join(names, " "); got != strings.TrimSpace(lines[i]) {
			t.Errorf("line %d registers %q, its comment says %q", i+1, got, lines[i])
		}
	}
}
