package roster

import (
	"bytes"
	"encoding/csv"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// ColumnHelp explains one column of the sheet (the template's 填写说明
// sheet and the README show it).
type ColumnHelp struct {
	Title    string
	Required string // 必填 / 新单位必填 / 选填…
	Help     string
	Example  string
}

// Help explains every column, in template order.
var Help = [numColumns]ColumnHelp{
	{Columns[colID], "新单位必填", "单位的固定编号：英文字母、数字、_、-、.；导入时按编号找到已有单位并更新。已有单位可以留空，按名称对应", "org_school_a"},
	{Columns[colName], "必填", "单位全称，全街道不能重名", "示例实验小学"},
	{Columns[colKind], "必填", "板块、社区或社会单位", "社会单位"},
	{Columns[colSector], "选填", "所属板块的名称或编号（须是本表或系统中已有的板块）；板块本身不填", "北片板块"},
	{Columns[colCategory], "社会单位必填", "学校、医疗机构、文化娱乐场所、宾馆酒店、危化企业、大型综合体、高层建筑、其他；板块和社区不填", "学校"},
	{Columns[colOfficers], "选填", "安全员的企业微信账号（不是姓名），多个用“、”或“,”分开；留空保持系统中现有的安全员，写“无”表示清空", "heping、lvming"},
	{Columns[colChats], "选填", "单位工作群的群聊ID，多个用“、”分开；留空保持现有绑定，写“无”表示解除全部绑定。也可以在群里@机器人发“绑定 单位名称”", "wrkSFfCgAAxxxx"},
	{Columns[colWebhookKey], "选填", "该群群机器人地址中 key= 后面的部分（也可粘贴整个地址）；只在群聊ID恰好一个时填写", "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"},
	{Columns[colContact], "选填", "单位的联系人姓名（汇总表上显示）；留空保持系统中现有的联系人", "何平"},
	{Columns[colContactPhone], "选填", "联系人的电话", "13800000001"},
}

// templateRows are the template's example rows: a few units of the example
// configuration (config.example.yaml), as that configuration has them.
var templateRows = [][]string{
	{"sector_north", "北片板块", "板块", "", "", "wangjun", "", ""},
	{"comm_xuetianwan", "学田湾社区", "社区", "北片板块", "", "zhangsan、lisi", "chat_comm_xuetianwan", ""},
	{"sector_south", "南片板块", "板块", "", "", "chenjing", "", ""},
	{"comm_guihuayuan", "桂花园社区", "社区", "南片板块", "", "chener", "", ""},
	{"org_school_a", "示例实验小学", "社会单位", "北片板块", "学校", "heping", "chat_org_school_a", ""},
	{"org_hotel_a", "示例大酒店", "社会单位", "北片板块", "宾馆酒店", "jinbo、weilan", "chat_org_hotel_a", ""},
}

// TemplateCSV returns the CSV template: UTF-8 with a BOM (so Excel opens
// it as UTF-8), the header and the example rows.
func TemplateCSV() []byte {
	var b bytes.Buffer
	b.Write(utf8BOM)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write(Columns[:])
	for _, r := range templateRows {
		w.Write(padRow(r))
	}
	w.Flush() // a bytes.Buffer does not fail
	return b.Bytes()
}

// Sheet names of the .xlsx template.
const (
	templateSheet = "单位名册"
	helpSheet     = "填写说明"
)

// TemplateXLSX returns the .xlsx template: a 单位名册 sheet with the header
// and the example rows, and a 填写说明 sheet explaining each column.
func TemplateXLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", templateSheet); err != nil {
		return nil, fmt.Errorf("roster: template: %w", err)
	}
	if _, err := f.NewSheet(helpSheet); err != nil {
		return nil, fmt.Errorf("roster: template: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{
		Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#DDEBF7"}},
	})
	if err != nil {
		return nil, fmt.Errorf("roster: template: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": keep ids such as 001 as typed
	if err != nil {
		return nil, fmt.Errorf("roster: template: %w", err)
	}
	widths := []float64{18, 22, 10, 12, 14, 22, 26, 40}
	rows := append([][]string{Columns[:]}, templateRows...)
	for i, r := range rows {
		if err := setRow(f, templateSheet, i+1, r); err != nil {
			return nil, err
		}
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(templateSheet, col, col, w); err != nil {
			return nil, fmt.Errorf("roster: template: %w", err)
		}
		if err := f.SetColStyle(templateSheet, col, text); err != nil {
			return nil, fmt.Errorf("roster: template: %w", err)
		}
	}
	last, _ := excelize.ColumnNumberToName(len(Columns))
	if err := f.SetCellStyle(templateSheet, "A1", last+"1", bold); err != nil {
		return nil, fmt.Errorf("roster: template: %w", err)
	}
	help := [][]string{{"列名", "是否必填", "说明", "示例"}}
	for _, h := range Help {
		help = append(help, []string{h.Title, h.Required, h.Help, h.Example})
	}
	help = append(help, []string{}, []string{"说明", "", "表头所在行之前可以有标题行；其他列（如序号、备注）会被忽略。整张表全部正确才会导入，有错时逐行列出问题，什么都不写入。也可以保存为 CSV（UTF-8 或 GB18030 编码）导入。"})
	for i, r := range help {
		if err := setRow(f, helpSheet, i+1, r); err != nil {
			return nil, err
		}
	}
	for i, w := range []float64{14, 12, 80, 36} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(helpSheet, col, col, w); err != nil {
			return nil, fmt.Errorf("roster: template: %w", err)
		}
	}
	if err := f.SetCellStyle(helpSheet, "A1", "D1", bold); err != nil {
		return nil, fmt.Errorf("roster: template: %w", err)
	}
	f.SetActiveSheet(0)
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("roster: template: %w", err)
	}
	return b.Bytes(), nil
}

func setRow(f *excelize.File, sheet string, n int, cells []string) error {
	if len(cells) == 0 {
		return nil
	}
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = c
	}
	cell, _ := excelize.CoordinatesToCellName(1, n)
	if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
		return fmt.Errorf("roster: template: %w", err)
	}
	return nil
}

// padRow gives a template row every column (the import refuses a CSV line
// with fewer fields than the header).
func padRow(r []string) []string {
	out := make([]string, numColumns)
	copy(out, r)
	return out
}
