package main

import (
	"flag"
	"io"

	"firebot/config"
)

// cmdFlags is a subcommand's flag set with the steps most subcommands start
// with: the -config flag, parsing, checking the positional arguments and
// loading the configuration.
type cmdFlags struct {
	*flag.FlagSet
	name   string
	stderr io.Writer
	config *string // -config; nil for a subcommand without one
}

// newCmdFlags returns the flags of subcommand name, with -config when
// withConfig.
func newCmdFlags(name string, stderr io.Writer, withConfig bool) *cmdFlags {
	f := &cmdFlags{FlagSet: newFlagSet(name, stderr), name: name, stderr: stderr}
	if withConfig {
		f.config = f.String("config", "config.yaml", "配置文件路径")
	}
	return f
}

// parseNone parses args of a subcommand that takes no positional argument.
// When it returns !ok the subcommand ends with code (help, a bad flag, an
// extra argument).
func (f *cmdFlags) parseNone(args []string) (code int, ok bool) {
	pos, err := parseArgs(f.FlagSet, args)
	if err != nil {
		return flagError(err), false
	}
	if len(pos) > 0 {
		return tooMany(f.stderr, f.name, pos), false
	}
	return 0, true
}

// parseSub parses args of a subcommand that names an action (config check,
// roster import…) and returns the positional arguments, the action first.
// When it returns !ok the subcommand ends with code (help, a bad flag, no
// action: the usage is printed).
func (f *cmdFlags) parseSub(args []string) (pos []string, code int, ok bool) {
	pos, err := parseArgs(f.FlagSet, args)
	if err != nil {
		return nil, flagError(err), false
	}
	if len(pos) == 0 {
		f.Usage()
		return nil, 2, false
	}
	return pos, 0, true
}

// loadConfig loads the -config file, printing one line per problem.
func (f *cmdFlags) loadConfig() (*config.Config, bool) {
	return loadConfig(*f.config, f.stderr)
}
