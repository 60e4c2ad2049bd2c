package outbox_test

import (
	"context"
	"testing"
	"time"

	"firebot/outbox"
	"firebot/store"
	"firebot/wecom/fakewecom"
)

// A watched job is reported once, when its last push is final, with the
// pushes given up; while a retry is ahead, looking writes nothing.
func TestWatchedSourceSettledOnce(t *testing.T) {
	r := newRig(t, nil, nil)
	r.rebuild(func(o *outbox.Options) { o.GiveUpAfter = 20 * time.Minute })
	r.group("chatA", "keyA")
	r.group("chatB", "keyB")
	r.fake.InjectFault("webhook/send", 0, fakewecom.Fault{Kind: fakewecom.FaultErrcode, Code: -1, Key: "keyB"})
	r.update(func(tx store.Tx) error {
		for _, chat := range []string{"chatA", "chatB"} {
			if err := outbox.GroupText(tx, "fire1:"+chat, "test", chat, "提醒", nil); err != nil {
				return err
			}
		}
		return outbox.Watch(tx, "test", "提醒“周报”")
	})
	var reports []outbox.Settled
	settle := func() {
		t.Helper()
		err := outbox.SettleWatched(context.Background(), r.st, func(_ store.Tx, s outbox.Settled) error {
			reports = append(reports, s)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	settle() // nothing attempted yet
	if _, err := r.w.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := &countingStore{Store: r.st}
	for range 3 { // chatB waits for its retry: one write to note when, then none
		if err := outbox.SettleWatched(context.Background(), st, func(store.Tx, outbox.Settled) error {
			t.Fatal("settled while a push is pending")
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if n := st.writes.Load(); n != 1 {
		t.Fatalf("%d writes while a retry is ahead, want 1", n)
	}
	r.drain(time.Hour)
	settle()
	settle()
	if len(reports) != 1 {
		t.Fatalf("%d reports, want 1", len(reports))
	}
	got := reports[0]
	if got.Label != "提醒“周报”" || got.Total != 2 || len(got.Failed) != 1 || got.Failed[0].Target != "chatB" {
		t.Fatalf("report %+v", got)
	}
}
