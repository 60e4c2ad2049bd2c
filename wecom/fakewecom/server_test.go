package fakewecom_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"firebot/clock"
	"firebot/wecom/fakewecom"
)

var t0 = time.Date(2023, 11, 9, 8, 0, 0, 0, time.UTC)

func newServer(t *testing.T) (*fakewecom.Server, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(t0)
	s := fakewecom.New(fakewecom.Options{Real: clk, Users: []string{"u1", "u2"}, TokenTTL: time.Hour})
	t.Cleanup(s.Close)
	return s, clk
}

type reply struct {
	status int
	body   map[string]any
	raw    string
}

func (r reply) code() int {
	c, _ := r.body["errcode"].(float64)
	return int(c)
}

func do(t *testing.T, method, u string, body any) reply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, raw: string(raw)}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

func token(t *testing.T, s *fakewecom.Server) string {
	t.Helper()
	q := url.Values{"corpid": {s.CorpID()}, "corpsecret": {s.Secret()}}
	r := do(t, "GET", s.URL()+"/cgi-bin/gettoken?"+q.Encode(), nil)
	tok, _ := r.body["access_token"].(string)
	if r.code() != 0 || tok == "" {
		t.Fatalf("gettoken: %s", r.raw)
	}
	return tok
}

func send(t *testing.T, s *fakewecom.Server, tok string, body map[string]any) reply {
	t.Helper()
	return do(t, "POST", s.URL()+"/cgi-bin/message/send?access_token="+url.QueryEscape(tok), body)
}

func text(to, content string) map[string]any {
	return map[string]any{"touser": to, "agentid": fakewecom.DefaultAgentID, "msgtype": "text", "text": map[string]any{"content": content}}
}

func TestGetToken(t *testing.T) {
	s, clk := newServer(t)
	a, b := token(t, s), token(t, s)
	if a != b {
		t.Errorf("a valid token should be handed out again: %q then %q", a, b)
	}
	clk.Advance(30 * time.Minute)
	r := do(t, "GET", s.URL()+"/cgi-bin/gettoken?corpid="+s.CorpID()+"&corpsecret="+s.Secret(), nil)
	if r.body["expires_in"] != float64(1800) {
		t.Errorf("expires_in = %v, want the remaining 1800", r.body["expires_in"])
	}
	clk.Advance(30 * time.Minute)
	if c := token(t, s); c == a {
		t.Error("an expired token was handed out again")
	}
	for _, tc := range []struct {
		q    string
		code int
	}{
		{"corpid=" + s.CorpID() + "&corpsecret=nope", 40001},
		{"corpid=nope&corpsecret=" + s.Secret(), 40013},
	} {
		if r := do(t, "GET", s.URL()+"/cgi-bin/gettoken?"+tc.q, nil); r.code() != tc.code {
			t.Errorf("%s: %s, want %d", tc.q, r.raw, tc.code)
		}
	}
	if got := s.CallCount("gettoken"); got != 6 {
		t.Errorf("gettoken calls = %d, want 6", got)
	}
}

func TestTokenChecks(t *testing.T) {
	s, clk := newServer(t)
	tok := token(t, s)
	for _, tc := range []struct {
		name  string
		setup func()
		tok   string
		code  int
	}{
		{"missing", func() {}, "", 41001},
		{"unknown", func() {}, "forged", 40014},
		{"valid", func() {}, tok, 0},
		{"aged by the clock", func() { clk.Advance(time.Hour) }, tok, 42001},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup()
			if r := send(t, s, tc.tok, text("u1", "hi")); r.code() != tc.code {
				t.Errorf("got %s, want errcode %d", r.raw, tc.code)
			}
		})
	}
	tok = token(t, s)
	s.RevokeToken()
	if r := send(t, s, tok, text("u1", "hi")); r.code() != 40014 {
		t.Errorf("revoked: %s", r.raw)
	}
	tok2 := token(t, s)
	s.ExpireTokens()
	if r := send(t, s, tok2, text("u1", "hi")); r.code() != 42001 {
		t.Errorf("expired: %s", r.raw)
	}
}

