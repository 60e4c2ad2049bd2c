package outbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"firebot/bot"
	"firebot/clock"
	"firebot/outbox"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

const (
	replyToken  = "QwBotTestToken"
	replyAESKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
)

// replyRig is a callback endpoint answering through outbox.ReplyPusher, in
// front of an embedded store, with the outbox worker delivering to the fake
// WeCom: the path of an answer from a callback to the chat it answers.
type replyRig struct {
	t         *testing.T
	real      *clock.Fake
	fake      *fakewecom.Server
	st        store.Store
	w         *outbox.Worker
	ch        bot.Channel
	srv       *httptest.Server
	codec     *bot.Codec // plays WeCom
	answer    func(m *bot.Message) bot.Reply
	release   chan struct{} // when non-nil the handler waits on it
	committed chan struct{}
	nonce     int
}

// newReplyRig answers within budget (wall time).
func newReplyRig(t *testing.T, ch bot.Channel, receiveID string, budget time.Duration) *replyRig {
	t.Helper()
	real := clock.NewFake(time.Date(2023, 11, 1, 9, 0, 0, 0, time.UTC))
	st, err := embedded.Open(filepath.Join(t.TempDir(), "r.db"), embedded.Options{Real: real})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fake := fakewecom.New(fakewecom.Options{Real: real, Users: []string{"zhangsan"}})
	t.Cleanup(fake.Close)
	client := wecom.New(wecom.Options{BaseURL: fake.URL(), CorpID: fake.CorpID(), AgentID: fake.AgentID(), Secret: fake.Secret(), Real: real})
	r := &replyRig{t: t, real: real, fake: fake, st: st, w: outbox.New(workerOptions(st, client, real)), ch: ch, committed: make(chan struct{}, 16)}
	codec, _ := bot.NewCodec(replyToken, replyAESKey, receiveID, nil)
	r.codec, _ = bot.NewCodec(replyToken, replyAESKey, receiveID, nil)
	ep := bot.NewEndpoint(bot.EndpointOptions{
		Channel: ch, Codec: codec, RobotName: "RemindBot", Memory: store.Callbacks{Store: st}, Real: real, Budget: budget,
		Handler: bot.HandlerFunc(func(_ context.Context, _ store.Tx, m *bot.Message) (bot.Reply, error) {
			if r.release != nil {
				<-r.release
			}
			return r.answer(m), nil
		}),
		Pusher:      outbox.ReplyPusher{},
		AfterCommit: func(*bot.Message) { r.committed <- struct{}{} },
	})
	r.srv = httptest.NewServer(ep)
	t.Cleanup(r.srv.Close)
	return r
}

// post sends a callback plaintext as WeCom would and returns the decrypted
// passive reply ("" for 200 with an empty body).
func (r *replyRig) post(plaintext []byte, f bot.Format) string {
	r.t.Helper()
	r.nonce++
	ts := strconv.FormatInt(r.real.Now().Unix(), 10)
	env := bot.Envelope{}
	if r.ch == bot.ChannelApp {
		env = bot.Envelope{ToUserName: "ww_corp", AgentID: "1000002"}
	}
	q, body, err := r.codec.SealRequest(plaintext, ts, "n"+strconv.Itoa(r.nonce), env, f)
	if err != nil {
		r.t.Fatal(err)
	}
	resp, err := http.Post(r.srv.URL+"/?"+q.Encode(), "application/xml", bytes.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		r.t.Fatalf("callback answered %d %s", resp.StatusCode, out)
	}
	if len(out) == 0 {
		return ""
	}
	pt, _, err := r.codec.OpenReply(out, f)
	if err != nil {
		r.t.Fatalf("open reply: %v", err)
	}
	return string(pt)
}

// deliver waits for the callback's unit of work to commit, then delivers
// what it enqueued.
func (r *replyRig) deliver() []fakewecom.Recorded {
	r.t.Helper()
	select {
	case <-r.committed:
	case <-time.After(10 * time.Second):
		r.t.Fatal("the callback never committed")
	}
	before := len(r.fake.Messages())
	if _, err := r.w.DeliverDue(context.Background()); err != nil {
		r.t.Fatal(err)
	}
	return r.fake.Messages()[before:]
}

