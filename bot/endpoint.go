package bot

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"firebot/clock"
	"firebot/logs"
	"firebot/store"
)

// Handler answers one inbound message. It runs inside the unit of work that
// records the message's effects (dedupe mark, dialog state, records, outbox
// entries): everything it writes through tx commits together with the
// dedupe mark, or not at all. It may run more than once for one message
// (store.Update retries), so it must not act outside tx.
type Handler interface {
	Handle(ctx context.Context, tx store.Tx, m *Message) (Reply, error)
}

// ReadAhead is implemented by a Handler that knows which store reads its
// answer to m starts with; the endpoint prefetches them together with its
// own (store.Prefetch), saving round trips on Redis.
type ReadAhead interface {
	Reads(m *Message) []store.Read
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, tx store.Tx, m *Message) (Reply, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, tx store.Tx, m *Message) (Reply, error) {
	return f(ctx, tx, m)
}

// Pusher enqueues a reply that cannot be (or no longer can be) a passive
// reply, to go out through the channel's own push path: the robot through
// the chat's webhook key, the intelligent robot through the callback's
// response_url, the app through message/send. It writes through tx, so the
// push commits with the message's other effects.
type Pusher interface {
	PushReply(tx store.Tx, m *Message, r Reply) error
}

// Fetcher downloads a message's images before it is processed (robot image
// URLs expire within minutes). It runs outside the unit of work.
type Fetcher interface {
	Fetch(ctx context.Context, m *Message) error
}

// BusyText is the passive reply when the store cannot record a message.
const BusyText = "系统暂时繁忙，刚才的消息没有记录，请稍后重发"

// UncertainText is the passive reply when the store could not tell whether
// a message was recorded and could not be asked again: it does not claim
// either way.
const UncertainText = "系统暂时繁忙，无法确认刚才的消息是否已经记录。请稍后发送“我的记录”查看，没有再重发"

// ambiguousPauses are the pauses before each run of a unit of work whose
// commit was ambiguous (store.ErrAmbiguous): three more runs, all within
// the reply budget (50, 200 and 500 ms of the default 3 s).
func (e *Endpoint) ambiguousPauses() []time.Duration {
	return []time.Duration{0, e.opts.Budget / 60, e.opts.Budget / 15, e.opts.Budget / 6}
}

// Memory is the store as the callback layer reaches it: each message's
// unit of work, and inside it the memories that make callbacks idempotent
// (what a message was answered with, the plaintext seen with a timestamp
// and nonce, a finished stream's content), each kept for a time to live.
// store.Callbacks satisfies it.
type Memory interface {
	View(ctx context.Context, fn func(tx store.Tx) error) error
	Update(ctx context.Context, fn func(tx store.Tx) error) error
	// Recall returns store.ErrNotFound when nothing unexpired is kept.
	Recall(tx store.Tx, m store.Memo, key string) ([]byte, error)
	Remember(tx store.Tx, m store.Memo, key string, v []byte, ttl time.Duration) error
	// MemoRead is the read of a memory, for store.Prefetch.
	MemoRead(m store.Memo, key string) store.Read
}

// EndpointOptions configure an Endpoint; NewEndpoint fills in the
// defaults.
type EndpointOptions struct {
	Channel   Channel
	Codec     *Codec
	RobotName string // for mention stripping; may be empty
	Renderer  Renderer
	Memory    Memory // store.Callbacks{Store: st}
	// Route, when set, names each message's tenant (its street) before
	// its unit of work begins: it sets m.Street and returns the Memory
	// that message's unit of work, dedupe and replay memories use (the
	// street's store, or the district's for a message of no street yet).
	// Nil: every message uses Memory. An error answers busy, like a store
	// that cannot be reached.
	Route   func(ctx context.Context, m *Message) (Memory, error)
	Handler Handler
	Pusher  Pusher
	Fetcher Fetcher // optional
	// AfterCommit, if set, runs after each message's unit of work commits,
	// with the message (its Street names the store it committed to): the
	// service wakes that street's outbox worker with it.
	AfterCommit func(m *Message)
	Real        clock.Clock // default: the real clock
	Metrics     *Metrics
	Logger      *slog.Logger

	MaxAge    time.Duration // timestamp freshness window (default 10m)
	Budget    time.Duration // passive reply budget (default 3s)
	DedupeTTL time.Duration // dedupe and (timestamp, nonce) memory (default 2h)
	MaxBody   int64         // request body cap (default 64 KiB)
}

