package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"firebot/clock"
	"firebot/logs"
)

// DefaultBaseURL is WeCom's API host.
const DefaultBaseURL = "https://qyapi.weixin.qq.com"

// Default limits.
const (
	DefaultHTTPTimeout       = 30 * time.Second
	DefaultCredentialPause   = 10 * time.Minute
	maxJSONBody              = 1 << 20  // an API answer is a few hundred bytes
	maxMediaBody             = 32 << 20 // media/get: files are ≤20 MB
	redacted                 = "REDACTED"
	defaultTokenLifetimeSecs = 7200
)

// Options configure a Client. Only CorpID/Secret (for access-token APIs) are
// required; webhook and aibot/response calls need neither.
type Options struct {
	// BaseURL receives every call, webhook pushes and aibot responses
	// included (default DefaultBaseURL). A path prefix is kept
	// ("http://proxy/wecom" → "http://proxy/wecom/cgi-bin/...").
	BaseURL string
	CorpID  string
	AgentID int64
	Secret  string
	// HTTPClient defaults to a client with a 30 s overall timeout.
	HTTPClient *http.Client
	// Real is the real clock: token expiry and the credential cool-down.
	Real clock.Clock
	// Tokens caches access tokens (default: in memory, per process). A
	// shared cache lets replicas share one token.
	Tokens TokenCache
	// TokenKey names this app's token in Tokens (default "CorpID/AgentID").
	TokenKey string
	// CredentialPause is how long gettoken is not called again after WeCom
	// refused the corpid/secret (default 10 min): repeated bad secrets get
	// the server's IP banned.
	CredentialPause time.Duration
	Logger          *slog.Logger
	// Metrics, if set, receives firebot_wecom_calls_total{api,errcode}
	// (CallsMetric); nil exports nothing.
	Metrics prometheus.Registerer
}

// Client calls WeCom's server API. It is safe for concurrent use.
type Client struct {
	base     string
	corpID   string
	agentID  int64
	secret   string
	hc       *http.Client
	real     clock.Clock
	tokens   TokenCache
	tokenKey string
	pause    time.Duration
	log      *slog.Logger
	metrics  *callMetrics

	mu       sync.Mutex
	inflight *tokenCall // the gettoken call in progress, if any
	badUntil time.Time  // no gettoken before this (real clock)
	badErr   error      // the credential error that started the pause
	// lastToken is the token this process fetched last, used only while
	// the token cache is failing.
	lastToken string
	lastUntil time.Time
}

// New returns a Client.
func New(opts Options) *Client {
	c := &Client{
		base:     strings.TrimRight(opts.BaseURL, "/"),
		corpID:   opts.CorpID,
		agentID:  opts.AgentID,
		secret:   opts.Secret,
		hc:       opts.HTTPClient,
		real:     opts.Real,
		tokens:   opts.Tokens,
		tokenKey: opts.TokenKey,
		pause:    opts.CredentialPause,
		log:      opts.Logger,
	}
	if c.base == "" {
		c.base = DefaultBaseURL
	}
	if c.hc == nil {
		c.hc = defaultHTTPClient()
	}
	c.real = clock.OrReal(c.real)
	if c.tokens == nil {
		c.tokens = NewMemoryTokenCache()
	}
	if c.tokenKey == "" {
		c.tokenKey = fmt.Sprintf("%s/%d", opts.CorpID, opts.AgentID)
	}
	if c.pause <= 0 {
		c.pause = DefaultCredentialPause
	}
	c.log = logs.For(c.log, "wecom")
	c.metrics = newCallMetrics(opts.Metrics, c.log)
	return c
}

func defaultHTTPClient() *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 20 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Timeout: DefaultHTTPTimeout, Transport: tr}
}

// AgentID returns the application's agent id.
func (c *Client) AgentID() int64 { return c.agentID }

