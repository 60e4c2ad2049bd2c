package driver_test

import (
	"context"
	"encoding/json"
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

func TestRobotRoundTrip(t *testing.T) {
	for _, jsonFmt := range []bool{false, true} {
		t.Run(map[bool]string{false: "xml", true: "json"}[jsonFmt], func(t *testing.T) {
			f, srv := newFakeBot(t, bot.ChannelRobot, "", nil)
			d := newDriver(t, srv, driver.Options{Channel: bot.ChannelRobot, JSON: jsonFmt, WebhookKey: "K9"})
			res, err := d.SendRobotText(context.Background(), "wrkC1", "group", "lisi", "李四", "@RemindBot 上报 演练")
			if err != nil {
				t.Fatal(err)
			}
			if res.Attempts != 1 || res.Status != 200 {
				t.Errorf("attempts %d status %d", res.Attempts, res.Status)
			}
			m := f.lastMessage()
			if m.Text != "上报 演练" || m.ChatID != "wrkC1" || m.SenderID != "lisi" || m.SenderName != "李四" || m.WebhookKey != "K9" {
				t.Errorf("bot saw %+v", m)
			}
			if res.ReplyTimestamp != res.Request.Timestamp || res.ReplyNonce != res.Request.Nonce {
				t.Errorf("reply signed with %s/%s, request %s/%s", res.ReplyTimestamp, res.ReplyNonce, res.Request.Timestamp, res.Request.Nonce)
			}
			want := `<xml><MsgType>text</MsgType><Text><Content><![CDATA[收到：上报 演练]]></Content></Text></xml>`
			if jsonFmt {
				want = `{"msgtype":"text","text":{"content":"收到：上报 演练"}}`
				if res.Request.Query.Get("robot_callback_format") != "json" {
					t.Error("JSON robot callback without robot_callback_format=json")
				}
			}
			if diff := cmp.Diff(want, string(res.Reply)); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRobotPayloadKinds(t *testing.T) {
	f, srv := newFakeBot(t, bot.ChannelRobot, "", func(f *fakeBot) {
		f.reply = func(*bot.Message) bot.Reply { return bot.NoReply }
	})
	d := newDriver(t, srv, driver.Options{Channel: bot.ChannelRobot})
	ctx := context.Background()
	tests := []struct {
		name  string
		send  func() (*driver.Result, error)
		check func(m *bot.Message) bool
	}{
		{"image", func() (*driver.Result, error) { return d.SendRobotImage(ctx, "c", "single", "u", "U", "https://img/1") },
			func(m *bot.Message) bool { return m.Kind == bot.KindImage && m.Images[0].URL == "https://img/1" }},
		{"mixed", func() (*driver.Result, error) {
			return d.SendRobotMixed(ctx, "c", "group", "u", "U", "@RemindBot 照片", "https://img/a", "https://img/b")
		}, func(m *bot.Message) bool { return m.Kind == bot.KindMixed && m.Text == "照片" && len(m.Images) == 2 }},
		{"event", func() (*driver.Result, error) {
			return d.SendRobotEvent(ctx, "c", "group", "u", "U", bot.EventAddToChat)
		},
			func(m *bot.Message) bool { return m.Kind == bot.KindEvent && m.Event == bot.EventAddToChat }},
		{"click", func() (*driver.Result, error) { return d.SendRobotClick(ctx, "c", "group", "u", "U", "cb1", "Y") },
			func(m *bot.Message) bool {
				return m.Kind == bot.KindClick && m.Click.CallbackID == "cb1" && m.Text == "Y"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.send()
			if err != nil {
				t.Fatal(err)
			}
			if res.Reply != nil {
				t.Errorf("empty 200 gave reply %q", res.Reply)
			}
			if m := f.lastMessage(); !tt.check(m) {
				t.Errorf("bot saw %+v", m)
			}
		})
	}
}

func TestAibot(t *testing.T) {
	f, srv := newFakeBot(t, bot.ChannelAibot, "", func(f *fakeBot) {
		f.renderer.NewID = func() string { return "s1" }
	})
	d := newDriver(t, srv, driver.Options{Channel: bot.ChannelAibot})
	ctx := context.Background()
	res, err := d.SendAibotText(ctx, "wrkG", "group", "wangwu", "@RobotA 统计")
	if err != nil {
		t.Fatal(err)
	}
	if m := f.lastMessage(); m.Text != "统计" || m.ChatID != "wrkG" || !strings.Contains(m.ResponseURL, "/cgi-bin/aibot/response?response_code=") {
		t.Errorf("bot saw %+v", m)
	}
	s, err := d.FollowStream(ctx, res, 3)
	if err != nil || !s.Finished || s.Refreshes != 0 || s.ID != "s1" || s.Content != "收到：统计" {
		t.Errorf("FollowStream = %+v, %v", s, err)
	}

	// Card events are sent once, without re-sends.
	f.mu.Lock()
	f.fail = len(f.posts) + 1
	f.mu.Unlock()
	res, err = d.SendAibotCardEvent(ctx, "", "single", "wangwu", "button_interaction", "T1", "Y", nil)
	if !errors.Is(err, driver.ErrNotDelivered) || res.Attempts != 1 {
		t.Errorf("card event: attempts %d, %v", res.Attempts, err)
	}
	res, err = d.SendAibotCardEvent(ctx, "", "single", "wangwu", "vote_interaction", "T2", "submit", map[string][]string{"q1": {"a", "b"}})
	if err != nil || res.Reply != nil {
		t.Fatalf("card event: %q %v", res.Reply, err)
	}
	if m := f.lastMessage(); m.Click == nil || m.Click.TaskID != "T2" || !cmp.Equal(m.Click.Selected, map[string][]string{"q1": {"a", "b"}}) {
		t.Errorf("bot saw %+v", m)
	}

	if _, err := d.SendAibotEvent(ctx, "", "single", "wangwu", bot.EventEnterChat); err != nil {
		t.Fatal(err)
	}
	if m := f.lastMessage(); m.Event != bot.EventEnterChat || m.CreateTime.IsZero() {
		t.Errorf("bot saw %+v", m)
	}
	if _, err := d.SendAibotImage(ctx, "wangwu", "https://ww/img"); err != nil {
		t.Fatal(err)
	}
	if m := f.lastMessage(); len(m.Images) != 1 || !m.Images[0].Encrypted {
		t.Errorf("bot saw %+v", m)
	}
	if _, err := d.SendAibotMixed(ctx, "", "single", "wangwu", "图", "https://ww/1"); err != nil {
		t.Fatal(err)
	}
	if m := f.lastMessage(); m.Kind != bot.KindMixed || len(m.Images) != 1 {
		t.Errorf("bot saw %+v", m)
	}
}

func TestApp(t *testing.T) {
	f, srv := newFakeBot(t, bot.ChannelApp, corpID, func(f *fakeBot) {
		f.renderer.Clock = clock.NewFake(time.Unix(1700000100, 0))
		f.reply = func(m *bot.Message) bot.Reply {
			if m.Click != nil {
				return bot.Reply{ReplaceButton: "已确认"}
			}
			return bot.Reply{Text: "你好"}
		}
	})
	d := newDriver(t, srv, driver.Options{Channel: bot.ChannelApp, ReceiveID: corpID, AgentID: "1000009",
		Clock: clock.NewFake(time.Now())})
	ctx := context.Background()
	res, err := d.SendAppText(ctx, "zhangsan", "hi")
	if err != nil {
		t.Fatal(err)
	}
	want := `<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[ww_corp]]></FromUserName><CreateTime>1700000100</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>`
	if diff := cmp.Diff(want, string(res.Reply)); diff != "" {
		t.Errorf("reply (-want +got):\n%s", diff)
	}
	env, err := bot.ParseEnvelope(res.Request.Body, bot.FormatXML)
	if err != nil || env.ToUserName != corpID || env.AgentID != "1000009" {
		t.Errorf("envelope %+v %v", env, err)
	}
	if m := f.lastMessage(); m.ToID != corpID || m.AgentID != "1000009" || m.MsgID == "" {
		t.Errorf("bot saw %+v", m)
	}

	res, err = d.SendAppCardEvent(ctx, "zhangsan", "button_interaction", "task-1", "Y", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Reply), "<MsgType><![CDATA[update_button]]></MsgType><Button><ReplaceName><![CDATA[已确认]]></ReplaceName></Button>") {
		t.Errorf("reply = %s", res.Reply)
	}
	if m := f.lastMessage(); m.Click == nil || m.Click.ResponseCode == "" || m.Click.TaskID != "task-1" || m.Text != "Y" {
		t.Errorf("bot saw %+v", m)
	}
	if _, err := d.SendAppEvent(ctx, "zhangsan", bot.EventEnterAgent, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SendAppImage(ctx, "zhangsan", "https://p/1", "MID"); err != nil {
		t.Fatal(err)
	}
	if m := f.lastMessage(); m.Kind != bot.KindImage || m.Images[0].MediaID != "MID" {
		t.Errorf("bot saw %+v", m)
	}
}

// TestFollowStream uses an endpoint that answers a message with an
// unfinished stream and finishes it on the finishAt-th refresh.
func TestFollowStream(t *testing.T) {
	for _, tt := range []struct {
		name       string
		finishAt   int
		max        int
		wantErr    error
		wantRefr   int
		wantFinish bool
	}{
		{"finishes on the second refresh", 2, 5, nil, 2, true},
		{"gives up", 10, 3, driver.ErrStreamUnfinished, 3, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			codec, _ := bot.NewCodec(token, aesKey, "", nil)
			var mu sync.Mutex
			refreshes := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				p, _ := bot.ParseParams(r.URL.RawQuery)
				body, _ := io.ReadAll(r.Body)
				plain, err := codec.Open(p, body, bot.FormatJSON)
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				m, err := bot.ParseAibot(plain, "")
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				content, finish := "思考中", false
				if m.Kind == bot.KindStream {
					if m.StreamID != "st" {
						http.Error(w, "unknown stream", http.StatusBadRequest)
						return
					}
					mu.Lock()
					refreshes++
					content, finish = strings.Repeat("进度", refreshes), refreshes >= tt.finishAt
					mu.Unlock()
				}
				out, _ := json.Marshal(map[string]any{"msgtype": "stream", "stream": map[string]any{"id": "st", "finish": finish, "content": content}})
				sealed, _ := codec.Seal(out, p.Timestamp, p.Nonce, bot.FormatJSON)
				w.Write(sealed)
			}))
			defer srv.Close()
			d := newDriver(t, srv, driver.Options{Channel: bot.ChannelAibot})
			res, err := d.SendAibotText(context.Background(), "", "single", "wangwu", "长任务")
			if err != nil {
				t.Fatal(err)
			}
			s, err := d.FollowStream(context.Background(), res, tt.max)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if s.Refreshes != tt.wantRefr || s.Finished != tt.wantFinish || s.ID != "st" {
				t.Errorf("stream = %+v", s)
			}
			if tt.wantFinish && s.Content != "进度进度" {
				t.Errorf("content = %q", s.Content)
			}
		})
	}
}
