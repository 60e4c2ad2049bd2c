package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/store"
)

var scanTests = []Test{
	{"Ranges", testScanRanges},
	{"Values", testScanValues},
	{"Stop", testScanStop},
	{"SkipsExpiring", testScanSkipsExpiring},
	{"Large", testScanLarge},
	{"SeesOwnWrites", testScanSeesOwnWrites},
	{"DeleteWhileScanning", testScanDeleteWhileScanning},
}

// scanFixture is written in random order; Scan must list it sorted by bytes.
var scanFixture = []string{
	"a", "a\x00", "a\x00b", "ab", "abc", "abd", "a\xff", "a\xff\xff", "a\xff\xffz",
	"b", "b1", "b10", "b2", "ba", "c", "\xff", "\xff\xff",
}

func testScanRanges(t *testing.T, open Opener) {
	if !slices.IsSorted(scanFixture) {
		t.Fatal("scanFixture is not sorted")
	}
	s, _ := openFresh(t, open)
	keys := slices.Clone(scanFixture)
	rand.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	update(t, s, func(tx store.Tx) error {
		for _, k := range keys {
			if err := tx.Put("scan", k, []byte("v:"+k)); err != nil {
				return err
			}
		}
		return nil
	})
	cases := []struct {
		name, prefix, start string
		want                []string
	}{
		{"all", "", "", scanFixture},
		{"prefix a", "a", "", []string{"a", "a\x00", "a\x00b", "ab", "abc", "abd", "a\xff", "a\xff\xff", "a\xff\xffz"}},
		{"prefix ab", "ab", "", []string{"ab", "abc", "abd"}},
		{"prefix a\\x00", "a\x00", "", []string{"a\x00", "a\x00b"}},
		{"prefix a\\xff", "a\xff", "", []string{"a\xff", "a\xff\xff", "a\xff\xffz"}},
		{"prefix a\\xff\\xff", "a\xff\xff", "", []string{"a\xff\xff", "a\xff\xffz"}},
		{"prefix \\xff", "\xff", "", []string{"\xff", "\xff\xff"}},
		{"prefix b1", "b1", "", []string{"b1", "b10"}},
		{"prefix none", "zz", "", []string{}},
		{"start inside", "", "b", []string{"b", "b1", "b10", "b2", "ba", "c", "\xff", "\xff\xff"}},
		{"start between keys", "", "abcc", []string{"abd", "a\xff", "a\xff\xff", "a\xff\xffz", "b", "b1", "b10", "b2", "ba", "c", "\xff", "\xff\xff"}},
		{"start inside prefix", "b", "b10", []string{"b10", "b2", "ba"}},
		{"start before prefix", "b", "a", []string{"b", "b1", "b10", "b2", "ba"}},
		{"start after prefix", "a", "b", []string{}},
		{"start after all", "", "\xff\xff\xff", []string{}},
		{"start exact last", "", "\xff\xff", []string{"\xff\xff"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, scanKeys(t, s, "scan", c.prefix, c.start)); diff != "" {
				t.Errorf("Scan(prefix %q, start %q) keys (-want +got):\n%s", c.prefix, c.start, diff)
			}
		})
	}
	if got := scanKeys(t, s, "empty-bucket", "", ""); len(got) != 0 {
		t.Errorf("Scan of a bucket never written: %q", got)
	}
}

