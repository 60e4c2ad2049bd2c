package bot

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"firebot/clock"
	"firebot/textsafe"
	"firebot/wecom"
)

// Errors of rendering.
var (
	// ErrNotPassive: the reply (or part of it) cannot be a passive reply on
	// this channel; split it with SplitReply and push the rest.
	ErrNotPassive = errors.New("bot: reply cannot be passive")
	// ErrButtonTooLong: a button value exceeds the channel's byte limit
	// (robot 128 B, card key 1024 B).
	ErrButtonTooLong = errors.New("bot: button value too long")
	// ErrTooManyButtons: more buttons than a card holds (6).
	ErrTooManyButtons = errors.New("bot: too many buttons")
)

// Byte limits of interactive elements.
const (
	robotActionNameMax = 64
	robotActionTextMax = 128 // value, text and replace_text
	cardKeyMax         = 1024
	cardButtonsMax     = 6
)

// SplitReply divides r into what can go back passively in the HTTP
// response to m and what the caller must push through an active API
// (robot webhook, intelligent-robot response_url, app message/send or
// message/update_template_card):
//
//   - app: buttons are never passive (push a template card); a card click
//     can only be answered passively with ReplaceButton (update_button),
//     so its text is pushed;
//   - intelligent robot: card clicks and feedback events take no passive
//     message; the reply goes to the click's response_url;
//   - robot: everything is passive. ReplaceButton matters only for app
//     clicks and is dropped elsewhere.
//
// A passive text above the channel's limit (app text 2048 B, robot text
// 2048 B and markdown 4096 B) is pushed instead, as the push path splits
// it; WeCom would cut it off or refuse it. On the intelligent robot, whose
// push path is a single response_url message, the passive stream keeps the
// first 20480 B and the rest is pushed.
func SplitReply(m *Message, r Reply) (passive, push Reply) {
	passive, push = splitByKind(m, r)
	if !push.IsEmpty() || passive.Text == "" {
		return passive, push
	}
	size, limit := passiveSize(m, passive)
	if size <= limit {
		return passive, push
	}
	if m.Channel == ChannelAibot {
		head, tail := splitAt(WithButtonHints(passive), limit)
		return head, tail
	}
	over := passive
	over.ReplaceButton = ""
	return nonEmpty(Reply{ReplaceButton: passive.ReplaceButton}), over
}

// Byte limits of passive reply content (protocol notes §1).
const (
	appPassiveTextMax = 2048
	robotTextMax      = 2048
	robotMarkdownMax  = 4096
	aibotContentMax   = 20480
	mentionTagBytes   = len("<@> ") // each robot markdown mention: <@userid> and a space
)

// passiveSize is the size of the content r's passive reply on m's channel
// would carry, and the channel's limit for it.
func passiveSize(m *Message, r Reply) (size, limit int) {
	switch m.Channel {
	case ChannelApp:
		text := r.Text
		if r.Markdown {
			text = PlainText(text)
		}
		return len(text), appPassiveTextMax
	case ChannelAibot:
		if m.ChatType != ChatGroup && len(r.Buttons) > 0 && len(r.Buttons) <= cardButtonsMax && m.Kind != KindStream {
			return 0, aibotContentMax // a template card; its texts are cut to fit
		}
		return len(WithButtonHints(r).Text), aibotContentMax
	}
	if !r.Markdown && len(r.Buttons) == 0 {
		return len(r.Text), robotTextMax
	}
	size = len(r.Text)
	for _, u := range r.Mentions {
		size += len(u) + mentionTagBytes
	}
	return size, robotMarkdownMax
}

// splitAt cuts r's text into a first part within limit bytes (on a line
// or rune boundary) and the rest; buttons were folded into the text.
func splitAt(r Reply, limit int) (head, tail Reply) {
	parts := wecom.SplitText(r.Text, limit)
	head, tail = r, r
	head.Text = parts[0]
	tail.Text = strings.Join(parts[1:], "")
	tail.Mentions, tail.VisibleTo = nil, nil
	return head, nonEmpty(tail)
}

