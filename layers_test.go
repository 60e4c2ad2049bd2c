package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is the import path prefix of this module's packages.
const module = "firebot"

// layers ranks the module's packages, lowest first (README "Layers"). A
// package may import packages of its own layer or lower ones, never a
// higher one. A package not listed takes the layer of its nearest listed
// parent directory (store/storetest is store's); "." is the root package,
// command main. The conversation features under handlers/ are listed one
// by one: they sit above the core and the domains they use.
var layers = [][]string{
	{"clock", "logs", "textsafe", "redact", "zhfmt", "campaign", "handlers/textparse"}, // foundations: no firebot imports above them
	{"config", "store", "chart", "campaign/clone", "wecom"},                            // configuration, the store contract, WeCom's API
	{"store/embedded", "store/redisstore", "ledger", "ops"},                            // store backends, progress from records, tool ops
	{"bot", "outbox"}, // callbacks in, messages out
	{"handlers"},      // the conversation core: router, middleware, engine, context
	{"archive", "workbook", "roster", "scheduler", "district"},                                     // campaign domains: archive, the December-1 workbook, roster, reminders, the district's cross-street views
	{"handlers/bind", "handlers/mute", "handlers/nominate", "handlers/records", "handlers/report"}, // conversation features, one room each, on the core and the domains
	{"office"},            // the office's chat tools
	{"service", "remote"}, // the running service and the CLI remoting over its admin socket
	{".", "sim", "cmd"},   // the binary, its subcommands, the whole-system simulation
}

// remoting is the CLI remoting package; only these import it (and
// packages under it, such as its test helper).
const remoting = "remote"

var remotingClients = []string{".", "service", "cmd"}

// cores are packages with feature packages beneath them (office/broadcast,
// office/stats…, which take the core's layer): a core imports none of its
// unlisted subpackages, so the shared part never depends on a feature. A
// subpackage listed in layers on its own (handlers/textparse) is not a
// feature.
var cores = []string{"office"}

// feature reports whether t is one of core's feature packages: beneath it
// and not listed in layers itself.
func feature(core, t string) bool {
	return t != core && under(t, core) && !slices.ContainsFunc(layers, func(l []string) bool { return slices.Contains(l, t) })
}

// rel is a package's path inside the module ("." for the root); ok is
// false for packages of other modules and the standard library.
func rel(path string) (string, bool) {
	switch {
	case path == module:
		return ".", true
	case strings.HasPrefix(path, module+"/"):
		return strings.TrimPrefix(path, module+"/"), true
	}
	return "", false
}

// under reports whether p is dir or inside it.
func under(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+"/") || (dir == "." && p == ".")
}

// layerOf is p's rank, or -1 when neither p nor a parent is listed.
func layerOf(p string) int {
	best, rank := "", -1
	for i, layer := range layers {
		for _, q := range layer {
			if under(p, q) && len(q) > len(best) {
				best, rank = q, i
			}
		}
	}
	return rank
}

// violations checks an import graph (package path → its imports, as go
// list reports them) against layers and the remoting rule.
func violations(graph map[string][]string) []string {
	var out []string
	for from, imports := range graph {
		f, ok := rel(from)
		if !ok {
			continue
		}
		fl := layerOf(f)
		if fl < 0 {
			out = append(out, fmt.Sprintf("%s has no layer: add it to layers in layers_test.go and to README", f))
			continue
		}
		for _, imp := range imports {
			t, ok := rel(imp)
			if !ok {
				continue
			}
			if tl := layerOf(t); tl > fl {
				out = append(out, fmt.Sprintf("%s (layer %d) imports %s (layer %d)", f, fl+1, t, tl+1)) // numbered from 1 as in README
			}
			if slices.Contains(cores, f) && feature(f, t) {
				out = append(out, fmt.Sprintf("%s imports its feature package %s (a core imports none)", f, t))
			}
			if under(t, remoting) && !under(f, remoting) && !slices.ContainsFunc(remotingClients, func(c string) bool { return under(f, c) }) {
				out = append(out, fmt.Sprintf("%s imports the CLI remoting package %s (only %s may)", f, t, strings.Join(remotingClients, ", ")))
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestLayers: no package of the module imports one above it, no core
// imports its feature packages, and only the root package, service and
// cmd import remote. Test files are not counted.
func TestLayers(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(line)
		graph[f[0]] = f[1:]
	}
	if len(graph) < 20 || graph[module+"/handlers"] == nil {
		t.Fatalf("go list listed %d packages, not the module's", len(graph))
	}
	for _, v := range violations(graph) {
		t.Error(v)
	}
}

// TestLayersCatch: the check reports each kind of violation the issue
// names, and passes an allowed graph.
func TestLayersCatch(t *testing.T) {
	m := func(p string) string {
		if p == "." {
			return module
		}
		return module + "/" + p
	}
	for _, tc := range []struct {
		name string
		from string
		to   []string
		want string
	}{
		{"core imports scheduler", "handlers", []string{"scheduler"}, "handlers (layer 5) imports scheduler (layer 6)"},
		{"core imports archive", "handlers", []string{"archive"}, "handlers (layer 5) imports archive (layer 6)"},
		{"domain imports remote", "workbook", []string{"remote"}, "workbook imports the CLI remoting package remote"},
		{"feature room imports office", "handlers/confirm", []string{"office"}, "handlers/confirm (layer 5) imports office (layer 8)"},
		{"simulation imports remote", "sim", []string{"remote"}, "sim imports the CLI remoting package remote"},
		{"unlisted", "newthing", nil, "newthing has no layer"},
		{"core imports a feature", "office", []string{"office/broadcast"}, "office imports its feature package office/broadcast"},
		{"feature imports core and a sibling", "office/correct", []string{"office", "office/stats"}, ""},
		{"allowed", "scheduler", []string{"handlers", "outbox", "ops", "clock"}, ""},
		{"root uses remote", ".", []string{"remote", "service"}, ""},
		{"test helper of remote", "remote/remotetest", []string{"remote"}, ""},
		{"stdlib and others", "bot", []string{"fmt", "github.com/redis/go-redis/v9"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var imports []string
			for _, p := range tc.to {
				if strings.Contains(p, ".") || p == "fmt" {
					imports = append(imports, p)
				} else {
					imports = append(imports, m(p))
				}
			}
			got := violations(map[string][]string{m(tc.from): imports})
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("violations %q, want none", got)
			case tc.want != "" && !slices.ContainsFunc(got, func(v string) bool { return strings.HasPrefix(v, tc.want) }):
				t.Errorf("violations %q, want one starting %q", got, tc.want)
			}
		})
	}
}
