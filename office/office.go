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
	"firebot/scheduler"
	"firebot/store"
)

// Deps are what the office tools need. Register uses Config, Chaser and
// Exporter; Tick uses Config, Store, Campaign, Logger, Exporter and
// Charter. Pass the same Deps to both.
type Deps struct {
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

func (d Deps) withDefaults() Deps {
	if d.Chaser == nil {
		d.Chaser = scheduler.Chaser{}
	}
	if d.Exporter == nil {
		d.Exporter = ReportExporter{}
	}
	if d.Charter == nil {
		d.Charter = ReportCharter{}
	}
	if d.Campaign == nil {
		d.Campaign = clock.Real{}
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.JobLease <= 0 {
		d.JobLease = jobLease
	}
	d.Logger = d.Logger.With("component", "office")
	return d
}

// Command names.
const (
	CmdBroadcast = "广播"
	CmdAck       = "收到"
	CmdReadBack  = "回执"
	CmdStats     = "统计"
	CmdChase     = "催报"
	CmdOnBehalf  = "代录"
	CmdNA        = "不适用"
	CmdReturn    = "退回"
	CmdExport    = "导出"
	CmdChart     = "图表"
)

// Question flow ids (handlers.Question).
const (
	qBroadcast = "office.broadcast"
	qChase     = "office.chase"
	qNAReason  = "office.na_reason"
	qReturn    = "office.return_reason"
	// qReturnConfirm is the 退回 preview (the id keeps the flow's name).
	qReturnConfirm = "office.return"
)

// elsewhere says what an office command does when an office user types it
// in a group that is not an office chat: answer one-to-one, or refuse.
type elsewhere int

const (
	refuseElsewhere  elsewhere = iota // it acts or asks: use it in an office chat or 1:1
	privateElsewhere                  // it only reads: the answer goes 1:1
)

// tools holds the dependencies the commands share.
type tools struct{ d Deps }

// Register puts the office commands (and 收到, for everyone in a bound
// group) on the router, with their dialogs. Call it before the router
// serves messages.
func Register(r *handlers.Router, d Deps) {
	if d.Config == nil {
		panic("office: Register without a configuration")
	}
	t := &tools{d: d.withDefaults()}
	for _, q := range t.questions() {
		r.RegisterQuestion(q)
	}
	for _, c := range t.commands() {
		r.Register(c)
	}
}

func (t *tools) questions() []handlers.Question {
	return []handlers.Question{
		{ID: qBroadcast, Name: "广播预览", YesNo: true, Declined: "好的，广播已取消，没有发送。", Answer: confirmed(t.confirmBroadcast),
			Commands: handlers.CommandsRun},
		{ID: qChase, Name: "催报预览", YesNo: true, Declined: "好的，这次不催报。", Answer: confirmed(t.confirmChase),
			Commands: handlers.CommandsRun},
		{ID: qReturnConfirm, Name: "退回预览", YesNo: true, Declined: "好的，不退回，记录保持原状。", Answer: confirmed(t.confirmReturn),
			Commands: handlers.CommandsRun},
		{ID: qNAReason, Name: "不适用标记", Answer: t.answerNAReason, Commands: handlers.CommandsAskLeave,
			Help: "请用一句话说明这项工作为什么不适用于该单位，例如“该单位无员工宿舍，不涉及”。"},
		{ID: qReturn, Name: "退回", Answer: t.answerReturnReason, Commands: handlers.CommandsAskLeave,
			Help: "请说明退回的原因，例如“照片看不清，请补充清晰照片”。原因会告诉报送人和单位的群。"},
	}
}

func (t *tools) commands() []handlers.Command {
	office := func(c handlers.Command, where elsewhere) handlers.Command {
		c.Office = true
		c.Run = t.guard(c.Name, where, c.Run)
		return c
	}
	return []handlers.Command{
		office(handlers.Command{Name: CmdBroadcast, Usage: "广播 [范围] [@所有人] [回执] 内容", Words: []string{"群发", "broadcast"}, Args: true,
			Help: "向各群发通知：范围可写 全部、板块名、社区、单位类别或用“、”连接的单位名", Run: t.runBroadcast}, refuseElsewhere),
		office(handlers.Command{Name: CmdReadBack, Usage: "回执 [GB-编号] [催]", Words: []string{"回执情况", "收到情况"}, Args: true,
			Help: "查看广播的回执，加“催”再提醒未回执的群", Run: t.runReadBack}, privateElsewhere),
		office(handlers.Command{Name: CmdStats, Usage: "统计 [单位名]", Words: []string{"总体进度", "汇总", "stats"}, Args: true,
			Help: "全街道的完成情况，或某个单位的详情", Run: t.runStats}, privateElsewhere),
		office(handlers.Command{Name: CmdChase, Usage: "催报 [范围] [截止项]", Words: []string{"催交", "chase"}, Args: true,
			Help: "立即提醒还没完成的单位（范围写法同广播；默认最近的截止项）", Run: t.runChase}, refuseElsewhere),
		office(handlers.Command{Name: CmdOnBehalf, Usage: "代录 单位名", Words: []string{"代报", "补录"}, Args: true,
			Help: "替单位录入邮件或纸质报送的活动", Run: t.runOnBehalf}, refuseElsewhere),
		office(handlers.Command{Name: CmdNA, Usage: "不适用 单位名 任务名或编号 [原因]", Words: []string{"免报"}, Args: true,
			Help: "标记某项工作不适用于某单位", Run: t.runNA}, refuseElsewhere),
		office(handlers.Command{Name: CmdReturn, Usage: "退回 编号 原因", Words: []string{"驳回", "打回"}, Args: true,
			Help: "把记录退回单位修改", Run: t.runReturn}, refuseElsewhere),
		office(handlers.Command{Name: CmdExport, Usage: "导出", Words: []string{"导出表格", "export"},
			Help: "生成12月1日报送用的汇总表，发到街道工作群", Run: t.runExport}, privateElsewhere),
		office(handlers.Command{Name: CmdChart, Usage: "图表", Words: []string{"进度图", "chart"},
			Help: "生成进度图表，发到街道工作群", Run: t.runChart}, privateElsewhere),
		{Name: CmdAck, Usage: "收到 [GB-编号]", Words: []string{"已收到", "已阅"}, Args: true,
			Help: "回执街道的广播通知", Run: t.runAck},
	}
}

// officeChat reports whether chatID is one of the office chats.
func officeChat(cfg *config.Config, chatID string) bool {
	return slices.ContainsFunc(cfg.Access.OfficeChats, func(c campaign.Chat) bool { return c.ID == chatID })
}

// guard runs an office command where office commands belong (an office
// chat or a one-to-one chat) and audits every use. In another group the
// command is refused with a hint, or, when it only reads, answered by an
// application message so nothing shows in that group.
func (t *tools) guard(name string, where elsewhere, run func(*handlers.Context) (bot.Reply, error)) func(*handlers.Context) (bot.Reply, error) {
	return func(c *handlers.Context) (bot.Reply, error) {
		action := "command:" + name
		detail := clipRunes(c.Args, 60)
		if !c.Group() || officeChat(c.Config, c.Msg.ChatID) {
			if err := c.Audit(action, "", true, detail); err != nil {
				return bot.NoReply, err
			}
			return run(c)
		}
		if where == refuseElsewhere || isReadBackChase(name, c.Args) {
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
		if err := userText(c.Tx, key, "office-private:"+c.Msg.SenderID, []string{c.Msg.SenderID}, text); err != nil {
			return bot.NoReply, err
		}
		return c.Reply("“" + name + "”的结果已通过应用消息私信发给你（这个群是单位的工作群，不在这里显示）。"), nil
	}
}

func isReadBackChase(name, args string) bool {
	if name != CmdReadBack {
		return false
	}
	_, chase := parseReadBackArgs(args)
	return chase
}

// clipRunes shortens s to n characters with an ellipsis.
func clipRunes(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
