package stats_test

import (
	"strings"
	"testing"

	"firebot/office"
	"firebot/office/officetest"
)

func TestStats(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00", office.Options{})
	got := h.Single(officetest.OfficeUser, "统计")
	officetest.Contains(t, got, "全街道23个单位：完成0/189项（0%）", "23个单位还没有上报任何内容", "北片板块：完成0/65项", "学校：完成0/20项", "进度最慢的单位：")

	// 学田湾社区 reports everything but one task; 示例实验小学 one task.
	for _, task := range []string{"theme_publicity", "all_hands_drill", "cloud_learning", "four_ones"} {
		h.PutConfirmation("comm_xuetianwan", task, "zhangsan")
	}
	h.PutConfirmation("org_school_a", "evacuation_drill", "heping")
	got = h.Single(officetest.OfficeUser, "统计")
	officetest.Contains(t, got, "完成5/189项（3%）", "21个单位还没有上报任何内容", "北片板块：完成5/65项（8%）", "社区：完成4/40项（10%）", "学校：完成1/20项（5%）")
	officetest.Lacks(t, got, "1. 学田湾社区", "1. 示例实验小学")
	_, behind, _ := strings.Cut(got, "进度最慢的单位：")
	if strings.Count(behind, "\n") < 5 || strings.Contains(behind, "学田湾社区") {
		t.Errorf("furthest behind:\n%s", behind)
	}

	got = h.Single(officetest.OfficeUser, "统计 学田湾")
	officetest.Contains(t, got, "学田湾社区（社区 · 北片板块）", "安全员：zhangsan、lisi", "绑定的群：1个", "已完成 4/5 项", "⬜ 宣传氛围营造", "HD-0001 主题宣传活动")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "统计 示例"), "对应多个单位")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "统计 火星"), "没有找到单位")
}

func TestChase(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00", office.Options{})
	// 学田湾社区 is done with everything due by report.
	for _, task := range []string{"theme_publicity", "all_hands_drill", "cloud_learning", "four_ones", "atmosphere"} {
		h.PutConfirmation("comm_xuetianwan", task, "zhangsan")
	}
	got := h.Group(officetest.OfficeChat, officetest.OfficeUser, "催报")
	// Nearest open deadline on Nov 20: report (Dec 1). 23 units owe; 21
	// groups; 桂花园社区 and 示例物业服务公司 have no group.
	officetest.Contains(t, got, "已催报“活动信息和图文资料报送截止”", "提醒了22个单位", "发送到20个群", "另有2个单位没有绑定群")
	src := "chase:report:2023-11-20:1"
	var groups, direct int
	for _, p := range h.Pushes() {
		if !strings.HasPrefix(p.Key, src+":") {
			continue
		}
		switch p.Channel {
		case "webhook":
			groups++
			if p.Target == officetest.UnitChat {
				t.Errorf("chased a unit that is done: %s", p.Text)
			}
		case "app":
			direct++
		}
	}
	if groups != 20 || direct != 2 {
		t.Errorf("groups %d, direct %d", groups, direct)
	}
	gh := h.PushesTo("chener") // 桂花园社区's officer
	if len(gh) != 1 {
		t.Fatalf("chener: %+v", gh)
	}
	officetest.Contains(t, gh[0].Text, "桂花园社区：尚未上报：主题宣传活动")
	hz := h.PushesTo("chat_org_hazchem_a")
	// Markdown: the officer is mentioned, once, in the content.
	if len(hz) != 1 || !strings.HasPrefix(hz[0].Text, "<@jiangtao> \n") || strings.Count(hz[0].Text, "<@") != 1 {
		t.Fatalf("hazchem: %+v", hz)
	}
	officetest.Contains(t, hz[0].Text, "**催报：活动信息和图文资料报送截止**", "> **示例加油站**：尚未上报：", "疏散演练")

	// The same day again: asked first; 取消 sends nothing.
	before := len(h.Pushes())
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "催报 活动信息"), "今天已经催报过", "1次", "确定再催一次吗")
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "取消"), "取消")
	if len(h.Pushes()) != before {
		t.Fatal("sent after 取消")
	}
	h.Group(officetest.OfficeChat, officetest.OfficeUser, "催报 report")
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "确认"), "已催报", "提醒了22个单位")
	if n := len(h.Pushes()) - before; n != 22 {
		t.Errorf("second round pushed %d", n)
	}
	// A new day needs no question.
	h.Clk.Advance(24 * 3600e9)
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "催报 report"), "已催报")

	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "催报 明年"), "没有找到截止项", "report（")
	h.Clk.Set(officetest.At(t, "2023-12-02 09:00"))
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "催报"), "所有截止时间都已经过了")
}

func TestChaseNominations(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00", office.Options{})
	got := h.Group(officetest.OfficeChat, officetest.OfficeUser, "催报")
	officetest.Contains(t, got, "最美消防志愿者推荐截止（区）", "提醒了23个单位")
	p := h.PushesTo(officetest.UnitChat)
	if len(p) != 1 {
		t.Fatalf("%+v", p)
	}
	officetest.Contains(t, p[0].Text, "> **学田湾社区**：尚未推荐志愿者")
	officetest.Lacks(t, p[0].Text, "尚未上报")
}

// 统计 typed in a unit's group goes 1:1 by application message; when it
// is longer than one message, the parts end between list items.
func TestStatsPrivatePartsEndBetweenItems(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00", office.Options{})
	officetest.Contains(t, h.Group(officetest.UnitChat, officetest.OfficeUser, "统计"), "私信发给你")
	ps := h.PushesTo(officetest.OfficeUser)
	if len(ps) == 0 {
		t.Fatal("nothing sent")
	}
	var all string
	for i, p := range ps {
		if len(p.Text) > 2048 {
			t.Errorf("part %d: %d bytes", i, len(p.Text))
		}
		if i < len(ps)-1 && !strings.HasSuffix(p.Text, "\n") {
			t.Errorf("part %d ends inside a line: …%q", i, p.Text[max(0, len(p.Text)-30):])
		}
		all += p.Text
	}
	officetest.Contains(t, all, "【统计】", "发送“统计 单位名”")
	t.Logf("%d parts, %d bytes", len(ps), len(all))
}
