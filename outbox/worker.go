package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"time"

	"firebot/bot"
	"firebot/clock"
	"firebot/logs"
	"firebot/store"
	"firebot/wecom"
)

// Sender is the part of the WeCom client the worker uses; *wecom.Client
// satisfies it.
type Sender interface {
	WebhookSend(ctx context.Context, key string, msg wecom.WebhookMessage) error
	WebhookImage(ctx context.Context, key string, img []byte) error
	WebhookUploadMedia(ctx context.Context, key string, kind wecom.MediaType, filename string, data []byte) (wecom.Media, error)
	WebhookFile(ctx context.Context, key, mediaID string) error
	SendMessage(ctx context.Context, m wecom.AppMessage) (wecom.SendResult, error)
	AIBotRespond(ctx context.Context, responseURL string, msg wecom.AIBotMessage) error
}

// Options configure a Worker; New fills in the defaults.
type Options struct {
	Store  store.Store // required
	Client Sender      // required
	Real   clock.Clock // retry timing, visibility timeouts, rate windows (default: the real clock)
	Logger *slog.Logger
	Stats  *Metrics // nil: no metrics

	Pool        int           // entries claimed at once, so concurrent deliveries at most (default 64)
	Visibility  time.Duration // a claimed entry reappears after this (default 2m)
	GiveUpAfter time.Duration // retryable failures stop after this (default 24h)
	// Hold keeps entries queued without delivering them (placeholder
	// credentials pointed at the real WeCom).
	Hold bool
}

// Worker delivers due outbox entries through a bounded pool.
type Worker struct {
	opts  Options // defaulted
	token string  // this worker's claims
	wake  chan struct{}
}

