package bot

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"firebot/clock"
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
	return []time.Duration{0, e.Budget / 60, e.Budget / 15, e.Budget / 6}
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

// Endpoint serves one callback URL (/wecom/robot, /wecom/aibot, /wecom/app).
type Endpoint struct {
	Channel   Channel
	Codec     *Codec
	RobotName string // for mention stripping; may be empty
	Renderer  Renderer
	Memory    Memory // store.Callbacks{Store: st}
	Handler   Handler
	Pusher    Pusher
	Fetcher   Fetcher // optional
	// AfterCommit, if set, runs after each message's unit of work commits
	// (the service wakes the outbox worker with it).
	AfterCommit func()
	Real        clock.Clock
	Metrics     *Metrics
	Logger      *slog.Logger

	MaxAge    time.Duration // timestamp freshness window (default 10m)
	Budget    time.Duration // passive reply budget (default 3s)
	DedupeTTL time.Duration // dedupe and (timestamp, nonce) memory (default 2h)
	MaxBody   int64         // request body cap (default 64 KiB)

	once     sync.Once
	mu       sync.Mutex
	inflight map[string]*call
}

// call is one message being processed; concurrent re-sends join it.
type call struct {
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

func (e *Endpoint) defaults() {
	if e.Real == nil {
		e.Real = clock.Real{}
	}
	if e.Logger == nil {
		e.Logger = slog.New(slog.DiscardHandler)
	}
	if e.MaxAge <= 0 {
		e.MaxAge = 10 * time.Minute
	}
	if e.Budget <= 0 {
		e.Budget = 3 * time.Second
	}
	if e.DedupeTTL <= 0 {
		e.DedupeTTL = 2 * time.Hour
	}
	if e.MaxBody <= 0 {
		e.MaxBody = 64 << 10
	}
	if e.Renderer.Clock == nil {
		e.Renderer.Clock = e.Real
	}
}

// ServeHTTP answers GET verification and POSTed callbacks.
func (e *Endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.once.Do(e.defaults)
	start := e.Real.Now()
	outcome := "ok"
	defer func() { e.Metrics.observe(e.Channel, outcome, e.Real.Now().Sub(start).Seconds()) }()

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
	e.Logger.Warn("callback rejected", "channel", e.Channel, "status", status, "reason", reason, "detail", detail)
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
	if age := e.Real.Now().Sub(t); age > e.MaxAge || age < -e.MaxAge {
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
	echo, err := e.Codec.VerifyURL(p)
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
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, e.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			e.reject(w, http.StatusRequestEntityTooLarge, "too_large", err.Error())
			return "too_large"
		}
		e.reject(w, http.StatusBadRequest, "unreadable_body", err.Error())
		return "unreadable_body"
	}
	f := FormatOf(e.Channel, r.URL.RawQuery)
	plaintext, receiveID, err := e.Codec.OpenFrom(p, body, f)
	if err != nil {
		reason := openReason(err)
		e.reject(w, http.StatusBadRequest, reason, err.Error())
		return reason
	}
	m, err := Parse(e.Channel, f, plaintext, e.RobotName)
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
		e.Logger.Error("callback not recorded", "channel", e.Channel, "msgid", m.MsgID, "err", err)
		busy, rerr := e.Renderer.Render(m, Reply{Text: text})
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

// writeReply seals a passive reply with the receive id its request
// carried (WeCom checks it against its own convention, which for the
// robots is not documented consistently).
func (e *Endpoint) writeReply(w http.ResponseWriter, plaintext []byte, receiveID string, p Params, f Format) {
	if len(plaintext) == 0 {
		w.WriteHeader(http.StatusOK)
		return
	}
	sealed, err := e.Codec.SealTo(plaintext, receiveID, p.Timestamp, p.Nonce, f)
	if err != nil {
		e.Logger.Error("seal reply", "channel", e.Channel, "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	if f == FormatJSON {
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Content-Type", "application/xml")
	}
	_, _ = w.Write(sealed)
}

// process runs a message once, however many times WeCom delivers it, and
// waits for its answer at most the reply budget.
func (e *Endpoint) process(ctx context.Context, p Params, sum []byte, m *Message) (outcome, error) {
	key := string(e.Channel) + "|" + m.DedupeKey
	nonceKey := string(e.Channel) + "|" + p.Timestamp + "|" + p.Nonce
	if len(m.Images) > 0 {
		// A re-send of a message already answered must not download its
		// images again: answer from the dedupe memory. (Without images the
		// unit of work below checks the same memory first anyway.)
		if res, ok, err := e.remembered(ctx, key, nonceKey, sum); err != nil {
			return outcome{}, err
		} else if ok {
			return res, nil
		}
	}

	e.mu.Lock()
	if e.inflight == nil {
		e.inflight = map[string]*call{}
	}
	c, joined := e.inflight[key]
	if !joined {
		c = &call{done: make(chan struct{})}
		e.inflight[key] = c
	}
	e.mu.Unlock()

	if !joined {
		go e.run(context.WithoutCancel(ctx), c, key, nonceKey, sum, m)
	}

	timer := time.NewTimer(e.Budget)
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

func (e *Endpoint) remembered(ctx context.Context, key, nonceKey string, sum []byte) (outcome, bool, error) {
	var res outcome
	found := false
	err := e.Memory.View(ctx, func(tx store.Tx) error {
		var err error
		found, err = e.recall(tx, key, nonceKey, sum, &res)
		return err
	})
	return res, found, err
}

// checkNonce refuses a (timestamp, nonce) pair seen before with another
// plaintext. The same plaintext again is WeCom retrying, not a replay.
func (e *Endpoint) checkNonce(tx store.Tx, nonceKey string, sum []byte) error {
	prev, err := e.Memory.Recall(tx, store.MemoNonce, nonceKey)
	switch {
	case err == nil:
		if string(prev) != string(sum) {
			return errReplay
		}
		return nil
	case errors.Is(err, store.ErrNotFound):
		return nil
	default:
		return err
	}
}

// run processes the message in one unit of work and publishes the outcome.
func (e *Endpoint) run(ctx context.Context, c *call, key, nonceKey string, sum []byte, m *Message) {
	defer func() {
		e.mu.Lock()
		delete(e.inflight, key)
		e.mu.Unlock()
		close(c.done)
	}()
	if e.Fetcher != nil && len(m.Images) > 0 {
		if err := e.Fetcher.Fetch(ctx, m); err != nil {
			e.Logger.Warn("image download failed", "channel", e.Channel, "msgid", m.MsgID, "err", err)
		}
	}
	res, err := e.commitAnswer(ctx, c, key, nonceKey, sum, m)
	c.res, c.err = res, err
	if err == nil && e.AfterCommit != nil {
		e.AfterCommit()
	}
}

// commitAnswer answers m and commits the answer with its dedupe and replay
// memories (and whatever the handler wrote) in one unit of work.
//
// When the store cannot tell whether that unit of work committed
// (store.ErrAmbiguous: the connection dropped after EXEC), it is run again
// before anything is answered. It starts by reading the dedupe memory, so
// if the first commit landed, its outcome is the answer and the handler
// does not run again; if it did not, the message is processed now. A first
// commit arriving late cannot double the message either: it watched the
// dedupe key that the second one writes. Only when the store stays
// unreachable is the result left ambiguous (answered with UncertainText).
func (e *Endpoint) commitAnswer(ctx context.Context, c *call, key, nonceKey string, sum []byte, m *Message) (outcome, error) {
	var ambiguous error
	for i, pause := range e.ambiguousPauses() {
		if i > 0 && pause > 0 {
			t := time.NewTimer(pause)
			select {
			case <-ctx.Done():
				t.Stop()
				return outcome{}, ambiguous
			case <-t.C:
			}
		}
		res, err := e.commitOnce(ctx, c, key, nonceKey, sum, m)
		switch {
		case err == nil:
			if ambiguous != nil {
				e.Logger.Info("ambiguous commit resolved", "channel", e.Channel, "msgid", m.MsgID)
			}
			return res, nil
		case errors.Is(err, store.ErrAmbiguous):
			ambiguous = err
			e.Logger.Warn("commit outcome unknown; asking the store again", "channel", e.Channel, "msgid", m.MsgID, "err", err)
		case ambiguous == nil:
			return res, err
		default:
			// Still unknown whether the first commit landed.
			e.Logger.Warn("store unreachable while resolving an ambiguous commit", "channel", e.Channel, "msgid", m.MsgID, "err", err)
		}
	}
	return outcome{}, ambiguous
}

// commitOnce runs commitAnswer's unit of work once.
func (e *Endpoint) commitOnce(ctx context.Context, c *call, key, nonceKey string, sum []byte, m *Message) (outcome, error) {
	var res outcome
	err := e.Memory.Update(ctx, func(tx store.Tx) error {
		res = outcome{}
		if store.Prefetches(tx) {
			if err := store.Prefetch(tx, e.reads(key, nonceKey, m)...); err != nil {
				return err
			}
		}
		known, err := e.recall(tx, key, nonceKey, sum, &res)
		if err != nil || known {
			return err // known: committed by a concurrent replica
		}
		if res, err = e.answer(ctx, tx, c, m); err != nil {
			return err
		}
		return e.remember(tx, key, nonceKey, sum, res)
	})
	return res, err
}

// recall reads the message's memories: it fails for a replayed (timestamp,
// nonce) pair and reports whether the message was already answered (and
// with what).
func (e *Endpoint) recall(tx store.Tx, key, nonceKey string, sum []byte, res *outcome) (bool, error) {
	if err := e.checkNonce(tx, nonceKey, sum); err != nil {
		return false, err
	}
	b, err := e.Memory.Recall(tx, store.MemoOutcome, key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	*res, err = unmarshalOutcome(b)
	return err == nil, err
}

// remember writes the message's dedupe and replay memories.
func (e *Endpoint) remember(tx store.Tx, key, nonceKey string, sum []byte, res outcome) error {
	if err := e.Memory.Remember(tx, store.MemoOutcome, key, res.marshal(), e.DedupeTTL); err != nil {
		return err
	}
	return e.Memory.Remember(tx, store.MemoNonce, nonceKey, sum, e.DedupeTTL)
}

// reads are the reads that processing m starts with: the replay and
// dedupe memories, the chat's push key and what the handler announces.
func (e *Endpoint) reads(key, nonceKey string, m *Message) []store.Read {
	reads := []store.Read{e.Memory.MemoRead(store.MemoNonce, nonceKey), e.Memory.MemoRead(store.MemoOutcome, key)}
	if m.WebhookKey != "" {
		reads = append(reads, store.WebhookKeyRead(m.ChatID))
	}
	if ra, ok := e.Handler.(ReadAhead); ok {
		reads = append(reads, ra.Reads(m)...)
	}
	return reads
}

// answer runs the handler and splits its reply into the passive part and
// the part to push, deciding (once) whether the budget still allows a
// passive reply.
func (e *Endpoint) answer(ctx context.Context, tx store.Tx, c *call, m *Message) (outcome, error) {
	if m.Kind == KindStream {
		// A refresh of a stream we already finished: repeat its content.
		b, err := e.Memory.Recall(tx, store.MemoStream, m.StreamID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return outcome{}, err
		}
		return outcome{Plaintext: b}, nil
	}
	if m.WebhookKey != "" {
		// Keep the chat's push key (never the host of WebhookUrl: pushes
		// always go to the configured API base).
		if err := store.LearnWebhookKey(tx, m.ChatID, m.WebhookKey); err != nil {
			return outcome{}, err
		}
	}
	reply, err := e.Handler.Handle(ctx, tx, m)
	if err != nil {
		return outcome{}, err
	}
	passive, push := SplitReply(m, reply)
	c.mu.Lock()
	if c.missed {
		passive, push = NoReply, reply
	} else {
		c.chosen = true
	}
	c.mu.Unlock()

	var res outcome
	if !push.IsEmpty() {
		if e.Pusher == nil {
			return outcome{}, errors.New("bot: no pusher for a reply that cannot be passive")
		}
		if err := e.Pusher.PushReply(tx, m, push); err != nil {
			return outcome{}, err
		}
		res.Pushed = true
	}
	if passive.IsEmpty() {
		return res, nil
	}
	pt, err := e.Renderer.Render(m, passive)
	if err != nil {
		return outcome{}, err
	}
	res.Plaintext = pt
	if id := streamID(m, pt); id != "" {
		if err := e.Memory.Remember(tx, store.MemoStream, id, pt, e.DedupeTTL); err != nil {
			return outcome{}, err
		}
	}
	return res, nil
}

// streamID extracts the id of an intelligent-robot stream reply, so that a
// refresh for it can be answered with the same content.
func streamID(m *Message, plaintext []byte) string {
	if m.Channel != ChannelAibot {
		return ""
	}
	var v struct {
		MsgType string `json:"msgtype"`
		Stream  struct {
			ID string `json:"id"`
		} `json:"stream"`
	}
	if json.Unmarshal(plaintext, &v) != nil || v.MsgType != "stream" {
		return ""
	}
	return v.Stream.ID
}