// Endpoint serves one callback URL (/wecom/robot, /wecom/aibot, /wecom/app).
type Endpoint struct {
	opts EndpointOptions // defaulted

	mu       sync.Mutex
	inflight map[string]*call
}

// NewEndpoint returns the endpoint opts describe.
func NewEndpoint(opts EndpointOptions) *Endpoint {
	opts.Real = clock.OrReal(opts.Real)
	opts.Logger = logs.For(opts.Logger, "bot")
	if opts.MaxAge <= 0 {
		opts.MaxAge = 10 * time.Minute
	}
	if opts.Budget <= 0 {
		opts.Budget = 3 * time.Second
	}
	if opts.DedupeTTL <= 0 {
		opts.DedupeTTL = 2 * time.Hour
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 64 << 10
	}
	if opts.Renderer.Clock == nil {
		opts.Renderer.Clock = opts.Real
	}
	return &Endpoint{opts: opts, inflight: map[string]*call{}}
}

// call is one message being processed; concurrent re-sends join it.
type call struct {
	mem    Memory // where the message's unit of work runs (Route)
	mu     sync.Mutex
	missed bool // the budget ran out before a passive reply was decided
	chosen bool // a passive reply was decided; the response waits for commit
	done   chan struct{}
	res    outcome
	err    error
}

// rejection is a request refused with 400 and a logged reason.
type rejection struct{ reason string }

func (r rejection) Error() string { return "bot: callback rejected: " + r.reason }

var errReplay = rejection{"replayed timestamp and nonce with a different body"}

