package records_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/ledger"
	"firebot/store"
)

// Conversations after submission: 我的记录, 修改, 撤回, officers acting on
// grid workers' records, photos.

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

func TestRecordsCommandWords(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	tests := []struct{ in, want string }{
		{"我的记录", "你还没有提交过记录"},
		{"记录", "你还没有提交过记录"},
		{"修改", "请写明记录编号"},
		{"撤回 abc", "“abc”不是记录编号"},
		{"撤回 HD-0099", "没有找到记录 HD-0099"},
		{"我的纪录", "你是不是想：我的记录"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			must(t, h.Group(commChat, worker, tc.in), tc.want)
		})
	}
}

// A record command with a record id waits for the dialog in progress.
func TestRecordCommandsWaitForTheDialog(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	h.Group(commChat, worker, "上报")
	h.Group(commChat, worker, "2")
	must(t, h.Group(commChat, worker, "撤回 HD-0001"), "请先完成或取消当前的上报，再使用“撤回”")
	h.Group(commChat, worker, "取消")
	for _, in := range []string{"推荐", "个人", "李梅", "学田湾社区居委会", "8年", "2", "李梅同志长期坚持入户开展消防宣传。"} {
		h.Group(commChat, "zhangsan", in)
	}
	must(t, h.Group(commChat, "zhangsan", "撤回 HD-0001"), "请先完成或取消当前的推荐")
	must(t, h.Group(commChat, "zhangsan", "我的记录"), "你还没有提交过记录", "——继续刚才的推荐——")
}

func TestReturnedNominationResubmittedClearsTheReturn(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	h.Single("zhangsan", "我想推荐我们社区的李秀英，做了5年消防志愿者")
	h.Single("zhangsan", "2")
	h.Single("zhangsan", "李秀英阿姨长期入户开展消防宣传。")
	h.Single("zhangsan", "完成")
	h.Single("zhangsan", "13812345678")
	must(t, h.Single("zhangsan", "确认"), "推荐成功，编号 TJ-0001")

	// The office returns it, as office's 退回 does.
	if err := h.Store.Update(context.Background(), func(tx store.Tx) error {
		r, err := store.GetRecord(tx, "TJ-0001")
		if err != nil {
			return err
		}
		pay, err := ledger.DecodeNomination(r)
		if err != nil {
			return err
		}
		pay.Return("事迹太简略", "zhujun")
		if err := ledger.Encode(r, pay); err != nil {
			return err
		}
		r.Status = store.StatusReturned
		return store.PutRecord(tx, r)
	}); err != nil {
		t.Fatal(err)
	}
	if r, n := nominationOf(t, h, "TJ-0001"); r.Status != store.StatusReturned || n.ReturnReason == "" || n.ReturnedBy != "zhujun" {
		t.Fatalf("not returned: %+v %+v", r, n)
	}

	h.Single("zhangsan", "修改 TJ-0001")
	must(t, h.Single("zhangsan", "确认"), "已保存对 TJ-0001 的修改")
	r, n := nominationOf(t, h, "TJ-0001")
	if r.Status != store.StatusActive || n.ReturnReason != "" || n.ReturnedBy != "" {
		t.Errorf("return kept after resubmission: %v %+v", r.Status, n)
	}
	if n.Name != "李秀英" || n.RecommenderID != "zhangsan" {
		t.Errorf("payload lost: %+v", n)
	}
}
