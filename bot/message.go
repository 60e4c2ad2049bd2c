package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Errors of the payload parsers.
var (
	// ErrBadPayload: the decrypted plaintext is not well-formed XML/JSON
	// of the expected shape.
	ErrBadPayload = errors.New("bot: bad payload")
	// ErrMissingField: a required field (MsgType, ChatId, MsgId, …) is
	// absent or empty.
	ErrMissingField = errors.New("bot: missing field")
)

// Channel is the WeCom product a callback came through.
type Channel string

const (
	// ChannelRobot is the group robot (群机器人) callback.
	ChannelRobot Channel = "robot"
	// ChannelAibot is the intelligent robot (智能机器人, API mode).
	ChannelAibot Channel = "aibot"
	// ChannelApp is a self-built application (自建应用).
	ChannelApp Channel = "app"
)

// ChatType tells a group chat from a 1:1 chat. The robot also reports
// "blackboard" and "blackboard_reply"; those are kept verbatim.
type ChatType string

const (
	ChatGroup  ChatType = "group"
	ChatSingle ChatType = "single"
)

// Kind is the normalised kind of an inbound message.
type Kind string

const (
	KindText   Kind = "text"   // Text is set
	KindImage  Kind = "image"  // Images is set
	KindMixed  Kind = "mixed"  // Text and/or Images are set
	KindVoice  Kind = "voice"  // Text holds the speech recognition
	KindFile   Kind = "file"   // Files is set
	KindEvent  Kind = "event"  // Event is set
	KindClick  Kind = "click"  // Click is set; Text = Click.Key
	KindStream Kind = "stream" // intelligent-robot stream refresh; StreamID is set
	KindOther  Kind = "other"  // a message type firebot does not handle; see RawType
)

// Well-known event names (Message.Event).
const (
	EventAddToChat      = "add_to_chat"      // robot added to a group
	EventDeleteFromChat = "delete_from_chat" // robot removed
	EventEnterChat      = "enter_chat"       // user opened the 1:1 chat
	EventEnterAgent     = "enter_agent"      // user opened the app
	EventTemplateCard   = "template_card_event"
	EventCardMenu       = "template_card_menu_event"
	EventFeedback       = "feedback_event" // intelligent robot; reply must be empty
)

// Message is one inbound callback, normalised across the three channels.
// Fields that a channel does not carry are zero.
type Message struct {
	Channel Channel
	Format  Format // wire format it arrived in; the passive reply uses the same
	Kind    Kind
	RawType string // MsgType as sent ("text", "attachment", "event", …)

	// ChatID identifies the conversation: the robot's ChatId, the
	// intelligent robot's chatid, and for 1:1 chats without a chat id (app,
	// intelligent robot) the user id.
	ChatID     string
	ChatType   ChatType
	SenderID   string
	SenderName string // robot only
	ToID       string // app: ToUserName (CorpID); aibot: from.corpid
	AgentID    string // app: AgentID; aibot: aibotid

	// Text is what the user typed, trimmed, with a leading @-mention of the
	// robot removed (and, in group chats, any leading "@name" token). For a
	// click it is the clicked key, so a click reads like typing its value.
	Text    string
	RawText string // text as sent, before mention stripping
	Images  []Image
	Files   []File
	Event   string // event name; for clicks the card event name if any
	Click   *Click

	MsgID       string
	DedupeKey   string    // key for callback deduplication; never empty
	WebhookKey  string    // robot: WebhookUrl's key, or its whole query when it holds more (host dropped)
	ChatInfoURL string    // robot: GetChatInfoUrl (5 min, single use)
	PostID      string    // robot: blackboard post id
	ResponseURL string    // aibot: response_url (once, 1 h)
	StreamID    string    // aibot: stream refresh id
	CreateTime  time.Time // zero when the channel sends none

	// Street is the tenant the message belongs to, named by
	// EndpointOptions.Route before the message is handled ("": the deployment
	// serves one street, or the message belongs to no street yet).
	Street string
	// Prepared is what EndpointOptions.Route did for the handler before the
	// unit of work began — reads of other streets' stores, a file
	// written — so the unit of work neither holds nor repeats it; nil
	// for most messages.
	Prepared any
}

