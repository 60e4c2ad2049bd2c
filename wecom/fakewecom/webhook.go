package fakewecom

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
)

var (
	webhookMsgTypes  = set("text", "markdown", "markdown_v2", "image", "news", "file", "voice", "template_card")
	webhookCardTypes = set("text_notice", "news_notice")
)

type webhookBody struct {
	MsgType    string   `json:"msgtype"`
	Text       *content `json:"text"`
	Markdown   *content `json:"markdown"`
	MarkdownV2 *content `json:"markdown_v2"`
	Image      *struct {
		Base64 string `json:"base64"`
		MD5    string `json:"md5"`
	} `json:"image"`
	News *struct {
		Articles []struct {
			Title string `json:"title"`
			URL   string `json:"url"`
		} `json:"articles"`
	} `json:"news"`
	File *struct {
		MediaID string `json:"media_id"`
	} `json:"file"`
	Voice *struct {
		MediaID string `json:"media_id"`
	} `json:"voice"`
	TemplateCard *card  `json:"template_card"`
	ChatID       string `json:"chatid"`
}

// robotChat is a chat a robot key posts to besides its own group.
type robotChat struct {
	id     string
	single bool
}

// CodeInvalidChatID answers a webhook/send whose chatid names a chat the
// robot is not in (93006 in the protocol notes).
const CodeInvalidChatID = 93006

// webhookTargetsLocked resolves a webhook/send's chatid: "|"-joined chat
// ids of the robot, userids of known users, or @all_group; empty means
// every group of the robot.
func (s *Server) webhookTargetsLocked(key, own, chatid string) ([]string, bool) {
	groups := []string{own}
	known := map[string]bool{own: true}
	for _, c := range s.robotChats[key] {
		known[c.id] = true
		if !c.single {
			groups = append(groups, c.id)
		}
	}
	if chatid == "" {
		return groups, true
	}
	ids := strings.Split(chatid, "|")
	if len(ids) > 100 {
		return nil, false
	}
	var out []string
	for _, id := range ids {
		switch {
		case id == "@all_group":
			out = append(out, groups...)
		case known[id] || s.users[id]:
			out = append(out, id)
		default:
			return nil, false
		}
	}
	return out, true
}

// webhookSend: unknown key → 93000; more than WebhookPerMinute accepted
// messages in the last minute → 45009; then the content rules of §3.2.
func (s *Server) webhookSend(c *call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := c.r.URL.Query().Get("key")
	chatID, known := s.webhooks[key]
	if !known {
		return fail(93000, "invalid webhook url")
	}
	w := s.webhookWin[key]
	if w == nil {
		w = &window{}
		s.webhookWin[key] = w
	}
	if w.count(c.now) >= s.opts.WebhookPerMinute {
		return fail(45009, "api freq out of limit")
	}
	var b webhookBody
	if json.Unmarshal(c.body, &b) != nil {
		return fail(47001, "data format error")
	}
	if a, ok := s.checkWebhookContentLocked(&b, key, c.now); !ok {
		return a
	}
	chats, valid := s.webhookTargetsLocked(key, chatID, b.ChatID)
	if !valid {
		return fail(CodeInvalidChatID, "invalid chatid")
	}
	w.add(c.now)
	s.recordLocked(Recorded{API: c.api, Key: key, Query: c.r.URL.RawQuery, ChatID: strings.Join(chats, "|"),
		To: b.ChatID, Chats: chats, MsgType: b.MsgType, Body: c.body, At: c.now})
	return ok(nil)
}

