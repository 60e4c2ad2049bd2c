package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"firebot/service"
	"firebot/workbook"
)

func init() {
	register(&command{
		name:    "export",
		args:    "-config FILE [-street 街道id] -o report.xlsx|details.csv [-photos photos.zip] [-chart chart.png]",
		summary: "导出12月1日报送的活动信息汇总表（Excel；-o 以 .csv 结尾时导出活动明细 CSV），可同时导出照片压缩包和进度图；区级配置不写 -street 时导出全区汇总表；服务运行与否都可用",
		run:     runExport,
	})
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("export", stderr, true)
	out := fs.String("o", "", "汇总表（.xlsx）的输出路径（必填）；以 .csv 结尾时导出活动明细（UTF-8 CSV）")
	photos := fs.String("photos", "", "照片压缩包（.zip）的输出路径；不填则不导出照片")
	chartPath := fs.String("chart", "", "进度图（.png）的输出路径；不填则不单独导出")
	fs.withStreet()
	if code, ok := fs.parseNone(args); !ok {
		return code
	}
	if *out == "" {
		fmt.Fprintln(stderr, "firebot export：请用 -o 指定汇总表的输出路径，例如 -o report.xlsx")
		return 2
	}
	t, code, ok := fs.loadTarget(true)
	if !ok {
		return code
	}
	if t.street == nil {
		return exportDistrict(ctx, t, *out, *photos != "" || *chartPath != "", stdout, stderr)
	}
	mainOp, mainLabel := workbook.OpExport, "汇总表"
	if strings.EqualFold(filepath.Ext(*out), ".csv") {
		mainOp, mainLabel = workbook.OpExportCSV, "活动明细（CSV）"
	}
	jobs := []struct {
		op, path, label string
	}{
		{mainOp, *out, mainLabel},
		{workbook.OpExportPhotos, *photos, "照片"},
		{workbook.OpExportChart, *chartPath, "进度图"},
	}
	for _, j := range jobs {
		if j.path == "" {
			continue
		}
		n, err := exportTo(ctx, t, j.op, j.path, j.label, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "firebot export：导出%s失败：%v\n", j.label, err)
			return 1
		}
		fmt.Fprintf(stdout, "已导出%s：%s（%s）\n", j.label, j.path, humanBytes(n))
	}
	listMissingPhotos(ctx, t, stdout, stderr)
	return 0
}

// exportDistrict writes the district workbook (every street's
// nominations, the activity summary by street) to out.
func exportDistrict(ctx context.Context, t *target, out string, perStreet bool, stdout, stderr io.Writer) int {
	if perStreet || strings.EqualFold(filepath.Ext(out), ".csv") {
		fmt.Fprintf(stderr, "firebot export：%s 是区级配置：不写 -street 时只导出全区汇总表（.xlsx）；活动明细、照片和进度图按街道导出，请用 -street 指明街道：%s\n", t.dist.File, streetList(t.dist))
		return 2
	}
	const label = "全区汇总表"
	n, err := exportTo(ctx, t, service.OpDistrictExport, out, label, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "firebot export：导出%s失败：%v\n", label, err)
		return 1
	}
	fmt.Fprintf(stdout, "已导出%s（%d 个街道）：%s（%s）\n", label, len(t.dist.Streets), out, humanBytes(n))
	return 0
}

// listMissingPhotos prints the photos recorded but not on disk: the
// workbook counts them as 缺失照片, not in 照片数, and the zip leaves them out.
func listMissingPhotos(ctx context.Context, t *target, stdout, stderr io.Writer) {
	var b strings.Builder
	if err := runOp(ctx, t, workbook.OpPhotosMissing, struct{}{}, &b, nil); err != nil {
		fmt.Fprintf(stderr, "firebot export：未能核对照片：%v\n", err)
		return
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if b.Len() == 0 {
		return
	}
	fmt.Fprintf(stdout, "缺失照片 %d 张（记录在案但文件不存在，已在活动明细中标为缺失，未计入照片数）：\n", len(lines))
	for _, l := range lines {
		fmt.Fprintln(stdout, "  "+l)
	}
}

// exportTo runs op and writes its result to path through a temporary file
// in the same directory, so a failed export never leaves half a file.
// Errors about the file name the path the user gave, never the temporary
// file's.
func exportTo(ctx context.Context, t *target, op, path, label string, stderr io.Writer) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fileError(path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	bar := newProgressBar(stderr, label)
	err = runOp(ctx, t, op, struct{}{}, tmp, bar.update)
	bar.done()
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fileError(path, cerr)
	}
	if err != nil {
		return 0, err
	}
	fi, err := os.Stat(tmp.Name()) // the size the user is told
	if err != nil {
		return 0, fileError(path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, fileError(path, err)
	}
	return fi.Size(), nil
}

// fileError says that path cannot be written, and why, without the name
// of the temporary file the error may carry.
func fileError(path string, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return fmt.Errorf("无法写入 %s：%w", path, err)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

// progressBar draws "汇总表 [#####     ] 1234/8000" on a terminal, redrawn
// in place; it draws nothing when stderr is a file or a pipe. (While the
// service runs, the export runs there and reports no progress.)
type progressBar struct {
	w     io.Writer
	label string
	last  int // last permille drawn
	drawn bool
}

func newProgressBar(w io.Writer, label string) *progressBar {
	if f, ok := unwrap(w).(*os.File); !ok || !isTerminal(f) {
		return &progressBar{}
	}
	return &progressBar{w: w, label: label, last: -1}
}

const barWidth = 30

func (b *progressBar) update(done, total int) {
	if b.w == nil || total <= 0 {
		return
	}
	done = min(max(done, 0), total)
	permille := done * 1000 / total
	if permille == b.last {
		return
	}
	b.last = permille
	fill := done * barWidth / total
	fmt.Fprintf(b.w, "\r%s [%s%s] %d/%d", b.label, strings.Repeat("#", fill), strings.Repeat(" ", barWidth-fill), done, total)
	b.drawn = true
}

func (b *progressBar) done() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}
