package office_test

import (
	"context"
	"strings"
	"testing"

	"firebot/ledger"
	"firebot/office/officetest"
	"firebot/sim"
	"firebot/store"
	"firebot/wecom/fakewecom"
)

// End to end through the robot callbacks: office actions that cannot
// misfire (issue 18).

// say sends text through the robot callback and fails the test on error.
func say(t *testing.T, s *sim.Sim, chat, user, text string) string {
	t.Helper()
	got, err := s.Say(context.Background(), chat, user, text)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// groupPushes counts the webhook pushes per chat whose text has want.
func groupPushes(got []fakewecom.Recorded, want string) map[string]int {
	out := map[string]int{}
	for _, r := range got {
		if r.API == "webhook/send" && strings.Contains(r.Content(), want) {
			out[r.ChatID]++
		}
	}
	return out
}

// A scope that names nothing is refused with the closest valid scopes;
// nothing is previewed, so a 确认 after it sends nothing.
func TestBroadcastUnknownScopeEndToEnd(t *testing.T) {
	s, real := newSim(t, officetest.LoadConfig(t), "2023-11-20 09:00")
	got := say(t, s, officetest.OfficeChat, officetest.OfficeUser, "广播 东片板块 请各单位注意")
	officetest.Contains(t, got, "没有找到范围“东片板块”", "没有预览，也没有发送", "最接近的范围：", "北片板块")
	officetest.Lacks(t, got, "【广播预览】", "确认")
	got = say(t, s, officetest.OfficeChat, officetest.OfficeUser, "确认")
	officetest.Lacks(t, got, "已发出广播")
	for _, r := range drain(t, s, real) {
		if r.API == "webhook/send" && r.ChatID != officetest.OfficeChat || r.API == "message/send" {
			t.Errorf("sent after a refused scope: %s %s %s", r.API, r.ChatID, r.Content())
		}
	}
}

// Scopes joined by 、 reach exactly their units' groups, once each; 回执
// is a flag, not content.
func TestBroadcastJoinedScopesEndToEnd(t *testing.T) {
	s, real := newSim(t, officetest.LoadConfig(t), "2023-11-20 09:00")
	got := say(t, s, officetest.OfficeChat, officetest.OfficeUser, "广播 学校、医疗机构 回执 请于11月24日前报送演练总结")
	officetest.Contains(t, got, "【广播预览】", "范围：学校、医疗机构（4个单位）", "发送到：4个群", "回执：需要", "请于11月24日前报送演练总结")
	officetest.Contains(t, say(t, s, officetest.OfficeChat, officetest.OfficeUser, "确认"), "已发出广播 GB-0001")
	sent := groupPushes(drain(t, s, real), "请于11月24日前报送演练总结")
	delete(sent, officetest.OfficeChat) // the delivery report quotes the content
	want := map[string]int{"chat_org_school_a": 1, "chat_org_school_b": 1, "chat_org_hospital_a": 1, "chat_org_hospital_b": 1}
	if len(sent) != len(want) {
		t.Fatalf("sent to %v", sent)
	}
	for chat, n := range want {
		if sent[chat] != n {
			t.Errorf("%s received %d, want %d (all: %v)", chat, sent[chat], n, sent)
		}
	}
	got = say(t, s, officetest.OfficeChat, officetest.OfficeUser, "回执 GB-0001")
	officetest.Contains(t, got, "【回执情况】GB-0001", "范围 学校、医疗机构", "已回执0/4个单位")
	officetest.Lacks(t, got, "没有要求回执")
	// The content as the groups received it starts with the content.
	for _, r := range s.Fake.Messages() {
		if r.API == "webhook/send" && r.ChatID != officetest.OfficeChat && strings.Contains(r.Content(), "演练总结") {
			if lines := strings.Split(r.Content(), "\n"); len(lines) < 2 || !strings.HasPrefix(lines[1], "请于11月24日前") {
				t.Errorf("content: %q", r.Content())
			}
		}
	}
}

// A new preview replaces the pending one and says so; 确认 answers the
// pending one only and repeats its digest.
func TestSupersededPreviewEndToEnd(t *testing.T) {
	s, real := newSim(t, officetest.LoadConfig(t), "2023-11-20 09:00")
	got := say(t, s, officetest.OfficeChat, officetest.OfficeUser, "广播 社区 今晚开会甲")
	officetest.Contains(t, got, "【广播预览】预览＃1", "范围：社区")
	got = say(t, s, officetest.OfficeChat, officetest.OfficeUser, "广播 学校 今晚开会乙")
	officetest.Contains(t, got, "之前待确认的预览＃1（广播 社区（8个单位，7个群，1个单位应用消息）：今晚开会甲）已作废", "【广播预览】预览＃2", "范围：学校（2个单位）")
	got = say(t, s, officetest.OfficeChat, officetest.OfficeUser, "确认")
	officetest.Contains(t, got, "已确认预览＃2：广播 学校（2个单位，2个群）：今晚开会乙", "已发出广播 GB-0001")
	all := drain(t, s, real)
	if n := groupPushes(all, "今晚开会甲"); len(n) != 0 {
		t.Errorf("the superseded preview was sent: %v", n)
	}
	sent := groupPushes(all, "今晚开会乙")
	delete(sent, officetest.OfficeChat)
	if len(sent) != 2 || sent["chat_org_school_a"] != 1 || sent["chat_org_school_b"] != 1 {
		t.Errorf("sent to %v", sent)
	}
	// Nothing is pending any more: 确认 is not an answer to anything.
	officetest.Lacks(t, say(t, s, officetest.OfficeChat, officetest.OfficeUser, "确认"), "已发出广播")
}

// putConfirmationIn stores an active confirmation as the dialog would.
func putConfirmationIn(t *testing.T, s *sim.Sim, unitID, taskID, reporter string) string {
	t.Helper()
	r := &store.Record{Kind: store.KindConfirmation, CampaignID: s.Config.Campaign.ID, UnitID: unitID, TaskID: taskID,
		ReporterID: reporter, CreatedAt: officetest.At(t, "2023-11-19 10:00"), UpdatedAt: officetest.At(t, "2023-11-19 10:00")}
	if err := ledger.Encode(r, ledger.Confirmation{Date: "2023-11-19", ReporterName: reporter, Fields: map[string]string{"participants": "80"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Service.Store.Update(context.Background(), func(tx store.Tx) error { return store.PutRecord(tx, r) }); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func recordStatus(t *testing.T, s *sim.Sim, id string) string {
	t.Helper()
	var st string
	if err := s.Service.Store.View(context.Background(), func(tx store.Tx) error {
		r, err := store.GetRecord(tx, id)
		if err == nil {
			st = r.Status
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return st
}

// 退回 without a reason asks for one; a command typed there is not the
// reason: the bot asks whether to leave. The reason then gives a preview,
// and only 确认 tells the unit.
func TestReturnPreviewAndCommandAtReasonPromptEndToEnd(t *testing.T) {
	s, real := newSim(t, officetest.LoadConfig(t), "2023-11-20 09:00")
	id := putConfirmationIn(t, s, "comm_xuetianwan", "theme_publicity", "zhangsan")
	officetest.Contains(t, say(t, s, officetest.OfficeChat, officetest.OfficeUser, "退回 "+id), "请说明退回 "+id)
	got := say(t, s, officetest.OfficeChat, officetest.OfficeUser, "代录 示例加油站")
	officetest.Contains(t, got, "“代录 示例加油站”是一条命令，没有当作回答", "要离开吗", "取消", "请说明退回 "+id)
	if st := recordStatus(t, s, id); st == store.StatusReturned {
		t.Fatal("a command became the reason")
	}
	got = say(t, s, officetest.OfficeChat, officetest.OfficeUser, "照片看不清，请补充清晰照片")
	officetest.Contains(t, got, "【退回预览】", id, "原因：照片看不清，请补充清晰照片", "单位的1个群")
	if st := recordStatus(t, s, id); st == store.StatusReturned {
		t.Fatal("returned before 确认")
	}
	for _, r := range drain(t, s, real) {
		if r.API == "webhook/send" && r.ChatID == officetest.UnitChat || r.API == "message/send" && r.ToUser == "zhangsan" {
			t.Fatalf("told before 确认: %s", r.Content())
		}
	}
	officetest.Contains(t, say(t, s, officetest.OfficeChat, officetest.OfficeUser, "确认"), "退回 "+id+"，原因：照片看不清", "已退回 "+id)
	if st := recordStatus(t, s, id); st != store.StatusReturned {
		t.Fatalf("status %q", st)
	}
	told := groupPushes(drain(t, s, real), "【退回】"+id)
	if len(told) != 1 || told[officetest.UnitChat] != 1 {
		t.Errorf("group told: %v", told)
	}
}

// Inside 代录 a whole command is not the task choice.
func TestCommandInsideOnBehalfEndToEnd(t *testing.T) {
	s, real := newSim(t, officetest.LoadConfig(t), "2023-11-20 09:00")
	officetest.Contains(t, say(t, s, officetest.OfficeChat, officetest.OfficeUser, "代录 学田湾社区"), "代录")
	got := say(t, s, officetest.OfficeChat, officetest.OfficeUser, "广播 全部 今晚开会丙")
	officetest.Contains(t, got, "“广播 全部 今晚开会丙”是一条命令，没有当作回答", "要离开吗")
	officetest.Lacks(t, got, "【广播预览】")
	officetest.Contains(t, say(t, s, officetest.OfficeChat, officetest.OfficeUser, "取消"), "已取消")
	officetest.Contains(t, say(t, s, officetest.OfficeChat, officetest.OfficeUser, "广播 全部 今晚开会丙"), "【广播预览】")
	for _, r := range drain(t, s, real) {
		if r.API == "webhook/send" && r.ChatID != officetest.OfficeChat {
			t.Errorf("sent: %s %s", r.ChatID, r.Content())
		}
	}
}

// A unit without a group takes part fully: its officer gets the whole
// text and a card, acknowledges with a bare 收到 in a private chat, and
// 回执 counts it.
func TestAppOnlyUnitAcknowledgesPrivatelyEndToEnd(t *testing.T) {
	ctx := context.Background()
	s, real := newSim(t, officetest.LoadConfig(t), "2023-11-20 09:00")
	content := "请于11月24日（周五）17:00前，在学田湾正街59号社区活动室领取灭火器演示器材，领取时请携带单位介绍信，联系人朱君 023-63850029。"
	got := say(t, s, officetest.OfficeChat, officetest.OfficeUser, "广播 社区 回执 "+content)
	officetest.Contains(t, got, "没有群、以应用消息发给安全员（全文和“收到”按钮）的单位（1个）：桂花园社区")
	officetest.Lacks(t, got, "收不到")
	say(t, s, officetest.OfficeChat, officetest.OfficeUser, "确认")
	var text, card int
	for _, r := range drain(t, s, real) {
		if r.API != "message/send" || r.ToUser != "chener" {
			continue
		}
		switch r.MsgType {
		case "text":
			text++
			officetest.Contains(t, r.Content(), content, "GB-0001", "私聊我回复“收到”")
		case "template_card":
			card++
		}
	}
	if text != 1 || card != 1 {
		t.Fatalf("chener got %d texts and %d cards", text, card)
	}
	got, err := s.SayPrivately(ctx, "chener", "收到")
	if err != nil {
		t.Fatal(err)
	}
	officetest.Contains(t, got, "已登记回执：GB-0001（桂花园社区）")
	got = say(t, s, officetest.OfficeChat, officetest.OfficeUser, "回执 GB-0001")
	officetest.Contains(t, got, "已回执1/8个单位", "桂花园社区：chener", "未回执（7个）")
	officetest.Lacks(t, got, "未收到", "没有任何渠道")
}

// The main-event notice (audience all_bound) reaches a unit without a
// group by application message, with the event's date and place.
func TestMainEventNoticeReachesAppOnlyUnitEndToEnd(t *testing.T) {
	ctx := context.Background()
	s, real := newSim(t, officetest.LoadConfig(t), "2023-11-08 15:00")
	if err := s.Advance(ctx, officetest.At(t, "2023-11-08 16:01")); err != nil {
		t.Fatal(err)
	}
	var notices []string
	groups := 0
	for _, r := range drain(t, s, real) {
		if !strings.Contains(r.Content(), "消防集中宣传活动通知") {
			continue
		}
		switch {
		case r.API == "message/send" && r.ToUser == "chener":
			notices = append(notices, r.Content())
		case r.API == "webhook/send":
			groups++
		}
	}
	if len(notices) != 1 || groups == 0 {
		t.Fatalf("notices to chener %q, %d groups", notices, groups)
	}
	officetest.Contains(t, notices[0], "11月9日", "09:30", "学田湾正街59号")
}

// 催报 reads its scope as 广播 does: 学校、医疗机构 reminds exactly the
// schools' and hospitals' groups that owe something; an unknown scope is
// refused and nothing is sent.
func TestChaseScopesEndToEnd(t *testing.T) {
	s, real := newSim(t, officetest.LoadConfig(t), "2023-11-20 09:00")
	got := say(t, s, officetest.OfficeChat, officetest.OfficeUser, "催报 东片板块 report")
	officetest.Contains(t, got, "没有找到范围“东片板块”，没有催报", "北片板块")
	for _, r := range drain(t, s, real) {
		if r.ChatID != officetest.OfficeChat {
			t.Errorf("sent after a refused scope: %s %s", r.ChatID, r.Content())
		}
	}
	got = say(t, s, officetest.OfficeChat, officetest.OfficeUser, "催报 学校、医疗机构 report")
	officetest.Contains(t, got, "已催报“活动信息和图文资料报送截止”", "范围 学校、医疗机构", "提醒了4个单位", "发送到4个群")
	sent := groupPushes(drain(t, s, real), "催报：活动信息和图文资料报送截止")
	want := map[string]int{"chat_org_school_a": 1, "chat_org_school_b": 1, "chat_org_hospital_a": 1, "chat_org_hospital_b": 1}
	if len(sent) != len(want) {
		t.Fatalf("sent to %v", sent)
	}
	for chat, n := range want {
		if sent[chat] != n {
			t.Errorf("%s received %d (all: %v)", chat, sent[chat], sent)
		}
	}
}