func TestMessageSendRules(t *testing.T) {
	s, _ := newServer(t)
	tok := token(t, s)
	for _, tc := range []struct {
		name string
		body map[string]any
		code int
	}{
		{"bad msgtype", map[string]any{"touser": "u1", "agentid": fakewecom.DefaultAgentID, "msgtype": "sticker"}, 40008},
		{"too long", text("u1", strings.Repeat("a", 2049)), 45002},
		{"empty", text("u1", ""), 44004},
		{"wrong agent", map[string]any{"touser": "u1", "agentid": 1, "msgtype": "text", "text": map[string]any{"content": "x"}}, 40056},
		{"agentid as string", map[string]any{"touser": "u1", "agentid": "1000002", "msgtype": "text", "text": map[string]any{"content": "x"}}, 0},
		{"all invalid", text("ghost", "x"), 81013},
		{"card without task_id", map[string]any{"touser": "u1", "agentid": fakewecom.DefaultAgentID, "msgtype": "template_card",
			"template_card": map[string]any{"card_type": "button_interaction"}}, 40058},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := send(t, s, tok, tc.body); r.code() != tc.code {
				t.Errorf("got %s, want %d", r.raw, tc.code)
			}
		})
	}
	if r := do(t, "GET", s.URL()+"/cgi-bin/message/send?access_token="+tok, nil); r.code() != 43002 {
		t.Errorf("GET message/send: %s", r.raw)
	}
	if r := do(t, "POST", s.URL()+"/cgi-bin/message/send?access_token="+tok, nil); r.code() != 47001 {
		t.Errorf("empty body: %s", r.raw)
	}
	if r := do(t, "GET", s.URL()+"/cgi-bin/nope", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown API: %d", r.status)
	}
	r := send(t, s, tok, text("u1|u2|ghost", "x"))
	if r.code() != 0 || r.body["invaliduser"] != "ghost" || r.body["msgid"] == "" {
		t.Errorf("partly invalid: %s", r.raw)
	}
}

func TestFaultTargeting(t *testing.T) {
	s, _ := newServer(t)
	s.RegisterWebhookKey("A", "chatA")
	s.RegisterWebhookKey("B", "chatB")
	hook := func(key, content string) reply {
		return do(t, "POST", s.URL()+"/cgi-bin/webhook/send?key="+key,
			map[string]any{"msgtype": "text", "text": map[string]any{"content": content}})
	}
	s.InjectFault("webhook/send", 1, fakewecom.Fault{Kind: fakewecom.FaultErrcode, Code: 93000, Key: "B"})
	s.InjectFault("webhook/send", 0, fakewecom.Fault{Kind: fakewecom.FaultHTTPStatus, Code: 503,
		Match: func(_ *http.Request, body []byte) bool { return bytes.Contains(body, []byte("boom")) }})
	if r := hook("A", "fine"); r.code() != 0 {
		t.Errorf("key A: %s", r.raw)
	}
	if r := hook("B", "fine"); r.code() != 93000 {
		t.Errorf("key B, first: %s", r.raw)
	}
	if r := hook("B", "fine"); r.code() != 0 {
		t.Errorf("key B, fault used up: %s", r.raw)
	}
	for range 3 {
		if r := hook("A", "boom"); r.status != 503 {
			t.Errorf("persistent fault: %d", r.status)
		}
	}
	s.ClearFaults()
	if r := hook("A", "boom"); r.code() != 0 {
		t.Errorf("after ClearFaults: %s", r.raw)
	}
	s.InjectFault("webhook/send", 1, fakewecom.MalformedJSON())
	if r := hook("A", "x"); r.status != 200 || json.Valid([]byte(r.raw)) {
		t.Errorf("malformed: %d %q", r.status, r.raw)
	}
	s.InjectFault("webhook/send", 1, fakewecom.Delay(time.Millisecond))
	if r := hook("A", "late"); r.code() != 0 {
		t.Errorf("delayed: %s", r.raw)
	}
	if got, want := len(s.Messages()), 4; got != want {
		t.Errorf("recorded %d, want %d (faulted calls are not recorded)", got, want)
	}
	if got := s.CallCount("webhook/send"); got != 9 {
		t.Errorf("calls = %d, want 9", got)
	}
}

func TestWaitFor(t *testing.T) {
	s, _ := newServer(t)
	s.RegisterWebhookKey("K", "c")
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan []fakewecom.Recorded, 1)
	go func() {
		msgs, _ := s.WaitFor(ctx, 2)
		got <- msgs
	}()
	for _, c := range []string{"一", "二"} {
		do(t, "POST", s.URL()+"/cgi-bin/webhook/send?key=K", map[string]any{"msgtype": "markdown", "markdown": map[string]any{"content": c}})
	}
	msgs := <-got
	if len(msgs) != 2 || msgs[0].Content() != "一" || msgs[1].Content() != "二" || msgs[1].ChatID != "c" {
		t.Errorf("WaitFor = %+v", msgs)
	}
	cancel()
	if _, err := s.WaitFor(ctx, 3); err != context.Canceled {
		t.Errorf("WaitFor with a cancelled context: %v", err)
	}
	if err := s.WaitForCalls(context.Background(), "webhook/send", 2); err != nil {
		t.Error(err)
	}
}

