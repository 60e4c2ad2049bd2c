package outbox

import (
	"fmt"

	"firebot/bot"
	"firebot/store"
	"firebot/textsafe"
	"firebot/wecom"
)

// ReplyPusher sends the answers that cannot be passive replies (they missed
// the reply budget, or the channel cannot carry them passively) through the
// channel's own push path. It implements bot.Pusher.
type ReplyPusher struct{}

// PushReply enqueues r as an answer to m, in m's unit of work. The
// idempotency key derives from the message's dedupe key, so a message
// processed twice never pushes twice.
func (ReplyPusher) PushReply(tx store.Tx, m *bot.Message, r bot.Reply) error {
	key, source := ReplyKey(m), ReplySource(m)
	switch m.Channel {
	case bot.ChannelRobot:
		// The key learned from the callback may serve many chats (a robot
		// published to the company): name the callback's chat, or the
		// answer goes to every group of the robot.
		r = bot.WithButtonHints(r) // webhook pushes cannot carry buttons
		if r.Markdown {
			return AnswerMarkdown(tx, key, source, m.ChatID, r.Text, r.Mentions)
		}
		return AnswerText(tx, key, source, m.ChatID, r.Text, r.Mentions)
	case bot.ChannelAibot:
		if m.ResponseURL == "" {
			return fmt.Errorf("outbox: push reply to %s: no response_url", m.DedupeKey)
		}
		content := bot.WithButtonHints(r).MarkdownText()
		parts := wecom.SplitText(content, wecom.MaxAIBotMarkdownBytes)
		// response_url takes one message: send the first part (an answer
		// too long for the passive stream already left its first 20480 B
		// there, see bot.SplitReply); longer answers are rare (reports go
		// to the office group instead).
		e, err := Entry(key, source, ChannelAIBot, m.ResponseURL, Message{AIBot: &wecom.AIBotMessage{
			MsgType: "markdown", Markdown: &wecom.AIBotMarkdown{Content: parts[0]},
		}})
		if err != nil {
			return err
		}
		_, err = store.EnqueueOutbox(tx, e)
		return err
	case bot.ChannelApp:
		if len(r.Buttons) > 0 {
			card, err := bot.NewButtonCard(r, cardTaskID(m))
			if err == nil {
				return UserCard(tx, key, source, []string{m.SenderID}, card)
			}
			r = bot.WithButtonHints(r)
		}
		text := r.Text
		if r.Markdown {
			text = bot.PlainText(text)
		}
		return UserText(tx, key, source, []string{m.SenderID}, textsafe.Neutralize(text)) // app text renders <a href>
	}
	return fmt.Errorf("outbox: push reply: unknown channel %q", m.Channel)
}

// cardTaskID derives a card task id unique per message: [0-9A-Za-z_-@].
func cardTaskID(m *bot.Message) string {
	id := "r"
	for _, c := range m.DedupeKey {
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-' {
			id += string(c)
		}
	}
	if len(id) > 120 {
		id = id[len(id)-120:]
	}
	return id
}
