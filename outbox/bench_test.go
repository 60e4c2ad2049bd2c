package outbox_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"firebot/clock"
	"firebot/outbox"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

// BenchmarkFanOut1000 measures the wall time to deliver 1,000 webhook pushes
// to 1,000 distinct robot keys through the fake WeCom with 20 ms added to
// every call, by a Worker with the default pool. Setup (store, fake, enqueue)
// is not timed; the s/fanout metric is the delivery time of one fan-out.
//
//	go test -run '^$' -bench FanOut -benchtime 3x ./outbox/
func BenchmarkFanOut1000(b *testing.B) {
	b.Run("embedded", func(b *testing.B) {
		benchFanOut(b, func(b *testing.B) store.Store {
			st, err := embedded.Open(filepath.Join(b.TempDir(), "bench.db"), embedded.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return st
		})
	})
	b.Run("redis", func(b *testing.B) {
		client := redisClient(b)
		benchFanOut(b, func(b *testing.B) store.Store {
			return openRedis(b, client, redisPrefix(b, client), clock.Real{})
		})
	})
}

const fanOut = 1000

func benchFanOut(b *testing.B, open func(*testing.B) store.Store) {
	ctx := context.Background()
	var total time.Duration
	for range b.N {
		b.StopTimer()
		st := open(b)
		fake := fakewecom.New(fakewecom.Options{})
		fake.SetLatency(20 * time.Millisecond)
		client := wecom.New(wecom.Options{BaseURL: fake.URL()})
		err := st.Update(ctx, func(tx store.Tx) error {
			for i := range fanOut {
				chat, key := fmt.Sprintf("chat%04d", i), fmt.Sprintf("key%04d", i)
				fake.RegisterWebhookKey(key, chat)
				if err := store.LearnWebhookKey(tx, chat, key); err != nil {
					return err
				}
				if err := outbox.GroupText(tx, "fanout:"+chat, "bench", chat, "11月9日消防宣传日，请各单位做好准备。", nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		w := outbox.New(outbox.Options{Store: st, Client: client}) // default pool, real clock
		b.StartTimer()

		start := time.Now()
		n, err := w.DeliverDue(ctx)
		took := time.Since(start)

		b.StopTimer()
		total += took
		if err != nil || n != fanOut {
			b.Fatalf("delivered %d (%v), want %d", n, err, fanOut)
		}
		if got := len(fake.Messages()); got != fanOut {
			b.Fatalf("fake recorded %d messages, want %d", got, fanOut)
		}
		fake.Close()
		b.StartTimer()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/fanout")
}
