package handlers

import (
	"slices"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers/textparse"
	"firebot/zhfmt"
)

// Steps and helpers for the flows of feature packages (绑定, 撤回, 推荐…).

// YesNoStep asks a final yes-or-no question; "no" ends the dialog with
// noMsg.
func YesNoStep(id string, prompt func(e *Env, s *State) string, noMsg string) *Step {
	return &Step{
		ID:       id,
		Controls: true,
		Help:     "回复“确认”继续，回复“取消”放弃。",
		Ask: func(e *Env, s *State) Prompt {
			return Prompt{Text: prompt(e, s), Buttons: []bot.Button{{Text: "确认", Value: ctlConfirm}, {Text: "取消", Value: ctlCancel}}}
		},
		Answer: func(e *Env, s *State, in Input) Reaction {
			yes, err := textparse.ParseYesNo(in.Text)
			switch {
			case err != nil:
				return Bad("请回复“确认”或“取消”。")
			case !yes:
				return Reaction{Cancel: true, Msg: noMsg}
			}
			return Answered("")
		},
	}
}

// CurrentUnit is the unit the dialog is for (StepUnit), once chosen.
func CurrentUnit(e *Env, s *State) (campaign.Unit, bool) { return e.Unit(s.Unit) }

// UnitStep asks which of the user's units the dialog is for (a feature
// may wrap its Answer: handlers/report reads the report again).
func UnitStep(label, prompt string) *Step {
	return &Step{
		ID:     StepUnit,
		Label:  label,
		Labels: []string{"单位", "上报单位", "推荐单位"},
		Help:   "本群（或你）对应多个单位，请选择这次是为哪个单位填写，回复序号或单位名称。",
		Ask: func(e *Env, s *State) Prompt {
			names := make([]string, 0, len(e.Units))
			for _, u := range e.Units {
				names = append(names, u.Name)
			}
			return Prompt{Text: prompt + "\n" + Numbered(names), Buttons: ChoiceButtons(names)}
		},
		Answer: func(e *Env, s *State, in Input) Reaction {
			if len(e.Units) < 2 {
				return Bad("只能为" + zhfmt.UnitNames(e.Units) + "填写，不能更换单位。")
			}
			names := make([]string, 0, len(e.Units))
			for _, u := range e.Units {
				names = append(names, u.Name)
			}
			i, err := textparse.ParseChoice(in.Text, names)
			if err != nil {
				return Bad(UserMessage(err))
			}
			s.Unit = e.Units[i].ID
			return Answered("")
		},
		Show: func(e *Env, s *State) string {
			u, _ := CurrentUnit(e, s)
			return u.Name
		},
	}
}

// zeroWords answer a number question with 0.
var zeroWords = []string{"0", "零", "〇", "没有", "无", "0人", "零人", "0户", "0个"}

// ParseAmount reads a whole number, 0 included ("没有"), with an optional
// measure word after it (80人, 50户, 20块). It returns a Chinese message
// when it cannot.
func ParseAmount(text string) (int, string) {
	t := strings.TrimSpace(text)
	if slices.Contains(zeroWords, t) {
		return 0, ""
	}
	n, err := textparse.ParseCount(t)
	if err == nil {
		return n, ""
	}
	rs := []rune(t)
	if len(rs) > 1 && strings.ContainsRune("人名位户个份块条处次张幅面场年", rs[len(rs)-1]) {
		if n, err2 := textparse.ParseCount(string(rs[:len(rs)-1])); err2 == nil {
			return n, ""
		}
	}
	return 0, UserMessage(err)
}
