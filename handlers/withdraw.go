package handlers

import (
	"firebot/bot"
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