// splitByKind is SplitReply by what each channel can carry passively.
func splitByKind(m *Message, r Reply) (passive, push Reply) {
	click := m.Kind == KindClick
	rest := r
	rest.ReplaceButton = ""
	switch m.Channel {
	case ChannelApp:
		if click {
			return Reply{ReplaceButton: r.ReplaceButton}, nonEmpty(rest)
		}
		if len(r.Buttons) > 0 {
			return NoReply, nonEmpty(rest)
		}
	case ChannelAibot:
		if click || m.Event == EventFeedback {
			return NoReply, nonEmpty(rest)
		}
	}
	return nonEmpty(rest), NoReply
}

func nonEmpty(r Reply) Reply {
	if r.IsEmpty() {
		return NoReply
	}
	return r
}

// CanPassive reports whether all of r can be sent as the passive reply.
func CanPassive(m *Message, r Reply) bool {
	_, push := SplitReply(m, r)
	return push.IsEmpty()
}

// WithButtonHints folds r's buttons into its text ("请回复：是 / 否") for
// places that cannot show buttons; typing a value equals clicking it.
func WithButtonHints(r Reply) Reply {
	if len(r.Buttons) == 0 {
		return r
	}
	items := make([]string, 0, len(r.Buttons))
	for _, b := range r.Buttons {
		it := b.Value
		if b.Text != "" && b.Text != b.Value {
			it += "（" + b.Text + "）"
		}
		items = append(items, it)
	}
	hint := "请回复：" + strings.Join(items, " / ")
	if r.Text != "" {
		hint = r.Text + "\n\n" + hint
	}
	r.Text = hint
	r.Buttons = nil
	return r
}

// Renderer turns the passive part of a Reply into the plaintext of a
// passive reply (to be sealed with Codec.Seal). The zero value is ready to
// use.
type Renderer struct {
	// Clock is the real clock; it stamps CreateTime of app replies.
	// nil means clock.Real{}.
	Clock clock.Clock
	// NewID returns a fresh id, unique per robot/app, made of
	// [0-9A-Za-z_-] and at most 64 bytes: intelligent-robot stream ids
	// and card task ids, robot attachment callback ids. nil: random hex.
	NewID func() string
	// CorpID is the app's FromUserName. Empty: the message's ToUserName.
	CorpID string
}

// Render returns the passive reply plaintext for r in answer to m, or nil
// for "no reply" (answer 200 with an empty body). A reply that SplitReply
// would not keep whole gives ErrNotPassive.
func (rd Renderer) Render(m *Message, r Reply) ([]byte, error) {
	if r.IsEmpty() {
		return nil, nil
	}
	passive, push := SplitReply(m, r)
	if !push.IsEmpty() {
		return nil, fmt.Errorf("bot: render %s %s: %w", m.Channel, m.Kind, ErrNotPassive)
	}
	if passive.IsEmpty() {
		return nil, nil
	}
	switch m.Channel {
	case ChannelRobot:
		return rd.robot(m, passive)
	case ChannelAibot:
		return rd.aibot(m, passive)
	case ChannelApp:
		return rd.app(m, passive)
	}
	return nil, fmt.Errorf("bot: render: unknown channel %q", m.Channel)
}