func (s *Server) checkWebhookContentLocked(b *webhookBody, key string, now time.Time) (answer, bool) {
	if !webhookMsgTypes[b.MsgType] {
		return fail(40008, "invalid message type"), false
	}
	text := func(c *content, limit int) (answer, bool) {
		if c == nil || c.Content == "" {
			return fail(44004, "empty content"), false
		}
		if len(c.Content) > limit {
			return fail(45002, "content size out of limit"), false
		}
		return answer{}, true
	}
	switch b.MsgType {
	case "text":
		return text(b.Text, 2048)
	case "markdown":
		return text(b.Markdown, 4096)
	case "markdown_v2":
		return text(b.MarkdownV2, 4096)
	case "image":
		if b.Image == nil {
			return fail(40058, "image required"), false
		}
		raw, err := base64.StdEncoding.DecodeString(b.Image.Base64)
		if err != nil || len(raw) == 0 {
			return fail(40058, "invalid image base64"), false
		}
		if len(raw) > 2<<20 {
			return fail(45002, "image size out of limit"), false
		}
		sum := md5.Sum(raw)
		if hex.EncodeToString(sum[:]) != b.Image.MD5 {
			return fail(40058, "image md5 mismatch"), false
		}
	case "news":
		if b.News == nil || len(b.News.Articles) < 1 || len(b.News.Articles) > 8 {
			return fail(40058, "news needs 1-8 articles"), false
		}
		for _, a := range b.News.Articles {
			if a.Title == "" || a.URL == "" {
				return fail(40058, "article needs title and url"), false
			}
			if len(a.Title) > 128 {
				return fail(45002, "title size out of limit"), false
			}
		}
	case "file", "voice":
		ref := b.File
		if b.MsgType == "voice" {
			ref = b.Voice
		}
		if ref == nil || !s.mediaUsableLocked(ref.MediaID, "webhook:"+key, now) {
			return fail(40007, "invalid media_id"), false
		}
	case "template_card":
		tc := b.TemplateCard
		if tc == nil || !webhookCardTypes[tc.CardType] {
			return fail(40058, "invalid template_card card_type"), false
		}
		if len(tc.CardAction) == 0 || string(tc.CardAction) == "null" {
			return fail(40058, "card_action required"), false
		}
		if (tc.MainTitle == nil || tc.MainTitle.Title == "") && tc.SubTitleText == "" {
			return fail(40058, "main_title.title or sub_title_text required"), false
		}
	}
	return answer{}, true
}

// webhookUpload: multipart "media", type file|voice, for that robot only.
func (s *Server) webhookUpload(c *call) answer {
	s.mu.Lock()
	_, known := s.webhooks[c.r.URL.Query().Get("key")]
	s.mu.Unlock()
	if !known {
		return fail(93000, "invalid webhook url")
	}
	return s.storeUpload(c, "webhook:"+c.r.URL.Query().Get("key"), map[string]int{"file": 20 << 20, "voice": 2 << 20})
}

// getChatInfo answers a minted GetChatInfoUrl once.
func (s *Server) getChatInfo(c *call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := c.r.URL.Query().Get("code")
	ot, why := useLocked(s.infoCodes, code, c.now)
	if why != "" {
		return fail(CodeInvalidCode, "invalid code: "+why)
	}
	info := *ot.info
	return ok(map[string]any{"chatid": info.ChatID, "name": info.Name, "chattype": info.ChatType, "members": info.Members})
}

// aibotResponse accepts one markdown or template_card per minted
// response_code, within an hour.
func (s *Server) aibotResponse(c *call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b struct {
		MsgType      string   `json:"msgtype"`
		Markdown     *content `json:"markdown"`
		TemplateCard *card    `json:"template_card"`
	}
	if json.Unmarshal(c.body, &b) != nil {
		return fail(47001, "data format error")
	}
	switch b.MsgType {
	case "markdown":
		if b.Markdown == nil || b.Markdown.Content == "" {
			return fail(44004, "empty content")
		}
		if len(b.Markdown.Content) > 20480 {
			return fail(45002, "content size out of limit")
		}
	case "template_card":
		if b.TemplateCard == nil || b.TemplateCard.CardType == "" {
			return fail(40058, "invalid template_card")
		}
	default:
		return fail(40008, "invalid message type")
	}
	code := c.r.URL.Query().Get("response_code")
	ot, why := useLocked(s.aibotCodes, code, c.now)
	if why != "" {
		return fail(CodeInvalidCode, "invalid response_code: "+why)
	}
	s.recordLocked(Recorded{API: c.api, ChatID: ot.chatID, MsgType: b.MsgType, Body: c.body, At: c.now, ResponseCode: code})
	return ok(nil)
}
