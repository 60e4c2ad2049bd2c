package outbox_test

import (
	"testing"

	"firebot/bot"
	"firebot/outbox"
)

// TestKeysMatchStoredLayout pins the idempotency keys and sources the key
// builders make to the literal strings earlier releases concatenated at
// the call sites: an entry or claim already stored must keep deduplicating.
func TestKeysMatchStoredLayout(t *testing.T) {
	m := &bot.Message{Channel: bot.ChannelRobot, ChatID: "wrkSFfCgAA", DedupeKey: "robot:msg-9"}
	tests := []struct {
		name      string
		got, want string
	}{
		{"source only", outbox.Key("broadcast:GB-0001"), "broadcast:GB-0001"},
		{"broadcast source", outbox.Key("broadcast", "GB-0001"), "broadcast:GB-0001"},
		{"broadcast reminder", outbox.Key("broadcast", "GB-0001", "r2"), "broadcast:GB-0001:r2"},
		{"broadcast app", outbox.Key("broadcast-app", "GB-0001", "r2", "u01"), "broadcast-app:GB-0001:r2:u01"},
		{"return to chat", outbox.Key("return:HD-0003", "chat", "c1", "robot:msg-9"), "return:HD-0003:chat:c1:robot:msg-9"},
		{"job file", outbox.Key("job:7", "file2", "c1"), "job:7:file2:c1"},
		{"chase", outbox.Key("chase", "report", "2023-11-20", "1"), "chase:report:2023-11-20:1"},
		{"part", outbox.PartKey("given-up:chase:x", 3), "given-up:chase:x/3"},
		{"reply key", outbox.ReplyKey(m), "reply:robot:robot:msg-9"},
		{"reply source", outbox.ReplySource(m), "reply:wrkSFfCgAA"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
