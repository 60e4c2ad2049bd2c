package wecom_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

func TestFaultClassification(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fault     fakewecom.Fault
		retryable bool
		permanent bool
		code      int // 0: not an APIError
		status    int // 0: not an HTTPError
		reason    string
	}{
		{"system busy", fakewecom.SystemBusy(), true, false, -1, 0, "企业微信系统繁忙"},
		{"rate limited", fakewecom.Errcode(45009), true, false, 45009, 0, "发送太频繁，已排队稍后重试"},
		{"concurrency", fakewecom.Errcode(45033), true, false, 45033, 0, "同时发送的请求太多，稍后重试"},
		{"HTTP 500", fakewecom.HTTPStatus(500), true, false, 0, 500, "企业微信服务器出错（HTTP 500），稍后重试"},
		{"HTTP 502", fakewecom.HTTPStatus(http.StatusBadGateway), true, false, 0, 502, "企业微信服务器出错（HTTP 502），稍后重试"},
		{"malformed JSON", fakewecom.MalformedJSON(), true, false, 0, 0, "企业微信返回了无法识别的内容，稍后重试"},
		{"robot removed", fakewecom.Errcode(93000), false, true, 93000, 0, "机器人已被移出群聊或 webhook 地址已失效"},
		{"too large", fakewecom.Errcode(45002), false, true, 45002, 0, "消息内容太长，需要拆分后发送"},
		{"untrusted IP", fakewecom.Errcode(60020), false, true, 60020, 0, "服务器 IP 不在企业微信可信 IP 列表中"},
		{"no permission", fakewecom.Errcode(48002), false, true, 48002, 0, "企业微信应用没有调用该接口的权限"},
		{"HTTP 404", fakewecom.HTTPStatus(404), false, true, 0, 404, "企业微信拒绝了请求（HTTP 404）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.srv.RegisterWebhookKey("KEY-1", "wrGROUP")
			e.srv.InjectFault("webhook/send", 1, tc.fault)
			err := e.client.WebhookText(ctxT(t), "KEY-1", "你好", nil, nil)
			if err == nil {
				t.Fatal("want an error")
			}
			if got := wecom.Retryable(err); got != tc.retryable {
				t.Errorf("Retryable = %v, want %v (%v)", got, tc.retryable, err)
			}
			if got := wecom.Permanent(err); got != tc.permanent {
				t.Errorf("Permanent = %v, want %v (%v)", got, tc.permanent, err)
			}
			if got := wecom.Reason(err); got != tc.reason {
				t.Errorf("Reason = %q, want %q", got, tc.reason)
			}
			var ae *wecom.APIError
			if gotAPI := errors.As(err, &ae); gotAPI != (tc.code != 0) || gotAPI && (ae.Code != tc.code || ae.API != "webhook/send") {
				t.Errorf("APIError = %+v (found %v), want code %d", ae, gotAPI, tc.code)
			}
			var he *wecom.HTTPError
			if gotHTTP := errors.As(err, &he); gotHTTP != (tc.status != 0) || gotHTTP && he.Status != tc.status {
				t.Errorf("HTTPError = %+v (found %v), want status %d", he, gotHTTP, tc.status)
			}
			if tc.name == "malformed JSON" && !errors.Is(err, wecom.ErrMalformedResponse) {
				t.Errorf("want ErrMalformedResponse, got %v", err)
			}
			if tc.code == 45009 && wecom.RetryAfter(err) < time.Minute {
				t.Errorf("RetryAfter = %v, want ≥ 1m", wecom.RetryAfter(err))
			}
			if strings.Contains(err.Error(), "KEY-1") {
				t.Errorf("error shows the webhook key: %v", err)
			}
			// The fault was used up: the next push goes through.
			if err := e.client.WebhookText(ctxT(t), "KEY-1", "你好", nil, nil); err != nil {
				t.Errorf("after the fault: %v", err)
			}
		})
	}
}

func TestUnknownWebhookKeyIsPermanent(t *testing.T) {
	e := newEnv(t)
	err := e.client.WebhookMarkdown(ctxT(t), "NO-SUCH-KEY", "**通知**")
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != wecom.CodeWebhookInvalid || ae.Msg != "invalid webhook url" {
		t.Fatalf("err = %v, want 93000 invalid webhook url", err)
	}
	if !wecom.Permanent(err) || wecom.Retryable(err) {
		t.Error("93000 must be permanent and not retryable")
	}
	if got, want := wecom.Reason(err), "机器人已被移出群聊或 webhook 地址已失效"; got != want {
		t.Errorf("Reason = %q, want %q", got, want)
	}
	if strings.Contains(err.Error(), "NO-SUCH-KEY") || strings.Contains(e.logs.String(), "NO-SUCH-KEY") {
		t.Error("the webhook key leaked into the error or the logs")
	}
}

