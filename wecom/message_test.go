package wecom_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

func TestSendMessageRecipients(t *testing.T) {
	e := newEnv(t)
	ctx := ctxT(t)
	res, err := e.client.SendText(ctx, wecom.Recipients{Users: []string{"zhangsan", "ghost", "lisi", "nobody"}}, "请确认", 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.MsgID == "" || res.ResponseCode != "" {
		t.Errorf("result %+v: want a msgid and no response_code", res)
	}
	if diff := cmp.Diff([]string{"ghost", "nobody"}, res.InvalidUsers); diff != "" {
		t.Errorf("invalid users (-want +got):\n%s", diff)
	}
	msgs := e.srv.Messages()
	if len(msgs) != 1 || msgs[0].ToUser != "zhangsan|ghost|lisi|nobody" || msgs[0].Content() != "请确认" {
		t.Fatalf("recorded %+v", msgs)
	}
	var wire map[string]any
	if err := json.Unmarshal(msgs[0].Body, &wire); err != nil {
		t.Fatal(err)
	}
	if wire["agentid"] != float64(fakewecom.DefaultAgentID) {
		t.Errorf("agentid = %v (%T), want a number", wire["agentid"], wire["agentid"])
	}

	_, err = e.client.SendText(ctx, wecom.Recipients{Users: []string{"ghost"}}, "无人接收", 0)
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != wecom.CodeAllRecipientsInvalid {
		t.Fatalf("all invalid: %v, want 81013", err)
	}
	if !wecom.Permanent(err) || wecom.Reason(err) != "接收人全部无效" {
		t.Errorf("81013: permanent %v, reason %q", wecom.Permanent(err), wecom.Reason(err))
	}
	if _, err := e.client.SendText(ctx, wecom.Recipients{}, "x", 0); !errors.Is(err, wecom.ErrInvalidArgument) {
		t.Errorf("no recipients: %v", err)
	}
}

func TestSendMessageKindsAndLimits(t *testing.T) {
	e := newEnv(t)
	ctx := ctxT(t)
	if _, err := e.client.SendMarkdown(ctx, users, "**重要**：11月9日消防演练", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.SendTextCard(ctx, users, wecom.TextCard{Title: "演练通知", Description: "请准时参加", URL: "https://example.com"}, 0); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.SendMarkdown(ctx, users, strings.Repeat("消", 683), 0)
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != wecom.CodeContentTooLarge {
		t.Fatalf("2049 B markdown: %v, want 45002", err)
	}
	if _, err := e.client.SendMessage(ctx, wecom.AppMessage{To: users, MsgType: "webhook"}); !errors.As(err, &ae) || ae.Code != wecom.CodeInvalidMsgType {
		t.Errorf("bad msgtype: %v", err)
	}
	// Split first, then every part fits.
	long := strings.Repeat("一二三四五六七八九十\n", 100) // 3100 B
	for _, part := range wecom.SplitText(long, wecom.MaxAppMarkdownBytes) {
		if _, err := e.client.SendMarkdown(ctx, users, part, 0); err != nil {
			t.Fatalf("part: %v", err)
		}
	}
}

func TestSendMessageRecipientRateLimit(t *testing.T) {
	e := newEnv(t)
	ctx := ctxT(t)
	for i := range 30 {
		if _, err := e.client.SendText(ctx, users, "提醒"+strings.Repeat("!", i), 0); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	_, err := e.client.SendText(ctx, users, "第31条", 0)
	if !wecom.Retryable(err) || wecom.RetryAfter(err) < time.Minute {
		t.Fatalf("31st to one member: %v, want retryable 45009", err)
	}
	if _, err := e.client.SendText(ctx, wecom.Recipients{Users: []string{"lisi"}}, "别人", 0); err != nil {
		t.Errorf("another member: %v", err)
	}
	e.clk.Advance(time.Minute)
	if _, err := e.client.SendText(ctx, users, "一分钟后", 0); err != nil {
		t.Errorf("after a minute: %v", err)
	}
}

func TestDuplicateCheck(t *testing.T) {
	e := newEnv(t)
	ctx := ctxT(t)
	first, err := e.client.SendText(ctx, users, "每日提醒", 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.client.SendText(ctx, users, "每日提醒", 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(e.srv.Messages()); got != 1 {
		t.Errorf("delivered %d, want 1 within the interval", got)
	}
	if again.MsgID != first.MsgID {
		t.Errorf("duplicate msgid %q, want %q", again.MsgID, first.MsgID)
	}
	e.clk.Advance(31 * time.Minute)
	if _, err := e.client.SendText(ctx, users, "每日提醒", 30*time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := len(e.srv.Messages()); got != 2 {
		t.Errorf("delivered %d, want 2 after the interval", got)
	}
	var wire map[string]any
	_ = json.Unmarshal(e.srv.Messages()[0].Body, &wire)
	if wire["enable_duplicate_check"] != float64(1) || wire["duplicate_check_interval"] != float64(1800) {
		t.Errorf("wire: %v", wire)
	}
}

func TestTemplateCardUpdateSingleUse(t *testing.T) {
	e := newEnv(t)
	ctx := ctxT(t)
	for _, card := range []wecom.TemplateCard{
		{CardType: wecom.CardButtonInteraction, MainTitle: &wecom.CardTitle{Title: "是否参加演练？"}, TaskID: "task-1",
			ButtonList: []wecom.CardButton{{Text: "参加", Style: 1, Key: "yes"}, {Text: "不参加", Style: 2, Key: "no"}}},
		{CardType: wecom.CardVoteInteraction, MainTitle: &wecom.CardTitle{Title: "选择时间"}, TaskID: "task-2",
			Checkbox:     &wecom.CardCheckbox{QuestionKey: "q1", OptionList: []wecom.CardOption{{ID: "a", Text: "周一"}, {ID: "b", Text: "周二"}}},
			SubmitButton: &wecom.CardSubmitButton{Text: "提交", Key: "submit"}},
	} {
		t.Run(card.CardType, func(t *testing.T) {
			res, err := e.client.SendTemplateCard(ctx, users, card, 0)
			if err != nil {
				t.Fatal(err)
			}
			if res.ResponseCode == "" {
				t.Fatal("no response_code for an interactive card")
			}
			if err := e.client.UpdateTemplateCard(ctx, wecom.CardUpdate{ResponseCode: res.ResponseCode, ReplaceName: "已确认"}); err != nil {
				t.Fatalf("first update: %v", err)
			}
			err = e.client.UpdateTemplateCard(ctx, wecom.CardUpdate{ResponseCode: res.ResponseCode, ReplaceName: "再次"})
			var ae *wecom.APIError
			if !errors.As(err, &ae) || ae.Code != fakewecom.CodeInvalidCode || !wecom.Permanent(err) {
				t.Fatalf("reuse: %v, want a permanent APIError", err)
			}
		})
	}
	// A code from a click callback replaces the card.
	code := e.srv.MintCardResponseCode()
	newCard := &wecom.TemplateCard{CardType: wecom.CardTextNotice, MainTitle: &wecom.CardTitle{Title: "已结束"},
		CardAction: &wecom.CardAction{Type: 1, URL: "https://example.com"}}
	if err := e.client.UpdateTemplateCard(ctx, wecom.CardUpdate{ResponseCode: code, Card: newCard, UserIDs: []string{"zhangsan"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.client.UpdateTemplateCard(ctx, wecom.CardUpdate{ResponseCode: "x"}); !errors.Is(err, wecom.ErrInvalidArgument) {
		t.Errorf("neither button nor card: %v", err)
	}
	code = e.srv.MintCardResponseCode()
	e.clk.Advance(72 * time.Hour)
	if err := e.client.UpdateTemplateCard(ctx, wecom.CardUpdate{ResponseCode: code, ReplaceName: "过期"}); !wecom.Permanent(err) {
		t.Errorf("after 72 h: %v", err)
	}
}

func TestAppChat(t *testing.T) {
	e := newEnv(t)
	ctx := ctxT(t)
	id, err := e.client.CreateChat(ctx, wecom.AppChat{Name: "119宣传月工作群", Owner: "zhangsan", UserList: []string{"zhangsan", "lisi"}, ChatID: "fire119"})
	if err != nil || id != "fire119" {
		t.Fatalf("create: %q, %v", id, err)
	}
	got, err := e.client.GetChat(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := wecom.AppChat{ChatID: "fire119", Name: "119宣传月工作群", Owner: "zhangsan", UserList: []string{"zhangsan", "lisi"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("chat (-want +got):\n%s", diff)
	}
	if err := e.client.SendChatMarkdown(ctx, id, "**今日任务**"); err != nil {
		t.Fatal(err)
	}
	if err := e.client.SendChatText(ctx, id, "收到请回复"); err != nil {
		t.Fatal(err)
	}
	msgs := e.srv.Messages()
	if len(msgs) != 2 || msgs[0].ChatID != id || msgs[0].API != "appchat/send" || msgs[1].Content() != "收到请回复" {
		t.Errorf("recorded %+v", msgs)
	}
	if err := e.client.SendChatText(ctx, "nochat", "x"); err == nil {
		t.Error("unknown chat: want an error")
	}
	if _, err := e.client.GetChat(ctx, "nochat"); err == nil {
		t.Error("unknown chat: want an error")
	}
	if _, err := e.client.CreateChat(ctx, wecom.AppChat{UserList: []string{"zhangsan"}}); !errors.Is(err, wecom.ErrInvalidArgument) {
		t.Errorf("one member: %v", err)
	}
}

func TestMediaRoundTrip(t *testing.T) {
	e := newEnv(t)
	ctx := ctxT(t)
	data := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0x42}, 4000)...)
	m, err := e.client.UploadMedia(ctx, wecom.MediaImage, "海报 2023.png", data)
	if err != nil {
		t.Fatal(err)
	}
	if m.MediaID == "" || m.Type != wecom.MediaImage || !m.CreatedAt.Equal(t0) {
		t.Errorf("media = %+v", m)
	}
	f, err := e.client.GetMedia(ctx, m.MediaID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.Data, data) || f.Filename != "海报 2023.png" || f.ContentType != "image/png" {
		t.Errorf("got %d bytes, name %q, type %q", len(f.Data), f.Filename, f.ContentType)
	}

	e.srv.ExpireMedia(m.MediaID)
	_, err = e.client.GetMedia(ctx, m.MediaID)
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != wecom.CodeInvalidMediaID || ae.API != "media/get" || !wecom.MediaExpired(err) {
		t.Fatalf("expired: %v, want 40007", err)
	}
	// Three days later: the token has been refreshed too.
	m2, err := e.client.UploadMedia(ctx, wecom.MediaFile, "a.txt", []byte("campaign notes"))
	if err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(wecom.MediaTTL + time.Minute)
	if _, err := e.client.GetMedia(ctx, m2.MediaID); !wecom.MediaExpired(err) {
		t.Errorf("after 3 days: %v, want 40007", err)
	}
}

func TestAIBotRespondSingleUse(t *testing.T) {
	e := newEnv(t)
	ctx := ctxT(t)
	u := e.srv.MintResponseURL("wrAIBOTCHAT")
	if !strings.HasPrefix(u, fakewecom.DefaultPublicBaseURL) {
		t.Fatalf("response_url %q should carry WeCom's host", u)
	}
	// The public host is never contacted: path and query go to BaseURL.
	if err := e.client.AIBotMarkdownReply(ctx, u, "已登记：**确认 42**"); err != nil {
		t.Fatal(err)
	}
	msgs := e.srv.Messages()
	if len(msgs) != 1 || msgs[0].API != "aibot/response" || msgs[0].ChatID != "wrAIBOTCHAT" || msgs[0].Content() != "已登记：**确认 42**" {
		t.Fatalf("recorded %+v", msgs)
	}
	err := e.client.AIBotMarkdownReply(ctx, u, "第二次")
	var ae *wecom.APIError
	if !errors.As(err, &ae) || !wecom.Permanent(err) {
		t.Fatalf("second use: %v, want a permanent APIError", err)
	}
	if strings.Contains(err.Error(), "response_code=") {
		t.Errorf("error shows the code: %v", err)
	}

	late := e.srv.MintResponseURL("wrX")
	e.clk.Advance(time.Hour)
	if err := e.client.AIBotMarkdownReply(ctx, late, "太迟"); !wecom.Permanent(err) {
		t.Errorf("after 1 h: %v", err)
	}
	for _, bad := range []string{"", "::", "https://evil.example.com/steal?x=1", "https://qyapi.weixin.qq.com/cgi-bin/../x"} {
		if err := e.client.AIBotMarkdownReply(ctx, bad, "x"); !errors.Is(err, wecom.ErrInvalidArgument) {
			t.Errorf("response_url %q: %v, want ErrInvalidArgument", bad, err)
		}
	}
	if got := e.srv.CallCount("aibot/response"); got != 3 {
		t.Errorf("aibot/response calls = %d, want 3", got)
	}
}

func TestNoSecretsInLogs(t *testing.T) {
	e := newEnv(t)
	e.srv.RegisterWebhookKey("HOOK-KEY-XYZ", "wrG")
	ctx := ctxT(t)
	tok, err := e.client.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = e.client.SendText(ctx, users, "x", 0)
	_ = e.client.WebhookText(ctx, "HOOK-KEY-XYZ", "x", nil, nil)
	e.srv.InjectFault("webhook/send", 1, fakewecom.HTTPStatus(503))
	_ = e.client.WebhookText(ctx, "HOOK-KEY-XYZ", "x", nil, nil)
	e.srv.ExpireTokens()
	_, _ = e.client.SendText(ctx, users, "y", 0)
	logs := e.logs.String()
	if !strings.Contains(logs, "webhook/send") {
		t.Fatalf("expected debug logs, got %q", logs)
	}
	for _, secret := range []string{tok, e.srv.Secret(), "HOOK-KEY-XYZ"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain the secret %q", secret)
		}
	}
}
