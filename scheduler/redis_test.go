package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"firebot/clock"
	"firebot/store"
	"firebot/store/redisstore"
)

// redisAddr is the server under test (env REDIS_ADDR). Without it the test
// is skipped, except on CI (env CI set), where it fails.
func redisAddr(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("REDIS_ADDR is not set: CI must run the Redis tests")
		}
		t.Skip("REDIS_ADDR is not set")
	}
	return addr
}

// redisStores opens n stores over n clients sharing one unique prefix, as n
// firebot processes on one Redis would; the keys are deleted at cleanup.
func redisStores(t *testing.T, real clock.Clock, n int) []store.Store {
	t.Helper()
	addr := redisAddr(t)
	var b [8]byte
	_, _ = rand.Read(b[:])
	prefix := "{firebot-sched-test-" + hex.EncodeToString(b[:]) + "}:"
	var out []store.Store
	var clients []redis.UniversalClient
	for range n {
		c, err := redisstore.NewClient(addr, "", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Ping(context.Background()).Err(); err != nil {
			t.Fatalf("Redis at %s: %v", addr, err)
		}
		clients = append(clients, c)
		out = append(out, redisstore.New(c, prefix, redisstore.Options{Real: real}))
	}
	t.Cleanup(func() {
		for _, s := range out {
			_ = s.Close()
		}
		ctx := context.Background()
		var keys []string
		iter := clients[0].Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if len(keys) > 0 {
			if err := clients[0].Del(ctx, keys...).Err(); err != nil {
				t.Errorf("cleanup: %v", err)
			}
		}
		for _, c := range clients {
			_ = c.Close()
		}
	})
	return out
}

// TestTwoInstancesOnRedis: two schedulers on one Redis store, stepped at the
// same instants concurrently, send every reminder exactly once: the same
// pushes one scheduler alone sends.
func TestTwoInstancesOnRedis(t *testing.T) {
	cfg := smallConfig(t)
	real := clock.NewFake(realEpoch)
	stores := redisStores(t, real, 2)
	campaignClock := clock.NewFake(at(10, 26, 8, 0))
	ctx := context.Background()
	if err := stores[0].Update(ctx, func(tx store.Tx) error {
		_, err := store.SeedRoster(tx, cfg.Units, "test")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var scheds []*Scheduler
	for _, st := range stores {
		s, err := New(Options{Config: cfg, Store: st, Campaign: campaignClock})
		if err != nil {
			t.Fatal(err)
		}
		scheds = append(scheds, s)
	}
	steps := []time.Time{at(10, 26, 8, 0), at(10, 26, 15, 0), at(10, 27, 15, 0), at(11, 3, 16, 0), at(11, 9, 9, 0), at(11, 24, 9, 0), at(12, 1, 18, 0)}
	for _, step := range steps {
		campaignClock.Set(step)
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, len(scheds))
		for i, s := range scheds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = s.RunUntil(ctx, step)
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("RunUntil(%v): %v", step, err)
			}
		}
	}
	got := drainStore(t, stores[1], real.Now())
	seen := map[string]bool{}
	for _, p := range got {
		if seen[p.Key] {
			t.Errorf("sent twice: %s", p.Key)
		}
		seen[p.Key] = true
	}

	// The same steps with one scheduler on an embedded store.
	f := newFixture(t, cfg, at(10, 26, 8, 0))
	single := f.scheduler(nil)
	for _, step := range steps {
		f.step(single, step)
	}
	want := targets(f.drain())
	gotTargets := targets(got)
	sort.Strings(want)
	sort.Strings(gotTargets)
	if diff := cmp.Diff(want, gotTargets); diff != "" {
		t.Errorf("two instances (-one alone +two together):\n%s", diff)
	}
	if len(want) < 50 {
		t.Errorf("only %d pushes: the scenario is too small", len(want))
	}
}
