package report_test

import (
	"testing"
	"time"
)

// Records that make sense: duplicates are asked about, late reports are
// marked 逾期.

func TestDuplicateReportAsked(t *testing.T) {
	h := newHarness(t, "2023-11-20 10:00")
	h.Names[worker] = "王晓"
	for _, in := range []string{"上报", "2", "11月3日", "80", "社区广场", "跳过", "确认"} {
		h.Group(commChat, worker, in)
	}
	// Another grid worker reports the same drill a day off.
	report := []string{"上报", "2", "11月4日", "85", "跳过", "跳过"}
	for _, in := range report {
		h.Group(commChat, "zhaoliu", in)
	}
	rep := h.Group(commChat, "zhaoliu", "确认")
	must(t, rep, "还没有保存", "已有一条相近的记录 HD-0001（活动日期11月3日（周五），王晓上报）", "另一次活动，还是对 HD-0001 的更正", "回复“另一次”", "回复“更正”")
	// A grid worker may not correct someone else's record.
	must(t, h.Group(commChat, "zhaoliu", "更正"), "不能更正它")
	must(t, h.Group(commChat, "zhaoliu", "另一次"), "上报成功，编号 HD-0002")
	must(t, h.Group(commChat, worker, "进度"), "HD-0001、HD-0002")

	// The officer reports it once more; this time it is a correction.
	for _, in := range report {
		h.Group(commChat, "zhangsan", in)
	}
	must(t, h.Group(commChat, "zhangsan", "确认"), "已有一条相近的记录 HD-0002")
	rep = h.Group(commChat, "zhangsan", "更正")
	must(t, rep, "已保存对 HD-0002 的修改")
	_, c := confirmation(t, h, "HD-0002")
	if c.Date != "2023-11-04" || c.Fields["participants"] != "85" {
		t.Fatalf("corrected payload %+v", c)
	}
	// Another task, or a day far enough off, is not asked about.
	for _, in := range []string{"上报", "2", "11月9日", "60", "跳过", "跳过"} {
		h.Group(commChat, "zhangsan", in)
	}
	must(t, h.Group(commChat, "zhangsan", "确认"), "上报成功，编号 HD-0003")
	// Anything else on the question goes back to the checklist.
	for _, in := range []string{"上报", "2", "11月9日", "60", "跳过", "跳过", "确认"} {
		h.Group(commChat, "zhangsan", in)
	}
	rep = h.Group(commChat, "zhangsan", "日期 11月20日")
	must(t, rep, "已修改“日期”", "请核对上报内容")
	must(t, h.Group(commChat, "zhangsan", "确认"), "上报成功，编号 HD-0004")
}

func TestLateReportMarked(t *testing.T) {
	h := newHarness(t, "2023-12-02 10:00")
	for _, in := range []string{"上报", "2", "11月30日", "80", "跳过", "跳过"} {
		h.Group(commChat, worker, in)
	}
	rep := h.Group(commChat, worker, "确认")
	must(t, rep, "上报成功，编号 HD-0001", "【逾期】“全员应急疏散演练”须在", "已标记为逾期")
	must(t, rep, "HD-0001（逾期）")
	must(t, h.Group(commChat, worker, "进度"), "✅ 全员应急疏散演练：HD-0001（逾期）")
	_, c := confirmation(t, h, "HD-0001")
	if !c.Late {
		t.Fatal("late report not marked")
	}
	// Before the deadline: no mark.
	h2 := newHarness(t, "2023-11-20 10:00")
	for _, in := range []string{"上报", "2", "11月3日", "80", "跳过", "跳过"} {
		h2.Group(commChat, worker, in)
	}
	mustNot(t, h2.Group(commChat, worker, "确认"), "逾期")
}

func TestPhotoBeforeReportOffered(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	p1, p2 := h.Photo("a.jpg", "photo-one"), h.Photo("b.jpg", "photo-two")
	must(t, h.Image("heping", "", p1), "收到图片，共1张", "先替你保留30分钟")
	must(t, h.Image("heping", "", p2), "收到图片，共2张")
	h.Clock.Advance(20 * time.Minute)
	must(t, h.Single("heping", "上报"), "已带上你之前发送的2张照片")
	for _, in := range []string{"疏散演练", "今天", "1200", "跳过", "跳过"} {
		h.Single("heping", in)
	}
	must(t, h.Single("heping", "完成"), "照片：2张")
	rep := h.Single("heping", "确认")
	must(t, rep, "上报成功，编号 HD-0001", "照片：已保存2张")
	_, c := confirmation(t, h, "HD-0001")
	if len(c.Photos) != 2 {
		t.Fatalf("photos %v", c.Photos)
	}
	// Held photos are offered once; after 30 minutes they are not.
	h2 := newHarness(t, "2023-11-06 10:00")
	h2.Image("heping", "", h2.Photo("c.jpg", "photo-three"))
	h2.Clock.Advance(31 * time.Minute)
	mustNot(t, h2.Single("heping", "上报"), "照片")
}

func TestOutOfWindowDateSaysWhy(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	rep := h.Group(commChat, worker, "10月20日组织了全员演练，80人参加")
	must(t, rep, "“全员应急疏散演练”的日期须在11月1日至11月30日之间，10月20日不在这个范围内", "所以没有采用这个日期", "活动是哪天开展的")
	must(t, h.Group(commChat, worker, "10月21日"), "10月21日不在这个范围内")
	must(t, h.Group(commChat, worker, "11月3日"), "请核对上报内容")
	// A date in the future is not taken either, and the reply says so.
	rep = h.Group(commChat, "lisi", "11月8日组织了全员演练，80人参加")
	must(t, rep, "说的日期11月8日还没到", "活动是哪天开展的")
}
