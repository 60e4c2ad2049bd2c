package report_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/ledger"
	"firebot/store"
)

// Whole conversations through Router.Handle, each message in its own unit
// of work on a real embedded store, with a fake campaign clock.

func TestConfirmationInGroup(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	h.Names[worker] = "王晓"
	must(t, h.Group(commChat, worker, "上报"), "开展的是哪一项活动", "1. 主题宣传活动", "2. 全员应急疏散演练")
	must(t, h.Group(commChat, worker, "2"), "活动是哪天开展的")
	must(t, h.Group(commChat, worker, "11月3日"), "参演人数是多少")
	must(t, h.Group(commChat, worker, "80人"), "活动在哪里开展的")
	must(t, h.Group(commChat, worker, "社区广场"), "请简要描述活动情况")
	rep := h.Group(commChat, worker, "居民和商户一起参加了疏散演练")
	// A group robot cannot receive images: no photo question.
	must(t, rep, "请核对上报内容", "单位：学田湾社区", "项目：全员应急疏散演练", "日期：11月3日（周五）", "参演人数：80", "地点：社区广场")
	mustNot(t, rep, "照片：")
	rep = h.Group(commChat, worker, "确认")
	must(t, rep, "上报成功，编号 HD-0001", "【学田湾社区】已完成 1/5 项", "✅ 全员应急疏散演练：HD-0001",
		"请私聊我，先发送“照片 HD-0001”", "修改 HD-0001")

	r, c := confirmation(t, h, "HD-0001")
	want := ledger.Confirmation{Date: "2023-11-03", Fields: map[string]string{"participants": "80"}, Place: "社区广场",
		Description: "居民和商户一起参加了疏散演练", ReporterName: "王晓", ChatID: commChat}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Fatalf("payload (-want +got):\n%s", diff)
	}
	if r.Kind != store.KindConfirmation || r.CampaignID != "2023-119" || r.UnitID != "comm_xuetianwan" || r.TaskID != "all_hands_drill" ||
		r.ReporterID != worker || r.Status != store.StatusActive || !r.CreatedAt.Equal(at(t, "2023-11-06 10:00")) {
		t.Fatalf("record %+v", r)
	}
	must(t, h.Group(commChat, "lisi", "进度"), "✅ 全员应急疏散演练：HD-0001", "未完成的4项须在12月1日前上报")
}

func TestConfirmationInSingleChatWithPhotos(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	h.Single("heping", "上报")
	h.Single("heping", "疏散演练")
	h.Single("heping", "今天")
	h.Single("heping", "1200")
	h.Single("heping", "跳过")
	h.Single("heping", "跳过")
	p1, p2 := h.Photo("a.jpg", "photo-one"), h.Photo("b.png", "photo-two")
	must(t, h.Image("heping", "", p1), "已收到照片，共1张")
	must(t, h.Image("heping", "", p2), "已收到照片，共2张")
	must(t, h.Single("heping", "完成"), "照片：2张")
	rep := h.Single("heping", "确认")
	must(t, rep, "上报成功，编号 HD-0001", "照片：已保存2张")
	_, c := confirmation(t, h, "HD-0001")
	if diff := cmp.Diff([]string{"HD-0001-1.jpg", "HD-0001-2.png"}, c.Photos); diff != "" {
		t.Fatalf("photos (-want +got):\n%s", diff)
	}
	for name, content := range map[string]string{"HD-0001-1.jpg": "photo-one", "HD-0001-2.png": "photo-two"} {
		b, err := os.ReadFile(filepath.Join(h.Cfg.Media.Dir, name))
		if err != nil || string(b) != content {
			t.Fatalf("%s: %q %v", name, b, err)
		}
	}
}

func TestFreeTextShortcut(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	rep := h.Group(schoolChat, "teacher1", "今天上午我们学校组织了疏散演练，80人参加")
	must(t, rep, "已识别：项目“疏散演练”，日期 11月6日，参演人数 80", "请核对上报内容", "地点：（未填）")
	must(t, h.Group(schoolChat, "teacher1", "地点 操场"), "地点：操场")
	must(t, h.Group(schoolChat, "teacher1", "确认"), "上报成功，编号 HD-0001")
	_, c := confirmation(t, h, "HD-0001")
	if c.Date != "2023-11-06" || c.Fields["participants"] != "80" || c.Place != "操场" {
		t.Fatalf("payload %+v", c)
	}

	// Only what is missing is asked: here the count.
	rep = h.Group(commChat, worker, "昨天组织了全员演练")
	must(t, rep, "已识别：项目“全员应急疏散演练”，日期 11月5日", "参演人数是多少")
	must(t, h.Group(commChat, worker, "60"), "请核对上报内容", "参演人数：60")

	// A keyword alone is not a report.
	must(t, h.Group(commChat, "lisi", "演练"), "没看懂")
}

