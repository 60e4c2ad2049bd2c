package correct_test

import (
	"slices"
	"strings"
	"testing"

	"firebot/ledger"
	"firebot/office"
	"firebot/office/officetest"
	"firebot/outbox"
	"firebot/store"
)

// 代录: the confirmation dialog for a unit, on its behalf; the record shows
// who entered it and the unit's progress counts it.
func TestEntryOnBehalf(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00", office.Options{})
	if ts := officetest.TaskStatus(h.Progress("comm_guihuayuan"), "all_hands_drill"); ts.Done() {
		t.Fatal("done before")
	}
	got := h.Group(officetest.OfficeChat, officetest.OfficeUser, "代录 桂花园")
	officetest.Contains(t, got, "代录：为桂花园社区录入", "哪位提供")
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "王主任 13800000000"), "哪一项")
	for _, say := range []string{"全员应急疏散演练", "11月15日", "120", "跳过", "跳过"} {
		got = h.Group(officetest.OfficeChat, officetest.OfficeUser, say)
	}
	officetest.Contains(t, got, "请核对")
	got = h.Group(officetest.OfficeChat, officetest.OfficeUser, "确认")
	officetest.Contains(t, got, "上报成功，编号 HD-0001", "桂花园社区")

	p := h.Progress("comm_guihuayuan")
	ts := officetest.TaskStatus(p, "all_hands_drill")
	if !ts.Done() || len(ts.Records) != 1 {
		t.Fatalf("progress %+v", ts)
	}
	pay, err := ledger.DecodeConfirmation(ts.Records[0])
	if err != nil {
		t.Fatal(err)
	}
	if pay.EnteredBy != officetest.OfficeUser || pay.SuppliedBy != "王主任 13800000000" || pay.Fields["participants"] != "120" || pay.Date != "2023-11-15" {
		t.Errorf("payload %+v", pay)
	}
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "统计 桂花园社区"), "代录：zhujun", "HD-0001")

	officetest.Contains(t, h.Single(officetest.OfficeUser, "代录"), "请写明为哪个单位代录")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "代录 示例"), "对应多个单位")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "代录 火星"), "没有找到单位“火星”")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "代录 北片板块"), "没有需要上报的项目")
}

func TestNotApplicable(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00", office.Options{})
	const unit, task = "org_school_a", "evacuation_drill"
	if ts := officetest.TaskStatus(h.Progress(unit), task); ts.Done() || ts.NotApplicable != nil {
		t.Fatal("done before")
	}
	got := h.Group(officetest.OfficeChat, officetest.OfficeUser, "不适用 示例实验小学 疏散演练 校区改造，已由区教委统一组织")
	officetest.Contains(t, got, "已标记“疏散演练”不适用于示例实验小学", "校区改造", "➖ 疏散演练：不适用")
	ts := officetest.TaskStatus(h.Progress(unit), task)
	if !ts.Done() || ts.NotApplicable == nil || ts.NotApplicable.By != officetest.OfficeUser || !strings.HasPrefix(ts.NotApplicable.Reason, "校区改造") {
		t.Fatalf("not marked: %+v", ts)
	}
	// A chase no longer asks for it.
	h.Group(officetest.OfficeChat, officetest.OfficeUser, "催报 report")
	for _, p := range h.PushesTo("chat_org_school_a") {
		_, owed, _ := strings.Cut(p.Text, "尚未上报：")
		owed, _, _ = strings.Cut(owed, "\n")
		if slices.Contains(strings.Split(owed, "、"), "疏散演练") || owed == "" {
			t.Errorf("chased for it: %s", p.Text)
		}
	}
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "不适用 示例实验小学 疏散演练 其他原因"), "已经标记为不适用")
	got = h.Group(officetest.OfficeChat, officetest.OfficeUser, "不适用 示例实验小学 疏散演练 撤销")
	officetest.Contains(t, got, "已撤销")
	if ts := officetest.TaskStatus(h.Progress(unit), task); ts.Done() {
		t.Fatal("still done after 撤销")
	}

	// Without a reason, it is asked for; by task number.
	got = h.Single(officetest.OfficeUser, "不适用 学田湾社区 1")
	officetest.Contains(t, got, "为什么不适用于学田湾社区", "主题宣传活动")
	got = h.Single(officetest.OfficeUser, "社区已整体搬迁")
	officetest.Contains(t, got, "已标记“主题宣传活动”不适用于学田湾社区", "社区已整体搬迁")
	if ts := officetest.TaskStatus(h.Progress("comm_xuetianwan"), "theme_publicity"); !ts.Done() {
		t.Fatal("not marked after the asked reason")
	}
	var actions []string
	for _, e := range h.Audit() {
		actions = append(actions, e.Action)
	}
	officetest.Contains(t, strings.Join(actions, ","), "not_applicable,", "not_applicable_lift")

	officetest.Contains(t, h.Single(officetest.OfficeUser, "不适用 学田湾社区"), "请写明哪项任务", "1 主题宣传活动")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "不适用 学田湾社区 疏散演练 x"), "没有找到学田湾社区的任务")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "不适用 无此单位 1 x"), "没有找到单位")
}

