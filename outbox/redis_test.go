package outbox_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"firebot/clock"
	"firebot/outbox"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

func redisClient(tb testing.TB) redis.UniversalClient { return redistest.Client(tb) }

func redisPrefix(tb testing.TB, client redis.UniversalClient) string {
	return redistest.Prefix(tb, client)
}

// openRedis returns a Store on the server under test under prefix; each
// call is a separate Store (a separate replica) sharing the state.
func openRedis(tb testing.TB, client redis.UniversalClient, prefix string, real clock.Clock) *redisstore.Store {
	tb.Helper()
	s := redisstore.New(client, prefix, redisstore.Options{Real: real})
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// TestTwoWorkersOneStore runs two workers (two replicas) draining one outbox
// concurrently: each entry is delivered exactly once.
func TestTwoWorkersOneStore(t *testing.T) {
	const entries = 300
	backends := map[string]func(t *testing.T, real clock.Clock) (store.Store, store.Store){
		// Two processes cannot open one bbolt file; two workers in one
		// process share the Store.
		"embedded": func(t *testing.T, real clock.Clock) (store.Store, store.Store) {
			st, err := embedded.Open(filepath.Join(t.TempDir(), "o.db"), embedded.Options{Real: real})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st, st
		},
		// Two replicas: separate clients and Stores on one prefix.
		"redis": func(t *testing.T, real clock.Clock) (store.Store, store.Store) {
			c1, c2 := redisClient(t), redisClient(t)
			prefix := redisPrefix(t, c1)
			return openRedis(t, c1, prefix, real), openRedis(t, c2, prefix, real)
		},
	}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			real := clock.NewFake(time.Date(2023, 11, 1, 9, 0, 0, 0, time.UTC))
			st1, st2 := open(t, real)
			fake := fakewecom.New(fakewecom.Options{Real: real})
			t.Cleanup(fake.Close)
			err := st1.Update(context.Background(), func(tx store.Tx) error {
				for i := range entries {
					chat, key := fmt.Sprintf("chat%03d", i), fmt.Sprintf("key%03d", i)
					fake.RegisterWebhookKey(key, chat)
					if err := store.LearnWebhookKey(tx, chat, key); err != nil {
						return err
					}
					if err := outbox.GroupText(tx, "two:"+chat, "two", chat, "消防安全提醒", nil); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}

			// Each worker's first send waits until the other one has claimed
			// entries too: the two drain the outbox at the same time.
			arrived, both := make(chan struct{}), make(chan struct{})
			go func() { <-arrived; <-arrived; close(both) }()
			workers := make([]*outbox.Worker, 2)
			for i, st := range []store.Store{st1, st2} {
				client := wecom.New(wecom.Options{BaseURL: fake.URL(), Real: real})
				workers[i] = outbox.New(outbox.Options{Store: st, Client: &meetSender{Sender: client, arrived: arrived, both: both}, Real: real, Pool: 8})
			}
			attempts := make([]int, len(workers))
			errs := make([]error, len(workers))
			var wg sync.WaitGroup
			for i, w := range workers {
				wg.Go(func() { attempts[i], errs[i] = w.DeliverDue(context.Background()) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("worker %d: %v", i, err)
				}
			}
			t.Logf("attempts per worker: %v", attempts)
			if attempts[0]+attempts[1] != entries || attempts[0] == 0 || attempts[1] == 0 {
				t.Fatalf("attempts %v: want %d in all, shared by both workers", attempts, entries)
			}

			received := map[string]int{}
			for _, m := range fake.Messages() {
				received[m.ChatID]++
			}
			for i := range entries {
				if n := received[fmt.Sprintf("chat%03d", i)]; n != 1 {
					t.Errorf("chat%03d received %d copies, want 1", i, n)
				}
			}
			err = st2.View(context.Background(), func(tx store.Tx) error {
				entries, err := store.OutboxBySource(tx, "two")
				for _, e := range entries {
					if e.Status != store.OutboxSent || e.Attempts != 1 {
						t.Errorf("%s: %s after %d attempts", e.Target, e.Status, e.Attempts)
					}
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// meetSender holds its first webhook send until both is closed, after
// announcing itself on arrived.
type meetSender struct {
	outbox.Sender
	once    sync.Once
	arrived chan<- struct{}
	both    <-chan struct{}
}

func (m *meetSender) WebhookSend(ctx context.Context, key string, msg wecom.WebhookMessage) error {
	m.once.Do(func() { m.arrived <- struct{}{} })
	select {
	case <-m.both:
	case <-ctx.Done():
		return ctx.Err()
	}
	return m.Sender.WebhookSend(ctx, key, msg)
}
