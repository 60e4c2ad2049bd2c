package report

import (
	"fmt"
	"time"

	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
	"firebot/zhfmt"
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
func taskLate(e *handlers.Env, t campaign.Task) bool {
	d, ok := taskDeadline(e.Campaign, t)
	return ok && e.Now.After(d.Time)
}

func lateNote(e *handlers.Env, t campaign.Task) string {
	d, _ := taskDeadline(e.Campaign, t)
	return "【逾期】“" + t.Name + "”须在" + zhfmt.Deadline(d.Time, d.DateOnly) + "前上报，这条上报已标记为逾期，是否计入由街道决定。"
}

// dateRefusal says why a date told in free text is not taken (in the
// future, or outside the task's window, which it names), or "".
func dateRefusal(e *handlers.Env, t campaign.Task, hasTask bool, d time.Time) string {
	switch {
	case textparse.IsFuture(d, e.Today):
		return fmt.Sprintf("说的日期%s还没到（今天是%s），没有采用。", zhfmt.Date(d), zhfmt.Day(e.Today, e.Now))
	case hasTask:
		if msg := checkWindow(e, t, d.Format(zhfmt.DayLayout)); msg != "" {
			return msg + "所以没有采用这个日期。"
		}
	}
	return ""
}
