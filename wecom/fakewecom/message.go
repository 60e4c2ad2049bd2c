package fakewecom

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Error codes the fake uses where WeCom's are undocumented (any non-zero
// value is right there).
const (
	CodeInvalidCode  = 40058 // reused/expired/unknown response_code or chat-info code
	CodeChatNotFound = 86003 // appchat chatid unknown
	CodeChatExists   = 86215 // appchat/create with a chatid in use
)

type content struct {
	Content string `json:"content"`
}

type card struct {
	CardType   string          `json:"card_type"`
	TaskID     string          `json:"task_id"`
	CardAction json.RawMessage `json:"card_action"`
	MainTitle  *struct {
		Title string `json:"title"`
	} `json:"main_title"`
	SubTitleText string `json:"sub_title_text"`
}

// appBody is the part of message/send and appchat/send the fake checks.
type appBody struct {
	ToUser   string          `json:"touser"`
	ToParty  string          `json:"toparty"`
	ToTag    string          `json:"totag"`
	ChatID   string          `json:"chatid"`
	AgentID  json.RawMessage `json:"agentid"`
	MsgType  string          `json:"msgtype"`
	Text     *content        `json:"text"`
	Markdown *content        `json:"markdown"`
	TextCard *struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		URL         string `json:"url"`
	} `json:"textcard"`
	TemplateCard           *card `json:"template_card"`
	EnableDuplicateCheck   int   `json:"enable_duplicate_check"`
	DuplicateCheckInterval int   `json:"duplicate_check_interval"`
}

var (
	appMsgTypes  = set("text", "image", "voice", "video", "file", "textcard", "news", "mpnews", "markdown", "miniprogram_notice", "template_card")
	chatMsgTypes = set("text", "image", "voice", "video", "file", "textcard", "news", "mpnews", "markdown")
	appCardTypes = set("text_notice", "news_notice", "button_interaction", "vote_interaction", "multiple_interaction")
	interactive  = set("button_interaction", "vote_interaction", "multiple_interaction")
	chatIDRe     = regexp.MustCompile(`^[0-9a-zA-Z]{1,32}$`)
)

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// agentIDOK accepts the agentid as a number or a numeric string.
func (s *Server) agentIDOK(raw json.RawMessage) bool {
	v := strings.Trim(string(raw), `"`)
	n, err := strconv.ParseInt(v, 10, 64)
	return err == nil && n == s.opts.AgentID
}

// checkAppContent applies the msgtype and size rules of application
// messages (2048 B text/markdown; WeCom truncates long app text, the fake
// answers 45002 so that splitting is tested).
func checkAppContent(b *appBody, types map[string]bool) (answer, bool) {
	if !types[b.MsgType] {
		return fail(40008, "invalid message type"), false
	}
	switch b.MsgType {
	case "text", "markdown":
		c := b.Text
		if b.MsgType == "markdown" {
			c = b.Markdown
		}
		if c == nil || c.Content == "" {
			return fail(44004, "empty content"), false
		}
		if len(c.Content) > 2048 {
			return fail(45002, "content size out of limit"), false
		}
	case "textcard":
		tc := b.TextCard
		if tc == nil || tc.Title == "" || tc.Description == "" || tc.URL == "" {
			return fail(40058, "invalid textcard"), false
		}
		if len(tc.Title) > 128 || len(tc.Description) > 512 {
			return fail(45002, "content size out of limit"), false
		}
	case "template_card":
		tc := b.TemplateCard
		if tc == nil || !appCardTypes[tc.CardType] {
			return fail(40058, "invalid template_card"), false
		}
		if interactive[tc.CardType] && tc.TaskID == "" {
			return fail(40058, "task_id required"), false
		}
	}
	return answer{}, true
}

func (s *Server) messageSend(c *call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.checkTokenLocked(c); !ok {
		return a
	}
	var b appBody
	if json.Unmarshal(c.body, &b) != nil {
		return fail(47001, "data format error")
	}
	if !s.agentIDOK(b.AgentID) {
		return fail(40056, "invalid agentid")
	}
	if a, ok := checkAppContent(&b, appMsgTypes); !ok {
		return a
	}
	// Recipients.
	var valid, invalid []string
	for _, u := range splitIDs(b.ToUser) {
		switch {
		case u == "@all":
			for known := range s.users {
				valid = append(valid, known)
			}
		case s.users[u]:
			valid = append(valid, u)
		default:
			invalid = append(invalid, u)
		}
	}
	parties, tags := splitIDs(b.ToParty), splitIDs(b.ToTag)
	if len(valid) == 0 && len(parties) == 0 && len(tags) == 0 {
		a := fail(81013, "user & party & tag all invalid")
		a.json.(map[string]any)["invaliduser"] = strings.Join(invalid, "|")
		return a
	}
	// Duplicate check: an identical body within the interval is accepted
	// but not delivered again.
	var dupKey string
	if b.EnableDuplicateCheck == 1 {
		sum := sha256.Sum256(c.body)
		dupKey = string(sum[:])
		if d, found := s.dupes[dupKey]; found && c.now.Before(d.until) {
			return ok(map[string]any{"invaliduser": strings.Join(invalid, "|"), "msgid": d.msgID})
		}
	}
	if !s.underLimitLocked(c, valid, s.opts.RecipientPerMinute) {
		return fail(45009, "api freq out of limit")
	}
	s.countLocked(c, valid)
	rec := Recorded{API: c.api, ToUser: b.ToUser, MsgType: b.MsgType, Body: c.body, At: c.now,
		MsgID: s.newIDLocked("msg")}
	if b.MsgType == "template_card" && interactive[b.TemplateCard.CardType] {
		rec.ResponseCode = s.mintCardCodeLocked()
	}
	if dupKey != "" {
		iv := b.DuplicateCheckInterval
		if iv <= 0 {
			iv = defaultDupInterval
		}
		iv = min(iv, maxDupInterval)
		s.dupes[dupKey] = dupEntry{until: c.now.Add(time.Duration(iv) * time.Second), msgID: rec.MsgID}
	}
	s.recordLocked(rec)
	fields := map[string]any{
		"invaliduser": strings.Join(invalid, "|"), "invalidparty": "", "invalidtag": "",
		"unlicenseduser": "", "msgid": rec.MsgID,
	}
	if rec.ResponseCode != "" {
		fields["response_code"] = rec.ResponseCode
	}
	return ok(fields)
}

