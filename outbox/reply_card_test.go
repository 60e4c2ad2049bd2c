package outbox_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/bot"
	"firebot/clock"
	"firebot/outbox"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/wecom"
)

// TestAppReplyCarriesTheButtonCard: an app answer with buttons is queued
// as the very card bot.NewButtonCard renders (one TemplateCard type, no
// conversion), on the app channel, to the sender.
func TestAppReplyCarriesTheButtonCard(t *testing.T) {
	st, err := embedded.Open(filepath.Join(t.TempDir(), "c.db"), embedded.Options{Real: clock.NewFake(time.Date(2023, 11, 1, 9, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	m := &bot.Message{Channel: bot.ChannelApp, SenderID: "zhangsan", ChatID: "zhangsan", DedupeKey: "app:msg-1"}
	r := bot.Reply{Text: "确认上报\n疏散演练", Buttons: []bot.Button{{Text: "确认", Value: "是"}, {Text: "取消", Value: "否"}}}
	if err := st.Update(t.Context(), func(tx store.Tx) error { return (outbox.ReplyPusher{}).PushReply(tx, m, r) }); err != nil {
		t.Fatal(err)
	}
	want, err := bot.NewButtonCard(r, "rappmsg-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.View(t.Context(), func(tx store.Tx) error {
		e, err := store.OutboxByKey(tx, "reply:app:app:msg-1")
		if err != nil {
			return err
		}
		if bot.Channel(e.Channel) != outbox.ChannelApp || e.Target != "zhangsan" {
			t.Errorf("entry channel %q target %q, want app to zhangsan", e.Channel, e.Target)
		}
		msg, err := outbox.Decode(e)
		if err != nil {
			return err
		}
		if msg.App == nil || msg.App.MsgType != wecom.MsgTemplateCard || msg.App.TemplateCard == nil {
			t.Fatalf("payload %+v, want an app template card", msg)
		}
		if d := cmp.Diff(want, *msg.App.TemplateCard); d != "" {
			t.Errorf("card (-want +got):\n%s", d)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
