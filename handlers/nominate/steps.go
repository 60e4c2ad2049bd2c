package nominate

import (
	"fmt"
	"strconv"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
)

// The nomination's own steps (the unit's is handlers.UnitStep, the deeds' deeds.go).

func kindStep() *handlers.Step {
	return &handlers.Step{
		ID:     stepKind,
		Label:  "类型",
		Labels: []string{"推荐类型", "个人或集体"},
		Help:   "推荐一个人回复“个人”，推荐一支队伍或一个组织回复“集体”。",
		Ask: func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			kinds := nomineeKinds(e)
			bs := make([]bot.Button, 0, len(kinds))
			for _, k := range kinds {
				bs = append(bs, bot.Button{Text: k, Value: k})
			}
			return handlers.Prompt{Text: "推荐“" + nomination(e).Title + "”个人还是集体？", Buttons: bs}
		},
		Answer: func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			kinds := nomineeKinds(e)
			i, err := textparse.ParseChoice(in.Text, kinds)
			if err != nil {
				return handlers.Bad("请回复“" + strings.Join(kinds, "”或“") + "”。")
			}
			data(s).Kind = kinds[i]
			return handlers.Answered("")
		},
		Show: func(e *handlers.Env, s *handlers.State) string { return data(s).Kind },
	}
}

func nomineeKinds(e *handlers.Env) []string {
	var out []string
	for _, k := range nomination(e).Kinds {
		out = append(out, string(k))
	}
	if len(out) == 0 {
		out = []string{string(campaign.NomineeIndividual), string(campaign.NomineeCollective)}
	}
	return out
}

// nomineeTextStep asks for a required short text, kept in field.
func nomineeTextStep(id, label string, labels []string, maxChars int, field func(*nominateData) *string, prompt func(*handlers.State) string) *handlers.Step {
	return &handlers.Step{
		ID:     id,
		Label:  label,
		Labels: labels,
		Help:   fmt.Sprintf("请用文字回答，不超过%d字。", maxChars),
		Ask:    func(e *handlers.Env, s *handlers.State) handlers.Prompt { return handlers.Prompt{Text: prompt(s)} },
		Answer: func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			v := strings.TrimSpace(in.Text)
			n := textparse.CountChars(v)
			switch {
			case n == 0:
				return handlers.Bad("请填写" + label + "。")
			case n > maxChars:
				return handlers.Bad(fmt.Sprintf("%s最多%d字，现在有%d字。", label, maxChars, n))
			}
			*field(data(s)) = v
			return handlers.Answered("")
		},
		Show: func(e *handlers.Env, s *handlers.State) string { return *field(data(s)) },
	}
}

func yearsStep() *handlers.Step {
	return &handlers.Step{
		ID:     stepYears,
		Label:  "服务年限",
		Labels: []string{"年限", "年数", "从事年限"},
		Help:   "请回复从事消防公益服务的整年数，例如 3 或 3年；不满一年回复 0。",
		Ask: func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			return handlers.Prompt{Text: "从事消防公益服务几年了？请回复整年数，例如 3。"}
		},
		Answer: func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
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
			n, msg := handlers.ParseAmount(t)
			if msg != "" {
				return handlers.Bad("请回复从事消防公益服务的整年数，例如 3；不满一年回复 0。")
			}
			if n > yearsMax {
				return handlers.Bad(fmt.Sprintf("%d年不太可能，请回复正确的年数。", n))
			}
			data(s).Years = strconv.Itoa(n)
			min := nomination(e).MinYears
			if n < min {
				return handlers.Answered(fmt.Sprintf("按规定，原则上应从事消防公益服务%d年以上，%d年不足%d年。", min, n, min))
			}
			data(s).Reason = ""
			delete(s.Done, stepReason)
			return handlers.Answered("")
		},
		Show: func(e *handlers.Env, s *handlers.State) string {
			v := data(s).Years
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

func reasonStep() *handlers.Step {
	return &handlers.Step{
		ID:     stepReason,
		Label:  "不足年限的理由",
		Labels: []string{"理由", "原因"},
		Help:   fmt.Sprintf("服务年限不足时仍可以推荐，但需要说明理由（%d–%d字），会随推荐一并记录并标注。", reasonMin, reasonMax),
		Ask: func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			return handlers.Prompt{Text: fmt.Sprintf("仍要推荐的话，请简要说明理由（%d–%d字），会随推荐一并记录并标注。", reasonMin, reasonMax)}
		},
		Answer: func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			v := strings.TrimSpace(in.Text)
			n := textparse.CountChars(v)
			switch {
			case n < reasonMin:
				return handlers.Bad(fmt.Sprintf("理由至少%d字，请写具体一些。", reasonMin))
			case n > reasonMax:
				return handlers.Bad(fmt.Sprintf("理由最多%d字，现在有%d字。", reasonMax, n))
			}
			data(s).Reason = v
			return handlers.Answered("")
		},
		Show: func(e *handlers.Env, s *handlers.State) string { return data(s).Reason },
	}
}

func scopeStep() *handlers.Step {
	return &handlers.Step{
		ID:     stepScope,
		Label:  "推荐范围",
		Labels: []string{"范围", "类别"},
		Help:   "推荐对象须属于其中一类，回复序号即可。",
		Ask: func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			scopes := nomination(e).Scopes
			lines := make([]string, 0, len(scopes))
			labels := make([]string, 0, len(scopes))
			for _, sc := range scopes {
				lines = append(lines, sc.Label+"："+sc.Text)
				labels = append(labels, sc.Label)
			}
			return handlers.Prompt{Text: "属于哪一类推荐范围？请回复序号：\n" + handlers.Numbered(lines), Buttons: handlers.ChoiceButtons(labels)}
		},
		Answer: func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			scopes := nomination(e).Scopes
			labels := make([]string, 0, len(scopes))
			for _, sc := range scopes {
				labels = append(labels, sc.Label)
			}
			i, err := textparse.ParseChoice(in.Text, labels)
			if err != nil {
				return handlers.Bad(handlers.UserMessage(err))
			}
			data(s).Scope = strconv.Itoa(i + 1)
			return handlers.Answered("")
		},
		Show: func(e *handlers.Env, s *handlers.State) string {
			n, msg := handlers.ParseAmount(data(s).Scope)
			scopes := nomination(e).Scopes
			if msg != "" || n < 1 || n > len(scopes) {
				return ""
			}
			return strconv.Itoa(n) + ". " + scopes[n-1].Label
		},
	}
}

func phoneStep() *handlers.Step {
	return &handlers.Step{
		ID:     stepPhone,
		Label:  "联系电话",
		Labels: []string{"电话", "手机", "手机号", "联系方式"},
		Help:   "手机号（例如 13812345678）或带区号的座机（例如 023-63850029）。",
		Ask: func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			return handlers.Prompt{Text: "联系电话是？手机或座机均可，例如 13812345678 或 023-63850029。"}
		},
		Answer: func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			p, err := textparse.ValidatePhone(in.Text)
			if err != nil {
				return handlers.Bad(handlers.UserMessage(err))
			}
			data(s).Phone = p
			return handlers.Answered("")
		},
		Show: func(e *handlers.Env, s *handlers.State) string {
			if e.Group {
				return textparse.MaskPhone(data(s).Phone)
			}
			return data(s).Phone
		},
	}
}