// endpoint builds BaseURL + "/cgi-bin/" + api + "?" + q.
func (c *Client) endpoint(api string, q url.Values) string {
	u := c.base + "/cgi-bin/" + api
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// secretParams are query parameters never shown in logs or errors.
var secretParams = []string{"access_token", "key", "corpsecret", "response_code", "code"}

// RedactURL returns raw with secret query values (access_token, key,
// corpsecret, response_code, code) replaced by REDACTED. Unparsable input
// is replaced entirely.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return redacted
	}
	q := u.Query()
	changed := false
	for _, p := range secretParams {
		if q.Has(p) {
			q.Set(p, redacted)
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	u.User = nil
	return u.String()
}

// response is the envelope every WeCom JSON answer shares.
type response struct {
	ErrCode *int   `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// getJSON GETs api and decodes the answer into out (may be nil).
func (c *Client) getJSON(ctx context.Context, api string, q url.Values, out any) error {
	return c.getRaw(ctx, api, c.endpoint(api, q), out)
}

func (c *Client) getRaw(ctx context.Context, api, target string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return buildErr(api, err)
	}
	return c.doJSON(api, req, out)
}

// buildErr reports a request that could not be built (a bad BaseURL or
// response_url) without echoing the URL, which may hold a secret.
func buildErr(api string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("wecom: %s: build request: %w", api, errors.Join(ErrInvalidArgument, err))
}

// postJSON POSTs in as JSON to api and decodes the answer into out.
func (c *Client) postJSON(ctx context.Context, api string, q url.Values, in, out any) error {
	return c.postJSONTo(ctx, api, c.endpoint(api, q), in, out)
}

func (c *Client) postJSONTo(ctx context.Context, api, target string, in, out any) error {
	// Markdown is full of <font> and <@userid>: keep them as they are
	// rather than \u003c escapes.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(in); err != nil {
		return fmt.Errorf("wecom: %s: encode request: %w", api, err)
	}
	return c.postRaw(ctx, api, target, "application/json; charset=utf-8", bytes.TrimSuffix(buf.Bytes(), []byte("\n")), out)
}

func (c *Client) postRaw(ctx context.Context, api, target, contentType string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return buildErr(api, err)
	}
	req.Header.Set("Content-Type", contentType)
	return c.doJSON(api, req, out)
}

// send performs req and returns the response with a status check done.
// The caller closes the body. Only exchange calls it.
func (c *Client) send(api string, req *http.Request) (*http.Response, error) {
	start := c.real.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		// *url.Error prints the URL, which may carry a token or a key:
		// keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		c.log.Debug("call failed", "api", api, "url", RedactURL(req.URL.String()), "err", err)
		return nil, &NetError{API: api, Err: err}
	}
	c.log.Debug("call", "api", api, "url", RedactURL(req.URL.String()),
		"status", resp.StatusCode, "took", c.real.Now().Sub(start))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxJSONBody))
		resp.Body.Close()
		return nil, &HTTPError{Status: resp.StatusCode, API: api}
	}
	return resp, nil
}

// exchange is every outbound call's path: it performs req, hands a 2xx
// answer to read (which returns the call's error, errcode included) and
// counts the outcome by api and errcode.
func (c *Client) exchange(api string, req *http.Request, read func(*http.Response) error) (err error) {
	start := c.real.Now()
	defer func() { c.metrics.observe(api, err, c.real.Now().Sub(start).Seconds()) }()
	resp, err := c.send(api, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return read(resp)
}

func (c *Client) doJSON(api string, req *http.Request, out any) error {
	return c.exchange(api, req, func(resp *http.Response) error {
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONBody))
		if err != nil {
			return &NetError{API: api, Err: err}
		}
		return decodeAnswer(api, body, out)
	})
}

// decodeAnswer checks errcode and decodes body into out.
func decodeAnswer(api string, body []byte, out any) error {
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		return &DecodeError{API: api, Err: err}
	}
	if r.ErrCode == nil {
		return &DecodeError{API: api, Err: errors.New("no errcode in answer")}
	}
	if *r.ErrCode != CodeOK {
		return newAPIError(api, *r.ErrCode, r.ErrMsg)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return &DecodeError{API: api, Err: err}
		}
	}
	return nil
}

// withToken runs call with an access token. If WeCom rejects the token
// (40014/42001) it is dropped, a new one fetched and call retried once.
func (c *Client) withToken(ctx context.Context, call func(token string) error) error {
	tok, err := c.AccessToken(ctx)
	if err != nil {
		return err
	}
	err = call(tok)
	if !TokenError(err) {
		return err
	}
	code, _ := apiCode(err)
	c.log.Info("access token rejected; fetching a new one", "errcode", code)
	c.dropToken(ctx, tok)
	tok, err = c.AccessToken(ctx)
	if err != nil {
		return err
	}
	return call(tok)
}

func tokenQuery(token string, kv ...string) url.Values {
	q := url.Values{"access_token": {token}}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}

// flexInt is a JSON integer WeCom sometimes sends as a string
// ("created_at":"1380000000").
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("wecom: not an integer: %q", s)
	}
	*f = flexInt(v)
	return nil
}

func splitIDs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}
