package nominate

import (
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// 本单位不推荐: a unit's officer (or office staff) records that the unit
// nominates nobody this campaign. The nomination then counts as answered:
// reminders stop chasing it, 进度 and the export show it. 撤销不推荐, or a
// nomination submitted for the unit, undoes it. It is kept as a
// ledger.NotApplicable mark under ledger.NoNominationTask.

const noNominationReason = ledger.NoNominationReason

func runDeclineNomination(c *handlers.Context) (bot.Reply, error) {
	u, msg, err := declineUnit(c, CommandDecline)
	if err != nil || msg != "" {
		return c.Reply(msg), err
	}
	camp := c.Campaign()
	p, err := ledger.Of(c.Tx, camp, u)
	if err != nil {
		return bot.NoReply, err
	}
	if len(p.Nominations) > 0 {
		ids := ledger.RecordIDs(p.Nominations)
		return c.Reply(fmt.Sprintf("%s已经推荐了 %s，不能再登记“本单位不推荐”；要取消推荐请发送“撤回 %s”。", u.Name, ids, p.Nominations[0].ID)), nil
	}
	na := ledger.NotApplicable{TaskID: ledger.NoNominationTask, Reason: noNominationReason, By: c.Msg.SenderID, At: c.Now}
	if err := ledger.MarkNotApplicable(c.Tx, camp.ID, u.ID, na); err != nil {
		return bot.NoReply, err
	}
	if err := c.AuditAllowed("decline_nomination", u.ID, ""); err != nil {
		return bot.NoReply, err
	}
	return c.Reply(fmt.Sprintf("已登记：%s本次不推荐“%s”。推荐不再提醒本单位，进度和导出表显示“本单位不推荐”。\n如改变主意，发送“推荐”提交推荐（提交后这项登记自动撤销），或发送“撤销不推荐”。",
		u.Name, camp.Nomination.Title)), nil
}

func runUndoDecline(c *handlers.Context) (bot.Reply, error) {
	u, msg, err := declineUnit(c, CommandUndo)
	if err != nil || msg != "" {
		return c.Reply(msg), err
	}
	ok, err := clearDecline(c, u.ID)
	if err != nil {
		return bot.NoReply, err
	}
	if !ok {
		return c.Reply(u.Name + "没有登记过“本单位不推荐”，不需要撤销。"), nil
	}
	return c.Reply(fmt.Sprintf("已撤销%s的“本单位不推荐”，推荐重新计入进度和提醒。发送“推荐”即可推荐。", u.Name)), nil
}

// clearDecline removes a unit's 本单位不推荐, reporting whether there was one.
func clearDecline(c *handlers.Context, unitID string) (bool, error) {
	marks, err := ledger.NotApplicableOf(c.Tx, c.Campaign().ID, unitID)
	if err != nil {
		return false, err
	}
	if _, ok := marks[ledger.NoNominationTask]; !ok {
		return false, nil
	}
	if err := ledger.ClearNotApplicable(c.Tx, c.Campaign().ID, unitID, ledger.NoNominationTask); err != nil {
		return false, err
	}
	return true, c.AuditAllowed("undo_decline_nomination", unitID, "")
}

// declineUnit picks the unit the sender answers for: of the chat (a
// group) or of the sender (one-to-one), asked to nominate, and the sender
// an officer of it or office staff; a name in the arguments picks among
// several, and office staff may name any unit. msg, when not "", is the
// reply instead: no such unit, or which one of several.
func declineUnit(c *handlers.Context, word string) (campaign.Unit, string, error) {
	camp := c.Campaign()
	if camp.Nomination == nil {
		return campaign.Unit{}, "本次活动没有志愿者推荐。", nil
	}
	cands, err := c.SubmitUnits()
	if err != nil {
		return campaign.Unit{}, "", err
	}
	if c.Office() && c.Args != "" {
		if cands, err = store.Roster(c.Tx); err != nil {
			return campaign.Unit{}, "", err
		}
	}
	var units []campaign.Unit
	for _, u := range cands {
		if !camp.NominationExpected(u) {
			continue
		}
		if c.Args != "" && !strings.Contains(u.Name, c.Args) && u.ID != c.Args {
			continue
		}
		ok, err := c.IsOfficerOf(u.ID)
		if err != nil {
			return campaign.Unit{}, "", err
		}
		if ok || c.Office() {
			units = append(units, u)
		}
	}
	switch {
	case len(units) == 0 && c.Args != "":
		return campaign.Unit{}, "没有找到你可以代为登记的单位“" + c.Args + "”。", nil
	case len(units) == 0:
		return campaign.Unit{}, "“" + word + "”由需要推荐的单位的安全员或街道工作人员登记，这里没有你可以代为登记的单位。", nil
	case len(units) > 1:
		return campaign.Unit{}, "请说明是哪个单位，例如“" + word + " " + units[0].Name + "”。可选：" + zhfmt.UnitNames(units) + "。", nil
	}
	return units[0], "", nil
}