func (rd Renderer) newID() string {
	if rd.NewID != nil {
		return rd.NewID()
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// --- intelligent robot ---------------------------------------------------

// NewButtonCard renders a Reply with buttons as a button_interaction card
// (wecom.TemplateCard marshals to the JSON of both the intelligent robot's
// passive replies and the app's message/send):
// the first line of the text (markdown removed) is the title, the rest the
// subtitle, each button's Value its key. taskID must be unique per robot or
// app ([0-9A-Za-z_-@], ≤128 B).
func NewButtonCard(r Reply, taskID string) (wecom.TemplateCard, error) {
	if len(r.Buttons) == 0 || len(r.Buttons) > cardButtonsMax {
		return wecom.TemplateCard{}, fmt.Errorf("bot: button card: %w: %d (1..%d)", ErrTooManyButtons, len(r.Buttons), cardButtonsMax)
	}
	text := r.Text
	if r.Markdown {
		text = PlainText(text)
	}
	text = textsafe.Neutralize(text)
	title, sub, _ := strings.Cut(strings.TrimSpace(text), "\n")
	title, sub = strings.TrimSpace(title), strings.TrimSpace(sub)
	if utf8.RuneCountInString(title) > 36 {
		title, sub = "请选择", strings.TrimSpace(text)
	}
	if title == "" {
		title = "请选择"
	}
	c := wecom.TemplateCard{CardType: wecom.CardButtonInteraction, MainTitle: &wecom.CardTitle{Title: title}, SubTitleText: sub, TaskID: taskID}
	for i, b := range r.Buttons {
		if b.Value == "" || len(b.Value) > cardKeyMax {
			return wecom.TemplateCard{}, fmt.Errorf("bot: button card %d: %w: %d bytes (1..%d)", i, ErrButtonTooLong, len(b.Value), cardKeyMax)
		}
		label := b.Text
		if label == "" {
			label = b.Value
		}
		style := 2
		if i == 0 {
			style = 1
		}
		c.ButtonList = append(c.ButtonList, wecom.CardButton{Text: textsafe.Neutralize(label), Style: style, Key: b.Value})
	}
	return c, nil
}

type aibotStream struct {
	ID      string `json:"id"`
	Finish  bool   `json:"finish"`
	Content string `json:"content"`
}

type aibotReply struct {
	MsgType      string              `json:"msgtype"`
	Text         *aibotText          `json:"text,omitempty"`
	Stream       *aibotStream        `json:"stream,omitempty"`
	TemplateCard *wecom.TemplateCard `json:"template_card,omitempty"`
}

// aibot renders: a 1:1 reply with buttons as a template card; enter_chat
// as text; everything else as a finished stream (markdown), answering a
// stream refresh under its own id. Buttons that cannot be a card become
// typed hints.
func (rd Renderer) aibot(m *Message, r Reply) ([]byte, error) {
	single := m.ChatType != ChatGroup
	if single && len(r.Buttons) > 0 && len(r.Buttons) <= cardButtonsMax && m.Kind != KindStream {
		c, err := NewButtonCard(r, rd.newID())
		if err != nil {
			return nil, err
		}
		return json.Marshal(aibotReply{MsgType: "template_card", TemplateCard: &c})
	}
	r = WithButtonHints(r)
	if m.Kind == KindEvent && m.Event == EventEnterChat {
		return json.Marshal(aibotReply{MsgType: "text", Text: &aibotText{Content: r.Text}})
	}
	id := m.StreamID
	if m.Kind != KindStream || id == "" {
		id = rd.newID()
	}
	return json.Marshal(aibotReply{MsgType: "stream", Stream: &aibotStream{ID: id, Finish: true, Content: r.MarkdownText()}})
}

// --- self-built app ----------------------------------------------------

type appReplyXML struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata    `xml:"ToUserName"`
	FromUserName cdata    `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      cdata    `xml:"MsgType"`
	Content      *cdata   `xml:"Content,omitempty"`
	Button       *struct {
		ReplaceName cdata `xml:"ReplaceName"`
	} `xml:"Button,omitempty"`
}

// app renders a text reply (markdown flattened: app passive replies have
// no markdown) or, for a card click, update_button.
func (rd Renderer) app(m *Message, r Reply) ([]byte, error) {
	now := clock.OrReal(rd.Clock)
	corp := rd.CorpID
	if corp == "" {
		corp = m.ToID
	}
	x := appReplyXML{ToUserName: cdata{xmlSafe(m.SenderID)}, FromUserName: cdata{xmlSafe(corp)}, CreateTime: now.Now().Unix()}
	if r.ReplaceButton != "" {
		x.MsgType = cdata{"update_button"}
		x.Button = &struct {
			ReplaceName cdata `xml:"ReplaceName"`
		}{cdata{xmlSafe(r.ReplaceButton)}}
		return xml.Marshal(x)
	}
	text := r.Text
	if r.Markdown {
		text = PlainText(text)
	}
	x.MsgType = cdata{"text"}
	x.Content = &cdata{xmlSafe(textsafe.Neutralize(text))} // app text renders <a href>
	return xml.Marshal(x)
}
