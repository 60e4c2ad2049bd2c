package wecom_test

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

func TestWebhookRateLimit(t *testing.T) {
	e := newEnv(t)
	e.srv.RegisterWebhookKey("K", "wrG")
	ctx := ctxT(t)
	for i := range 20 {
		if err := e.client.WebhookText(ctx, "K", fmt.Sprintf("消息 %d", i), nil, nil); err != nil {
			t.Fatalf("push %d: %v", i+1, err)
		}
		e.clk.Advance(time.Second)
	}
	err := e.client.WebhookText(ctx, "K", "第 21 条", nil, nil)
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != wecom.CodeRateLimited {
		t.Fatalf("21st push: %v, want 45009", err)
	}
	if !wecom.Retryable(err) || ae.RetryAfter < time.Minute {
		t.Errorf("45009: retryable %v, retry after %v", wecom.Retryable(err), ae.RetryAfter)
	}
	// 20 s have passed; 41 s later the first push leaves the window.
	e.clk.Advance(41 * time.Second)
	if err := e.client.WebhookText(ctx, "K", "窗口之后", nil, nil); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// Another key has its own budget.
	e.srv.RegisterWebhookKey("K2", "wrG2")
	if err := e.client.WebhookText(ctx, "K2", "另一个机器人", nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := len(e.srv.Messages()); got != 22 {
		t.Errorf("recorded %d, want 22", got)
	}
}

func TestWebhookMessageKinds(t *testing.T) {
	e := newEnv(t)
	e.srv.RegisterWebhookKey("K", "wrGROUP")
	ctx := ctxT(t)
	img := []byte("\x89PNG\r\n\x1a\nfake image bytes")
	sum := md5.Sum(img)
	card := wecom.TemplateCard{
		CardType:   wecom.CardTextNotice,
		MainTitle:  &wecom.CardTitle{Title: "消防安全宣传月", Desc: "11月9日"},
		CardAction: &wecom.CardAction{Type: 1, URL: "https://example.com/119"},
	}
	media, err := e.client.WebhookUploadMedia(ctx, "K", wecom.MediaFile, "宣传册.pdf", []byte("%PDF-1.4 brochure"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		send func() error
		want string // JSON of the payload under msgtype
		kind string
	}{
		{"text", func() error {
			return e.client.WebhookText(ctx, "K", "请各位 @所有人 查看", []string{"zhangsan", "@all"}, []string{"13800000000"})
		}, `{"content":"请各位 @所有人 查看","mentioned_list":["zhangsan","@all"],"mentioned_mobile_list":["13800000000"]}`, "text"},
		{"markdown", func() error {
			return e.client.WebhookMarkdown(ctx, "K", `<font color="warning">注意</font> <@zhangsan>`)
		}, `{"content":"<font color=\"warning\">注意</font> <@zhangsan>"}`, "markdown"},
		{"image", func() error { return e.client.WebhookImage(ctx, "K", img) },
			fmt.Sprintf(`{"base64":%q,"md5":%q}`, base64.StdEncoding.EncodeToString(img), hex.EncodeToString(sum[:])), "image"},
		{"news", func() error {
			return e.client.WebhookNews(ctx, "K", []wecom.Article{{Title: "防火知识", URL: "https://example.com/a", PicURL: "https://example.com/p.png"}})
		}, `{"articles":[{"title":"防火知识","url":"https://example.com/a","picurl":"https://example.com/p.png"}]}`, "news"},
		{"file", func() error { return e.client.WebhookFile(ctx, "K", media.MediaID) },
			fmt.Sprintf(`{"media_id":%q}`, media.MediaID), "file"},
		{"template card", func() error { return e.client.WebhookTemplateCard(ctx, "K", card) },
			`{"card_type":"text_notice","main_title":{"title":"消防安全宣传月","desc":"11月9日"},"card_action":{"type":1,"url":"https://example.com/119"}}`, "template_card"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(e.srv.Messages())
			if err := tc.send(); err != nil {
				t.Fatal(err)
			}
			msgs := e.srv.Messages()
			if len(msgs) != before+1 {
				t.Fatalf("recorded %d, want %d", len(msgs), before+1)
			}
			m := msgs[len(msgs)-1]
			if m.API != "webhook/send" || m.Key != "K" || m.ChatID != "wrGROUP" || m.MsgType != tc.kind {
				t.Errorf("recorded %+v", m)
			}
			var body map[string]json.RawMessage
			if err := json.Unmarshal(m.Body, &body); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(body[tc.kind])); diff != "" {
				t.Errorf("payload (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWebhookContentRules(t *testing.T) {
	e := newEnv(t)
	e.srv.RegisterWebhookKey("K", "wrG")
	e.srv.RegisterWebhookKey("OTHER", "wrG2")
	ctx := ctxT(t)
	media, err := e.client.WebhookUploadMedia(ctx, "K", wecom.MediaFile, "a.txt", []byte("hello world"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
		code int
	}{
		{"text over 2048 B", e.client.WebhookText(ctx, "K", strings.Repeat("火", 683), nil, nil), 45002},
		{"markdown over 4096 B", e.client.WebhookMarkdown(ctx, "K", strings.Repeat("a", 4097)), 45002},
		{"empty text", e.client.WebhookText(ctx, "K", "", nil, nil), 44004},
		{"bad msgtype", e.client.WebhookSend(ctx, "K", wecom.WebhookMessage{MsgType: "video"}), 40008},
		{"other robot's media", e.client.WebhookFile(ctx, "OTHER", media.MediaID), 40007},
		{"nine articles", e.client.WebhookNews(ctx, "K", make([]wecom.Article, 9)), 40058},
		{"interactive card", e.client.WebhookTemplateCard(ctx, "K", wecom.TemplateCard{CardType: wecom.CardButtonInteraction}), 40058},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ae *wecom.APIError
			if !errors.As(tc.err, &ae) || ae.Code != tc.code {
				t.Fatalf("err = %v, want errcode %d", tc.err, tc.code)
			}
			if !wecom.Permanent(tc.err) {
				t.Error("want permanent")
			}
		})
	}
	if err := e.client.WebhookText(ctx, "K", strings.Repeat("火", 682), nil, nil); err != nil {
		t.Errorf("2046 B text: %v", err)
	}
	if err := e.client.WebhookSend(ctx, "", wecom.WebhookMessage{}); !errors.Is(err, wecom.ErrInvalidArgument) {
		t.Errorf("empty key: %v", err)
	}
}

func TestWebhookMediaExpires(t *testing.T) {
	e := newEnv(t)
	e.srv.RegisterWebhookKey("K", "wrG")
	ctx := ctxT(t)
	media, err := e.client.WebhookUploadMedia(ctx, "K", wecom.MediaFile, "防火.docx", []byte("document body"))
	if err != nil {
		t.Fatal(err)
	}
	if !media.CreatedAt.Equal(t0) || media.Type != wecom.MediaFile {
		t.Errorf("media = %+v", media)
	}
	e.clk.Advance(wecom.MediaTTL)
	err = e.client.WebhookFile(ctx, "K", media.MediaID)
	if !wecom.MediaExpired(err) {
		t.Fatalf("after 3 days: %v, want 40007", err)
	}
	if got, want := wecom.Reason(err), "文件已过期或无效，需要重新上传"; got != want {
		t.Errorf("Reason = %q", got)
	}
}

func TestWebhookUploadErrors(t *testing.T) {
	e := newEnv(t)
	e.srv.RegisterWebhookKey("K", "wrG")
	ctx := ctxT(t)
	if _, err := e.client.WebhookUploadMedia(ctx, "NOPE", wecom.MediaFile, "a.txt", []byte("hello world")); !wecom.Permanent(err) {
		t.Errorf("unknown key: %v", err)
	}
	var ae *wecom.APIError
	if _, err := e.client.WebhookUploadMedia(ctx, "K", wecom.MediaImage, "a.png", []byte("hello world")); !errors.As(err, &ae) || ae.Code != 40004 {
		t.Errorf("image via webhook: %v, want 40004", err)
	}
	if _, err := e.client.WebhookUploadMedia(ctx, "K", wecom.MediaFile, "a.txt", []byte("tiny")); !errors.As(err, &ae) || ae.Code != 40006 {
		t.Errorf("5-byte file: %v, want 40006", err)
	}
}

func TestWebhookChatInfoSingleUse(t *testing.T) {
	e := newEnv(t)
	ctx := ctxT(t)
	u := e.srv.MintChatInfoURL(fakewecom.ChatInfo{ChatID: "wrG", Name: "街道消防群",
		Members: []fakewecom.Member{{UserID: "zhangsan", Name: "张三"}}})
	if !strings.HasPrefix(u, "https://qyapi.weixin.qq.com/") {
		t.Fatalf("minted URL %q should carry the public host", u)
	}
	info, err := e.client.WebhookChatInfo(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	want := wecom.ChatInfo{ChatID: "wrG", Name: "街道消防群", ChatType: "group",
		Members: []wecom.ChatMember{{UserID: "zhangsan", Name: "张三"}}}
	if diff := cmp.Diff(want, info); diff != "" {
		t.Errorf("info (-want +got):\n%s", diff)
	}
	if _, err := e.client.WebhookChatInfo(ctx, u); !wecom.Permanent(err) {
		t.Errorf("second use: %v, want a permanent error", err)
	}
}

// A robot addressed by a callback's whole WebhookUrl query posts with that
// query; chatid goes in the body; a query without a key is refused before
// any call.
func TestWebhookSendWholeQueryAndChatID(t *testing.T) {
	e := newEnv(t)
	e.srv.RegisterWebhookKey("K", "wrG1")
	e.srv.AddWebhookChat("K", "wrS-u1", true)
	ctx := ctxT(t)
	if err := e.client.WebhookSend(ctx, "key=K&scope=corp", wecom.WebhookMessage{MsgType: wecom.MsgText,
		Text: &wecom.Text{Content: "答复"}, ChatID: "wrS-u1"}); err != nil {
		t.Fatal(err)
	}
	msgs := e.srv.Messages()
	if len(msgs) != 1 || msgs[0].Query != "key=K&scope=corp" || msgs[0].To != "wrS-u1" || msgs[0].ChatID != "wrS-u1" {
		t.Fatalf("recorded %+v, want the whole query and chatid wrS-u1", msgs)
	}
	err := e.client.WebhookSend(ctx, "scope=corp", wecom.WebhookMessage{MsgType: wecom.MsgText, Text: &wecom.Text{Content: "x"}})
	if !errors.Is(err, wecom.ErrInvalidArgument) || e.srv.CallCount("webhook/send") != 1 {
		t.Fatalf("query without key: %v after %d calls", err, e.srv.CallCount("webhook/send"))
	}
}
