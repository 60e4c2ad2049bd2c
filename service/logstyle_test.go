package service_test

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"firebot/clock"
	"firebot/sim"
)

// recorder is a slog handler that keeps every record of a run with the
// attributes bound by Logger.With, at every level.
type recorder struct {
	mu    *sync.Mutex
	recs  *[]logged
	attrs []slog.Attr
}

type logged struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

func newRecorder() *recorder { return &recorder{mu: &sync.Mutex{}, recs: &[]logged{}} }

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	l := logged{level: rec.Level, msg: rec.Message, attrs: map[string]string{}}
	for _, a := range r.attrs {
		l.attrs[a.Key] = a.Value.String()
	}
	rec.Attrs(func(a slog.Attr) bool {
		l.attrs[a.Key] = a.Value.String()
		return true
	})
	r.mu.Lock()
	*r.recs = append(*r.recs, l)
	r.mu.Unlock()
	return nil
}

func (r *recorder) WithAttrs(as []slog.Attr) slog.Handler {
	return &recorder{mu: r.mu, recs: r.recs, attrs: append(append([]slog.Attr{}, r.attrs...), as...)}
}

// WithGroup keeps the group's attributes flat: the check is about keys
// bound at the top, and firebot uses no groups.
func (r *recorder) WithGroup(string) slog.Handler { return r }

func (r *recorder) records() []logged {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]logged{}, *r.recs...)
}

// pkgPrefix matches the old "outbox: …" style of naming the part in the
// message instead of in the component attribute.
var pkgPrefix = regexp.MustCompile(`^[a-z][a-z_.]*: `)

// TestLogRecordsNameTheirComponent runs a short campaign day through the
// real conversation layer, scheduler, outbox and callback endpoints and
// checks every log record: it carries a component attribute, its message
// is English (no Chinese: operators grep one language) and does not repeat
// the part as a "pkg: " prefix. A new log call that forgets the component
// fails here.
func TestLogRecordsNameTheirComponent(t *testing.T) {
	ctx := context.Background()
	cfg := exampleConfig(t)
	rec := newRecorder()
	camp := clock.NewFake(time.Date(2023, 11, 20, 8, 0, 0, 0, cfg.Location))
	s, err := sim.New(ctx, sim.Options{Config: cfg, Dir: t.TempDir(), Real: clock.NewFake(time.Now()), Campaign: camp, Logger: slog.New(rec)})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"帮助", "进度", "我的记录", "不存在的命令"} {
		if _, err := s.Say(ctx, "chat_comm_xuetianwan", "zhangsan", text); err != nil {
			t.Fatal(err)
		}
	}
	// A forged callback is rejected (and logged by the endpoint).
	resp, err := http.Post("http://"+s.Service.Addr()+"/wecom/robot?msg_signature=x&timestamp=1&nonce=n", "text/xml", strings.NewReader("<xml/>"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := s.Advance(ctx, camp.Now().Add(36*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NewPushes(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	recs := rec.records()
	t.Logf("%d records", len(recs))
	components := map[string]int{}
	for _, r := range recs {
		c := r.attrs["component"]
		if c == "" {
			t.Errorf("no component: %s %q %v", r.level, r.msg, r.attrs)
		}
		components[c]++
		if strings.IndexFunc(r.msg, func(c rune) bool { return unicode.Is(unicode.Han, c) }) >= 0 {
			t.Errorf("message not in English: %q (component %s)", r.msg, c)
		}
		if pkgPrefix.MatchString(r.msg) {
			t.Errorf("message names its part as a prefix: %q (component %s)", r.msg, c)
		}
	}
	// The run must have reached the parts it claims to check.
	for _, want := range []string{"service", "handlers", "bot", "scheduler", "embedded", "wecom"} {
		if components[want] == 0 {
			t.Errorf("no record from %s; components seen: %v", want, components)
		}
	}
}
