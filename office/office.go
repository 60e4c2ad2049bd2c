package office

import (
	"log/slog"
	"slices"
	"strings"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/handlers"
	"firebot/logs"
	"firebot/scheduler"
	"firebot/store"
)

// Options are what the office tools need. The commands (through NewTools)
// use Config and Chaser; Tick uses Config, Store, Campaign, Logger,
// Exporter and Charter. Pass the same Options to both.
type Options struct {
	Config *config.Config
	Store  store.Store // Tick only
	// Campaign is the campaign clock (Tick's "截至…" times).
	Campaign clock.Clock
	Logger   *slog.Logger // nil: discarded
	// Chaser sends 催报's targeted reminder; nil uses scheduler.Chaser.
	Chaser Chaser
	// Exporter builds the December 1 workbook for 导出; nil uses
	// workbook.Build (ReportExporter).
	Exporter Exporter
	// Charter draws the 图表 PNG; nil uses workbook.Chart (ReportCharter).
	Charter Charter
	// JobLease is how long (real time) a replica holds a 导出 or 图表 job
	// it works on before another may take it over; 0 means 10 minutes.
	JobLease time.Duration
}

func (d Options) withDefaults() Options {
	if d.Chaser == nil {
		d.Chaser = scheduler.Chaser{}
	}
	if d.Exporter == nil {
		d.Exporter = ReportExporter{}
	}
	if d.Charter == nil {
		d.Charter = ReportCharter{}
	}
	d.Campaign = clock.OrReal(d.Campaign)
	if d.JobLease <= 0 {
		d.JobLease = jobLease
	}
	d.Logger = logs.For(d.Logger, "office")
	return d
}

// Elsewhere says what an office command does when an office user types it
// in a group that is not an office chat: refuse, or answer one-to-one.
type Elsewhere int

const (
	// Refuse: the command acts or asks; use it in an office chat or 1:1.
	Refuse Elsewhere = iota
	// Private: the command only reads; the answer goes 1:1.
	Private
)

// Tools is what the office feature packages share: the dependencies, with
// their defaults, and the guard every office command runs behind. Build it
// once with NewTools and hand it to each feature's Commands and Questions.
type Tools struct{ d Options }

// NewTools applies d's defaults. It panics without a configuration, so a
// bad wiring fails at start-up.
func NewTools(d Options) *Tools {
	if d.Config == nil {
		panic("office: NewTools without a configuration")
	}
	return &Tools{d: d.withDefaults()}
}

// Options are the dependencies, defaults applied.
func (t *Tools) Options() Options { return t.d }

// Office makes c an office command (handlers.OfficeStaff: only office
// staff may use it) behind the guard; where says what it does in a unit's
// group.
func (t *Tools) Office(c handlers.Command, where Elsewhere) handlers.Command {
	return t.OfficeWhere(c, func(string) Elsewhere { return where })
}

// OfficeWhere is Office for a command whose arguments decide what it does
// in a unit's group (回执 only reads; 回执 … 催 acts).
func (t *Tools) OfficeWhere(c handlers.Command, where func(args string) Elsewhere) handlers.Command {
	c.For = handlers.OfficeStaff
	c.Run = t.guard(c.Name, where, c.Run)
	return c
}

// OfficeChat reports whether chatID is one of the office chats.
func OfficeChat(cfg *config.Config, chatID string) bool {
	return slices.ContainsFunc(cfg.Access.OfficeChats, func(c campaign.Chat) bool { return c.ID == chatID })
}

// guard runs an office command where office commands belong (an office
// chat or a one-to-one chat) and audits every use. In another group the
// command is refused with a hint, or, when it only reads, answered by an
// application message so nothing shows in that group.
func (t *Tools) guard(name string, where func(args string) Elsewhere, run func(*handlers.Context) (bot.Reply, error)) func(*handlers.Context) (bot.Reply, error) {
	return func(c *handlers.Context) (bot.Reply, error) {
		action := "command:" + name
		detail := ClipRunes(c.Args, 60)
		if !c.Group() || OfficeChat(c.Config, c.Msg.ChatID) {
			if err := c.Audit(action, "", true, detail); err != nil {
				return bot.NoReply, err
			}
			return run(c)
		}
		if where(c.Args) == Refuse {
			if err := c.Audit(action, "", false, "在非街道工作群使用"); err != nil {
				return bot.NoReply, err
			}
			return c.Reply("“" + name + "”请在街道工作群里使用，或私聊我使用。这个群是单位的工作群，街道的操作和数据不在这里显示。"), nil
		}
		if err := c.Audit(action, "", true, "在非街道工作群使用，结果私信发送"); err != nil {
			return bot.NoReply, err
		}
		rep, err := run(c)
		if err != nil || rep.IsEmpty() {
			return rep, err
		}
		text := bot.WithButtonHints(rep).Text
		if rep.Markdown {
			text = bot.PlainText(text)
		}
		key := "office-private:" + c.Msg.DedupeKey
		if err := UserText(c.Tx, key, "office-private:"+c.Msg.SenderID, []string{c.Msg.SenderID}, text); err != nil {
			return bot.NoReply, err
		}
		return c.Reply("“" + name + "”的结果已通过应用消息私信发给你（这个群是单位的工作群，不在这里显示）。"), nil
	}
}

// ClipRunes shortens s to n characters with an ellipsis.
func ClipRunes(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
