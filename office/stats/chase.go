package stats

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
	"firebot/office"
	"firebot/store"
	"firebot/zhfmt"
)

// bChaseLog: campaign, deadline, day → chaseLog (the chases of one day).
const bChaseLog = "office_chase"

type chaseLog struct {
	Rounds int       `json:"rounds"`
	Last   time.Time `json:"last"` // campaign clock
	By     string    `json:"by"`
}

func chaseLogKey(campaignID, deadlineID string, now time.Time) string {
	return store.JoinKey(campaignID, deadlineID, now.Format("2006-01-02"))
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
	return campaign.Deadline{}, "没有找到截止项“" + office.ClipRunes(arg, 20) + "”。可以写：" + deadlineHint(c) + "。"
}

func deadlineHint(c *campaign.Campaign) string {
	var out []string
	for _, d := range c.Deadlines {
		out = append(out, d.ID+"（"+d.Title+"）")
	}
	return strings.Join(out, "、")
}

// parseChase reads 催报's arguments: scope words as 广播 reads them
// (whole names joined by 、，, 和 or spaces), then the deadline. A word
// that names no deadline but looks like a scope is unknown.
func parseChase(args string, roster campaign.Roster, camp *campaign.Campaign) (sc office.Scope, names, rest, unknown string, closest []string) {
	all := office.ScopeNames(roster)
	var found []office.ScopeName
	rest = strings.TrimSpace(args)
	for {
		w, after := textparse.CutWord(rest)
		if w == "" {
			break
		}
		f, bad, ok := office.ScopeWord(w, all)
		if ok {
			found, rest = append(found, f...), after
			continue
		}
		if _, isDeadline := camp.Deadline(w); !isDeadline {
			if _, isDeadline = camp.DeadlineByTitle(w); !isDeadline {
				if u := office.UnknownScope(w, bad, all); u != "" {
					return office.Scope{}, "", "", u, office.ClosestScopes(u, all)
				}
			}
		}
		break
	}
	return office.ResolveScope(found, roster), office.ScopeLabels(found), rest, "", nil
}

// runChase is 催报 [范围] [截止]: the targeted reminder for a deadline,
// now, to every unit owing something or to those of the scope. A second
// chase of the same deadline on the same day is a preview first.
func (t *tools) runChase(c *handlers.Context) (bot.Reply, error) {
	camp := c.Campaign()
	roster, err := store.Roster(c.Tx)
	if err != nil {
		return bot.NoReply, err
	}
	_, names, rest, unknown, closest := parseChase(c.Args, roster, camp)
	if unknown != "" {
		return c.Reply("没有找到范围“" + office.Preview(unknown, 20) + "”，没有催报。最接近的范围：" + strings.Join(closest, "、") + "。\n" + office.ScopeHelp), nil
	}
	d, refusal := findDeadline(camp, rest, c.Now)
	if refusal != "" {
		return c.Reply(refusal), nil
	}
	vals := map[string]string{"deadline": d.ID, "scope": names}
	var log chaseLog
	err = store.GetJSON(c.Tx, bChaseLog, chaseLogKey(camp.ID, d.ID, c.Now), &log)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return bot.NoReply, err
	}
	if log.Rounds > 0 {
		body := fmt.Sprintf("今天已经催报过“%s”%d次（上次 %s，%s）。确定再催一次吗？", d.Title, log.Rounds, zhfmt.Moment(log.Last), log.By)
		digest := fmt.Sprintf("催报“%s”（今天第%d次）", d.Title, log.Rounds+1)
		if names != "" {
			body += "\n范围：" + office.Neutralize(names)
			digest += "，范围 " + office.Neutralize(names)
		}
		return office.AskPreview(c, qChase, "催报预览", body, digest, vals)
	}
	return t.chase(c, d, names)
}

func (t *tools) confirmChase(c *handlers.Context, vals map[string]string, _ string) (bot.Reply, error) {
	d, ok := c.Campaign().Deadline(vals["deadline"])
	if !ok {
		return c.Reply("这个截止项已经不在配置中，没有催报。"), nil
	}
	return t.chase(c, d, vals["scope"])
}

// chase sends the reminder for d to the units of the scope names ("":
// every unit).
func (t *tools) chase(c *handlers.Context, d campaign.Deadline, names string) (bot.Reply, error) {
	camp := c.Campaign()
	var units []string
	if names != "" {
		roster, err := store.Roster(c.Tx)
		if err != nil {
			return bot.NoReply, err
		}
		sc, ok := office.ParseScopeNames(names, roster)
		if !ok {
			return c.Reply("范围“" + office.Preview(names, 40) + "”已经不在名单中，没有催报。"), nil
		}
		if len(sc.Units) == 0 {
			return c.Reply("范围“" + office.Preview(names, 40) + "”内没有单位，没有催报。"), nil
		}
		for _, u := range sc.Units {
			units = append(units, u.ID)
		}
	}
	key := chaseLogKey(camp.ID, d.ID, c.Now)
	var log chaseLog
	if err := store.GetJSON(c.Tx, bChaseLog, key, &log); err != nil && !errors.Is(err, store.ErrNotFound) {
		return bot.NoReply, err
	}
	round := log.Rounds + 1
	res, err := t.Options().Chaser.Chase(c.Tx, c.Config, d, c.Now, round, units)
	if err != nil {
		return bot.NoReply, err
	}
	when := zhfmt.Deadline(d.Time, d.DateOnly) + "，" + zhfmt.Countdown(c.Now, d.Time)
	if names != "" {
		when += "，范围 " + office.Neutralize(names)
	}
	if len(res.Units) == 0 {
		if err := c.AuditAllowed("chase", d.ID, "没有需要提醒的单位"); err != nil {
			return bot.NoReply, err
		}
		return c.Reply("“" + d.Title + "”（" + when + "）没有需要催报的单位：应报的都已报齐。"), nil
	}
	log = chaseLog{Rounds: round, Last: c.Now, By: c.Msg.SenderID}
	if err := store.PutJSON(c.Tx, bChaseLog, key, log); err != nil {
		return bot.NoReply, err
	}
	if err := c.AuditAllowed("chase", d.ID, fmt.Sprintf("第%d次，%d个单位", round, len(res.Units))); err != nil {
		return bot.NoReply, err
	}
	msg := fmt.Sprintf("已催报“%s”（%s）：提醒了%d个单位，发送到%d个群", d.Title, when, len(res.Units), res.Groups)
	if res.Direct > 0 {
		msg += fmt.Sprintf("；另有%d个单位没有绑定群，已用应用消息提醒其安全员", res.Direct)
	}
	return c.Reply(msg + "。发送“统计”查看各单位进度。"), nil
}
