package handlers

import (
	"fmt"
	"sort"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
)

// 进度: each applicable task of the chat's units (or, in a one-to-one chat,
// of the user's units) with done/missing, the records' ids, and what is due
// before which deadline.

func runProgress(c *Context) (bot.Reply, error) {
	units, err := c.SubmitUnits()
	if err != nil {
		return bot.NoReply, err
	}
	if len(units) == 0 {
		if c.Group() {
			return c.Reply("本群还没有绑定单位，没有进度可查。请单位安全员或街道工作人员 @我 发送“绑定 单位名称”。"), nil
		}
		return c.Reply("你目前不是任何单位的安全员，私聊里没有进度可查。请在单位的工作群里 @我 发送“进度”。"), nil
	}
	var parts []string
	for _, u := range units {
		t, err := progressText(c, u)
		if err != nil {
			return bot.NoReply, err
		}
		parts = append(parts, t)
	}
	if c.Group() && c.router.groupStatus != nil {
		if line, err := c.router.groupStatus(c.Tx, c.Msg.ChatID); err != nil {
			return bot.NoReply, err
		} else if line != "" {
			parts = append(parts, line)
		}
	}
	return c.Reply(strings.Join(parts, "\n\n")), nil
}

// progressText describes one unit's progress. It only informs the reply, so
// it reads committed state without making the unit of work conflict with
// concurrent submissions to the unit (store.ReadCommitted).
func progressText(c *Context, u campaign.Unit) (string, error) {
	camp := c.Campaign()
	p, err := ledger.Of(store.ReadCommitted(c.Tx), camp, u)
	if err != nil {
		return "", err
	}
	done, total := p.DoneCount()
	lines := []string{fmt.Sprintf("【%s】已完成 %d/%d 项", u.Name, done, total)}
	for _, ts := range p.Tasks {
		lines = append(lines, taskStatusLine(ts))
	}
	if p.NominationExpected && camp.Nomination != nil {
		if len(p.Nominations) > 0 {
			lines = append(lines, "✅ "+camp.Nomination.Title+"推荐："+recordIDs(p.Nominations))
		} else if p.NoNomination != nil {
			lines = append(lines, fmt.Sprintf("✅ %s推荐：%s（%d月%d日登记）", camp.Nomination.Title, noNominationReason, p.NoNomination.At.Month(), p.NoNomination.At.Day()))
		} else {
			l := "⬜ " + camp.Nomination.Title + "推荐：尚未推荐"
			if d, ok := camp.Deadline(camp.Nomination.ChasedDeadline); ok {
				l += fmt.Sprintf("（%s前，%s）", formatDeadline(d), ledger.Countdown(c.Now, d.Time))
			}
			lines = append(lines, l)
		}
	}
	// What is due before which deadline.
	byDeadline := map[string][]string{}
	for _, ts := range p.Missing() {
		id := ts.Task.Deadline
		if id == "" {
			id = campaign.DefaultTaskDeadline
		}
		byDeadline[id] = append(byDeadline[id], ts.Task.Name)
	}
	ids := make([]string, 0, len(byDeadline))
	for id := range byDeadline {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		d, ok := camp.Deadline(id)
		if !ok {
			continue
		}
		lines = append(lines, fmt.Sprintf("未完成的%d项须在%s前上报（%s）。", len(byDeadline[id]), formatDeadline(d), ledger.Countdown(c.Now, d.Time)))
	}
	if done == total && !p.OwesNomination() {
		lines = append(lines, "各项工作都已上报，辛苦了！")
	}
	return strings.Join(lines, "\n"), nil
}

func taskStatusLine(ts ledger.TaskStatus) string {
	switch {
	case ts.NotApplicable != nil:
		l := "➖ " + ts.Task.Name + "：不适用"
		if ts.NotApplicable.Reason != "" {
			l += "（" + ts.NotApplicable.Reason + "）"
		}
		return l
	case ts.Done():
		return "✅ " + ts.Task.Name + "：" + recordIDs(ts.Records)
	}
	l := "⬜ " + ts.Task.Name + "：未完成"
	if len(ts.Records) > 0 {
		l += fmt.Sprintf("（已报%s，还差%d次）", recordIDs(ts.Records), ts.Owed())
	} else if ts.Required > 1 {
		l += fmt.Sprintf("（需%d次）", ts.Required)
	}
	for _, r := range ts.Returned {
		l += "；" + r.ID + "被退回"
		if pay, err := ledger.DecodeConfirmation(r); err == nil && pay.ReturnReason != "" {
			l += "：" + pay.ReturnReason
		}
		l += "，请“修改 " + r.ID + "”后重新提交"
	}
	return l
}

func recordIDs(rs []*store.Record) string {
	ids := make([]string, 0, len(rs))
	for _, r := range rs {
		ids = append(ids, r.ID+lateMark(r))
	}
	return strings.Join(ids, "、")
}
