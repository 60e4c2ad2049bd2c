package workbook

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"firebot/campaign"
	"firebot/chart"
	"firebot/ledger"
	"firebot/store"
)

// The summary (汇总) has one line per unit and three columns per task
// (状态, 日期, the task's key number), under a title line and a two-line
// header:
//
//	row 1   title and export time
//	row 2   序号 单位名称 类型 板块 类别 联系人 联系电话 | task 1 (merged over 3) | … | 已完成 应完成 完成率 推荐人数
//	row 3                                       | 状态 日期 参与人数 | … |
//
// 状态 is 已完成, 未完成, 不适用 or — with what explains it on the lines
// below (the 不适用 reason, 已报1/2份, records sent back, 逾期); 日期 is the
// first activity's day as an Excel date (red when a record came in after
// the task's deadline; later days are listed under the status); the key
// number is the task's first whole-number field summed over its records
// (份数 for a task without one).
//
//	row 4…  units, then a 合计 line
const (
	summaryFixed     = 7 // 序号 单位名称 类型 板块 类别 联系人 联系电话
	summaryFirstData = 4
	perTask          = 3 // 状态 日期 key number
)

// keyTitle is the title of a task's key-number column.
func keyTitle(t campaign.Task) string {
	if f, ok := keyField(t); ok {
		return f.Name
	}
	return "份数"
}

type summarySheet struct {
	*sheet
	e                       *exporter
	tasks                   []campaign.Task
	n                       int   // units written
	done                    []int // per task: units done (不适用 included)
	asked                   []int // per task: units it applies to
	keys                    []int // per task: the key numbers added up
	sumDone, sumAsked, noms int
}

// newSummaryCount is a summary that only counts (no sheet): a street's
// part of a district workbook, whose line the district's 汇总 shows.
func newSummaryCount(e *exporter) *summarySheet {
	return &summarySheet{e: e, tasks: e.c.Tasks,
		done: make([]int, len(e.c.Tasks)), asked: make([]int, len(e.c.Tasks)), keys: make([]int, len(e.c.Tasks))}
}

func newSummarySheet(e *exporter) (*summarySheet, error) {
	s, err := newSheet(e.f, SheetSummary, landscape, summaryFirstData-1)
	if err != nil {
		return nil, err
	}
	ss := newSummaryCount(e)
	ss.sheet = s
	nameW := textWidth("单位名称")
	sectorW := textWidth("板块")
	for _, u := range e.roster {
		nameW = max(nameW, textWidth(u.Name))
		sectorW = max(sectorW, textWidth(e.sectorName[u.Sector]))
	}
	cols := []column{{"序号", 6}, {"单位名称", colWidth(nameW, 40)}, {"类型", 8}, {"板块", colWidth(sectorW, 20)}, {"类别", 14}, {"联系人", 10}, {"联系电话", 14}}
	for _, t := range ss.tasks {
		cols = append(cols, column{t.Name, colWidth(max(textWidth(t.Name)-20, 10), 24)}, column{"", 11}, column{"", 9})
	}
	cols = append(cols, column{"已完成", 8}, column{"应完成", 8}, column{"完成率", 8}, column{"推荐人数", 9})
	if err := s.widths(cols); err != nil {
		return nil, err
	}
	if err := s.freeze(2, summaryFirstData-1); err != nil {
		return nil, err
	}
	st := e.st
	if err := s.banner(st.title, e.title()+"　"+e.stamp(), len(cols)); err != nil {
		return nil, err
	}
	err = s.groupedHeader(st.header, cols, summaryFixed, perTask, len(ss.tasks), func(i int) []string {
		return []string{"状态", "日期", keyTitle(ss.tasks[i])}
	})
	if err != nil {
		return nil, err
	}
	return ss, nil
}

