package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"

	"firebot/outbox"
	"firebot/store"
)

// Each fire's pushes are one watched job: when they are all final, the
// office tools get one summary per fire, naming the plan and the fire time.
func TestFireIsWatchedAsOneJob(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(10, 26, 8, 0))
	s := f.scheduler(nil)
	f.step(s, at(10, 26, 8, 0))
	f.step(s, at(10, 27, 9, 0))
	// The outbox's outcomes: the first push of each fire given up.
	failed := map[string]string{}
	f.update(func(tx store.Tx) error {
		es, err := store.ClaimOutbox(tx, f.real.Now().Add(time.Hour), 100, time.Hour, "w")
		if err != nil {
			return err
		}
		for _, e := range es {
			res := store.DeliveryResult{Sent: true}
			if _, ok := failed[e.Source]; !ok {
				failed[e.Source] = e.Key
				res = store.DeliveryResult{ErrCode: -1, Reason: "超过重试期限仍未送达：企业微信系统繁忙"}
			}
			if _, err := store.AckOutbox(tx, e.ID, "w", f.real.Now(), res); err != nil {
				return err
			}
		}
		return nil
	})
	if len(failed) != 2 {
		t.Fatalf("fires: %v", failed)
	}
	var got []outbox.Settled
	for range 2 {
		err := outbox.SettleWatched(context.Background(), f.st, func(_ store.Tx, st outbox.Settled) error {
			got = append(got, st)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 {
		t.Fatalf("%d summaries, want one per fire: %+v", len(got), got)
	}
	for _, st := range got {
		if len(st.Failed) != 1 || st.Failed[0].Key != failed[st.Source] || st.Total != 5 {
			t.Errorf("%s: %d of %d failed", st.Source, len(st.Failed), st.Total)
		}
		if !strings.HasPrefix(st.Label, "提醒“") || !strings.Contains(st.Label, "（10月2") {
			t.Errorf("label %q", st.Label)
		}
	}
}