func TestTimeoutIsRetryable(t *testing.T) {
	e := newEnv(t)
	e.srv.RegisterWebhookKey("K", "wrG")
	e.srv.InjectFault("webhook/send", 1, fakewecom.Hang())
	ctx, cancel := context.WithTimeout(ctxT(t), 50*time.Millisecond)
	defer cancel()
	err := e.client.WebhookText(ctx, "K", "超时测试", nil, nil)
	var ne *wecom.NetError
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a timeout NetError", err)
	}
	if !wecom.Retryable(err) || wecom.Permanent(err) {
		t.Error("a timeout must be retryable")
	}
	if got, want := wecom.Reason(err), "连接企业微信超时，稍后重试"; got != want {
		t.Errorf("Reason = %q, want %q", got, want)
	}
}

func TestConnectionRefusedIsRetryable(t *testing.T) {
	e := newEnv(t)
	e.srv.Close()
	err := e.client.WebhookText(ctxT(t), "SECRET-KEY", "x", nil, nil)
	if !wecom.Retryable(err) {
		t.Fatalf("err = %v, want retryable", err)
	}
	if strings.Contains(err.Error(), "SECRET-KEY") {
		t.Errorf("error shows the key: %v", err)
	}
	if got, want := wecom.Reason(err), "无法连接企业微信服务器，稍后重试"; got != want {
		t.Errorf("Reason = %q, want %q", got, want)
	}
}

func TestCancelledIsNotRetryable(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := e.client.WebhookText(ctx, "K", "x", nil, nil)
	if !errors.Is(err, context.Canceled) || wecom.Retryable(err) {
		t.Fatalf("err = %v: want context.Canceled, not retryable", err)
	}
}

// Every code of the protocol notes' §7 has its own Chinese reason.
func TestReasonCoversSection7(t *testing.T) {
	codes := []int{-1, 40001, 40091, 40013, 40014, 42001, 41001, 45009, 45033, 45002,
		44004, 40008, 40058, 40007, 48002, 60020, 81013, 93000, 93004, 93006, 93008, 93005, 40057}
	seen := map[string]int{}
	for _, code := range codes {
		r := wecom.Reason(&wecom.APIError{Code: code, API: "x"})
		if r == "" || strings.Contains(r, "错误码") {
			t.Errorf("code %d: generic reason %q", code, r)
		}
		if prev, dup := seen[r]; dup {
			t.Errorf("codes %d and %d share the reason %q", prev, code, r)
		}
		seen[r] = code
	}
	if got := wecom.Reason(&wecom.APIError{Code: 12345}); got != "企业微信返回错误（错误码 12345）" {
		t.Errorf("unknown code: %q", got)
	}
	if got := wecom.Reason(nil); got != "" {
		t.Errorf("Reason(nil) = %q", got)
	}
}

func TestPermanentTable(t *testing.T) {
	for _, tc := range []struct {
		code      int
		permanent bool
		retryable bool
	}{
		{-1, false, true}, {45009, false, true}, {45033, false, true},
		{40014, false, false}, {42001, false, false},
		{40001, true, false}, {40013, true, false}, {40091, true, false},
		{40007, true, false}, {40008, true, false}, {40058, true, false},
		{41001, true, false}, {44004, true, false}, {45002, true, false},
		{48002, true, false}, {60020, true, false}, {81013, true, false},
		{93000, true, false}, {93004, true, false}, {93005, true, false},
		{93006, true, false}, {93008, true, false},
		{50001, false, false}, // unknown: neither
	} {
		err := error(&wecom.APIError{Code: tc.code, API: "message/send"})
		wrapped := errors.Join(errors.New("outbox: deliver"), err)
		for _, e := range []error{err, wrapped} {
			if got := wecom.Permanent(e); got != tc.permanent {
				t.Errorf("Permanent(%d) = %v, want %v", tc.code, got, tc.permanent)
			}
			if got := wecom.Retryable(e); got != tc.retryable {
				t.Errorf("Retryable(%d) = %v, want %v", tc.code, got, tc.retryable)
			}
		}
	}
	if !wecom.TokenError(&wecom.APIError{Code: 42001}) || !wecom.MediaExpired(&wecom.APIError{Code: 40007}) {
		t.Error("TokenError/MediaExpired")
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=REDACTED",
		"http://h/cgi-bin/gettoken?corpid=ww1&corpsecret=s3cr3t":   "http://h/cgi-bin/gettoken?corpid=ww1&corpsecret=REDACTED",
		"http://h/cgi-bin/media/get?access_token=T&media_id=M":     "http://h/cgi-bin/media/get?access_token=REDACTED&media_id=M",
		"http://h/cgi-bin/aibot/response?response_code=RC":         "http://h/cgi-bin/aibot/response?response_code=REDACTED",
		"http://h/cgi-bin/message/send":                            "http://h/cgi-bin/message/send",
		"http://user:pw@h/cgi-bin/webhook/get_chat_info?code=C":    "http://h/cgi-bin/webhook/get_chat_info?code=REDACTED",
		"::not a url": "REDACTED",
	} {
		if got := wecom.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
