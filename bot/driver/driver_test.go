package driver_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/bot"
	"firebot/bot/driver"
	"firebot/clock"
)

const (
	token  = "QwBotTestToken"
	aesKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
	corpID = "ww_corp"
)

// fakeBot is a tiny callback endpoint built only from package bot's
// pieces. It can fail or hang the first POSTs and records what arrived.
type fakeBot struct {
	t        *testing.T
	ch       bot.Channel
	codec    *bot.Codec
	renderer bot.Renderer
	reply    func(m *bot.Message) bot.Reply
	raw      func(w http.ResponseWriter) bool // optional override of the answer

	mu       sync.Mutex
	fail     int // answer this many POSTs with 500
	redirect int // then this many with 302
	hang     int // then hold this many until the client gives up
	posts    []post
	messages []*bot.Message
}

type post struct {
	query string
	body  []byte
}

// newFakeBot starts a fakeBot; configure (may be nil) runs before the
// server starts, so handlers see its settings without further locking.
func newFakeBot(t *testing.T, ch bot.Channel, receiveID string, configure func(*fakeBot)) (*fakeBot, *httptest.Server) {
	codec, err := bot.NewCodec(token, aesKey, receiveID, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeBot{t: t, ch: ch, codec: codec, reply: func(m *bot.Message) bot.Reply { return bot.Reply{Text: "收到：" + m.Text} }}
	if configure != nil {
		configure(f)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeBot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, err := bot.ParseParams(r.URL.RawQuery)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if r.Method == http.MethodGet {
		echo, err := f.codec.VerifyURL(p)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Write(echo)
		return
	}
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.posts = append(f.posts, post{r.URL.RawQuery, body})
	n, fail, redirect, hang := len(f.posts), f.fail, f.redirect, f.hang
	f.mu.Unlock()
	switch {
	case n <= fail:
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	case n <= fail+redirect:
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
		return
	case n <= fail+redirect+hang:
		<-r.Context().Done()
		return
	}
	if f.raw != nil && f.raw(w) {
		return
	}
	format := bot.FormatOf(f.ch, r.URL.RawQuery)
	plain, err := f.codec.Open(p, body, format)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	m, err := bot.Parse(f.ch, format, plain, "RemindBot")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.messages = append(f.messages, m)
	f.mu.Unlock()
	passive, _ := bot.SplitReply(m, f.reply(m))
	out, err := f.renderer.Render(m, passive)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if out == nil {
		return // 200, empty body
	}
	sealed, err := f.codec.Seal(out, p.Timestamp, p.Nonce, format)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(sealed)
}

func (f *fakeBot) lastMessage() *bot.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.messages) == 0 {
		return nil
	}
	return f.messages[len(f.messages)-1]
}