func TestTwoUsersInterleaveInOneGroup(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	h.Group(commChat, "zhangsan", "上报")
	h.Group(commChat, worker, "上报")
	must(t, h.Group(commChat, "zhangsan", "2"), "活动是哪天开展的")
	must(t, h.Group(commChat, worker, "1"), "活动是哪天开展的")
	must(t, h.Group(commChat, worker, "昨天"), "参与人数是多少")
	must(t, h.Group(commChat, "zhangsan", "今天"), "参演人数是多少")
	h.Group(commChat, "zhangsan", "50")
	h.Group(commChat, worker, "200")
	for _, u := range []string{"zhangsan", worker} {
		h.Group(commChat, u, "跳过")
		h.Group(commChat, u, "跳过")
	}
	h.Group(commChat, worker, "跳过") // theme_publicity has an optional 活动简况 field
	must(t, h.Group(commChat, "zhangsan", "确认"), "编号 HD-0001", "全员应急疏散演练")
	must(t, h.Group(commChat, worker, "确认"), "编号 HD-0002", "主题宣传活动")
	_, a := confirmation(t, h, "HD-0001")
	_, b := confirmation(t, h, "HD-0002")
	if a.Fields["participants"] != "50" || a.Date != "2023-11-06" || b.Fields["participants"] != "200" || b.Date != "2023-11-05" {
		t.Fatalf("mixed up: %+v %+v", a, b)
	}
	// The same user in another chat has a separate dialog.
	h.Group(commChat, "zhangsan", "上报")
	must(t, h.Single("zhangsan", "进度"), "【学田湾社区】")
}

func TestGroupServingTwoUnits(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	sector := "chat_sector_north"
	bindChat(t, h, sector, "comm_xuetianwan", "comm_niujiaotuo") // 绑定 (handlers/bind)
	rep := h.Group(sector, worker, "上报")
	must(t, rep, "为哪个单位上报", "1. 牛角沱社区", "2. 学田湾社区")
	if len(rep.Buttons) != 2 {
		t.Fatalf("buttons %+v", rep.Buttons)
	}
	must(t, h.Group(sector, worker, "牛角沱"), "开展的是哪一项活动")
	for _, in := range []string{"2", "昨天", "30", "跳过", "跳过"} {
		h.Group(sector, worker, in)
	}
	must(t, h.Group(sector, worker, "确认"), "【牛角沱社区】已完成 1/5 项")
	if r := h.Record("HD-0001"); r.UnitID != "comm_niujiaotuo" {
		t.Fatalf("unit %s", r.UnitID)
	}
	// The free-text shortcut also asks which unit.
	must(t, h.Group(sector, "lisi", "今天组织了全员演练，40人参加"), "为哪个单位上报")
	must(t, h.Group(sector, "lisi", "学田湾"), "请核对上报内容", "单位：学田湾社区", "参演人数：40")
	// 进度 covers both units.
	must(t, h.Group(sector, worker, "进度"), "【学田湾社区】", "【牛角沱社区】")
}

func TestCancelNothingSaved(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	for _, in := range []string{"上报", "2", "昨天", "80"} {
		h.Group(commChat, worker, in)
	}
	must(t, h.Group(commChat, worker, "取消"), "已取消上报，没有保存任何内容")
	noRecords(t, h, worker)
	must(t, h.Group(commChat, worker, "取消"), "现在没有正在填写的内容")
	// Back and skip through the router.
	h.Group(commChat, worker, "上报")
	h.Group(commChat, worker, "2")
	must(t, h.Group(commChat, worker, "返回"), "开展的是哪一项活动")
	must(t, h.Group(commChat, worker, "跳过"), "“项目”必须填写，不能跳过")
}

