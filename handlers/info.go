package handlers

import (
	"fmt"
	"sort"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/zhfmt"
)

// 帮助, 活动 and 截止: information anyone may read.

// runHelp lists what this user can do in this chat.
func runHelp(c *Context) (bot.Reply, error) {
	officer, err := c.OfficerUnits()
	if err != nil {
		return bot.NoReply, err
	}
	office := c.Office()
	var b strings.Builder
	b.Grow(2048) // the whole answer, written in pieces (it is the commonest)
	b.WriteString("我是")
	b.WriteString(c.Campaign().Name)
	b.WriteString("的助手，可以帮你：")
	for _, cmd := range c.router.cmds {
		switch {
		case cmd.For == OfficeStaff && !office,
			cmd.For == Officers && !office && len(officer) == 0,
			cmd.Scope == ScopeGroup && !c.Group(),
			cmd.Scope == ScopeSingle && c.Group(),
			cmd.Help == "":
			continue
		}
		b.WriteString("\n· ")
		b.WriteString(cmd.Usage)
		b.WriteString(" —— ")
		b.WriteString(cmd.Help)
	}
	units, err := c.SubmitUnits()
	if err != nil {
		return bot.NoReply, err
	}
	switch {
	case c.Group() && len(units) == 0:
		b.WriteString("\n\n本群还没有绑定单位，暂时不能上报。请单位安全员或街道工作人员 @我 发送“绑定 单位名称”。")
	case c.Group():
		b.WriteString("\n\n本群对应：" + zhfmt.UnitNames(units) + "。")
		if len(units) > 1 {
			b.WriteString("上报时我会问是哪个单位。")
		}
	case len(units) > 0:
		b.WriteString("\n\n你是" + zhfmt.UnitNames(units) + "的安全员，可以在这里为单位上报。")
	default:
		b.WriteString("\n\n你目前不是任何单位的安全员：请在单位的工作群里 @我 上报；照片可以私聊发给我。")
	}
	if office {
		b.WriteString("\n你是街道工作人员，可以修改和撤回所有记录。")
	}
	b.WriteString("\n上报活动也可以直接说，例如“今天上午组织了疏散演练，80人参加”。")
	if c.Group() {
		b.WriteString("\n在群里和我说话请先 @我。")
	}
	return c.Reply(b.String()), nil
}

// runCampaign describes the campaign.
func runCampaign(c *Context) (bot.Reply, error) {
	camp := c.Campaign()
	var b strings.Builder
	b.WriteString(camp.Name)
	if camp.Occasion != "" {
		b.WriteString("\n" + camp.Occasion)
	}
	if camp.Theme != "" {
		b.WriteString("\n活动主题：" + camp.Theme)
	}
	if camp.Slogan != "" {
		b.WriteString("\n口号：" + camp.Slogan)
	}
	if !camp.Period.IsZero() {
		b.WriteString(fmt.Sprintf("\n活动时间：%s至%s", zhfmt.Date(camp.Period.Start), zhfmt.Date(camp.Period.End)))
	}
	for _, ev := range camp.Events {
		b.WriteString(fmt.Sprintf("\n%s：%s，%s", ev.Name, zhfmt.Moment(ev.Time), ev.Place))
	}
	if len(camp.Tasks) > 0 {
		b.WriteString("\n\n各单位要开展并上报：")
		for i, t := range camp.Tasks {
			b.WriteString(fmt.Sprintf("\n%d. %s（%s）", i+1, t.Name, appliesText(t.AppliesTo)))
		}
	}
	if n := camp.Nomination; n != nil {
		b.WriteString(fmt.Sprintf("\n\n“%s”推荐：%s均可，原则上从事消防公益服务%d年以上，简要事迹不超过%d字。",
			n.Title, kindsText(n.Kinds), n.MinYears, n.DeedsLimit))
	}
	for _, ct := range camp.Contacts {
		l := "\n联系人：" + ct.Name
		if ct.Role != "" {
			l += "（" + ct.Role + "）"
		}
		if ct.Phone != "" {
			l += " " + ct.Phone
		}
		if ct.Mailbox != "" {
			l += "，邮箱 " + ct.Mailbox
		}
		b.WriteString(l)
	}
	b.WriteString("\n\n发送“截止”查看截止时间，发送“进度”查看本单位完成情况。")
	return c.Reply(b.String()), nil
}

