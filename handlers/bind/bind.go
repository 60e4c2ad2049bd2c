package bind

import (
	"slices"
	"sort"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/store"
	"firebot/zhfmt"
)

// flowBind is the id of the 绑定 dialog (stored in open dialogs: keep it).
const flowBind = "bind"

// Commands are 绑定 and 解绑, for unit officers and office staff in groups.
func Commands() []handlers.Command {
	return []handlers.Command{
		{Name: "绑定", Usage: "绑定 单位名称", Words: []string{"绑定单位", "bind"}, Args: true, For: handlers.Officers, Scope: handlers.ScopeGroup, Help: "把本群绑定到单位（安全员、街道工作人员）", Run: runBind},
		{Name: "解绑", Usage: "解绑 单位名称", Words: []string{"解除绑定", "取消绑定", "unbind"}, Args: true, For: handlers.Officers, Scope: handlers.ScopeGroup, Help: "解除本群与单位的绑定", Run: runUnbind},
	}
}

// Flows is the 绑定 dialog, which confirms an unsure match or asks which
// unit is meant.
func Flows() []*handlers.Flow { return []*handlers.Flow{newBindFlow()} }

func runBind(c *handlers.Context) (bot.Reply, error) {
	if refused, rep, err := refuseOfficeChatBind(c, ""); refused {
		return rep, err
	}
	query := strings.TrimSpace(c.Args)
	if query == "" {
		return c.Reply("请在“绑定”后面写单位名称，例如“绑定 学田湾社区”。"), nil
	}
	roster, err := store.Roster(c.Tx)
	if err != nil {
		return bot.NoReply, err
	}
	exact, cands := matchUnits(roster, query)
	if exact != nil {
		return bindUnit(c, *exact)
	}
	if len(cands) == 0 {
		return c.Reply("没有找到名称接近“" + handlers.Clip(query, 20) + "”的单位，请核对单位全称（以街道的单位名单为准）。"), nil
	}
	var allowed []campaign.Unit
	for _, u := range cands {
		if c.Office() || u.HasOfficer(c.Msg.SenderID) {
			allowed = append(allowed, u)
		}
	}
	if len(allowed) == 0 {
		reason := "你不是" + zhfmt.UnitNames(cands) + "的安全员，不能绑定。请该单位安全员或街道工作人员来绑定。"
		if err := c.AuditRefused("bind", cands[0].ID, "非该单位安全员"); err != nil {
			return bot.NoReply, err
		}
		return c.Reply(reason), nil
	}
	var s handlers.State
	for _, u := range allowed {
		s.Units = append(s.Units, u.ID)
	}
	if len(allowed) == 1 {
		s.Unit = allowed[0].ID
	}
	return c.StartFlow(flowBind, s, "")
}

func newBindFlow() *handlers.Flow {
	f := &handlers.Flow{ID: flowBind, Name: "绑定", Submit: submitBind}
	confirm := handlers.YesNoStep(handlers.StepConfirm, func(e *handlers.Env, s *handlers.State) string {
		u, _ := handlers.CurrentUnit(e, s)
		return "你要把本群绑定到“" + u.Name + "”吗？"
	}, "好的，没有绑定。")
	choose := handlers.UnitStep("单位", "你要绑定哪个单位？")
	f.Order = func(e *handlers.Env, s *handlers.State) []string {
		if len(s.Units) > 1 {
			return []string{handlers.StepUnit}
		}
		return []string{handlers.StepConfirm}
	}
	f.Step = func(e *handlers.Env, s *handlers.State, id string) *handlers.Step {
		switch id {
		case handlers.StepConfirm:
			return confirm
		case handlers.StepUnit:
			return choose
		}
		return nil
	}
	return f
}

func submitBind(c *handlers.Context, e *handlers.Env, s handlers.State) (bot.Reply, error) {
	u, ok := handlers.CurrentUnit(e, &s)
	if !ok {
		return c.Reply("没有选定单位，没有绑定。"), nil
	}
	return bindUnit(c, u)
}

// bindUnit binds the chat to u if the sender may.
func bindUnit(c *handlers.Context, u campaign.Unit) (bot.Reply, error) {
	if refused, rep, err := refuseOfficeChatBind(c, u.ID); refused {
		return rep, err
	}
	if !c.Office() && !u.HasOfficer(c.Msg.SenderID) {
		if err := c.AuditRefused("bind", u.ID, "非该单位安全员"); err != nil {
			return bot.NoReply, err
		}
		return c.Reply("你不是“" + u.Name + "”的安全员，不能把本群绑定到这个单位。请该单位安全员或街道工作人员来绑定。"), nil
	}
	bound, err := c.ChatUnits()
	if err != nil {
		return bot.NoReply, err
	}
	for _, b := range bound {
		if b.ID == u.ID {
			return c.Reply("本群已经绑定了“" + u.Name + "”，不需要重复绑定。"), nil
		}
	}
	if err := store.Bind(c.Tx, store.Binding{ChatID: c.Msg.ChatID, UnitID: u.ID, By: c.Msg.SenderID, At: c.Now}); err != nil {
		return bot.NoReply, err
	}
	if err := c.AuditAllowed("bind", u.ID, ""); err != nil {
		return bot.NoReply, err
	}
	msg := "已把本群绑定到“" + u.Name + "”。群里的成员现在可以 @我 上报活动、推荐志愿者、查看进度。"
	if len(bound) > 0 {
		msg += "\n本群现在对应：" + zhfmt.UnitNames(append(bound, u)) + "，上报时我会问是哪个单位。"
	}
	return c.Reply(msg), nil
}

