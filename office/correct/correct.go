package correct

import (
	"errors"
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
	"firebot/ledger"
	"firebot/office"
	"firebot/outbox"
	"firebot/store"
	"firebot/zhfmt"
)

// Corrections: 代录 (a report entered on a unit's behalf), 不适用 (a task
// that does not apply to a unit) and 退回 (a record sent back to its unit).

func (t *tools) runOnBehalf(c *handlers.Context) (bot.Reply, error) {
	arg := strings.TrimSpace(c.Args)
	if arg == "" {
		return c.Reply("请写明为哪个单位代录，例如“代录 学田湾社区”。"), nil
	}
	u, _, why, err := office.NamedUnit(c.Tx, arg)
	if err != nil {
		return bot.NoReply, err
	}
	if why != "" {
		return c.Reply(why), nil
	}
	if len(c.Campaign().TasksFor(u)) == 0 {
		return c.Reply(u.Name + "没有需要上报的项目，不需要代录。"), nil
	}
	return c.StartConfirmationFor(u, "代录：为"+u.Name+"录入一条上报（例如邮件或纸质报送的活动），记录会注明由你代录。")
}

// Words that, in place of a reason, lift a 不适用 mark.
var liftWords = []string{"撤销", "恢复", "取消标记"}

func (t *tools) runNA(c *handlers.Context) (bot.Reply, error) {
	usage := "用法：不适用 单位名 任务名或编号 原因，例如“不适用 示例实验小学 宣传氛围营造 校内不具备条件”。任务编号见“统计 单位名”。"
	roster, err := store.Roster(c.Tx)
	if err != nil {
		return bot.NoReply, err
	}
	if strings.TrimSpace(c.Args) == "" {
		return c.Reply(usage), nil
	}
	u, cands, rest, ok := office.SplitUnitArgs(roster, c.Args)
	if !ok {
		w, _ := textparse.CutWord(c.Args)
		return c.Reply(office.UnknownUnit(w, cands) + "\n" + usage), nil
	}
	camp := c.Campaign()
	taskWord, reason := textparse.CutWord(rest)
	if taskWord == "" {
		return c.Reply("请写明哪项任务不适用于" + u.Name + "：" + taskList(camp, u) + "\n" + usage), nil
	}
	task, ok := office.FindTask(camp, u, taskWord)
	if !ok {
		return c.Reply("没有找到" + u.Name + "的任务“" + office.ClipRunes(taskWord, 20) + "”。" + u.Name + "的任务：" + taskList(camp, u)), nil
	}
	marks, err := ledger.NotApplicableOf(c.Tx, camp.ID, u.ID)
	if err != nil {
		return bot.NoReply, err
	}
	if reason = strings.TrimSpace(reason); containsWord(liftWords, reason) {
		if _, marked := marks[task.ID]; !marked {
			return c.Reply("“" + task.Name + "”本来就没有标记为不适用于" + u.Name + "。"), nil
		}
		if err := ledger.ClearNotApplicable(c.Tx, camp.ID, u.ID, task.ID); err != nil {
			return bot.NoReply, err
		}
		if err := c.Audit("not_applicable_lift", u.ID+"/"+task.ID, true, ""); err != nil {
			return bot.NoReply, err
		}
		return t.naReply(c, u, "已撤销“"+task.Name+"”对"+u.Name+"的不适用标记，这项工作重新计入应完成。")
	}
	if m, marked := marks[task.ID]; marked {
		return c.Reply("“" + task.Name + "”已经标记为不适用于" + u.Name + "（原因：" + office.Neutralize(m.Reason) + "）。如需撤销，请发送“不适用 " + u.Name + " " + task.Name + " 撤销”。"), nil
	}
	if reason == "" {
		return c.AskQuestion(office.QNAReason, "请说明“"+task.Name+"”为什么不适用于"+u.Name+"（会记录在案并出现在导出的汇总表中）：",
			map[string]string{"unit": u.ID, "task": task.ID})
	}
	return t.markNA(c, u, task, reason)
}

func containsWord(words []string, s string) bool {
	for _, w := range words {
		if s == w {
			return true
		}
	}
	return false
}

func (t *tools) answerNAReason(c *handlers.Context, vals map[string]string, reason string) (bot.Reply, error) {
	u, err := store.GetUnit(c.Tx, vals["unit"])
	if errors.Is(err, store.ErrNotFound) {
		return c.Reply("这个单位已经不在名单中，没有标记。"), nil
	}
	if err != nil {
		return bot.NoReply, err
	}
	task, ok := c.Campaign().Task(vals["task"])
	if !ok || !task.AppliesToUnit(u) {
		return c.Reply("这项任务已经不适用于该单位的配置，没有标记。"), nil
	}
	return t.markNA(c, u, task, reason)
}

