package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"syscall"

	"firebot/campaign"
	"firebot/redact"
	"firebot/service"
)

func init() {
	register(&command{
		name:    "serve",
		args:    "-config FILE [-now 时间] [-speed N] [-log text|json]",
		summary: "运行 firebot 服务（-now/-speed 用模拟时钟演练整个活动）",
		run:     runServe,
	})
}

func runServe(ctx context.Context, args []string, _, stderr io.Writer) int {
	fs := newCmdFlags("serve", stderr, true)
	nowText := fs.String("now", "", "演练：活动时钟从这个时间开始（RFC 3339 或 \"2023-11-08 09:00\"，按配置的时区）")
	speed := fs.Float64("speed", 1, "演练：活动时钟的倍速，例如 60 表示 1 秒当 1 分钟")
	logFormat := fs.String("log", "text", "日志格式：text 或 json")
	if code, ok := fs.parseNone(args); !ok {
		return code
	}
	if *speed <= 0 || math.IsInf(*speed, 0) || math.IsNaN(*speed) {
		fmt.Fprintf(stderr, "firebot serve：-speed 必须是正数，而不是 %v\n", *speed)
		return 2
	}
	dist, ok := loadDistrict(*fs.config, stderr)
	if !ok {
		return 1
	}
	cfg := dist.Shared
	var handler slog.Handler
	switch *logFormat {
	case "text":
		handler = slog.NewTextHandler(stderr, nil)
	case "json":
		handler = slog.NewJSONHandler(stderr, nil)
	default:
		fmt.Fprintf(stderr, "firebot serve：-log 只能是 text 或 json，而不是 %q\n", *logFormat)
		return 2
	}
	opts := service.Options{
		Speed:   *speed,
		Logger:  slog.New(redact.Handler(handler)),
		Version: version,
	}
	if *nowText != "" {
		now, _, err := campaign.ParseTime(*nowText, cfg.Location, campaign.StartOfDay)
		if err != nil {
			fmt.Fprintf(stderr, "firebot serve：无法解析 -now %q（支持 RFC 3339、\"2023-11-08 09:00\" 或 \"2023-11-08\"）\n", *nowText)
			return 2
		}
		opts.Now = &now
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	run := func() error { return service.Run(ctx, dist.Streets[0].Config, opts) }
	if !dist.Single {
		// Many streets: one process serves them all (README 多个街道).
		run = func() error { return service.RunDistrict(ctx, dist, opts) }
	}
	if err := run(); err != nil {
		opts.Logger.With("component", "main").Error("firebot exited abnormally", "err", err)
		return 1
	}
	return 0
}
