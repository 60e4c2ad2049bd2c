package workbook

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// sheet is one streamed worksheet and its next row.
type sheet struct {
	name string
	sw   *excelize.StreamWriter
	row  int // the last row written
}

// column is one column of a table-like sheet.
type column struct {
	title string
	width float64
}

// Print layouts.
const (
	landscape = "landscape" // wide tables: all columns on one page width
	portrait  = "portrait"  // the 推荐表 forms
)

// newSheet starts streaming an existing sheet, printed on A4 in the given
// orientation, as many pages high as needed and one page wide; titleRows
// (if any) repeat at the top of every printed page.
func newSheet(f *excelize.File, name, orientation string, titleRows int) (*sheet, error) {
	// Page set-up first: the stream writer copies the sheet's properties
	// when it is created and its page layout when it is flushed.
	if err := pageSetup(f, name, orientation, titleRows); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %w", name, err)
	}
	return &sheet{name: name, sw: sw}, nil
}

// pageSetup prints a sheet on A4 in the given orientation, one page wide;
// titleRows (if any) repeat at the top of every page.
func pageSetup(f *excelize.File, name, orientation string, titleRows int) error {
	fit, a4, wide, auto := true, 9, 1, 0
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &auto})
	if err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	if titleRows > 0 {
		err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: name,
			RefersTo: fmt.Sprintf("'%s'!$1:$%d", name, titleRows)})
		if err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	return nil
}

// widths sets the column widths; call it before the first row.
func (s *sheet) widths(cols []column) error {
	for i, c := range cols {
		if err := s.sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	return nil
}

// freeze keeps the first rows and columns in view; call before the first row.
func (s *sheet) freeze(cols, rows int) error {
	cell, err := excelize.CoordinatesToCellName(cols+1, rows+1)
	if err != nil {
		return err
	}
	return s.sw.SetPanes(&excelize.Panes{
		Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: cell, ActivePane: "bottomRight",
	})
}

// add writes the next row. Plain values take style; excelize.Cell values
// keep their own.
func (s *sheet) add(style int, height float64, values ...any) error {
	s.row++
	row := make([]any, len(values))
	for i, v := range values {
		if c, ok := v.(excelize.Cell); ok {
			row[i] = c
			continue
		}
		row[i] = excelize.Cell{StyleID: style, Value: v}
	}
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	opts := excelize.RowOpts{}
	if height > 0 {
		opts.Height = height
	}
	if err := s.sw.SetRow(cell, row, opts); err != nil {
		return fmt.Errorf("sheet %s row %d: %w", s.name, s.row, err)
	}
	return nil
}

// header writes the column titles as the next row.
func (s *sheet) header(style int, cols []column) error {
	titles := make([]any, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	return s.add(style, 30, titles...)
}

// banner writes a title line merged over the first width columns.
func (s *sheet) banner(style int, text string, width int) error {
	if err := s.add(style, 28, cell(style, text)); err != nil {
		return err
	}
	return s.merge(1, s.row, width, s.row)
}

// groupedHeader writes a two-line header: the column titles, then under
// each of groups groups of per columns (after the first fixed columns) the
// group's sub-titles (sub(i) for group i), the group's title merged over
// them; every other column's title spans both lines.
func (s *sheet) groupedHeader(style int, cols []column, fixed, per, groups int, sub func(i int) []string) error {
	top := make([]any, len(cols))
	bottom := make([]any, len(cols))
	for i, c := range cols {
		top[i], bottom[i] = c.title, ""
	}
	for i := range groups {
		for j, t := range sub(i) {
			bottom[fixed+per*i+j] = t
		}
	}
	if err := s.add(style, 30, top...); err != nil {
		return err
	}
	if err := s.add(style, 20, bottom...); err != nil {
		return err
	}
	first := s.row - 1
	for col := 1; col <= len(cols); col++ {
		var err error
		inGroup := col > fixed && col <= fixed+per*groups
		switch {
		case inGroup && (col-fixed)%per == 1:
			err = s.merge(col, first, col+per-1, first)
		case !inGroup:
			err = s.merge(col, first, col, first+1)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// merge merges a rectangle given by 1-based coordinates.
func (s *sheet) merge(col1, row1, col2, row2 int) error {
	a, _ := excelize.CoordinatesToCellName(col1, row1)
	b, _ := excelize.CoordinatesToCellName(col2, row2)
	return s.sw.MergeCell(a, b)
}

func (s *sheet) flush() error {
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("sheet %s: %w", s.name, err)
	}
	return nil
}

// cell is a value with its own style.
func cell(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }
