package config

import (
	"time"

	"firebot/campaign"
)

// maxOutside is how far a deadline or event may lie outside the period.
const maxOutside = 90 * 24 * time.Hour

func (d *decoder) validateCampaign(c *Config) {
	cp := &c.Campaign
	d.required("campaign.id", cp.ID, "活动编号 id（例如 2023-119）")
	d.required("campaign.name", cp.Name, "活动名称 name")
	p := cp.Period
	switch {
	case p.Start.IsZero() || p.End.IsZero():
		d.at("campaign.period", "必须填写活动期 start 和 end")
	case p.Start.After(p.End):
		d.at("campaign.period.start", "活动开始时间晚于结束时间")
	}
	if !cp.Announced.IsZero() && !p.End.IsZero() && cp.Announced.After(p.End) {
		d.at("campaign.announced", "通知发布日期晚于活动结束时间")
	}
	near := func(path string, t time.Time) {
		if p.Start.IsZero() || p.End.IsZero() || t.IsZero() {
			return
		}
		if t.Before(p.Start.Add(-maxOutside)) || t.After(p.End.Add(maxOutside)) {
			d.at(path, "时间 %s 距活动期超过 90 天，是否写错了年份？", t.Format("2006-01-02 15:04"))
		}
	}

	seen := map[string]bool{}
	for i, e := range cp.Events {
		path := index("campaign.events", i)
		d.id(path+".id", e.ID, seen, "活动")
		d.required(path+".name", e.Name, "活动名称 name")
		if e.Time.IsZero() {
			d.at(path+".time", "缺少活动时间 time")
		}
		near(path+".time", e.Time)
	}

	seen = map[string]bool{}
	titles := map[string]bool{}
	for i, dl := range cp.Deadlines {
		path := index("campaign.deadlines", i)
		d.id(path+".id", dl.ID, seen, "截止项")
		d.required(path+".title", dl.Title, "截止项标题 title")
		if titles[dl.Title] && dl.Title != "" {
			d.at(path+".title", "截止项标题 %q 重复", dl.Title)
		}
		titles[dl.Title] = true
		if dl.Time.IsZero() {
			d.at(path+".time", "缺少截止时间 time")
		}
		near(path+".time", dl.Time)
		for j, cv := range dl.Covers {
			if cv == campaign.CoversNomination || cv == campaign.CoversReport {
				continue
			}
			if _, ok := cp.Task(cv); !ok {
				d.at(index(path+".covers", j), "未知的内容 %q（可选：nomination、report 或任务 id）", cv)
			}
		}
	}

	seen = map[string]bool{}
	for i, t := range cp.Tasks {
		d.validateTask(cp, index("campaign.tasks", i), t, seen)
	}

	if n := cp.Nomination; n != nil {
		d.kinds("campaign.nomination.applies_to.kinds", n.AppliesTo.Kinds)
		d.categories("campaign.nomination.applies_to.categories", n.AppliesTo.Categories)
		if len(n.Kinds) == 0 {
			d.at("campaign.nomination.kinds", "至少填写一种推荐类别（个人、集体）")
		}
		for i, k := range n.Kinds {
			if !k.Valid() {
				d.at(index("campaign.nomination.kinds", i), "未知的推荐类别 %q（可选：个人、集体）", k)
			}
		}
		for i, s := range n.Scopes {
			d.required(index("campaign.nomination.scopes", i)+".label", s.Label, "范围简称 label")
		}
		if n.MinYears < 0 {
			d.at("campaign.nomination.min_years", "年限不能为负数")
		}
		if n.DeedsLimit < 0 {
			d.at("campaign.nomination.deeds_limit", "字数上限不能为负数")
		}
		d.deadlineRef(cp, "campaign.nomination.chased_deadline", n.ChasedDeadline)
		d.deadlineRef(cp, "campaign.nomination.late_after", n.LateAfter)
	}
	for i, ct := range cp.Contacts {
		d.required(index("campaign.contacts", i)+".name", ct.Name, "联系人姓名 name")
	}
}

func (d *decoder) deadlineRef(cp *campaign.Campaign, path, id string) {
	if id == "" {
		return
	}
	if _, ok := cp.Deadline(id); !ok {
		d.at(path, "未知的截止项 %q", id)
	}
}

