package scheduler

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"firebot/ops"
)

// PlanParams are the flags of `firebot reminders plan`.
type PlanParams struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// OpPlan is the operation behind "firebot reminders plan".
const OpPlan = "reminders-plan"

// PlanOp is the reminders plan operation.
var PlanOp = ops.Typed(OpPlan, runPlanOp)

// runPlanOp prints the dry-run table: one reminder per row, fire time in
// the configured timezone, plan, deadline or event, audience, and how many
// units it would address given the current records.
func runPlanOp(ctx context.Context, env *ops.Env, p PlanParams, out io.Writer) error {
	rows, err := DryRun(ctx, env.Store, env.Config, p.From, p.To)
	if err != nil {
		return err
	}
	loc := env.Config.Location
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "时间\t计划\t截止/活动\t对象\t单位数\t备注")
	for _, r := range rows {
		var notes []string
		if r.Deferred {
			notes = append(notes, "免打扰时段顺延（原定 "+r.Nominal.In(loc).Format("01-02 15:04")+"）")
		}
		if r.LastDay {
			notes = append(notes, "截止当天")
		}
		anchor := r.Anchor
		if anchor == "" {
			anchor = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\n", r.At.In(loc).Format("2006-01-02 15:04"), r.Plan, anchor, r.Audience, r.Units, joinNotes(notes))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "共 %d 条提醒\n", len(rows))
	return nil
}

func joinNotes(n []string) string {
	s := ""
	for i, x := range n {
		if i > 0 {
			s += "；"
		}
		s += x
	}
	return s
}
