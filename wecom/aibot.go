package wecom

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// AIBotMessage is the body POSTed to an intelligent robot's response_url:
// markdown (≤ MaxAIBotMarkdownBytes), or a template card (1:1 chats only).
type AIBotMessage struct {
	MsgType      string         `json:"msgtype"`
	Markdown     *AIBotMarkdown `json:"markdown,omitempty"`
	TemplateCard *TemplateCard  `json:"template_card,omitempty"`
}

// AIBotMarkdown is markdown with optional feedback buttons.
type AIBotMarkdown struct {
	Content  string    `json:"content"`
	Feedback *Feedback `json:"feedback,omitempty"`
}

// AIBotRespond answers through a response_url from an intelligent-robot
// callback: once, within an hour. Only the URL's path and query are used;
// the request goes to BaseURL, so a forged callback cannot send it elsewhere.
func (c *Client) AIBotRespond(ctx context.Context, responseURL string, msg AIBotMessage) error {
	target, err := c.rebase(responseURL)
	if err != nil {
		return err
	}
	return c.postJSONTo(ctx, "aibot/response", target, msg, nil)
}

// AIBotMarkdownReply answers a response_url with markdown.
func (c *Client) AIBotMarkdownReply(ctx context.Context, responseURL, content string) error {
	return c.AIBotRespond(ctx, responseURL, AIBotMessage{MsgType: MsgMarkdown, Markdown: &AIBotMarkdown{Content: content}})
}

// rebase keeps the path and query of a URL WeCom gave us (response_url,
// GetChatInfoUrl) and puts them under BaseURL.
func (c *Client) rebase(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" || !strings.HasPrefix(u.Path, "/cgi-bin/") || strings.Contains(u.Path, "..") {
		return "", fmt.Errorf("%w: not a WeCom API URL", ErrInvalidArgument)
	}
	target := c.base + u.EscapedPath()
	if u.RawQuery != "" {
		target += "?" + u.RawQuery
	}
	return target, nil
}