func (t *tools) markNA(c *handlers.Context, u campaign.Unit, task campaign.Task, reason string) (bot.Reply, error) {
	na := ledger.NotApplicable{TaskID: task.ID, Reason: reason, By: c.Msg.SenderID, At: c.Now}
	if err := ledger.MarkNotApplicable(c.Tx, c.Campaign().ID, u.ID, na); err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit("not_applicable", u.ID+"/"+task.ID, true, office.ClipRunes(reason, 60)); err != nil {
		return bot.NoReply, err
	}
	return t.naReply(c, u, "已标记“"+task.Name+"”不适用于"+u.Name+"，原因："+office.Neutralize(reason)+"。这项工作不再算作未完成，也不再催报。")
}

func (t *tools) naReply(c *handlers.Context, u campaign.Unit, msg string) (bot.Reply, error) {
	prog, err := c.ProgressText(u)
	if err != nil {
		return bot.NoReply, err
	}
	return c.Reply(msg + "\n\n" + prog), nil
}

// taskList numbers a unit's tasks: "1 主题宣传活动；2 疏散演练…".
func taskList(camp *campaign.Campaign, u campaign.Unit) string {
	var parts []string
	for i, t := range camp.TasksFor(u) {
		parts = append(parts, fmt.Sprintf("%d %s", i+1, t.Name))
	}
	if len(parts) == 0 {
		return "（没有任务）"
	}
	return strings.Join(parts, "；")
}

// runReturn is 退回 <编号> <原因>.
func (t *tools) runReturn(c *handlers.Context) (bot.Reply, error) {
	w, reason := textparse.CutWord(office.RawArgs(c))
	if w == "" {
		return c.Reply("用法：退回 编号 原因，例如“退回 HD-0003 照片看不清，请补充清晰照片”。"), nil
	}
	r, refusal, err := returnable(c, w)
	if err != nil || refusal != "" {
		return c.Reply(refusal), err
	}
	if reason = strings.TrimSpace(reason); reason == "" {
		return c.AskQuestion(office.QReturnReason, "请说明退回 "+r.ID+"（"+describeRecord(c, r)+"）的原因，会告诉报送人和单位的群：",
			map[string]string{"record": r.ID})
	}
	return t.previewReturn(c, r, reason)
}

func (t *tools) answerReturnReason(c *handlers.Context, vals map[string]string, reason string) (bot.Reply, error) {
	r, refusal, err := returnable(c, vals["record"])
	if err != nil || refusal != "" {
		return c.Reply(refusal), err
	}
	return t.previewReturn(c, r, reason)
}

// previewReturn shows what 退回 will do (the record, the reason, who is
// told) and waits for 确认: the reason is read by the unit's colleagues.
func (t *tools) previewReturn(c *handlers.Context, r *store.Record, reason string) (bot.Reply, error) {
	what := describeRecord(c, r)
	var told []string
	if r.ReporterID != "" && r.ReporterID != c.Msg.SenderID {
		told = append(told, "报送人（应用消息）")
	}
	chats, err := store.ChatsOfUnit(c.Tx, r.UnitID)
	if err != nil {
		return bot.NoReply, err
	}
	if len(chats) > 0 {
		told = append(told, fmt.Sprintf("单位的%d个群", len(chats)))
	}
	if len(told) == 0 {
		told = append(told, "没有可通知的报送人或群")
	}
	body := "记录：" + r.ID + "（" + office.Neutralize(what) + "）\n原因：" + office.Neutralize(reason) + "\n将通知：" + strings.Join(told, "、") +
		"\n退回后，这条记录在单位修改并重新提交前算作未完成。"
	digest := "退回 " + r.ID + "，原因：" + office.Preview(reason, 20)
	return office.AskPreview(c, qReturnConfirm, "退回预览", body, digest, map[string]string{"record": r.ID, "reason": reason})
}

func (t *tools) confirmReturn(c *handlers.Context, vals map[string]string, _ string) (bot.Reply, error) {
	r, refusal, err := returnable(c, vals["record"])
	if err != nil || refusal != "" {
		return c.Reply(refusal + "没有退回。"), err
	}
	return t.returnRecord(c, r, vals["reason"])
}

