package wecom_test

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"firebot/clock"
	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

var t0 = time.Date(2023, 11, 1, 9, 0, 0, 0, time.UTC)

// env is a fake WeCom server and a client pointed at it, sharing one fake
// real-clock.
type env struct {
	clk    *clock.Fake
	srv    *fakewecom.Server
	client *wecom.Client
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type envOpt func(*fakewecom.Options, *wecom.Options)

func withSecret(secret string) envOpt {
	return func(_ *fakewecom.Options, o *wecom.Options) { o.Secret = secret }
}

func newEnv(t *testing.T, opts ...envOpt) *env {
	t.Helper()
	clk := clock.NewFake(t0)
	fo := fakewecom.Options{Real: clk, Users: []string{"zhangsan", "lisi", "wangwu"}, TokenTTL: 2 * time.Hour}
	co := wecom.Options{Real: clk}
	for _, o := range opts {
		o(&fo, &co)
	}
	srv := fakewecom.New(fo)
	t.Cleanup(srv.Close)
	logs := &syncBuffer{}
	co.BaseURL = srv.URL()
	co.CorpID = srv.CorpID()
	co.AgentID = srv.AgentID()
	if co.Secret == "" {
		co.Secret = srv.Secret()
	}
	co.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return &env{clk: clk, srv: srv, client: wecom.New(co), logs: logs}
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var users = wecom.Recipients{Users: []string{"zhangsan"}}

type (
	fakewecomOptions = fakewecom.Options
	wecomOptions     = wecom.Options
)
