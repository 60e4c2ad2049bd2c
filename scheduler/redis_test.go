package scheduler

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/clock"
	"firebot/store"
	"firebot/store/redisstore/redistest"
)

// redisStores opens n stores over n clients sharing one unique prefix, as n
// firebot processes on one Redis would; the keys are deleted at cleanup.
func redisStores(t *testing.T, real clock.Clock, n int) []store.Store {
	t.Helper()
	var out []store.Store
	for _, s := range redistest.Stores(t, real, n) {
		out = append(out, s)
	}
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
