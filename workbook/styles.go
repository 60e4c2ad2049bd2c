package workbook

import (
	"fmt"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// styles are the workbook's cell styles.
type styles struct {
	title     int // a sheet's title line
	note      int // small grey text under a title
	header    int // column titles
	text      int // plain cell with a border
	wrap      int // long text, wrapped
	number    int // whole number
	percent   int // 0%
	done      int // 已完成
	missing   int // 未完成
	na        int // 不适用
	none      int // the task does not apply to the unit's kind
	total     int // the totals line
	totalPct  int
	formTitle int // a 推荐表's heading
	formLabel int // a 推荐表's label cell
	formValue int // a 推荐表's value cell, wrapped
	flag      int // 逾期 / 不满2年
	date      int // an Excel date, yyyy-mm-dd
	dateTime  int // an Excel date and time, yyyy-mm-dd hh:mm
	late      int // a late record's date (red)
}

const defaultFont = "等线" // Excel's default Chinese font since 2016

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	top := &excelize.Alignment{Vertical: "top"}
	wrapTop := &excelize.Alignment{Vertical: "top", WrapText: true}
	centre := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	fill := func(hex string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{hex}}
	}
	dateFmt, dateTimeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	var s styles
	for _, d := range []struct {
		id *int
		s  *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.note, &excelize.Style{Font: &excelize.Font{Size: 10, Color: "595959"}, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill("D9E1F2"), Border: border, Alignment: centre}},
		{&s.text, &excelize.Style{Border: border, Alignment: top}},
		{&s.wrap, &excelize.Style{Border: border, Alignment: wrapTop}},
		{&s.number, &excelize.Style{Border: border, Alignment: top, NumFmt: 1}},
		{&s.percent, &excelize.Style{Border: border, Alignment: top, NumFmt: 9}},
		{&s.done, &excelize.Style{Border: border, Alignment: top, Font: &excelize.Font{Color: "006100"}, Fill: fill("C6EFCE")}},
		{&s.missing, &excelize.Style{Border: border, Alignment: top, Font: &excelize.Font{Color: "9C0006"}, Fill: fill("FFC7CE")}},
		{&s.na, &excelize.Style{Border: border, Alignment: top, Font: &excelize.Font{Color: "595959"}, Fill: fill("EDEDED")}},
		{&s.none, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}, Font: &excelize.Font{Color: "A6A6A6"}}},
		{&s.total, &excelize.Style{Border: border, Font: &excelize.Font{Bold: true}, Fill: fill("F2F2F2"), Alignment: top}},
		{&s.totalPct, &excelize.Style{Border: border, Font: &excelize.Font{Bold: true}, Fill: fill("F2F2F2"), Alignment: top, NumFmt: 9}},
		{&s.formTitle, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.formLabel, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill("F2F2F2"), Border: border, Alignment: centre}},
		{&s.formValue, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&s.flag, &excelize.Style{Border: border, Alignment: top, Font: &excelize.Font{Bold: true, Color: "9C0006"}}},
		{&s.date, &excelize.Style{Border: border, Alignment: top, CustomNumFmt: &dateFmt}},
		{&s.dateTime, &excelize.Style{Border: border, Alignment: top, CustomNumFmt: &dateTimeFmt}},
		{&s.late, &excelize.Style{Border: border, Alignment: top, CustomNumFmt: &dateFmt, Font: &excelize.Font{Bold: true, Color: "9C0006"}}},
	} {
		id, err := f.NewStyle(d.s)
		if err != nil {
			return s, fmt.Errorf("workbook: style: %w", err)
		}
		*d.id = id
	}
	return s, nil
}

// textWidth is the width of s in Excel's column units: a Chinese (wide)
// character counts two, anything else one. Multi-line text counts its
// longest line.
func textWidth(s string) float64 {
	best, cur := 0, 0
	for _, r := range s {
		switch {
		case r == '\n':
			cur = 0
		case r >= 0x1100 && utf8.RuneLen(r) >= 3:
			cur += 2
		default:
			cur++
		}
		best = max(best, cur)
	}
	return float64(best)
}

// colWidth is a readable width for a column whose widest entry is w units:
// a little padding, at least 6 and at most limit.
func colWidth(w, limit float64) float64 {
	return min(max(w+2, 6), limit)
}

// wrappedHeight is a row height (points) that shows text wrapped in a
// column width units wide, capped at Excel's maximum of 409 points.
func wrappedHeight(text string, width float64) float64 {
	lines := 0.0
	for _, line := range splitLines(text) {
		w := textWidth(line)
		lines += max(1, float64(int((w+width-1)/width)))
	}
	return min(max(lines, 1)*15+6, 409)
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if r == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
