package handlers

import (
	"strings"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers/textparse"
)

// 上报 and 推荐 start their dialogs; a report told in free text ("今天上午
// 我们社区组织了疏散演练，80人参加") starts the confirmation dialog with
// what it says already filled in.

func runReport(c *Context) (bot.Reply, error) {
	return startConfirmation(c, c.Args)
}

func runShortcut(c *Context) (bot.Reply, error) {
	return startConfirmation(c, c.Args)
}

// reportUnits are the units the sender may report tasks for here.
func reportUnits(c *Context) ([]campaign.Unit, error) {
	units, err := c.SubmitUnits()
	if err != nil {
		return nil, err
	}
	var out []campaign.Unit
	for _, u := range units {
		if len(c.Campaign().TasksFor(u)) > 0 {
			out = append(out, u)
		}
	}
	return out, nil
}

// startConfirmation opens the confirmation dialog, pre-filled from text.
func startConfirmation(c *Context, text string) (bot.Reply, error) {
	units, err := reportUnits(c)
	if err != nil {
		return bot.NoReply, err
	}
	if len(units) == 0 {
		return c.Reply("这里对应的单位（" + unitNamesOr(c) + "）没有需要上报的项目。"), nil
	}
	s := State{Values: map[string]string{}, Done: map[string]bool{}}
	for _, u := range units {
		s.Units = append(s.Units, u.ID)
	}
	fr := parseFreeReport(c.Campaign(), text, c.Today())
	if fr.HasTask {
		// Keep only the units the task applies to, when that decides.
		var fit []campaign.Unit
		for _, u := range units {
			if t, ok := taskByKeyword(c.Campaign().TasksFor(u), text); ok && t.ID == fr.Task.ID {
				fit = append(fit, u)
			}
		}
		if len(fit) == 1 && len(units) > 1 {
			units = fit
		}
	}
	if len(units) == 1 {
		s.set("unit", units[0].ID)
		s.Done["unit"] = true
	}
	if len(c.Msg.Images) > 0 && c.ImagesArrive() {
		names, _, err := c.savePending()
		if err != nil {
			return bot.NoReply, err
		}
		s.Photos = names
		c.imagesUsed = true
	}
	note := "好的，开始上报。"
	if !fr.any() {
		return c.startFlow(flowConfirm, s, note+"几步就好，随时可以回复“返回”修改上一步。")
	}
	// Pre-fill, then ask only what is missing: optional steps are left for
	// the summary.
	e, err := c.env(s)
	if err != nil {
		return bot.NoReply, err
	}
	var got []string
	dateNote := "" // why a date said was not taken (late.go)
	if fr.HasCount {
		s.set("hint.count", itoa(fr.Count))
	}
	if _, ok := e.unit(s.get("unit")); !ok && fr.HasTask {
		s.set("hint.text", text)
	}
	if u, ok := e.unit(s.get("unit")); ok && fr.HasTask {
		if t, ok := taskByKeyword(c.Campaign().TasksFor(u), text); ok {
			setTask(e, &s, t)
			s.Done["task"] = true
			got = append(got, "项目"+quoted(t.Name))
		}
	}
	if fr.HasDate {
		v := fr.Date.Format(dayLayout)
		t, hasTask := currentTask(e, &s)
		switch why := dateRefusal(e, t, hasTask, fr.Date); {
		case why != "":
			dateNote = why
		default:
			s.set("date", v)
			s.Done["date"] = true
			got = append(got, "日期 "+shortDay(v))
		}
	}
	if t, ok := currentTask(e, &s); ok {
		for _, fd := range t.Fields {
			if v := s.get("f." + fd.ID); v != "" {
				got = append(got, fd.Name+" "+v)
			}
		}
	}
	for _, id := range []string{"place", "desc", "photos"} {
		s.Done[id] = true
	}
	if len(got) > 0 {
		note = "收到，我来帮你上报。已识别：" + strings.Join(got, "，") + "。"
	}
	return c.startFlow(flowConfirm, s, joinLines(note, dateNote))
}

func unitNamesOr(c *Context) string {
	us, err := c.SubmitUnits()
	if err != nil || len(us) == 0 {
		return "无"
	}
	return unitNames(us)
}

// freeReport is what a free-text message says about an activity.
type freeReport struct {
	Task     campaign.Task
	HasTask  bool
	Date     time.Time
	HasDate  bool
	Count    int
	HasCount bool
}

func (f freeReport) any() bool { return f.HasTask || f.HasDate || f.HasCount }

func parseFreeReport(camp *campaign.Campaign, text string, today time.Time) freeReport {
	var f freeReport
	if text == "" {
		return f
	}
	f.Task, f.HasTask = taskByKeyword(camp.Tasks, text)
	f.Date, f.HasDate = textparse.ExtractDate(text, today)
	f.Count, f.HasCount = textparse.ExtractCount(text)
	return f
}

// activityWords tell a report from a question about an activity.
var activityWords = []string{"组织", "开展", "举办", "举行", "进行", "完成", "参加", "参与", "搞了", "做了", "办了", "张贴", "悬挂", "发放", "布置"}

// isFreeReport recognises a report told in free text: a task keyword and a
// count, or a task keyword, a date and an activity verb; questions are not
// reports.
func (r *Router) isFreeReport(c *Context, text string) bool {
	t := strings.TrimSpace(text)
	if t == "" || strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") || strings.Contains(t, "吗") || strings.Contains(t, "怎么") {
		return false
	}
	f := parseFreeReport(c.Campaign(), t, c.Today())
	if !f.HasTask {
		return false
	}
	if f.HasCount {
		return true
	}
	if !f.HasDate {
		return false
	}
	for _, w := range activityWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// senderName is how the sender is shown: their name when the channel
// gives it, else their account.
func senderName(c *Context) string {
	if c.Msg.SenderName != "" {
		return c.Msg.SenderName
	}
	return c.Msg.SenderID
}

// quoted puts Chinese quotes around a name unless it already starts with
// one (“四个一”消防体验 would otherwise read ““四个一”消防体验”).
func quoted(name string) string {
	if strings.HasPrefix(name, "“") {
		return name
	}
	return "“" + name + "”"
}