func runUnbind(c *handlers.Context) (bot.Reply, error) {
	bound, err := c.ChatUnits()
	if err != nil {
		return bot.NoReply, err
	}
	if len(bound) == 0 {
		return c.Reply("本群没有绑定任何单位。"), nil
	}
	query := strings.TrimSpace(c.Args)
	var target *campaign.Unit
	switch {
	case query == "" && len(bound) == 1:
		target = &bound[0]
	case query == "":
		return c.Reply("本群绑定了" + zhfmt.UnitNames(bound) + "，请写明要解绑哪个，例如“解绑 " + bound[0].Name + "”。"), nil
	default:
		exact, cands := matchUnits(bound, query)
		switch {
		case exact != nil:
			target = exact
		case len(cands) == 1:
			target = &cands[0]
		default:
			return c.Reply("本群绑定的是" + zhfmt.UnitNames(bound) + "，请写出要解绑的单位全称。"), nil
		}
	}
	if !c.Office() && !target.HasOfficer(c.Msg.SenderID) {
		if err := c.AuditRefused("unbind", target.ID, "非该单位安全员"); err != nil {
			return bot.NoReply, err
		}
		return c.Reply("你不是“" + target.Name + "”的安全员，不能解绑。请该单位安全员或街道工作人员来操作。"), nil
	}
	if err := store.Unbind(c.Tx, c.Msg.ChatID, target.ID); err != nil {
		return bot.NoReply, err
	}
	if err := c.AuditAllowed("unbind", target.ID, ""); err != nil {
		return bot.NoReply, err
	}
	return c.Reply("已解除本群与“" + target.Name + "”的绑定。已提交的记录不受影响。"), nil
}

// matchUnits finds a unit by name or id: an exact match, or else the
// candidates whose names are close, best first.
func matchUnits(units []campaign.Unit, query string) (*campaign.Unit, []campaign.Unit) {
	q := normName(query)
	if q == "" {
		return nil, nil
	}
	type scored struct {
		u     campaign.Unit
		score float64
	}
	var cands []scored
	for i, u := range units {
		n := normName(u.Name)
		if n == q || strings.EqualFold(u.ID, strings.TrimSpace(query)) {
			return &units[i], nil
		}
		var sc float64
		switch {
		case strings.Contains(n, q) || strings.Contains(q, n):
			sc = 2 + float64(len([]rune(q)))/float64(len([]rune(n))+len([]rune(q)))
		default:
			sc = overlap(q, n)
		}
		if sc >= 0.6 {
			cands = append(cands, scored{u, sc})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	out := make([]campaign.Unit, 0, min(len(cands), 5))
	for _, s := range cands[:min(len(cands), 5)] {
		out = append(out, s.u)
	}
	return nil, out
}

// normName drops spaces and punctuation.
func normName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if !strings.ContainsRune(" \t\u3000“”\"'（）()·-_，,。.、", r) {
			b.WriteRune(r)
		}
	}
	return strings.ToLower(b.String())
}

// overlap is the share of q's runes that occur in n.
func overlap(q, n string) float64 {
	qr := []rune(q)
	if len(qr) < 2 {
		return 0
	}
	hit := 0
	for _, r := range qr {
		if strings.ContainsRune(n, r) {
			hit++
		}
	}
	return float64(hit) / float64(len(qr))
}

// refuseOfficeChatBind refuses to bind an office chat (access.office_chats)
// to any unit, whoever asks: office commands and data would then mix with
// a unit's reports.
func refuseOfficeChatBind(c *handlers.Context, unitID string) (bool, bot.Reply, error) {
	if !slices.ContainsFunc(c.Config.Access.OfficeChats, func(ch campaign.Chat) bool { return ch.ID == c.Msg.ChatID }) {
		return false, bot.NoReply, nil
	}
	if err := c.AuditRefused("bind", unitID, "街道工作群不能绑定单位"); err != nil {
		return true, bot.NoReply, err
	}
	return true, c.Reply("这是街道工作群，不能绑定到单位。请在单位自己的工作群里绑定。"), nil
}