func (d *decoder) validateTask(cp *campaign.Campaign, path string, t campaign.Task, seen map[string]bool) {
	d.id(path+".id", t.ID, seen, "任务")
	d.required(path+".name", t.Name, "任务名称 name")
	d.kinds(path+".applies_to.kinds", t.AppliesTo.Kinds)
	d.categories(path+".applies_to.categories", t.AppliesTo.Categories)
	if t.Required < 1 {
		d.at(path+".required", "要求次数至少为 1")
	}
	if w := t.DateWindow; !w.Start.IsZero() && !w.End.IsZero() && w.Start.After(w.End) {
		d.at(path+".date_window", "开始时间晚于结束时间")
	}
	if t.Deadline == "" {
		d.at(path+".deadline", "缺少截止项")
	} else {
		d.deadlineRef(cp, path+".deadline", t.Deadline)
	}
	for i, k := range t.Keywords {
		d.required(index(path+".keywords", i), k, "关键词")
	}
	fields := map[string]bool{}
	for i, f := range t.Fields {
		fp := index(path+".fields", i)
		d.id(fp+".id", f.ID, fields, "字段")
		d.required(fp+".name", f.Name, "字段名称 name（对话中显示，例如 人数）")
		if !f.Type.Valid() {
			d.at(fp+".type", "未知的字段类型 %q（可选：int、text、list）", f.Type)
		}
		if f.Min < 0 {
			d.at(fp+".min", "下限不能为负数")
		}
		if f.Max < 0 {
			d.at(fp+".max", "上限不能为负数（0 表示不限）")
		} else if f.Max > 0 && f.Min > f.Max {
			d.at(fp+".min", "下限 %d 大于上限 %d", f.Min, f.Max)
		}
		if f.ConfirmAbove < 0 {
			d.at(fp+".confirm_above", "不能为负数（0 表示不需确认）")
		}
	}
}

func (d *decoder) validateUnits(c *Config) {
	ids := map[string]bool{}
	names := map[string]int{}
	chats := map[string]string{} // chat id → owner path
	for i, ch := range c.Access.OfficeChats {
		path := index("access.office_chats", i)
		d.chat(path, ch, chats)
	}
	for i, u := range c.Units {
		path := index("units", i)
		d.id(path+".id", u.ID, ids, "单位")
		d.required(path+".name", u.Name, "单位名称 name")
		if j, dup := names[u.Name]; dup && u.Name != "" {
			d.at(path+".name", "单位名称 %q 与 units[%d] 重复", u.Name, j)
		} else {
			names[u.Name] = i
		}
		switch {
		case u.Kind == "":
			d.at(path+".kind", "缺少单位类型 kind（可选：%s）", joinKinds())
		case !u.Kind.Valid():
			d.at(path+".kind", "未知的单位类型 %q（可选：%s）", u.Kind, joinKinds())
		case u.Kind == campaign.KindOrganisation && u.Category == "":
			d.at(path+".category", "社会单位必须填写类别（可选：%s）", joinCategories())
		case u.Category != "" && !u.Category.Valid():
			d.at(path+".category", "未知类别 %q（可选：%s）", u.Category, joinCategories())
		case u.Kind != campaign.KindOrganisation && u.Category != "":
			d.at(path+".category", "只有社会单位（organisation）填写类别")
		}
		for j, o := range u.Officers {
			d.required(index(path+".officers", j), o, "安全员账号")
		}
		for j, ch := range u.Chats {
			d.chat(index(path+".chats", j), ch, chats)
		}
	}
	for i, u := range c.Units {
		if u.Sector == "" {
			continue
		}
		path := index("units", i) + ".sector"
		s, ok := c.Units.Unit(u.Sector)
		switch {
		case u.Kind == campaign.KindSector:
			d.at(path, "板块本身不属于其他板块")
		case !ok:
			d.at(path, "未知的板块 %q", u.Sector)
		case s.Kind != campaign.KindSector:
			d.at(path, "%q 不是板块（kind: sector）", u.Sector)
		}
	}
}

func (d *decoder) chat(path string, ch campaign.Chat, owners map[string]string) {
	if ch.ID == "" {
		d.at(path+".id", "缺少群聊 id")
		return
	}
	if prev, dup := owners[ch.ID]; dup {
		d.at(path+".id", "群聊 %q 已绑定在 %s", ch.ID, prev)
		return
	}
	owners[ch.ID] = path
}
