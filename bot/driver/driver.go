package driver

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"firebot/bot"
	"firebot/clock"
)

// Errors reported by a Driver.
var (
	// ErrNotDelivered: every attempt timed out, failed or got a non-200.
	ErrNotDelivered = errors.New("driver: callback not delivered")
	// ErrBadReply: a 200 body that is not a correctly signed, encrypted
	// passive reply for this configuration.
	ErrBadReply = errors.New("driver: bad passive reply")
	// ErrVerify: URL verification did not echo the plaintext.
	ErrVerify = errors.New("driver: url verification failed")
	// ErrWrongChannel: a Send helper of another channel was called.
	ErrWrongChannel = errors.New("driver: wrong channel")
	// ErrStreamUnfinished: FollowStream gave up before finish:true.
	ErrStreamUnfinished = errors.New("driver: stream not finished")
)

// DefaultAPIBase is the host put into WebhookUrl, GetChatInfoUrl and
// response_url of generated payloads.
const DefaultAPIBase = "https://qyapi.weixin.qq.com"

// Options configure a Driver for one channel.
type Options struct {
	Channel        bot.Channel
	Token          string
	EncodingAESKey string
	// ReceiveID is what WeCom puts into the ciphertext and expects back in
	// replies: "" for robots, the CorpID for an app.
	ReceiveID string
	// Path is the callback path the Send* helpers post to (default "/").
	Path string
	// JSON makes robot callbacks JSON (robot_callback_format=json in the
	// URL); the intelligent robot is always JSON, the app always XML.
	JSON bool

	// Clock is the real clock that stamps timestamps and CreateTime
	// (default clock.Real{}: the handler checks freshness against real
	// time).
	Clock clock.Clock
	// Entropy feeds nonces, ids, echo strings and the AES random prefix
	// (default crypto/rand). It is read under a lock.
	Entropy io.Reader
	// HTTPClient sends the requests (default: a plain client). Redirects
	// are never followed: a 302 is a failed delivery, as for WeCom.
	HTTPClient *http.Client
	// Timeout is the per-attempt deadline (default 5 s, WeCom's).
	Timeout time.Duration
	// VerifyTimeout bounds URL verification (default 1 s, WeCom's).
	VerifyTimeout time.Duration
	// MaxAttempts is the number of POSTs per callback: the first and the
	// re-sends on timeout or non-200 (default 4: one plus 3 re-sends).
	MaxAttempts int

	// APIBase is the host of generated URLs (default DefaultAPIBase).
	APIBase string
	// WebhookKey is the key in the robot's WebhookUrl (default
	// "driver-webhook-key").
	WebhookKey string
	// CorpID and AgentID fill app payloads and envelopes (CorpID defaults
	// to ReceiveID, AgentID to "1000002"); AibotID fills intelligent-robot
	// payloads (default "driver-aibot").
	CorpID, AgentID, AibotID string
}

// Driver plays WeCom towards a callback URL. It is safe for concurrent
// use.
type Driver struct {
	base    *url.URL
	opts    Options
	codec   *bot.Codec
	client  *http.Client
	entropy *lockedReader
}

