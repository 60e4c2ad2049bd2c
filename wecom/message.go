package wecom

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Recipients of an application message. Users may be "@all" (the app's whole
// visible range). At most 1000 users and 100 parties/tags.
type Recipients struct {
	Users   []string `json:"users,omitempty"`
	Parties []string `json:"parties,omitempty"`
	Tags    []string `json:"tags,omitempty"`
}

func (r Recipients) empty() bool {
	return len(r.Users) == 0 && len(r.Parties) == 0 && len(r.Tags) == 0
}

// MaxDuplicateCheck is the longest duplicate-check window WeCom accepts.
const MaxDuplicateCheck = 4 * time.Hour

// AppMessage is an application message (message/send). Set MsgType and the
// matching payload; the client fills in agentid. The JSON tags give it a
// stable form for queues (it is not WeCom's wire format).
type AppMessage struct {
	To           Recipients    `json:"to"`
	MsgType      string        `json:"msgtype"`
	Text         *Text         `json:"text,omitempty"`
	Markdown     *Markdown     `json:"markdown,omitempty"`
	TextCard     *TextCard     `json:"textcard,omitempty"`
	TemplateCard *TemplateCard `json:"template_card,omitempty"`
	Safe         bool          `json:"safe,omitempty"`
	// DuplicateCheck > 0 asks WeCom to deliver an identical message only
	// once within this window (rounded to seconds, at most 4 h). A delivery
	// worker retrying after an ambiguous failure (timeout) should set it.
	DuplicateCheck time.Duration `json:"duplicate_check,omitempty"`
}

type appMessageWire struct {
	ToUser                 string        `json:"touser,omitempty"`
	ToParty                string        `json:"toparty,omitempty"`
	ToTag                  string        `json:"totag,omitempty"`
	AgentID                int64         `json:"agentid"`
	MsgType                string        `json:"msgtype"`
	Text                   *Text         `json:"text,omitempty"`
	Markdown               *Markdown     `json:"markdown,omitempty"`
	TextCard               *TextCard     `json:"textcard,omitempty"`
	TemplateCard           *TemplateCard `json:"template_card,omitempty"`
	Safe                   int           `json:"safe,omitempty"`
	EnableDuplicateCheck   int           `json:"enable_duplicate_check,omitempty"`
	DuplicateCheckInterval int64         `json:"duplicate_check_interval,omitempty"`
}

// SendResult is message/send's answer. A message with some invalid
// recipients still succeeds; they are listed here.
type SendResult struct {
	MsgID string
	// ResponseCode lets message/update_template_card change an interactive
	// card (once, within 72 h).
	ResponseCode    string
	InvalidUsers    []string
	InvalidParties  []string
	InvalidTags     []string
	UnlicensedUsers []string
}

type sendAnswer struct {
	MsgID           string `json:"msgid"`
	ResponseCode    string `json:"response_code"`
	InvalidUser     string `json:"invaliduser"`
	InvalidParty    string `json:"invalidparty"`
	InvalidTag      string `json:"invalidtag"`
	UnlicensedUsers string `json:"unlicenseduser"`
}

// SendMessage sends an application message.
func (c *Client) SendMessage(ctx context.Context, m AppMessage) (SendResult, error) {
	if m.To.empty() {
		return SendResult{}, fmt.Errorf("%w: no recipients", ErrInvalidArgument)
	}
	w := appMessageWire{
		ToUser:       strings.Join(m.To.Users, "|"),
		ToParty:      strings.Join(m.To.Parties, "|"),
		ToTag:        strings.Join(m.To.Tags, "|"),
		AgentID:      c.agentID,
		MsgType:      m.MsgType,
		Text:         m.Text,
		Markdown:     m.Markdown,
		TextCard:     m.TextCard,
		TemplateCard: m.TemplateCard,
	}
	if m.Safe {
		w.Safe = 1
	}
	if m.DuplicateCheck > 0 {
		w.EnableDuplicateCheck = 1
		w.DuplicateCheckInterval = int64(min(m.DuplicateCheck, MaxDuplicateCheck) / time.Second)
		if w.DuplicateCheckInterval < 1 {
			w.DuplicateCheckInterval = 1
		}
	}
	var a sendAnswer
	err := c.withToken(ctx, func(tok string) error {
		return c.postJSON(ctx, "message/send", tokenQuery(tok), w, &a)
	})
	if err != nil {
		return SendResult{}, err
	}
	return SendResult{
		MsgID:           a.MsgID,
		ResponseCode:    a.ResponseCode,
		InvalidUsers:    splitIDs(a.InvalidUser),
		InvalidParties:  splitIDs(a.InvalidParty),
		InvalidTags:     splitIDs(a.InvalidTag),
		UnlicensedUsers: splitIDs(a.UnlicensedUsers),
	}, nil
}

// SendText sends an application text (≤ MaxAppTextBytes).
func (c *Client) SendText(ctx context.Context, to Recipients, content string, dedupe time.Duration) (SendResult, error) {
	return c.SendMessage(ctx, AppMessage{To: to, MsgType: MsgText, Text: &Text{Content: content}, DuplicateCheck: dedupe})
}

// SendMarkdown sends application markdown (≤ MaxAppMarkdownBytes).
func (c *Client) SendMarkdown(ctx context.Context, to Recipients, content string, dedupe time.Duration) (SendResult, error) {
	return c.SendMessage(ctx, AppMessage{To: to, MsgType: MsgMarkdown, Markdown: &Markdown{Content: content}, DuplicateCheck: dedupe})
}

// SendTextCard sends an application text card.
func (c *Client) SendTextCard(ctx context.Context, to Recipients, card TextCard, dedupe time.Duration) (SendResult, error) {
	return c.SendMessage(ctx, AppMessage{To: to, MsgType: MsgTextCard, TextCard: &card, DuplicateCheck: dedupe})
}

// SendTemplateCard sends an application template card (button_interaction,
// vote_interaction, ...); the result's ResponseCode updates it later.
func (c *Client) SendTemplateCard(ctx context.Context, to Recipients, card TemplateCard, dedupe time.Duration) (SendResult, error) {
	return c.SendMessage(ctx, AppMessage{To: to, MsgType: MsgTemplateCard, TemplateCard: &card, DuplicateCheck: dedupe})
}

// CardUpdate changes an interactive card already sent (message/
// update_template_card). Set either ReplaceName (grey out the buttons with
// this label) or Card (replace the card). Without UserIDs/PartyIDs/TagIDs/
// AtAll every recipient's card changes.
type CardUpdate struct {
	ResponseCode string // from SendResult or a click callback; single use, 72 h
	UserIDs      []string
	PartyIDs     []int64
	TagIDs       []int64
	AtAll        bool
	ReplaceName  string
	Card         *TemplateCard
}

type cardUpdateWire struct {
	UserIDs      []string      `json:"userids,omitempty"`
	PartyIDs     []int64       `json:"partyids,omitempty"`
	TagIDs       []int64       `json:"tagids,omitempty"`
	AtAll        int           `json:"atall,omitempty"`
	AgentID      int64         `json:"agentid"`
	ResponseCode string        `json:"response_code"`
	Button       *cardButton   `json:"button,omitempty"`
	TemplateCard *TemplateCard `json:"template_card,omitempty"`
}

type cardButton struct {
	ReplaceName string `json:"replace_name"`
}

// UpdateTemplateCard updates a card. A response_code can be used once;
// reusing it is a Permanent error.
func (c *Client) UpdateTemplateCard(ctx context.Context, u CardUpdate) error {
	if u.ResponseCode == "" {
		return fmt.Errorf("%w: empty response_code", ErrInvalidArgument)
	}
	if (u.ReplaceName == "") == (u.Card == nil) {
		return fmt.Errorf("%w: set exactly one of ReplaceName and Card", ErrInvalidArgument)
	}
	w := cardUpdateWire{
		UserIDs: u.UserIDs, PartyIDs: u.PartyIDs, TagIDs: u.TagIDs,
		AgentID: c.agentID, ResponseCode: u.ResponseCode, TemplateCard: u.Card,
	}
	if u.AtAll {
		w.AtAll = 1
	}
	if u.ReplaceName != "" {
		w.Button = &cardButton{ReplaceName: u.ReplaceName}
	}
	return c.withToken(ctx, func(tok string) error {
		return c.postJSON(ctx, "message/update_template_card", tokenQuery(tok), w, nil)
	})
}
