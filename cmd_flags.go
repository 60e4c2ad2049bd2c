package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"firebot/config"
	"firebot/service"
)

// cmdFlags is a subcommand's flag set with the steps most subcommands start
// with: the -config flag, parsing, checking the positional arguments and
// loading the configuration.
type cmdFlags struct {
	*flag.FlagSet
	name   string
	stderr io.Writer
	config *string // -config; nil for a subcommand without one
	street *string // -street (withStreet); nil for a subcommand without one
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

// withStreet adds -street, for a subcommand that acts on one street.
func (f *cmdFlags) withStreet() {
	f.street = f.String("street", "", "区级配置：要操作的街道 id（区里有几个街道时必填）；单个街道的配置文件可以不写")
}

// target is what a subcommand acts on: one street of the configuration,
// or, for a district-wide subcommand given a district file without
// -street, the whole district.
type target struct {
	dist *config.District
	// street is nil for the whole district.
	street *config.Street
	// cfg is the street's configuration as the service runs it (in a
	// district: its media under media.dir/<street>); for the whole
	// district, the shared sections.
	cfg *config.Config
}

// slot is the street's slot on the district's store: "" for a lone
// configuration file (today's layout) and for the whole district.
func (t *target) slot() string {
	if t.dist.Single || t.street == nil {
		return ""
	}
	return t.street.ID
}

// loadTarget loads the -config file and picks the street -street names.
// Without -street, a lone file or a district of one street is that
// street; a district of several is the whole district when districtWide,
// and is refused otherwise, listing its streets: a command never picks
// one street of several by itself. When it returns !ok the subcommand ends
// with code.
func (f *cmdFlags) loadTarget(districtWide bool) (t *target, code int, ok bool) {
	dist, ok := loadDistrict(*f.config, f.stderr)
	if !ok {
		return nil, 1, false
	}
	id := ""
	if f.street != nil {
		id = *f.street
	}
	if id == "" && districtWide && !dist.Single {
		return &target{dist: dist, cfg: dist.Shared}, 0, true
	}
	s, code, ok := pickStreet(f.stderr, f.name, dist, id)
	if !ok {
		return nil, code, false
	}
	if dist.Single {
		return &target{dist: dist, street: s, cfg: s.Config}, 0, true
	}
	return &target{dist: dist, street: s, cfg: service.StreetConfig(s.Config, s.ID, dist.Users)}, 0, true
}

// pickStreet returns the street of dist that id (-street) names: a lone
// file's street when id is empty or its own id; a district's street id, or
// its only street when id is empty. Otherwise it says why on stderr, for
// subcommand name, and returns code 2: a district of several streets and
// no id lists them, as does an unknown id.
func pickStreet(stderr io.Writer, name string, dist *config.District, id string) (*config.Street, int, bool) {
	if dist.Single {
		s := dist.Streets[0]
		switch {
		case id == "" || id == s.ID:
			return s, 0, true
		case s.ID == "":
			fmt.Fprintf(stderr, "firebot %s：%s 是单个街道的配置文件，没有街道 id，用不着 -street；请去掉 -street %s\n", name, dist.File, id)
		default:
			fmt.Fprintf(stderr, "firebot %s：%s 是单个街道（%s）的配置文件，不是街道 %q\n", name, dist.File, s.ID, id)
		}
		return nil, 2, false
	}
	if id == "" {
		if len(dist.Streets) == 1 {
			return dist.Streets[0], 0, true
		}
		fmt.Fprintf(stderr, "firebot %s：%s 是区级配置，有 %d 个街道，请用 -street 指明操作哪一个：%s\n", name, dist.File, len(dist.Streets), streetList(dist))
		return nil, 2, false
	}
	s, found := dist.Street(id)
	if !found {
		fmt.Fprintf(stderr, "firebot %s：区级配置 %s 里没有街道 %q；可选：%s\n", name, dist.File, id, streetList(dist))
		return nil, 2, false
	}
	return s, 0, true
}

// streetList names a district's streets: "shangqingsi（上清寺街道）、…".
func streetList(dist *config.District) string {
	names := make([]string, 0, len(dist.Streets))
	for _, s := range dist.Streets {
		names = append(names, fmt.Sprintf("%s（%s）", s.ID, s.Name))
	}
	return strings.Join(names, "、")
}
