package outbox_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"firebot/clock"
	"firebot/outbox"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

// countingStore counts the units of work, the writes inside them and the
// read-only views that pass through it.
type countingStore struct {
	store.Store
	updates, writes, views atomic.Int64
}

func (c *countingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	c.updates.Add(1)
	return c.Store.Update(ctx, func(tx store.Tx) error { return fn(countingTx{tx, c}) })
}

func (c *countingStore) View(ctx context.Context, fn func(store.Tx) error) error {
	c.views.Add(1)
	return c.Store.View(ctx, fn)
}

type countingTx struct {
	store.Tx
	c *countingStore
}

func (t countingTx) Put(b, k string, v []byte) error { t.c.writes.Add(1); return t.Tx.Put(b, k, v) }
func (t countingTx) Delete(b, k string) error        { t.c.writes.Add(1); return t.Tx.Delete(b, k) }
func (t countingTx) PutTTL(b, k string, v []byte, ttl time.Duration) error {
	t.c.writes.Add(1)
	return t.Tx.PutTTL(b, k, v, ttl)
}

// Prefetch keeps the Redis backend's batched reads behind the wrapper.
func (t countingTx) Prefetch(reads []store.Read) error { return store.Prefetch(t.Tx, reads...) }

// watchSender notes, on the fake real clock, when each webhook key was
// called, and closes returned[key] when a call to key first returns.
type watchSender struct {
	outbox.Sender
	real clock.Clock

	mu       sync.Mutex
	calls    map[string][]time.Time
	returned map[string]chan struct{}
}

func newWatchSender(s outbox.Sender, real clock.Clock, keys ...string) *watchSender {
	w := &watchSender{Sender: s, real: real, calls: map[string][]time.Time{}, returned: map[string]chan struct{}{}}
	for _, k := range keys {
		w.returned[k] = make(chan struct{})
	}
	return w
}

func (w *watchSender) WebhookSend(ctx context.Context, key string, msg wecom.WebhookMessage) error {
	w.mu.Lock()
	w.calls[key] = append(w.calls[key], w.real.Now())
	w.mu.Unlock()
	err := w.Sender.WebhookSend(ctx, key, msg)
	w.mu.Lock()
	if ch := w.returned[key]; ch != nil {
		select {
		case <-ch:
		default:
			close(ch)
		}
	}
	w.mu.Unlock()
	return err
}

func (w *watchSender) callTimes(key string) []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Time(nil), w.calls[key]...)
}

// waitUntil polls cond until it holds, failing after limit of real time.
// It waits for the worker's goroutines, never for time to pass in the
// logic under test (that is the fake clock's job).
func waitUntil(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", limit, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func gauge(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestOneSlowCallDoesNotStall is the livelock of issue 15 on both stores:
// every webhook/send to one group answers -1, one call to a second group
// hangs until the client's timeout, and a broadcast goes to both.
func TestOneSlowCallDoesNotStall(t *testing.T) {
	backends := map[string]func(t *testing.T, real clock.Clock) store.Store{
		"embedded": func(t *testing.T, real clock.Clock) store.Store {
			st, err := embedded.Open(filepath.Join(t.TempDir(), "o.db"), embedded.Options{Real: real})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		},
		"redis": func(t *testing.T, real clock.Clock) store.Store {
			c := redisClient(t)
			return openRedis(t, c, redisPrefix(t, c), real)
		},
	}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) { testNoStall(t, open) })
	}
}

