package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"firebot/store"
)

var txTests = []Test{
	{"FnErrorReturnedUnchanged", testFnErrorReturnedUnchanged},
	{"AtomicUnitOfWork", testAtomicUnitOfWork},
	{"ClaimRace", testClaimRace},
	{"CompareAndSwap", testCompareAndSwap},
	{"NextSeq", testNextSeq},
	{"NextSeqConcurrent", testNextSeqConcurrent},
	{"ViewRejectsWrites", testViewRejectsWrites},
	{"CancelledContext", testCancelledContext},
}

var errBoom = errors.New("storetest: boom")

func testFnErrorReturnedUnchanged(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	wrapped := fmt.Errorf("context: %w", errBoom)
	if err := s.Update(t.Context(), func(store.Tx) error { return wrapped }); err != wrapped {
		t.Errorf("Update returned %v, want the fn's error unchanged", err)
	}
	if err := s.View(t.Context(), func(store.Tx) error { return wrapped }); err != wrapped {
		t.Errorf("View returned %v, want the fn's error unchanged", err)
	}
	// A fn's ErrNotFound is not mistaken for anything else.
	err := s.Update(t.Context(), func(tx store.Tx) error {
		_, err := tx.Get("b", "missing")
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Update returning Get's error: %v, want ErrNotFound", err)
	}
}

// testAtomicUnitOfWork: when fn fails after writing, none of its writes
// (durable, expiring, deletes, counters) is kept.
func testAtomicUnitOfWork(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	put(t, s, "atom", "existing", "before")
	err := s.Update(t.Context(), func(tx store.Tx) error {
		for _, err := range []error{
			tx.Put("atom", "k1", []byte("v1")),
			tx.Put("atom2", "k2", []byte("v2")),
			tx.PutTTL("atom", "k3", []byte("v3"), time.Hour),
			tx.Put("atom", "existing", []byte("after")),
			tx.Delete("atom", "existing"),
		} {
			if err != nil {
				return err
			}
		}
		if _, err := tx.NextSeq("atom-seq"); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update: %v, want %v", err, errBoom)
	}
	update(t, s, func(tx store.Tx) error {
		for _, k := range [][2]string{{"atom", "k1"}, {"atom2", "k2"}, {"atom", "k3"}} {
			if v, err := tx.Get(k[0], k[1]); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s/%s after failed Update: %q, %v", k[0], k[1], v, err)
			}
		}
		if v, err := tx.Get("atom", "existing"); err != nil || string(v) != "before" {
			t.Errorf("existing after failed Update: %q, %v; want before", v, err)
		}
		if n, err := tx.NextSeq("atom-seq"); err != nil || n != 1 {
			t.Errorf("NextSeq after failed Update: %d, %v; want 1", n, err)
		}
		return nil
	})
	if got := scanKeys(t, s, "atom", "", ""); !slices.Equal(got, []string{"existing"}) {
		t.Errorf("Scan after failed Update: %q", got)
	}
}

// testClaimRace: 16 goroutines claim one key inside Update; exactly one wins.
func testClaimRace(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	const racers = 16
	errTaken := errors.New("taken")
	start := make(chan struct{})
	results := make(chan error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			<-start
			results <- s.Update(context.Background(), func(tx store.Tx) error {
				_, err := tx.Get("claim", "k")
				switch {
				case err == nil:
					return errTaken
				case !errors.Is(err, store.ErrNotFound):
					return err
				}
				return tx.PutTTL("claim", "k", []byte(strconv.Itoa(i)), time.Hour)
			})
		})
	}
	close(start)
	wg.Wait()
	close(results)
	wins, taken := 0, 0
	for err := range results {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, errTaken):
			taken++
		default:
			t.Errorf("racer: %v", err)
		}
	}
	if wins != 1 || taken != racers-1 {
		t.Errorf("wins %d, taken %d; want 1 and %d", wins, taken, racers-1)
	}
}