func robotCallback(msgID, chatID, chatType, webhookURL, text string) []byte {
	return []byte(`<xml><WebhookUrl><![CDATA[` + webhookURL + `]]></WebhookUrl>` +
		`<MsgId><![CDATA[` + msgID + `]]></MsgId><ChatId><![CDATA[` + chatID + `]]></ChatId><ChatType>` + chatType + `</ChatType>` +
		`<From><UserId>zhangsan</UserId><Name><![CDATA[张三]]></Name></From><MsgType>text</MsgType>` +
		`<Text><Content><![CDATA[@RemindBot ` + text + `]]></Content></Text></xml>`)
}

// A robot published to the company answers, through its one key, a 1:1
// chat; the answer misses the reply budget and is pushed: it must name
// that chat, or WeCom would post it to every group of the robot.
func TestLateOneToOneAnswerCarriesChatID(t *testing.T) {
	r := newReplyRig(t, bot.ChannelRobot, "", 20*time.Millisecond) // real timer: the budget is wall time
	r.fake.RegisterWebhookKey("corp-key", "wrkGROUP1")
	r.fake.AddWebhookChat("corp-key", "wrkGROUP2", false)
	r.fake.AddWebhookChat("corp-key", "wrkSINGLE-zhangsan", true)
	r.release = make(chan struct{})
	r.answer = func(m *bot.Message) bot.Reply { return bot.Reply{Text: "您的记录：HD-0001"} }

	webhookURL := r.fake.WebhookURL("corp-key") + "&scope=corp"
	if got := r.post(robotCallback("M1", "wrkSINGLE-zhangsan", "single", webhookURL, "我的记录"), bot.FormatXML); got != "" {
		t.Fatalf("over budget: passive reply %q, want 200 empty", got)
	}
	close(r.release)
	msgs := r.deliver()
	if len(msgs) != 1 {
		t.Fatalf("%d pushes, want 1: %+v", len(msgs), msgs)
	}
	m := msgs[0]
	if m.Content() != "您的记录：HD-0001" || m.To != "wrkSINGLE-zhangsan" || strings.Join(m.Chats, "|") != "wrkSINGLE-zhangsan" {
		t.Fatalf("late answer: content %q chatid %q reached %v; want the 1:1 chat only", m.Content(), m.To, m.Chats)
	}
	if m.Query != "key=corp-key&scope=corp" {
		t.Fatalf("late answer posted with query %q, want the WebhookUrl's whole query", m.Query)
	}

	// A push to a group's own key (a reminder) names no chat.
	if err := r.st.Update(context.Background(), func(tx store.Tx) error {
		if err := store.LearnWebhookKey(tx, "wrkGROUP9", "own-key"); err != nil {
			return err
		}
		return outbox.GroupText(tx, "remind:1", "test", "wrkGROUP9", "提醒", nil)
	}); err != nil {
		t.Fatal(err)
	}
	r.fake.RegisterWebhookKey("own-key", "wrkGROUP9")
	r.committed <- struct{}{}
	msgs = r.deliver()
	if len(msgs) != 1 || msgs[0].To != "" || msgs[0].ChatID != "wrkGROUP9" {
		t.Fatalf("reminder: %+v, want one push without chatid to its own group", msgs)
	}
}

// joined checks that msgs are parts within limit whose concatenation is
// want, and returns the chats they reached.
func joined(t *testing.T, msgs []fakewecom.Recorded, limit int, want string) {
	t.Helper()
	if len(msgs) < 2 {
		t.Fatalf("%d pushes, want the answer split in several", len(msgs))
	}
	var all strings.Builder
	for _, m := range msgs {
		if len(m.Content()) > limit {
			t.Fatalf("part of %d bytes, limit %d", len(m.Content()), limit)
		}
		all.WriteString(m.Content())
	}
	if all.String() != want {
		t.Fatalf("parts join to %d bytes, want the %d-byte answer", all.Len(), len(want))
	}
}

