package handlers

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// 我的记录: one's own records, and for officers their units' records.

const recordsShown = 20

func runRecords(c *Context) (bot.Reply, error) {
	camp := c.Campaign()
	own, err := store.RecordsOfReporter(c.Tx, camp.ID, c.Msg.SenderID)
	if err != nil {
		return bot.NoReply, err
	}
	names := unitNameCache{c: c}
	var b strings.Builder
	if len(own) == 0 {
		b.WriteString("你还没有提交过记录。")
	} else {
		b.WriteString("你提交的记录：")
		writeRecords(&b, c, own, &names)
	}
	seen := map[string]bool{}
	for _, r := range own {
		seen[r.ID] = true
	}
	units, err := c.OfficerUnits()
	if err != nil {
		return bot.NoReply, err
	}
	for _, u := range units {
		recs, err := store.RecordsOfUnit(c.Tx, camp.ID, u.ID)
		if err != nil {
			return bot.NoReply, err
		}
		var others []*store.Record
		for _, r := range recs {
			if !seen[r.ID] {
				others = append(others, r)
			}
		}
		if len(others) > 0 {
			b.WriteString("\n\n" + u.Name + "的其他记录（你是安全员，可以修改或撤回）：")
			writeRecords(&b, c, others, &names)
		}
	}
	b.WriteString("\n\n修改请发送“修改 编号”，撤回请发送“撤回 编号”")
	if c.ImagesArrive() {
		b.WriteString("，补照片请发送“照片 编号”后发图片")
	}
	b.WriteString("。")
	return c.Reply(b.String()), nil
}

func writeRecords(b *strings.Builder, c *Context, recs []*store.Record, names *unitNameCache) {
	recs = append([]*store.Record(nil), recs...)
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].CreatedAt.After(recs[j].CreatedAt) })
	for i, r := range recs {
		if i == recordsShown {
			fmt.Fprintf(b, "\n……另有%d条未列出", len(recs)-recordsShown)
			break
		}
		b.WriteString("\n· " + recordLine(c, r, names.name(r.UnitID)))
	}
}

// unitNameCache reads each unit's name once per message.
type unitNameCache struct {
	c     *Context
	names map[string]string
}

func (n *unitNameCache) name(id string) string {
	if n.names == nil {
		n.names = map[string]string{}
	}
	if v, ok := n.names[id]; ok {
		return v
	}
	v := id
	if u, err := store.GetUnit(n.c.Tx, id); err == nil {
		v = u.Name
	}
	n.names[id] = v
	return v
}

// recordLine describes a record in one line for its reporter or unit.
func recordLine(c *Context, r *store.Record, unitName string) string {
	return RecordLine(c.Campaign(), r, unitName, false)
}

// RecordLine describes a record in one line: id, task (with its first
// number) or nominee, day, photos, unit and status. For the office it also
// names who reported or entered it.
func RecordLine(camp *campaign.Campaign, r *store.Record, unitName string, forOffice bool) string {
	var parts []string
	switch r.Kind {
	case store.KindConfirmation:
		pay, _ := ledger.DecodeConfirmation(r)
		name := r.TaskID
		if t, ok := camp.Task(r.TaskID); ok {
			name = t.Name
			for _, fd := range t.Fields {
				if v := pay.Fields[fd.ID]; v != "" && fd.Type != "text" {
					name += " " + fd.Name + v
					break
				}
			}
		}
		parts = append(parts, r.ID+" "+name, zhfmt.StoredDate(pay.Date))
		if forOffice {
			reporter := pay.ReporterName
			if reporter == "" {
				reporter = r.ReporterID
			}
			if pay.EnteredBy != "" {
				reporter = "代录：" + pay.EnteredBy
			}
			parts = append(parts, reporter)
		}
		if len(pay.Photos) > 0 {
			parts = append(parts, fmt.Sprintf("照片%d张", len(pay.Photos)))
		}
	case store.KindNomination:
		pay, _ := ledger.DecodeNomination(r)
		l := r.ID + " 推荐 " + pay.Name + "（" + pay.NomineeKind + "）"
		if pay.Late {
			l += "【逾期】"
		}
		parts = append(parts, l)
	default:
		parts = append(parts, r.ID)
	}
	if unitName != "" {
		parts = append(parts, unitName)
	}
	line := strings.Join(parts, " · ")
	switch r.Status {
	case store.StatusWithdrawn:
		line += "（已撤回）"
	case store.StatusReturned:
		if forOffice {
			line += "（已退回，待修改）"
		} else {
			line += "（已退回，请修改后重新提交）"
		}
	}
	return line
}

// loadRecord reads the record a user named, checking that they may manage
// it: its reporter, an officer of its unit, or office staff. The refusal
// (a reply) is returned instead of the record when they may not.
func loadRecord(c *Context, action, arg string) (*store.Record, string, error) {
	f := strings.Fields(arg)
	if len(f) == 0 {
		return nil, fmt.Sprintf("请写明记录编号，例如“%s HD-0003”。发送“我的记录”可以查看编号。", action), nil
	}
	id, err := store.NormalizeID(f[0])
	if err != nil {
		return nil, fmt.Sprintf("“%s”不是记录编号。编号形如 HD-0003（上报）或 TJ-0001（推荐），发送“我的记录”可以查看。", Clip(f[0], 20)), nil
	}
	r, err := store.GetRecord(c.Tx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && r.CampaignID != c.Campaign().ID {
		return nil, "没有找到记录 " + id + "。发送“我的记录”可以查看你的记录编号。", nil
	}
	if err != nil {
		return nil, "", err
	}
	if r.Kind != store.KindConfirmation && r.Kind != store.KindNomination {
		return nil, id + " 不是上报或推荐记录，不能在这里" + action + "。", nil
	}
	allowed, err := canManage(c, r)
	if err != nil {
		return nil, "", err
	}
	if !allowed {
		reason := id + " 不是你提交的，你也不是该单位的安全员，所以不能" + action + "。如有需要，请联系提交人或单位安全员。"
		if err := c.AuditRefused(auditAction(action), id, "非提交人、非本单位安全员"); err != nil {
			return nil, "", err
		}
		return nil, reason, nil
	}
	return r, "", nil
}

func auditAction(action string) string {
	switch action {
	case "修改":
		return "edit"
	case "撤回":
		return "withdraw"
	case "补充照片":
		return "photo"
	}
	return action
}

// canManage: the reporter, an officer of the record's unit, office staff.
func canManage(c *Context, r *store.Record) (bool, error) {
	if r.ReporterID == c.Msg.SenderID || c.Office() {
		return true, nil
	}
	return c.IsOfficerOf(r.UnitID)
}
