package report

import (
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/handlers"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// submitConfirmation saves a confirmation (new, or the record being
// edited), files its photos under media.dir and answers with the record
// id, a summary and the unit's updated progress.
func submitConfirmation(c *handlers.Context, e *handlers.Env, s handlers.State) (bot.Reply, error) {
	t, okT := currentTask(e, &s)
	u, okU := handlers.CurrentUnit(e, &s)
	if !okT || !okU {
		return c.Reply("上报内容不完整，没有保存。请重新发送“上报”。"), nil
	}
	sub, refusal, err := handlers.OpenSubmission(c, e, &s, store.KindConfirmation, "confirm", ledger.DecodeConfirmation)
	if refusal != "" || err != nil {
		return c.Reply(refusal), err
	}
	rec, pay := sub.Rec, &sub.Pay
	d := data(&s)
	if !sub.Edit() {
		pay.ReporterName = c.Msg.SenderName
		pay.ChatID = c.Msg.ChatID
		pay.EnteredBy = d.EnteredBy // 代录
		pay.Late = taskLate(e, t)
		pay.SuppliedBy = d.Supplier
	}
	rec.TaskID = t.ID
	pay.Date = d.Date
	pay.Fields = map[string]string{}
	for _, fd := range t.Fields {
		if v := d.Fields[fd.ID]; v != "" {
			pay.Fields[fd.ID] = v
		}
	}
	pay.Place, pay.Description = d.Place, d.Desc
	pay.AlsoTasks = nil
	for _, at := range alsoChosen(e, &s) {
		pay.AlsoTasks = append(pay.AlsoTasks, at.ID)
	}
	for _, p := range s.Photos {
		name, err := c.PromotePhoto(p, rec.ID, len(pay.Photos)+1)
		if err != nil {
			return bot.NoReply, err
		}
		pay.Photos = append(pay.Photos, name)
	}
	if err := sub.Save(c, u.ID); err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit(sub.Action, rec.ID, true, ""); err != nil {
		return bot.NoReply, err
	}

	var b strings.Builder
	sub.SavedLine(&b, "上报成功")
	b.WriteString("\n" + confirmationSummary(e, &s, t.Name+alsoSuffix(e, &s), u.Name, *pay))
	if pay.Late && !sub.Edit() {
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
	prog, err := c.ProgressText(u)
	if err != nil {
		return bot.NoReply, err
	}
	b.WriteString("\n\n" + prog)
	handlers.EditHint(&b, rec.ID)
	return c.Reply(b.String()), nil
}

// confirmationSummary is the one-line essence of a confirmation.
func confirmationSummary(e *handlers.Env, s *handlers.State, task, unit string, pay ledger.Confirmation) string {
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