// testCompareAndSwap: concurrent read-modify-write increments of one key are
// never lost.
func testCompareAndSwap(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	const workers, loops = 8, 50
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range loops {
				err := s.Update(context.Background(), func(tx store.Tx) error {
					n := 0
					v, err := tx.Get("cas", "counter")
					switch {
					case err == nil:
						if n, err = strconv.Atoi(string(v)); err != nil {
							return err
						}
					case !errors.Is(err, store.ErrNotFound):
						return err
					}
					return tx.Put("cas", "counter", []byte(strconv.Itoa(n+1)))
				})
				if err != nil {
					t.Errorf("increment: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	wantValue(t, s, "cas", "counter", strconv.Itoa(workers*loops))
}

func testNextSeq(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	var got []uint64
	update(t, s, func(tx store.Tx) error {
		got = nil
		for _, name := range []string{"a", "a", "b", "a", "b", "a:b/c"} {
			n, err := tx.NextSeq(name)
			if err != nil {
				return err
			}
			got = append(got, n)
		}
		return nil
	})
	if want := []uint64{1, 2, 1, 3, 2, 1}; !slices.Equal(got, want) {
		t.Errorf("NextSeq in one Update: %v, want %v", got, want)
	}
	update(t, s, func(tx store.Tx) error {
		n, err := tx.NextSeq("a")
		if err != nil || n != 4 {
			t.Errorf("NextSeq(a) in a later Update: %d, %v; want 4", n, err)
		}
		return nil
	})
	// Counters are not entries of any bucket.
	wantMissing(t, s, "a", "a")
}

func testNextSeqConcurrent(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	const workers, loops = 8, 25
	seqs := make(chan uint64, workers*loops)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range loops {
				var n uint64
				err := s.Update(context.Background(), func(tx store.Tx) error {
					var err error
					n, err = tx.NextSeq("ids")
					return err
				})
				if err != nil {
					t.Errorf("NextSeq: %v", err)
					return
				}
				seqs <- n
			}
		})
	}
	wg.Wait()
	close(seqs)
	var all []uint64
	for n := range seqs {
		all = append(all, n)
	}
	slices.Sort(all)
	for i, n := range all {
		if n != uint64(i+1) {
			t.Fatalf("sorted sequence numbers at %d: %d (duplicates or gaps): %v", i, n, all)
		}
	}
	if len(all) != workers*loops {
		t.Errorf("%d numbers, want %d", len(all), workers*loops)
	}
}

func testViewRejectsWrites(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	put(t, s, "ro", "existing", "v")
	writes := []struct {
		name string
		do   func(store.Tx) error
	}{
		{"Put", func(tx store.Tx) error { return tx.Put("ro", "new", []byte("x")) }},
		{"PutTTL", func(tx store.Tx) error { return tx.PutTTL("ro", "new", []byte("x"), time.Hour) }},
		{"Delete", func(tx store.Tx) error { return tx.Delete("ro", "existing") }},
		{"NextSeq", func(tx store.Tx) error { _, err := tx.NextSeq("ro"); return err }},
		{"TakeSeq", func(tx store.Tx) error { _, err := tx.TakeSeq("ro"); return err }},
	}
	for _, w := range writes {
		var inner error
		err := s.View(t.Context(), func(tx store.Tx) error {
			inner = w.do(tx)
			return nil
		})
		if err != nil {
			t.Errorf("%s: View: %v", w.name, err)
		}
		if !errors.Is(inner, store.ErrReadOnly) {
			t.Errorf("%s through View: %v, want store.ErrReadOnly", w.name, inner)
		}
	}
	wantMissing(t, s, "ro", "new")
	wantValue(t, s, "ro", "existing", "v")
	update(t, s, func(tx store.Tx) error {
		if n, err := tx.NextSeq("ro"); err != nil || n != 1 {
			t.Errorf("NextSeq after View: %d, %v; want 1", n, err)
		}
		return nil
	})
}

func testCancelledContext(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := s.Update(ctx, func(tx store.Tx) error {
		return tx.Put("cancel", "k", []byte("v"))
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update with cancelled context: %v, want context.Canceled", err)
	}
	err = s.View(ctx, func(tx store.Tx) error {
		_, err := tx.Get("cancel", "k")
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("View with cancelled context: %v, want context.Canceled", err)
	}
	wantMissing(t, s, "cancel", "k")

	// Cancelled while fn runs: the unit of work is not committed.
	ctx, cancel = context.WithCancel(t.Context())
	err = s.Update(ctx, func(tx store.Tx) error {
		if err := tx.Put("cancel", "k", []byte("v")); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if err == nil {
		t.Errorf("Update cancelled during fn: no error")
	}
	wantMissing(t, s, "cancel", "k")
}
