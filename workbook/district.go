package workbook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"firebot/campaign"
	"firebot/config"
	"firebot/store"
)

// Street is one street of a district workbook: its id and name, its own
// store (its slot) and its configuration.
type Street struct {
	ID, Name string
	Store    store.Store
	Config   *config.Config
}

func (s Street) label() string {
	if s.Name != "" {
		return s.Name
	}
	return s.ID
}

// StreetError is the failure to read one street of a district export
// (errors.As finds it under ErrExport): Street is its name as shown.
type StreetError struct {
	ID, Street string
	Err        error
}

func (e *StreetError) Error() string {
	return fmt.Sprintf("workbook: street %s (%s) unreadable: %v", e.Street, e.ID, e.Err)
}

func (e *StreetError) Unwrap() error { return e.Err }

// WriteDistrict writes the district's report as one Excel workbook to w:
//
//	汇总        one line per street: units, and for every task (the
//	           union of the streets' tasks, by id) the units done and
//	           asked and its key number (参与人数…) added up; tasks done,
//	           owed, share and nominations; a 合计 line
//	志愿者推荐  every street's nominations, street by street, with a 街道
//	           column and each id shown with its street (解放碑街道 TJ-0001)
//	推荐表-…    one sheet per nomination in the annex's form, e.g.
//	           推荐表-解放碑-TJ-0001-张三 (unique, at most 31 characters)
//
// Streets are read one at a time, each in its own view, with the street
// workbook's own code (the summary's counting, the nominations list and
// the forms), so a district line says what the street's 合计 line says.
// A street whose store fails fails the export with a *StreetError naming
// the street: never a file that silently lacks a street.
func WriteDistrict(ctx context.Context, w io.Writer, district string, streets []Street, opts Options) error {
	if len(streets) == 0 {
		return fmt.Errorf("%w: a district without streets", ErrExport)
	}
	b, err := newDistrictBook(district, streets, opts)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrExport, err)
	}
	defer b.f.Close()
	for i, s := range streets {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%w: %w", ErrExport, err)
		}
		part, err := b.read(ctx, s)
		if err != nil && ctx.Err() != nil {
			return fmt.Errorf("%w: %w", ErrExport, ctx.Err()) // stopped, not unreadable
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrExport, &StreetError{ID: s.ID, Street: s.label(), Err: err})
		}
		if err := b.add(i, s, part); err != nil {
			return fmt.Errorf("%w: %w", ErrExport, err)
		}
		opts.progress(i+1, len(streets))
	}
	if err := b.finish(); err != nil {
		return fmt.Errorf("%w: %w", ErrExport, err)
	}
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("%w: write workbook: %w", ErrExport, err)
	}
	return nil
}

// districtBook is a district workbook being written.
type districtBook struct {
	name    string
	opts    Options
	f       *excelize.File
	st      styles
	loc     *time.Location
	tasks   []campaign.Task // the union of the streets' tasks, by id
	summary *sheet
	noms    *nominationSheet
	total   districtLine
}

// districtLine is one line of the district's 汇总.
type districtLine struct {
	units, done, asked, noms      int
	taskDone, taskAsked, taskKeys map[string]int // by task id
}

func newDistrictLine() districtLine {
	return districtLine{taskDone: map[string]int{}, taskAsked: map[string]int{}, taskKeys: map[string]int{}}
}

func newDistrictBook(name string, streets []Street, opts Options) (*districtBook, error) {
	f := excelize.NewFile(excelize.Options{TmpDir: opts.TmpDir})
	b := &districtBook{name: name, opts: opts, f: f, loc: streets[0].Config.Location,
		total: newDistrictLine()}
	if b.loc == nil {
		b.loc = time.Local
	}
	seen := map[string]bool{}
	for _, s := range streets {
		for _, t := range s.Config.Campaign.Tasks {
			if !seen[t.ID] {
				seen[t.ID] = true
				b.tasks = append(b.tasks, t)
			}
		}
	}
	err := func() error {
		var err error
		if b.st, err = newBook(f); err != nil {
			return err
		}
		if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
			return err
		}
		if _, err := f.NewSheet(SheetNominations); err != nil {
			return err
		}
		if err := b.summaryHead(); err != nil {
			return err
		}
		// The list's header (the 不满N年 column) follows the first street.
		first := newPart(streets[0].Config, nil, opts, f, b.st, streets[0].label())
		b.noms, err = newNominationSheet(first, true)
		return err
	}()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return b, nil
}

