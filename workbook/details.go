package workbook

import (
	"path"

	"github.com/xuri/excelize/v2"
	"strconv"
	"strings"

	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
)

// The activity details (活动明细) have one line per active confirmation:
// who, which task, when, the task's configured fields (one cell, a line per
// field: "参与人数：120", in the task's order), place, description, reporter,
// who entered it on the unit's behalf (代录) and the photo file names as
// they appear in the photos zip. Tasks collect different fields, so one
// column per field would leave most cells empty and the sheet too wide to
// print.
type detailsSheet struct {
	*sheet
	e      *exporter
	thumbs []thumb
}

var detailsCols = []column{
	{"编号", 10}, {"单位名称", 24}, {"板块", 10}, {"类别", 12}, {"任务", 22}, {"活动日期", 11},
	{"填报内容", 30}, {"活动地点", 18}, {"活动简述", 40}, {"上报人", 10}, {"代录人", 10},
	{"材料提供人", 14}, {"上报时间", 17}, {"逾期", 6}, {"照片", thumbColWidth}, {"照片数", 7}, {"缺失照片", 7}, {"照片文件", 18},
}

// photoCol is the 1-based column of the thumbnails.
var photoCol = func() int {
	for i, c := range detailsCols {
		if c.title == "照片" {
			return i + 1
		}
	}
	panic("workbook: no 照片 column")
}()

func newDetailsSheet(e *exporter) (*detailsSheet, error) {
	s, err := newSheet(e.f, SheetDetails, landscape, 1)
	if err != nil {
		return nil, err
	}
	cols := append([]column(nil), detailsCols...)
	cols[1].width = colWidth(maxNameWidth(e.roster), 40)
	if err := s.widths(cols); err != nil {
		return nil, err
	}
	if err := s.freeze(2, 1); err != nil {
		return nil, err
	}
	return &detailsSheet{sheet: s, e: e}, s.header(e.st.header, cols)
}

func maxNameWidth(r campaign.Roster) float64 {
	w := textWidth("单位名称")
	for _, u := range r {
		w = max(w, textWidth(u.Name))
	}
	return w
}

// add writes the unit's active confirmations, task by task.
func (d *detailsSheet) add(p ledger.UnitProgress, pays map[string]ledger.Confirmation) error {
	st := d.e.st
	u := p.Unit
	for _, ts := range p.Tasks {
		for _, r := range ts.Records {
			c := pays[r.ID]
			reporter := d.e.nameOf(r.ReporterID, c.ReporterName)
			names := PhotoNames(r, c)
			var photos, missing []string
			var first string // the first photo that can be read
			for i, stored := range c.Photos {
				if !d.e.present(stored) {
					missing = append(missing, names[i]+"（缺失）")
					continue
				}
				photos = append(photos, names[i])
				if first == "" {
					first = d.e.photoFile(stored)
				}
			}
			height := 0.0
			if first != "" {
				th, err := thumbnail(first)
				if err != nil {
					d.e.opts.logger().Warn("no thumbnail", "id", r.ID, "err", err)
				} else {
					th.ref, _ = excelize.CoordinatesToCellName(photoCol, d.row+1)
					d.thumbs = append(d.thumbs, th)
					height = thumbRowHeight
				}
			}
			missingCount := cell(st.number, "")
			if len(missing) > 0 {
				missingCount = cell(st.flag, len(missing))
			}
			dateStyle := st.date
			isLate := c.Late || late(d.e.c, ts.Task, r) // Late: recorded since 2026-12
			if isLate {
				dateStyle = st.late
			}
			err := d.sheet.add(st.text, height,
				r.ID, u.Name, d.e.sectorOf(u), categoryOf(u), ts.Task.Name, d.e.dateCell(c.Date, dateStyle),
				cell(st.wrap, FieldsText(ts.Task, c)), cell(st.wrap, c.Place), cell(st.wrap, c.Description),
				reporter, d.e.nameOf(c.EnteredBy, ""), cell(st.wrap, c.SuppliedBy), d.e.timeCell(r.CreatedAt), cell(st.flag, yes(isLate)),
				cell(st.text, ""), cell(st.number, len(photos)), missingCount, cell(st.wrap, strings.Join(append(photos, missing...), "\n")))
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// FieldsText is a confirmation's fields as lines "名称：值", in the task's
// field order, leaving out fields not answered.
func FieldsText(t campaign.Task, c ledger.Confirmation) string {
	var lines []string
	for _, f := range t.Fields {
		if v, ok := c.Fields[f.ID]; ok && strings.TrimSpace(v) != "" {
			lines = append(lines, f.Name+"："+v)
		}
	}
	return strings.Join(lines, "\n")
}

// PhotoNames are the file names of a confirmation's photos inside the
// photos zip (in its unit's folder): the stored name when it is already
// <record id>-<n>.<ext>, as the chat handlers file attached photos, and
// that form otherwise (e.g. a photo still under pending/).
func PhotoNames(r *store.Record, c ledger.Confirmation) []string {
	out := make([]string, len(c.Photos))
	for i, name := range c.Photos {
		base := path.Base(strings.ReplaceAll(name, "\\", "/"))
		if strings.HasPrefix(base, r.ID+"-") && !strings.ContainsAny(base, ":*?\"<>|") {
			out[i] = base
			continue
		}
		out[i] = r.ID + "-" + strconv.Itoa(i+1) + strings.ToLower(path.Ext(base))
	}
	return dedupe(out, r.ID)
}

// dedupe renames repeated names so every photo keeps its own file.
func dedupe(names []string, id string) []string {
	seen := map[string]bool{}
	for i, n := range names {
		for k := len(names) + 1; seen[n]; k++ {
			n = id + "-" + strconv.Itoa(k) + path.Ext(n)
		}
		seen[n] = true
		names[i] = n
	}
	return names
}
