package records

import (
	"firebot/bot"
	"firebot/handlers"
	"firebot/store"
)

// 撤回 <编号>: asks once, then marks the record withdrawn (kept, no longer
// counted).

const flowWithdraw = "withdraw"

// withdrawData is what a withdrawal holds: the record asked about, as
// the question shows it.
type withdrawData struct {
	What string `json:"what,omitempty"`
}

func (d *withdrawData) Clone() handlers.Data { c := *d; return &c }

// Slots: "what" is the name earlier releases stored it under.
func (d *withdrawData) Slots() handlers.Slots {
	return handlers.Slots{Values: map[string]*string{"what": &d.What}}
}

func runWithdraw(c *handlers.Context) (bot.Reply, error) {
	r, refusal, err := loadRecord(c, "撤回", c.Args)
	if err != nil || refusal != "" {
		return c.Reply(refusal), err
	}
	if r.Status == store.StatusWithdrawn {
		return c.Reply(r.ID + " 已经撤回了。"), nil
	}
	names := unitNameCache{c: c}
	s := handlers.State{Record: r.ID, Units: []string{r.UnitID}, Data: &withdrawData{What: recordLine(c, r, names.name(r.UnitID))}}
	return c.StartFlow(flowWithdraw, s, "")
}

func newWithdrawFlow() *handlers.Flow {
	f := &handlers.Flow{ID: flowWithdraw, Name: "撤回", Submit: submitWithdraw,
		Data: func() handlers.Data { return &withdrawData{} }}
	confirm := handlers.YesNoStep(handlers.StepConfirm,
		func(e *handlers.Env, s *handlers.State) string {
			return "确定撤回 " + handlers.DataOf[withdrawData](s).What + " 吗？撤回后这条记录不再计入进度。"
		},
		"好的，没有撤回。")
	f.Single(confirm)
	return f
}

func submitWithdraw(c *handlers.Context, e *handlers.Env, s handlers.State) (bot.Reply, error) {
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
	if err := c.AuditAllowed(auditWithdraw, r.ID, ""); err != nil {
		return bot.NoReply, err
	}
	msg := "已撤回 " + r.ID + "。"
	if u, ok := e.Unit(r.UnitID); ok && r.Kind == store.KindConfirmation {
		p, err := c.ProgressText(u)
		if err != nil {
			return bot.NoReply, err
		}
		msg += "\n\n" + p
	}
	return c.Reply(msg), nil
}
