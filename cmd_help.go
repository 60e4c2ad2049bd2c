package main

import (
	"context"
	"fmt"
	"io"
)

func init() {
	register(&command{
		name:    "help",
		args:    "[命令]",
		summary: "显示帮助",
		run:     runHelp,
	})
}

func runHelp(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		usage(stdout)
		return 0
	case 1:
		c, ok := commands[args[0]]
		if !ok {
			fmt.Fprintf(stderr, "firebot help：未知命令 %q\n", args[0])
			return 2
		}
		// Each command prints its usage for -h; send it to stdout here.
		return c.run(ctx, []string{"-h"}, stdout, stdout)
	default:
		return tooMany(stderr, "help", args[1:])
	}
}
