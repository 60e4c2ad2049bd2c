package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"firebot/outbox"
	"firebot/store"
	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

func TestGiveUpAfterRetryingForever(t *testing.T) {
	r := newRig(t, nil, nil)
	r.rebuild(func(o *outbox.Options) { o.GiveUpAfter = 30 * time.Minute })
	r.group("chatA", "keyA")
	r.fake.InjectFault("webhook/send", 0, fakewecom.SystemBusy()) // every call, until cleared
	r.push("k1", "chatA", "提醒")
	created := r.real.Now()
	r.drain(3 * time.Hour)

	e := r.entry("k1")
	if e.Status != store.OutboxFailed || e.ErrCode != wecom.CodeSystemBusy {
		t.Fatalf("status %s errcode %d, want failed with -1", e.Status, e.ErrCode)
	}
	if want := "超过重试期限仍未送达：企业微信系统繁忙"; e.Reason != want {
		t.Fatalf("reason %q, want %q", e.Reason, want)
	}
	if e.Attempts < 3 {
		t.Fatalf("gave up after %d attempts: it should retry for 30 minutes", e.Attempts)
	}
	if gaveUp := r.real.Now(); gaveUp.Sub(created) < 30*time.Minute || gaveUp.Sub(created) > 45*time.Minute {
		t.Fatalf("gave up %v after enqueueing, want 30 min plus at most one backoff", gaveUp.Sub(created))
	}
	if n := r.fake.CallCount("webhook/send"); n != e.Attempts {
		t.Fatalf("%d calls for %d attempts", n, e.Attempts)
	}
	calls := r.fake.CallCount("webhook/send")
	r.drain(time.Hour) // a failed entry is final
	if n := r.fake.CallCount("webhook/send"); n != calls {
		t.Fatalf("%d more calls after giving up", n-calls)
	}
}

// maxInWindow is the most of times (sorted) that fall within any window.
func maxInWindow(times []time.Time, window time.Duration) int {
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	most := 0
	for i := range times {
		n := 0
		for j := i; j < len(times) && times[j].Sub(times[i]) < window; j++ {
			n++
		}
		most = max(most, n)
	}
	return most
}

func TestAppMemberBudgetThirtyPerMinute(t *testing.T) {
	r := newRig(t, nil, nil)
	for i := range 31 {
		r.update(func(tx store.Tx) error {
			return outbox.UserText(tx, fmt.Sprintf("u%02d", i), "test", []string{"zhangsan"}, fmt.Sprintf("第%d条", i))
		})
	}
	r.drain(10 * time.Minute)

	msgs := r.fake.Messages()
	if len(msgs) != 31 {
		t.Fatalf("delivered %d of 31", len(msgs))
	}
	times := make([]time.Time, len(msgs))
	for i, m := range msgs {
		times[i] = m.At
		if want := fmt.Sprintf("第%d条", i); m.Content() != want || m.ToUser != "zhangsan" {
			t.Fatalf("message %d is %q to %q, want %q to zhangsan (order)", i, m.Content(), m.ToUser, want)
		}
	}
	if n := maxInWindow(times, time.Minute); n > 30 {
		t.Fatalf("%d messages to one member within 60 s", n)
	}
	if n := r.fake.CallCount("message/send"); n != 31 {
		t.Fatalf("%d message/send calls: the worker hit the server's limit instead of queueing", n)
	}
	for i := range 31 {
		if e := r.entry(fmt.Sprintf("u%02d", i)); e.Status != store.OutboxSent {
			t.Fatalf("u%02d: %s %s", i, e.Status, e.LastError)
		}
	}
}