// returnable loads the record a 退回 names, or says why it cannot be
// returned.
func returnable(c *handlers.Context, typed string) (*store.Record, string, error) {
	id, err := store.NormalizeID(typed)
	if err != nil {
		return nil, "“" + office.ClipRunes(typed, 20) + "”不是记录编号。编号形如 HD-0003（上报）或 TJ-0001（推荐）。", nil
	}
	r, err := store.GetRecord(c.Tx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && r.CampaignID != c.Campaign().ID {
		return nil, "没有找到记录 " + id + "。", nil
	}
	if err != nil {
		return nil, "", err
	}
	switch {
	case r.Kind != store.KindConfirmation && r.Kind != store.KindNomination:
		return nil, id + " 不是上报或推荐记录，不能退回。", nil
	case r.Status == store.StatusWithdrawn:
		return nil, id + " 已经撤回，不需要退回。", nil
	case r.Status == store.StatusReturned:
		return nil, id + " 已经退回过了，正在等单位修改后重新提交。", nil
	}
	return r, "", nil
}

// returnRecord marks r returned with reason and tells its reporter (an
// application message) and its unit's groups why; the record counts as
// missing until it is resubmitted with 修改.
func (t *tools) returnRecord(c *handlers.Context, r *store.Record, reason string) (bot.Reply, error) {
	what := describeRecord(c, r)
	switch r.Kind {
	case store.KindConfirmation:
		pay, err := ledger.DecodeConfirmation(r)
		if err != nil {
			return bot.NoReply, err
		}
		pay.Return(reason, c.Msg.SenderID)
		if err := ledger.Encode(r, pay); err != nil {
			return bot.NoReply, err
		}
	case store.KindNomination:
		pay, err := ledger.DecodeNomination(r)
		if err != nil {
			return bot.NoReply, err
		}
		pay.Return(reason, c.Msg.SenderID)
		if err := ledger.Encode(r, pay); err != nil {
			return bot.NoReply, err
		}
	}
	r.Status, r.UpdatedAt = store.StatusReturned, c.Now
	if err := store.PutRecord(c.Tx, r); err != nil {
		return bot.NoReply, err
	}
	source := outbox.Key("return", r.ID)
	told := []string{}
	if r.ReporterID != "" && r.ReporterID != c.Msg.SenderID {
		msg := "你报送的 " + r.ID + "（" + office.Safe(what) + "）被街道退回，原因：" + office.Safe(reason) +
			"。\n请发送“修改 " + r.ID + "”修改后重新提交；重新提交前，这项工作算作未完成。"
		if err := outbox.UserText(c.Tx, outbox.Key(source, "user", c.Msg.DedupeKey), source, []string{r.ReporterID}, msg); err != nil {
			return bot.NoReply, err
		}
		told = append(told, "报送人（应用消息）")
	}
	chats, err := store.ChatsOfUnit(c.Tx, r.UnitID)
	if err != nil {
		return bot.NoReply, err
	}
	var mentions []string
	if r.ReporterID != "" {
		mentions = []string{r.ReporterID}
	}
	for _, ch := range chats {
		msg := "【退回】" + r.ID + "（" + what + "）被街道退回，原因：" + reason +
			"\n请报送人或单位安全员 @我 发送“修改 " + r.ID + "”，修改后重新提交。"
		if err := outbox.GroupText(c.Tx, outbox.Key(source, "chat", ch, c.Msg.DedupeKey), source, ch, msg, mentions); err != nil {
			return bot.NoReply, err
		}
	}
	if len(chats) > 0 {
		told = append(told, fmt.Sprintf("单位的%d个群", len(chats)))
	}
	if err := c.Audit("return", r.ID, true, office.ClipRunes(reason, 60)); err != nil {
		return bot.NoReply, err
	}
	msg := "已退回 " + r.ID + "（" + what + "），原因：" + office.Neutralize(reason) + "。"
	if len(told) > 0 {
		msg += "已通知" + strings.Join(told, "和") + "。"
	} else {
		msg += "这条记录没有可通知的报送人或群，请另行告知单位。"
	}
	msg += "修改后重新提交前，这条记录算作未完成。"
	return c.Reply(msg), nil
}

// describeRecord is "学田湾社区 · 疏散演练 · 2023-11-03" or
// "学田湾社区 · 推荐 张三（个人）".
func describeRecord(c *handlers.Context, r *store.Record) string {
	parts := []string{r.UnitID}
	if u, err := store.GetUnit(c.Tx, r.UnitID); err == nil {
		parts[0] = u.Name
	}
	switch r.Kind {
	case store.KindConfirmation:
		pay, _ := ledger.DecodeConfirmation(r)
		name := r.TaskID
		if t, ok := c.Campaign().Task(r.TaskID); ok {
			name = t.Name
		}
		parts = append(parts, name, zhfmt.StoredDate(pay.Date))
	case store.KindNomination:
		pay, _ := ledger.DecodeNomination(r)
		parts = append(parts, "推荐 "+pay.Name+"（"+pay.NomineeKind+"）")
	}
	return strings.Join(parts, " · ")
}
