package outbox_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"firebot/clock"
	"firebot/outbox"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

// rig is a worker on a real embedded store talking to the fake WeCom over
// loopback, all on one fake real clock.
type rig struct {
	t    *testing.T
	real *clock.Fake
	fake *fakewecom.Server
	st   store.Store
	opts outbox.Options // what w was built with
	w    *outbox.Worker
}

func newRig(t *testing.T, st store.Store, real *clock.Fake) *rig {
	t.Helper()
	if real == nil {
		real = clock.NewFake(time.Date(2023, 11, 1, 9, 0, 0, 0, time.UTC))
	}
	if st == nil {
		es, err := embedded.Open(filepath.Join(t.TempDir(), "o.db"), embedded.Options{Real: real})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { es.Close() })
		st = es
	}
	fake := fakewecom.New(fakewecom.Options{Real: real, Users: []string{"zhangsan", "lisi"}})
	t.Cleanup(fake.Close)
	client := wecom.New(wecom.Options{BaseURL: fake.URL(), CorpID: fake.CorpID(), AgentID: fake.AgentID(), Secret: fake.Secret(), Real: real})
	opts := workerOptions(st, client, real)
	return &rig{t: t, real: real, fake: fake, st: st, opts: opts, w: outbox.New(opts)}
}

func workerOptions(st store.Store, c outbox.Sender, real clock.Clock) outbox.Options {
	return outbox.Options{Store: st, Client: c, Real: real, Pool: 8}
}

// rebuild replaces the worker with one built with r.opts changed by
// change (a service restarted with other settings).
func (r *rig) rebuild(change func(o *outbox.Options)) {
	change(&r.opts)
	r.w = outbox.New(r.opts)
}

// group registers a chat with its webhook key at the fake and in the store.
func (r *rig) group(chat, key string) {
	r.fake.RegisterWebhookKey(key, chat)
	r.update(func(tx store.Tx) error { return store.LearnWebhookKey(tx, chat, key) })
}

func (r *rig) update(fn func(tx store.Tx) error) {
	r.t.Helper()
	if err := r.st.Update(context.Background(), fn); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) push(key, chat, text string) {
	r.update(func(tx store.Tx) error { return outbox.GroupText(tx, key, "test", chat, text, nil) })
}

// drain delivers until nothing is pending or the horizon passes, moving the
// fake clock straight to the next due time (retry backoffs, budget waits)
// of the entries enqueued with source "test".
func (r *rig) drain(horizon time.Duration) {
	r.t.Helper()
	end := r.real.Now().Add(horizon)
	for {
		if _, err := r.w.DeliverDue(context.Background()); err != nil {
			r.t.Fatal(err)
		}
		next, ok := r.nextDue()
		if !ok {
			return
		}
		if !next.After(r.real.Now()) { // not expected after DeliverDue; never spin
			next = r.real.Now().Add(time.Second)
		}
		if next.After(end) {
			return
		}
		r.real.Set(next)
	}
}

// nextDue is the earliest due time of a pending "test" entry.
func (r *rig) nextDue() (time.Time, bool) {
	r.t.Helper()
	var next time.Time
	err := r.st.View(context.Background(), func(tx store.Tx) error {
		entries, err := store.OutboxBySource(tx, "test")
		for _, e := range entries {
			if e.Status == store.OutboxPending && (next.IsZero() || e.NextAt.Before(next)) {
				next = e.NextAt
			}
		}
		return err
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return next, !next.IsZero()
}

func (r *rig) pending() int {
	var n int
	_ = r.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		n, _, err = store.OutboxPendingStats(tx)
		return err
	})
	return n
}

func (r *rig) entry(key string) *store.OutboxEntry {
	r.t.Helper()
	var e *store.OutboxEntry
	err := r.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		e, err = store.OutboxByKey(tx, key)
		return err
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return e
}

func TestRetryableErrorsAreRetriedAndDelivered(t *testing.T) {
	faults := map[string]fakewecom.Fault{
		"45009":          fakewecom.Errcode(45009),
		"-1":             fakewecom.SystemBusy(),
		"malformed json": fakewecom.MalformedJSON(),
		"http 502":       fakewecom.HTTPStatus(502),
	}
	for name, f := range faults {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, nil, nil)
			r.group("chatA", "keyA")
			r.fake.InjectFault("webhook/send", 2, f)
			r.push("k1", "chatA", "明天上午九点半集中宣传活动")
			r.drain(10 * time.Minute)
			e := r.entry("k1")
			if e.Status != store.OutboxSent || e.Attempts != 3 {
				t.Fatalf("status %s after %d attempts (%s), want sent after 3", e.Status, e.Attempts, e.LastError)
			}
			if got := len(r.fake.Messages()); got != 1 {
				t.Fatalf("fake recorded %d messages, want 1", got)
			}
		})
	}
}