func appliesText(a campaign.AppliesTo) string {
	if len(a.Categories) > 0 {
		cs := make([]string, 0, len(a.Categories))
		for _, x := range a.Categories {
			cs = append(cs, string(x))
		}
		return strings.Join(cs, "、")
	}
	kinds := a.Kinds
	if len(kinds) == 0 {
		kinds = []campaign.Kind{campaign.KindCommunity, campaign.KindOrganisation}
	}
	ks := make([]string, 0, len(kinds))
	for _, k := range kinds {
		ks = append(ks, k.Label())
	}
	return strings.Join(ks, "、")
}

func kindsText(ks []campaign.NomineeKind) string {
	out := make([]string, 0, len(ks))
	for _, k := range ks {
		out = append(out, string(k))
	}
	return strings.Join(out, "、")
}

// runDeadlines lists every deadline with its id and a countdown, and
// points out deadlines that cover the same thing.
func runDeadlines(c *Context) (bot.Reply, error) {
	camp := c.Campaign()
	if len(camp.Deadlines) == 0 {
		return c.Reply("本次活动没有设置截止时间。"), nil
	}
	ds := append([]campaign.Deadline(nil), camp.Deadlines...)
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Time.Before(ds[j].Time) })
	var b strings.Builder
	b.WriteString(fmt.Sprintf("截止时间（现在是%s）：", zhfmt.Moment(c.Now)))
	for _, d := range ds {
		b.WriteString(fmt.Sprintf("\n· %s〔%s〕：%s，%s", d.Title, d.ID, zhfmt.Deadline(d.Time, d.DateOnly), zhfmt.Countdown(c.Now, d.Time)))
	}
	for _, w := range overlapWarnings(camp, ds) {
		b.WriteString("\n\n" + w)
	}
	return c.Reply(b.String()), nil
}

// overlapWarnings explains deadlines that cover the same thing (the
// district annex and the street notice disagree on nominations) and
// advises the earlier one.
func overlapWarnings(camp *campaign.Campaign, ds []campaign.Deadline) []string {
	byCover := map[string][]campaign.Deadline{}
	var covers []string
	for _, d := range ds {
		for _, cv := range d.Covers {
			if _, seen := byCover[cv]; !seen {
				covers = append(covers, cv)
			}
			byCover[cv] = append(byCover[cv], d)
		}
	}
	var out []string
	for _, cv := range covers {
		group := byCover[cv]
		if len(group) < 2 {
			continue
		}
		earliest := group[0] // ds is sorted by time
		if cv == campaign.CoversNomination && camp.Nomination != nil {
			if d, ok := camp.Deadline(camp.Nomination.ChasedDeadline); ok {
				earliest = d
			}
		}
		times := make([]string, 0, len(group))
		for _, d := range group {
			times = append(times, zhfmt.Deadline(d.Time, d.DateOnly)+"〔"+d.ID+"〕")
		}
		out = append(out, fmt.Sprintf("注意：%s有%d个截止时间：%s。文件要求不一致，请按较早的%s准备。",
			coverName(camp, cv), len(group), strings.Join(times, "、"), zhfmt.Deadline(earliest.Time, earliest.DateOnly)))
	}
	return out
}

func coverName(camp *campaign.Campaign, cv string) string {
	switch cv {
	case campaign.CoversNomination:
		if camp.Nomination != nil {
			return "“" + camp.Nomination.Title + "”推荐"
		}
		return "推荐"
	case campaign.CoversReport:
		return "活动信息和图文资料"
	}
	if t, ok := camp.Task(cv); ok {
		return "“" + t.Name + "”"
	}
	return cv
}
