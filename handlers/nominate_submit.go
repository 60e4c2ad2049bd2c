package handlers

import (
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/config"
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

func nominationLateness(e *env) lateness {
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
func submitNomination(c *Context, e *env, s State) (bot.Reply, error) {
	u, ok := currentUnit(e, &s)
	if !ok {
		return c.Reply("推荐内容不完整，没有保存。请重新发送“推荐”。"), nil
	}
	late := nominationLateness(e)
	rec := &store.Record{
		Kind: store.KindNomination, CampaignID: e.Campaign.ID,
		ReporterID: c.Msg.SenderID, CreatedAt: c.Now,
	}
	var pay ledger.Nomination
	action := "nominate"
	if s.Record != "" {
		old, p, refusal, err := resubmitted(c, s.Record, ledger.DecodeNomination)
		if refusal != "" || err != nil {
			return c.Reply(refusal), err
		}
		rec, pay, action = old, p, "edit"
		pay.ReturnReason = ""
	} else {
		if late.late && e.LatePolicy == config.LateRefuse {
			return c.Reply(fmt.Sprintf("推荐已于%s截止，不再接收，这次推荐没有保存。如有特殊情况请联系%s。", late.lateText, c.officeContact())), nil
		}
		id, err := store.NewRecordID(c.Tx, store.KindNomination)
		if err != nil {
			return bot.NoReply, err
		}
		rec.ID = id
		pay.RecommenderID = c.Msg.SenderID
		pay.RecommenderName = c.Msg.SenderName
		pay.ChatID = c.Msg.ChatID
		pay.Late = late.late
	}
	rec.UnitID, rec.UpdatedAt = u.ID, c.Now
	years, _ := parseAmount(s.get(stepYears))
	scope, _ := parseAmount(s.get(stepScope))
	pay.NomineeKind = s.get(stepKind)
	pay.Name = s.get(stepName)
	pay.Affiliation = s.get(stepAffiliation)
	pay.Years = years
	pay.UnderYears = underYears(e, &s)
	pay.YearsReason = ""
	if pay.UnderYears {
		pay.YearsReason = s.get(stepReason)
	}
	pay.Scope = scope
	pay.Deeds = s.get(stepDeeds)
	pay.Phone = s.get(stepPhone)
	if err := ledger.Encode(rec, pay); err != nil {
		return bot.NoReply, err
	}
	if err := store.PutRecord(c.Tx, rec); err != nil {
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
	if err := c.Audit(action, rec.ID, true, detail); err != nil {
		return bot.NoReply, err
	}

	var b strings.Builder
	if action == "edit" {
		fmt.Fprintf(&b, "已保存对 %s 的修改。", rec.ID)
	} else {
		fmt.Fprintf(&b, "推荐成功，编号 %s。", rec.ID)
	}
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
	fmt.Fprintf(&b, "\n\n需要修改请发送“修改 %s”，撤回请发送“撤回 %s”。", rec.ID, rec.ID)
	return c.Reply(b.String()), nil
}