// New returns a Driver posting to baseURL (scheme and host, optionally a
// path prefix).
func New(baseURL string, opts Options) (*Driver, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("driver: bad base URL %q", baseURL)
	}
	switch opts.Channel {
	case bot.ChannelRobot, bot.ChannelAibot, bot.ChannelApp:
	default:
		return nil, fmt.Errorf("driver: %w: %q", ErrWrongChannel, opts.Channel)
	}
	if opts.Path == "" {
		opts.Path = "/"
	}
	opts.Clock = clock.OrReal(opts.Clock)
	if opts.Entropy == nil {
		opts.Entropy = rand.Reader
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.VerifyTimeout <= 0 {
		opts.VerifyTimeout = time.Second
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 4
	}
	if opts.APIBase == "" {
		opts.APIBase = DefaultAPIBase
	}
	opts.APIBase = strings.TrimRight(opts.APIBase, "/")
	if opts.WebhookKey == "" {
		opts.WebhookKey = "driver-webhook-key"
	}
	if opts.CorpID == "" {
		opts.CorpID = opts.ReceiveID
	}
	if opts.AgentID == "" {
		opts.AgentID = "1000002"
	}
	if opts.AibotID == "" {
		opts.AibotID = "driver-aibot"
	}
	entropy := &lockedReader{r: opts.Entropy}
	codec, err := bot.NewCodec(opts.Token, opts.EncodingAESKey, opts.ReceiveID, entropy)
	if err != nil {
		return nil, fmt.Errorf("driver: %w", err)
	}
	client := &http.Client{}
	if opts.HTTPClient != nil {
		c := *opts.HTTPClient
		client = &c
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Driver{base: u, opts: opts, codec: codec, client: client, entropy: entropy}, nil
}

// Format is the wire format of this driver's callbacks.
func (d *Driver) Format() bot.Format {
	if d.opts.Channel == bot.ChannelAibot || (d.opts.Channel == bot.ChannelRobot && d.opts.JSON) {
		return bot.FormatJSON
	}
	return bot.FormatXML
}

// Codec exposes the driver's Codec (WeCom's side of the keys), e.g. to
// encrypt media with Cipher().EncryptBytes.
func (d *Driver) Codec() *bot.Codec { return d.codec }

// Request is one sealed callback, ready to post (and to re-post
// identically).
type Request struct {
	Path      string
	Query     url.Values // msg_signature, timestamp, nonce (+ robot_callback_format)
	Body      []byte     // the envelope
	Plaintext []byte     // what was encrypted
	Timestamp string
	Nonce     string
}

// Result is the outcome of posting a Request.
type Result struct {
	Request  *Request
	Attempts int   // POSTs made
	Statuses []int // status of each attempt; 0 = timeout or transport error
	Status   int   // status of the last attempt
	Body     []byte
	// Reply is the decrypted passive reply; nil for 200 with an empty body.
	Reply []byte
	// ReplyTimestamp and ReplyNonce are what the reply was signed with
	// (firebot reuses the callback's).
	ReplyTimestamp, ReplyNonce string
}

// Seal encrypts and signs a callback plaintext for path, with the current
// real time and a fresh nonce, exactly as WeCom does.
func (d *Driver) Seal(path string, plaintext []byte) (*Request, error) {
	g := d.gen()
	nonce := g.digits(10)
	if g.err != nil {
		return nil, g.err
	}
	return d.seal(path, plaintext, d.timestamp(), nonce)
}

// timestamp is the current real time in Unix seconds.
func (d *Driver) timestamp() string { return strconv.FormatInt(d.opts.Clock.Now().Unix(), 10) }

func (d *Driver) seal(path string, plaintext []byte, ts, nonce string) (*Request, error) {
	env := bot.Envelope{}
	if d.opts.Channel == bot.ChannelApp {
		env = bot.Envelope{ToUserName: d.opts.CorpID, AgentID: d.opts.AgentID}
	}
	q, body, err := d.codec.SealRequest(plaintext, ts, nonce, env, d.Format())
	if err != nil {
		return nil, fmt.Errorf("driver: seal: %w", err)
	}
	if d.opts.Channel == bot.ChannelRobot && d.opts.JSON {
		q.Set("robot_callback_format", "json")
	}
	return &Request{Path: path, Query: q, Body: body, Plaintext: plaintext, Timestamp: ts, Nonce: nonce}, nil
}

// Send seals plaintext and posts it to path (see Do).
func (d *Driver) Send(ctx context.Context, path string, plaintext []byte) (*Result, error) {
	req, err := d.Seal(path, plaintext)
	if err != nil {
		return nil, err
	}
	return d.Do(ctx, req)
}

// Do posts req with WeCom's delivery rules: a per-attempt timeout, the
// identical request re-sent on timeout or non-200 up to MaxAttempts, then
// the passive reply verified (signature, receive id, envelope) and
// decrypted. A non-200 after all attempts gives ErrNotDelivered, a
// malformed reply ErrBadReply; the Result is returned either way.
func (d *Driver) Do(ctx context.Context, req *Request) (*Result, error) {
	return d.do(ctx, req, d.opts.MaxAttempts)
}

// Resend posts prev's request again, byte for byte (a WeCom retry that
// arrives after the first one was answered).
func (d *Driver) Resend(ctx context.Context, prev *Result) (*Result, error) {
	return d.do(ctx, prev.Request, d.opts.MaxAttempts)
}

// Replay posts a different plaintext under prev's timestamp and nonce,
// correctly signed, once: the handler should refuse it.
func (d *Driver) Replay(ctx context.Context, prev *Result, plaintext []byte) (*Result, error) {
	req, err := d.seal(prev.Request.Path, plaintext, prev.Request.Timestamp, prev.Request.Nonce)
	if err != nil {
		return nil, err
	}
	return d.do(ctx, req, 1)
}

// SendRaw makes one request with exactly the given method, query and body
// and neither retries nor checks the answer (for malformed-input tests).
// The Result carries Status and Body.
func (d *Driver) SendRaw(ctx context.Context, method, path, rawQuery string, body []byte) (*Result, error) {
	res := &Result{Request: &Request{Path: path, Body: body}}
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	status, respBody, err := d.roundTrip(ctx, method, path, rawQuery, body)
	res.Attempts, res.Statuses, res.Status, res.Body = 1, []int{status}, status, respBody
	return res, err
}

func (d *Driver) do(ctx context.Context, req *Request, attempts int) (*Result, error) {
	res := &Result{Request: req}
	var lastErr error
	for res.Attempts < attempts {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		res.Attempts++
		actx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
		status, body, err := d.roundTrip(actx, http.MethodPost, req.Path, req.Query.Encode(), req.Body)
		cancel()
		res.Statuses = append(res.Statuses, status)
		res.Status, res.Body, lastErr = status, body, err
		if err == nil && status == http.StatusOK {
			break
		}
	}
	if res.Status != http.StatusOK {
		if lastErr == nil {
			lastErr = fmt.Errorf("HTTP %d", res.Status)
		}
		return res, fmt.Errorf("%w after %d attempts: %v", ErrNotDelivered, res.Attempts, lastErr)
	}
	if len(res.Body) == 0 {
		return res, nil
	}
	plain, env, err := d.codec.OpenReply(res.Body, d.Format())
	if err != nil {
		return res, fmt.Errorf("%w: %v", ErrBadReply, err)
	}
	res.Reply, res.ReplyTimestamp, res.ReplyNonce = plain, env.TimeStamp, env.Nonce
	return res, nil
}

// roundTrip makes one request; status 0 means no response.
func (d *Driver) roundTrip(ctx context.Context, method, path, rawQuery string, body []byte) (int, []byte, error) {
	u := d.endpoint(path, rawQuery)
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		if d.Format() == bot.FormatJSON {
			hreq.Header.Set("Content-Type", "application/json")
		} else {
			hreq.Header.Set("Content-Type", "text/xml")
		}
	}
	resp, err := d.client.Do(hreq)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, b, nil
}

func (d *Driver) endpoint(path, rawQuery string) string {
	u := *d.base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + strings.TrimLeft(path, "/")
	u.RawPath = ""
	u.RawQuery = rawQuery
	return u.String()
}

// gen draws random strings from the driver's entropy, keeping the first
// error so a caller checks once.
type gen struct {
	r   io.Reader
	err error
}

func (d *Driver) gen() *gen { return &gen{r: d.entropy} }

func (g *gen) read(n int) []byte {
	b := make([]byte, n)
	if g.err == nil {
		if _, err := io.ReadFull(g.r, b); err != nil {
			g.err = fmt.Errorf("driver: reading entropy: %w", err)
		}
	}
	return b
}

// digits returns n random decimal digits, the first non-zero (WeCom
// nonces, echo strings and app MsgIds look like this).
func (g *gen) digits(n int) string {
	b := g.read(n)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}

// hex returns 2n random hex characters.
func (g *gen) hex(n int) string {
	return fmt.Sprintf("%x", g.read(n))
}

// lockedReader serialises reads from an entropy source that may not be
// safe for concurrent use (e.g. a seeded math/rand in tests).
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}
