package outbox

import (
	"encoding/json"
	"fmt"

	"firebot/store"
	"firebot/wecom"
)

// Delivery channels of an outbox entry (store.OutboxEntry.Channel).
const (
	ChannelWebhook = "webhook" // group robot push; Target = chat id, key resolved at delivery
	ChannelApp     = "app"     // application message/send; Target = user ids joined by |
	ChannelAIBot   = "aibot"   // intelligent robot response_url (once); Target = the URL
)

// Message is the payload of an outbox entry: exactly one of its fields is set.
type Message struct {
	Webhook *wecom.WebhookMessage `json:"webhook,omitempty"`
	// WebhookFile uploads a local file with webhook/upload_media and then
	// sends it as a file message (re-uploading when the media id expired).
	WebhookFile *FileRef `json:"webhook_file,omitempty"`
	// WebhookImage sends a local JPG/PNG (≤2 MB) as base64 + md5; the bytes
	// are read at delivery so the store holds only the path.
	WebhookImage *FileRef            `json:"webhook_image,omitempty"`
	App          *wecom.AppMessage   `json:"app,omitempty"`
	AIBot        *wecom.AIBotMessage `json:"aibot,omitempty"`
}

// FileRef names a local file to send.
type FileRef struct {
	Path string `json:"path"`
	Name string `json:"name"` // file name shown to recipients
}

// Entry builds an outbox entry with an idempotency key (campaign action +
// target), the source that caused it (e.g. "broadcast:GB-0001"), its
// channel and target.
func Entry(key, source, channel, target string, msg Message) (*store.OutboxEntry, error) {
	b, err := json.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("outbox: encode %s: %w", key, err)
	}
	return &store.OutboxEntry{Key: key, Source: source, Channel: channel, Target: target, Payload: b}, nil
}

// Decode reads an entry's payload.
func Decode(e *store.OutboxEntry) (Message, error) {
	var m Message
	if err := json.Unmarshal(e.Payload, &m); err != nil {
		return m, fmt.Errorf("outbox: decode %s: %w", e.ID, err)
	}
	return m, nil
}

// GroupMarkdown enqueues a markdown push to a group chat, split into parts
// within WeCom's byte limit (each part its own entry: key/1, key/2…, sent
// in order). mentions are prefixed as <@userid>.
func GroupMarkdown(tx store.Tx, key, source, chatID, content string, mentions []string) error {
	prefix := ""
	for _, u := range mentions {
		prefix += "<@" + u + "> "
	}
	if prefix != "" {
		content = prefix + "\n" + content
	}
	parts := wecom.SplitText(content, wecom.MaxWebhookMarkdownBytes)
	entries := make([]*store.OutboxEntry, 0, len(parts))
	for i, p := range parts {
		k := key
		if len(parts) > 1 {
			k = fmt.Sprintf("%s/%d", key, i+1)
		}
		e, err := Entry(k, source, ChannelWebhook, chatID, Message{Webhook: &wecom.WebhookMessage{
			MsgType: "markdown", Markdown: &wecom.Markdown{Content: p},
		}})
		if err != nil {
			return err
		}
		entries = append(entries, e)
	}
	_, err := store.EnqueueOutbox(tx, entries...)
	return err
}

// GroupText enqueues a plain-text push to a group chat with mentions
// (user ids, or "@all"), split within the text limit.
func GroupText(tx store.Tx, key, source, chatID, content string, mentions []string) error {
	parts := wecom.SplitText(content, wecom.MaxWebhookTextBytes)
	entries := make([]*store.OutboxEntry, 0, len(parts))
	for i, p := range parts {
		k := key
		if len(parts) > 1 {
			k = fmt.Sprintf("%s/%d", key, i+1)
		}
		t := &wecom.Text{Content: p}
		if i == 0 {
			t.MentionedList = mentions
		}
		e, err := Entry(k, source, ChannelWebhook, chatID, Message{Webhook: &wecom.WebhookMessage{MsgType: "text", Text: t}})
		if err != nil {
			return err
		}
		entries = append(entries, e)
	}
	_, err := store.EnqueueOutbox(tx, entries...)
	return err
}

// UserText enqueues an application text message to users (1:1), split
// within the limit.
func UserText(tx store.Tx, key, source string, users []string, content string) error {
	parts := wecom.SplitText(content, wecom.MaxAppTextBytes)
	entries := make([]*store.OutboxEntry, 0, len(parts))
	for i, p := range parts {
		k := key
		if len(parts) > 1 {
			k = fmt.Sprintf("%s/%d", key, i+1)
		}
		e, err := Entry(k, source, ChannelApp, joinUsers(users), Message{App: &wecom.AppMessage{
			To: wecom.Recipients{Users: users}, MsgType: "text", Text: &wecom.Text{Content: p},
		}})
		if err != nil {
			return err
		}
		entries = append(entries, e)
	}
	_, err := store.EnqueueOutbox(tx, entries...)
	return err
}

func joinUsers(users []string) string {
	s := ""
	for i, u := range users {
		if i > 0 {
			s += "|"
		}
		s += u
	}
	return s
}
