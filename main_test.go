package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func runArgs(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestConfigCheckExample(t *testing.T) {
	code, out, errOut := runArgs(t, context.Background(), "config", "check", "-config", "config.example.yaml")
	if code != 0 || out != "配置检查通过\n" || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestConfigCheckBroken(t *testing.T) {
	code, out, errOut := runArgs(t, context.Background(), "config", "check", "-config", "testdata/bad-category.yaml")
	if code != 1 || out != "" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
	if len(lines) != 2 {
		t.Errorf("want one line per problem (2), got:\n%s", errOut)
	}
	re := regexp.MustCompile(`^\S+:\d+: units\[\d+\]\.category: `)
	found := false
	for _, l := range lines {
		found = found || re.MatchString(l)
	}
	if !found {
		t.Errorf("no line matches %s in:\n%s", re, errOut)
	}
}

func TestConfigCheckMissingFile(t *testing.T) {
	code, _, errOut := runArgs(t, context.Background(), "config", "check", "-config", "testdata/nope.yaml")
	if code != 1 || !strings.Contains(errOut, "nope.yaml") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// Flags written after a positional argument are honoured, and stray
// positional arguments are rejected, never ignored.
func TestFlagsAfterPositional(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		args []string
		code int
		out  string
		err  string
	}{
		{"flag after subcommand", []string{"config", "check", "-config", "testdata/bad-category.yaml"}, 1, "", "units[1].category"},
		{"flag before subcommand", []string{"config", "-config", "testdata/bad-category.yaml", "check"}, 1, "", "units[1].category"},
		{"double dash form", []string{"config", "check", "--config=testdata/minimal.yaml"}, 0, "配置检查通过", ""},
		{"stray argument after check", []string{"config", "check", "-config", "testdata/minimal.yaml", "extra"}, 2, "", "多余的参数"},
		{"stray argument to serve", []string{"serve", "extra", "-config", "testdata/minimal.yaml"}, 2, "", "多余的参数"},
		{"unknown flag after positional", []string{"config", "check", "-conifg", "x"}, 2, "", "-conifg"},
		{"unknown subcommand", []string{"config", "lint"}, 2, "", "lint"},
		// "check" after "--" is still the subcommand; the default
		// config.yaml does not exist here, so loading fails.
		{"positional after --", []string{"config", "--", "check"}, 1, "", "config.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runArgs(t, ctx, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tt.code, out, tt.out, errOut, tt.err)
			}
		})
	}
}

func TestDispatch(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		args []string
		code int
		out  string
		err  string
	}{
		{nil, 2, "", "用法"},
		{[]string{"frobnicate"}, 2, "", "未知命令"},
		{[]string{"help"}, 0, "serve", ""},
		{[]string{"-h"}, 0, "config", ""},
		{[]string{"help", "serve"}, 0, "-speed", ""},
		{[]string{"help", "nope"}, 2, "", "未知命令"},
		{[]string{"serve", "-h"}, 0, "", "-now"},
		{[]string{"version"}, 0, "firebot " + version, ""},
		{[]string{"version", "x"}, 2, "", "多余的参数"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runArgs(t, ctx, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tt.code, out, tt.out, errOut, tt.err)
			}
		})
	}
}

func TestServeRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"invalid config", []string{"serve", "-config", "testdata/bad-category.yaml"}, 1, "units[1].category"},
		{"zero speed", []string{"serve", "-config", "testdata/minimal.yaml", "-speed", "0"}, 2, "-speed"},
		{"bad now", []string{"serve", "-config", "testdata/minimal.yaml", "-now", "yesterday"}, 2, "-now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runArgs(t, ctx, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d (want %d), stderr %q", code, tt.code, errOut)
			}
		})
	}
}

// serve starts and stops cleanly when its context ends.
func TestServeStops(t *testing.T) {
	data, err := os.ReadFile("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := strings.NewReplacer(
		"listen: 127.0.0.1:8080", "listen: 127.0.0.1:0",
		"admin_listen: 127.0.0.1:8081", "admin_listen: 127.0.0.1:0",
	).Replace(string(data))
	text += "store: {path: " + filepath.Join(dir, "firebot.db") + "}\nmedia: {dir: " + filepath.Join(dir, "media") + "}\n"
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, errOut := runArgs(t, ctx, "serve", "-config", path, "-now", "2023-11-08 09:00", "-speed", "60")
	if code != 0 {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

func TestVersionFlags(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		code, out, errOut := runArgs(t, context.Background(), args...)
		if code != 0 || !strings.HasPrefix(out, "firebot ") || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}
