package wecom

import (
	"context"
	"fmt"
)

// AppChat is a group chat created by the application (appchat/*). The app
// can only post to groups it created itself.
type AppChat struct {
	ChatID   string   `json:"chatid,omitempty"` // ≤32 of [0-9a-zA-Z]; empty = WeCom picks
	Name     string   `json:"name,omitempty"`   // ≤50 characters
	Owner    string   `json:"owner,omitempty"`
	UserList []string `json:"userlist"` // 2–2000 members
	ChatType int      `json:"chat_type,omitempty"`
}

// CreateChat creates a group chat and returns its chatid.
func (c *Client) CreateChat(ctx context.Context, chat AppChat) (string, error) {
	if len(chat.UserList) < 2 {
		return "", fmt.Errorf("%w: a group chat needs at least 2 members", ErrInvalidArgument)
	}
	var a struct {
		ChatID string `json:"chatid"`
	}
	err := c.withToken(ctx, func(tok string) error {
		return c.postJSON(ctx, "appchat/create", tokenQuery(tok), chat, &a)
	})
	return a.ChatID, err
}

// GetChat returns a group chat created by the application.
func (c *Client) GetChat(ctx context.Context, chatID string) (AppChat, error) {
	if chatID == "" {
		return AppChat{}, fmt.Errorf("%w: empty chatid", ErrInvalidArgument)
	}
	var a struct {
		ChatInfo AppChat `json:"chat_info"`
	}
	err := c.withToken(ctx, func(tok string) error {
		return c.getJSON(ctx, "appchat/get", tokenQuery(tok, "chatid", chatID), &a)
	})
	return a.ChatInfo, err
}

// ChatMessage is a message to an application group chat (appchat/send):
// text, markdown, textcard, news or file (no template cards).
type ChatMessage struct {
	ChatID   string    `json:"chatid"`
	MsgType  string    `json:"msgtype"`
	Text     *Text     `json:"text,omitempty"`
	Markdown *Markdown `json:"markdown,omitempty"`
	TextCard *TextCard `json:"textcard,omitempty"`
	News     *News     `json:"news,omitempty"`
	File     *MediaRef `json:"file,omitempty"`
	Image    *MediaRef `json:"image,omitempty"`
	Safe     int       `json:"safe,omitempty"`
}

// SendChat posts to an application group chat.
func (c *Client) SendChat(ctx context.Context, m ChatMessage) error {
	if m.ChatID == "" {
		return fmt.Errorf("%w: empty chatid", ErrInvalidArgument)
	}
	return c.withToken(ctx, func(tok string) error {
		return c.postJSON(ctx, "appchat/send", tokenQuery(tok), m, nil)
	})
}

// SendChatText posts a text (≤ MaxAppTextBytes) to an application group.
func (c *Client) SendChatText(ctx context.Context, chatID, content string) error {
	return c.SendChat(ctx, ChatMessage{ChatID: chatID, MsgType: MsgText, Text: &Text{Content: content}})
}

// SendChatMarkdown posts markdown (≤ MaxAppMarkdownBytes) to an application group.
func (c *Client) SendChatMarkdown(ctx context.Context, chatID, content string) error {
	return c.SendChat(ctx, ChatMessage{ChatID: chatID, MsgType: MsgMarkdown, Markdown: &Markdown{Content: content}})
}
