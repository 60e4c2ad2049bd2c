package handlers

import (
	"strings"

	"firebot/bot"
	"firebot/ledger"
	"firebot/store"
)

// 修改 <编号>: reopens a record in its dialog, on the summary, so the user
// edits fields by name and confirms. Anything after the id is applied as a
// first edit ("修改 HD-0003 人数 90").

func runEdit(c *Context) (bot.Reply, error) {
	r, refusal, err := loadRecord(c, "修改", c.Args)
	if err != nil || refusal != "" {
		return c.Reply(refusal), err
	}
	if r.Status == store.StatusWithdrawn {
		return c.Reply(r.ID + " 已经撤回，不能修改。需要的话请重新“上报”。"), nil
	}
	var s State
	var flowID string
	switch r.Kind {
	case store.KindConfirmation:
		s, err = confirmationState(r)
		flowID = flowConfirm
	default:
		s, err = nominationState(r)
		flowID = flowNominate
	}
	if err != nil {
		return bot.NoReply, err
	}
	s.Record = r.ID
	note := "正在修改 " + r.ID + "。"
	if r.Status == store.StatusReturned {
		note += "这条记录被退回了，修改并确认后会重新提交。"
	}
	rest := ""
	if f := strings.Fields(c.Args); len(f) > 1 {
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(c.Args), f[0]))
	}
	return c.reopen(flowID, s, note, rest)
}

// reopen starts flow id on its summary with s fully answered, then applies
// first (if any) as the user's first input.
func (c *Context) reopen(id string, s State, note, first string) (bot.Reply, error) {
	f := c.router.flows[id]
	s.Flow, s.Started = id, c.Now
	e, err := c.env(s)
	if err != nil {
		return bot.NoReply, err
	}
	s = s.clone()
	for _, st := range f.Order(e, &s) {
		if st != stepSummary {
			s.Done[st] = true
		}
	}
	s.Step = stepSummary
	if first != "" {
		next, t := f.next(e, s, Input{Text: first})
		t.Text = JoinLines(note, t.Text)
		return c.applyTurn(f, e, next, t)
	}
	return c.applyTurn(f, e, s, f.ask(e, &s, note))
}

func confirmationState(r *store.Record) (State, error) {
	pay, err := ledger.DecodeConfirmation(r)
	if err != nil {
		return State{}, err
	}
	s := State{Units: []string{r.UnitID}, Values: map[string]string{}}
	s.Set(StepUnit, r.UnitID)
	s.Set(stepTask, r.TaskID)
	s.Set(stepDate, pay.Date)
	for k, v := range pay.Fields {
		s.Set(fieldKey(k), v)
	}
	s.Set(stepPlace, pay.Place)
	s.Set(stepDesc, pay.Description)
	s.Set(valAlso, strings.Join(pay.AlsoTasks, ","))
	if n := len(pay.Photos); n > 0 {
		s.Set(valPhotosSaved, itoa(n))
	}
	return s, nil
}

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
