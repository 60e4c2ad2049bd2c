package report

import (
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
	"firebot/zhfmt"
)

// Command names.
const (
	CommandReport = "上报"
	CommandResume = "继续上报"
)

// Commands are 上报.
func Commands() []handlers.Command {
	return []handlers.Command{
		{Name: CommandReport, Words: []string{"报告", "汇报", "填报", "报送", "上报活动", "report"}, Help: "上报开展的活动（演练、培训、宣传等）", Submit: true, Args: true, Writes: true, Run: runReport},
	}
}

// Resume is 继续上报, which resumes a paused report; 帮助 lists it with the
// other drafts' commands.
func Resume() []handlers.Command {
	return []handlers.Command{handlers.ResumeCommand(CommandResume, "接着填写暂停的上报", flowConfirm)}
}

// Flows are the report dialog.
func Flows() []*handlers.Flow {
	f := newConfirmFlow()
	guardDuplicates(f)
	return []*handlers.Flow{f}
}

// Hooks: a report told in free text starts 上报; the office's 代录 opens the
// dialog for a unit.
func Hooks() handlers.Hooks {
	return handlers.Hooks{
		Report:    &handlers.Starter{Command: CommandReport, Is: isFreeReport},
		ReportFor: startFor,
	}
}

// 上报 starts the dialog; a report told in free text ("今天上午我们社区组织了
// 疏散演练，80人参加") starts it with what it says already filled in.

func runReport(c *handlers.Context) (bot.Reply, error) {
	return startConfirmation(c, c.Args)
}

// startFor opens the dialog for unit u on its behalf (代录: a report that
// came by mail or on paper); confirmData.EnteredBy marks it.
func startFor(c *handlers.Context, u campaign.Unit, note string) (bot.Reply, error) {
	s := handlers.State{
		Units: []string{u.ID},
		Unit:  u.ID,
		Data:  &confirmData{EnteredBy: c.Msg.SenderID},
		Done:  map[string]bool{handlers.StepUnit: true},
	}
	return c.StartFlow(flowConfirm, s, note)
}

// reportUnits are the units the sender may report tasks for here.
func reportUnits(c *handlers.Context) ([]campaign.Unit, error) {
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
func startConfirmation(c *handlers.Context, text string) (bot.Reply, error) {
	units, err := reportUnits(c)
	if err != nil {
		return bot.NoReply, err
	}
	if len(units) == 0 {
		return c.Reply("这里对应的单位（" + unitNamesOr(c) + "）没有需要上报的项目。"), nil
	}
	s := handlers.State{Data: &confirmData{}, Done: map[string]bool{}}
	for _, u := range units {
		s.Units = append(s.Units, u.ID)
	}
	fr := textparse.ReadWith(text, vocabulary(c.Memo(), c.Campaign(), unitsTasks(c.Campaign(), units)), c.Today())
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
		s.Unit = units[0].ID
		s.Done[handlers.StepUnit] = true
	}
	if len(c.Msg.Images) > 0 && c.ImagesArrive() {
		names, _, err := c.SavePending()
		if err != nil {
			return bot.NoReply, err
		}
		s.Photos = names
		c.UseImages()
	}
	note := "好的，开始上报。"
	if !fr.Any() {
		return c.StartFlow(flowConfirm, s, note+"几步就好，随时可以回复“返回”修改上一步。")
	}
	// Pre-fill, then ask only what is missing: optional steps are left for
	// the summary.
	e, err := c.Env(s)
	if err != nil {
		return bot.NoReply, err
	}
	data(&s).Hint = text
	got := fill(e, &s, readFor(e, &s, text), true, false)
	for _, id := range []string{stepPlace, stepDesc, stepPhotos} {
		s.Done[id] = true
	}
	if len(got.said) > 0 {
		note = "收到，我来帮你上报。已识别：" + strings.Join(got.said, "，") + "。"
	}
	return c.StartFlow(flowConfirm, s, handlers.JoinLines(note, got.refused))
}

func unitNamesOr(c *handlers.Context) string {
	us, err := c.SubmitUnits()
	if err != nil || len(us) == 0 {
		return "无"
	}
	return zhfmt.UnitNames(us)
}

// isFreeReport recognises a report told in free text: the reading says it
// tells of an activity already done (not a question, an announcement, an
// intention or an acknowledgement).
func isFreeReport(c *handlers.Context, text string) bool {
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
	return textparse.ReadWith(t, vocabulary(c.Memo(), c.Campaign(), tasks), c.Today()).Report
}

// quoted puts Chinese quotes around a name unless it already starts with
// one (“四个一”消防体验 would otherwise read ““四个一”消防体验”).
func quoted(name string) string {
	if strings.HasPrefix(name, "“") {
		return name
	}
	return "“" + name + "”"
}
