package nominate

import (
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/config"
	"firebot/handlers"
	"firebot/handlers/textparse"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// lateness says where now stands against the nomination deadlines: after
// the chased (earlier) one, after the late one (逾期).
type lateness struct {
	pastChased bool
	late       bool
	chasedText string
	lateText   string
}

func nominationLateness(e *handlers.Env) lateness {
	var l lateness
	n := e.Campaign.Nomination
	if n == nil {
		return l
	}
	if d, ok := e.Campaign.Deadline(n.ChasedDeadline); ok {
		l.pastChased = e.Now.After(d.Time)
		l.chasedText = zhfmt.Deadline(d.Time, d.DateOnly)
	}
	if d, ok := e.Campaign.Deadline(n.LateAfter); ok {
		l.late = e.Now.After(d.Time)
		l.lateText = zhfmt.Deadline(d.Time, d.DateOnly)
	}
	return l
}

// submitNomination saves a nomination (new or edited) with its 逾期 and
// years flags and answers with its id.
func submitNomination(c *handlers.Context, e *handlers.Env, s handlers.State) (bot.Reply, error) {
	u, ok := handlers.CurrentUnit(e, &s)
	if !ok {
		return c.Reply("推荐内容不完整，没有保存。请重新发送“推荐”。"), nil
	}
	late := nominationLateness(e)
	if s.Record == "" && late.late && e.LatePolicy == config.LateRefuse {
		return c.Reply(fmt.Sprintf("推荐已于%s截止，不再接收，这次推荐没有保存。如有特殊情况请联系%s。", late.lateText, c.OfficeContact())), nil
	}
	sub, refusal, err := handlers.OpenSubmission(c, e, &s, store.KindNomination, "nominate", ledger.DecodeNomination)
	if refusal != "" || err != nil {
		return c.Reply(refusal), err
	}
	rec, pay := sub.Rec, &sub.Pay
	if !sub.Edit() {
		pay.RecommenderID = c.Msg.SenderID
		pay.RecommenderName = c.Msg.SenderName
		pay.ChatID = c.Msg.ChatID
		pay.Late = late.late
	}
	d := data(&s)
	years, _ := handlers.ParseAmount(d.Years)
	scope, _ := handlers.ParseAmount(d.Scope)
	pay.NomineeKind = d.Kind
	pay.Name = d.Name
	pay.Affiliation = d.Affiliation
	pay.Years = years
	pay.UnderYears = underYears(e, &s)
	pay.YearsReason = ""
	if pay.UnderYears {
		pay.YearsReason = d.Reason
	}
	pay.Scope = scope
	pay.Deeds = d.Deeds
	pay.Phone = d.Phone
	if err := sub.Save(c, u.ID); err != nil {
		return bot.NoReply, err
	}
	undone, err := clearDecline(c, u.ID)
	if err != nil {
		return bot.NoReply, err
	}
	detail := ""
	if pay.Late {
		detail = "逾期"
	}
	if err := c.Audit(sub.Action, rec.ID, true, detail); err != nil {
		return bot.NoReply, err
	}

	var b strings.Builder
	sub.SavedLine(&b, "推荐成功")
	phone := pay.Phone
	if e.Group {
		phone = textparse.MaskPhone(phone)
	}
	fmt.Fprintf(&b, "\n%s · %s（%s）· %s · 服务%d年 · 事迹%d字 · 电话 %s",
		u.Name, pay.Name, pay.NomineeKind, pay.Affiliation, pay.Years, textparse.CountChars(pay.Deeds), phone)
	if pay.Late {
		fmt.Fprintf(&b, "\n【逾期】推荐截止时间为%s，这份推荐已标记为逾期，是否采用由街道决定。", late.lateText)
	} else if late.pastChased {
		fmt.Fprintf(&b, "\n提醒：区里要求%s前报送，已经过了，请尽快联系街道确认。", late.chasedText)
	}
	if pay.UnderYears {
		fmt.Fprintf(&b, "\n【年限不足】服务年限不足%d年，已记录推荐理由。", nomination(e).MinYears)
	}
	if undone {
		fmt.Fprintf(&b, "\n%s之前登记的“%s”已随这份推荐撤销。", u.Name, noNominationReason)
	}
	handlers.EditHint(&b, rec.ID)
	return c.Reply(b.String()), nil
}
