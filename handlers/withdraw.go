package handlers

import (
	"firebot/bot"
	"firebot/handlers/textparse"
	"firebot/store"
)

// 撤回 <编号>: asks once, then marks the record withdrawn (kept, no longer
// counted).

const flowWithdraw = "withdraw"

func runWithdraw(c *Context) (bot.Reply, error) {
	r, refusal, err := loadRecord(c, "撤回", c.Args)
	if err != nil || refusal != "" {
		return c.Reply(refusal), err
	}
	if r.Status == store.StatusWithdrawn {
		return c.Reply(r.ID + " 已经撤回了。"), nil
	}
	names := unitNameCache{c: c}
	s := State{Record: r.ID, Units: []string{r.UnitID}, Values: map[string]string{valWhat: recordLine(c, r, names.name(r.UnitID))}}
	return c.StartFlow(flowWithdraw, s, "")
}

func newWithdrawFlow() *Flow {
	f := &Flow{ID: flowWithdraw, Name: "撤回", Submit: submitWithdraw}
	confirm := YesNoStep(StepConfirm,
		func(e *Env, s *State) string {
			return "确定撤回 " + s.Get(valWhat) + " 吗？撤回后这条记录不再计入进度。"
		},
		"好的，没有撤回。")
	f.Order = func(*Env, *State) []string { return []string{StepConfirm} }
	f.Step = func(e *Env, s *State, id string) *Step {
		if id == StepConfirm {
			return confirm
		}
		return nil
	}
	return f
}

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

func submitWithdraw(c *Context, e *Env, s State) (bot.Reply, error) {
	r, err := store.GetRecord(c.Tx, s.Record)
	if err != nil {
		return bot.NoReply, err
	}
	if r.Status == store.StatusWithdrawn {
		return c.Reply(r.ID + " 已经撤回了。"), nil
	}
	r.Status = store.StatusWithdrawn
	r.UpdatedAt = c.Now
	if err := store.PutRecord(c.Tx, r); err != nil {
		return bot.NoReply, err
	}
	if err := c.AuditAllowed("withdraw", r.ID, ""); err != nil {
		return bot.NoReply, err
	}
	msg := "已撤回 " + r.ID + "。"
	if u, ok := e.unit(r.UnitID); ok && r.Kind == store.KindConfirmation {
		p, err := progressText(c, u)
		if err != nil {
			return bot.NoReply, err
		}
		msg += "\n\n" + p
	}
	return c.Reply(msg), nil
}