func newDriver(t *testing.T, srv *httptest.Server, opts driver.Options) *driver.Driver {
	t.Helper()
	opts.Token, opts.EncodingAESKey = token, aesKey
	if opts.Path == "" {
		opts.Path = "/callback"
	}
	d, err := driver.New(srv.URL, opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestWorkedExampleRequest(t *testing.T) {
	// §8.3: fixed time, nonce 1234567890, random 0123456789abcdef.
	entropy := bytes.NewReader(append([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 0}, "0123456789abcdef"...))
	d, err := driver.New("http://bot.invalid", driver.Options{
		Channel: bot.ChannelRobot, Token: token, EncodingAESKey: aesKey,
		Clock: clock.NewFake(time.Unix(1700000000, 0)), Entropy: entropy,
	})
	if err != nil {
		t.Fatal(err)
	}
	h := driver.RobotMsg{
		WebhookURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-FOR-TEST", MsgID: "MSGID-0001",
		ChatID: "wrkTESTCHAT01", ChatType: "group", UserID: "zhangsan", Name: "Zhang San", Alias: "zhangsan",
		ChatInfoURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=CODE",
	}
	plain := driver.RobotText(bot.FormatXML, h, "@RemindBot confirm 42")
	const wantPlain = `<xml><WebhookUrl><![CDATA[https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-FOR-TEST]]></WebhookUrl><MsgId><![CDATA[MSGID-0001]]></MsgId><ChatId><![CDATA[wrkTESTCHAT01]]></ChatId><ChatType>group</ChatType><From><UserId>zhangsan</UserId><Name><![CDATA[Zhang San]]></Name><Alias><![CDATA[zhangsan]]></Alias></From><GetChatInfoUrl><![CDATA[https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=CODE]]></GetChatInfoUrl><MsgType>text</MsgType><Text><Content><![CDATA[@RemindBot confirm 42]]></Content></Text></xml>`
	if diff := cmp.Diff(wantPlain, string(plain)); diff != "" {
		t.Fatalf("builder (-want +got):\n%s", diff)
	}
	req, err := d.Seal("/callback", plain)
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Query.Encode(); got != "msg_signature=f6d4152872f2ce64a91d00f40b9d8eb7110b89fe&nonce=1234567890&timestamp=1700000000" {
		t.Errorf("query = %s", got)
	}
	const enc = "4j/AuRx71kQlxVlzbpsMWO19q0fEZpm8d9f3CaTE9n4ZWGn929MHOqFW1m0VeyW0nDllsVLalwfYKXyjrTDupfzgSaj75/P36A1bxgkGmVar1uVt1zk9SJKEF+0aZHagHChDv1pzPMZb/b8NKq+PWa2Wt5dTbLS5D0oqkDO2iCDQOng4sXg24ODRBZ9tctucSAg32XAsMlWN5SKzvopYzJsqJGj1wKo2kc+J0WIiU4PJo/M9tMZ2yVwyj8taKnLIdffHD3+Ntos4hQUCa8RiQuEjJ2v4Z5VTfkh8HDdhuPM5VlYOXfLs32A98g0cNFrKK147uNEQpx0xPIkgW8ihwvmHQFu8V1tRakA2NaEOfMp4L/mx6yGh8S3Y+wLoNhslaRH5hVytxJCeZVGCjZ6qeZG+XAPo9OxUjaevpqZZ53qYak4/a6Jumf1XCpZeVTqJsDeK8A1crWlxgLoaqORFP1CBIVL9M3KGQrhC3QudgHnnnXOCFkkVZ0IIvAHXdpr0pRFBNdQVk2vJyUwc0p1Hh8IeSvA76NYgdjx34ohs6cSEo8A0kZUdqJxHvmG1Z+D2EDZeW6tf+MbLkC4Ct9aUSobwMWnuME3xo+kMO3Qy1WRs30vOfHMPeiGl8bWLW/s7kk5O2c1gIAbv4jG+NWis8BnVi0j4rf8k/UM7oyvMFQIntXH+vXhnJtyuDXskX1SLFeTBzVZ6DQoh4msz+kAFUwdEqZrCZa7rCKcVhm9+TTTPqao94yB9vLdyxDSp+dCn"
	if diff := cmp.Diff("<xml><Encrypt><![CDATA["+enc+"]]></Encrypt></xml>", string(req.Body)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

func TestVerify(t *testing.T) {
	_, srv := newFakeBot(t, bot.ChannelRobot, "", nil)
	d := newDriver(t, srv, driver.Options{Channel: bot.ChannelRobot})
	ctx := context.Background()
	if err := d.Verify(ctx, "/callback"); err != nil {
		t.Errorf("Verify: %v", err)
	}
	if err := d.VerifyRawPlus(ctx, "/callback"); err != nil {
		t.Errorf("VerifyRawPlus: %v", err)
	}
	// An endpoint with another token refuses, and the driver says so.
	other, err := driver.New(srv.URL, driver.Options{Channel: bot.ChannelRobot, Token: "other", EncodingAESKey: aesKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Verify(ctx, "/callback"); !errors.Is(err, driver.ErrVerify) {
		t.Errorf("wrong token: %v", err)
	}
	// An echo with a trailing newline is wrong.
	nl := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		codec, _ := bot.NewCodec(token, aesKey, "", nil)
		p, _ := bot.ParseParams(r.URL.RawQuery)
		echo, _ := codec.VerifyURL(p)
		w.Write(append(echo, '\n'))
	}))
	defer nl.Close()
	if err := newDriver(t, nl, driver.Options{Channel: bot.ChannelRobot}).Verify(ctx, "/"); !errors.Is(err, driver.ErrVerify) {
		t.Errorf("newline echo: %v", err)
	}
}

func TestResends(t *testing.T) {
	tests := []struct {
		name                 string
		fail, redirect, hang int
		maxAttempts          int
		wantStatuses         []int
		wantErr              error
	}{
		{"two 500s then 200", 2, 0, 0, 0, []int{500, 500, 200}, nil},
		{"302 is a failure", 0, 1, 0, 0, []int{302, 200}, nil},
		{"timeout then 200", 0, 0, 1, 0, []int{0, 200}, nil},
		{"always failing", 10, 0, 0, 0, []int{500, 500, 500, 500}, driver.ErrNotDelivered},
		{"no re-sends", 1, 0, 0, 1, []int{500}, driver.ErrNotDelivered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFakeBot(t, bot.ChannelRobot, "", func(f *fakeBot) {
				f.fail, f.redirect, f.hang = tt.fail, tt.redirect, tt.hang
			})
			d := newDriver(t, srv, driver.Options{Channel: bot.ChannelRobot, Timeout: 100 * time.Millisecond, MaxAttempts: tt.maxAttempts})
			res, err := d.SendRobotText(context.Background(), "c", "group", "u", "U", "@RemindBot hi")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantStatuses, res.Statuses); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			if res.Attempts != len(tt.wantStatuses) {
				t.Errorf("attempts = %d", res.Attempts)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			for _, p := range f.posts[1:] {
				if p.query != f.posts[0].query || !bytes.Equal(p.body, f.posts[0].body) {
					t.Error("a re-send differs from the first request")
				}
			}
			if tt.wantErr == nil && string(res.Reply) != `<xml><MsgType>text</MsgType><Text><Content><![CDATA[收到：hi]]></Content></Text></xml>` {
				t.Errorf("reply = %q", res.Reply)
			}
		})
	}
}

func TestBadReplies(t *testing.T) {
	otherCodec, _ := bot.NewCodec("other-token", aesKey, "", nil)
	appCodec, _ := bot.NewCodec(token, aesKey, "ww_wrong", nil)
	tests := []struct {
		name string
		ch   bot.Channel
		raw  func(w http.ResponseWriter) bool
	}{
		{"garbage", bot.ChannelRobot, func(w http.ResponseWriter) bool { w.Write([]byte("success")); return true }},
		{"signed with another token", bot.ChannelRobot, func(w http.ResponseWriter) bool {
			b, _ := otherCodec.Seal([]byte("<xml/>"), "1700000000", "1", bot.FormatXML)
			w.Write(b)
			return true
		}},
		{"JSON reply to an XML callback", bot.ChannelRobot, func(w http.ResponseWriter) bool {
			c, _ := bot.NewCodec(token, aesKey, "", nil)
			b, _ := c.Seal([]byte("{}"), "1700000000", "1", bot.FormatJSON)
			w.Write(b)
			return true
		}},
		{"app reply with the wrong corp id", bot.ChannelApp, func(w http.ResponseWriter) bool {
			b, _ := appCodec.Seal([]byte("<xml/>"), "1700000000", "1", bot.FormatXML)
			w.Write(b)
			return true
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newFakeBot(t, tt.ch, corpID, func(f *fakeBot) { f.raw = tt.raw })
			d := newDriver(t, srv, driver.Options{Channel: tt.ch, ReceiveID: corpID})
			if _, err := d.Send(context.Background(), "/callback", []byte("<xml/>")); !errors.Is(err, driver.ErrBadReply) {
				t.Errorf("err = %v, want ErrBadReply", err)
			}
		})
	}
}

func TestResendReplayRaw(t *testing.T) {
	f, srv := newFakeBot(t, bot.ChannelRobot, "", nil)
	d := newDriver(t, srv, driver.Options{Channel: bot.ChannelRobot})
	ctx := context.Background()
	first, err := d.SendRobotText(ctx, "c", "group", "u", "U", "@RemindBot a")
	if err != nil {
		t.Fatal(err)
	}
	again, err := d.Resend(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := d.RobotHeader("c", "group", "u", "U")
	replay, err := d.Replay(ctx, first, driver.RobotText(bot.FormatXML, h, "@RemindBot b"))
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	posts := append([]post(nil), f.posts...)
	f.mu.Unlock()
	if len(posts) != 3 || posts[1].query != posts[0].query || !bytes.Equal(posts[1].body, posts[0].body) {
		t.Fatalf("resend was not identical: %+v", posts)
	}
	if replay.Request.Timestamp != first.Request.Timestamp || replay.Request.Nonce != first.Request.Nonce ||
		bytes.Equal(posts[2].body, posts[0].body) || posts[2].query == posts[0].query {
		t.Error("replay must reuse timestamp and nonce with a new, correctly signed body")
	}
	if string(again.Reply) == "" || f.lastMessage().Text != "b" {
		t.Errorf("replay not opened by the bot: %+v", f.lastMessage())
	}

	raw, err := d.SendRaw(ctx, http.MethodPost, "/callback", first.Request.Query.Encode(), []byte("<xml><Encrypt>@@@</Encrypt></xml>"))
	if err != nil || raw.Status != http.StatusBadRequest || raw.Attempts != 1 {
		t.Errorf("raw: %+v %v", raw, err)
	}
}

func TestWrongChannelAndOptions(t *testing.T) {
	_, srv := newFakeBot(t, bot.ChannelRobot, "", nil)
	d := newDriver(t, srv, driver.Options{Channel: bot.ChannelRobot})
	if _, err := d.SendAppText(context.Background(), "u", "x"); !errors.Is(err, driver.ErrWrongChannel) {
		t.Errorf("app call on robot driver: %v", err)
	}
	if _, err := d.FollowStream(context.Background(), &driver.Result{}, 1); !errors.Is(err, driver.ErrWrongChannel) {
		t.Errorf("FollowStream on robot driver: %v", err)
	}
	if _, err := driver.New("not a url", driver.Options{Channel: bot.ChannelRobot, Token: token, EncodingAESKey: aesKey}); err == nil {
		t.Error("bad base URL accepted")
	}
	if _, err := driver.New(srv.URL, driver.Options{Channel: "fax", Token: token, EncodingAESKey: aesKey}); !errors.Is(err, driver.ErrWrongChannel) {
		t.Errorf("unknown channel: %v", err)
	}
	if _, err := driver.New(srv.URL, driver.Options{Channel: bot.ChannelRobot, Token: token, EncodingAESKey: "short"}); !errors.Is(err, bot.ErrBadAESKey) {
		t.Errorf("bad key: %v", err)
	}
	exhausted, _ := driver.New(srv.URL, driver.Options{Channel: bot.ChannelRobot, Token: token, EncodingAESKey: aesKey, Entropy: strings.NewReader("12")})
	if _, err := exhausted.SendRobotText(context.Background(), "c", "group", "u", "U", "x"); err == nil {
		t.Error("exhausted entropy did not fail")
	}
}

func TestConcurrentSends(t *testing.T) {
	f, srv := newFakeBot(t, bot.ChannelRobot, "", nil)
	d := newDriver(t, srv, driver.Options{Channel: bot.ChannelRobot})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := d.SendRobotText(context.Background(), "c", "group", "u", "U", "@RemindBot x")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	seen := map[string]bool{}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.messages {
		if seen[m.MsgID] {
			t.Errorf("duplicate MsgId %s", m.MsgID)
		}
		seen[m.MsgID] = true
	}
}
