package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"firebot/bot"
	"firebot/handlers"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// Duplicate reports. Two grid workers often report the same drill. When a
// new report names the unit and task of an existing record whose activity
// day is within dupWindow of its own, 确认 does not save at once: the reply
// names that record and asks whether this is another activity (saved as a
// new record) or a correction to it (saved as an edit of it, by whoever
// may edit it). Anything else goes back to the checklist.

const (
	dupWindow   = 2 * 24 * time.Hour
	dupAnother  = "另一次"
	dupCorrects = "更正"
)

// guardDuplicates wraps the Submit of the confirmation flow.
func guardDuplicates(f *handlers.Flow) {
	inner := f.Submit
	f.Submit = func(c *handlers.Context, e *handlers.Env, s handlers.State) (bot.Reply, error) {
		if s.Record != "" || data(&s).DupOK {
			return inner(c, e, s)
		}
		r, pay, err := duplicateOf(c, &s)
		if err != nil {
			return bot.NoReply, err
		}
		if r == nil {
			return inner(c, e, s)
		}
		s = s.Clone()
		data(&s).DupOf = r.ID
		s.Step = handlers.StepSummary
		c.KeepAsking(s)
		who := pay.ReporterName
		if who == "" {
			who = r.ReporterID
		}
		t, _ := currentTask(e, &s)
		u, _ := handlers.CurrentUnit(e, &s)
		msg := fmt.Sprintf("还没有保存：%s的“%s”已有一条相近的记录 %s（活动日期%s，%s上报）。\n这次是另一次活动，还是对 %s 的更正？\n回复“%s”：另存为一条新记录；\n回复“%s”：用这次填写的内容修改 %s。",
			u.Name, t.Name, r.ID, zhfmt.StoredDay(pay.Date, e.Now), who, r.ID, dupAnother, dupCorrects, r.ID)
		return c.Ask(msg, bot.Button{Text: "另一次活动", Value: dupAnother}, bot.Button{Text: "更正 " + r.ID, Value: dupCorrects}), nil
	}
}

// duplicateOf finds the unit's live record of the same task whose activity
// day is closest to the one reported, within dupWindow.
func duplicateOf(c *handlers.Context, s *handlers.State) (*store.Record, ledger.Confirmation, error) {
	day, err := time.ParseInLocation(zhfmt.DayLayout, data(s).Date, c.Now.Location())
	if err != nil {
		return nil, ledger.Confirmation{}, nil
	}
	// Read unwatched: watched, every report in the unit would conflict
	// with every other one committed meanwhile and be retried; two exactly
	// simultaneous near-duplicates may both be saved without the question.
	recs, err := store.RecordsOfUnit(store.ReadCommitted(c.Tx), c.Campaign().ID, s.Unit)
	if err != nil {
		return nil, ledger.Confirmation{}, err
	}
	var best *store.Record
	var bestPay ledger.Confirmation
	bestGap := dupWindow + time.Nanosecond
	for _, r := range recs {
		if r.Kind != store.KindConfirmation || r.TaskID != data(s).Task || r.Status == store.StatusWithdrawn {
			continue
		}
		pay, err := ledger.DecodeConfirmation(r)
		if err != nil {
			continue
		}
		d, err := time.ParseInLocation(zhfmt.DayLayout, pay.Date, c.Now.Location())
		if err != nil {
			continue
		}
		gap := d.Sub(day).Abs()
		if gap < bestGap {
			best, bestPay, bestGap = r, pay, gap
		}
	}
	return best, bestPay, nil
}

// dupAnswer reports text answering a pending duplicate question
// (handlers.Flow.Answers).
func dupAnswer(s *handlers.State, text string) bool {
	id := data(s).DupOf
	t := strings.TrimSpace(text)
	return id != "" && (slices.Contains(anotherWords, t) || slices.Contains(correctsWords(id), t))
}

// anotherWords say the report is another activity, correctsWords that it
// corrects record id.
var anotherWords = []string{dupAnother, "另一次活动", "新的", "另存"}

func correctsWords(id string) []string {
	return []string{dupCorrects, "更正 " + id, "更正" + id, "修改原记录"}
}

// answerDuplicate handles the answer to the duplicate question
// (handlers.Flow.Interrupt); ok is false when there is none or the message is
// something else (the question is dropped and the message goes to the
// checklist).
func answerDuplicate(c *handlers.Context, e *handlers.Env) (bot.Reply, bool, error) {
	s := c.DialogState()
	id := data(&s).DupOf
	if id == "" {
		return bot.NoReply, false, nil
	}
	text := strings.TrimSpace(c.Msg.Text)
	data(&s).DupOf = ""
	switch {
	case slices.Contains(anotherWords, text):
		data(&s).DupOK = true
		rep, err := c.SubmitDialog(e, s)
		return rep, true, err
	case slices.Contains(correctsWords(id), text):
		r, err := store.GetRecord(c.Tx, id)
		if err != nil {
			return bot.NoReply, true, err
		}
		allowed, err := c.MayManage(r)
		if err != nil {
			return bot.NoReply, true, err
		}
		if !allowed {
			data(&s).DupOf = id
			if err := c.SaveDialog(s); err != nil {
				return bot.NoReply, true, err
			}
			return c.Ask(id+" 不是你提交的，你也不是该单位的安全员，不能更正它。请回复“"+dupAnother+"”另存为新记录，或联系提交人、单位安全员。",
				bot.Button{Text: "另一次活动", Value: dupAnother}), true, nil
		}
		s.Record = id
		rep, err := c.SubmitDialog(e, s)
		return rep, true, err
	}
	c.SetDialogState(s)
	return bot.NoReply, false, nil
}