// An answer above the channel's passive limit is pushed and split instead
// of being cut off or refused by WeCom.
func TestOverlongPassiveReplyPushedAndSplit(t *testing.T) {
	long := func(n int) string { // n bytes or a little less of valid UTF-8, in numbered lines
		var b strings.Builder
		for i := 1; b.Len() < n; i++ {
			b.WriteString(strconv.Itoa(i) + strings.Repeat("记录", 50) + "\n")
		}
		return strings.ToValidUTF8(b.String()[:n], "")
	}
	t.Run("robot markdown", func(t *testing.T) {
		r := newReplyRig(t, bot.ChannelRobot, "", time.Second)
		r.fake.RegisterWebhookKey("k1", "wrkG1")
		text := long(9000)
		r.answer = func(*bot.Message) bot.Reply { return bot.Reply{Text: text, Markdown: true} }
		if got := r.post(robotCallback("M1", "wrkG1", "group", r.fake.WebhookURL("k1"), "进度"), bot.FormatXML); got != "" {
			t.Fatalf("passive reply of %d bytes, want none (pushed)", len(got))
		}
		msgs := r.deliver()
		joined(t, msgs, wecom.MaxWebhookMarkdownBytes, text)
		for _, m := range msgs {
			if m.MsgType != "markdown" || m.To != "wrkG1" {
				t.Fatalf("part %s to %q, want markdown naming the callback's chat", m.MsgType, m.To)
			}
		}
	})
	t.Run("app text", func(t *testing.T) {
		r := newReplyRig(t, bot.ChannelApp, "ww_corp", time.Second)
		text := long(5000)
		r.answer = func(*bot.Message) bot.Reply { return bot.Reply{Text: text} }
		pt := `<xml><ToUserName><![CDATA[ww_corp]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>` +
			`<CreateTime>1698829200</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[我的记录]]></Content>` +
			`<MsgId>77</MsgId><AgentID>1000002</AgentID></xml>`
		if got := r.post([]byte(pt), bot.FormatXML); got != "" {
			t.Fatalf("passive reply of %d bytes, want none (pushed)", len(got))
		}
		msgs := r.deliver()
		joined(t, msgs, wecom.MaxAppTextBytes, text)
		for _, m := range msgs {
			if m.API != "message/send" || m.ToUser != "zhangsan" {
				t.Fatalf("part via %s to %q, want message/send to the user", m.API, m.ToUser)
			}
		}
	})
	t.Run("intelligent robot stream", func(t *testing.T) {
		r := newReplyRig(t, bot.ChannelAibot, "", time.Second)
		text := long(30000)
		r.answer = func(*bot.Message) bot.Reply { return bot.Reply{Text: text, Markdown: true} }
		pt := `{"msgid":"A1","aibotid":"bot1","chattype":"single","from":{"userid":"zhangsan"},` +
			`"response_url":"` + r.fake.MintResponseURL("zhangsan") + `","msgtype":"text","text":{"content":"我的记录"}}`
		got := r.post([]byte(pt), bot.FormatJSON)
		var passive struct {
			Stream struct {
				Content string `json:"content"`
				Finish  bool   `json:"finish"`
			} `json:"stream"`
		}
		if err := json.Unmarshal([]byte(got), &passive); err != nil || !passive.Stream.Finish {
			t.Fatalf("passive reply %.200q: %v", got, err)
		}
		if n := len(passive.Stream.Content); n == 0 || n > wecom.MaxAIBotMarkdownBytes {
			t.Fatalf("passive stream content of %d bytes, want 1..%d", n, wecom.MaxAIBotMarkdownBytes)
		}
		msgs := r.deliver()
		if len(msgs) != 1 || msgs[0].API != "aibot/response" {
			t.Fatalf("pushes %+v, want the rest on the response_url", msgs)
		}
		var rest struct {
			Markdown struct {
				Content string `json:"content"`
			} `json:"markdown"`
		}
		_ = json.Unmarshal(msgs[0].Body, &rest)
		if passive.Stream.Content+rest.Markdown.Content != text {
			t.Fatalf("stream (%d B) and response_url (%d B) do not make the %d-byte answer",
				len(passive.Stream.Content), len(rest.Markdown.Content), len(text))
		}
	})
}
