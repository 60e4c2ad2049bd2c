package redact

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	Add("Tok3n-Very-Secret", "abc") // "abc" too short to register
	for in, want := range map[string]string{
		"无法连接 Redis redis://user:s3cretPW@10.0.0.5:6379/0：dial tcp": "无法连接 Redis redis://***@10.0.0.5:6379/0：dial tcp",
		"rediss://:pw@h:1": "rediss://***@h:1",
		"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=6cdf-22&debug=1": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***&debug=1",
		"gettoken?corpid=ww1&corpsecret=XYZ":                                   "gettoken?corpid=ww1&corpsecret=***",
		"token is Tok3n-Very-Secret.":                                          "token is ***.",
		"abc and http://example.com/a@b is a path":                             "abc and http://example.com/a@b is a path",
		"127.0.0.1:6379": "127.0.0.1:6379",
	} {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHandlerAndWriter(t *testing.T) {
	Add("Handler-Secret-42")
	var buf bytes.Buffer
	log := slog.New(Handler(slog.NewTextHandler(&buf, nil))).With("dsn", "redis://u:Handler-Secret-42@h:1")
	log.Error("failed Handler-Secret-42", "err", errors.New("dial redis://u:pw1234567@h:1"), slog.Group("g", "k", "Handler-Secret-42"), "list", []string{"Handler-Secret-42"})
	var w bytes.Buffer
	Writer(&w).Write([]byte("x Handler-Secret-42 y\n"))
	out := buf.String() + w.String()
	if strings.Contains(out, "Handler-Secret-42") || strings.Contains(out, "pw1234567") {
		t.Errorf("secret printed:\n%s", out)
	}
	if !strings.Contains(out, "x *** y") {
		t.Errorf("writer output %q", w.String())
	}
}
