package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"firebot/clock"
	"firebot/store"
	"firebot/store/storetest"
)

func putTTLs(t *testing.T, s *Store, bucket string, ttl time.Duration, kv ...string) {
	t.Helper()
	err := s.Update(t.Context(), func(tx store.Tx) error {
		for i := 0; i+1 < len(kv); i += 2 {
			if err := tx.PutTTL(bucket, kv[i], []byte(kv[i+1]), ttl); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func getString(t *testing.T, s *Store, bucket, key string) (string, error) {
	t.Helper()
	var v []byte
	err := s.View(t.Context(), func(tx store.Tx) error {
		var err error
		v, err = tx.Get(bucket, key)
		return err
	})
	return string(v), err
}

// storedKeys lists the stored keys of the bucket of expiring entries.
func storedKeys(t *testing.T, s *Store, bucket string) (exps []int64, keys []string) {
	t.Helper()
	err := s.db.View(func(btx *bolt.Tx) error {
		b := btx.Bucket([]byte(expPrefix + bucket))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			exp, key, ok := splitExpKey(k)
			if !ok {
				return fmt.Errorf("malformed key %x", k)
			}
			exps, keys = append(exps, exp), append(keys, key)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return exps, keys
}

// TestExpiringEntriesInExpiryOrder: entries are stored under their expiry,
// one stored entry per key however often it is rewritten, and the index
// that finds them is rebuilt when the file is opened again.
func TestExpiringEntriesInExpiryOrder(t *testing.T) {
	clk := clock.NewFake(storetest.Epoch)
	path := filepath.Join(t.TempDir(), "firebot.db")
	s, err := Open(path, Options{Real: clk})
	if err != nil {
		t.Fatal(err)
	}
	putTTLs(t, s, "d", time.Hour, "zz", "1", "aa", "1")
	clk.Advance(time.Second)
	putTTLs(t, s, "d", time.Hour, "mm", "2", "zz", "2")
	clk.Advance(time.Second)
	putTTLs(t, s, "d", time.Minute, "aa", "3") // now expires first
	exps, keys := storedKeys(t, s, "d")
	if fmt.Sprint(keys) != "[aa mm zz]" {
		t.Fatalf("stored keys %q, want [aa mm zz] (one per key, by expiry)", keys)
	}
	for i := 1; i < len(exps); i++ {
		if exps[i] < exps[i-1] {
			t.Errorf("expiries out of order: %v", exps)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, path, clk)
	for key, want := range map[string]string{"aa": "3", "mm": "2", "zz": "2"} {
		if v, err := getString(t, s, "d", key); err != nil || v != want {
			t.Errorf("after reopening: %s = %q, %v; want %q", key, v, err, want)
		}
	}
	// The rebuilt index knows the stored expiry: a rewrite replaces the
	// entry instead of adding a second one.
	putTTLs(t, s, "d", time.Hour, "aa", "4")
	if _, keys := storedKeys(t, s, "d"); len(keys) != 3 {
		t.Errorf("after a rewrite: stored keys %q, want 3", keys)
	}
	clk.Advance(time.Hour + time.Minute)
	if _, err := getString(t, s, "d", "aa"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired entry: %v", err)
	}
}

// TestOldTTLLayoutMoved: a file written before the expiry index (expiry in
// front of the value, under the bare key) is moved to the new layout on
// open; its expired entries are dropped.
func TestOldTTLLayoutMoved(t *testing.T) {
	clk := clock.NewFake(storetest.Epoch)
	path := filepath.Join(t.TempDir(), "firebot.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	old := func(exp time.Time, value string) []byte {
		v := make([]byte, 8+len(value))
		binary.BigEndian.PutUint64(v, uint64(exp.UnixNano()))
		copy(v[8:], value)
		return v
	}
	err = db.Update(func(btx *bolt.Tx) error {
		b, err := btx.CreateBucket([]byte(oldTTLPrefix + "cb_dedupe"))
		if err != nil {
			return err
		}
		if err := b.Put([]byte("live"), old(storetest.Epoch.Add(time.Hour), "answer")); err != nil {
			return err
		}
		return b.Put([]byte("gone"), old(storetest.Epoch.Add(-time.Second), "old"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s := openTest(t, path, clk)
	if v, err := getString(t, s, "cb_dedupe", "live"); err != nil || v != "answer" {
		t.Errorf("moved entry: %q, %v", v, err)
	}
	if _, err := getString(t, s, "cb_dedupe", "gone"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired entry of the old layout: %v", err)
	}
	err = s.db.View(func(btx *bolt.Tx) error {
		if btx.Bucket([]byte(oldTTLPrefix+"cb_dedupe")) != nil {
			return errors.New("old bucket still there")
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	clk.Advance(time.Hour)
	if _, err := getString(t, s, "cb_dedupe", "live"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("moved entry after its expiry: %v", err)
	}
}

// TestViewSnapshotOfExpiring: a View keeps reading the expiring entries of
// its snapshot while Updates rewrite, replace and delete them.
func TestViewSnapshotOfExpiring(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "firebot.db"), clock.NewFake(storetest.Epoch))
	putTTLs(t, s, "b", time.Hour, "rewritten", "v1", "durable", "v1", "deleted", "v1")
	// bbolt grows its memory map only when no read transaction is open:
	// make room first, so that the Updates below do not wait for the View.
	err := s.Update(t.Context(), func(tx store.Tx) error {
		return tx.Put("room", "k", make([]byte, 4<<20))
	})
	if err == nil {
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.Delete("room", "k") })
	}
	if err != nil {
		t.Fatal(err)
	}

	inView, resume := make(chan struct{}), make(chan struct{})
	var seen []string
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		err := s.View(t.Context(), func(tx store.Tx) error {
			close(inView)
			<-resume
			for _, k := range []string{"rewritten", "durable", "deleted"} {
				v, err := tx.Get("b", k)
				if err != nil {
					return fmt.Errorf("%s: %w", k, err)
				}
				seen = append(seen, string(v))
			}
			return nil
		})
		if err != nil {
			t.Errorf("View: %v", err)
		}
	}()
	<-inView
	for i := range 3 { // more than one version after the View's snapshot
		putTTLs(t, s, "b", time.Duration(i+2)*time.Hour, "rewritten", fmt.Sprint("v", i+2))
	}
	err = s.Update(t.Context(), func(tx store.Tx) error {
		if err := tx.Put("b", "durable", []byte("d")); err != nil {
			return err
		}
		return tx.Delete("b", "deleted")
	})
	if err != nil {
		t.Fatal(err)
	}
	close(resume)
	wg.Wait()
	if fmt.Sprint(seen) != "[v1 v1 v1]" {
		t.Errorf("View saw %q, want its snapshot [v1 v1 v1]", seen)
	}
	for k, want := range map[string]string{"rewritten": "v4", "durable": "d"} {
		if v, err := getString(t, s, "b", k); err != nil || v != want {
			t.Errorf("later View: %s = %q, %v; want %q", k, v, err, want)
		}
	}
	if _, err := getString(t, s, "b", "deleted"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("later View: deleted = %v", err)
	}
	if n := indexedVersions(s); n > 2 {
		t.Errorf("the index keeps %d versions after the View ended, want at most one per live key", n)
	}
}

func indexedVersions(s *Store) int {
	s.idx.mu.Lock()
	defer s.idx.mu.Unlock()
	n := 0
	for _, keys := range s.idx.keys {
		for _, vs := range keys {
			n += len(vs)
		}
	}
	return n
}

// TestExpiringUnderConcurrency: Views running alongside Updates that keep
// rewriting an expiring entry always find it (it exists in every snapshot),
// and after the dust settles the index holds one version per key.
func TestExpiringUnderConcurrency(t *testing.T) {
	clk := clock.NewFake(storetest.Epoch)
	s := openTest(t, filepath.Join(t.TempDir(), "firebot.db"), clk)
	const keys, rounds = 4, 60
	for k := range keys {
		putTTLs(t, s, "c", time.Hour, fmt.Sprint(k), "0")
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				err := s.Update(t.Context(), func(tx store.Tx) error {
					k := fmt.Sprint((w + i) % keys)
					if i%7 == 0 {
						if err := tx.Put("c", k, []byte("durable")); err != nil {
							return err
						}
					}
					return tx.PutTTL("c", k, []byte(fmt.Sprint(i)), time.Duration(1+i%3)*time.Hour)
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				err := s.View(t.Context(), func(tx store.Tx) error {
					for k := range keys {
						if _, err := tx.Get("c", fmt.Sprint(k)); err != nil {
							return fmt.Errorf("key %d: %w", k, err)
						}
					}
					return nil
				})
				if err != nil {
					t.Errorf("View: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if _, stored := storedKeys(t, s, "c"); len(stored) != keys {
		t.Errorf("stored %d expiring entries, want %d", len(stored), keys)
	}
	// One more write prunes what the finished Views no longer need.
	putTTLs(t, s, "c", time.Hour, "0", "last")
	if n := indexedVersions(s); n > 2*keys {
		t.Errorf("index holds %d versions for %d keys", n, keys)
	}
}

// TestExpIndexWithdrawsFailedCommit: the versions a transaction published
// before a commit that failed are withdrawn, so readers and the next
// writer see the last committed expiry again, and the index keeps what a
// running View still reads.
func TestExpIndexWithdrawsFailedCommit(t *testing.T) {
	x := newExpIndex(1)
	x.publish(2, pending{"b": {"k": 100}})
	x.settle(2, pending{"b": {"k": 100}}, true)
	token := x.enter() // a View of snapshot 2
	x.publish(3, pending{"b": {"k": 200, "new": 300}})
	if exp, ok := x.latest("b", "k"); !ok || exp != 200 {
		t.Fatalf("writer of tx 3 sees %d %v, want 200", exp, ok)
	}
	if exp, ok := x.at("b", "k", 2); !ok || exp != 100 {
		t.Errorf("View of snapshot 2 sees %d %v, want 100", exp, ok)
	}
	x.settle(3, pending{"b": {"k": 200, "new": 300}}, false)
	if exp, ok := x.latest("b", "k"); !ok || exp != 100 {
		t.Errorf("after the failed commit: k = %d %v, want 100", exp, ok)
	}
	if _, ok := x.latest("b", "new"); ok {
		t.Error("after the failed commit: key new still indexed")
	}
	x.leave(token)
	x.publish(4, pending{"b": {"k": 0}})
	x.settle(4, pending{"b": {"k": 0}}, true)
	if _, ok := x.latest("b", "k"); ok {
		t.Error("deleted key still indexed")
	}
	if len(x.keys["b"]) != 0 || len(x.dirty["b"]) != 0 {
		t.Errorf("index keeps %v, dirty %v after the last reader left", x.keys["b"], x.dirty["b"])
	}
}
