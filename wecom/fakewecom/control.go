package fakewecom

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"time"
)

// Recorded is one message the server accepted (webhook/send, message/send,
// appchat/send, message/update_template_card, aibot/response).
type Recorded struct {
	API    string
	Key    string // webhook key (webhook/send)
	Query  string // webhook/send: the query as sent (key and any other parameters)
	ChatID string // webhook: the chats reached, "|"-joined (see Chats); appchat: chatid; aibot: the minting chat
	// To is webhook/send's chatid as sent ("" when the body had none).
	To string
	// Chats are the chats a webhook/send reached: those named by chatid,
	// or without it every group the key's robot sits in.
	Chats        []string
	ToUser       string // message/send touser as sent ("u1|u2")
	MsgType      string
	Body         []byte // the JSON as received
	At           time.Time
	MsgID        string // message/send
	ResponseCode string // message/send interactive cards; the code used (update, aibot)
}

// Content returns the text of a text/markdown/markdown_v2 message, or "".
func (r Recorded) Content() string {
	var m struct {
		Text       *struct{ Content string } `json:"text"`
		Markdown   *struct{ Content string } `json:"markdown"`
		MarkdownV2 *struct{ Content string } `json:"markdown_v2"`
	}
	if json.Unmarshal(r.Body, &m) != nil {
		return ""
	}
	switch {
	case m.Text != nil:
		return m.Text.Content
	case m.Markdown != nil:
		return m.Markdown.Content
	case m.MarkdownV2 != nil:
		return m.MarkdownV2.Content
	}
	return ""
}

// ChatInfo is what webhook/get_chat_info answers.
type ChatInfo struct {
	ChatID   string   `json:"chatid"`
	Name     string   `json:"name"`
	ChatType string   `json:"chattype"`
	Members  []Member `json:"members"`
}

// Member is one chat member.
type Member struct {
	UserID string `json:"userid"`
	Alias  string `json:"alias,omitempty"`
	Name   string `json:"name,omitempty"`
}

// AddUser makes userids known to message/send and appchat.
func (s *Server) AddUser(userids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range userids {
		s.users[u] = true
	}
}

// RegisterWebhookKey makes key a valid group-robot webhook posting to chatID.
func (s *Server) RegisterWebhookKey(key, chatID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhooks[key] = chatID
}

// AddWebhookChat makes the robot behind key (see RegisterWebhookKey) also
// sit in chatID, as a robot published to the company (发布到公司) serves
// many groups and 1:1 chats through one key. single marks a 1:1 chat: a
// push without chatid goes to every group of the robot (WeCom's default
// @all_group), never to its 1:1 chats.
func (s *Server) AddWebhookChat(key, chatID string, single bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.robotChats[key] = append(s.robotChats[key], robotChat{id: chatID, single: single})
}

// RemoveWebhookKey makes key invalid (the robot was removed): 93000.
func (s *Server) RemoveWebhookKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.webhooks, key)
	delete(s.robotChats, key)
}

// WebhookURL returns the push URL WeCom would show for key (public host).
func (s *Server) WebhookURL(key string) string {
	return s.public() + "/cgi-bin/webhook/send?" + url.Values{"key": {key}}.Encode()
}

// RevokeToken revokes every access token issued so far: the next call using
// one gets 40014, and gettoken issues a new one.
func (s *Server) RevokeToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.revoked = true
	}
}

// ExpireTokens ages every access token issued so far: the next call using
// one gets 42001, and gettoken issues a new one.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.expired = true
	}
}

// SetLatency adds d of real time to every call from now on (0 to stop).
// The wait ends early if the client gives up.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// ExpireMedia makes media_id unknown, as after 3 days: 40007.
func (s *Server) ExpireMedia(mediaID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.media, mediaID)
}

// MintResponseURL returns an intelligent-robot response_url for chatID
// (public host, single use, valid for ResponseURLTTL), as a callback would
// carry it.
func (s *Server) MintResponseURL(chatID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := s.newIDLocked("rc")
	s.aibotCodes[code] = &oneTime{expires: s.now().Add(ResponseURLTTL), chatID: chatID}
	return s.public() + "/cgi-bin/aibot/response?" + url.Values{"response_code": {code}}.Encode()
}

// MintCardResponseCode returns a response_code as a card-click callback
// carries it, usable once within CardCodeTTL for update_template_card.
func (s *Server) MintCardResponseCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mintCardCodeLocked()
}

func (s *Server) mintCardCodeLocked() string {
	code := s.newIDLocked("card")
	s.cardCodes[code] = &oneTime{expires: s.now().Add(CardCodeTTL)}
	return code
}

// MintChatInfoURL returns a GetChatInfoUrl (public host, single use, valid
// for ChatInfoURLTTL) that answers info.
func (s *Server) MintChatInfoURL(info ChatInfo) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := s.newIDLocked("ci")
	if info.ChatType == "" {
		info.ChatType = "group"
	}
	s.infoCodes[code] = &oneTime{expires: s.now().Add(ChatInfoURLTTL), chatID: info.ChatID, info: &info}
	return s.public() + "/cgi-bin/webhook/get_chat_info?" + url.Values{"code": {code}}.Encode()
}

// Messages returns the accepted messages in arrival order.
func (s *Server) Messages() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// CallCount returns how many requests reached api ("gettoken",
// "webhook/send", ...), faulted and failed ones included.
func (s *Server) CallCount(api string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[api]
}

// WaitFor blocks until at least n messages were accepted, then returns them
// all; or returns ctx's error.
func (s *Server) WaitFor(ctx context.Context, n int) ([]Recorded, error) {
	for {
		s.mu.Lock()
		if len(s.messages) >= n {
			msgs := slices.Clone(s.messages)
			s.mu.Unlock()
			return msgs, nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// WaitForCalls blocks until api was called at least n times (the call is
// counted when it arrives, before latency and faults) or ctx ends.
func (s *Server) WaitForCalls(ctx context.Context, api string, n int) error {
	for {
		s.mu.Lock()
		if s.calls[api] >= n {
			s.mu.Unlock()
			return nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// recordLocked stores an accepted message.
func (s *Server) recordLocked(r Recorded) {
	s.messages = append(s.messages, r)
	s.notifyLocked()
}
