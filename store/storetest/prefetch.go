package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"firebot/store"
)

var prefetchTests = []Test{
	{"SameResults", testPrefetchSameResults},
	{"StillIsolated", testPrefetchStillIsolated},
}

// testPrefetchSameResults: reads after Prefetch answer exactly what they
// answer without it, including expired entries, the unit of work's own
// writes and ranges it changed.
func testPrefetchSameResults(t *testing.T, open Opener) {
	s, clk := openFresh(t, open)
	put(t, s, "b", "k1", "v1")
	putTTL(t, s, "b", "k2", "v2", time.Hour)
	putTTL(t, s, "b", "gone", "x", time.Second)
	for _, k := range []string{"p\x00a", "p\x00b", "q\x00c"} {
		put(t, s, "r", k, k)
	}
	clk.Advance(2 * time.Second)
	update(t, s, func(tx store.Tx) error {
		err := store.Prefetch(tx,
			store.Read{Bucket: "b", Key: "k1"}, store.Read{Bucket: "b", Key: "k2"},
			store.Read{Bucket: "b", Key: "gone"}, store.Read{Bucket: "b", Key: "missing"},
			store.Read{Bucket: "r", Key: "p\x00", Prefix: true}, store.Read{Bucket: "empty", Key: "", Prefix: true},
			store.Read{Bucket: "~bad", Key: "k"}, store.Read{Bucket: "b", Key: ""})
		if err != nil {
			return err
		}
		for k, want := range map[string]string{"k1": "v1", "k2": "v2"} {
			if v, err := tx.Get("b", k); err != nil || string(v) != want {
				t.Errorf("Get %s after Prefetch: %q, %v; want %q", k, v, err, want)
			}
		}
		for _, k := range []string{"gone", "missing"} {
			if _, err := tx.Get("b", k); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Get %s after Prefetch: %v; want ErrNotFound", k, err)
			}
		}
		if _, err := tx.Get("~bad", "k"); err == nil {
			t.Error("Get of an invalid bucket after Prefetch succeeded")
		}
		if got := txScanKeys(t, tx, "r", "p\x00"); !slices.Equal(got, []string{"p\x00a", "p\x00b"}) {
			t.Errorf("Scan after Prefetch: %q", got)
		}
		if got := txScanKeys(t, tx, "empty", ""); len(got) != 0 {
			t.Errorf("Scan of an empty bucket after Prefetch: %q", got)
		}
		if err := tx.Put("r", "p\x00c", []byte("new")); err != nil {
			return err
		}
		if err := tx.Delete("r", "p\x00a"); err != nil {
			return err
		}
		if err := tx.Put("b", "k1", []byte("v1'")); err != nil {
			return err
		}
		if v, err := tx.Get("b", "k1"); err != nil || string(v) != "v1'" {
			t.Errorf("Get of own write after Prefetch: %q, %v", v, err)
		}
		if got := txScanKeys(t, tx, "r", "p\x00"); !slices.Equal(got, []string{"p\x00b", "p\x00c"}) {
			t.Errorf("Scan after own writes: %q", got)
		}
		return nil
	})
	wantValue(t, s, "b", "k1", "v1'")
	if got := scanKeys(t, s, "r", "p\x00", ""); !slices.Equal(got, []string{"p\x00b", "p\x00c"}) {
		t.Errorf("committed range: %q", got)
	}
}

// testPrefetchStillIsolated: an entry or range changed by another writer
// after it was prefetched makes the unit of work run again on the new data
// (backends that prefetch; the others have nothing to test).
func testPrefetchStillIsolated(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	put(t, s, "b", "k", "1")
	put(t, s, "r", "p\x00a", "a")
	runs, prefetches := 0, true
	err := s.Update(context.Background(), func(tx store.Tx) error {
		runs++
		if _, ok := tx.(store.Prefetcher); !ok {
			prefetches = false
			return nil
		}
		if err := store.Prefetch(tx, store.Read{Bucket: "b", Key: "k"}, store.Read{Bucket: "r", Key: "p\x00", Prefix: true}); err != nil {
			return err
		}
		if runs == 1 {
			// Another writer, after the prefetch and before our reads.
			put(t, s, "b", "k", "2")
			put(t, s, "r", "p\x00z", "z")
		}
		v, err := tx.Get("b", "k")
		if err != nil {
			return err
		}
		keys := txScanKeys(t, tx, "r", "p\x00")
		return tx.Put("b", "k", []byte(string(v)+"+"+string(rune('0'+len(keys)))))
	})
	if err != nil {
		t.Fatal(err)
	}
	if !prefetches {
		t.Skip("backend does not prefetch")
	}
	wantValue(t, s, "b", "k", "2+2")
}

func txScanKeys(t *testing.T, tx store.Tx, bucket, prefix string) []string {
	t.Helper()
	var keys []string
	if err := tx.Scan(bucket, prefix, "", func(k string, _ []byte) error {
		keys = append(keys, k)
		return nil
	}); err != nil {
		t.Errorf("Scan %s/%q: %v", bucket, prefix, err)
	}
	return keys
}
