package handlers

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/store"
)

// Conversations after submission (修改, 撤回, officers acting on grid
// workers' records, photos), dialogs across a restart and past their
// expiry, users without a unit, and binding.

func TestEditAfterSubmit(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	for _, in := range []string{"上报", "2", "11月3日", "80", "跳过", "跳过", "确认"} {
		h.Group(commChat, worker, in)
	}
	h.Clock.Advance(time.Hour)
	rep := h.Group(commChat, worker, "修改 hd-1")
	must(t, rep, "正在修改 HD-0001", "参演人数：80", "日期：11月3日")
	must(t, h.Group(commChat, worker, "人数 90"), "参演人数：90")
	must(t, h.Group(commChat, worker, "确认"), "已保存对 HD-0001 的修改", "参演人数 90")
	r, c := confirmation(t, h, "HD-0001")
	if c.Fields["participants"] != "90" || !r.UpdatedAt.Equal(at(t, "2023-11-06 11:00")) || !r.CreatedAt.Equal(at(t, "2023-11-06 10:00")) {
		t.Fatalf("record %+v %+v", r, c)
	}
	// An edit in one line, straight to the summary.
	must(t, h.Group(commChat, worker, "修改 HD-0001 日期 11月4日"), "正在修改 HD-0001", "已修改“日期”", "日期：11月4日（周六）")
	h.Group(commChat, worker, "确认")
	if _, c := confirmation(t, h, "HD-0001"); c.Date != "2023-11-04" {
		t.Fatalf("date %s", c.Date)
	}
	must(t, h.Group(commChat, worker, "我的记录"), "HD-0001 全员应急疏散演练 参演人数90 · 11月4日 · 学田湾社区")
}

func TestWithdraw(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	for _, in := range []string{"上报", "2", "11月3日", "80", "跳过", "跳过", "确认"} {
		h.Group(commChat, worker, in)
	}
	must(t, h.Group(commChat, worker, "撤回 HD-0001"), "确定撤回 HD-0001 全员应急疏散演练", "不再计入进度")
	must(t, h.Group(commChat, worker, "否"), "好的，没有撤回")
	if r := h.Record("HD-0001"); r.Status != store.StatusActive {
		t.Fatalf("status %s", r.Status)
	}
	h.Group(commChat, worker, "撤回 HD-0001")
	must(t, h.Group(commChat, worker, "确认"), "已撤回 HD-0001", "⬜ 全员应急疏散演练：未完成")
	if r := h.Record("HD-0001"); r.Status != store.StatusWithdrawn {
		t.Fatalf("status %s", r.Status)
	}
	must(t, h.Group(commChat, worker, "撤回 HD-0001"), "已经撤回了")
	must(t, h.Group(commChat, worker, "修改 HD-0001"), "已经撤回，不能修改")
	must(t, h.Group(commChat, worker, "我的记录"), "HD-0001", "（已撤回）")
}

func TestOfficerEditsGridWorkersRecord(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	for _, in := range []string{"上报", "2", "11月3日", "80", "跳过", "跳过", "确认"} {
		h.Group(commChat, worker, in)
	}
	// Another grid worker may not.
	must(t, h.Group(commChat, "zhaomin", "修改 HD-0001"), "HD-0001 不是你提交的，你也不是该单位的安全员")
	a := h.Audit()
	last := a[len(a)-1]
	if last.Allowed || last.Action != "edit" || last.Target != "HD-0001" || last.Actor != "zhaomin" {
		t.Fatalf("audit %+v", last)
	}
	// An officer of another unit may not either.
	must(t, h.Single("wangwu", "撤回 HD-0001"), "不能撤回")
	// The unit's officer may, in a one-to-one chat.
	must(t, h.Single("zhangsan", "我的记录"), "学田湾社区的其他记录", "HD-0001")
	must(t, h.Single("zhangsan", "修改 HD-0001"), "正在修改 HD-0001")
	must(t, h.Single("zhangsan", "地点 社区活动中心"), "地点：社区活动中心")
	must(t, h.Single("zhangsan", "确认"), "已保存对 HD-0001 的修改")
	r, c := confirmation(t, h, "HD-0001")
	if c.Place != "社区活动中心" || r.ReporterID != worker {
		t.Fatalf("record %+v %+v", r, c)
	}
	// Office staff may too.
	h.Single(office, "撤回 HD-0001")
	must(t, h.Single(office, "确认"), "已撤回 HD-0001")
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
	must(t, h.Group(commChat, worker, "我的记录"), "你还没有提交过记录")
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
	must(t, h.Group(unbound, worker, "推荐"), "本群还没有绑定单位")
	must(t, h.Single(worker, "上报"), "私聊中只能为你担任安全员的单位上报", "朱君 023-63850029")
	// Reading is fine.
	must(t, h.Group(unbound, worker, "活动"), "预防为主，生命至上")
	must(t, h.Group(unbound, worker, "进度"), "本群还没有绑定单位")
	a := h.Audit()
	if len(a) != 4 || a[0].Allowed || a[0].Action != "command:上报" {
		t.Fatalf("audit %+v", a)
	}
}

func TestImagesAttachToTheRightRecord(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	// A grid worker reports twice in the group, then sends photos privately.
	for _, in := range []string{"上报", "2", "11月3日", "80", "跳过", "跳过", "确认"} {
		h.Group(commChat, worker, in)
	}
	h.Clock.Advance(time.Minute)
	for _, in := range []string{"上报", "1", "11月4日", "120", "跳过", "跳过", "跳过", "确认"} {
		h.Group(commChat, worker, in)
	}
	p := h.Photo("latest.jpg", "for-latest")
	must(t, h.Image(worker, "", p), "已把1张照片附到 HD-0002")
	must(t, h.Single(worker, "照片 HD-0001"), "请发送 HD-0001 的照片")
	p1 := h.Photo("first.jpg", "for-first")
	must(t, h.Image(worker, "", p1), "已把1张照片附到 HD-0001")
	must(t, h.Single(worker, "完成"), "HD-0001 现在共有1张照片")
	// 照片 with the image in the same message (intelligent robot mixed).
	p2 := h.Photo("second.jpeg", "for-first-2")
	must(t, h.Image(worker, "照片 HD-0001", p2), "这条记录现在共2张照片")

	_, c1 := confirmation(t, h, "HD-0001")
	_, c2 := confirmation(t, h, "HD-0002")
	if diff := cmp.Diff([]string{"HD-0001-1.jpg", "HD-0001-2.jpeg"}, c1.Photos); diff != "" {
		t.Fatalf("HD-0001 photos (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"HD-0002-1.jpg"}, c2.Photos); diff != "" {
		t.Fatalf("HD-0002 photos (-want +got):\n%s", diff)
	}
	for name, content := range map[string]string{"HD-0001-1.jpg": "for-first", "HD-0001-2.jpeg": "for-first-2", "HD-0002-1.jpg": "for-latest"} {
		b, err := os.ReadFile(filepath.Join(h.Cfg.Media.Dir, name))
		if err != nil || string(b) != content {
			t.Fatalf("%s: %q %v", name, b, err)
		}
	}
	// Someone else's record cannot get photos.
	must(t, h.Single("zhaomin", "照片 HD-0001"), "不能补充照片")
	// No record yet: nothing is kept.
	must(t, h.Image("zhaomin", "", h.Photo("x.jpg", "x")), "你还没有上报记录")
	// In a group the robot cannot receive images.
	must(t, h.Group(commChat, worker, "照片 HD-0001"), "群里我收不到图片")
}
