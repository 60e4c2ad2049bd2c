package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"firebot/store"
)

// Hot keys: counters and lists that every submission touches (record ids,
// the audit log, a unit's records), and the primitives that keep concurrent
// units of work from colliding on them.
var hotTests = []Test{
	{"TakeSeq", testTakeSeq},
	{"TakeSeqConcurrentWithConflicts", testTakeSeqConcurrent},
	{"TakeSeqContinuesNextSeq", testTakeSeqContinuesNextSeq},
	{"ReadCommittedView", testReadCommittedView},
}

func testTakeSeq(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	var got []uint64
	update(t, s, func(tx store.Tx) error {
		got = nil
		for _, name := range []string{"a", "a", "b", "a", "a:b/c"} {
			n, err := tx.TakeSeq(name)
			if err != nil {
				return err
			}
			got = append(got, n)
		}
		return nil
	})
	if want := []uint64{1, 2, 1, 3, 1}; !slices.Equal(got, want) {
		t.Errorf("TakeSeq in one Update: %v, want %v", got, want)
	}
	// A unit of work that does not commit never makes a later one get a
	// value already committed (it may leave a gap).
	err := s.Update(t.Context(), func(tx store.Tx) error {
		if _, err := tx.TakeSeq("a"); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("failing Update: %v", err)
	}
	update(t, s, func(tx store.Tx) error {
		if n, err := tx.TakeSeq("a"); err != nil || n < 4 || n > 5 {
			t.Errorf("TakeSeq(a) after a failed Update: %d, %v; want 4 or 5", n, err)
		}
		return nil
	})
	if err := s.Update(t.Context(), func(tx store.Tx) error { _, err := tx.TakeSeq(""); return err }); err == nil {
		t.Errorf("TakeSeq(\"\"): no error")
	}
	wantMissing(t, s, "a", "a")
}

// testTakeSeqConcurrent: writers take ids while they also contend on one
// compare-and-swap counter, so that on an optimistic backend their units
// of work run again and again. Every committed unit gets its own id, the
// runs of one unit get the same one (no gaps), and the entries written
// under the ids are all there.
func testTakeSeqConcurrent(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	const workers, loops = 8, 15
	ids := make(chan uint64, workers*loops)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range loops {
				var n uint64
				err := s.Update(t.Context(), func(tx store.Tx) error {
					var err error
					if n, err = tx.TakeSeq("hot"); err != nil {
						return err
					}
					c := 0
					if v, err := tx.Get("hot", "counter"); err == nil {
						c, _ = strconv.Atoi(string(v))
					} else if !errors.Is(err, store.ErrNotFound) {
						return err
					}
					if err := tx.Put("hot", "counter", []byte(strconv.Itoa(c+1))); err != nil {
						return err
					}
					return tx.Put("hot", fmt.Sprintf("id-%06d", n), []byte(fmt.Sprint(w, "/", i)))
				})
				if err != nil {
					t.Errorf("Update: %v", err)
					return
				}
				ids <- n
			}
		})
	}
	wg.Wait()
	close(ids)
	var all []uint64
	for n := range ids {
		all = append(all, n)
	}
	slices.Sort(all)
	for i, n := range all {
		if n != uint64(i+1) {
			t.Fatalf("sorted ids at %d: %d (duplicates or gaps): %v", i, n, all)
		}
	}
	wantValue(t, s, "hot", "counter", strconv.Itoa(workers*loops))
	if keys := scanKeys(t, s, "hot", "id-", ""); len(keys) != workers*loops {
		t.Errorf("%d entries under taken ids, want %d", len(keys), workers*loops)
	}
	update(t, s, func(tx store.Tx) error {
		if n, err := tx.NextSeq("hot"); err != nil || n != workers*loops+1 {
			t.Errorf("NextSeq after the takers: %d, %v; want %d", n, err, workers*loops+1)
		}
		return nil
	})
}

