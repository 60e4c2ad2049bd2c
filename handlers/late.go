package handlers

import (
	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
)

// Activity reports after their task's deadline are accepted and marked
// 逾期, as nominations after theirs are: in the reply, in 进度 (and so in
// 统计 of one unit) and in the export.

// taskDeadline is the deadline of t (the default one when t names none).
func taskDeadline(c *campaign.Campaign, t campaign.Task) (campaign.Deadline, bool) {
	id := t.Deadline
	if id == "" {
		id = campaign.DefaultTaskDeadline
	}
	return c.Deadline(id)
}

// taskLate reports whether a report of t made now is after its deadline.
func taskLate(e *env, t campaign.Task) bool {
	d, ok := taskDeadline(e.Campaign, t)
	return ok && e.Now.After(d.Time)
}

func lateNote(e *env, t campaign.Task) string {
	d, _ := taskDeadline(e.Campaign, t)
	return "【逾期】“" + t.Name + "”须在" + formatDeadline(d) + "前上报，这条上报已标记为逾期，是否计入由街道决定。"
}

// lateMark is "（逾期）" for a record marked late, else "".
func lateMark(r *store.Record) string {
	late := false
	switch r.Kind {
	case store.KindConfirmation:
		p, err := ledger.DecodeConfirmation(r)
		late = err == nil && p.Late
	case store.KindNomination:
		p, err := ledger.DecodeNomination(r)
		late = err == nil && p.Late
	}
	if late {
		return "（逾期）"
	}
	return ""
}