func TestWebhookFileReuploadedOn40007(t *testing.T) {
	r := newRig(t, nil, nil)
	r.group("chatA", "keyA")
	path := filepath.Join(t.TempDir(), "plan.txt")
	if err := os.WriteFile(path, []byte("119 消防宣传月活动方案：11月9日集中宣传。"), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := outbox.Entry("file1", "test", outbox.ChannelWebhook, "chatA", outbox.Message{
		WebhookFile: &outbox.FileRef{Path: path, Name: "活动方案.txt"},
	})
	if err != nil {
		t.Fatal(err)
	}
	r.update(func(tx store.Tx) error { _, err := store.EnqueueOutbox(tx, e); return err })
	// The first file message is refused as if its media_id had expired.
	r.fake.InjectFault("webhook/send", 1, fakewecom.Errcode(wecom.CodeInvalidMediaID))
	r.drain(time.Minute)

	got := r.entry("file1")
	if got.Status != store.OutboxSent || got.Attempts != 1 {
		t.Fatalf("status %s after %d attempts (%s), want sent in one attempt", got.Status, got.Attempts, got.LastError)
	}
	if n := r.fake.CallCount("webhook/upload_media"); n != 2 {
		t.Fatalf("%d uploads, want 2 (the second after 40007)", n)
	}
	msgs := r.fake.Messages()
	if len(msgs) != 1 || msgs[0].MsgType != "file" || msgs[0].ChatID != "chatA" {
		t.Fatalf("recorded %+v, want one file message to chatA", msgs)
	}
}

func TestHoldKeepsEntriesPending(t *testing.T) {
	r := newRig(t, nil, nil)
	r.rebuild(func(o *outbox.Options) { o.Hold = true })
	r.group("chatA", "keyA")
	r.push("k1", "chatA", "一")
	r.update(func(tx store.Tx) error { return outbox.UserText(tx, "k2", "test", []string{"zhangsan"}, "二") })
	for range 3 {
		n, err := r.w.DeliverDue(context.Background())
		if n != 0 || err != nil {
			t.Fatalf("DeliverDue while held = %d, %v", n, err)
		}
		r.real.Advance(time.Hour)
	}
	for _, api := range []string{"webhook/send", "message/send", "gettoken"} {
		if n := r.fake.CallCount(api); n != 0 {
			t.Fatalf("%d calls to %s while held", n, api)
		}
	}
	if n := r.pending(); n != 2 {
		t.Fatalf("%d entries pending while held, want 2", n)
	}
	for _, k := range []string{"k1", "k2"} {
		if e := r.entry(k); e.Status != store.OutboxPending || e.Attempts != 0 || e.InFlight() {
			t.Fatalf("%s: status %s, %d attempts, in flight %v", k, e.Status, e.Attempts, e.InFlight())
		}
	}
	r.rebuild(func(o *outbox.Options) { o.Hold = false }) // restarted with real credentials: the queue goes out
	r.drain(time.Minute)
	if n := len(r.fake.Messages()); n != 2 {
		t.Fatalf("delivered %d of 2 after the hold", n)
	}
}

func TestBadSecretFailsAppSendsWithoutHammering(t *testing.T) {
	r := newRig(t, nil, nil)
	r.rebuild(func(o *outbox.Options) {
		o.Client = wecom.New(wecom.Options{BaseURL: r.fake.URL(), CorpID: r.fake.CorpID(), AgentID: r.fake.AgentID(),
			Secret: "wrong-secret", Real: r.real})
	})
	users := []string{"zhangsan", "lisi", "wangwu", "zhaoliu", "sunqi"}
	for i, u := range users {
		r.update(func(tx store.Tx) error {
			return outbox.UserText(tx, fmt.Sprintf("a%d", i), "test", []string{u}, "您好")
		})
	}
	r.drain(time.Hour)

	for i := range users {
		e := r.entry(fmt.Sprintf("a%d", i))
		if e.Status != store.OutboxFailed || e.ErrCode != wecom.CodeInvalidSecret || e.Attempts != 1 {
			t.Fatalf("a%d: status %s errcode %d attempts %d, want failed with 40001 in one attempt", i, e.Status, e.ErrCode, e.Attempts)
		}
		if want := "企业微信应用密钥（Secret）错误"; e.Reason != want {
			t.Fatalf("a%d: reason %q, want %q", i, e.Reason, want)
		}
	}
	if n := r.fake.CallCount("gettoken"); n != 1 {
		t.Fatalf("gettoken called %d times for %d messages, want 1", n, len(users))
	}
	if n := r.fake.CallCount("message/send"); n != 0 {
		t.Fatalf("%d message/send calls without a token", n)
	}
}

// gatedSender holds WebhookSend calls to one key until release is closed (or
// the call's context ends).
type gatedSender struct {
	outbox.Sender
	key     string
	once    sync.Once
	entered chan struct{}
	release chan struct{}
}

func newGatedSender(s outbox.Sender, key string) *gatedSender {
	return &gatedSender{Sender: s, key: key, entered: make(chan struct{}), release: make(chan struct{})}
}

func (g *gatedSender) WebhookSend(ctx context.Context, key string, msg wecom.WebhookMessage) error {
	if key == g.key {
		g.once.Do(func() { close(g.entered) })
		select {
		case <-g.release:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return g.Sender.WebhookSend(ctx, key, msg)
}

func TestSlowCallHoldsOnlyItsSlot(t *testing.T) {
	r := newRig(t, nil, nil)
	gate := newGatedSender(r.opts.Client, "keySlow")
	r.rebuild(func(o *outbox.Options) { o.Pool, o.Client = 4, gate })
	r.group("chatSlow", "keySlow")
	r.push("slow", "chatSlow", "慢")
	for i := range 40 {
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
	// All 40 others go out through the 3 free slots while one call hangs.
	if _, err := r.fake.WaitFor(ctx, 40); err != nil {
		close(gate.release)
		t.Fatalf("the other pushes waited for the slow call: %v (%d delivered)", err, len(r.fake.Messages()))
	}
	close(gate.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := len(r.fake.Messages()); n != 41 {
		t.Fatalf("delivered %d of 41", n)
	}
}

func TestShutdownPutsInFlightEntriesBack(t *testing.T) {
	r := newRig(t, nil, nil)
	r.group("chatA", "keyA")
	r.push("a1", "chatA", "一")
	r.push("a2", "chatA", "二") // queued behind a1 in its lane
	r.fake.InjectFault("webhook/send", 1, fakewecom.Hang())

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := r.w.DeliverDue(ctx)
		done <- err
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := r.fake.WaitForCalls(wctx, "webhook/send", 1); err != nil {
		t.Fatal(err)
	}
	cancel() // shutting down while a1 is on the wire
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("DeliverDue = %v, want context.Canceled", err)
	}
	for _, k := range []string{"a1", "a2"} {
		e := r.entry(k)
		if e.Status != store.OutboxPending || e.InFlight() || e.NextAt.After(r.real.Now()) {
			t.Fatalf("%s after shutdown: status %s, in flight %v, due %v: want pending and due now", k, e.Status, e.InFlight(), e.NextAt)
		}
	}
	r.drain(time.Minute) // the next run delivers both, in order
	msgs := r.fake.Messages()
	if len(msgs) != 2 || msgs[0].Content() != "一" || msgs[1].Content() != "二" {
		t.Fatalf("after restart got %d messages", len(msgs))
	}
}

func TestRetryKeepsLaneOrder(t *testing.T) {
	r := newRig(t, nil, nil)
	r.rebuild(func(o *outbox.Options) { o.Pool = 2 }) // the lane's entries arrive over several claims
	r.group("chatA", "keyA")
	var want []string
	for i := range 6 {
		text := fmt.Sprintf("第%d条", i)
		want = append(want, text)
		r.push(fmt.Sprintf("k%d", i), "chatA", text)
	}
	r.fake.InjectFault("webhook/send", 1, fakewecom.SystemBusy()) // the first one must be retried
	r.drain(time.Hour)

	var got []string
	for _, m := range r.fake.Messages() {
		got = append(got, m.Content())
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("delivered %v, want %v", got, want)
	}
}

func TestDeliveriesCountedByStatus(t *testing.T) {
	r := newRig(t, nil, nil)
	reg := prometheus.NewRegistry()
	r.rebuild(func(o *outbox.Options) { o.Stats = outbox.NewMetrics(reg) })
	r.group("chatA", "keyA")
	r.push("ok", "chatA", "提醒")
	r.push("gone", "chatGone", "提醒") // no webhook key: failed
	r.fake.InjectFault("webhook/send", 1, fakewecom.SystemBusy())
	r.drain(time.Hour)

	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "firebot_outbox_deliveries_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				got[l.GetValue()] = m.GetCounter().GetValue()
			}
		}
	}
	want := map[string]float64{"sent": 1, "failed": 1, "retry": 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("deliveries (-want +got):\n%s", diff)
	}
}
