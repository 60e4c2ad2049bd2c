package ledger

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"firebot/campaign"
	"firebot/store"
	"firebot/zhfmt"
)

// This file renders a unit's progress in the words every message uses: the
// full view of 进度 and 统计 <单位> (Text), one task's line (TaskLine),
// what a reminder says is still owed (OwedText), and the counts the 统计
// ranking and the digest compare (OwedCount). Callers add what is theirs
// (a group's mute status, the office's record list) around it.

// NoNominationReason is the reason recorded with a unit's 本单位不推荐,
// and the words its progress shows.
const NoNominationReason = "本单位不推荐"

// Text describes the unit's progress as of now: a head line with the count
// done, one line per applicable task, the nomination, what is due before
// which deadline, and a thank-you once nothing is owed.
func (p UnitProgress) Text(c *campaign.Campaign, now time.Time) string {
	done, total := p.DoneCount()
	lines := []string{"【" + p.Unit.Name + "】已完成 " + zhfmt.Ratio(done, total) + " 项"}
	for _, ts := range p.Tasks {
		lines = append(lines, TaskLine(ts))
	}
	if p.NominationExpected && c.Nomination != nil {
		title := c.Nomination.Title
		switch {
		case len(p.Nominations) > 0:
			lines = append(lines, "✅ "+title+"推荐："+RecordIDs(p.Nominations))
		case p.NoNomination != nil:
			lines = append(lines, "✅ "+title+"推荐："+NoNominationReason+"（"+zhfmt.Date(p.NoNomination.At)+"登记）")
		default:
			l := "⬜ " + title + "推荐：尚未推荐"
			if d, ok := c.Deadline(c.Nomination.ChasedDeadline); ok {
				l += "（" + zhfmt.Deadline(d.Time, d.DateOnly) + "前，" + zhfmt.Countdown(now, d.Time) + "）"
			}
			lines = append(lines, l)
		}
	}
	lines = append(lines, dueLines(p, c, now)...)
	if done == total && !p.OwesNomination() {
		lines = append(lines, "各项工作都已上报，辛苦了！")
	}
	return strings.Join(lines, "\n")
}

// dueLines says how many missing tasks are due before each deadline, in
// deadline id order.
func dueLines(p UnitProgress, c *campaign.Campaign, now time.Time) []string {
	byDeadline := map[string]int{}
	for _, ts := range p.Missing() {
		id := ts.Task.Deadline
		if id == "" {
			id = campaign.DefaultTaskDeadline
		}
		byDeadline[id]++
	}
	ids := make([]string, 0, len(byDeadline))
	for id := range byDeadline {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var lines []string
	for _, id := range ids {
		d, ok := c.Deadline(id)
		if !ok {
			continue
		}
		lines = append(lines, "未完成的"+strconv.Itoa(byDeadline[id])+"项须在"+zhfmt.Deadline(d.Time, d.DateOnly)+
			"前上报（"+zhfmt.Countdown(now, d.Time)+"）。")
	}
	return lines
}

// TaskLine is one task of a unit's progress: done with its records, not
// applicable with the reason, or missing with what is reported so far and
// the records sent back.
func TaskLine(ts TaskStatus) string {
	switch {
	case ts.NotApplicable != nil:
		l := "➖ " + ts.Task.Name + "：不适用"
		if ts.NotApplicable.Reason != "" {
			l += "（" + ts.NotApplicable.Reason + "）"
		}
		return l
	case ts.Done():
		return "✅ " + ts.Task.Name + "：" + RecordIDs(ts.Records)
	}
	l := "⬜ " + ts.Task.Name + "：未完成"
	if len(ts.Records) > 0 {
		l += "（已报" + RecordIDs(ts.Records) + "，还差" + strconv.Itoa(ts.Owed()) + "次）"
	} else if ts.Required > 1 {
		l += "（需" + strconv.Itoa(ts.Required) + "次）"
	}
	for _, r := range ts.Returned {
		l += "；" + r.ID + "被退回"
		if pay, err := DecodeConfirmation(r); err == nil && pay.ReturnReason != "" {
			l += "：" + pay.ReturnReason
		}
		l += "，请“修改 " + r.ID + "”后重新提交"
	}
	return l
}

// RecordIDs lists records by id, each late one marked: HD-0003、HD-0007（逾期）.
func RecordIDs(rs []*store.Record) string {
	ids := make([]string, 0, len(rs))
	for _, r := range rs {
		ids = append(ids, r.ID+LateMark(r))
	}
	return zhfmt.List(ids)
}

// LateMark is "（逾期）" for a record marked late, else "".
func LateMark(r *store.Record) string {
	late := false
	switch r.Kind {
	case store.KindConfirmation:
		p, err := DecodeConfirmation(r)
		late = err == nil && p.Late
	case store.KindNomination:
		p, err := DecodeNomination(r)
		late = err == nil && p.Late
	}
	if late {
		return "（逾期）"
	}
	return ""
}

// OwedText says what a reminder chases a unit for: "尚未推荐志愿者；尚未上报：
// 疏散演练、主题宣传活动（还差1次）", or "" when nothing.
func OwedText(tasks []TaskStatus, nomination bool) string {
	var parts []string
	if nomination {
		parts = append(parts, "尚未推荐志愿者")
	}
	if len(tasks) > 0 {
		names := make([]string, 0, len(tasks))
		for _, t := range tasks {
			name := t.Task.Name
			switch {
			case len(t.Returned) > 0 && len(t.Records) == 0:
				name += "（已退回，待重新上报）"
			case t.Required > 1:
				name += "（还差" + strconv.Itoa(t.Owed()) + "次）"
			}
			names = append(names, name)
		}
		parts = append(parts, "尚未上报："+zhfmt.List(names))
	}
	return strings.Join(parts, "；")
}

// OwedCount is how many items the unit still owes: missing tasks and the
// nomination.
func (p UnitProgress) OwedCount() int {
	n := len(p.Missing())
	if p.OwesNomination() {
		n++
	}
	return n
}
