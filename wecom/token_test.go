package wecom_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"firebot/wecom"
)

func TestTokenCachedAcrossCalls(t *testing.T) {
	e := newEnv(t)
	ctx := ctxT(t)
	for i := range 5 {
		if _, err := e.client.SendText(ctx, users, "第"+string(rune('1'+i))+"条", 0); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if got := e.srv.CallCount("gettoken"); got != 1 {
		t.Errorf("gettoken calls = %d, want 1", got)
	}
}

func TestTokenRejectedMidRun(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reject func(*env)
	}{
		{"expired 42001", func(e *env) { e.srv.ExpireTokens() }},
		{"revoked 40014", func(e *env) { e.srv.RevokeToken() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := ctxT(t)
			if _, err := e.client.SendText(ctx, users, "一", 0); err != nil {
				t.Fatal(err)
			}
			tc.reject(e)
			if _, err := e.client.SendText(ctx, users, "二", 0); err != nil {
				t.Fatalf("send after the token was rejected: %v", err)
			}
			if got := e.srv.CallCount("gettoken"); got != 2 {
				t.Errorf("gettoken calls = %d, want 2", got)
			}
			if got := e.srv.CallCount("message/send"); got != 3 {
				t.Errorf("message/send calls = %d, want 3 (ok, rejected, retried)", got)
			}
			if got := len(e.srv.Messages()); got != 2 {
				t.Errorf("delivered %d messages, want 2", got)
			}
		})
	}
}

func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	e := newEnv(t) // fake TTL 2 h → refresh 5 min early
	ctx := ctxT(t)
	if _, err := e.client.AccessToken(ctx); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(2*time.Hour - 6*time.Minute)
	if _, err := e.client.AccessToken(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.srv.CallCount("gettoken"); got != 1 {
		t.Fatalf("gettoken calls = %d before the margin, want 1", got)
	}
	e.clk.Advance(2 * time.Minute) // 4 min left
	if _, err := e.client.AccessToken(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.srv.CallCount("gettoken"); got != 2 {
		t.Fatalf("gettoken calls = %d inside the margin, want 2", got)
	}
}

func TestBadSecretNotHammered(t *testing.T) {
	e := newEnv(t, withSecret("wrong-secret"))
	ctx := ctxT(t)
	for i := range 5 {
		_, err := e.client.SendText(ctx, users, "测试", 0)
		var ae *wecom.APIError
		if !errors.As(err, &ae) || ae.Code != wecom.CodeInvalidSecret {
			t.Fatalf("send %d: err = %v, want errcode 40001", i, err)
		}
		if !wecom.Permanent(err) || wecom.Retryable(err) || !wecom.CredentialError(err) {
			t.Errorf("send %d: 40001 must be permanent, not retryable", i)
		}
		if got, want := wecom.Reason(err), "企业微信应用密钥（Secret）错误"; got != want {
			t.Errorf("Reason = %q, want %q", got, want)
		}
		if i > 0 && !errors.Is(err, wecom.ErrCredentialCooldown) {
			t.Errorf("send %d: want ErrCredentialCooldown, got %v", i, err)
		}
	}
	if got := e.srv.CallCount("gettoken"); got != 1 {
		t.Errorf("gettoken calls during the pause = %d, want 1", got)
	}
	if got := e.srv.CallCount("message/send"); got != 0 {
		t.Errorf("message/send calls = %d, want 0", got)
	}
	if n := strings.Count(e.logs.String(), "refused the corpid/secret"); n != 1 {
		t.Errorf("credential error logged %d times, want 1", n)
	}
	if strings.Contains(e.logs.String(), "wrong-secret") {
		t.Error("the secret was logged")
	}

	e.clk.Advance(wecom.DefaultCredentialPause + time.Second)
	if _, err := e.client.SendText(ctx, users, "测试", 0); err == nil {
		t.Fatal("want an error after the pause too")
	}
	if got := e.srv.CallCount("gettoken"); got != 2 {
		t.Errorf("gettoken calls after the pause = %d, want 2", got)
	}
}

// gate blocks gettoken requests until released and counts them.
type gate struct {
	next    http.RoundTripper
	entered chan struct{}
	release chan struct{}
	calls   atomic.Int32
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/gettoken") {
		if g.calls.Add(1) == 1 {
			close(g.entered)
		}
		<-g.release
	}
	return g.next.RoundTrip(r)
}

func TestConcurrentCallersShareOneFetch(t *testing.T) {
	g := &gate{next: http.DefaultTransport, entered: make(chan struct{}), release: make(chan struct{})}
	e := newEnv(t, func(_ *fakewecomOptions, o *wecomOptions) { o.HTTPClient = &http.Client{Transport: g} })
	ctx := ctxT(t)
	const n = 16
	var wg sync.WaitGroup
	toks := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { toks[i], errs[i] = e.client.AccessToken(ctx) })
	}
	<-g.entered
	close(g.release)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || toks[i] != toks[0] {
			t.Fatalf("caller %d: token %q err %v; want %q", i, toks[i], errs[i], toks[0])
		}
	}
	if got := g.calls.Load(); got != 1 {
		t.Errorf("gettoken requests = %d, want 1", got)
	}
}

func TestCancelledFetchDoesNotPoisonLaterCallers(t *testing.T) {
	g := &gate{next: http.DefaultTransport, entered: make(chan struct{}), release: make(chan struct{})}
	e := newEnv(t, func(_ *fakewecomOptions, o *wecomOptions) { o.HTTPClient = &http.Client{Transport: g} })
	leaderCtx, cancelLeader := context.WithCancel(ctxT(t))
	leaderErr := make(chan error, 1)
	go func() {
		_, err := e.client.AccessToken(leaderCtx)
		leaderErr <- err
	}()
	<-g.entered
	cancelLeader()
	close(g.release) // later fetches pass straight through
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("leader: %v, want context.Canceled", err)
	}
	if tok, err := e.client.AccessToken(ctxT(t)); err != nil || tok == "" {
		t.Fatalf("next caller: %q, %v", tok, err)
	}
}

// failingCache fails every operation, like an unreachable Redis.
type failingCache struct{}

func (failingCache) Get(context.Context, string) (string, time.Time, error) {
	return "", time.Time{}, errors.New("cache down")
}
func (failingCache) Put(context.Context, string, string, time.Time) error {
	return errors.New("cache down")
}
func (failingCache) Delete(context.Context, string) error { return errors.New("cache down") }

func TestBrokenCacheDoesNotRefetchPerCall(t *testing.T) {
	e := newEnv(t, func(_ *fakewecomOptions, o *wecomOptions) { o.Tokens = failingCache{} })
	ctx := ctxT(t)
	for range 3 {
		if _, err := e.client.SendText(ctx, users, "内容", 0); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.srv.CallCount("gettoken"); got != 1 {
		t.Errorf("gettoken calls = %d, want 1", got)
	}
}