type dupEntry struct {
	until time.Time
	msgID string
}

// underLimitLocked reports whether every user may receive one more message
// from c.api in the current window.
func (s *Server) underLimitLocked(c *call, users []string, limit int) bool {
	for _, u := range users {
		if w := s.recipWin[c.api+"\x00"+u]; w != nil && w.count(c.now) >= limit {
			return false
		}
	}
	return true
}

func (s *Server) countLocked(c *call, users []string) {
	for _, u := range users {
		k := c.api + "\x00" + u
		if s.recipWin[k] == nil {
			s.recipWin[k] = &window{}
		}
		s.recipWin[k].add(c.now)
	}
}

func (s *Server) updateTemplateCard(c *call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.checkTokenLocked(c); !ok {
		return a
	}
	var b struct {
		AgentID      json.RawMessage `json:"agentid"`
		ResponseCode string          `json:"response_code"`
		Button       *struct {
			ReplaceName string `json:"replace_name"`
		} `json:"button"`
		TemplateCard *card `json:"template_card"`
	}
	if json.Unmarshal(c.body, &b) != nil {
		return fail(47001, "data format error")
	}
	if !s.agentIDOK(b.AgentID) {
		return fail(40056, "invalid agentid")
	}
	if (b.Button == nil || b.Button.ReplaceName == "") && b.TemplateCard == nil {
		return fail(40058, "button or template_card required")
	}
	if _, why := useLocked(s.cardCodes, b.ResponseCode, c.now); why != "" {
		return fail(CodeInvalidCode, "invalid response_code: "+why)
	}
	s.recordLocked(Recorded{API: c.api, MsgType: "update_template_card", Body: c.body, At: c.now, ResponseCode: b.ResponseCode})
	return ok(nil)
}

type appChat struct {
	ChatID   string   `json:"chatid"`
	Name     string   `json:"name"`
	Owner    string   `json:"owner"`
	UserList []string `json:"userlist"`
	ChatType int      `json:"chat_type"`
}

func (s *Server) appchatCreate(c *call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.checkTokenLocked(c); !ok {
		return a
	}
	var ch appChat
	if json.Unmarshal(c.body, &ch) != nil {
		return fail(47001, "data format error")
	}
	if len(ch.UserList) < 2 || len(ch.UserList) > 2000 {
		return fail(40058, "userlist must have 2-2000 members")
	}
	for _, u := range ch.UserList {
		if !s.users[u] {
			return fail(40031, "invalid userid "+u)
		}
	}
	if ch.Owner == "" {
		ch.Owner = ch.UserList[0]
	} else if !s.users[ch.Owner] {
		return fail(40031, "invalid owner")
	}
	if len([]rune(ch.Name)) > 50 {
		return fail(40058, "name too long")
	}
	switch {
	case ch.ChatID == "":
		ch.ChatID = fmt.Sprintf("wrFAKE%06d", s.nextSeqLocked())
	case !chatIDRe.MatchString(ch.ChatID):
		return fail(40058, "invalid chatid")
	case s.chats[ch.ChatID] != nil:
		return fail(CodeChatExists, "chatid exists")
	}
	ch.ChatType = 0
	s.chats[ch.ChatID] = &ch
	return ok(map[string]any{"chatid": ch.ChatID})
}

func (s *Server) appchatGet(c *call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.checkTokenLocked(c); !ok {
		return a
	}
	ch := s.chats[c.r.URL.Query().Get("chatid")]
	if ch == nil {
		return fail(CodeChatNotFound, "chat not found")
	}
	return ok(map[string]any{"chat_info": *ch})
}

func (s *Server) appchatSend(c *call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.checkTokenLocked(c); !ok {
		return a
	}
	var b appBody
	if json.Unmarshal(c.body, &b) != nil {
		return fail(47001, "data format error")
	}
	ch := s.chats[b.ChatID]
	if ch == nil {
		return fail(CodeChatNotFound, "chat not found")
	}
	if a, ok := checkAppContent(&b, chatMsgTypes); !ok {
		return a
	}
	if !s.underLimitLocked(c, ch.UserList, s.opts.ChatMemberPerMin) {
		return fail(45009, "api freq out of limit")
	}
	s.countLocked(c, ch.UserList)
	s.recordLocked(Recorded{API: c.api, ChatID: b.ChatID, MsgType: b.MsgType, Body: c.body, At: c.now})
	return ok(nil)
}

func splitIDs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}
