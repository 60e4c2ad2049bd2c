package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"firebot/clock"
	"firebot/store"
)

// Opener opens a fresh, empty store whose real clock is real. It registers
// its own cleanup with t (closing twice must be harmless: some tests close
// the store themselves).
type Opener func(t *testing.T, real *clock.Fake) store.Store

// Test is one named conformance test.
type Test struct {
	Name string
	Run  func(t *testing.T, open Opener)
}

// Suite is a named list of tests; Run runs each as a subtest.
type Suite struct {
	Name  string
	Tests []Test
}

// Suites lists the sub-suites in the order Run runs them. A new file of
// tests adds its list here.
func Suites() []Suite {
	return []Suite{
		{"KV", kvTests},
		{"Scan", scanTests},
		{"Expiry", expiryTests},
		{"Transaction", txTests},
		{"Lifecycle", lifecycleTests},
		{"Typed", typedTests},
		{"Prefetch", prefetchTests},
		{"Campaigns", campaignTests},
		{"Hot", hotTests},
	}
}

// Run runs every conformance test against the backend that open opens.
func Run(t *testing.T, open Opener) {
	t.Helper()
	for _, suite := range Suites() {
		t.Run(suite.Name, func(t *testing.T) {
			for _, tc := range suite.Tests {
				t.Run(tc.Name, func(t *testing.T) { tc.Run(t, open) })
			}
		})
	}
}

// Epoch is the fake real clock's reading when a test opens its store.
var Epoch = time.Date(2025, 11, 9, 9, 0, 0, 0, time.UTC)

// openFresh opens a store on a new fake clock reading Epoch.
func openFresh(t *testing.T, open Opener) (store.Store, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(Epoch)
	return open(t, clk), clk
}

// update runs fn in Update and fails the test on error.
func update(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in View and fails the test on error.
func view(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func put(t *testing.T, s store.Store, bucket, key, value string) {
	t.Helper()
	update(t, s, func(tx store.Tx) error { return tx.Put(bucket, key, []byte(value)) })
}

func putTTL(t *testing.T, s store.Store, bucket, key, value string, ttl time.Duration) {
	t.Helper()
	update(t, s, func(tx store.Tx) error { return tx.PutTTL(bucket, key, []byte(value), ttl) })
}

// get reads key through View; a missing key gives ("", ErrNotFound). Any
// other error fails the test.
func get(t *testing.T, s store.Store, bucket, key string) (string, error) {
	t.Helper()
	var got []byte
	err := s.View(context.Background(), func(tx store.Tx) error {
		v, err := tx.Get(bucket, key)
		got = v
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%q, %q): %v", bucket, key, err)
	}
	return string(got), err
}

// wantValue asserts that key holds want, reading through both View and
// Update (their code paths differ in some backends).
func wantValue(t *testing.T, s store.Store, bucket, key, want string) {
	t.Helper()
	got, err := get(t, s, bucket, key)
	if err != nil || got != want {
		t.Fatalf("View Get(%q, %q) = %q, %v; want %q", bucket, key, got, err, want)
	}
	update(t, s, func(tx store.Tx) error {
		v, err := tx.Get(bucket, key)
		if err != nil || string(v) != want {
			t.Errorf("Update Get(%q, %q) = %q, %v; want %q", bucket, key, v, err, want)
		}
		return nil
	})
}

// wantMissing asserts that key reads as ErrNotFound through View and Update.
func wantMissing(t *testing.T, s store.Store, bucket, key string) {
	t.Helper()
	if got, err := get(t, s, bucket, key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("View Get(%q, %q) = %q, %v; want ErrNotFound", bucket, key, got, err)
	}
	update(t, s, func(tx store.Tx) error {
		if v, err := tx.Get(bucket, key); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Update Get(%q, %q) = %q, %v; want ErrNotFound", bucket, key, v, err)
		}
		return nil
	})
}

// scanKeys lists the keys Scan visits (through View).
func scanKeys(t *testing.T, s store.Store, bucket, prefix, start string) []string {
	t.Helper()
	keys := []string{}
	view(t, s, func(tx store.Tx) error {
		return tx.Scan(bucket, prefix, start, func(k string, _ []byte) error {
			keys = append(keys, k)
			return nil
		})
	})
	return keys
}