func TestRemovedRobotIsPermanent(t *testing.T) {
	r := newRig(t, nil, nil)
	r.update(func(tx store.Tx) error { return store.LearnWebhookKey(tx, "chatGone", "keyGone") }) // unknown at the fake → 93000
	r.push("k1", "chatGone", "提醒")
	r.drain(time.Minute)
	e := r.entry("k1")
	if e.Status != store.OutboxFailed || e.ErrCode != 93000 || e.Attempts != 1 {
		t.Fatalf("got status %s errcode %d attempts %d", e.Status, e.ErrCode, e.Attempts)
	}
	if e.Reason == "" || e.Reason == e.LastError {
		t.Fatalf("no plain-Chinese reason: %q", e.Reason)
	}
	if n := r.fake.CallCount("webhook/send"); n != 1 {
		t.Fatalf("%d calls, want exactly 1 (no retry)", n)
	}
}

func TestNoWebhookKeyFailsWithReason(t *testing.T) {
	r := newRig(t, nil, nil)
	r.push("k1", "chatUnknown", "提醒")
	r.drain(time.Minute)
	if e := r.entry("k1"); e.Status != store.OutboxFailed || e.Reason == "" {
		t.Fatalf("status %s reason %q", e.Status, e.Reason)
	}
}

func TestRobotBudgetTwentyPerMinute(t *testing.T) {
	r := newRig(t, nil, nil)
	r.group("chatA", "keyA")
	for i := range 60 {
		r.push(fmt.Sprintf("k%02d", i), "chatA", fmt.Sprintf("第%d条", i))
	}
	r.drain(10 * time.Minute)
	msgs := r.fake.Messages()
	if len(msgs) != 60 {
		t.Fatalf("delivered %d of 60", len(msgs))
	}
	times := make([]time.Time, len(msgs))
	for i, m := range msgs {
		times[i] = m.At
		if want := fmt.Sprintf("第%d条", i); m.Content() != want {
			t.Fatalf("message %d is %q, want %q (order)", i, m.Content(), want)
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i := range times {
		n := 0
		for j := i; j < len(times) && times[j].Sub(times[i]) < time.Minute; j++ {
			n++
		}
		if n > 20 {
			t.Fatalf("%d sends within 60 s starting at %v", n, times[i])
		}
	}
	if n := r.fake.CallCount("webhook/send"); n != 60 {
		t.Fatalf("%d webhook calls: the worker hit the server's limit instead of queueing", n)
	}
}

func TestLongMarkdownSplitInOrder(t *testing.T) {
	r := newRig(t, nil, nil)
	r.group("chatA", "keyA")
	text := ""
	for len(text) < 5000 {
		text += "消防安全，人人有责。Fire safety 119！\n"
	}
	r.update(func(tx store.Tx) error { return outbox.GroupMarkdown(tx, "long", "test", "chatA", text, nil) })
	r.drain(time.Minute)
	msgs := r.fake.Messages()
	if len(msgs) < 2 {
		t.Fatalf("%d parts", len(msgs))
	}
	joined := ""
	for _, m := range msgs {
		if len(m.Content()) > wecom.MaxWebhookMarkdownBytes {
			t.Fatalf("part of %d bytes", len(m.Content()))
		}
		joined += m.Content()
	}
	if joined != text {
		t.Fatal("parts do not join back to the text in order")
	}
}

func TestIdempotencyKeyNeverSendsTwice(t *testing.T) {
	r := newRig(t, nil, nil)
	r.group("chatA", "keyA")
	r.push("once", "chatA", "只发一次")
	r.drain(time.Minute)
	r.push("once", "chatA", "只发一次")
	r.drain(time.Minute)
	if n := len(r.fake.Messages()); n != 1 {
		t.Fatalf("sent %d times", n)
	}
}

func TestTokenExpiryMidRun(t *testing.T) {
	r := newRig(t, nil, nil)
	send := func(key string) {
		r.update(func(tx store.Tx) error { return outbox.UserText(tx, key, "test", []string{"zhangsan"}, "您好") })
		r.drain(time.Minute)
		if e := r.entry(key); e.Status != store.OutboxSent {
			t.Fatalf("%s: %s %s", key, e.Status, e.LastError)
		}
	}
	send("a1")
	r.fake.ExpireTokens()
	send("a2")
	r.fake.RevokeToken()
	send("a3")
	if n := r.fake.CallCount("gettoken"); n != 3 {
		t.Fatalf("gettoken called %d times, want 3", n)
	}
}
