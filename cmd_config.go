package main

import (
	"context"
	"fmt"
	"io"
	"sort"

	"firebot/config"
	"firebot/redact"
	"firebot/scheduler"
)

func init() {
	register(&command{
		name:    "config",
		args:    "check -config FILE",
		summary: "检查配置文件（单个街道的文件，或区级文件及其各街道文件）：通过时输出“配置检查通过”，否则逐行列出问题",
		run:     runConfig,
	})
}

func runConfig(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("config", stderr, true)
	pos, code, ok := fs.parseSub(args)
	if !ok {
		return code
	}
	switch pos[0] {
	case "check":
		if len(pos) > 1 {
			return tooMany(stderr, "config check", pos[1:])
		}
		return checkConfig(*fs.config, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "firebot config：未知子命令 %q（可用：check）\n", pos[0])
		return 2
	}
}

// checkConfig loads a configuration, a lone file or a district file with
// its street files, and reports every problem in any of them.
func checkConfig(path string, stdout, stderr io.Writer) int {
	if _, ok := loadDistrict(path, stderr); !ok {
		return 1
	}
	fmt.Fprintln(stdout, "配置检查通过")
	return 0
}

// loadConfig loads path, a lone configuration file, printing one line per
// problem on stderr. A district file is refused: it is for the places that
// want one deployment's lone file (street import's -from); the commands
// that act on a street of a district pick it with -street (loadTarget).
func loadConfig(path string, stderr io.Writer) (*config.Config, bool) {
	dist, ok := loadDistrict(path, stderr)
	if dist == nil {
		return nil, false
	}
	if !dist.Single {
		fmt.Fprintf(stderr, "firebot：%s 是区级配置（%d 个街道）；这里要的是单个街道的配置文件\n", path, len(dist.Streets))
		return nil, false
	}
	return dist.Streets[0].Config, ok
}

// loadDistrict loads path as a district (a lone file is a district of one),
// printing one line per problem on stderr, each naming its file and line,
// in file order: the district file, then the streets. The scheduler checks
// the reminder plans of every street whose own file has no problem.
func loadDistrict(path string, stderr io.Writer) (*config.District, bool) {
	dist, problems, err := config.LoadDistrict(path)
	if err != nil {
		fmt.Fprintf(stderr, "firebot：无法读取配置文件：%v\n", err)
		return nil, false
	}
	if dist != nil {
		for _, c := range dist.Chats {
			redact.Add(c.WebhookKey.Reveal())
		}
		bad := map[string]bool{}
		for _, p := range problems {
			bad[p.File] = true
		}
		for _, s := range dist.Streets {
			redact.Add(secretValues(s.Config)...)
			if !bad[s.File] {
				// Reminder plans are read by the scheduler; it checks them.
				problems = append(problems, scheduler.Check(s.Config)...)
			}
		}
		order := map[string]int{dist.File: 0}
		for i, s := range dist.Streets {
			order[s.File] = i + 1
		}
		sort.SliceStable(problems, func(i, j int) bool { return order[problems[i].File] < order[problems[j].File] })
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, p.String())
	}
	return dist, dist != nil && len(problems) == 0
}

// secretValues lists every secret of the configuration, to be redacted
// from whatever the command prints.
func secretValues(cfg *config.Config) []string {
	w := cfg.WeCom
	out := []string{
		w.Secret.Reveal(), w.Token.Reveal(), w.EncodingAESKey.Reveal(),
		w.Robot.Token.Reveal(), w.Robot.EncodingAESKey.Reveal(),
		w.AIBot.Token.Reveal(), w.AIBot.EncodingAESKey.Reveal(),
		cfg.Store.Redis.Password.Reveal(),
	}
	for _, u := range cfg.Units {
		for _, c := range u.Chats {
			out = append(out, c.WebhookKey.Reveal())
		}
	}
	for _, c := range cfg.Access.OfficeChats {
		out = append(out, c.WebhookKey.Reveal())
	}
	return out
}
