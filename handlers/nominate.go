package handlers

import (
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/config"
	"firebot/handlers/textparse"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// The volunteer-nomination flow (推荐): unit, kind, name, affiliation,
// years (and a reason when below the minimum), scope, deeds (several
// messages, 继续/完成), phone, summary. State.Values keys (named in
// state.go): the step ids unit, kind, name, affiliation, years, reason,
// scope (1-based), deeds, phone; valRecommender; and deeds.go's parts.

const flowNominate = "nominate"

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

func newNominateFlow() *Flow {
	f := &Flow{ID: flowNominate, Name: "推荐", Submit: submitNomination,
		Edits: store.KindNomination, FromRecord: nominationState, Extra: func(e *Env, s *State) []string {
			if r := s.Get(valRecommender); r != "" {
				return []string{"推荐人：" + r}
			}
			return nil
		}}
	sum := summaryStep(f, "请核对推荐内容：")
	f.Order = nominateOrder
	f.Step = func(e *Env, s *State, id string) *Step {
		switch id {
		case StepUnit:
			return UnitStep("推荐单位", "以哪个单位的名义推荐？")
		case stepKind:
			return kindStep()
		case stepName:
			label := "姓名"
			if s.Get(stepKind) == string(campaign.NomineeCollective) {
				label = "名称"
			}
			return nomineeTextStep(stepName, label, []string{"姓名", "名称", "名字", "被推荐人", "集体名称"}, nameMax,
				func(s *State) string {
					if s.Get(stepKind) == string(campaign.NomineeCollective) {
						return "被推荐集体的名称是？（例如“某某社区志愿消防队”）"
					}
					return "被推荐人的姓名是？"
				})
		case stepAffiliation:
			return nomineeTextStep(stepAffiliation, "工作单位", []string{"所在单位", "所属单位", "单位名称"}, affiliationMax,
				func(s *State) string {
					if s.Get(stepKind) == string(campaign.NomineeCollective) {
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
		case stepSummary:
			return sum
		}
		return nil
	}
	return f
}

func nominateOrder(e *Env, s *State) []string {
	ids := []string{StepUnit, stepKind, stepName, stepAffiliation, stepYears}
	if underYears(e, s) {
		ids = append(ids, stepReason)
	}
	return append(ids, stepScope, stepDeeds, stepPhone, stepSummary)
}

func nomination(e *Env) campaign.Nomination {
	if e.Campaign.Nomination == nil {
		return campaign.Nomination{}
	}
	return *e.Campaign.Nomination
}

// underYears reports a years answer below the campaign's minimum.
func underYears(e *Env, s *State) bool {
	v := s.Get(stepYears)
	if v == "" {
		return false
	}
	n, msg := parseAmount(v)
	return msg == "" && n < nomination(e).MinYears
}

func kindStep() *Step {
	return &Step{
		ID:     stepKind,
		Label:  "类型",
		Labels: []string{"推荐类型", "个人或集体"},
		Help:   "推荐一个人回复“个人”，推荐一支队伍或一个组织回复“集体”。",
		Ask: func(e *Env, s *State) Prompt {
			kinds := nomineeKinds(e)
			bs := make([]bot.Button, 0, len(kinds))
			for _, k := range kinds {
				bs = append(bs, bot.Button{Text: k, Value: k})
			}
			return Prompt{Text: "推荐“" + nomination(e).Title + "”个人还是集体？", Buttons: bs}
		},
		Answer: func(e *Env, s *State, in Input) Reaction {
			kinds := nomineeKinds(e)
			i, err := textparse.ParseChoice(in.Text, kinds)
			if err != nil {
				return Bad("请回复“" + strings.Join(kinds, "”或“") + "”。")
			}
			s.Set(stepKind, kinds[i])
			return Answered("")
		},
		Show: func(e *Env, s *State) string { return s.Get(stepKind) },
	}
}

func nomineeKinds(e *Env) []string {
	var out []string
	for _, k := range nomination(e).Kinds {
		out = append(out, string(k))
	}
	if len(out) == 0 {
		out = []string{string(campaign.NomineeIndividual), string(campaign.NomineeCollective)}
	}
	return out
}

// nomineeTextStep asks for a required short text.
func nomineeTextStep(id, label string, labels []string, maxChars int, prompt func(*State) string) *Step {
	return &Step{
		ID:     id,
		Label:  label,
		Labels: labels,
		Help:   fmt.Sprintf("请用文字回答，不超过%d字。", maxChars),
		Ask:    func(e *Env, s *State) Prompt { return Prompt{Text: prompt(s)} },
		Answer: func(e *Env, s *State, in Input) Reaction {
			v := strings.TrimSpace(in.Text)
			n := textparse.CountChars(v)
			switch {
			case n == 0:
				return Bad("请填写" + label + "。")
			case n > maxChars:
				return Bad(fmt.Sprintf("%s最多%d字，现在有%d字。", label, maxChars, n))
			}
			s.Set(id, v)
			return Answered("")
		},
		Show: func(e *Env, s *State) string { return s.Get(id) },
	}
}

func yearsStep() *Step {
	return &Step{
		ID:     stepYears,
		Label:  "服务年限",
		Labels: []string{"年限", "年数", "从事年限"},
		Help:   "请回复从事消防公益服务的整年数，例如 3 或 3年；不满一年回复 0。",
		Ask: func(e *Env, s *State) Prompt {
			return Prompt{Text: "从事消防公益服务几年了？请回复整年数，例如 3。"}
		},
		Answer: func(e *Env, s *State, in Input) Reaction {
			t := strings.TrimSpace(in.Text)
			for _, suf := range []string{"年以上", "多年", "余年", "年多", "年"} {
				if rest, ok := strings.CutSuffix(t, suf); ok && rest != "" {
					t = rest
					break
				}
			}
			if strings.Contains(t, "不到") || strings.Contains(t, "不满") || t == "半" {
				t = "0"
			}
			n, msg := parseAmount(t)
			if msg != "" {
				return Bad("请回复从事消防公益服务的整年数，例如 3；不满一年回复 0。")
			}
			if n > yearsMax {
				return Bad(fmt.Sprintf("%d年不太可能，请回复正确的年数。", n))
			}
			s.Set(stepYears, itoa(n))
			min := nomination(e).MinYears
			if n < min {
				return Answered(fmt.Sprintf("按规定，原则上应从事消防公益服务%d年以上，%d年不足%d年。", min, n, min))
			}
			s.Set(stepReason, "")
			delete(s.Done, stepReason)
			return Answered("")
		},
		Show: func(e *Env, s *State) string {
			v := s.Get(stepYears)
			if v == "" {
				return ""
			}
			if underYears(e, s) {
				return fmt.Sprintf("%s年（不足%d年）", v, nomination(e).MinYears)
			}
			return v + "年"
		},
	}
}

func reasonStep() *Step {
	return &Step{
		ID:     stepReason,
		Label:  "不足年限的理由",
		Labels: []string{"理由", "原因"},
		Help:   fmt.Sprintf("服务年限不足时仍可以推荐，但需要说明理由（%d–%d字），会随推荐一并记录并标注。", reasonMin, reasonMax),
		Ask: func(e *Env, s *State) Prompt {
			return Prompt{Text: fmt.Sprintf("仍要推荐的话，请简要说明理由（%d–%d字），会随推荐一并记录并标注。", reasonMin, reasonMax)}
		},
		Answer: func(e *Env, s *State, in Input) Reaction {
			v := strings.TrimSpace(in.Text)
			n := textparse.CountChars(v)
			switch {
			case n < reasonMin:
				return Bad(fmt.Sprintf("理由至少%d字，请写具体一些。", reasonMin))
			case n > reasonMax:
				return Bad(fmt.Sprintf("理由最多%d字，现在有%d字。", reasonMax, n))
			}
			s.Set(stepReason, v)
			return Answered("")
		},
		Show: func(e *Env, s *State) string { return s.Get(stepReason) },
	}
}

func scopeStep() *Step {
	return &Step{
		ID:     stepScope,
		Label:  "推荐范围",
		Labels: []string{"范围", "类别"},
		Help:   "推荐对象须属于其中一类，回复序号即可。",
		Ask: func(e *Env, s *State) Prompt {
			scopes := nomination(e).Scopes
			lines := make([]string, 0, len(scopes))
			labels := make([]string, 0, len(scopes))
			for _, sc := range scopes {
				lines = append(lines, sc.Label+"："+sc.Text)
				labels = append(labels, sc.Label)
			}
			return Prompt{Text: "属于哪一类推荐范围？请回复序号：\n" + Numbered(lines), Buttons: ChoiceButtons(labels)}
		},
		Answer: func(e *Env, s *State, in Input) Reaction {
			scopes := nomination(e).Scopes
			labels := make([]string, 0, len(scopes))
			for _, sc := range scopes {
				labels = append(labels, sc.Label)
			}
			i, err := textparse.ParseChoice(in.Text, labels)
			if err != nil {
				return Bad(userMessage(err))
			}
			s.Set(stepScope, itoa(i+1))
			return Answered("")
		},
		Show: func(e *Env, s *State) string {
			n, msg := parseAmount(s.Get(stepScope))
			scopes := nomination(e).Scopes
			if msg != "" || n < 1 || n > len(scopes) {
				return ""
			}
			return itoa(n) + ". " + scopes[n-1].Label
		},
	}
}

func phoneStep() *Step {
	return &Step{
		ID:     stepPhone,
		Label:  "联系电话",
		Labels: []string{"电话", "手机", "手机号", "联系方式"},
		Help:   "手机号（例如 13812345678）或带区号的座机（例如 023-63850029）。",
		Ask: func(e *Env, s *State) Prompt {
			return Prompt{Text: "联系电话是？手机或座机均可，例如 13812345678 或 023-63850029。"}
		},
		Answer: func(e *Env, s *State, in Input) Reaction {
			p, err := textparse.ValidatePhone(in.Text)
			if err != nil {
				return Bad(userMessage(err))
			}
			s.Set(stepPhone, p)
			return Answered("")
		},
		Show: func(e *Env, s *State) string {
			if e.Group {
				return textparse.MaskPhone(s.Get(stepPhone))
			}
			return s.Get(stepPhone)
		},
	}
}

// runNominate starts the nomination dialog.
func runNominate(c *Context) (bot.Reply, error) {
	camp := c.Campaign()
	if camp.Nomination == nil {
		return c.Reply("本次活动没有志愿者推荐。"), nil
	}
	units, err := c.SubmitUnits()
	if err != nil {
		return bot.NoReply, err
	}
	s := State{Values: map[string]string{}, Done: map[string]bool{}}
	for _, u := range units {
		if camp.NominationExpected(u) {
			s.Units = append(s.Units, u.ID)
		}
	}
	if len(s.Units) == 0 {
		return c.Reply("“" + camp.Nomination.Title + "”推荐由各社区和社会单位提交，" + zhfmt.UnitNames(units) + "不在推荐范围内。"), nil
	}
	if len(s.Units) == 1 {
		s.Set(StepUnit, s.Units[0])
		s.Done[StepUnit] = true
	}
	s.Set(valRecommender, senderName(c))
	said := parseNominee(c.Args, camp, units).prefill(&s)
	e, err := c.env(s)
	if err != nil {
		return bot.NoReply, err
	}
	late := nominationLateness(e)
	note := fmt.Sprintf("好的，开始推荐“%s”。", camp.Nomination.Title)
	switch {
	case late.late && c.Config.Nominations.LatePolicy == config.LateRefuse:
		return c.Reply(fmt.Sprintf("“%s”推荐已于%s截止，不再接收。如有特殊情况请联系%s。", camp.Nomination.Title, late.lateText, c.officeContact())), nil
	case late.late:
		note += fmt.Sprintf("注意：推荐已于%s截止，现在提交会标记为“逾期”，是否采用由街道决定。", late.lateText)
	case late.pastChased:
		note += fmt.Sprintf("注意：区里要求%s前报送，已经过了；街道的截止时间是%s，请尽快完成。", late.chasedText, late.lateText)
	}
	if n := camp.Nomination.MinYears; n > 0 {
		note += fmt.Sprintf("\n推荐条件：热心消防公益事业，示范带动作用明显，原则上从事消防公益服务%d年以上。", n)
	}
	for _, id := range s.Units {
		marks, err := ledger.NotApplicableOf(c.Tx, camp.ID, id)
		if err != nil {
			return bot.NoReply, err
		}
		if _, ok := marks[ledger.NoNominationTask]; ok && (len(s.Units) == 1 || s.Get(StepUnit) == id) {
			note += "\n本单位已登记“" + noNominationReason + "”，提交这份推荐后该登记自动撤销。"
		}
	}
	note = JoinLines(note, said)
	return c.StartFlow(flowNominate, s, note)
}

// nominationState is the state of a stored nomination, for 修改.
func nominationState(r *store.Record) (State, error) {
	pay, err := ledger.DecodeNomination(r)
	if err != nil {
		return State{}, err
	}
	s := State{Units: []string{r.UnitID}, Values: map[string]string{}}
	s.Set(StepUnit, r.UnitID)
	s.Set(stepKind, pay.NomineeKind)
	s.Set(stepName, pay.Name)
	s.Set(stepAffiliation, pay.Affiliation)
	s.Set(stepYears, itoa(pay.Years))
	s.Set(stepReason, pay.YearsReason)
	if pay.Scope > 0 {
		s.Set(stepScope, itoa(pay.Scope))
	}
	s.Set(stepDeeds, pay.Deeds)
	s.Set(stepPhone, pay.Phone)
	rec := pay.RecommenderName
	if rec == "" {
		rec = pay.RecommenderID
	}
	s.Set(valRecommender, rec)
	return s, nil
}
