package store_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"firebot/clock"
	"firebot/store"
	"firebot/store/embedded"
)

// The callback memories are kept apart, expire on the real clock, and an
// unknown memo is an error, not a bucket named "".
func TestCallbacksMemory(t *testing.T) {
	real := clock.NewFake(time.Date(2023, 11, 3, 10, 0, 0, 0, time.UTC))
	st, err := embedded.Open(filepath.Join(t.TempDir(), "cb.db"), embedded.Options{Real: real})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	mem := store.Callbacks{Store: st}
	ctx := t.Context()
	if err := mem.Update(ctx, func(tx store.Tx) error {
		if err := mem.Remember(tx, store.MemoOutcome, "k", []byte("answer"), time.Hour); err != nil {
			return err
		}
		return mem.Remember(tx, store.MemoNonce, "k", []byte("sum"), 2*time.Hour)
	}); err != nil {
		t.Fatal(err)
	}
	recall := func(m store.Memo) (string, error) {
		var b []byte
		err := mem.View(ctx, func(tx store.Tx) error {
			var err error
			b, err = mem.Recall(tx, m, "k")
			return err
		})
		return string(b), err
	}
	for m, want := range map[store.Memo]string{store.MemoOutcome: "answer", store.MemoNonce: "sum"} {
		if got, err := recall(m); err != nil || got != want {
			t.Errorf("memo %d: %q, %v; want %q", m, got, err, want)
		}
	}
	if _, err := recall(store.MemoStream); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("stream memo: %v, want ErrNotFound", err)
	}
	real.Advance(90 * time.Minute)
	if _, err := recall(store.MemoOutcome); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("outcome after its ttl: %v, want ErrNotFound", err)
	}
	if got, err := recall(store.MemoNonce); err != nil || got != "sum" {
		t.Errorf("nonce within its ttl: %q, %v", got, err)
	}
	if _, err := recall(store.Memo(9)); err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown memo: %v, want an error", err)
	}
	if err := mem.Update(ctx, func(tx store.Tx) error {
		return mem.Remember(tx, store.Memo(-1), "k", nil, time.Hour)
	}); err == nil {
		t.Error("remembering an unknown memo succeeded")
	}
	if r := mem.MemoRead(store.MemoNonce, "k"); r.Bucket != "cb_nonce" || r.Key != "k" {
		t.Errorf("MemoRead = %+v", r)
	}
}
