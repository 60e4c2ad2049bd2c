package service_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"firebot/bot"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/outbox"
	"firebot/service"
	"firebot/sim"
	"firebot/store"
	"firebot/store/embedded"
)

func exampleConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg := configtest.Example(t)
	return cfg
}

// echo answers every message with what it understood, so the protocol path
// is tested without the conversation layer.
var echo = bot.HandlerFunc(func(ctx context.Context, tx store.Tx, m *bot.Message) (bot.Reply, error) {
	switch m.Kind {
	case bot.KindEvent:
		return bot.Reply{Text: "事件：" + m.Event}, nil
	case bot.KindClick:
		return bot.Reply{Text: "点击：" + m.Text}, nil
	}
	return bot.Reply{Text: "收到：" + m.Text}, nil
})

func newSim(t *testing.T, cfg *config.Config, h bot.Handler) *sim.Sim {
	t.Helper()
	real := clock.NewFake(time.Now())
	s, err := sim.New(context.Background(), sim.Options{Config: cfg, Dir: t.TempDir(), Real: real, Handler: h})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestHealthAndReadiness(t *testing.T) {
	s := newSim(t, exampleConfig(t), echo)
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get("http://" + s.Service.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	resp, err := http.Get("http://" + s.Service.Addr() + "/admin/ping")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("admin API reachable on the callback listener: %d", resp.StatusCode)
	}
}

func TestEveryChannelEndToEnd(t *testing.T) {
	ctx := context.Background()
	s := newSim(t, exampleConfig(t), echo)
	for _, d := range []struct {
		name   string
		verify func() error
	}{
		{"robot", func() error { return s.Robot.Verify(ctx, "/wecom/robot") }},
		{"aibot", func() error { return s.Aibot.Verify(ctx, "/wecom/aibot") }},
		{"app", func() error { return s.App.Verify(ctx, "/wecom/app") }},
	} {
		if err := d.verify(); err != nil {
			t.Errorf("%s verification: %v", d.name, err)
		}
	}
	got, err := s.Say(ctx, "chat_comm_xuetianwan", "zhangsan", "帮助")
	if err != nil || got != "收到：帮助" {
		t.Errorf("robot text: %q %v", got, err)
	}
	res, err := s.Robot.SendRobotEvent(ctx, "chat_x", "group", "zhangsan", "张三", bot.EventAddToChat)
	if err != nil || sim.ReplyText(res.Reply) != "事件：add_to_chat" {
		t.Errorf("robot event: %v %q", err, res.Reply)
	}
	got, err = s.Click(ctx, "chat_x", "group", "zhangsan", "确认")
	if err != nil || got != "点击：确认" {
		t.Errorf("robot click: %q %v", got, err)
	}
	res, err = s.Aibot.SendAibotText(ctx, "chat_x", "group", "lisi", "@firebot 进度")
	if err != nil || sim.ReplyText(res.Reply) != "收到：进度" {
		t.Errorf("aibot text: %v %q", err, res.Reply)
	}
	res, err = s.App.SendAppText(ctx, "lisi", "截止")
	if err != nil || sim.ReplyText(res.Reply) != "收到：截止" {
		t.Errorf("app text: %v %q", err, res.Reply)
	}
	res, err = s.App.SendAppCardEvent(ctx, "lisi", "button_interaction", "task1", "yes", "RC1", nil)
	if err != nil || res.Status != 200 {
		t.Errorf("app card click: %v %+v", err, res)
	}
	// An app card click can only update the card passively; the text
	// answer goes out through message/send.
	pushes, err := s.NewPushes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(pushes) != 1 || pushes[0].API != "message/send" || !strings.Contains(pushes[0].Content(), "点击：yes") {
		t.Errorf("app click answer pushes: %+v", pushes)
	}
}

// A handler slower than the reply budget: the callback gets 200 empty and
// the answer goes to the webhook key learned from the callback.
func TestSlowAnswerPushedToLearnedWebhook(t *testing.T) {
	ctx := context.Background()
	cfg := exampleConfig(t)
	cfg.WeCom.ReplyBudget = 30 * time.Millisecond
	release := make(chan struct{})
	var once sync.Once
	slow := bot.HandlerFunc(func(ctx context.Context, tx store.Tx, m *bot.Message) (bot.Reply, error) {
		once.Do(func() { <-release })
		return bot.Reply{Text: "导出完成"}, nil
	})
	s := newSim(t, cfg, slow)
	s.AddGroup("chat_new")
	got, err := s.Say(ctx, "chat_new", "zhujun", "导出")
	if err != nil || got != "" {
		t.Fatalf("over budget: %q %v, want an empty 200", got, err)
	}
	close(release)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		pushes, err := s.NewPushes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(pushes) > 0 {
			if pushes[0].Key != sim.ChatKey("chat_new") || pushes[0].Content() != "导出完成" {
				t.Fatalf("pushed %+v", pushes[0])
			}
			return
		}
		select {
		case <-time.After(20 * time.Millisecond): // waiting for the handler goroutine, not for time to pass
		case <-ctx.Done():
		}
	}
	t.Fatal("the late answer was never pushed")
}

