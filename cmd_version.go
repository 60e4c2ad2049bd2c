package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// version is set at build time: go build -ldflags "-X main.version=v1.0.0".
var version = "dev"

func init() {
	register(&command{
		name:    "version",
		summary: "显示版本信息",
		run:     runVersion,
	})
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("version", stderr, false)
	if code, ok := fs.parseNone(args); !ok {
		return code
	}
	fmt.Fprintf(stdout, "firebot %s\n", version)
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return 0
	}
	fmt.Fprintf(stdout, "go: %s\n", bi.GoVersion)
	if bi.Main.Version != "" {
		fmt.Fprintf(stdout, "module: %s %s\n", bi.Main.Path, bi.Main.Version)
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision", "vcs.time", "vcs.modified":
			fmt.Fprintf(stdout, "%s: %s\n", s.Key, s.Value)
		}
	}
	return 0
}
