package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// mapHeading opens the README section whose first table is the package map
// ("where things are"): one row per package, the package's path inside the
// module as the row's first code span ("." for the root package).
const mapHeading = "## 代码结构"

// readmeMap returns the packages the README's map names, in order, or an
// error when the section or its table is missing.
func readmeMap(readme string) ([]string, error) {
	_, section, ok := strings.Cut(readme, "\n"+mapHeading+"\n")
	if !ok {
		return nil, fmt.Errorf("README has no %q section", mapHeading)
	}
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	var pkgs []string
	inTable := false
	for _, line := range strings.Split(section, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			if inTable {
				break // the map is the section's first table
			}
			continue
		}
		inTable = true
		cell, _, _ := strings.Cut(strings.TrimPrefix(line, "|"), "|")
		_, span, ok := strings.Cut(cell, "`")
		if !ok {
			continue // the header and its --- line
		}
		span, _, ok = strings.Cut(span, "`")
		if !ok {
			return nil, fmt.Errorf("README map row %q: unclosed code span", line)
		}
		pkgs = append(pkgs, strings.TrimSuffix(span, "/"))
	}
	if !inTable {
		return nil, fmt.Errorf("README section %q has no table", mapHeading)
	}
	return pkgs, nil
}

// mapProblems compares the README's map with the module's packages (paths
// inside the module, "." for the root).
func mapProblems(readme string, pkgs []string) []string {
	named, err := readmeMap(readme)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range named {
		switch {
		case seen[p]:
			out = append(out, fmt.Sprintf("README map names %s twice", p))
		case !slices.Contains(pkgs, p):
			out = append(out, fmt.Sprintf("README map names %s, which is not a package of the module (go list ./...)", p))
		}
		seen[p] = true
	}
	for _, p := range pkgs {
		if !seen[p] {
			out = append(out, fmt.Sprintf("package %s is missing from the README map (%s): add a line for it", p, mapHeading))
		}
	}
	return out
}

// TestReadmeMap: the README's package map has exactly one line for every
// package go list ./... reports, test-support packages included.
func TestReadmeMap(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []string
	for _, path := range strings.Fields(string(b)) {
		if p, ok := rel(path); ok {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) < 20 || !slices.Contains(pkgs, "handlers") {
		t.Fatalf("go list listed %d packages, not the module's", len(pkgs))
	}
	for _, p := range mapProblems(string(readme), pkgs) {
		t.Error(p)
	}
}

// TestReadmeMapCatch: the check reports a missing package, a package that
// does not exist, a duplicate and a missing section, and passes a map that
// matches.
func TestReadmeMapCatch(t *testing.T) {
	const doc = "# firebot\n\n" + mapHeading + "\n\nintro\n\n" +
		"| 包 | 内容 |\n| --- | --- |\n" +
		"| `.`（`main.go`） | the binary |\n" +
		"| `store` | the contract |\n" +
		"| `store/embedded/` | bbolt |\n" +
		"\nother directories: `deploy/`\n\n| `notamap` | a later table |\n" +
		"\n## next\n\n| `later` | not the map |\n"
	for _, tc := range []struct {
		name string
		doc  string
		pkgs []string
		want []string
	}{
		{"matches", doc, []string{".", "store", "store/embedded"}, nil},
		{"missing", doc, []string{".", "store", "store/embedded", "store/storetest"}, []string{"package store/storetest is missing"}},
		{"gone", doc, []string{".", "store"}, []string{"README map names store/embedded, which is not a package"}},
		{"twice", strings.Replace(doc, "| `store` |", "| `store` | x |\n| `store` |", 1), []string{".", "store", "store/embedded"}, []string{"README map names store twice"}},
		{"no section", strings.Replace(doc, mapHeading, "## 其他", 1), []string{"."}, []string{"README has no"}},
		{"no table", "x\n" + mapHeading + "\n\ntext only\n", []string{"."}, []string{"README section"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mapProblems(tc.doc, tc.pkgs)
			if len(got) != len(tc.want) {
				t.Fatalf("problems %q, want %d starting %q", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %q, want one starting %q", got[i], w)
				}
			}
		})
	}
}
