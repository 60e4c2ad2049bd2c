package main

import (
	"context"
	"fmt"
	"io"

	"firebot/config"
	"firebot/redact"
	"firebot/scheduler"
)

func init() {
	register(&command{
		name:    "config",
		args:    "check -config FILE",
		summary: "检查配置文件：通过时输出“配置检查通过”，否则逐行列出问题",
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

// checkConfig loads a configuration file and reports every problem in it.
func checkConfig(path string, stdout, stderr io.Writer) int {
	if _, ok := loadConfig(path, stderr); !ok {
		return 1
	}
	fmt.Fprintln(stdout, "配置检查通过")
	return 0
}

// loadConfig loads path, printing one line per problem on stderr.
func loadConfig(path string, stderr io.Writer) (*config.Config, bool) {
	cfg, problems, err := config.Load(path)
	if err != nil {
		fmt.Fprintf(stderr, "firebot：无法读取配置文件：%v\n", err)
		return nil, false
	}
	redact.Add(secretValues(cfg)...)
	if len(problems) == 0 {
		// Reminder plans are read by the scheduler; it checks them.
		problems = scheduler.Check(cfg)
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, p.String())
	}
	return cfg, len(problems) == 0
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