func TestReturn(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00", office.Options{})
	id := h.PutConfirmation("comm_xuetianwan", "theme_publicity", "zhangsan")
	if ts := officetest.TaskStatus(h.Progress("comm_xuetianwan"), "theme_publicity"); !ts.Done() {
		t.Fatal("not done before")
	}
	got := h.Group(officetest.OfficeChat, officetest.OfficeUser, "退回 "+strings.ToLower(id)+" 照片看不清，请补充清晰照片。")
	officetest.Contains(t, got, "【退回预览】预览＃1", "HD-0001", "照片看不清，请补充清晰照片。", "报送人（应用消息）", "单位的1个群", "确认")
	if ps := h.Pushes(); len(ps) != 0 {
		t.Fatalf("pushed before 确认: %+v", ps)
	}
	got = h.Group(officetest.OfficeChat, officetest.OfficeUser, "确认")
	officetest.Contains(t, got, "已确认预览＃1：退回 HD-0001，原因：照片看不清", "已退回 HD-0001", "照片看不清，请补充清晰照片。", "报送人（应用消息）", "单位的1个群")

	ts := officetest.TaskStatus(h.Progress("comm_xuetianwan"), "theme_publicity")
	if ts.Done() || len(ts.Returned) != 1 {
		t.Fatalf("still counted: %+v", ts)
	}
	var r *store.Record
	h.View(func(tx store.Tx) error {
		var err error
		r, err = store.GetRecord(tx, id)
		return err
	})
	pay, _ := ledger.DecodeConfirmation(r)
	if r.Status != store.StatusReturned || pay.ReturnReason != "照片看不清，请补充清晰照片。" || pay.ReturnedBy != officetest.OfficeUser {
		t.Errorf("record %+v %+v", r, pay)
	}
	dm := h.PushesTo("zhangsan")
	if len(dm) != 1 || dm[0].Channel != string(outbox.ChannelApp) {
		t.Fatalf("reporter told: %+v", dm)
	}
	officetest.Contains(t, dm[0].Text, "HD-0001", "被街道退回", "照片看不清", "修改 HD-0001")
	grp := h.PushesTo(officetest.UnitChat)
	if len(grp) != 1 || len(grp[0].Mentions) != 1 || grp[0].Mentions[0] != "zhangsan" {
		t.Fatalf("group told: %+v", grp)
	}
	officetest.Contains(t, grp[0].Text, "【退回】HD-0001", "照片看不清")
	officetest.Contains(t, h.Group(officetest.UnitChat, "zhangsan", "进度"), "HD-0001被退回：照片看不清")
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "退回 HD-0001 again"), "已经退回过了")

	// The reporter resubmits with 修改: it counts again.
	officetest.Contains(t, h.Group(officetest.UnitChat, "zhangsan", "修改 HD-0001"), "被退回了")
	officetest.Contains(t, h.Group(officetest.UnitChat, "zhangsan", "确认"), "已保存对 HD-0001 的修改")
	if ts := officetest.TaskStatus(h.Progress("comm_xuetianwan"), "theme_publicity"); !ts.Done() {
		t.Fatalf("not counted after resubmission: %+v", ts)
	}

	// No reason: asked for.
	id2 := h.PutConfirmation("comm_xuetianwan", "atmosphere", "lisi")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "退回 "+id2), "请说明退回 HD-0002", "学田湾社区 · 宣传氛围营造")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "数量与照片不符"), "【退回预览】", "HD-0002", "数量与照片不符")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "确认"), "已退回 HD-0002", "数量与照片不符")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "退回 GB-0001 x"), "没有找到")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "退回 abc x"), "不是记录编号")
}
