package handlers

import (
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers/textparse"
	"firebot/zhfmt"
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
	fr := textparse.ReadWith(text, c.router.vocabs.get(c.Campaign(), unitsTasks(c.Campaign(), units)), c.Today())
	if id, ok := fr.Task(); ok && len(units) > 1 {
		// Keep only the units the task applies to, when that decides.
		var fit []campaign.Unit
		for _, u := range units {
			if t, ok := c.Campaign().Task(id); ok && t.AppliesToUnit(u) {
				fit = append(fit, u)
			}
		}
		if len(fit) == 1 {
			units = fit
		}
	}
	if len(units) == 1 {
		s.Set(StepUnit, units[0].ID)
		s.Done[StepUnit] = true
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
	if !fr.Any() {
		return c.StartFlow(flowConfirm, s, note+"几步就好，随时可以回复“返回”修改上一步。")
	}
	// Pre-fill, then ask only what is missing: optional steps are left for
	// the summary.
	e, err := c.env(s)
	if err != nil {
		return bot.NoReply, err
	}
	s.Set(valHint, text)
	got := fill(e, &s, readFor(e, &s, text), true)
	for _, id := range []string{stepPlace, stepDesc, stepPhotos} {
		s.Done[id] = true
	}
	if len(got.said) > 0 {
		note = "收到，我来帮你上报。已识别：" + strings.Join(got.said, "，") + "。"
	}
	return c.StartFlow(flowConfirm, s, JoinLines(note, got.refused))
}

func unitNamesOr(c *Context) string {
	us, err := c.SubmitUnits()
	if err != nil || len(us) == 0 {
		return "无"
	}
	return zhfmt.UnitNames(us)
}

// isFreeReport recognises a report told in free text: the reading says it
// tells of an activity already done (not a question, an announcement, an
// intention or an acknowledgement).
func (r *Router) isFreeReport(c *Context, text string) bool {
	t := strings.TrimSpace(text)
	if t == "" {
		return false
	}
	units, err := c.SubmitUnits()
	if err != nil {
		return false
	}
	tasks := unitsTasks(c.Campaign(), units)
	if len(tasks) == 0 {
		tasks = c.Campaign().Tasks
	}
	return textparse.ReadWith(t, r.vocabs.get(c.Campaign(), tasks), c.Today()).Report
}

// SenderName is how the sender is shown: their name when the channel
// gives it, else their account.
func (c *Context) SenderName() string {
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