// add writes one unit's line.
func (s *summarySheet) add(p ledger.UnitProgress, pays map[string]ledger.Confirmation) error {
	st := s.e.st
	u := p.Unit
	s.n++
	byTask := map[string]ledger.TaskStatus{}
	for _, t := range p.Tasks {
		byTask[t.Task.ID] = t
	}
	contact, phone := "", ""
	if u.Contact != nil {
		contact, phone = u.Contact.Name, u.Contact.Phone
	}
	row := []any{s.n, u.Name, u.Kind.Label(), s.e.sectorOf(u), categoryOf(u), contact, phone}
	for i, t := range s.tasks {
		ts, ok := byTask[t.ID]
		if !ok {
			row = append(row, cell(st.none, StatusNotRequired), cell(st.none, ""), cell(st.none, ""))
			continue
		}
		s.asked[i]++
		if ts.Done() {
			s.done[i]++
		}
		row = append(row, s.taskCells(ts, pays)...)
	}
	done, applicable := p.DoneCount()
	s.sumDone += done
	s.sumAsked += applicable
	s.noms += len(p.Nominations)
	noms := cell(st.number, len(p.Nominations))
	if p.NoNomination != nil && len(p.Nominations) == 0 {
		noms = cell(st.text, NoNominationText)
	}
	if s.sheet == nil {
		return nil // counting only
	}
	row = append(row, cell(st.number, done), cell(st.number, applicable), share(st.percent, done, applicable), noms)
	return s.sheet.add(st.text, 0, row...)
}

// taskCells are a task's 状态, 日期 and key-number cells.
func (s *summarySheet) taskCells(ts ledger.TaskStatus, pays map[string]ledger.Confirmation) []any {
	st, e := s.e.st, s.e
	status, style := StatusMissing, st.missing
	var notes []string
	switch {
	case ts.NotApplicable != nil:
		status, style = StatusNA, st.na
		if ts.NotApplicable.Reason != "" {
			notes = append(notes, "原因："+ts.NotApplicable.Reason)
		}
	case ts.Done():
		status, style = StatusDone, st.done
	case len(ts.Records) > 0:
		notes = append(notes, fmt.Sprintf("已报%d/%d份", len(ts.Records), ts.Required))
	}
	days := datesOf(ts.Records, pays)
	if len(days) > 1 {
		notes = append(notes, "另："+strings.Join(days[1:], "、"))
	}
	anyLate := false
	for _, r := range ts.Records {
		if late(e.c, ts.Task, r) {
			anyLate = true
			notes = append(notes, r.ID+"逾期上报")
		}
	}
	for _, r := range ts.Returned {
		notes = append(notes, r.ID+"已退回")
	}
	text := strings.Join(append([]string{status}, notes...), "\n")
	out := []any{cell(style, text), cell(st.text, ""), cell(st.number, "")}
	if len(days) > 0 {
		dateStyle := st.date
		if anyLate {
			dateStyle = st.late
		}
		out[1] = e.dateCell(days[0], dateStyle)
	}
	if _, ok := keyField(ts.Task); ok {
		if n, ok := keySum(ts.Task, ts.Records, pays); ok {
			out[2] = cell(st.number, n)
			s.keys[s.taskIndex(ts.Task.ID)] += n
		}
	} else if len(ts.Records) > 0 {
		out[2] = cell(st.number, len(ts.Records))
		s.keys[s.taskIndex(ts.Task.ID)] += len(ts.Records)
	}
	return out
}

func (s *summarySheet) taskIndex(id string) int {
	for i, t := range s.tasks {
		if t.ID == id {
			return i
		}
	}
	return 0
}

// datesOf lists the activity dates of records, in order, without repeats.
func datesOf(recs []*store.Record, pays map[string]ledger.Confirmation) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range recs {
		d := pays[r.ID].Date
		if d == "" || seen[d] {
			continue
		}
		seen[d] = true
		out = append(out, d)
	}
	return out
}

// share is done/total as a percentage cell (empty when total is 0).
func share(style, done, total int) excelize.Cell {
	if total == 0 {
		return cell(style, "")
	}
	return cell(style, ratio(done, total))
}

// finish writes the 合计 line and closes the sheet.
func (s *summarySheet) finish() error {
	st := s.e.st
	row := []any{"", "合计", fmt.Sprintf("%d个单位", s.n), "", "", "", ""}
	for i := range s.tasks {
		row = append(row, fmt.Sprintf("完成%d/%d", s.done[i], s.asked[i]), "", s.keys[i])
	}
	row = append(row, s.sumDone, s.sumAsked, cell(st.totalPct, ratio(s.sumDone, s.sumAsked)), s.noms)
	if err := s.sheet.add(st.total, 0, row...); err != nil {
		return err
	}
	return s.flush()
}

func ratio(done, total int) any {
	if total == 0 {
		return ""
	}
	// Whole percent, rounded half up as everywhere else (chart.Percent):
	// the cell shows what 统计 and the chart say, whatever the viewer's
	// rounding.
	return float64(chart.Percent(done, total)) / 100
}

// NoNominationText is shown in 推荐人数 for a unit that recorded it
// nominates nobody (本单位不推荐).
const NoNominationText = "本单位不推荐"
