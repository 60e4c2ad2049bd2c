package nominate

import (
	"fmt"

	"firebot/bot"
	"firebot/campaign"
	"firebot/config"
	"firebot/handlers"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// The volunteer-nomination flow (推荐): unit, kind, name, affiliation,
// years (and a reason when below the minimum), scope, deeds (several
// messages, 继续/完成), phone, summary. What it collects is
// nominateData (state.go).

const flowNominate = "nominate"

// Command names.
const (
	CommandNominate = "推荐"
	CommandDecline  = "本单位不推荐"
	CommandUndo     = "撤销不推荐"
	CommandResume   = "继续推荐"
)

// Commands are 推荐, 本单位不推荐 and 撤销不推荐, in the order 帮助 lists them.
func Commands() []handlers.Command {
	return []handlers.Command{
		{Name: CommandNominate, Usage: "推荐 [个人|集体] [名字]", Words: []string{"提名", "推荐志愿者", "志愿者推荐", "nominate"}, Help: "推荐“最美消防志愿者”，也可以直接说“我想推荐…”", Submit: true, Args: true, Writes: true, Run: runNominate},
		{Name: CommandDecline, Usage: "本单位不推荐 [单位名称]", Words: []string{"不推荐", "本单位无推荐"}, Args: true, For: handlers.Officers, Writes: true, Help: "登记本单位这次不推荐志愿者（安全员、街道工作人员）", Run: runDeclineNomination},
		{Name: CommandUndo, Usage: "撤销不推荐 [单位名称]", Words: []string{"取消不推荐"}, Args: true, For: handlers.Officers, Writes: true, Help: "撤销“本单位不推荐”的登记", Run: runUndoDecline},
	}
}

// Resume is 继续推荐, which resumes a paused nomination; 帮助 lists it with
// the other drafts' commands.
func Resume() []handlers.Command {
	return []handlers.Command{handlers.ResumeCommand(CommandResume, "接着填写暂停的推荐", flowNominate)}
}

// Flows are the nomination dialog.
func Flows() []*handlers.Flow { return []*handlers.Flow{newNominateFlow()} }

// Hooks: a nomination told in a sentence ("我想推荐…") starts 推荐.
func Hooks() handlers.Hooks {
	told := func(_ *handlers.Context, text string) bool { return isNominationText(text) }
	return handlers.Hooks{Tell: &handlers.Starter{Command: CommandNominate, Is: told}}
}

// Limits of the nomination fields, in characters.
const (
	nameMax        = 50
	affiliationMax = 100
	reasonMin      = 5
	reasonMax      = 200
	deedsMin       = 10
	yearsMax       = 80
	deedsPreview   = 50
)

func newNominateFlow() *handlers.Flow {
	f := &handlers.Flow{ID: flowNominate, Name: "推荐", Submit: submitNomination,
		Edits: store.KindNomination, FromRecord: nominationState,
		Data:  func() handlers.Data { return &nominateData{} },
		Pause: func(*handlers.State) bool { return true }, Resume: CommandResume, ResumeNote: deedsResumeNote, Scratch: []string{deedsPendingKey},
		Extra: func(e *handlers.Env, s *handlers.State) []string {
			if r := data(s).Recommender; r != "" {
				return []string{"推荐人：" + r}
			}
			return nil
		}}
	sum := handlers.SummaryStep(f, "请核对推荐内容：")
	f.Order = nominateOrder
	f.Step = func(e *handlers.Env, s *handlers.State, id string) *handlers.Step {
		switch id {
		case handlers.StepUnit:
			return handlers.UnitStep("推荐单位", "以哪个单位的名义推荐？")
		case stepKind:
			return kindStep()
		case stepName:
			label := "姓名"
			if collective(s) {
				label = "名称"
			}
			return nomineeTextStep(stepName, label, []string{"姓名", "名称", "名字", "被推荐人", "集体名称"}, nameMax,
				func(d *nominateData) *string { return &d.Name },
				func(s *handlers.State) string {
					if collective(s) {
						return "被推荐集体的名称是？（例如“某某社区志愿消防队”）"
					}
					return "被推荐人的姓名是？"
				})
		case stepAffiliation:
			return nomineeTextStep(stepAffiliation, "工作单位", []string{"所在单位", "所属单位", "单位名称"}, affiliationMax,
				func(d *nominateData) *string { return &d.Affiliation },
				func(s *handlers.State) string {
					if collective(s) {
						return "这个集体所属的单位（主管单位）是？"
					}
					return "被推荐人的工作单位（或所在社区）是？"
				})
		case stepYears:
			return yearsStep()
		case stepReason:
			return reasonStep()
		case stepScope:
			return scopeStep()
		case stepDeeds:
			return deedsStep()
		case stepPhone:
			return phoneStep()
		case handlers.StepSummary:
			return sum
		}
		return nil
	}
	return f
}

func nominateOrder(e *handlers.Env, s *handlers.State) []string {
	ids := []string{handlers.StepUnit, stepKind, stepName, stepAffiliation, stepYears}
	if underYears(e, s) {
		ids = append(ids, stepReason)
	}
	return append(ids, stepScope, stepDeeds, stepPhone, handlers.StepSummary)
}

// collective reports a nomination of a group rather than a person.
func collective(s *handlers.State) bool { return data(s).Kind == string(campaign.NomineeCollective) }

func nomination(e *handlers.Env) campaign.Nomination {
	if e.Campaign.Nomination == nil {
		return campaign.Nomination{}
	}
	return *e.Campaign.Nomination
}

// underYears reports a years answer below the campaign's minimum.
func underYears(e *handlers.Env, s *handlers.State) bool {
	v := data(s).Years
	if v == "" {
		return false
	}
	n, msg := handlers.ParseAmount(v)
	return msg == "" && n < nomination(e).MinYears
}

// runNominate starts the nomination dialog.
func runNominate(c *handlers.Context) (bot.Reply, error) {
	camp := c.Campaign()
	if camp.Nomination == nil {
		return c.Reply("本次活动没有志愿者推荐。"), nil
	}
	units, err := c.SubmitUnits()
	if err != nil {
		return bot.NoReply, err
	}
	s := handlers.State{Data: &nominateData{Recommender: c.SenderName()}, Done: map[string]bool{}}
	for _, u := range units {
		if camp.NominationExpected(u) {
			s.Units = append(s.Units, u.ID)
		}
	}
	if len(s.Units) == 0 {
		return c.Reply("“" + camp.Nomination.Title + "”推荐由各社区和社会单位提交，" + zhfmt.UnitNames(units) + "不在推荐范围内。"), nil
	}
	if len(s.Units) == 1 {
		s.Unit = s.Units[0]
		s.Done[handlers.StepUnit] = true
	}
	said := parseNominee(c.Args, camp, units).prefill(&s)
	e, err := c.Env(s)
	if err != nil {
		return bot.NoReply, err
	}
	late := nominationLateness(e)
	note := fmt.Sprintf("好的，开始推荐“%s”。", camp.Nomination.Title)
	switch {
	case late.late && c.Config.Nominations.LatePolicy == config.LateRefuse:
		return c.Reply(fmt.Sprintf("“%s”推荐已于%s截止，不再接收。如有特殊情况请联系%s。", camp.Nomination.Title, late.lateText, c.OfficeContact())), nil
	case late.late:
		note += fmt.Sprintf("注意：推荐已于%s截止，现在提交会标记为“逾期”，是否采用由街道决定。", late.lateText)
	case late.pastChased:
		note += fmt.Sprintf("注意：区里要求%s前报送，已经过了；街道的截止时间是%s，请尽快完成。", late.chasedText, late.lateText)
	}
	if n := camp.Nomination.MinYears; n > 0 {
		note += fmt.Sprintf("\n推荐条件：热心消防公益事业，示范带动作用明显，原则上从事消防公益服务%d年以上。", n)
	}
	if s.Unit != "" {
		marks, err := ledger.NotApplicableOf(c.Tx, camp.ID, s.Unit)
		if err != nil {
			return bot.NoReply, err
		}
		if _, ok := marks[ledger.NoNominationTask]; ok {
			note += "\n本单位已登记“" + noNominationReason + "”，提交这份推荐后该登记自动撤销。"
		}
	}
	note = handlers.JoinLines(note, said)
	return c.StartFlow(flowNominate, s, note)
}