// read reads one street in one view: its summary counts and its
// nominations, decoded (nothing is written to the file until the view
// has been read in full, so a retried view adds nothing twice).
func (b *districtBook) read(ctx context.Context, s Street) (*exporter, error) {
	if s.Store == nil || s.Config == nil {
		return nil, errors.New("no store or configuration")
	}
	var e *exporter
	err := s.Store.View(ctx, func(tx store.Tx) error {
		roster, err := rosterOf(tx, s.Config)
		if err != nil {
			return err
		}
		o := b.opts
		o.Progress = nil
		e = newPart(s.Config, roster, o, b.f, b.st, s.label())
		return e.fill(ctx, tx)
	})
	return e, err
}

// Columns of the district's 汇总: 序号 街道 单位数, three per task (完成,
// 应完成, the task's key number as the street's 合计 adds it up), then
// 已完成 应完成 完成率 推荐人数.
const (
	districtFixed   = 3
	districtPerTask = 3
)

func (b *districtBook) summaryCols() []column {
	cols := []column{{"序号", 6}, {"街道", 16}, {"单位数", 8}}
	for _, t := range b.tasks {
		cols = append(cols, column{t.Name, colWidth(max(textWidth(t.Name)/3, 7), 10)}, column{"", 8}, column{"", 9})
	}
	return append(cols, column{"已完成", 8}, column{"应完成", 8}, column{"完成率", 8}, column{"推荐人数", 9})
}

// summaryHead writes the 汇总's title and two header lines.
func (b *districtBook) summaryHead() error {
	s, err := newSheet(b.f, SheetSummary, landscape, 3)
	if err != nil {
		return err
	}
	b.summary = s
	cols := b.summaryCols()
	if err := s.widths(cols); err != nil {
		return err
	}
	if err := s.freeze(2, 3); err != nil {
		return err
	}
	title := b.name + "各街道活动信息汇总"
	if !b.opts.Now.IsZero() {
		title += "　导出时间：" + b.opts.Now.In(b.loc).Format("2006-01-02 15:04")
	}
	if err := s.banner(b.st.title, title, len(cols)); err != nil {
		return err
	}
	return s.groupedHeader(b.st.header, cols, districtFixed, districtPerTask, len(b.tasks), func(i int) []string {
		return []string{"完成", "应完成", keyTitle(b.tasks[i])}
	})
}

// add writes a street's 汇总 line and its nominations (order is its place).
func (b *districtBook) add(order int, s Street, e *exporter) error {
	c := e.summary
	line := newDistrictLine()
	line.units, line.done, line.asked, line.noms = c.n, c.sumDone, c.sumAsked, c.noms
	for i, t := range c.tasks {
		line.taskDone[t.ID], line.taskAsked[t.ID], line.taskKeys[t.ID] = c.done[i], c.asked[i], c.keys[i]
	}
	if err := b.line(order+1, s.label(), line, false); err != nil {
		return err
	}
	b.total.merge(line)
	for _, x := range e.found {
		if err := b.noms.put(x, order); err != nil {
			return err
		}
	}
	return nil
}

func (l *districtLine) merge(o districtLine) {
	l.units += o.units
	l.done += o.done
	l.asked += o.asked
	l.noms += o.noms
	for id, n := range o.taskDone {
		l.taskDone[id] += n
	}
	for id, n := range o.taskAsked {
		l.taskAsked[id] += n
	}
	for id, n := range o.taskKeys {
		l.taskKeys[id] += n
	}
}

// line writes one line of the 汇总; a task a street does not run shows —.
func (b *districtBook) line(n int, label string, l districtLine, total bool) error {
	st := b.st
	text, number, pct := st.text, st.number, st.percent
	var num any = n
	if total {
		text, number, pct, num = st.total, st.total, st.totalPct, ""
	}
	row := []any{cell(text, num), cell(text, label), cell(number, l.units)}
	for _, t := range b.tasks {
		asked, ok := l.taskAsked[t.ID]
		if !ok {
			row = append(row, cell(st.none, StatusNotRequired), cell(st.none, ""), cell(st.none, ""))
			continue
		}
		row = append(row, cell(number, l.taskDone[t.ID]), cell(number, asked), cell(number, l.taskKeys[t.ID]))
	}
	row = append(row, cell(number, l.done), cell(number, l.asked), cell(pct, ratio(l.done, l.asked)), cell(number, l.noms))
	return b.summary.add(text, 0, row...)
}

// finish writes the 合计 line, closes the sheets and writes the forms.
func (b *districtBook) finish() error {
	if err := b.line(0, "合计", b.total, true); err != nil {
		return err
	}
	if err := b.summary.flush(); err != nil {
		return err
	}
	if err := b.noms.flush(); err != nil {
		return err
	}
	if err := b.noms.writeForms(); err != nil {
		return err
	}
	return b.f.SetDocProps(&excelize.DocProperties{
		Title: b.name + "各街道活动信息汇总", Creator: "firebot", Created: b.opts.Now.Format(time.RFC3339),
	})
}
