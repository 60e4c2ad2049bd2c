package office_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/office/officetest"
	"firebot/sim"
	"firebot/store"
	"firebot/wecom/fakewecom"
)

// End to end: the whole service on loopback with the fake WeCom.

func newSim(t *testing.T, cfg *config.Config, campaignNow string) (*sim.Sim, *clock.Fake) {
	t.Helper()
	real := clock.NewFake(time.Date(2023, 11, 2, 1, 0, 0, 0, time.UTC))
	s, err := sim.New(context.Background(), sim.Options{Config: cfg, Dir: t.TempDir(), Real: real, Campaign: clock.NewFake(officetest.At(t, campaignNow))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, real
}

// drain delivers the outbox, stepping the real clock past retry backoffs,
// until nothing is pending, and returns everything the fake received.
func drain(t *testing.T, s *sim.Sim, real *clock.Fake) []fakewecom.Recorded {
	t.Helper()
	ctx := context.Background()
	var got []fakewecom.Recorded
	for i := 0; i < 30; i++ {
		ps, err := s.NewPushes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ps...)
		var depth int
		if err := s.Service.Store.View(ctx, func(tx store.Tx) error {
			var err error
			depth, _, err = store.OutboxPendingStats(tx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if depth == 0 {
			return got
		}
		real.Advance(2 * time.Minute)
	}
	t.Fatal("outbox never drained")
	return nil
}

func mentioned(r fakewecom.Recorded) []string {
	var b struct {
		Text struct {
			MentionedList []string `json:"mentioned_list"`
		} `json:"text"`
	}
	_ = json.Unmarshal(r.Body, &b)
	return b.Text.MentionedList
}

// A broadcast to 200 groups through the fake WeCom: 10 groups are
// throttled once (45009), 10 get "system busy" twice (-1), 3 have lost
// their robot (93000, for good). Every reachable group gets the message
// exactly once, and the issuer's report is exact.
func TestBroadcastTo200GroupsWithFaults(t *testing.T) {
	ctx := context.Background()
	cfg := officetest.LoadConfig(t)
	cfg.Units = slices.Clone(cfg.Units)
	chat := func(i int) string { return fmt.Sprintf("chat_bulk_%03d", i) }
	for i := range 200 {
		cfg.Units = append(cfg.Units, campaign.Unit{
			ID: fmt.Sprintf("org_bulk_%03d", i), Name: fmt.Sprintf("测试单位%03d", i), Kind: campaign.KindOrganisation,
			Category: campaign.CategoryOther, Chats: []campaign.Chat{{ID: chat(i)}},
		})
	}
	s, real := newSim(t, cfg, "2023-11-02 09:00")
	for i := range 10 {
		s.Fake.InjectFault("webhook/send", 1, fakewecom.Fault{Kind: fakewecom.FaultErrcode, Code: 45009, Msg: "api freq out of limit", Key: sim.ChatKey(chat(i))})
	}
	for i := 10; i < 20; i++ {
		f := fakewecom.SystemBusy()
		f.Key = sim.ChatKey(chat(i))
		s.Fake.InjectFault("webhook/send", 2, f)
	}
	removed := []int{20, 21, 22}
	for _, i := range removed {
		f := fakewecom.Errcode(93000)
		f.Key = sim.ChatKey(chat(i))
		s.Fake.InjectFault("webhook/send", 0, f)
	}

	got, err := s.Say(ctx, officetest.OfficeChat, officetest.OfficeUser, "广播 其他 @所有人 回执 请各单位11月10日前完成消防设施自查，并 @我 回复“收到”。")
	if err != nil {
		t.Fatal(err)
	}
	officetest.Contains(t, got, "范围：其他（201个单位）", "发送到：200个群", "示例物业服务公司")
	got, err = s.Say(ctx, officetest.OfficeChat, officetest.OfficeUser, "确认")
	if err != nil {
		t.Fatal(err)
	}
	officetest.Contains(t, got, "已发出广播 GB-0001", "200个群")

	received := map[string]int{}
	first := drain(t, s, real) // sim.Flush runs the office tick too: the report may come here
	for _, r := range first {
		if r.API != "webhook/send" || !strings.Contains(r.Content(), "消防设施自查") || strings.Contains(r.Content(), "【广播送达情况】") {
			continue
		}
		received[r.ChatID]++
		if !slices.Equal(mentioned(r), []string{"@all"}) || r.MsgType != "text" {
			t.Errorf("%s: %s %v", r.ChatID, r.MsgType, mentioned(r))
		}
		if !strings.HasSuffix(strings.TrimSpace(strings.Split(r.Content(), "\n")[1]), "回复“收到”。") {
			t.Errorf("content changed: %q", r.Content())
		}
	}
	// 197 delivered, 10 throttled once, 10 busy twice, 3 refused for good
	// (no retry): the faults were hit, and nothing was retried needlessly.
	if n := s.Fake.CallCount("webhook/send"); n != 197+10+20+3+1 { // + the delivery report

		t.Errorf("webhook/send called %d times", n)
	}
	for i := range 200 {
		want := 1
		if slices.Contains(removed, i) {
			want = 0
		}
		if received[chat(i)] != want {
			t.Errorf("%s received %d", chat(i), received[chat(i)])
		}
	}

	if err := s.Service.OfficeTick(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Service.OfficeTick(ctx); err != nil { // a second tick sends nothing more
		t.Fatal(err)
	}
	var reports []fakewecom.Recorded
	for _, r := range append(first, drain(t, s, real)...) {
		if strings.Contains(r.Content(), "【广播送达情况】") {
			reports = append(reports, r)
		}
	}
	if len(reports) != 1 || reports[0].ChatID != officetest.OfficeChat {
		t.Fatalf("reports: %+v", reports)
	}
	rep := reports[0].Content()
	officetest.Contains(t, rep, "【广播送达情况】GB-0001", "范围：其他（201个单位）", "发送到200个群：成功197个，失败3个。",
		"没有群、已用应用消息发给安全员（1个单位）：示例物业服务公司")
	for _, i := range removed {
		officetest.Contains(t, rep, fmt.Sprintf("测试单位%03d（群 %s）：机器人已被移出群聊或 webhook 地址已失效", i, chat(i)))
	}
	if strings.Count(rep, "\n· ") != 3 {
		t.Errorf("failures listed:\n%s", rep)
	}
	if !slices.Equal(mentioned(reports[0]), []string{officetest.OfficeUser}) {
		t.Errorf("issuer not mentioned: %v", mentioned(reports[0]))
	}

	// Read-back through the robot callback.
	for _, i := range []int{0, 15, 150} {
		got, err := s.Say(ctx, chat(i), "someone", "收到")
		if err != nil {
			t.Fatal(err)
		}
		officetest.Contains(t, got, fmt.Sprintf("已登记回执：GB-0001（测试单位%03d）", i))
	}
	got, err = s.Say(ctx, officetest.OfficeChat, officetest.OfficeUser, "回执 GB-0001")
	if err != nil {
		t.Fatal(err)
	}
	officetest.Contains(t, got, "未回执（198个）", "测试单位000：someone", "测试单位015", "测试单位150", "未回执（198个）",
		"测试单位020（发送失败：机器人已被移出群聊", "已回执3/201个单位")
}

// Office commands typed by office staff in a unit's group answer 1:1 and
// leave nothing in the group.
func TestOfficeCommandInUnitGroupEndToEnd(t *testing.T) {
	ctx := context.Background()
	s, real := newSim(t, officetest.LoadConfig(t), "2023-11-20 09:00")
	got, err := s.Say(ctx, officetest.UnitChat, officetest.OfficeUser, "统计")
	if err != nil {
		t.Fatal(err)
	}
	officetest.Contains(t, got, "私信发给你")
	officetest.Lacks(t, got, "全街道")
	got, err = s.Say(ctx, officetest.UnitChat, officetest.OfficeUser, "广播 全部 测试")
	if err != nil {
		t.Fatal(err)
	}
	officetest.Contains(t, got, "请在街道工作群里使用")
	var dm string
	for _, r := range drain(t, s, real) {
		switch {
		case r.API == "webhook/send" && r.ChatID == officetest.UnitChat:
			t.Errorf("pushed into the unit's group: %s", r.Content())
		case r.API == "message/send" && r.ToUser == officetest.OfficeUser:
			dm += r.Content()
		}
	}
	officetest.Contains(t, dm, "【统计】", "全街道23个单位")

	got, err = s.Say(ctx, officetest.UnitChat, "zhangsan", "统计")
	if err != nil {
		t.Fatal(err)
	}
	officetest.Contains(t, got, "只有街道工作人员可以使用")
}
