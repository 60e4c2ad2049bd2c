package broadcast_test

import (
	"testing"
	"time"

	"firebot/office"
	"firebot/office/officetest"
	"firebot/store"
)

// The delivery report waits for every push to be final, then goes to the
// office chat the broadcast was issued in, once.
func TestDeliveryReportWhenFinal(t *testing.T) {
	h := newHarness(t, "2023-11-02 09:00", office.Options{})
	h.Group(officetest.OfficeChat, officetest.OfficeUser, "广播 学校 回执 演练方案周五前报送")
	h.Group(officetest.OfficeChat, officetest.OfficeUser, "确认")
	h.Tick()
	if r := h.PushesTo(officetest.OfficeChat); len(r) != 0 {
		t.Fatalf("reported while pending: %+v", r)
	}
	// The outbox worker's outcomes: school_a sent, school_b failed for good.
	h.Update(func(tx store.Tx) error {
		es, err := store.ClaimOutbox(tx, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 10, time.Minute, "w")
		if err != nil {
			return err
		}
		for _, e := range es {
			res := store.DeliveryResult{Sent: true}
			if e.Target == "chat_org_school_b" {
				res = store.DeliveryResult{ErrCode: 93000, Reason: "机器人已被移出群聊或 webhook 地址已失效"}
			}
			if _, err := store.AckOutbox(tx, e.ID, "w", time.Now(), res); err != nil {
				return err
			}
		}
		return nil
	})
	h.Tick()
	h.Tick()
	r := h.PushesTo(officetest.OfficeChat)
	if len(r) != 1 {
		t.Fatalf("reports: %+v", r)
	}
	officetest.Contains(t, r[0].Text, "【广播送达情况】GB-0001", "发送到2个群：成功1个，失败1个。", "示例第二中学（群 chat_org_school_b）：机器人已被移出群聊", "回执 GB-0001")
	if len(r[0].Mentions) != 1 || r[0].Mentions[0] != officetest.OfficeUser {
		t.Errorf("issuer not mentioned: %v", r[0].Mentions)
	}
	got := h.Group(officetest.OfficeChat, officetest.OfficeUser, "回执 GB-0001")
	officetest.Contains(t, got, "示例第二中学（发送失败：机器人已被移出群聊")
}
