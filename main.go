// Command firebot runs a street office's fire-safety publicity campaign in
// WeCom groups. main only dispatches: each subcommand lives in its own
// cmd_*.go file and registers itself in init, so adding one is a one-file
// change.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sort"

	"firebot/redact"

	_ "time/tzdata" // the configured timezone must load on any machine

	"github.com/redis/go-redis/v9"
)

// command is one subcommand.
type command struct {
	name    string
	args    string // usage after the name, e.g. "-config FILE"
	summary string // one line, in Chinese
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is the registry filled by the cmd_*.go files.
var commands = map[string]*command{}

// register adds a subcommand; it panics on a mistake so it shows at start-up.
func register(c *command) {
	if c.name == "" || c.run == nil {
		panic("firebot: command without name or run")
	}
	if _, dup := commands[c.name]; dup {
		panic("firebot: duplicate command " + c.name)
	}
	commands[c.name] = c
}

func main() {
	// go-redis logs dial failures on its own; they pass the redaction too.
	redis.SetLogger(redisLogger{log.New(redact.Writer(os.Stderr), "redis: ", log.LstdFlags)})
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

type redisLogger struct{ l *log.Logger }

func (r redisLogger) Printf(_ context.Context, format string, v ...any) { r.l.Printf(format, v...) }

// run dispatches to a subcommand and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	case "-version", "--version":
		name = "version"
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "firebot：未知命令 %q\n\n", name)
		usage(stderr)
		return 2
	}
	// Nothing a command prints carries a secret (URL credentials, any
	// secret of the configuration it loaded).
	return c.run(ctx, args[1:], redact.Writer(stdout), redact.Writer(stderr))
}

// unwrap returns the writer under a redacting one.
func unwrap(w io.Writer) io.Writer {
	if u, ok := w.(interface{ Unwrap() io.Writer }); ok {
		return u.Unwrap()
	}
	return w
}

// usage lists the subcommands.
func usage(w io.Writer) {
	fmt.Fprintln(w, "firebot：企业微信“119”消防宣传月助手")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "用法：firebot <命令> [选项]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "命令：")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "“firebot help <命令>”查看某个命令的选项。")
}

// newFlagSet returns a flag set for the named command whose usage message
// names the command and its arguments.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		c := commands[name]
		fmt.Fprintf(fs.Output(), "用法：firebot %s %s\n\n%s\n", name, c.args, c.summary)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(fs.Output(), "\n选项：")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseArgs parses flags wherever they stand among args: before, between
// and after positional arguments; "--" ends the flags. It returns the
// positional arguments in order.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// flagError turns a parse error into an exit code: 0 for -h, 2 otherwise
// (the flag package has already printed the message and the usage).
func flagError(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// tooMany reports unexpected positional arguments.
func tooMany(stderr io.Writer, name string, extra []string) int {
	fmt.Fprintf(stderr, "firebot %s：多余的参数 %q（选项请写成 -name value）\n", name, extra)
	return 2
}
