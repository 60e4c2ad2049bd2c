package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"firebot/campaign"
	"firebot/scheduler"
)

func init() {
	register(&command{
		name:    "reminders",
		args:    "plan -config FILE [-street 街道id] [-from 时间] [-to 时间]",
		summary: "列出提醒计划：每行一条提醒的时间、计划、截止/活动、对象和将提醒的单位数",
		run:     runReminders,
	})
}

func runReminders(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("reminders", stderr, true)
	fromText := fs.String("from", "", "起始时间（默认：通知发布当天 00:00）")
	toText := fs.String("to", "", "结束时间（默认：最后一个截止时间的次日）")
	fs.withStreet()
	pos, err := parseArgs(fs.FlagSet, args)
	if err != nil {
		return flagError(err)
	}
	if len(pos) == 0 || pos[0] != "plan" {
		fmt.Fprintln(stderr, "firebot reminders：请使用子命令 plan，例如 firebot reminders plan -config config.yaml")
		return 2
	}
	if len(pos) > 1 {
		return tooMany(stderr, "reminders plan", pos[1:])
	}
	t, code, ok := fs.loadTarget(false)
	if !ok {
		return code
	}
	cfg := t.cfg
	p := scheduler.PlanParams{From: cfg.Campaign.Announced}
	for _, d := range cfg.Campaign.Deadlines {
		if end := d.Time.Add(24 * time.Hour); end.After(p.To) {
			p.To = end
		}
	}
	for _, f := range []struct {
		text string
		dst  *time.Time
		name string
	}{{*fromText, &p.From, "-from"}, {*toText, &p.To, "-to"}} {
		if f.text == "" {
			continue
		}
		t, _, err := campaign.ParseTime(f.text, cfg.Location, campaign.StartOfDay)
		if err != nil {
			fmt.Fprintf(stderr, "firebot reminders：无法解析 %s %q（RFC 3339，例如 2023-11-09T09:30:00+08:00）\n", f.name, f.text)
			return 2
		}
		*f.dst = t
	}
	if err := runOp(ctx, t, scheduler.OpPlan, p, stdout, nil); err != nil {
		fmt.Fprintln(stderr, "firebot reminders：", err)
		return 1
	}
	return 0
}
