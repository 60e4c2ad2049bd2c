package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"firebot/clock"
	"firebot/ledger"
	"firebot/ops"
	"firebot/remote"
	"firebot/remote/remotetest"
	"firebot/service"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/workbook"
)

// exportSetup writes testdata/minimal.yaml with its store and media in a
// temporary directory (the admin socket as given, or beside the store when
// empty) and records the school's
// drill with one photo.
func exportSetup(t *testing.T, adminSocket string) (dir, cfgPath, dbPath string) {
	t.Helper()
	data, err := os.ReadFile("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	dbPath = filepath.Join(dir, "firebot.db")
	media := filepath.Join(dir, "media")
	text := strings.NewReplacer(
		"listen: 127.0.0.1:8080", "listen: 127.0.0.1:0",
	).Replace(string(data))
	if adminSocket != "" {
		text = strings.Replace(text, "admin_listen: 127.0.0.1:8081", "admin_socket: "+adminSocket, 1)
	}
	text += "store: {path: " + dbPath + "}\nmedia: {dir: " + media + "}\n"
	cfgPath = filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(media, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(media, "HD-0001-1.jpg"), []byte("jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := embedded.Open(dbPath, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.Update(context.Background(), func(tx store.Tx) error {
		r := &store.Record{Kind: store.KindConfirmation, CampaignID: "test-119", UnitID: "org_a", TaskID: "evacuation_drill",
			ReporterID: "heping", CreatedAt: time.Date(2023, 11, 9, 10, 0, 0, 0, time.UTC)}
		if err := ledger.Encode(r, ledger.Confirmation{Date: "2023-11-09", Fields: map[string]string{"participants": "300"},
			Photos: []string{"HD-0001-1.jpg", "HD-0001-2.jpg"}}); err != nil { // the second is not on disk
			return err
		}
		return store.PutRecord(tx, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir, cfgPath, dbPath
}

// checkExport opens the three files firebot export wrote.
func checkExport(t *testing.T, dir string) {
	t.Helper()
	wb, err := excelize.OpenFile(filepath.Join(dir, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, _ := wb.GetRows(workbook.SheetSummary)
	var school []string
	for _, r := range rows {
		if len(r) > 1 && r[1] == "示例小学" {
			school = r
		}
	}
	// 序号 单位名称 类型 板块 类别 联系人 联系电话 | 状态 日期 参与人数
	if len(school) < 10 || school[7] != workbook.StatusDone || school[8] != "2023-11-09" || school[9] != "300" {
		t.Errorf("school's line %q", school)
	}
	zr, err := zip.OpenReader(filepath.Join(dir, "photos.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 2 || zr.File[0].Name != "示例小学/HD-0001-1.jpg" || zr.File[1].Name != workbook.MissingPhotosFile {
		t.Errorf("zip holds %d files", len(zr.File))
	}
	f, err := os.Open(filepath.Join(dir, "chart.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("chart: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

func exportArgs(cfgPath, dir string) []string {
	return []string{"export", "-config", cfgPath, "-o", filepath.Join(dir, "report.xlsx"),
		"-photos", filepath.Join(dir, "photos.zip"), "-chart", filepath.Join(dir, "chart.png")}
}

// Without a running service the tool opens the store itself.
func TestExportCommandLocal(t *testing.T) {
	dir, cfgPath, _ := exportSetup(t, "")
	code, out, errOut := runArgs(t, context.Background(), exportArgs(cfgPath, dir)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"已导出汇总表：", "已导出照片：", "已导出进度图：",
		"缺失照片 1 张", "  示例小学/HD-0001-2.jpg：文件不存在"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("stderr (not a terminal: no progress bar) %q", errOut)
	}
	checkExport(t, dir)
}

// With the service running (it holds the store), the tool asks it through
// the admin API.
func TestExportCommandThroughService(t *testing.T) {
	sock := remotetest.SocketPath(t)
	dir, cfgPath, dbPath := exportSetup(t, sock)
	cfg, ok := loadConfig(cfgPath, os.Stderr)
	if !ok {
		t.Fatal("config")
	}
	st, err := embedded.Open(dbPath, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	remotetest.Serve(t, &remote.Env{Env: ops.Env{Config: cfg, Store: st, Campaign: clock.Real{}, Real: clock.Real{}, Logger: slog.New(slog.DiscardHandler)}, Ops: service.AdminOps()}, sock)

	code, _, errOut := runArgs(t, context.Background(), exportArgs(cfgPath, dir)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	checkExport(t, dir)
}

func TestExportCommandErrors(t *testing.T) {
	dir, cfgPath, _ := exportSetup(t, "")
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no output", []string{"export", "-config", cfgPath}, 2, "-o"},
		{"stray argument", []string{"export", "-config", cfgPath, "-o", "x.xlsx", "extra"}, 2, "多余的参数"},
		{"unwritable output", []string{"export", "-config", cfgPath, "-o", filepath.Join(dir, "no", "such", "dir", "r.xlsx")}, 1,
			"导出汇总表失败：无法写入 " + filepath.Join(dir, "no", "such", "dir", "r.xlsx") + "：no such file or directory"},
		{"unwritable csv", []string{"export", "-config", cfgPath, "-o", filepath.Join(dir, "none", "r.csv")}, 1,
			"导出活动明细（CSV）失败：无法写入 " + filepath.Join(dir, "none", "r.csv")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runArgs(t, context.Background(), tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.err)
			}
			if strings.Contains(errOut, ".tmp") {
				t.Errorf("stderr names a temporary file: %q", errOut)
			}
		})
	}
}

func TestProgressBar(t *testing.T) {
	var b strings.Builder
	bar := &progressBar{w: &b, label: "汇总表", last: -1}
	bar.update(0, 4)
	bar.update(2, 4)
	bar.update(2, 4) // unchanged: not redrawn
	bar.update(4, 4)
	bar.done()
	want := "\r汇总表 [" + strings.Repeat(" ", 30) + "] 0/4" +
		"\r汇总表 [" + strings.Repeat("#", 15) + strings.Repeat(" ", 15) + "] 2/4" +
		"\r汇总表 [" + strings.Repeat("#", 30) + "] 4/4\n"
	if b.String() != want {
		t.Errorf("bar %q, want %q", b.String(), want)
	}
	quiet := newProgressBar(&b, "x") // not a terminal
	quiet.update(1, 2)
	quiet.done()
	if b.String() != want {
		t.Error("drew on a non-terminal")
	}
}

// -o with .csv writes the activity details as UTF-8 CSV with a BOM, which
// reads back as CSV with the workbook's columns.
func TestExportCommandCSV(t *testing.T) {
	dir, cfgPath, _ := exportSetup(t, "127.0.0.1:0")
	path := filepath.Join(dir, "details.csv")
	code, out, errOut := runArgs(t, context.Background(), "export", "-config", cfgPath, "-o", path)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.Contains(out, "已导出活动明细（CSV）：") {
		t.Errorf("stdout %q", out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	body, ok := bytes.CutPrefix(data, []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatalf("no UTF-8 BOM: % x", data[:min(8, len(data))])
	}
	if bytes.HasPrefix(body, []byte("PK")) {
		t.Fatal("an xlsx, not CSV")
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d lines, want a header and one record: %q", len(recs), recs)
	}
	head, rec := recs[0], recs[1]
	col := func(title string) string {
		i := slices.Index(head, title)
		if i < 0 {
			t.Fatalf("no column %q in %q", title, head)
		}
		return rec[i]
	}
	for title, want := range map[string]string{"编号": "HD-0001", "单位名称": "示例小学", "活动日期": "2023-11-09",
		"填报内容": "参演人数：300", "照片数": "1", "缺失照片": "1"} {
		if got := col(title); got != want {
			t.Errorf("%s = %q, want %q", title, got, want)
		}
	}
}

// A stopped rehearsal store's exports are stamped with the last campaign
// time it recorded (the scheduler's watermark), not the real time.
func TestExportCommandRehearsalClock(t *testing.T) {
	dir, cfgPath, dbPath := exportSetup(t, "127.0.0.1:0")
	st, err := embedded.Open(dbPath, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(tx store.Tx) error {
		if err := store.PutMeta(tx, "mode", "rehearsal"); err != nil {
			return err
		}
		return store.PutMeta(tx, "scheduler.watermark.test-119", "2023-11-20T02:00:00Z") // 10:00 in Shanghai
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runArgs(t, context.Background(), exportArgs(cfgPath, dir)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	wb, err := excelize.OpenFile(filepath.Join(dir, "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	title, _ := wb.GetCellValue(workbook.SheetSummary, "A1")
	stamp, _ := wb.GetCellValue(workbook.SheetOverview, "A2")
	for _, s := range []string{title, stamp} {
		if !strings.Contains(s, "2023-11-20 10:00") {
			t.Errorf("stamp %q, want the rehearsal's 2023-11-20 10:00", s)
		}
	}
}