func testScanValues(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	want := map[string]string{"k1": "one", "k2": "", "k3": "\x00three"}
	update(t, s, func(tx store.Tx) error {
		for k, v := range want {
			if err := tx.Put("vals", k, []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
	for _, run := range []struct {
		name string
		do   func(func(store.Tx) error) error
	}{
		{"View", func(fn func(store.Tx) error) error { return s.View(t.Context(), fn) }},
		{"Update", func(fn func(store.Tx) error) error { return s.Update(t.Context(), fn) }},
	} {
		got := map[string]string{}
		err := run.do(func(tx store.Tx) error {
			clear(got)
			return tx.Scan("vals", "", "", func(k string, v []byte) error {
				if v == nil {
					t.Errorf("%s: Scan gave nil value for %q", run.name, k)
				}
				got[k] = string(v)
				return nil
			})
		})
		if err != nil {
			t.Fatalf("%s: %v", run.name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: Scan values (-want +got):\n%s", run.name, diff)
		}
	}
}

func testScanStop(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	update(t, s, func(tx store.Tx) error {
		for i := range 10 {
			if err := tx.Put("stop", fmt.Sprintf("k%02d", i), []byte("v")); err != nil {
				return err
			}
		}
		return nil
	})
	var seen []string
	view(t, s, func(tx store.Tx) error {
		seen = nil
		return tx.Scan("stop", "", "", func(k string, _ []byte) error {
			seen = append(seen, k)
			if len(seen) == 3 {
				return store.ErrStopScan
			}
			return nil
		})
	})
	if want := []string{"k00", "k01", "k02"}; !slices.Equal(seen, want) {
		t.Errorf("ErrStopScan: visited %q, want %q", seen, want)
	}

	// A wrapped ErrStopScan stops too.
	n := 0
	view(t, s, func(tx store.Tx) error {
		n = 0
		return tx.Scan("stop", "", "", func(string, []byte) error {
			n++
			return fmt.Errorf("enough: %w", store.ErrStopScan)
		})
	})
	if n != 1 {
		t.Errorf("wrapped ErrStopScan: visited %d keys, want 1", n)
	}

	// Any other error ends the scan and comes back unchanged.
	errBoom := errors.New("boom")
	var scanErr error
	err := s.View(t.Context(), func(tx store.Tx) error {
		scanErr = tx.Scan("stop", "", "", func(string, []byte) error { return errBoom })
		return scanErr
	})
	if scanErr != errBoom || err != errBoom {
		t.Errorf("fn error: Scan returned %v, View returned %v; want %v from both", scanErr, err, errBoom)
	}
}

func testScanSkipsExpiring(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	update(t, s, func(tx store.Tx) error {
		for _, k := range []string{"a", "c", "e"} {
			if err := tx.Put("mix", k, []byte("durable")); err != nil {
				return err
			}
		}
		for _, k := range []string{"b", "d", "f"} {
			if err := tx.PutTTL("mix", k, []byte("expiring"), time.Hour); err != nil {
				return err
			}
		}
		return nil
	})
	want := []string{"a", "c", "e"}
	if got := scanKeys(t, s, "mix", "", ""); !slices.Equal(got, want) {
		t.Errorf("View Scan: %q, want %q", got, want)
	}
	var got []string
	update(t, s, func(tx store.Tx) error {
		got = nil
		if err := tx.PutTTL("mix", "g", []byte("expiring"), time.Hour); err != nil {
			return err
		}
		return tx.Scan("mix", "", "", func(k string, _ []byte) error {
			got = append(got, k)
			return nil
		})
	})
	if !slices.Equal(got, want) {
		t.Errorf("Update Scan: %q, want %q", got, want)
	}
}

// testScanLarge crosses any internal page size a backend might use.
func testScanLarge(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	const n = 1100
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("item/%05d", i))
	}
	update(t, s, func(tx store.Tx) error {
		for _, k := range want {
			if err := tx.Put("large", k, []byte(k)); err != nil {
				return err
			}
		}
		return tx.Put("large", "other", []byte("x"))
	})
	var got []string
	view(t, s, func(tx store.Tx) error {
		got = nil
		return tx.Scan("large", "item/", "", func(k string, v []byte) error {
			if string(v) != k {
				t.Errorf("value of %q is %q", k, v)
			}
			got = append(got, k)
			return nil
		})
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan keys (-want +got):\n%s", diff)
	}
	if got := scanKeys(t, s, "large", "item/", "item/00600"); len(got) != n-600 || got[0] != "item/00600" {
		t.Errorf("Scan from item/00600: %d keys starting %q", len(got), got[:min(1, len(got))])
	}
}

// testScanSeesOwnWrites: inside Update, Scan lists the unit of work's own
// uncommitted writes and not its own deletes.
func testScanSeesOwnWrites(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	update(t, s, func(tx store.Tx) error {
		for _, k := range []string{"k1", "k3", "k5", "k7"} {
			if err := tx.Put("own", k, []byte("old")); err != nil {
				return err
			}
		}
		return nil
	})
	type kv struct{ K, V string }
	var got []kv
	update(t, s, func(tx store.Tx) error {
		got = nil
		for _, err := range []error{
			tx.Put("own", "k0", []byte("new")),
			tx.Put("own", "k3", []byte("new")),
			tx.Delete("own", "k5"),
			tx.PutTTL("own", "k7", []byte("ttl"), time.Hour),
			tx.Put("own", "k9", []byte("new")),
		} {
			if err != nil {
				return err
			}
		}
		return tx.Scan("own", "", "", func(k string, v []byte) error {
			got = append(got, kv{k, string(v)})
			return nil
		})
	})
	want := []kv{{"k0", "new"}, {"k1", "old"}, {"k3", "new"}, {"k9", "new"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan inside Update (-want +got):\n%s", diff)
	}
}

// testScanDeleteWhileScanning: a sweep that deletes each entry it visits
// (and writes elsewhere) visits every entry exactly once.
func testScanDeleteWhileScanning(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	const n = 300
	update(t, s, func(tx store.Tx) error {
		for i := range n {
			if err := tx.Put("sweep", fmt.Sprintf("k%04d", i), []byte("v")); err != nil {
				return err
			}
		}
		return nil
	})
	var visited []string
	update(t, s, func(tx store.Tx) error {
		visited = nil
		return tx.Scan("sweep", "", "", func(k string, _ []byte) error {
			visited = append(visited, k)
			if err := tx.Delete("sweep", k); err != nil {
				return err
			}
			return tx.Put("swept", k, []byte("done"))
		})
	})
	if len(visited) != n || !slices.IsSorted(visited) || len(slices.Compact(slices.Clone(visited))) != n {
		t.Errorf("visited %d keys (sorted %v), want each of %d once", len(visited), slices.IsSorted(visited), n)
	}
	if got := scanKeys(t, s, "sweep", "", ""); len(got) != 0 {
		t.Errorf("%d keys left after deleting all: %q…", len(got), got[:min(3, len(got))])
	}
	if got := scanKeys(t, s, "swept", "", ""); len(got) != n {
		t.Errorf("swept bucket has %d keys, want %d", len(got), n)
	}
}