// testTakeSeqContinuesNextSeq: a counter written by NextSeq (the layout of
// every earlier release) is continued by TakeSeq, and the other way round,
// also within one unit of work.
func testTakeSeqContinuesNextSeq(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	seqs := func(steps ...string) []uint64 {
		var got []uint64
		update(t, s, func(tx store.Tx) error {
			got = nil
			for _, step := range steps {
				f := tx.NextSeq
				if step == "take" {
					f = tx.TakeSeq
				}
				n, err := f("record:HD")
				if err != nil {
					return err
				}
				got = append(got, n)
			}
			return nil
		})
		return got
	}
	for _, c := range []struct {
		steps []string
		want  []uint64
	}{
		{[]string{"next", "next"}, []uint64{1, 2}},
		{[]string{"take"}, []uint64{3}},
		{[]string{"next"}, []uint64{4}},
		{[]string{"next", "take", "take"}, []uint64{5, 6, 7}},
		{[]string{"take", "next", "take"}, []uint64{8, 9, 10}},
		{[]string{"take"}, []uint64{11}},
	} {
		if got := seqs(c.steps...); !slices.Equal(got, c.want) {
			t.Errorf("%v: %v, want %v", c.steps, got, c.want)
		}
	}
}

// testReadCommittedView: the view reads what the unit of work wrote and
// what is committed, announces reads like the Tx, and refuses writes.
func testReadCommittedView(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	put(t, s, "rc", "a", "1")
	put(t, s, "rc", "b", "2")
	put(t, s, "rc", "c", "3")
	update(t, s, func(tx store.Tx) error {
		for _, err := range []error{
			tx.Put("rc", "b", []byte("2'")),
			tx.Delete("rc", "c"),
			tx.Put("rc", "d", []byte("4")),
			tx.PutTTL("rc", "e", []byte("5"), time.Hour),
		} {
			if err != nil {
				return err
			}
		}
		rc := store.ReadCommitted(tx)
		if err := store.Prefetch(rc, store.Read{Bucket: "rc", Key: "a"}, store.Read{Bucket: "rc", Key: "", Prefix: true}); err != nil {
			t.Errorf("Prefetch through the view: %v", err)
		}
		var got []string
		if err := rc.Scan("rc", "", "", func(k string, v []byte) error {
			got = append(got, k+"="+string(v))
			return nil
		}); err != nil {
			return err
		}
		if want := []string{"a=1", "b=2'", "d=4"}; !slices.Equal(got, want) {
			t.Errorf("Scan through the view: %q, want %q", got, want)
		}
		for k, want := range map[string]string{"a": "1", "b": "2'", "d": "4", "e": "5"} {
			if v, err := rc.Get("rc", k); err != nil || string(v) != want {
				t.Errorf("Get(%s) through the view: %q, %v; want %q", k, v, err, want)
			}
		}
		if v, err := rc.Get("rc", "c"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get(c) through the view after Delete: %q, %v", v, err)
		}
		if !rc.Now().Equal(tx.Now()) {
			t.Errorf("Now through the view: %v, want %v", rc.Now(), tx.Now())
		}
		for name, err := range map[string]error{
			"Put":     rc.Put("rc", "x", []byte("x")),
			"PutTTL":  rc.PutTTL("rc", "x", []byte("x"), time.Hour),
			"Delete":  rc.Delete("rc", "a"),
			"NextSeq": second(rc.NextSeq("n")),
			"TakeSeq": second(rc.TakeSeq("n")),
		} {
			if !errors.Is(err, store.ErrReadOnly) {
				t.Errorf("%s through the view: %v, want ErrReadOnly", name, err)
			}
		}
		return nil
	})
	wantValue(t, s, "rc", "a", "1")
	wantMissing(t, s, "rc", "x")
	// In a View it reads the same way.
	view(t, s, func(tx store.Tx) error {
		if v, err := store.ReadCommitted(tx).Get("rc", "d"); err != nil || string(v) != "4" {
			t.Errorf("Get through the view of a View: %q, %v", v, err)
		}
		return nil
	})
}

func second[T any](_ T, err error) error { return err }