// ServeHTTP answers GET verification and POSTed callbacks.
func (e *Endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := e.opts.Real.Now()
	outcome := "ok"
	defer func() { e.opts.Metrics.observe(e.opts.Channel, outcome, e.opts.Real.Now().Sub(start).Seconds()) }()

	switch r.Method {
	case http.MethodGet:
		outcome = e.serveVerify(w, r)
	case http.MethodPost:
		outcome = e.serveMessage(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		e.reject(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method)
		outcome = "method_not_allowed"
	}
}

func (e *Endpoint) reject(w http.ResponseWriter, status int, reason, detail string) {
	e.opts.Logger.Warn("callback rejected", "channel", e.opts.Channel, "status", status, "reason", reason, "detail", detail)
	http.Error(w, http.StatusText(status), status)
}

// params reads the signed query and checks timestamp freshness on the real
// clock (WeCom signs with real time, whatever the campaign clock says).
func (e *Endpoint) params(r *http.Request) (Params, string, error) {
	p, err := ParseParams(r.URL.RawQuery)
	if err != nil {
		return p, "bad_query", err
	}
	t, _ := p.Time()
	if age := e.opts.Real.Now().Sub(t); age > e.opts.MaxAge || age < -e.opts.MaxAge {
		return p, "stale_timestamp", errors.New("timestamp outside the freshness window")
	}
	return p, "", nil
}

func (e *Endpoint) serveVerify(w http.ResponseWriter, r *http.Request) string {
	p, reason, err := e.params(r)
	if err != nil {
		e.reject(w, http.StatusBadRequest, reason, err.Error())
		return reason
	}
	echo, err := e.opts.Codec.VerifyURL(p)
	if err != nil {
		reason := openReason(err)
		e.reject(w, http.StatusBadRequest, reason, err.Error())
		return reason
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(echo)
	return "verified"
}

// openReason names why a request could not be opened.
func openReason(err error) string {
	switch {
	case errors.Is(err, ErrBadSignature):
		return "bad_signature"
	case errors.Is(err, ErrReceiveID):
		return "wrong_receive_id"
	case errors.Is(err, ErrBadEnvelope):
		return "bad_envelope"
	case errors.Is(err, ErrMissingParam):
		return "bad_query"
	default:
		return "undecryptable"
	}
}

func (e *Endpoint) serveMessage(w http.ResponseWriter, r *http.Request) string {
	p, reason, err := e.params(r)
	if err != nil {
		e.reject(w, http.StatusBadRequest, reason, err.Error())
		return reason
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, e.opts.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			e.reject(w, http.StatusRequestEntityTooLarge, "too_large", err.Error())
			return "too_large"
		}
		e.reject(w, http.StatusBadRequest, "unreadable_body", err.Error())
		return "unreadable_body"
	}
	f := FormatOf(e.opts.Channel, r.URL.RawQuery)
	plaintext, receiveID, err := e.opts.Codec.OpenFrom(p, body, f)
	if err != nil {
		reason := openReason(err)
		e.reject(w, http.StatusBadRequest, reason, err.Error())
		return reason
	}
	m, err := Parse(e.opts.Channel, f, plaintext, e.opts.RobotName)
	if err != nil {
		e.reject(w, http.StatusBadRequest, "malformed_payload", err.Error())
		return "malformed_payload"
	}
	sum := sha256.Sum256(plaintext)
	res, err := e.process(r.Context(), p, sum[:], m)
	var rej rejection
	switch {
	case errors.As(err, &rej):
		e.reject(w, http.StatusBadRequest, "replay", rej.reason)
		return "replay"
	case err != nil:
		text := BusyText
		if errors.Is(err, store.ErrAmbiguous) {
			text = UncertainText
		}
		e.opts.Logger.Error("callback not recorded", "channel", e.opts.Channel, "msgid", m.MsgID, "err", err)
		busy, rerr := e.opts.Renderer.Render(m, Reply{Text: text})
		if rerr != nil || busy == nil {
			w.WriteHeader(http.StatusOK)
			return "busy"
		}
		e.writeReply(w, busy, receiveID, p, f)
		return "busy"
	}
	e.writeReply(w, res.Plaintext, receiveID, p, f)
	if res.Pushed {
		return "pushed"
	}
	return "ok"
}

// process runs a message once, however many times WeCom delivers it, and
// waits for its answer at most the reply budget.
func (e *Endpoint) process(ctx context.Context, p Params, sum []byte, m *Message) (outcome, error) {
	key := string(e.opts.Channel) + "|" + m.DedupeKey
	nonceKey := string(e.opts.Channel) + "|" + p.Timestamp + "|" + p.Nonce
	mem := e.opts.Memory
	if e.opts.Route != nil {
		var err error
		if mem, err = e.opts.Route(ctx, m); err != nil {
			return outcome{}, err
		}
	}
	if len(m.Images) > 0 {
		// A re-send of a message already answered must not download its
		// images again: answer from the dedupe memory. (Without images the
		// unit of work below checks the same memory first anyway.)
		if res, ok, err := e.remembered(ctx, mem, key, nonceKey, sum); err != nil {
			return outcome{}, err
		} else if ok {
			return res, nil
		}
	}

	e.mu.Lock()
	c, joined := e.inflight[key]
	if !joined {
		c = &call{mem: mem, done: make(chan struct{})}
		e.inflight[key] = c
	}
	e.mu.Unlock()

	if !joined {
		go e.run(context.WithoutCancel(ctx), c, key, nonceKey, sum, m)
	}

	timer := time.NewTimer(e.opts.Budget)
	defer timer.Stop()
	select {
	case <-c.done:
		return c.res, c.err
	case <-timer.C:
	}
	c.mu.Lock()
	if !c.chosen {
		// Too late for a passive reply: answer 200 empty now; the handler's
		// answer will be pushed through the channel's own path.
		c.missed = true
		c.mu.Unlock()
		return outcome{Pushed: true}, nil
	}
	c.mu.Unlock()
	<-c.done // a passive reply was decided; it is being committed
	return c.res, c.err
}

// run processes the message in one unit of work and publishes the outcome.
func (e *Endpoint) run(ctx context.Context, c *call, key, nonceKey string, sum []byte, m *Message) {
	defer func() {
		e.mu.Lock()
		delete(e.inflight, key)
		e.mu.Unlock()
		close(c.done)
	}()
	if e.opts.Fetcher != nil && len(m.Images) > 0 {
		if err := e.opts.Fetcher.Fetch(ctx, m); err != nil {
			e.opts.Logger.Warn("image download failed", "channel", e.opts.Channel, "msgid", m.MsgID, "err", err)
		}
	}
	res, err := e.commitAnswer(ctx, c, key, nonceKey, sum, m)
	c.res, c.err = res, err
	if err == nil && e.opts.AfterCommit != nil {
		e.opts.AfterCommit(m)
	}
}