func TestHangReleasedByClose(t *testing.T) {
	clk := clock.NewFake(t0)
	s := fakewecom.New(fakewecom.Options{Real: clk})
	s.RegisterWebhookKey("K", "c")
	s.InjectFault("webhook/send", 1, fakewecom.Hang())
	done := make(chan error, 1)
	go func() {
		resp, err := http.Post(s.URL()+"/cgi-bin/webhook/send?key=K", "application/json", strings.NewReader(`{}`))
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	if err := s.WaitForCalls(context.Background(), "webhook/send", 1); err != nil {
		t.Fatal(err)
	}
	s.Close() // must not block on the hanging request
	<-done
}

func TestAppChatMemberLimit(t *testing.T) {
	clk := clock.NewFake(t0)
	s := fakewecom.New(fakewecom.Options{Real: clk, Users: []string{"u1", "u2"}, ChatMemberPerMin: 2})
	defer s.Close()
	tok := token(t, s)
	r := do(t, "POST", s.URL()+"/cgi-bin/appchat/create?access_token="+tok, map[string]any{"name": "群", "userlist": []string{"u1", "u2"}})
	chatID, _ := r.body["chatid"].(string)
	if r.code() != 0 || chatID == "" {
		t.Fatalf("create: %s", r.raw)
	}
	post := func() reply {
		return do(t, "POST", s.URL()+"/cgi-bin/appchat/send?access_token="+tok,
			map[string]any{"chatid": chatID, "msgtype": "text", "text": map[string]any{"content": "x"}})
	}
	for i, want := range []int{0, 0, 45009} {
		if r := post(); r.code() != want {
			t.Errorf("send %d: %s, want %d", i, r.raw, want)
		}
	}
	clk.Advance(time.Minute)
	if r := post(); r.code() != 0 {
		t.Errorf("after a minute: %s", r.raw)
	}
	if r := do(t, "POST", s.URL()+"/cgi-bin/appchat/send?access_token="+tok,
		map[string]any{"chatid": chatID, "msgtype": "template_card"}); r.code() != 40008 {
		t.Errorf("template card to appchat: %s", r.raw)
	}
}

func TestLatency(t *testing.T) {
	s, _ := newServer(t)
	s.RegisterWebhookKey("K", "c")
	s.SetLatency(2 * time.Millisecond)
	if r := do(t, "POST", s.URL()+"/cgi-bin/webhook/send?key=K", map[string]any{"msgtype": "text", "text": map[string]any{"content": "x"}}); r.code() != 0 {
		t.Fatalf("with latency: %s", r.raw)
	}
	s.SetLatency(time.Hour) // the client gives up; the server does not hold it
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+"/cgi-bin/gettoken", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("want the client's deadline to end the call")
	}
	s.SetLatency(0)
}

// A robot published to the company posts, through one key, to the chats its
// chatid names; without chatid to every group it sits in, never to a 1:1
// chat; a chat it is not in is refused.
func TestWebhookChatID(t *testing.T) {
	s, _ := newServer(t)
	s.RegisterWebhookKey("K", "wrkG1")
	s.AddWebhookChat("K", "wrkG2", false)
	s.AddWebhookChat("K", "wrkS-u1", true)
	post := func(chatid string) reply {
		body := map[string]any{"msgtype": "text", "text": map[string]any{"content": "hi"}}
		if chatid != "" {
			body["chatid"] = chatid
		}
		return do(t, "POST", s.URL()+"/cgi-bin/webhook/send?key=K&extra=1", body)
	}
	for _, c := range []struct {
		chatid string
		code   int
		chats  string
	}{
		{"", 0, "wrkG1|wrkG2"},
		{"wrkS-u1", 0, "wrkS-u1"},
		{"wrkG2|u2", 0, "wrkG2|u2"},
		{"@all_group", 0, "wrkG1|wrkG2"},
		{"wrkOTHER", fakewecom.CodeInvalidChatID, ""},
	} {
		before := len(s.Messages())
		if r := post(c.chatid); r.code() != c.code {
			t.Fatalf("chatid %q: errcode %d (%s), want %d", c.chatid, r.code(), r.raw, c.code)
		}
		msgs := s.Messages()
		if c.code != 0 {
			if len(msgs) != before {
				t.Fatalf("chatid %q: refused message recorded", c.chatid)
			}
			continue
		}
		m := msgs[len(msgs)-1]
		if m.To != c.chatid || strings.Join(m.Chats, "|") != c.chats || m.ChatID != c.chats || m.Query != "key=K&extra=1" {
			t.Fatalf("chatid %q: recorded To %q Chats %v ChatID %q Query %q, want chats %s", c.chatid, m.To, m.Chats, m.ChatID, m.Query, c.chats)
		}
	}
}
