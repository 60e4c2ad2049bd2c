package workbook

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"image/png"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"firebot/ledger"
	"firebot/store"
)

// export runs Write on the fixture and opens the workbook back.
func export(t *testing.T, f *fixture) *excelize.File {
	t.Helper()
	wb := exportWorkbook(t, f)
	t.Cleanup(func() { wb.Close() })
	return wb
}

func exportWorkbook(t testing.TB, f *fixture) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	var calls, lastDone, lastTotal int
	opts := Options{Now: exportNow, TmpDir: t.TempDir(), Progress: func(done, total int) {
		calls++
		lastDone, lastTotal = done, total
	}}
	if err := Write(context.Background(), &buf, f.st, f.cfg, opts); err != nil {
		t.Fatal(err)
	}
	if calls == 0 || lastDone != lastTotal || lastTotal != len(f.cfg.Units) {
		t.Errorf("progress: %d calls, last %d/%d, want ending at %d/%d", calls, lastDone, lastTotal, len(f.cfg.Units), len(f.cfg.Units))
	}
	wb, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return wb
}

// table is a sheet read back as rows of strings.
type table [][]string

func rows(t testing.TB, wb *excelize.File, sheet string) table {
	t.Helper()
	r, err := wb.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return r
}

// col is the index of the column titled title in row hdr.
func (tb table) col(t *testing.T, hdr int, title string) int {
	t.Helper()
	i := slices.Index(tb[hdr], title)
	if i < 0 {
		t.Fatalf("no column %q in %q", title, tb[hdr])
	}
	return i
}

// find returns the rows whose column c equals v.
func (tb table) find(c int, v string) [][]string {
	var out [][]string
	for _, r := range tb {
		if c < len(r) && r[c] == v {
			out = append(out, r)
		}
	}
	return out
}

func at(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}

func TestWorkbookSheets(t *testing.T) {
	f, wb := sharedExport(t)
	want := []string{SheetSummary, SheetOverview, SheetDetails, SheetNominations, SheetMissing, "推荐表-" + f.nomination + "-王秀英"}
	if diff := cmp.Diff(want, wb.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	if wb.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet %d, want the summary", wb.GetActiveSheetIndex())
	}
	// Readable widths: the unit name column fits the longest name.
	w, err := wb.GetColWidth(SheetSummary, "B")
	if err != nil || w < textWidth("示例社区卫生服务中心") {
		t.Errorf("unit name column width %v (%v)", w, err)
	}
}

