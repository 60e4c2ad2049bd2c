package office_test

import (
	"context"
	"strings"
	"testing"

	"firebot/sim"
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
	s, real := newSim(t, loadConfig(t), "2023-11-20 09:00")
	got := say(t, s, officeChat, officeUser, "广播 东片板块 请各单位注意")
	contains(t, got, "没有找到范围“东片板块”", "没有预览，也没有发送", "最接近的范围：", "北片板块")
	lacks(t, got, "【广播预览】", "确认")
	got = say(t, s, officeChat, officeUser, "确认")
	lacks(t, got, "已发出广播")
	for _, r := range drain(t, s, real) {
		if r.API == "webhook/send" && r.ChatID != officeChat || r.API == "message/send" {
			t.Errorf("sent after a refused scope: %s %s %s", r.API, r.ChatID, r.Content())
		}
	}
}

// Scopes joined by 、 reach exactly their units' groups, once each; 回执
// is a flag, not content.
func TestBroadcastJoinedScopesEndToEnd(t *testing.T) {
	s, real := newSim(t, loadConfig(t), "2023-11-20 09:00")
	got := say(t, s, officeChat, officeUser, "广播 学校、医疗机构 回执 请于11月24日前报送演练总结")
	contains(t, got, "【广播预览】", "范围：学校、医疗机构（4个单位）", "发送到：4个群", "回执：需要", "请于11月24日前报送演练总结")
	contains(t, say(t, s, officeChat, officeUser, "确认"), "已发出广播 GB-0001")
	sent := groupPushes(drain(t, s, real), "请于11月24日前报送演练总结")
	delete(sent, officeChat) // the delivery report quotes the content
	want := map[string]int{"chat_org_school_a": 1, "chat_org_school_b": 1, "chat_org_hospital_a": 1, "chat_org_hospital_b": 1}
	if len(sent) != len(want) {
		t.Fatalf("sent to %v", sent)
	}
	for chat, n := range want {
		if sent[chat] != n {
			t.Errorf("%s received %d, want %d (all: %v)", chat, sent[chat], n, sent)
		}
	}
	got = say(t, s, officeChat, officeUser, "回执 GB-0001")
	contains(t, got, "【回执情况】GB-0001", "范围 学校、医疗机构", "已回执0/4个单位")
	lacks(t, got, "没有要求回执")
	// The content as the groups received it starts with the content.
	for _, r := range s.Fake.Messages() {
		if r.API == "webhook/send" && r.ChatID != officeChat && strings.Contains(r.Content(), "演练总结") {
			if lines := strings.Split(r.Content(), "\n"); len(lines) < 2 || !strings.HasPrefix(lines[1], "请于11月24日前") {
				t.Errorf("content: %q", r.Content())
			}
		}
	}
}
