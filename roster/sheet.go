package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Limits on what a sheet may be, so a wrong or hostile file fails fast.
const (
	// MaxFileSize is the largest file accepted (a street's roster is a few
	// hundred rows; the admin API carries the bytes in one request).
	MaxFileSize = 16 << 20
	// MaxRows is the largest number of data rows accepted.
	MaxRows = 5000
	// headerSearchRows is how many leading rows may hold a title above the
	// header row.
	headerSearchRows = 10
)

// Format is a sheet's file format.
type Format string

// The formats Read understands.
const (
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	utf8BOM  = []byte{0xEF, 0xBB, 0xBF}
)

// DetectFormat tells the format of a file from its content, falling back on
// its name. Old binary .xls workbooks (and password-protected ones) are
// refused with a hint to save as .xlsx.
func DetectFormat(name string, data []byte) (Format, error) {
	switch {
	case bytes.HasPrefix(data, zipMagic):
		return FormatXLSX, nil
	case bytes.HasPrefix(data, oleMagic):
		return "", fileProblem("不支持旧版 .xls 或加密的 Excel 文件，请在 Excel 中“另存为” .xlsx 或 CSV（逗号分隔）后再导入")
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return "", fileProblem("文件不是有效的 .xlsx 工作簿")
	case ".xls":
		return "", fileProblem("不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 或 CSV（逗号分隔）后再导入")
	}
	return FormatCSV, nil
}

// row is one non-empty row of a sheet: its number as the spreadsheet shows
// it (for a CSV file, the line it starts on) and its cells.
type row struct {
	num   int
	cells []string
	csv   bool // a CSV line: its field count must match the header's
}

// grid is a sheet's non-empty rows in order.
type grid []row

func blank(cells []string) bool {
	for _, c := range cells {
		if cleanCell(c) != "" {
			return false
		}
	}
	return true
}

// readGrid reads every row of the file's roster sheet.
func readGrid(name string, data []byte) (grid, error) {
	if len(data) == 0 {
		return nil, fileProblem("文件是空的")
	}
	if len(data) > MaxFileSize {
		return nil, fileProblem(fmt.Sprintf("文件太大（%d 字节，最多 %d 字节）", len(data), MaxFileSize))
	}
	f, err := DetectFormat(name, data)
	if err != nil {
		return nil, err
	}
	if f == FormatXLSX {
		return readXLSX(data)
	}
	return readCSV(data)
}

// readCSV decodes UTF-8 (with or without BOM) or, failing that, GB18030
// (what Excel on a Chinese Windows writes as "CSV"), and splits it at
// commas, or at tabs or semicolons when the first line has those and no
// comma.
func readCSV(data []byte) (grid, error) {
	text := bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(text) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(text)
		if err != nil || !utf8.Valid(dec) {
			return nil, fileProblem("无法识别文件编码，请保存为 UTF-8 编码的 CSV 或 .xlsx")
		}
		text = dec
	}
	if bytes.IndexByte(text, 0) >= 0 {
		return nil, fileProblem("文件不是文本格式的 CSV（如果是 Excel 文件，请使用 .xlsx 格式）")
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = sniffComma(text)
	r.FieldsPerRecord = -1
	// Strict quotes: with lazy ones an unclosed quote swallows every row
	// after it into one cell, and the rows are silently lost.
	var g grid
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return g, nil
		}
		if err != nil {
			line := len(g) + 1
			reason := "CSV 格式错误，无法读取这一行"
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
				switch {
				case errors.Is(pe.Err, csv.ErrQuote):
					reason = "引号没有成对：以英文双引号 \" 开头的单元格缺少结尾的 \"（或引号后面还有内容），这一行及以后的行无法读取"
				case errors.Is(pe.Err, csv.ErrBareQuote):
					reason = "单元格中间有英文双引号 \"：请改用中文引号“”，或把整个单元格用 \" 括起来、其中的 \" 写成 \"\""
				}
			}
			return nil, &InvalidError{Problems: []Problem{{Row: line, Reason: reason}}}
		}
		if blank(rec) {
			continue
		}
		if len(g) > MaxRows+headerSearchRows {
			return nil, fileProblem(fmt.Sprintf("行数太多（最多 %d 行）", MaxRows))
		}
		line, _ := r.FieldPos(0)
		g = append(g, row{num: line, cells: rec, csv: true})
	}
}

func sniffComma(text []byte) rune {
	first, _, _ := bytes.Cut(text, []byte("\n"))
	switch {
	case bytes.ContainsRune(first, ','):
		return ','
	case bytes.ContainsRune(first, '\t'):
		return '\t'
	case bytes.ContainsRune(first, ';'):
		return ';'
	}
	return ','
}

// readXLSX reads the first worksheet that has a header row. Cell values are
// taken as Excel displays them (so an id formatted as 001 stays 001).
func readXLSX(data []byte) (grid, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    64 << 20,
		UnzipXMLSizeLimit: 16 << 20,
	})
	if err != nil {
		return nil, fileProblem("无法打开 Excel 文件，请确认是 .xlsx 格式且未加密")
	}
	defer f.Close()
	var firstErr error
	for _, sheet := range f.GetSheetList() {
		g, err := readXLSXSheet(f, sheet)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if _, _, ok := findHeader(g); ok {
			return g, nil
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, fileProblem("工作簿中没有找到表头（需要一行包含“单位名称”和“类型”两列）")
}

func readXLSXSheet(f *excelize.File, sheet string) (grid, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fileProblem(fmt.Sprintf("无法读取工作表“%s”", sheet))
	}
	defer rows.Close()
	var g grid
	for num := 1; rows.Next(); num++ {
		cols, err := rows.Columns()
		if err != nil {
			return nil, fileProblem(fmt.Sprintf("无法读取工作表“%s”第 %d 行", sheet, num))
		}
		if blank(cols) {
			continue
		}
		if len(g) > MaxRows+headerSearchRows {
			return nil, fileProblem(fmt.Sprintf("工作表“%s”行数太多（最多 %d 行）", sheet, MaxRows))
		}
		g = append(g, row{num: num, cells: cols})
	}
	if err := rows.Error(); err != nil {
		return nil, fileProblem(fmt.Sprintf("无法读取工作表“%s”", sheet))
	}
	return g, nil
}
