package handlers

import (
	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers/textparse"
)

// Steps and helpers for the flows of feature packages (绑定, 撤回, …);
// UnitStep, which also rereads a report's text, is in confirm_task.go.

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
func CurrentUnit(e *Env, s *State) (campaign.Unit, bool) { return e.unit(s.Get(StepUnit)) }
