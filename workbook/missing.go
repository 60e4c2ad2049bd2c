package workbook

import (
	"fmt"
	"strings"

	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
)

// The missing list (未完成清单) has one line per thing a unit still owes:
// each task not done, and the volunteer nomination when the unit is asked
// for one and has none. Records sent back (退回) are named with the reason,
// since they count as missing until resubmitted.
type missingSheet struct {
	*sheet
	e *exporter
}

func newMissingSheet(e *exporter) (*missingSheet, error) {
	s, err := newSheet(e.f, SheetMissing, landscape, 1)
	if err != nil {
		return nil, err
	}
	cols := []column{
		{"单位名称", colWidth(maxNameWidth(e.roster), 40)}, {"板块", 12}, {"类别", 12}, {"安全员", 16},
		{"未完成事项", 30}, {"截止时间", 17}, {"还差（份）", 10}, {"说明", 60},
	}
	if err := s.widths(cols); err != nil {
		return nil, err
	}
	if err := s.freeze(1, 1); err != nil {
		return nil, err
	}
	return &missingSheet{sheet: s, e: e}, s.header(e.st.header, cols)
}

// NominationItem is the missing-list name of an owed nomination.
const NominationItem = "最美消防志愿者推荐"

func (m *missingSheet) add(p ledger.UnitProgress, pays map[string]ledger.Confirmation, returnedNoms []*store.Record) error {
	st := m.e.st
	u := p.Unit
	var names []string
	for _, o := range u.OfficerPeople() {
		names = append(names, m.e.nameOf(o.ID, o.Name)+phoneSuffix(o.Phone))
	}
	officers := strings.Join(names, "、")
	line := func(item, deadline string, owed int, note string) error {
		return m.sheet.add(st.text, 0, u.Name, m.e.sectorOf(u), categoryOf(u), officers,
			item, deadline, cell(st.number, owed), cell(st.wrap, note))
	}
	for _, ts := range p.Missing() {
		var notes []string
		if n := len(ts.Records); n > 0 {
			notes = append(notes, fmt.Sprintf("已报%d份（%s）", n, strings.Join(ids(ts.Records), "、")))
		}
		for _, r := range ts.Returned {
			notes = append(notes, returnNote(r.ID, pays[r.ID].ReturnReason, m.e.nameOf(pays[r.ID].ReturnedBy, "")))
		}
		if err := line(ts.Task.Name, m.e.deadlineText(taskDeadline(m.e.c, ts.Task)), ts.Owed(), strings.Join(notes, "；")); err != nil {
			return err
		}
	}
	if p.OwesNomination() {
		var notes []string
		for _, r := range returnedNoms {
			n, _ := ledger.DecodeNomination(r)
			notes = append(notes, returnNote(r.ID, n.ReturnReason, ""))
		}
		deadline := ""
		if c := m.e.c.Nomination; c != nil {
			deadline = m.e.deadlineText(c.ChasedDeadline)
		}
		if err := line(NominationItem, deadline, 1, strings.Join(notes, "；")); err != nil {
			return err
		}
	}
	return nil
}

func taskDeadline(c *campaign.Campaign, t campaign.Task) string {
	if d, ok := c.TaskDeadline(t); ok {
		return d.ID
	}
	return campaign.DefaultTaskDeadline
}

// returnNote says a record was sent back, why and by whom.
func returnNote(id, reason, by string) string {
	s := id + "已退回"
	if reason != "" {
		s += "：" + reason
	}
	if by != "" {
		s += "（" + by + "）"
	}
	return s
}

func ids(recs []*store.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

// phoneSuffix is " 电话" when a phone is known.
func phoneSuffix(phone string) string {
	if phone == "" {
		return ""
	}
	return " " + phone
}
