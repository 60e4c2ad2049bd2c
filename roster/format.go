package roster

import (
	"fmt"
	"io"
	"strings"
)

// Summary is the one-line count, e.g. "新增 2 个单位，更新 1 个，未变 12 个
// （读取 15 行 = 新增 + 更新 + 未变）": every row read is accounted for.
func (r *Result) Summary() string {
	return fmt.Sprintf("新增 %d 个单位，更新 %d 个，未变 %d 个（读取 %d 行 = 新增 + 更新 + 未变）",
		len(r.Added), len(r.Updated), r.Unchanged, r.Rows)
}

// Format writes the result for the office: the counts, then each added unit
// with what it sets and each updated unit with what changes. Webhook keys
// are never shown.
func (r *Result) Format(w io.Writer) error {
	var b strings.Builder
	if r.DryRun {
		fmt.Fprintf(&b, "试运行（未写入任何数据）：将%s。\n", r.Summary())
	} else {
		fmt.Fprintf(&b, "名册已导入：%s。\n", r.Summary())
	}
	if len(r.Added) > 0 {
		b.WriteString("\n新增：\n")
		for _, ch := range r.Added {
			fmt.Fprintf(&b, "  + %s %s（第 %d 行）\n", ch.Unit.ID, ch.Unit.Name, ch.Row)
			for _, d := range ch.Diffs {
				if d.New != "" && d.Field != Columns[colName] {
					fmt.Fprintf(&b, "      %s：%s\n", d.Field, d.New)
				}
			}
		}
	}
	if len(r.Updated) > 0 {
		b.WriteString("\n更新：\n")
		for _, ch := range r.Updated {
			fmt.Fprintf(&b, "  ~ %s %s（第 %d 行）\n", ch.Unit.ID, ch.Unit.Name, ch.Row)
			for _, d := range ch.Diffs {
				fmt.Fprintf(&b, "      %s：%s → %s\n", d.Field, orNone(d.Old), orNone(d.New))
			}
		}
	}
	if r.DryRun && len(r.Added)+len(r.Updated) > 0 {
		b.WriteString("\n确认无误后去掉 -dry-run 再运行一次即可导入。\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orNone(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}