// Image is an inbound picture. Encrypted images (intelligent robot) must
// be decrypted with Cipher.DecryptBytes after download.
type Image struct {
	URL       string
	MediaID   string // app: media/get id
	Encrypted bool
	// Path is the local file the image was downloaded to before the
	// message was handled (empty if the download failed).
	Path string
}

// File is an inbound file (intelligent robot, 1:1): download within 5
// minutes and decrypt with Cipher.DecryptBytes.
type File struct {
	URL       string
	Encrypted bool
}

// Click is a button or card interaction.
type Click struct {
	CallbackID string // robot: the attachment's CallbackId
	TaskID     string // aibot/app: the card's task_id
	CardType   string // aibot/app: button_interaction, vote_interaction, …
	Key        string // robot: action Value; aibot/app: event key
	// Selected maps each question key of a vote/multiple card to the
	// chosen option ids.
	Selected     map[string][]string
	ResponseCode string // app: for message/update_template_card (once, 72 h)
}

// Parse dispatches to the channel's parser. f matters only for the robot;
// robotName is the robot's display name for mention stripping (may be
// empty).
func Parse(ch Channel, f Format, plaintext []byte, robotName string) (*Message, error) {
	switch ch {
	case ChannelRobot:
		return ParseRobot(plaintext, f, robotName)
	case ChannelAibot:
		return ParseAibot(plaintext, robotName)
	case ChannelApp:
		return ParseApp(plaintext)
	}
	return nil, fmt.Errorf("bot: parse: unknown channel %q", ch)
}

// StripMention removes the robot's mention from the start of text: the
// literal "@"+robotName when it is there, otherwise (in group chats only)
// the first "@token" up to whitespace. WeCom separates a mention with a
// space or U+2005; both are trimmed.
func StripMention(text, robotName string, group bool) string {
	text = strings.TrimSpace(text)
	if robotName != "" {
		if rest, ok := strings.CutPrefix(text, "@"+robotName); ok {
			if rest == "" {
				return ""
			}
			if r, _ := utf8.DecodeRuneInString(rest); unicode.IsSpace(r) {
				return strings.TrimSpace(rest)
			}
		}
	}
	if group && strings.HasPrefix(text, "@") {
		if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
			return strings.TrimSpace(text[i:])
		}
		return ""
	}
	return text
}

// fallbackKey derives a dedupe key from the plaintext when the payload
// carries no id: WeCom re-sends the same plaintext.
func fallbackKey(ch Channel, plaintext []byte) string {
	sum := sha256.Sum256(plaintext)
	return string(ch) + ":sha256:" + hex.EncodeToString(sum[:16])
}

func missing(ch Channel, field string) error {
	return fmt.Errorf("bot: parse %s: %w: %s", ch, ErrMissingField, field)
}

func malformed(ch Channel, err error) error {
	return fmt.Errorf("bot: parse %s: %w: %v", ch, ErrBadPayload, err)
}

// Reply is a channel-neutral answer to a Message. The zero Reply (NoReply)
// means "no reply": the callback is answered 200 with an empty body.
type Reply struct {
	Text     string
	Markdown bool // Text is markdown (bold, links, <font>); otherwise plain
	// Mentions are user ids to @: robot text replies list them (the robot
	// also takes "@all"); robot markdown prefixes <@userid> to the text.
	Mentions []string
	// Buttons offer answers; a click is handled exactly like typing the
	// button's Value.
	Buttons []Button
	// VisibleTo restricts a robot group reply to these user ids.
	VisibleTo []string
	// ReplaceButton, for a card click, is the text that replaces the
	// clicked card's buttons (app update_button).
	ReplaceButton string
}

// Button is one offered answer.
type Button struct {
	Text  string // label shown
	Value string // what a click sends, as if typed
}

// NoReply is the explicit "no reply" value.
var NoReply = Reply{}

// IsEmpty reports whether r says nothing.
func (r Reply) IsEmpty() bool {
	return r.Text == "" && len(r.Buttons) == 0 && r.ReplaceButton == ""
}