func testNoStall(t *testing.T, open func(t *testing.T, real clock.Clock) store.Store) {
	const (
		clientTimeout = 4 * time.Second // stands for the production 20 s
		giveUpAfter   = 30 * time.Minute
	)
	real := clock.NewFake(time.Date(2023, 11, 9, 9, 0, 0, 0, time.UTC))
	st := &countingStore{Store: open(t, real)}
	fake := fakewecom.New(fakewecom.Options{Real: real})
	t.Cleanup(fake.Close)
	client := wecom.New(wecom.Options{BaseURL: fake.URL(), Real: real, HTTPClient: &http.Client{Timeout: clientTimeout}})
	sender := newWatchSender(client, real, "keyHang")
	reg := prometheus.NewRegistry()
	w := outbox.New(outbox.Options{Store: st, Client: sender, Real: real, Pool: 8, GiveUpAfter: giveUpAfter, Stats: outbox.NewMetrics(reg)})

	update := func(fn func(tx store.Tx) error) {
		t.Helper()
		if err := st.Update(context.Background(), fn); err != nil {
			t.Fatal(err)
		}
	}
	entry := func(key string) *store.OutboxEntry {
		t.Helper()
		var e *store.OutboxEntry
		if err := st.View(context.Background(), func(tx store.Tx) error {
			var err error
			e, err = store.OutboxByKey(tx, key)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return e
	}
	for _, g := range [][2]string{{"chatFail", "keyFail"}, {"chatHang", "keyHang"}, {"chatOK", "keyOK"}} {
		fake.RegisterWebhookKey(g[1], g[0])
		update(func(tx store.Tx) error { return store.LearnWebhookKey(tx, g[0], g[1]) })
	}
	fake.InjectFault("webhook/send", 0, fakewecom.Fault{Kind: fakewecom.FaultErrcode, Code: -1, Key: "keyFail"})
	fake.InjectFault("webhook/send", 1, fakewecom.Fault{Kind: fakewecom.FaultHang, Key: "keyHang"})

	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { defer close(stopped); w.Run(ctx, 5*time.Millisecond) }()
	stop := func() { cancel(); <-stopped }
	t.Cleanup(stop)

	// The broadcast: one entry per group.
	created := real.Now()
	update(func(tx store.Tx) error {
		for _, chat := range []string{"chatFail", "chatHang"} {
			if err := outbox.GroupText(tx, "broadcast:GB-0001/"+chat, "broadcast:GB-0001", chat, "今晚停水检修，请注意消防用水。", nil); err != nil {
				return err
			}
		}
		return nil
	})
	w.Kick()
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := fake.WaitForCalls(wctx, "webhook/send", 2); err != nil {
		t.Fatal("the broadcast was not attempted:", err)
	}

	waitUntil(t, 5*time.Second, "the first failure recorded", func() bool {
		return !entry("broadcast:GB-0001/chatFail").InFlight()
	})

	// While the call hangs: the failing entry's retry falls due and is
	// tried, a 催报 to a healthy group goes out, and the metrics show both
	// entries of the broadcast waiting.
	real.Advance(10 * time.Second)
	update(func(tx store.Tx) error {
		return outbox.GroupText(tx, "chase:1/chatOK", "chase:1", "chatOK", "请尽快提交活动记录。", nil)
	})
	w.Kick()
	if _, err := fake.WaitFor(wctx, 1); err != nil {
		t.Fatal("the push to a healthy group waited:", err)
	}
	select {
	case <-sender.returned["keyHang"]:
		t.Fatal("the healthy push went out only after the hanging call returned")
	default:
	}
	waitUntil(t, 5*time.Second, "the failing entry retried while another call hangs", func() bool {
		return entry("broadcast:GB-0001/chatFail").Attempts >= 2
	})
	waitUntil(t, 5*time.Second, "metrics showing what waits", func() bool {
		return gauge(t, reg, "firebot_outbox_depth") == 2 &&
			gauge(t, reg, "firebot_outbox_oldest_age_seconds") == 10
	})

	// The hanging call ends at the client's timeout; then nothing is due
	// (the fake clock stands still): the worker keeps looking and writes
	// nothing.
	select {
	case <-sender.returned["keyHang"]:
	case <-time.After(3 * clientTimeout):
		t.Fatal("the hanging call did not end at the client's timeout")
	}
	waitUntil(t, 5*time.Second, "the timed-out entry put back for a retry", func() bool {
		e := entry("broadcast:GB-0001/chatHang")
		return !e.InFlight() && e.NextAt.After(real.Now())
	})
	if e := entry("broadcast:GB-0001/chatHang"); e.NextAt.Sub(real.Now()) > 15*time.Second {
		t.Fatalf("retry of the timed-out entry in %v, want at most 15 s", e.NextAt.Sub(real.Now()))
	}
	waitUntil(t, 5*time.Second, "nothing in flight", func() bool {
		return !entry("broadcast:GB-0001/chatFail").InFlight()
	})
	updates, writes, views := st.updates.Load(), st.writes.Load(), st.views.Load()
	waitUntil(t, 10*time.Second, "the worker looking 100 times while idle", func() bool {
		return st.views.Load()-views >= 100
	})
	if n, m := st.updates.Load()-updates, st.writes.Load()-writes; n != 0 || m != 0 {
		t.Fatalf("%d units of work and %d writes while nothing was due", n, m)
	}
	if d := gauge(t, reg, "firebot_outbox_depth"); d != 2 {
		t.Fatalf("firebot_outbox_depth = %v while 2 entries wait", d)
	}
	stop()

	// The rest of the schedule, stepping the fake clock to each due time.
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("the failing entry is never given up")
		}
		if _, err := w.DeliverDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		e := entry("broadcast:GB-0001/chatFail")
		if e.Status != store.OutboxPending {
			break
		}
		if !e.NextAt.After(real.Now()) {
			t.Fatalf("entry due at %v, not after now %v, after DeliverDue", e.NextAt, real.Now())
		}
		real.Set(e.NextAt)
	}
	if e := entry("broadcast:GB-0001/chatHang"); e.Status != store.OutboxSent {
		t.Fatalf("the entry whose call timed out: %s (%s)", e.Status, e.LastError)
	}
	e := entry("broadcast:GB-0001/chatFail")
	if want := "超过重试期限仍未送达：企业微信系统繁忙"; e.Status != store.OutboxFailed || e.Reason != want {
		t.Fatalf("failing entry: %s %q, want failed %q", e.Status, e.Reason, want)
	}
	tries := sender.callTimes("keyFail")
	if last := tries[len(tries)-1]; !last.Equal(created.Add(giveUpAfter)) {
		t.Fatalf("last try %v after creation, want exactly give_up_after (%v)", last.Sub(created), giveUpAfter)
	}
	for i := 1; i < len(tries); i++ {
		gap, age := tries[i].Sub(tries[i-1]), tries[i-1].Sub(created)
		switch {
		case age < 5*time.Minute && gap > 15*time.Second:
			t.Fatalf("try %d at %v: %v after the previous one, want at most 15 s in the first 5 minutes", i, age, gap)
		case age >= 5*time.Minute && gap <= 15*time.Second && i < len(tries)-1:
			t.Fatalf("try %d at %v: %v after the previous one, want backing off after 5 minutes", i, age, gap)
		}
	}
	t.Logf("%d tries of the failing entry in %v", len(tries), giveUpAfter)
	if n := len(fake.Messages()); n != 2 {
		t.Fatalf("%d messages accepted, want 2 (the 催报 and the retried broadcast)", n)
	}
}