// New returns a worker; it delivers nothing until Run or DeliverDue.
func New(opts Options) *Worker {
	opts.Real = clock.OrReal(opts.Real)
	opts.Logger = logs.For(opts.Logger, "outbox")
	if opts.Pool <= 0 {
		opts.Pool = 64
	}
	if opts.Visibility <= 0 {
		opts.Visibility = 2 * time.Minute
	}
	if opts.GiveUpAfter <= 0 {
		opts.GiveUpAfter = 24 * time.Hour
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Worker{opts: opts, token: hex.EncodeToString(b[:]), wake: make(chan struct{}, 1)}
}

const (
	robotPerMinute    = 20 // public limit per robot key
	memberPerMinute   = 30 // application messages per member
	memberPerHour     = 1000
	appDuplicateCheck = 30 * time.Minute
	bRate             = "ob_rate"
)

// Held reports whether the worker keeps entries queued without delivering
// them (Options.Hold).
func (w *Worker) Held() bool { return w.opts.Hold }

// Kick wakes the delivery loop (after an enqueue); it never blocks.
func (w *Worker) Kick() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// deliverOne makes one attempt and records its outcome; it reports whether
// the entry is final (sent or failed for good), and if not, when it is due
// again. Every due time is computed from the clock read after the call it
// follows, so a call that took long never yields a time already past.
func (w *Worker) deliverOne(ctx context.Context, e *store.OutboxEntry) (bool, time.Time) {
	if wait, err := w.reserve(ctx, e, w.opts.Real.Now()); err != nil {
		next := w.opts.Real.Now().Add(time.Second)
		w.release(ctx, e, next, store.DeliveryResult{Error: err.Error()})
		return false, next
	} else if wait > 0 {
		// Over the channel's budget: queue, never drop.
		next := w.opts.Real.Now().Add(wait)
		w.release(ctx, e, next, store.DeliveryResult{Reason: "发送频率达到上限，排队等待"})
		return false, next
	}
	err := w.send(ctx, e)
	now := w.opts.Real.Now()
	res := store.DeliveryResult{Sent: err == nil}
	if err == nil {
		w.finish(ctx, e, res)
		return true, time.Time{}
	}
	if ctx.Err() != nil {
		// Shutting down, not a failure of the entry: put it back due now
		// (WeCom may have taken it: like a crash, it may repeat once).
		w.release(ctx, e, now, store.DeliveryResult{Error: err.Error()})
		return false, now
	}
	var api *wecom.APIError
	if errors.As(err, &api) {
		res.ErrCode = api.Code
	}
	res.Error = err.Error()
	res.Reason = wecom.Reason(err)
	retryable := wecom.Retryable(err) || wecom.TokenError(err) || wecom.MediaExpired(err)
	var perm permanentError
	if errors.As(err, &perm) {
		retryable = false
		res.Reason = perm.reason
	}
	giveUp := e.CreatedAt.Add(w.opts.GiveUpAfter)
	if !retryable || !now.Before(giveUp) {
		if retryable {
			res.Reason = "超过重试期限仍未送达：" + res.Reason
		}
		w.opts.Logger.Warn("delivery failed", "id", e.ID, "channel", e.Channel, "errcode", res.ErrCode, "reason", res.Reason)
		w.finish(ctx, e, res)
		return true, time.Time{}
	}
	// The last try is at the deadline, so an entry is given up on time.
	next := now.Add(retryDelay(e.Attempts, now.Sub(e.CreatedAt), wecom.RetryAfter(err)))
	if next.After(giveUp) {
		next = giveUp
	}
	w.opts.Logger.Info("will retry", "id", e.ID, "attempt", e.Attempts, "errcode", res.ErrCode, "at", next)
	w.release(ctx, e, next, res)
	return false, next
}

// permanentError is a failure found before calling WeCom (no webhook key,
// unreadable file) that no retry can fix.
type permanentError struct{ reason string }

func (p permanentError) Error() string { return "outbox: " + p.reason }

func (w *Worker) finish(ctx context.Context, e *store.OutboxEntry, res store.DeliveryResult) {
	at := w.opts.Real.Now()
	var lost bool
	err := w.opts.Store.Update(context.WithoutCancel(ctx), func(tx store.Tx) error {
		var err error
		lost, err = store.AckOutbox(tx, e.ID, w.token, at, res)
		return err
	})
	if err != nil {
		w.opts.Logger.Error("record outcome failed", "id", e.ID, "err", err)
	}
	if lost {
		w.opts.Logger.Warn("claim had expired before the outcome was recorded; the entry may be delivered twice", "id", e.ID)
	}
	status := store.OutboxSent
	if !res.Sent {
		status = store.OutboxFailed
	}
	w.opts.Stats.delivered(status)
}

func (w *Worker) release(ctx context.Context, e *store.OutboxEntry, next time.Time, res store.DeliveryResult) {
	err := w.opts.Store.Update(context.WithoutCancel(ctx), func(tx store.Tx) error {
		return store.RetryOutbox(tx, e.ID, w.token, next, res)
	})
	if err != nil {
		w.opts.Logger.Error("schedule retry failed", "id", e.ID, "err", err)
	}
	if res.Error != "" {
		w.opts.Stats.delivered("retry")
	}
}

// Retry schedule: during the first retryFastFor of an entry's life, at most
// retryFastMax passes between a failed try and the next; after that the
// wait grows with the entry's age (a quarter of it), up to retryMax.
const (
	retryFastFor = 5 * time.Minute
	retryFastMax = 15 * time.Second
	retryMax     = 10 * time.Minute
)

// retryDelay is the wait after failed try number attempt of an entry of
// the given age: exponential from 2 s while young, capped at retryFastMax,
// then age/4 up to retryMax; with full jitter over its upper half, and
// never shorter than the server's hint (45009 asks for a minute).
func retryDelay(attempt int, age, hint time.Duration) time.Duration {
	ceil := 2 * time.Second << min(max(attempt-1, 0), 9)
	if age < retryFastFor {
		ceil = min(ceil, retryFastMax)
	} else {
		ceil = min(max(age/4, retryFastMax), retryMax)
	}
	n, _ := rand.Int(rand.Reader, big.NewInt(int64(ceil/2)))
	d := ceil/2 + time.Duration(n.Int64())
	return max(d, hint)
}

func (w *Worker) send(ctx context.Context, e *store.OutboxEntry) error {
	msg, err := Decode(e)
	if err != nil {
		return permanentError{"消息内容无法解析"}
	}
	switch bot.Channel(e.Channel) {
	case ChannelWebhook:
		key, err := w.webhookKey(ctx, e.Target)
		if err != nil {
			return err
		}
		return w.sendWebhook(ctx, key, msg)
	case ChannelApp:
		if msg.App == nil {
			return permanentError{"消息内容为空"}
		}
		m := *msg.App
		m.DuplicateCheck = appDuplicateCheck // repeats after a crash are dropped by WeCom
		_, err := w.opts.Client.SendMessage(ctx, m)
		return err
	case ChannelAIBot:
		if msg.AIBot == nil {
			return permanentError{"消息内容为空"}
		}
		return w.opts.Client.AIBotRespond(ctx, e.Target, *msg.AIBot)
	}
	return permanentError{fmt.Sprintf("未知的发送渠道 %q", e.Channel)}
}

func (w *Worker) webhookKey(ctx context.Context, chatID string) (string, error) {
	var key string
	err := w.opts.Store.View(ctx, func(tx store.Tx) error {
		var err error
		key, err = store.WebhookKey(tx, chatID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return "", permanentError{"这个群还没有可用的机器人推送地址（请在群里 @机器人 说一句话，或在配置中填写 webhook_key）"}
	}
	return key, err
}

func (w *Worker) sendWebhook(ctx context.Context, key string, msg Message) error {
	switch {
	case msg.Webhook != nil:
		return w.opts.Client.WebhookSend(ctx, key, *msg.Webhook)
	case msg.WebhookImage != nil:
		b, err := os.ReadFile(msg.WebhookImage.Path)
		if err != nil {
			return permanentError{"图片文件不存在：" + msg.WebhookImage.Name}
		}
		return w.opts.Client.WebhookImage(ctx, key, b)
	case msg.WebhookFile != nil:
		b, err := os.ReadFile(msg.WebhookFile.Path)
		if err != nil {
			return permanentError{"文件不存在：" + msg.WebhookFile.Name}
		}
		// Upload every attempt: a media id lives 3 days and only for the
		// uploading robot, so a fresh one also answers 40007.
		for try := 0; ; try++ {
			media, err := w.opts.Client.WebhookUploadMedia(ctx, key, wecom.MediaFile, msg.WebhookFile.Name, b)
			if err != nil {
				return err
			}
			err = w.opts.Client.WebhookFile(ctx, key, media.MediaID)
			if err == nil || !wecom.MediaExpired(err) || try > 0 {
				return err
			}
		}
	}
	return permanentError{"消息内容为空"}
}

// reserve takes one send from the channel's budget shared by all replicas
// through the store: 20 per minute per robot key, and per member 30 per
// minute and 1000 per hour for application messages. It returns how long
// to wait when the budget is spent.
func (w *Worker) reserve(ctx context.Context, e *store.OutboxEntry, now time.Time) (time.Duration, error) {
	type budget struct {
		key    string
		limit  int
		window time.Duration
	}
	var budgets []budget
	switch bot.Channel(e.Channel) {
	case ChannelWebhook:
		budgets = append(budgets, budget{"chat|" + e.Target, robotPerMinute, time.Minute})
	case ChannelApp:
		msg, err := Decode(e)
		if err == nil && msg.App != nil {
			for _, u := range msg.App.To.Users {
				budgets = append(budgets,
					budget{"user|" + u, memberPerMinute, time.Minute},
					budget{"userh|" + u, memberPerHour, time.Hour})
			}
		}
	}
	if len(budgets) == 0 {
		return 0, nil
	}
	var wait time.Duration
	err := w.opts.Store.Update(ctx, func(tx store.Tx) error {
		wait = 0
		windows := make([]*sendWindow, len(budgets))
		for i, b := range budgets {
			sw, err := loadWindow(tx, b.key, now, b.window)
			if err != nil {
				return err
			}
			if d := sw.wait(now, b.limit, b.window); d > wait {
				wait = d
			}
			windows[i] = sw
		}
		if wait > 0 {
			return nil
		}
		for i, b := range budgets {
			windows[i].Sends = append(windows[i].Sends, now)
			if err := windows[i].save(tx, b.key, b.window); err != nil {
				return err
			}
		}
		return nil
	})
	return wait, err
}