func TestCommandDuringDialog(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	h.Group(commChat, worker, "上报")
	h.Group(commChat, worker, "2")
	// A question about the campaign is answered and the dialog goes on.
	rep := h.Group(commChat, worker, "进度")
	must(t, rep, "【学田湾社区】已完成", "继续刚才的上报", "活动是哪天开展的")
	must(t, h.Group(commChat, worker, "截止是哪天？"), "12月1日", "继续刚才的上报", "活动是哪天开展的")
	must(t, h.Group(commChat, worker, "截止"), "继续刚才的上报", "活动是哪天开展的")
	// Any other question at a step is answered with the step's help.
	must(t, h.Group(commChat, worker, "哪天都可以吗？"), "请回复活动开展的日期", "活动是哪天开展的")
	// A command with arguments asks whether to leave; nothing is taken as
	// an answer.
	rep = h.Group(commChat, worker, "上报 今天演练80人")
	must(t, rep, "“上报 今天演练80人”是一条命令，没有当作回答", "回复“取消”", "活动是哪天开展的")
	must(t, h.Group(commChat, worker, "上报 HD-0001"), "请先完成或取消当前的上报，再使用“上报”")
	// 帮助 inside a dialog is help for the step.
	must(t, h.Group(commChat, worker, "帮助"), "日期不能晚于今天", "活动是哪天开展的")
	must(t, h.Group(commChat, worker, "今天"), "参演人数")
	must(t, h.Group(commChat, worker, ""), "参演人数是多少") // a bare mention repeats the question
	h.Group(commChat, worker, "80")
	// Text that merely starts with a command word is an answer.
	must(t, h.Group(commChat, worker, "活动中心"), "请简要描述活动情况")
	must(t, h.Group(commChat, worker, "帮助孤寡老人检查电线"), "请核对上报内容", "地点：活动中心", "简要描述：帮助孤寡老人检查电线")
}

func TestRestartMidDialog(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	h.Group(commChat, worker, "上报")
	h.Group(commChat, worker, "2")
	h.Restart()
	must(t, h.Group(commChat, worker, "昨天"), "参演人数是多少")
	h.Restart()
	h.Group(commChat, worker, "66")
	h.Group(commChat, worker, "跳过")
	h.Restart()
	h.Group(commChat, worker, "跳过")
	must(t, h.Group(commChat, worker, "确认"), "上报成功，编号 HD-0001", "参演人数 66")
}

func TestExpiredDialog(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	h.Group(commChat, worker, "上报")
	h.Group(commChat, worker, "2")
	h.Clock.Advance(29 * time.Minute)
	must(t, h.Group(commChat, worker, "昨天"), "参演人数是多少") // activity refreshes the timer
	h.Clock.Advance(31 * time.Minute)
	rep := h.Group(commChat, worker, "80")
	must(t, rep, "你之前的“上报”超过30分钟没有回复，已经作废，内容没有保存", "需要的话请重新发送“上报”")
	noRecords(t, h, worker)
	// A command after expiry is answered, with the notice first.
	h.Group(commChat, worker, "上报")
	h.Clock.Advance(time.Hour)
	must(t, h.Group(commChat, worker, "进度"), "已经作废", "【学田湾社区】")
}

func TestUserWithoutUnit(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	unbound := "chat_unbound"
	must(t, h.Group(unbound, worker, "上报"), "本群还没有绑定单位，所以暂时不能在这里上报", "绑定 单位名称")
	must(t, h.Group(unbound, worker, "今天组织了疏散演练，80人参加"), "本群还没有绑定单位")
	must(t, h.Single(worker, "上报"), "私聊中只能为你担任安全员的单位上报", "朱君 023-63850029")
	// Reading is fine.
	must(t, h.Group(unbound, worker, "活动"), "预防为主，生命至上")
	must(t, h.Group(unbound, worker, "进度"), "本群还没有绑定单位")
	a := h.Audit()
	if len(a) != 3 || a[0].Allowed || a[0].Action != "command:上报" {
		t.Fatalf("audit %+v", a)
	}
}

func TestShortReportIsStillDiscarded(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	h.Group(commChat, worker, "上报")
	h.Clock.Advance(time.Hour)
	must(t, h.Group(commChat, worker, "80"), "已经作废")
}

func TestRepliesMentionTheSenderInGroups(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	rep := h.Group(commChat, worker, "上报")
	if len(rep.Mentions) != 1 || rep.Mentions[0] != worker {
		t.Fatalf("mentions %v", rep.Mentions)
	}
	must(t, rep, "在群里回复时请先 @我", "回复“取消”可退出")
	rep = h.Single("zhangsan", "上报")
	if len(rep.Mentions) != 0 {
		t.Fatalf("mentions in a 1:1 chat: %v", rep.Mentions)
	}
	mustNot(t, rep, "@我")
}
