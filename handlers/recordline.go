package handlers

import (
	"fmt"
	"strings"

	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// RecordLine describes a record in one line: id, task (with its first
// number) or nominee, day, photos, unit and status. For the office it also
// names who reported or entered it. 我的记录 (handlers/records) and the
// office's lists show records with it.
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

// MayManage reports whether the sender may change record r (修改, 撤回,
// 照片, a duplicate's correction): its reporter, an officer of its unit,
// or office staff.
func (c *Context) MayManage(r *store.Record) (bool, error) {
	if r.ReporterID == c.Msg.SenderID || c.Office() {
		return true, nil
	}
	return c.IsOfficerOf(r.UnitID)
}
