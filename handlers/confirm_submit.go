package handlers

import (
	"errors"
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// submitConfirmation saves a confirmation (new, or the record being
// edited), files its photos under media.dir and answers with the record
// id, a summary and the unit's updated progress.
func submitConfirmation(c *Context, e *env, s State) (bot.Reply, error) {
	t, okT := currentTask(e, &s)
	u, okU := currentUnit(e, &s)
	if !okT || !okU {
		return c.Reply("上报内容不完整，没有保存。请重新发送“上报”。"), nil
	}
	rec := &store.Record{
		Kind: store.KindConfirmation, CampaignID: e.Campaign.ID,
		ReporterID: c.Msg.SenderID, CreatedAt: c.Now,
	}
	var pay ledger.Confirmation
	action := "confirm"
	if s.Record != "" {
		old, p, refusal, err := resubmitted(c, s.Record, ledger.DecodeConfirmation)
		if refusal != "" || err != nil {
			return c.Reply(refusal), err
		}
		rec, pay, action = old, p, "edit"
		pay.ReturnReason, pay.ReturnedBy = "", ""
	} else {
		id, err := store.NewRecordID(c.Tx, store.KindConfirmation)
		if err != nil {
			return bot.NoReply, err
		}
		rec.ID = id
		pay.ReporterName = c.Msg.SenderName
		pay.ChatID = c.Msg.ChatID
		pay.EnteredBy = s.get(valEnteredBy) // 代录
		pay.Late = taskLate(e, t)
		pay.SuppliedBy = s.get(stepSupplier)
	}
	rec.UnitID, rec.TaskID, rec.UpdatedAt = u.ID, t.ID, c.Now
	pay.Date = s.get(stepDate)
	pay.Fields = map[string]string{}
	for _, fd := range t.Fields {
		if v := s.get(fieldKey(fd.ID)); v != "" {
			pay.Fields[fd.ID] = v
		}
	}
	pay.Place, pay.Description = s.get(stepPlace), s.get(stepDesc)
	pay.AlsoTasks = nil
	for _, at := range alsoChosen(e, &s) {
		pay.AlsoTasks = append(pay.AlsoTasks, at.ID)
	}
	for _, p := range s.Photos {
		name, err := c.router.media.promote(p, rec.ID, len(pay.Photos)+1)
		if err != nil {
			return bot.NoReply, err
		}
		pay.Photos = append(pay.Photos, name)
	}
	if err := ledger.Encode(rec, pay); err != nil {
		return bot.NoReply, err
	}
	if err := store.PutRecord(c.Tx, rec); err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit(action, rec.ID, true, ""); err != nil {
		return bot.NoReply, err
	}

	var b strings.Builder
	if action == "edit" {
		fmt.Fprintf(&b, "已保存对 %s 的修改。", rec.ID)
	} else {
		fmt.Fprintf(&b, "上报成功，编号 %s。", rec.ID)
	}
	b.WriteString("\n" + confirmationSummary(e, &s, t.Name+alsoSuffix(e, &s), u.Name, pay))
	if pay.Late && action != "edit" {
		b.WriteString("\n" + lateNote(e, t))
	}
	switch {
	case len(s.Photos) > 0:
		fmt.Fprintf(&b, "\n照片：已保存%d张。", len(pay.Photos))
	case !c.ImagesArrive():
		fmt.Fprintf(&b, "\n照片：群里我收不到图片，请私聊我，先发送“照片 %s”，再发送图片。", rec.ID)
	default:
		fmt.Fprintf(&b, "\n照片：现在直接发送图片，会附到 %s。", rec.ID)
	}
	prog, err := progressText(c, u)
	if err != nil {
		return bot.NoReply, err
	}
	b.WriteString("\n\n" + prog)
	fmt.Fprintf(&b, "\n\n需要修改请发送“修改 %s”，撤回请发送“撤回 %s”。", rec.ID, rec.ID)
	return c.Reply(b.String()), nil
}

// confirmationSummary is the one-line essence of a confirmation.
func confirmationSummary(e *env, s *State, task, unit string, pay ledger.Confirmation) string {
	parts := []string{unit, task, zhfmt.StoredDay(pay.Date, e.Now)}
	if t, ok := currentTask(e, s); ok {
		for _, fd := range t.Fields {
			if v := pay.Fields[fd.ID]; v != "" && fd.Type != "text" {
				parts = append(parts, fd.Name+" "+v)
			}
		}
	}
	if pay.Place != "" {
		parts = append(parts, pay.Place)
	}
	return strings.Join(parts, " · ")
}

// resubmitted loads the record an edit resubmits and decodes its payload. It
// returns a refusal for the user when the record is gone or withdrawn;
// otherwise the record is active again (a returned record is resubmitted).
func resubmitted[T any](c *Context, id string, decode func(*store.Record) (T, error)) (*store.Record, T, string, error) {
	var zero T
	old, err := store.GetRecord(c.Tx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, zero, "没有找到 " + id + "，修改没有保存。", nil
	}
	if err != nil {
		return nil, zero, "", err
	}
	if old.Status == store.StatusWithdrawn {
		return nil, zero, old.ID + " 已经撤回，修改没有保存。", nil
	}
	pay, err := decode(old)
	if err != nil {
		return nil, zero, "", err
	}
	old.Status = store.StatusActive
	return old, pay, "", nil
}