func TestSummary(t *testing.T) {
	f, wb := sharedExport(t)
	tb := rows(t, wb, SheetSummary)
	if !strings.Contains(tb[0][0], f.cfg.Campaign.Name) || !strings.Contains(tb[0][0], "2023-12-01 09:00") {
		t.Errorf("title line %q", tb[0][0])
	}
	task := func(name string) int { return tb.col(t, 1, name) }
	if got := tb[2][task("主题宣传活动")]; got != "状态" || tb[2][task("主题宣传活动")+1] != "日期" || tb[2][task("主题宣传活动")+2] != "参与人数" {
		t.Errorf("sub-header %q", tb[2])
	}
	comm := tb.find(1, "学田湾社区")
	school := tb.find(1, "示例实验小学")
	if len(comm) != 1 || len(school) != 1 {
		t.Fatalf("unit lines: %d, %d", len(comm), len(school))
	}
	c, s := comm[0], school[0]
	if got := []string{at(c, tb.col(t, 1, "联系人")), at(c, tb.col(t, 1, "联系电话"))}; got[0] != "李主任" || got[1] != "023-63600001" {
		t.Errorf("community contact %q", got)
	}
	if got := at(s, tb.col(t, 1, "联系人")); got != "" {
		t.Errorf("school contact %q, want none", got)
	}
	rowOf := func(r []string) int {
		return slices.IndexFunc(tb, func(x []string) bool { return at(x, 1) == r[1] }) + 1
	}
	tests := []struct {
		name    string
		row     []string
		task    string
		status  string
		noteHas string
		date    string // as shown; a date cell when set
		key     string
	}{
		{"done with date and number", c, "主题宣传活动", StatusDone, "", "2023-11-05", "120"},
		{"done", c, "全员应急疏散演练", StatusDone, "", "2023-11-09", "85"},
		{"not applicable with reason", c, "全民消防安全学习云平台注册学习", StatusNA, "原因：已由区里统一组织", "", ""},
		{"returned is missing", c, "“四个一”消防体验", StatusMissing, f.returned + "已退回", "", ""},
		{"nothing reported", c, "宣传氛围营造", StatusMissing, "", "", ""},
		{"not asked of communities", c, "疏散演练", StatusNotRequired, "", "", ""},
		{"entered on behalf counts", s, "疏散演练", StatusDone, "", "2023-11-17", "1200"},
		{"withdrawn does not count", s, "警示教育（三个一）", StatusMissing, "", "", ""},
		{"not asked of organisations", s, "“四个一”消防体验", StatusNotRequired, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := task(tt.task)
			status, note, _ := strings.Cut(at(tt.row, i), "\n")
			if status != tt.status {
				t.Errorf("status %q, want %q", status, tt.status)
			}
			if !strings.Contains(note, tt.noteHas) || (tt.noteHas == "" && note != "") {
				t.Errorf("note %q, want it to contain %q", note, tt.noteHas)
			}
			if got := at(tt.row, i+1); got != tt.date {
				t.Errorf("date %q, want %q", got, tt.date)
			}
			if got := at(tt.row, i+2); got != tt.key {
				t.Errorf("key number %q, want %q", got, tt.key)
			}
			if tt.date != "" {
				ref, _ := excelize.CoordinatesToCellName(i+2, rowOf(tt.row))
				checkDateCell(t, wb, SheetSummary, ref, tt.date+" 00:00")
			}
		})
	}
	// Counts: the community has 5 tasks, 3 done (不适用 counts as done);
	// the school has 10, 1 done; the community nominated once.
	counts := func(r []string) []string {
		return []string{at(r, tb.col(t, 1, "已完成")), at(r, tb.col(t, 1, "应完成")), at(r, tb.col(t, 1, "完成率")), at(r, tb.col(t, 1, "推荐人数"))}
	}
	if diff := cmp.Diff([]string{"3", "5", "60%", "1"}, counts(c)); diff != "" {
		t.Errorf("community counts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1", "10", "10%", "0"}, counts(s)); diff != "" {
		t.Errorf("school counts (-want +got):\n%s", diff)
	}
	// Every community and organisation has a line, sectors none; then 合计.
	last := tb[len(tb)-1]
	if at(last, 1) != "合计" || at(last, 2) != "23个单位" {
		t.Errorf("totals line %q", last)
	}
	if got := len(tb) - summaryFirstData; got != 23 {
		t.Errorf("%d unit lines, want 23", got)
	}
	if len(tb.find(1, "北片板块")) != 0 {
		t.Error("a sector has a line")
	}
	// 8 communities with 5 tasks, 15 organisations with 9 and 14 of them
	// with the evacuation drill: 189 tasks; done: 3 for the community, 1
	// for the school.
	if diff := cmp.Diff([]string{"4", "189", "2%", "1"}, counts(last)); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
	if got := at(last, task("主题宣传活动")); got != "完成1/23" || at(last, task("主题宣传活动")+2) != "120" {
		t.Errorf("task total %q, key number %q", got, at(last, task("主题宣传活动")+2))
	}
	if got := at(last, task("全民消防安全学习云平台注册学习")); got != "完成1/23" {
		t.Errorf("不适用 counted in the task total: %q", got)
	}
}

