package scheduler

import (
	"strconv"
	"strings"
	"time"

	"firebot/textsafe"
	"firebot/zhfmt"
)

// message is a reminder before rendering: a group gets it as markdown, an
// officer as plain text.
type message struct {
	title   string
	notes   []string // lines under the title (补发 note, deadline, place…)
	items   []item   // one per addressed unit
	footer  string
	section []section // digest sections
}

type item struct{ name, text string }

type section struct {
	title string
	lines []string
}

func (m message) markdown() string {
	var b strings.Builder
	b.WriteString("**" + m.title + "**\n")
	for _, n := range m.notes {
		b.WriteString(n + "\n")
	}
	for _, it := range m.items {
		b.WriteString("> **" + textsafe.Neutralize(it.name) + "**：" + it.text + "\n") // names come from the imported roster
	}
	for _, s := range m.section {
		b.WriteString("**" + s.title + "**\n")
		for _, l := range s.lines {
			b.WriteString("> " + l + "\n")
		}
	}
	if m.footer != "" {
		b.WriteString(m.footer + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (m message) text() string {
	var b strings.Builder
	b.WriteString("【" + m.title + "】\n")
	for _, n := range m.notes {
		b.WriteString(stripMarkup(n) + "\n")
	}
	for _, it := range m.items {
		b.WriteString(it.name + "：" + it.text + "\n")
	}
	for _, s := range m.section {
		b.WriteString(s.title + "\n")
		for _, l := range s.lines {
			b.WriteString("  " + l + "\n")
		}
	}
	if m.footer != "" {
		b.WriteString(m.footer + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// stripMarkup removes the <font> tags notes may carry.
func stripMarkup(s string) string {
	for {
		i := strings.Index(s, "<font")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], ">")
		if j < 0 {
			break
		}
		s = s[:i] + s[i+j+1:]
	}
	return strings.ReplaceAll(s, "</font>", "")
}

func warn(s string) string { return `<font color="warning">` + s + `</font>` }

// title is the plan's title, or its deadline's or event's name.
func (p *plan) title() string {
	switch {
	case p.cfg.Title != "":
		return p.cfg.Title
	case p.anchor.deadline != nil:
		return p.anchor.deadline.Title
	case p.anchor.event != nil:
		return p.anchor.event.Name
	}
	return "消防宣传月提醒"
}

// message builds the reminder of fire f about entries, speaking at now.
func (v *view) message(p *plan, f Fire, entries []entry, now time.Time) message {
	m := message{title: p.title()}
	if f.Late {
		m.title = "【补发】" + m.title
		m.notes = append(m.notes, "（原定 "+zhfmt.MomentWeekday(f.Due())+" 发送，因服务中断补发）")
	}
	switch {
	case p.anchor.deadline != nil:
		d := p.anchor.deadline
		when := zhfmt.DeadlineWeekday(d.Time, d.DateOnly)
		if d.DateOnly {
			when += "当天"
		}
		left := zhfmt.Countdown(now, d.Time)
		if sameDay(now, d.Time) {
			left = warn("今天截止，" + left)
		}
		m.notes = append(m.notes, d.Title+"："+when+"（"+left+"）")
	case p.anchor.event != nil:
		e := p.anchor.event
		m.notes = append(m.notes,
			"活动："+e.Name,
			"时间："+zhfmt.MomentWeekday(e.Time)+"（"+zhfmt.Countdown(now, e.Time)+"）")
		if e.Place != "" {
			m.notes = append(m.notes, "地点："+e.Place)
		}
	}
	for _, e := range entries {
		if text := e.owed.text(); text != "" {
			m.items = append(m.items, item{name: e.unit.Name, text: text})
		}
	}
	m.footer = v.footer(p)
	return m
}

// footer tells what to do next and whom to call.
func (v *view) footer(p *plan) string {
	s := "发送“进度”查看详情"
	if p.anchor.event != nil {
		s = "请各单位安全员准时参加"
	}
	if cs := v.cfg.Campaign.Contacts; len(cs) > 0 && cs[0].Name != "" {
		c := cs[0]
		s += "；如有疑问请联系" + c.Name
		if c.Phone != "" {
			s += "（" + c.Phone + "）"
		}
	}
	return s + "。"
}

func sameDay(a, b time.Time) bool {
	b = b.In(a.Location())
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func itoa(n int) string { return strconv.Itoa(n) }
