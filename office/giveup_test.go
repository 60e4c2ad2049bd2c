package office_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"firebot/office/officetest"
	"firebot/sim"
	"firebot/wecom/fakewecom"
)

// A 催报 push that is given up reaches the office in one summary, once the
// round's pushes are all final; the other groups' deliveries say nothing.
func TestGivenUpChaseReportedToTheOffice(t *testing.T) {
	ctx := context.Background()
	cfg := officetest.LoadConfig(t)
	cfg.Outbox.GiveUpAfter = 30 * time.Minute
	s, real := newSim(t, cfg, "2023-11-20 09:00")
	const failing = "chat_org_hazchem_a" // 示例加油站's group
	f := fakewecom.SystemBusy()
	f.Key = sim.ChatKey(failing)
	s.Fake.InjectFault("webhook/send", 0, f)

	got, err := s.Say(ctx, officetest.OfficeChat, officetest.OfficeUser, "催报")
	if err != nil {
		t.Fatal(err)
	}
	officetest.Contains(t, got, "已催报“活动信息和图文资料报送截止”", "发送到21个群")

	all := drain(t, s, real) // retries for 30 minutes, then gives up
	for range 2 {            // later ticks say nothing more
		if err := s.Service.OfficeTick(ctx); err != nil {
			t.Fatal(err)
		}
		all = append(all, drain(t, s, real)...)
	}
	var summaries []fakewecom.Recorded
	chased := 0
	for _, r := range all {
		switch {
		case strings.Contains(r.Content(), "【送达失败】"):
			summaries = append(summaries, r)
		case r.API == "webhook/send" && strings.Contains(r.Content(), "催报：活动信息和图文资料报送截止"):
			chased++
			if r.ChatID == failing {
				t.Errorf("the failing group received the chase")
			}
		}
	}
	if chased != 20 {
		t.Errorf("%d groups chased, want 20 (21 less the failing one)", chased)
	}
	if len(summaries) != 1 || summaries[0].ChatID != officetest.OfficeChat {
		t.Fatalf("summaries: %+v", summaries)
	}
	officetest.Contains(t, summaries[0].Content(),
		"【送达失败】催报“活动信息和图文资料报送截止”（11月20日 09:00 第1次）：共23条消息，1条没有送达。",
		"示例加油站（群 chat_org_hazchem_a）：超过重试期限仍未送达：企业微信系统繁忙")
	if n := strings.Count(summaries[0].Content(), "\n· "); n != 1 {
		t.Errorf("%d failures listed:\n%s", n, summaries[0].Content())
	}
}