// TestSlowDestinationBacklogHoldsFewSlots: a destination whose call hangs,
// with many more entries due behind it, holds at most two of the pool's
// slots; the rest of its backlog stays unclaimed and the other groups are
// served through the other slots.
func TestSlowDestinationBacklogHoldsFewSlots(t *testing.T) {
	r := newRig(t, nil, nil)
	gate := newGatedSender(r.opts.Client, "keySlow")
	r.rebuild(func(o *outbox.Options) { o.Pool, o.Client = 4, gate })
	r.group("chatSlow", "keySlow")
	for i := range 10 {
		r.push(fmt.Sprintf("slow%d", i), "chatSlow", fmt.Sprintf("慢%d", i))
	}
	for i := range 20 {
		chat := fmt.Sprintf("chat%02d", i)
		r.group(chat, "key"+chat)
		r.push("k"+chat, chat, "提醒")
	}
	done := make(chan error, 1)
	go func() {
		_, err := r.w.DeliverDue(context.Background())
		done <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := r.fake.WaitFor(ctx, 20); err != nil {
		close(gate.release)
		t.Fatalf("the other groups waited behind the slow one: %v (%d delivered)", err, len(r.fake.Messages()))
	}
	slow := 0
	_ = r.st.View(context.Background(), func(tx store.Tx) error {
		inFlight, err := store.OutboxInFlight(tx)
		for _, e := range inFlight {
			if e.Target == "chatSlow" {
				slow++
			}
		}
		return err
	})
	if slow != 2 {
		t.Errorf("%d entries of the slow group claimed at once, want 2 (one on the wire, one behind it)", slow)
	}
	close(gate.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	msgs := r.fake.Messages()
	if len(msgs) != 30 {
		t.Fatalf("delivered %d of 30", len(msgs))
	}
	n := 0
	for _, m := range msgs {
		if m.ChatID == "chatSlow" {
			if want := fmt.Sprintf("慢%d", n); m.Content() != want {
				t.Fatalf("slow group got %q, want %q (order)", m.Content(), want)
			}
			n++
		}
	}
}
