package embedded

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"firebot/clock"
	"firebot/store"
	"firebot/store/storetest"
)

var errRefused = errors.New("refused")

// TestGroupCommitIsolatesFailures runs many concurrent Updates, some of
// which fail or panic after writing (some only when they see an odd
// counter, i.e. depending on what earlier members of their batch wrote).
// The successful ones must read like a serial history: each saw a distinct
// counter value 0..n-1; the failing ones left nothing and got their own
// error.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "firebot.db"), clock.NewFake(storetest.Epoch))
	const n = 400
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Update(t.Context(), func(tx store.Tx) error {
				seen := 0
				if b, err := tx.Get("c", "n"); err == nil {
					seen, _ = strconv.Atoi(string(b))
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if err := tx.Put("c", "n", []byte(strconv.Itoa(seen+1))); err != nil {
					return err
				}
				if err := tx.Put("k", fmt.Sprintf("%04d", i), []byte(strconv.Itoa(seen))); err != nil {
					return err
				}
				switch {
				case i%10 == 3:
					return errRefused
				case i%10 == 7 && seen%2 == 1:
					return errRefused
				case i%50 == 9:
					panic("boom")
				}
				return nil
			})
		}()
	}
	wg.Wait()

	stored := map[int]int{}
	var count int
	err := s.View(t.Context(), func(tx store.Tx) error {
		b, err := tx.Get("c", "n")
		if err != nil {
			return err
		}
		count, _ = strconv.Atoi(string(b))
		return tx.Scan("k", "", "", func(k string, v []byte) error {
			i, _ := strconv.Atoi(k)
			stored[i], _ = strconv.Atoi(string(v))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	for i, err := range errs {
		_, ok := stored[i]
		switch {
		case i%10 == 3 && !errors.Is(err, errRefused), i%50 == 9 && (err == nil || !strings.Contains(err.Error(), "panicked")):
			t.Errorf("update %d: %v, want its own failure", i, err)
		case err != nil && ok:
			t.Errorf("update %d failed (%v) but its write is stored", i, err)
		case err == nil && !ok:
			t.Errorf("update %d succeeded but its write is missing", i)
		case err == nil:
			seen = append(seen, stored[i])
		case !errors.Is(err, errRefused) && !strings.Contains(err.Error(), "panicked"):
			t.Errorf("update %d: unexpected error %v", i, err)
		}
	}
	if len(stored) != len(seen) || count != len(seen) {
		t.Fatalf("counter %d, %d stored, %d succeeded", count, len(stored), len(seen))
	}
	sort.Ints(seen)
	for i, v := range seen {
		if v != i {
			t.Fatalf("successful updates saw counters %v…, want 0..%d each once", seen[:min(i+3, len(seen))], len(seen)-1)
		}
	}
	conditional := 0
	for i := 7; i < n; i += 10 {
		if errs[i] != nil {
			conditional++
		}
	}
	if conditional == 0 || conditional == n/10 {
		t.Errorf("%d of %d odd-counter updates failed; the test does not mix failing and succeeding ones", conditional, n/10)
	}
}
