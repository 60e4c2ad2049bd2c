package wecom

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"
)

// TokenCache stores access tokens so that they are fetched rarely (gettoken
// is rate-limited) and, with a shared implementation, once for all replicas.
//
// expiresAt is the instant after which the token must no longer be used; the
// client has already subtracted its safety margin, so an implementation can
// use it directly as a TTL. Get returns ErrTokenNotFound (or an empty token
// and a nil error) for a missing or expired key.
type TokenCache interface {
	Get(ctx context.Context, key string) (token string, expiresAt time.Time, err error)
	Put(ctx context.Context, key, token string, expiresAt time.Time) error
	Delete(ctx context.Context, key string) error
}

// MemoryTokenCache is a per-process TokenCache.
type MemoryTokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
}

type cachedToken struct {
	token     string
	expiresAt time.Time
}

// NewMemoryTokenCache returns an empty MemoryTokenCache.
func NewMemoryTokenCache() *MemoryTokenCache {
	return &MemoryTokenCache{m: make(map[string]cachedToken)}
}

// Get implements TokenCache. Expiry is left to the caller, which owns the
// clock.
func (m *MemoryTokenCache) Get(_ context.Context, key string) (string, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.m[key]
	if !ok {
		return "", time.Time{}, ErrTokenNotFound
	}
	return t.token, t.expiresAt, nil
}

// Put implements TokenCache.
func (m *MemoryTokenCache) Put(_ context.Context, key, token string, expiresAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[key] = cachedToken{token: token, expiresAt: expiresAt}
	return nil
}

// Delete implements TokenCache.
func (m *MemoryTokenCache) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, key)
	return nil
}

// tokenCall is one gettoken in flight; callers that need a token meanwhile
// wait for it instead of starting their own.
type tokenCall struct {
	done  chan struct{}
	token string
	err   error
}

// refreshMargin is how long before its expiry a token is replaced:
// 10 % of its lifetime, at most 5 minutes.
func refreshMargin(lifetime time.Duration) time.Duration {
	return min(lifetime/10, 5*time.Minute)
}

// AccessToken returns a valid access token, from the cache or from one
// gettoken call shared by all concurrent callers. After WeCom refused the
// corpid/secret it returns that error (wrapped with ErrCredentialCooldown)
// without calling gettoken until the pause (Options.CredentialPause) ends.
func (c *Client) AccessToken(ctx context.Context) (string, error) {
	for {
		if tok, ok := c.cachedToken(ctx); ok {
			return tok, nil
		}
		c.mu.Lock()
		now := c.real.Now()
		if now.Before(c.badUntil) {
			err, until := c.badErr, c.badUntil
			c.mu.Unlock()
			return "", fmt.Errorf("%w until %s: %w", ErrCredentialCooldown, until.Format(time.RFC3339), err)
		}
		if call := c.inflight; call != nil {
			c.mu.Unlock()
			select {
			case <-call.done:
			case <-ctx.Done():
				return "", &NetError{API: "gettoken", Err: ctx.Err()}
			}
			// The leader's context may have ended while ours has not:
			// try again rather than inherit its cancellation.
			if call.err != nil && isContextErr(call.err) && ctx.Err() == nil {
				continue
			}
			return call.token, call.err
		}
		call := &tokenCall{done: make(chan struct{})}
		c.inflight = call
		c.mu.Unlock()

		if tok, ok := c.cachedToken(ctx); ok { // another replica may have just put one
			call.token = tok
		} else {
			call.token, call.err = c.fetchToken(ctx)
		}

		c.mu.Lock()
		c.inflight = nil
		if CredentialError(call.err) {
			c.badUntil = c.real.Now().Add(c.pause)
			c.badErr = call.err
			code, _ := apiCode(call.err)
			c.log.Error("WeCom refused the corpid/secret; not calling gettoken again until the pause ends",
				"errcode", code, "corpid", c.corpID, "agentid", c.agentID, "pause", c.pause)
		}
		c.mu.Unlock()
		close(call.done)
		return call.token, call.err
	}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// cachedToken returns a cached token that is still usable. If the cache
// itself fails, the token this process fetched last is used so that a broken
// shared cache does not turn into a gettoken per call.
func (c *Client) cachedToken(ctx context.Context) (string, bool) {
	tok, exp, err := c.tokens.Get(ctx, c.tokenKey)
	if err != nil {
		if errors.Is(err, ErrTokenNotFound) {
			return "", false
		}
		c.log.Warn("token cache read failed; using this process's last token", "err", err)
		c.mu.Lock()
		tok, exp = c.lastToken, c.lastUntil
		c.mu.Unlock()
	}
	if tok == "" || !c.real.Now().Before(exp) {
		return "", false
	}
	return tok, true
}

// dropToken removes tok from the cache unless another token replaced it.
func (c *Client) dropToken(ctx context.Context, tok string) {
	c.mu.Lock()
	if c.lastToken == tok {
		c.lastToken, c.lastUntil = "", time.Time{}
	}
	c.mu.Unlock()
	cur, _, err := c.tokens.Get(ctx, c.tokenKey)
	if err != nil || cur != tok {
		return
	}
	if err := c.tokens.Delete(ctx, c.tokenKey); err != nil {
		c.log.Warn("token cache delete failed", "err", err)
	}
}

type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// fetchToken calls gettoken and caches the answer.
func (c *Client) fetchToken(ctx context.Context) (string, error) {
	if c.corpID == "" || c.secret == "" {
		return "", fmt.Errorf("%w: CorpID and Secret are required for access-token APIs", ErrInvalidArgument)
	}
	var a tokenAnswer
	q := url.Values{"corpid": {c.corpID}, "corpsecret": {c.secret}}
	if err := c.getJSON(ctx, "gettoken", q, &a); err != nil {
		return "", err
	}
	if a.AccessToken == "" {
		return "", &DecodeError{API: "gettoken", Err: errors.New("empty access_token")}
	}
	if a.ExpiresIn <= 0 {
		a.ExpiresIn = defaultTokenLifetimeSecs
	}
	lifetime := time.Duration(a.ExpiresIn) * time.Second
	useUntil := c.real.Now().Add(lifetime - refreshMargin(lifetime))
	c.mu.Lock()
	c.lastToken, c.lastUntil = a.AccessToken, useUntil
	c.mu.Unlock()
	if err := c.tokens.Put(ctx, c.tokenKey, a.AccessToken, useUntil); err != nil {
		c.log.Warn("token cache write failed", "err", err)
	}
	c.log.Info("fetched access token", "corpid", c.corpID, "agentid", c.agentID, "lifetime", lifetime)
	return a.AccessToken, nil
}
