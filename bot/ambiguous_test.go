package bot_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"firebot/bot"
	"firebot/store"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
)

// downAfterAmbiguous is a store that becomes unreachable right after an
// Update whose commit was ambiguous, so the endpoint cannot ask again.
type downAfterAmbiguous struct {
	store.Store
	down atomic.Bool
}

func (d *downAfterAmbiguous) Update(ctx context.Context, fn func(store.Tx) error) error {
	if d.down.Load() {
		return errDown
	}
	err := d.Store.Update(ctx, fn)
	if errors.Is(err, store.ErrAmbiguous) {
		d.down.Store(true)
	}
	return err
}

// redisFixture is the endpoint fixture on a Redis store reached through a
// CutProxy; direct reads the same keys without the proxy.
func redisFixture(t *testing.T) (*fixture, *redistest.CutProxy, store.Store) {
	t.Helper()
	proxy := redistest.NewCutProxy(t)
	client, err := redisstore.NewClient(redisstore.ClientOptions{Addr: proxy.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	direct := redistest.Client(t)
	prefix := redistest.Prefix(t, direct)
	f := newFixture(t, bot.ChannelRobot, "")
	f.st.Store = redisstore.New(client, prefix, redisstore.Options{Real: f.real})
	f.rebuild(func(o *bot.EndpointOptions) { o.Budget = 600 * time.Millisecond }) // ambiguous re-runs pause within it (10, 40, 100 ms)
	return f, proxy, redisstore.New(direct, prefix, redisstore.Options{Real: f.real})
}

func storedIn(t *testing.T, st store.Store, bucket, key string) string {
	t.Helper()
	var v []byte
	if err := st.View(context.Background(), func(tx store.Tx) error {
		var err error
		v, err = tx.Get(bucket, key)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return string(v)
}

// Redis runs the callback's unit of work but the connection drops before
// EXEC's reply: the endpoint asks again by the dedupe key and answers
// from what committed, instead of "没有记录", without running the handler
// twice.
func TestAmbiguousCommitAnsweredFromWhatCommitted(t *testing.T) {
	f, proxy, direct := redisFixture(t)
	proxy.CutAfterExec([]byte("cb_dedupe"))
	status, body := f.post(f.seal(robotText("M50", "确认"), "n50"))
	got := f.open(body)
	if status != 200 || !strings.Contains(got, "收到：确认") {
		t.Fatalf("status %d reply %q, want the committed answer", status, got)
	}
	if proxy.Cuts() != 1 {
		t.Fatalf("%d cuts, want 1: the EXEC reply was not lost", proxy.Cuts())
	}
	if f.calls.Load() != 1 || storedIn(t, direct, "effects", "M50") != "确认" {
		t.Fatalf("handler ran %d times, effects %q; want once, committed", f.calls.Load(), storedIn(t, direct, "effects", "M50"))
	}
}

// The EXEC never reached Redis: asking again finds nothing, so the message
// is processed now, once.
func TestAmbiguousCommitThatDidNotLandIsRedone(t *testing.T) {
	f, proxy, direct := redisFixture(t)
	proxy.LoseExec([]byte("cb_dedupe"))
	status, body := f.post(f.seal(robotText("M51", "确认"), "n51"))
	got := f.open(body)
	if status != 200 || !strings.Contains(got, "收到：确认") {
		t.Fatalf("status %d reply %q, want the answer", status, got)
	}
	if proxy.Cuts() != 1 || f.calls.Load() != 2 || storedIn(t, direct, "effects", "M51") != "确认" {
		t.Fatalf("cuts %d, handler runs %d, effects %q; want the lost commit redone", proxy.Cuts(), f.calls.Load(), storedIn(t, direct, "effects", "M51"))
	}
	// A re-send gets the same answer from the dedupe memory.
	_, body = f.post(f.seal(robotText("M51", "确认"), "n51"))
	if f.open(body) != got || f.calls.Load() != 2 {
		t.Fatalf("re-send: %q after %d runs", f.open(body), f.calls.Load())
	}
}

// When the store cannot be asked again, the reply says the outcome is
// unknown rather than "没有记录" (which would be false: it committed).
func TestAmbiguousCommitUnresolvedSaysSo(t *testing.T) {
	f, proxy, direct := redisFixture(t)
	flaky := &downAfterAmbiguous{Store: f.st.Store}
	f.st.Store = flaky
	proxy.CutAfterExec([]byte("cb_dedupe"))
	status, body := f.post(f.seal(robotText("M52", "确认"), "n52"))
	got := f.open(body)
	if status != 200 || !strings.Contains(got, bot.UncertainText) || strings.Contains(got, bot.BusyText) {
		t.Fatalf("status %d reply %q, want the uncertain answer", status, got)
	}
	if storedIn(t, direct, "effects", "M52") != "确认" {
		t.Fatal("the cut EXEC did not commit: the test proves nothing")
	}
	// Once the store is back, a re-send is answered from what committed.
	flaky.down.Store(false)
	_, body = f.post(f.seal(robotText("M52", "确认"), "n53"))
	if got := f.open(body); !strings.Contains(got, "收到：确认") || f.calls.Load() != 1 {
		t.Fatalf("re-send after recovery: %q after %d runs", got, f.calls.Load())
	}
}
