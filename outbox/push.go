package outbox

import (
	"encoding/json"
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/store"
	"firebot/wecom"
)

// Delivery channels of an outbox entry (store.OutboxEntry.Channel holds
// their string). They share bot.Channel, the one channel type: an answer to
// a callback on the app or the intelligent robot goes out on the same
// channel; a group robot's answers go out through its webhook.
const (
	ChannelWebhook bot.Channel = "webhook"        // group robot push; Target = chat id, key resolved at delivery
	ChannelApp                 = bot.ChannelApp   // application message/send; Target = user ids joined by |
	ChannelAIBot               = bot.ChannelAibot // intelligent robot response_url (once); Target = the URL
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
func Entry(key, source string, channel bot.Channel, target string, msg Message) (*store.OutboxEntry, error) {
	b, err := json.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("outbox: encode %s: %w", key, err)
	}
	return &store.OutboxEntry{Key: key, Source: source, Channel: string(channel), Target: target, Payload: b}, nil
}

// Decode reads an entry's payload.
func Decode(e *store.OutboxEntry) (Message, error) {
	var m Message
	if err := json.Unmarshal(e.Payload, &m); err != nil {
		return m, fmt.Errorf("outbox: decode %s: %w", e.ID, err)
	}
	return m, nil
}

// dest is where an entry goes and what it answers to: its idempotency
// key, its source, the delivery channel and the target on that channel.
type dest struct {
	key, source string
	channel     bot.Channel
	target      string
}

// enqueueParts splits content within limit bytes and enqueues one entry per
// part to d, in order (keys key/1, key/2… when there are several parts).
func enqueueParts(tx store.Tx, d dest, content string, limit int, build func(part string, first bool) Message) error {
	parts := wecom.SplitText(content, limit)
	entries := make([]*store.OutboxEntry, 0, len(parts))
	for i, p := range parts {
		k := d.key
		if len(parts) > 1 {
			k = PartKey(d.key, i+1)
		}
		e, err := Entry(k, d.source, d.channel, d.target, build(p, i == 0))
		if err != nil {
			return err
		}
		entries = append(entries, e)
	}
	_, err := store.EnqueueOutbox(tx, entries...)
	return err
}

// GroupMarkdown enqueues a markdown push to a group chat, split into parts
// within WeCom's byte limit (each part its own entry: key/1, key/2…, sent
// in order). mentions are prefixed as <@userid>.
func GroupMarkdown(tx store.Tx, key, source, chatID, content string, mentions []string) error {
	return groupMarkdown(tx, key, source, chatID, "", content, mentions)
}

// AnswerMarkdown is GroupMarkdown for a push that answers a robot
// callback from chatID (a late answer, a job's result): the body names the
// chat (chatid), as the key learned from the callback may serve many chats
// and without chatid WeCom posts to all of its groups.
func AnswerMarkdown(tx store.Tx, key, source, chatID, content string, mentions []string) error {
	return groupMarkdown(tx, key, source, chatID, chatID, content, mentions)
}

// AnswerText is GroupText for a push that answers a robot callback from
// chatID; see AnswerMarkdown.
func AnswerText(tx store.Tx, key, source, chatID, content string, mentions []string) error {
	return groupText(tx, key, source, chatID, chatID, content, mentions)
}

// groupMarkdown is GroupMarkdown with the webhook body's chatid set to to.
func groupMarkdown(tx store.Tx, key, source, chatID, to, content string, mentions []string) error {
	prefix := ""
	for _, u := range mentions {
		prefix += "<@" + u + "> "
	}
	if prefix != "" {
		content = prefix + "\n" + content
	}
	return enqueueParts(tx, dest{key: key, source: source, channel: ChannelWebhook, target: chatID}, content, wecom.MaxWebhookMarkdownBytes, func(p string, _ bool) Message {
		return Message{Webhook: &wecom.WebhookMessage{MsgType: "markdown", Markdown: &wecom.Markdown{Content: p}, ChatID: to}}
	})
}

// GroupText enqueues a plain-text push to a group chat with mentions
// (user ids, or "@all") on its first part, split within the text limit.
func GroupText(tx store.Tx, key, source, chatID, content string, mentions []string) error {
	return groupText(tx, key, source, chatID, "", content, mentions)
}

// groupText is GroupText with the webhook body's chatid set to to.
func groupText(tx store.Tx, key, source, chatID, to, content string, mentions []string) error {
	return enqueueParts(tx, dest{key: key, source: source, channel: ChannelWebhook, target: chatID}, content, wecom.MaxWebhookTextBytes, func(p string, first bool) Message {
		t := &wecom.Text{Content: p}
		if first {
			t.MentionedList = mentions
		}
		return Message{Webhook: &wecom.WebhookMessage{MsgType: "text", Text: t, ChatID: to}}
	})
}

// UserText enqueues an application text message to users (1:1), split
// within the limit.
func UserText(tx store.Tx, key, source string, users []string, content string) error {
	return enqueueParts(tx, dest{key: key, source: source, channel: ChannelApp, target: joinUsers(users)}, content, wecom.MaxAppTextBytes, func(p string, _ bool) Message {
		return Message{App: &wecom.AppMessage{To: wecom.Recipients{Users: users}, MsgType: "text", Text: &wecom.Text{Content: p}}}
	})
}

func joinUsers(users []string) string { return strings.Join(users, "|") }

// UserCard enqueues an application template card (buttons, votes) to
// users; a click comes back through the application callback as typing
// the clicked button's key.
func UserCard(tx store.Tx, key, source string, users []string, card wecom.TemplateCard) error {
	e, err := Entry(key, source, ChannelApp, joinUsers(users), Message{App: &wecom.AppMessage{
		To: wecom.Recipients{Users: users}, MsgType: "template_card", TemplateCard: &card,
	}})
	if err != nil {
		return err
	}
	_, err = store.EnqueueOutbox(tx, e)
	return err
}