// The example's placeholder credentials against the real WeCom host: the
// service starts, says so, and holds pushes instead of failing them.
func TestPlaceholderCredentialsHoldPushes(t *testing.T) {
	cfg := exampleConfig(t)
	dir := t.TempDir()
	cfg.Store.Path = filepath.Join(dir, "f.db")
	cfg.Media.Dir = filepath.Join(dir, "media")
	var logs bytes.Buffer
	svc, err := service.New(context.Background(), cfg, service.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Store.Close()
	if !svc.Outbox.Held() || !strings.Contains(logs.String(), "the real WeCom is not called") {
		t.Fatalf("hold=%v logs:\n%s", svc.Outbox.Held(), logs.String())
	}
	err = svc.Store.Update(context.Background(), func(tx store.Tx) error {
		return outbox.GroupText(tx, "k", "test", "chat_office", "测试", nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := svc.Outbox.DeliverDue(context.Background()); n != 0 || err != nil {
		t.Fatalf("delivered %d (%v) with placeholder credentials", n, err)
	}
	// The same credentials pointed at a fake WeCom send normally.
	s := newSim(t, exampleConfig(t), echo)
	if s.Service.Outbox.Held() {
		t.Fatal("held pushes against a non-WeCom base URL")
	}
	err = s.Service.Store.Update(context.Background(), func(tx store.Tx) error {
		return outbox.GroupText(tx, "k", "test", "chat_office", "测试", nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	pushes, err := s.NewPushes(context.Background())
	if err != nil || len(pushes) != 1 || pushes[0].Content() != "测试" {
		t.Fatalf("pushes %+v %v", pushes, err)
	}
}

func TestRehearsalAndLiveStoresDoNotMix(t *testing.T) {
	cfg := exampleConfig(t)
	dir := t.TempDir()
	cfg.Store.Path = filepath.Join(dir, "f.db")
	cfg.Media.Dir = filepath.Join(dir, "media")
	start := time.Date(2023, 10, 25, 9, 0, 0, 0, cfg.Location)
	svc, err := service.New(context.Background(), cfg, service.Options{Now: &start, Speed: 60})
	if err != nil {
		t.Fatal(err)
	}
	svc.Store.Close()
	_, err = service.New(context.Background(), cfg, service.Options{})
	if err == nil || !strings.Contains(err.Error(), "演练") {
		t.Fatalf("live serve on a rehearsal store: %v", err)
	}
}

// pingless is a store whose backend stopped answering pings.
type pingless struct {
	store.Store
	down atomic.Bool
}

func (p *pingless) Ping(ctx context.Context) error {
	if p.down.Load() {
		return store.ErrUnavailable
	}
	return p.Store.Ping(ctx)
}

func TestReadyzFollowsTheStore(t *testing.T) {
	cfg := exampleConfig(t)
	es, err := embedded.Open(filepath.Join(t.TempDir(), "r.db"), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := &pingless{Store: es}
	s, err := sim.New(context.Background(), sim.Options{Config: cfg, Dir: t.TempDir(), Store: st, Handler: echo})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	status := func() int {
		resp, err := http.Get("http://" + s.Service.Addr() + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status(); got != 200 {
		t.Fatalf("store up: %d", got)
	}
	st.down.Store(true)
	if got := status(); got != 503 {
		t.Fatalf("store down: %d, want 503", got)
	}
}

// readOnly runs its units of work, once down is set, in a read-only view
// of the real store: every write fails there as it does on a full disk,
// while reads and pings still work.
type readOnly struct {
	store.Store
	down atomic.Bool
}

func (r *readOnly) Update(ctx context.Context, fn func(store.Tx) error) error {
	if r.down.Load() {
		return r.Store.View(ctx, fn)
	}
	return r.Store.Update(ctx, fn)
}

func TestReadyzOnAReadOnlyStore(t *testing.T) {
	cfg := exampleConfig(t)
	es, err := embedded.Open(filepath.Join(t.TempDir(), "r.db"), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := &readOnly{Store: es}
	s, err := sim.New(context.Background(), sim.Options{Config: cfg, Dir: t.TempDir(), Store: st, Handler: echo})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	status := func() int {
		resp, err := http.Get("http://" + s.Service.Addr() + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status(); got != 200 {
		t.Fatalf("store writable: %d", got)
	}
	st.down.Store(true)
	if err := st.Ping(context.Background()); err != nil {
		t.Fatalf("the read-only store should still answer pings: %v", err)
	}
	if got := status(); got != 503 {
		t.Fatalf("store read-only: %d, want 503", got)
	}
	st.down.Store(false)
	if got := status(); got != 200 {
		t.Fatalf("store writable again: %d", got)
	}
}