func TestDetails(t *testing.T) {
	f, wb := sharedExport(t)
	tb := rows(t, wb, SheetDetails)
	if len(tb) != 4 {
		t.Fatalf("%d lines, want a header and 3 records:\n%q", len(tb), tb)
	}
	id := tb.col(t, 0, "编号")
	got := []string{tb[1][id], tb[2][id], tb[3][id]}
	if diff := cmp.Diff([]string{f.theme, f.drill, f.school}, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	theme := tb.find(id, f.theme)[0]
	want := map[string]string{
		"单位名称": "学田湾社区", "板块": "北片板块", "类别": "社区", "任务": "主题宣传活动", "活动日期": "2023-11-05",
		"填报内容": "参与人数：120",
		"活动地点": "学田湾正街59号", "活动简述": "社区消防宣传进楼栋，发放资料300份。", "上报人": "张三", "代录人": "",
		"上报时间": "2023-11-05 16:00", "照片数": "2", "照片文件": f.theme + "-1.jpg\n" + f.theme + "-2.png",
	}
	for title, v := range want {
		if got := at(theme, tb.col(t, 0, title)); got != v {
			t.Errorf("%s: %q, want %q", title, got, v)
		}
	}
	school := tb.find(id, f.school)[0]
	for title, v := range map[string]string{"填报内容": "参演人数：1200", "代录人": "朱军", "材料提供人": "王老师 13900000000", "类别": "学校", "照片文件": f.school + "-1.jpg"} {
		if got := at(school, tb.col(t, 0, title)); got != v {
			t.Errorf("school %s: %q, want %q", title, got, v)
		}
	}
}

// The first readable photo of each line is embedded as a thumbnail in its
// 照片 cell; a photo gone from disk is counted as missing, not in 照片数.
func TestDetailsPhotos(t *testing.T) {
	f, wb := sharedExport(t)
	tb := rows(t, wb, SheetDetails)
	id, pic := tb.col(t, 0, "编号"), tb.col(t, 0, "照片")
	count, gone := tb.col(t, 0, "照片数"), tb.col(t, 0, "缺失照片")
	tests := []struct {
		id          string
		picture     bool // the school's photo is not a picture file
		count, gone string
		w, h        int
	}{
		{f.theme, true, "2", "", 160, 120},
		{f.drill, true, "1", "1", 80, 160},
		{f.school, false, "1", "", 0, 0},
	}
	for _, tt := range tests {
		row := slicesIndexCol(tb, id, tt.id)
		r := tb[row]
		if at(r, count) != tt.count || at(r, gone) != tt.gone {
			t.Errorf("%s: 照片数 %q 缺失照片 %q, want %q %q", tt.id, at(r, count), at(r, gone), tt.count, tt.gone)
		}
		ref, _ := excelize.CoordinatesToCellName(pic+1, row+1)
		pics, err := wb.GetPictures(SheetDetails, ref)
		if err != nil {
			t.Fatal(err)
		}
		if !tt.picture {
			if len(pics) != 0 {
				t.Errorf("%s: %d pictures for a photo that is no picture", tt.id, len(pics))
			}
			continue
		}
		if len(pics) != 1 {
			t.Errorf("%s: %d pictures in %s, want 1", tt.id, len(pics), ref)
			continue
		}
		img, err := jpeg.Decode(bytes.NewReader(pics[0].File))
		if err != nil {
			t.Errorf("%s: thumbnail is not a JPEG: %v", tt.id, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
			t.Errorf("%s: thumbnail %dx%d, want %dx%d", tt.id, b.Dx(), b.Dy(), tt.w, tt.h)
		}
		// The red corner of the test picture survives: it is the photo.
		if r, g, _, _ := img.At(5, 5).RGBA(); r>>8 < 180 || g>>8 > 60 {
			t.Errorf("%s: thumbnail corner is not the photo's red", tt.id)
		}
		if h, err := wb.GetRowHeight(SheetDetails, row+1); err != nil || h != thumbRowHeight {
			t.Errorf("%s: row height %v (%v), want %v", tt.id, h, err, thumbRowHeight)
		}
	}
}

func TestNominations(t *testing.T) {
	f, wb := sharedExport(t)
	tb := rows(t, wb, SheetNominations)
	if len(tb) != 2 {
		t.Fatalf("%d lines, want a header and 1 nomination", len(tb))
	}
	r := tb[1]
	want := map[string]string{
		"编号": f.nomination, "推荐单位": "学田湾社区", "类型": "个人", "名称": "王秀英", "所在单位": "学田湾社区红袖章巡逻队",
		"从事消防公益服务年限": "1", "年限说明": "退休后加入，表现突出", "推荐范围": "2. 宣传教育培训",
		"事迹字数": "1000", "联系电话": "13800138000", "推荐人": "张三", "提交时间": "2023-10-29 10:30",
		"逾期": "是", "不满2年": "是", "推荐表": "推荐表-" + f.nomination + "-王秀英",
	}
	for title, v := range want {
		if got := at(r, tb.col(t, 0, title)); got != v {
			t.Errorf("%s: %q, want %q", title, got, v)
		}
	}
	if got := at(r, tb.col(t, 0, "事迹材料")); got != f.deeds {
		t.Errorf("deeds cut: %d characters, want 1000", len([]rune(got)))
	}

	// The form: labels and values where a paper form has them.
	form := "推荐表-" + f.nomination + "-王秀英"
	cells := map[string]string{
		"A1": "最美消防志愿者推荐表",
		"A3": "推荐类别", "B3": "最美消防志愿个人", "C3": "从事消防公益服务年限", "D3": "1年",
		"A4": "姓名", "B4": "王秀英", "C4": "联系电话", "D4": "13800138000",
		"A5": "所在单位", "B5": "学田湾社区红袖章巡逻队",
		"A7": "年限说明", "B7": "退休后加入，表现突出",
		"A8": "简要事迹材料\n（1000字）", "B8": f.deeds,
		"A9": "推荐人", "B9": "张三",
		"A10": "标记", "B10": "逾期；不满2年",
	}
	for ref, v := range cells {
		got, err := wb.GetCellValue(form, ref)
		if err != nil || got != v {
			t.Errorf("%s!%s = %q (%v), want %q", form, ref, trim(got), err, trim(v))
		}
	}
	if got, _ := wb.GetCellValue(form, "B6"); !strings.HasPrefix(got, "2. 宣传教育培训：积极参与消防安全检查") {
		t.Errorf("scope %q", got)
	}
	merged, err := wb.GetMergeCells(form)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, m := range merged {
		refs = append(refs, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	if !slices.Contains(refs, "B8:D8") || !slices.Contains(refs, "A1:D1") {
		t.Errorf("merged cells %q", refs)
	}
	if h, _ := wb.GetRowHeight(form, 8); h < 300 {
		t.Errorf("deeds row height %v: 1000 characters would not show", h)
	}
}

func trim(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func TestMissingList(t *testing.T) {
	f, wb := sharedExport(t)
	tb := rows(t, wb, SheetMissing)
	unit, item, note, owed := tb.col(t, 0, "单位名称"), tb.col(t, 0, "未完成事项"), tb.col(t, 0, "说明"), tb.col(t, 0, "还差（份）")
	var comm []string
	for _, r := range tb.find(unit, "学田湾社区") {
		comm = append(comm, r[item])
	}
	// Not 主题宣传活动 or 全员演练 (done), not the learning platform
	// (不适用), not the nomination (made).
	if diff := cmp.Diff([]string{"“四个一”消防体验", "宣传氛围营造"}, comm); diff != "" {
		t.Errorf("community's missing items (-want +got):\n%s", diff)
	}
	four := tb.find(item, "“四个一”消防体验")
	var returned []string
	for _, r := range four {
		if r[unit] == "学田湾社区" {
			returned = r
		}
	}
	wantNote := f.returned + "已退回：照片不清晰，请补充活动现场照片（朱军）"
	if at(returned, note) != wantNote || at(returned, owed) != "1" {
		t.Errorf("returned record line %q, want note %q", returned, wantNote)
	}
	if got := at(returned, tb.col(t, 0, "截止时间")); got != "2023-12-01" {
		t.Errorf("deadline %q", got)
	}
	// The school: 9 tasks and its nomination; every other unit owes its
	// nomination too.
	school := tb.find(unit, "示例实验小学")
	if len(school) != 10 || at(school[len(school)-1], item) != NominationItem {
		t.Errorf("school's missing lines: %q", school)
	}
	if got := at(school[len(school)-1], tb.col(t, 0, "截止时间")); got != "2023-10-27 17:00" {
		t.Errorf("nomination deadline %q (the district's, chased)", got)
	}
	noms := tb.find(item, NominationItem)
	if len(noms) != 22 {
		t.Errorf("%d units owe a nomination, want 22", len(noms))
	}
	for _, r := range tb {
		for _, v := range r {
			if strings.Contains(v, f.withdrawn) {
				t.Errorf("withdrawn record in the missing list: %q", r)
			}
		}
	}
}

func TestOverviewChart(t *testing.T) {
	_, wb := sharedExport(t)
	tb := rows(t, wb, SheetOverview)
	var sectors []string
	for _, r := range tb {
		if len(r) >= 4 && strings.HasSuffix(r[0], "片板块") {
			sectors = append(sectors, strings.Join(r[:4], " "))
		}
	}
	// North: 学田湾 3/5, 2 more communities 0/10, 6 organisations 1/50
	// (the school's drill) → 4/65. Sectors come in roster order, as
	// configured (not by id).
	if len(sectors) != 3 || sectors[0] != "北片板块 4 65 6%" {
		t.Errorf("sector lines %q", sectors)
	}
	if !strings.HasPrefix(sectors[1], "中片板块") || !strings.HasPrefix(sectors[2], "南片板块") {
		t.Errorf("sectors not in roster order: %q", sectors)
	}
	pics, err := wb.GetPictures(SheetOverview, "F4")
	if err != nil || len(pics) != 1 {
		t.Fatalf("chart picture: %d (%v)", len(pics), err)
	}
	if _, err := png.Decode(bytes.NewReader(pics[0].File)); err != nil {
		t.Errorf("chart is not a PNG: %v", err)
	}
}

func TestChart(t *testing.T) {
	f := newFixture(t)
	b, err := Chart(context.Background(), f.st, f.cfg, exportNow)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() < 600 {
		t.Errorf("chart %v", img.Bounds())
	}
}

func TestWriteCancelled(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Write(ctx, &bytes.Buffer{}, f.st, f.cfg, Options{Now: exportNow})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrExport) {
		t.Errorf("err %v", err)
	}
}

func TestFieldsText(t *testing.T) {
	cfg := loadConfig(t, t.TempDir())
	four, _ := cfg.Campaign.Task("four_ones")
	tests := []struct {
		name   string
		fields map[string]string
		want   string
	}{
		{"task order, not map order", map[string]string{"base_visit": "0", "evacuation_route": "30", "home_check": "15", "equipment": "20"},
			"走一次疏散通道人数：30\n熟悉一次消防设施人数：20\n检查一次家庭火灾隐患户数：15\n参观一次消防科普教育基地人数：0"},
		{"unanswered and unknown fields left out", map[string]string{"equipment": "20", "home_check": " ", "stray": "x"},
			"熟悉一次消防设施人数：20"},
		{"none", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FieldsText(four, ledger.Confirmation{Fields: tt.fields}); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// After retention (package archive) a nomination's phone and deeds are
// gone; the report says so rather than showing empty cells.
func TestRedactedNomination(t *testing.T) {
	f := newFixture(t)
	err := f.st.Update(context.Background(), func(tx store.Tx) error {
		r, err := store.GetRecord(tx, f.nomination)
		if err != nil {
			return err
		}
		n, err := ledger.DecodeNomination(r)
		if err != nil {
			return err
		}
		n.Deeds, n.Phone, n.Redacted = "", "", true
		if err := ledger.Encode(r, n); err != nil {
			return err
		}
		return store.PutRecord(tx, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	wb := export(t, f)
	tb := rows(t, wb, SheetNominations)
	for _, title := range []string{"事迹材料", "联系电话"} {
		if got := at(tb[1], tb.col(t, 0, title)); got != redacted {
			t.Errorf("%s: %q", title, got)
		}
	}
	if got, _ := wb.GetCellValue("推荐表-"+f.nomination+"-王秀英", "D4"); got != redacted {
		t.Errorf("form phone %q", got)
	}
}

// checkDateCell checks that ref holds an Excel date (a number with a date
// format) showing the wall clock want ("2006-01-02 15:04").
func checkDateCell(t *testing.T, wb *excelize.File, sheet, ref, want string) {
	t.Helper()
	raw, err := wb.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Errorf("%s!%s = %q: not a date number", sheet, ref, raw)
		return
	}
	got, err := excelize.ExcelDateToTime(serial, false)
	if err != nil || got.Format("2006-01-02 15:04") != want {
		t.Errorf("%s!%s = %v (%v), want %s", sheet, ref, got, err, want)
	}
	id, err := wb.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	style, err := wb.GetStyle(id)
	if err != nil || style.CustomNumFmt == nil || !strings.HasPrefix(*style.CustomNumFmt, "yyyy-mm-dd") {
		t.Errorf("%s!%s style %+v (%v): not a date format", sheet, ref, style, err)
	}
}
