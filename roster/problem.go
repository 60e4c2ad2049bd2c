package roster

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid: the sheet has problems; nothing was imported. The error
// returned is an *InvalidError listing them.
var ErrInvalid = errors.New("roster: invalid sheet")

// Problem is one thing wrong with the sheet.
type Problem struct {
	Row    int    // row number in the sheet; 0 for the file as a whole
	Column string // column title, when one cell is at fault
	Reason string // in Chinese
}

// String renders the problem for the office, e.g.
// "第 5 行【类型】：未知的类型“学堂”（可选：板块、社区、社会单位）".
func (p Problem) String() string {
	var b strings.Builder
	if p.Row > 0 {
		fmt.Fprintf(&b, "第 %d 行", p.Row)
	} else {
		b.WriteString("文件")
	}
	if p.Column != "" {
		fmt.Fprintf(&b, "【%s】", p.Column)
	}
	b.WriteString("：")
	b.WriteString(p.Reason)
	return b.String()
}

// InvalidError lists every problem found in a sheet, ordered by row.
type InvalidError struct {
	Problems []Problem
}

// Error renders a heading and one line per problem.
func (e *InvalidError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "名册有 %d 处问题，未导入任何数据，请修改后重新导入：", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

func fileProblem(reason string) error {
	return &InvalidError{Problems: []Problem{{Reason: reason}}}
}
