package office

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/config"
	"firebot/handlers"
	"firebot/ledger"
	"firebot/outbox"
	"firebot/store"
)

// Chaser sends the targeted reminder for one deadline now (催报).
type Chaser interface {
	// Chase addresses, inside tx, every unit that still owes something
	// due by deadline d, as a reminder counting from d would. round
	// numbers the chases of d on now's day (1, 2…) so each has its own
	// exactly-once bookkeeping and idempotency keys. now is the campaign
	// time.
	Chase(tx store.Tx, cfg *config.Config, d campaign.Deadline, now time.Time, round int) (ChaseResult, error)
}

// ChaseResult says whom a chase addressed.
type ChaseResult struct {
	Units  []string // unit ids addressed
	Groups int      // group pushes
	Direct int      // units without a group, reached by application message
}

// bChaseLog: campaign, deadline, day → chaseLog (the chases of one day).
const bChaseLog = "office_chase"

type chaseLog struct {
	Rounds int       `json:"rounds"`
	Last   time.Time `json:"last"` // campaign clock
	By     string    `json:"by"`
}

func chaseLogKey(campaignID, deadlineID string, now time.Time) string {
	return joinKey(campaignID, deadlineID, now.Format("2006-01-02"))
}

// findDeadline finds a deadline by id or title (exactly, then by a part of
// the title); "" means the nearest deadline not yet passed.
func findDeadline(c *campaign.Campaign, arg string, now time.Time) (campaign.Deadline, string) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		var best *campaign.Deadline
		for i, d := range c.Deadlines {
			if d.Time.After(now) && (best == nil || d.Time.Before(best.Time)) {
				best = &c.Deadlines[i]
			}
		}
		if best == nil {
			return campaign.Deadline{}, "所有截止时间都已经过了。如需继续催报，请写明截止项，例如“催报 " + deadlineHint(c) + "”。"
		}
		return *best, ""
	}
	if d, ok := c.Deadline(arg); ok {
		return d, ""
	}
	if d, ok := c.DeadlineByTitle(arg); ok {
		return d, ""
	}
	var found []campaign.Deadline
	for _, d := range c.Deadlines {
		if strings.Contains(d.Title, arg) {
			found = append(found, d)
		}
	}
	if len(found) == 1 {
		return found[0], ""
	}
	return campaign.Deadline{}, "没有找到截止项“" + clipRunes(arg, 20) + "”。可以写：" + deadlineHint(c) + "。"
}

func deadlineHint(c *campaign.Campaign) string {
	var out []string
	for _, d := range c.Deadlines {
		out = append(out, d.ID+"（"+d.Title+"）")
	}
	return strings.Join(out, "、")
}

// runChase is 催报 [截止]: the targeted reminder for a deadline, now. A
// second chase of the same deadline on the same day asks first.
func (t *tools) runChase(c *handlers.Context) (bot.Reply, error) {
	camp := c.Campaign()
	d, refusal := findDeadline(camp, c.Args, c.Now)
	if refusal != "" {
		return c.Reply(refusal), nil
	}
	var log chaseLog
	err := store.GetJSON(c.Tx, bChaseLog, chaseLogKey(camp.ID, d.ID, c.Now), &log)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return bot.NoReply, err
	}
	if log.Rounds > 0 {
		prompt := fmt.Sprintf("今天已经催报过“%s”%d次（上次 %s，%s）。确定再催一次吗？", d.Title, log.Rounds, formatMoment(log.Last), log.By)
		return c.AskQuestion(qChase, prompt, map[string]string{"deadline": d.ID})
	}
	return t.chase(c, d)
}

func (t *tools) confirmChase(c *handlers.Context, vals map[string]string, _ string) (bot.Reply, error) {
	d, ok := c.Campaign().Deadline(vals["deadline"])
	if !ok {
		return c.Reply("这个截止项已经不在配置中，没有催报。"), nil
	}
	return t.chase(c, d)
}

func (t *tools) chase(c *handlers.Context, d campaign.Deadline) (bot.Reply, error) {
	camp := c.Campaign()
	key := chaseLogKey(camp.ID, d.ID, c.Now)
	var log chaseLog
	if err := store.GetJSON(c.Tx, bChaseLog, key, &log); err != nil && !errors.Is(err, store.ErrNotFound) {
		return bot.NoReply, err
	}
	round := log.Rounds + 1
	res, err := t.d.Chaser.Chase(c.Tx, c.Config, d, c.Now, round)
	if err != nil {
		return bot.NoReply, err
	}
	when := formatDeadlineTime(d.Time, d.DateOnly) + "，" + ledger.Countdown(c.Now, d.Time)
	if len(res.Units) == 0 {
		if err := c.Audit("chase", d.ID, true, "没有需要提醒的单位"); err != nil {
			return bot.NoReply, err
		}
		return c.Reply("“" + d.Title + "”（" + when + "）没有需要催报的单位：应报的都已报齐。"), nil
	}
	log = chaseLog{Rounds: round, Last: c.Now, By: c.Msg.SenderID}
	if err := store.PutJSON(c.Tx, bChaseLog, key, log); err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit("chase", d.ID, true, fmt.Sprintf("第%d次，%d个单位", round, len(res.Units))); err != nil {
		return bot.NoReply, err
	}
	msg := fmt.Sprintf("已催报“%s”（%s）：提醒了%d个单位，发送到%d个群", d.Title, when, len(res.Units), res.Groups)
	if res.Direct > 0 {
		msg += fmt.Sprintf("；另有%d个单位没有绑定群，已用应用消息提醒其安全员", res.Direct)
	}
	return c.Reply(msg + "。发送“统计”查看各单位进度。"), nil
}

// BuiltinChaser is 催报's own targeting, used until the scheduler offers
// its own: every unit owing a task due by the deadline (or a nomination,
// when the deadline covers nominations) is addressed; each group bound to
// such units gets one message naming them and what they owe, mentioning
// their officers; a unit without a group gets an application message to
// its officers. Keys: "chase:<deadline>:<day>:<round>:chat:<id>" and
// "…:unit:<id>". 免打扰 does not apply: it pauses scheduled reminders, and a
// chase is the office asking now.
type BuiltinChaser struct{}

// Chase implements Chaser.
func (BuiltinChaser) Chase(tx store.Tx, cfg *config.Config, d campaign.Deadline, now time.Time, round int) (ChaseResult, error) {
	camp := &cfg.Campaign
	roster, err := store.Roster(tx)
	if err != nil {
		return ChaseResult{}, err
	}
	type owing struct {
		unit campaign.Unit
		what string
	}
	byChat := map[string][]owing{}
	var chats []string
	var res ChaseResult
	source := "chase:" + d.ID + ":" + now.Format("2006-01-02") + ":" + strconv.Itoa(round)
	head := fmt.Sprintf("【催报】%s：%s截止（%s）", d.Title, formatDeadlineTime(d.Time, d.DateOnly), ledger.Countdown(now, d.Time))
	for _, u := range roster {
		p, err := ledger.Of(tx, camp, u)
		if err != nil {
			return ChaseResult{}, err
		}
		what := owedText(camp, d, p)
		if what == "" {
			continue
		}
		res.Units = append(res.Units, u.ID)
		cs, err := store.ChatsOfUnit(tx, u.ID)
		if err != nil {
			return ChaseResult{}, err
		}
		if len(cs) == 0 {
			if len(u.Officers) == 0 {
				continue
			}
			res.Direct++
			text := head + "\n" + u.Name + "：" + what + "\n请在单位的工作群里 @我 上报，或私聊我发送“上报”；发送“进度”查看详情。"
			if err := outbox.UserText(tx, source+":unit:"+u.ID, source, u.Officers, text); err != nil {
				return ChaseResult{}, err
			}
			continue
		}
		for _, ch := range cs {
			if _, ok := byChat[ch]; !ok {
				chats = append(chats, ch)
			}
			byChat[ch] = append(byChat[ch], owing{u, what})
		}
	}
	for _, ch := range chats {
		var b strings.Builder
		b.WriteString(head)
		var mentions []string
		for _, o := range byChat[ch] {
			b.WriteString("\n· " + o.unit.Name + "：" + o.what)
			for _, id := range o.unit.Officers {
				if !slices.Contains(mentions, id) {
					mentions = append(mentions, id)
				}
			}
		}
		b.WriteString("\n请尽快 @我 发送“上报”完成；发送“进度”查看详情。")
		if err := outbox.GroupText(tx, source+":chat:"+ch, source, ch, b.String(), mentions); err != nil {
			return ChaseResult{}, err
		}
		res.Groups++
	}
	return res, nil
}

// owedText says what a unit owes for deadline d, or "".
func owedText(camp *campaign.Campaign, d campaign.Deadline, p ledger.UnitProgress) string {
	var parts []string
	if d.CoversNomination() && p.OwesNomination() {
		parts = append(parts, "尚未推荐志愿者")
	}
	var names []string
	for _, ts := range p.Missing() {
		if !coversTask(d, ts.Task) {
			continue
		}
		name := ts.Task.Name
		switch {
		case len(ts.Returned) > 0 && len(ts.Records) == 0:
			name += "（已退回，待修改后重新提交）"
		case ts.Required > 1:
			name += fmt.Sprintf("（还差%d次）", ts.Owed())
		}
		names = append(names, name)
	}
	if len(names) > 0 {
		parts = append(parts, "尚未上报："+strings.Join(names, "、"))
	}
	return strings.Join(parts, "；")
}

func coversTask(d campaign.Deadline, t campaign.Task) bool {
	return slices.Contains(d.Covers, t.ID) || t.Deadline == d.ID ||
		t.Deadline == "" && d.ID == campaign.DefaultTaskDeadline
}
