package fakewecom

import (
	"time"
)

type tokenState struct {
	expiresAt time.Time
	revoked   bool // → 40014
	expired   bool // → 42001 before expiresAt (ExpireTokens)
}

func (t *tokenState) validAt(now time.Time) bool {
	return !t.revoked && !t.expired && now.Before(t.expiresAt)
}

// getToken: good corpid/secret → the current token while it is valid (as
// WeCom does), otherwise a new one; bad corpid → 40013, bad secret → 40001.
func (s *Server) getToken(c *call) answer {
	q := c.r.URL.Query()
	if q.Get("corpid") != s.opts.CorpID {
		return fail(40013, "invalid corpid")
	}
	if q.Get("corpsecret") != s.opts.Secret {
		return fail(40001, "invalid credential, access_token is invalid or not latest")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, found := s.tokens[s.current]; found && t.validAt(c.now) {
		return ok(map[string]any{"access_token": s.current, "expires_in": int64(t.expiresAt.Sub(c.now) / time.Second)})
	}
	tok := s.newIDLocked("fake-token-")
	s.tokens[tok] = &tokenState{expiresAt: c.now.Add(s.opts.TokenTTL)}
	s.current = tok
	return ok(map[string]any{"access_token": tok, "expires_in": int64(s.opts.TokenTTL / time.Second)})
}

// checkTokenLocked validates the access_token query parameter; it returns a
// failure answer and false if the call must stop.
func (s *Server) checkTokenLocked(c *call) (answer, bool) {
	tok := c.r.URL.Query().Get("access_token")
	if tok == "" {
		return fail(41001, "access_token missing"), false
	}
	t, found := s.tokens[tok]
	switch {
	case !found || t.revoked:
		return fail(40014, "invalid access_token"), false
	case t.expired || !c.now.Before(t.expiresAt):
		return fail(42001, "access_token expired"), false
	}
	return answer{}, true
}
