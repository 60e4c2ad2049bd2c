package wecom

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
)

// WebhookMessage is the body of a group-robot push (webhook/send). Set
// MsgType and the one matching payload.
type WebhookMessage struct {
	MsgType      string        `json:"msgtype"`
	Text         *Text         `json:"text,omitempty"`
	Markdown     *Markdown     `json:"markdown,omitempty"`
	MarkdownV2   *Markdown     `json:"markdown_v2,omitempty"`
	Image        *Image        `json:"image,omitempty"`
	News         *News         `json:"news,omitempty"`
	File         *MediaRef     `json:"file,omitempty"`
	Voice        *MediaRef     `json:"voice,omitempty"`
	TemplateCard *TemplateCard `json:"template_card,omitempty"`
	// ChatID names the chats to post to ("|"-joined callback ChatIds or
	// userids). A push answering a robot callback must carry the callback's
	// ChatId: a robot published to the company serves many groups and 1:1
	// chats through one key, and without chatid WeCom posts to all of its
	// groups. Pushes to a group's own key need none.
	ChatID string `json:"chatid,omitempty"`
}

// WebhookSend pushes msg through the group robot whose webhook key is key.
// key may also be the whole query of a callback's WebhookUrl ("key=…&…"),
// sent as it is. The key is sent to BaseURL (never to the host in a
// callback's WebhookUrl) and never appears in logs or errors.
func (c *Client) WebhookSend(ctx context.Context, key string, msg WebhookMessage) error {
	q, err := webhookQuery(key)
	if err != nil {
		return err
	}
	return c.postJSON(ctx, "webhook/send", q, msg, nil)
}

// webhookQuery is the query addressing a robot: a bare key, or a WebhookUrl
// query holding one. Keys themselves never contain '='.
func webhookQuery(key string) (url.Values, error) {
	if !strings.Contains(key, "=") {
		if key == "" {
			return nil, fmt.Errorf("%w: empty webhook key", ErrInvalidArgument)
		}
		return url.Values{"key": {key}}, nil
	}
	q, err := url.ParseQuery(key)
	if err != nil || q.Get("key") == "" {
		return nil, fmt.Errorf("%w: webhook address without a key", ErrInvalidArgument)
	}
	return q, nil
}

// WebhookText pushes a text (≤ MaxWebhookTextBytes). mentioned holds userids
// or "@all"; mobiles holds phone numbers to @.
func (c *Client) WebhookText(ctx context.Context, key, content string, mentioned, mobiles []string) error {
	return c.WebhookSend(ctx, key, WebhookMessage{MsgType: MsgText,
		Text: &Text{Content: content, MentionedList: mentioned, MentionedMobileList: mobiles}})
}

// WebhookMarkdown pushes markdown (≤ MaxWebhookMarkdownBytes).
func (c *Client) WebhookMarkdown(ctx context.Context, key, content string) error {
	return c.WebhookSend(ctx, key, WebhookMessage{MsgType: MsgMarkdown, Markdown: &Markdown{Content: content}})
}

// WebhookImage pushes a JPG/PNG image (≤2 MB raw).
func (c *Client) WebhookImage(ctx context.Context, key string, img []byte) error {
	sum := md5.Sum(img)
	return c.WebhookSend(ctx, key, WebhookMessage{MsgType: MsgImage, Image: &Image{
		Base64: base64.StdEncoding.EncodeToString(img),
		MD5:    hex.EncodeToString(sum[:]),
	}})
}

// WebhookNews pushes 1–8 link articles.
func (c *Client) WebhookNews(ctx context.Context, key string, articles []Article) error {
	return c.WebhookSend(ctx, key, WebhookMessage{MsgType: MsgNews, News: &News{Articles: articles}})
}

// WebhookFile pushes a file uploaded with WebhookUploadMedia by the same
// robot. MediaExpired(err) means: upload again.
func (c *Client) WebhookFile(ctx context.Context, key, mediaID string) error {
	return c.WebhookSend(ctx, key, WebhookMessage{MsgType: MsgFile, File: &MediaRef{MediaID: mediaID}})
}

// WebhookTemplateCard pushes a text_notice or news_notice card.
func (c *Client) WebhookTemplateCard(ctx context.Context, key string, card TemplateCard) error {
	return c.WebhookSend(ctx, key, WebhookMessage{MsgType: MsgTemplateCard, TemplateCard: &card})
}

// WebhookUploadMedia uploads a file for the robot (kind MediaFile or
// MediaVoice). The media_id is valid for 3 days and only for this robot.
func (c *Client) WebhookUploadMedia(ctx context.Context, key string, kind MediaType, filename string, data []byte) (Media, error) {
	q, err := webhookQuery(key)
	if err != nil {
		return Media{}, err
	}
	q.Set("type", string(kind))
	return c.upload(ctx, "webhook/upload_media", c.endpoint("webhook/upload_media", q), filename, data)
}

// ChatInfo answers a group robot's GetChatInfoUrl.
type ChatInfo struct {
	ChatID   string       `json:"chatid"`
	Name     string       `json:"name"`
	ChatType string       `json:"chattype"`
	Members  []ChatMember `json:"members"`
}

// ChatMember is one member of a group.
type ChatMember struct {
	UserID string `json:"userid"`
	Alias  string `json:"alias,omitempty"`
	Name   string `json:"name,omitempty"`
}

// WebhookChatInfo fetches a GetChatInfoUrl from a group-robot callback
// (single use, valid 5 minutes). Like aibot responses, only its path and
// query are kept; the host is BaseURL.
func (c *Client) WebhookChatInfo(ctx context.Context, getChatInfoURL string) (ChatInfo, error) {
	target, err := c.rebase(getChatInfoURL)
	if err != nil {
		return ChatInfo{}, err
	}
	var info ChatInfo
	err = c.getRaw(ctx, "webhook/get_chat_info", target, &info)
	return info, err
}
