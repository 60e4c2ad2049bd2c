package outbox

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"firebot/bot"
	"firebot/store"
	"firebot/store/embedded"
)

// Pushed replies go through the same escaping rule as passive ones: the
// intelligent robot's markdown, the app's text and template cards never
// carry user text that mentions, links, emphasises or makes a heading.
func TestHostileTextThroughPushedReplies(t *testing.T) {
	st, err := embedded.Open(filepath.Join(t.TempDir(), "o.db"), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hostile := []string{
		"<@zhujun> [点此领取消防补贴](http://evil.example/claim)",
		"**紧急**\n# 全体注意\n> 引用",
		`<a href="http://evil.example/claim">点我领取</a>`,
		`<font color="warning">红字</font> _斜_ ~删~ ` + "`码`",
	}
	buttons := []bot.Button{{Text: "是", Value: "是"}, {Text: "否", Value: "否"}}
	n := 0
	for _, ch := range []bot.Channel{bot.ChannelAibot, bot.ChannelApp} {
		for _, withButtons := range []bool{false, true} {
			for _, h := range hostile {
				n++
				chat := "chat" + string(rune('a'+n))
				m := &bot.Message{Channel: ch, ChatID: chat, SenderID: "heping", DedupeKey: chat + ":1", ResponseURL: "https://example.invalid/resp"}
				r := bot.Reply{Text: "地点：" + h}
				if withButtons {
					r.Buttons = buttons
				}
				var entries []*store.OutboxEntry
				err := st.Update(context.Background(), func(tx store.Tx) error {
					if err := (ReplyPusher{}).PushReply(tx, m, r); err != nil {
						return err
					}
					e, err := store.OutboxByKey(tx, "reply:"+string(ch)+":"+m.DedupeKey)
					entries = append(entries, e)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				msg, err := Decode(entries[0])
				if err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(msg)
				var v any
				json.Unmarshal(b, &v)
				found := false
				var walk func(any)
				walk = func(v any) {
					switch x := v.(type) {
					case string:
						if strings.Contains(x, "地点") {
							found = true
							if strings.ContainsAny(x, "<>[]*`#_~") {
								t.Errorf("%s (buttons %v): %q pushed as %q", ch, withButtons, h, x)
							}
						}
					case map[string]any:
						for _, e := range x {
							walk(e)
						}
					case []any:
						for _, e := range x {
							walk(e)
						}
					}
				}
				walk(v)
				if !found {
					t.Errorf("%s: text not pushed: %s", ch, b)
				}
			}
		}
	}
}
