package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"firebot/store"
)

var kvTests = []Test{
	{"NotFound", testNotFound},
	{"RoundTrip", testRoundTrip},
	{"ValuesAreCopied", testValuesAreCopied},
	{"ReadYourWrites", testReadYourWrites},
	{"Overwrite", testOverwrite},
	{"OverwriteKind", testOverwriteKind},
	{"WriteAfterRead", testWriteAfterRead},
	{"Delete", testDelete},
	{"BucketsAreSeparate", testBucketsAreSeparate},
	{"InvalidNames", testInvalidNames},
}

func testNotFound(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	wantMissing(t, s, "b", "missing")
	put(t, s, "b", "present", "v")
	wantMissing(t, s, "b", "missing")
	wantMissing(t, s, "other", "present")
}

func testRoundTrip(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	values := map[string]string{
		"plain":  "hello",
		"empty":  "",
		"binary": "\x00\x01\xff\xfe\x00",
		"utf8":   "消防安全宣传月",
		"large":  strings.Repeat("火", 40000),
	}
	keys := map[string]string{
		"plain":  "k",
		"empty":  "empty-value",
		"binary": "k\x00with\x00nul",
		"utf8":   "街道/119",
		"large":  strings.Repeat("k", 1000),
	}
	for name, v := range values {
		put(t, s, "rt", keys[name], v)
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) { wantValue(t, s, "rt", keys[name], v) })
	}
	view(t, s, func(tx store.Tx) error {
		v, err := tx.Get("rt", keys["empty"])
		if err != nil || v == nil || len(v) != 0 {
			t.Errorf("empty value: got %#v, %v; want non-nil empty slice", v, err)
		}
		return nil
	})
}

func testValuesAreCopied(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	buf := []byte("original")
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put("c", "k", buf); err != nil {
			return err
		}
		copy(buf, "CHANGED!") // the caller reuses its buffer
		v, err := tx.Get("c", "k")
		if err != nil || string(v) != "original" {
			t.Errorf("Get after caller changed its buffer: %q, %v", v, err)
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		v, err := tx.Get("c", "k")
		if err != nil {
			return err
		}
		copy(v, "XXXX") // the caller changes what it got
		return nil
	})
	wantValue(t, s, "c", "k", "original")
}

func testReadYourWrites(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	put(t, s, "ryw", "old", "1")
	update(t, s, func(tx store.Tx) error {
		steps := []struct {
			do   func() error
			key  string
			want string // "" means not found
		}{
			{func() error { return tx.Put("ryw", "new", []byte("a")) }, "new", "a"},
			{func() error { return tx.Put("ryw", "new", []byte("b")) }, "new", "b"},
			{func() error { return tx.Delete("ryw", "old") }, "old", ""},
			{func() error { return tx.Put("ryw", "old", []byte("2")) }, "old", "2"},
			{func() error { return tx.PutTTL("ryw", "ttl", []byte("t"), time.Minute) }, "ttl", "t"},
			{func() error { return tx.Delete("ryw", "ttl") }, "ttl", ""},
		}
		for i, st := range steps {
			if err := st.do(); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			v, err := tx.Get("ryw", st.key)
			switch {
			case st.want == "" && !errors.Is(err, store.ErrNotFound):
				t.Errorf("step %d: Get(%q) = %q, %v; want ErrNotFound", i, st.key, v, err)
			case st.want != "" && (err != nil || string(v) != st.want):
				t.Errorf("step %d: Get(%q) = %q, %v; want %q", i, st.key, v, err, st.want)
			}
		}
		return nil
	})
	wantValue(t, s, "ryw", "new", "b")
	wantValue(t, s, "ryw", "old", "2")
	wantMissing(t, s, "ryw", "ttl")
}

func testOverwrite(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	put(t, s, "o", "k", "first value, longer")
	put(t, s, "o", "k", "second")
	wantValue(t, s, "o", "k", "second")
	putTTL(t, s, "o", "t", "first", time.Hour)
	putTTL(t, s, "o", "t", "second", time.Hour)
	wantValue(t, s, "o", "t", "second")
}

// testOverwriteKind: a key is either durable or expiring; writing it one way
// replaces the other.
func testOverwriteKind(t *testing.T, open Opener) {
	s, clk := openFresh(t, open)
	put(t, s, "kind", "k", "durable")
	putTTL(t, s, "kind", "k", "expiring", time.Minute)
	wantValue(t, s, "kind", "k", "expiring")
	if got := scanKeys(t, s, "kind", "", ""); len(got) != 0 {
		t.Errorf("durable entry replaced by PutTTL is still listed: %q", got)
	}
	clk.Advance(2 * time.Minute)
	wantMissing(t, s, "kind", "k") // the durable value did not survive underneath

	putTTL(t, s, "kind", "j", "expiring", time.Minute)
	put(t, s, "kind", "j", "durable")
	clk.Advance(2 * time.Minute)
	wantValue(t, s, "kind", "j", "durable")
	if got := scanKeys(t, s, "kind", "", ""); !slices.Equal(got, []string{"j"}) {
		t.Errorf("Scan after PutTTL then Put: %q, want [j]", got)
	}
}

// testWriteAfterRead: the kind changes and deletions of testOverwriteKind
// and testDelete, each by an Update that first read the entry (a backend
// may use what it read to skip work; the result must not change).
func testWriteAfterRead(t *testing.T, open Opener) {
	s, clk := openFresh(t, open)
	readThen := func(key string, write func(tx store.Tx) error) {
		t.Helper()
		update(t, s, func(tx store.Tx) error {
			if _, err := tx.Get("war", key); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			return write(tx)
		})
	}
	put(t, s, "war", "durable", "d")
	readThen("durable", func(tx store.Tx) error { return tx.PutTTL("war", "durable", []byte("e"), time.Minute) })
	putTTL(t, s, "war", "expiring", "e", time.Minute)
	readThen("expiring", func(tx store.Tx) error { return tx.Put("war", "expiring", []byte("d")) })
	readThen("new", func(tx store.Tx) error { return tx.Put("war", "new", []byte("d")) })
	readThen("new", func(tx store.Tx) error { return tx.Put("war", "new", []byte("d2")) })
	readThen("fresh", func(tx store.Tx) error { return tx.PutTTL("war", "fresh", []byte("e"), time.Minute) })
	put(t, s, "war", "gone", "d")
	readThen("gone", func(tx store.Tx) error { return tx.Delete("war", "gone") })
	putTTL(t, s, "war", "gone-ttl", "e", time.Hour)
	readThen("gone-ttl", func(tx store.Tx) error { return tx.Delete("war", "gone-ttl") })
	readThen("never", func(tx store.Tx) error { return tx.Delete("war", "never") })

	wantValue(t, s, "war", "durable", "e")
	wantValue(t, s, "war", "expiring", "d")
	wantValue(t, s, "war", "new", "d2")
	wantValue(t, s, "war", "fresh", "e")
	wantMissing(t, s, "war", "gone")
	wantMissing(t, s, "war", "gone-ttl")
	wantMissing(t, s, "war", "never")
	if got := scanKeys(t, s, "war", "", ""); !slices.Equal(got, []string{"expiring", "new"}) {
		t.Errorf("Scan: %q, want [expiring new]", got)
	}
	clk.Advance(2 * time.Minute)
	wantMissing(t, s, "war", "durable") // nothing durable left underneath
	wantMissing(t, s, "war", "fresh")
	wantValue(t, s, "war", "expiring", "d") // no expiry left on it
	// Rewritten after all that, each key reads and lists as written.
	readThen("gone", func(tx store.Tx) error { return tx.Put("war", "gone", []byte("back")) })
	wantValue(t, s, "war", "gone", "back")
	if got := scanKeys(t, s, "war", "", ""); !slices.Equal(got, []string{"expiring", "gone", "new"}) {
		t.Errorf("Scan after rewrite: %q, want [expiring gone new]", got)
	}
}

func testDelete(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	put(t, s, "d", "durable", "v")
	putTTL(t, s, "d", "expiring", "v", time.Hour)
	put(t, s, "d", "keep", "v")
	update(t, s, func(tx store.Tx) error {
		for _, k := range []string{"durable", "expiring", "never-existed"} {
			if err := tx.Delete("d", k); err != nil {
				return err
			}
		}
		return tx.Delete("no-such-bucket", "k")
	})
	wantMissing(t, s, "d", "durable")
	wantMissing(t, s, "d", "expiring")
	wantValue(t, s, "d", "keep", "v")
	if got := scanKeys(t, s, "d", "", ""); !slices.Equal(got, []string{"keep"}) {
		t.Errorf("Scan after Delete: %q, want [keep]", got)
	}
	// A deleted key can be written again.
	put(t, s, "d", "durable", "again")
	wantValue(t, s, "d", "durable", "again")
}

func testBucketsAreSeparate(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	put(t, s, "a", "k", "in a")
	put(t, s, "ab", "k", "in ab")
	put(t, s, "a_b", "x", "in a_b")
	wantValue(t, s, "a", "k", "in a")
	wantValue(t, s, "ab", "k", "in ab")
	wantMissing(t, s, "a", "x")
	if got := scanKeys(t, s, "a", "", ""); !slices.Equal(got, []string{"k"}) {
		t.Errorf("Scan a: %q, want [k]", got)
	}
}

// testInvalidNames: backends share one naming rule (non-empty bucket without
// ':' and not starting with '~'; non-empty key) and report violations as
// errors, never panics.
func testInvalidNames(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	cases := []struct{ bucket, key string }{
		{"", "k"},
		{"b", ""},
		{"a:b", "k"},
		{"~ttl", "k"},
	}
	for _, c := range cases {
		err := s.Update(t.Context(), func(tx store.Tx) error {
			if err := tx.Put(c.bucket, c.key, []byte("v")); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Put(%q, %q): %v, want store.ErrInvalid", c.bucket, c.key, err)
			}
			if err := tx.PutTTL(c.bucket, c.key, []byte("v"), time.Minute); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("PutTTL(%q, %q): %v, want store.ErrInvalid", c.bucket, c.key, err)
			}
			if _, err := tx.Get(c.bucket, c.key); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Get(%q, %q): %v, want store.ErrInvalid", c.bucket, c.key, err)
			}
			if err := tx.Delete(c.bucket, c.key); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Delete(%q, %q): %v, want store.ErrInvalid", c.bucket, c.key, err)
			}
			return nil
		})
		if err != nil {
			t.Errorf("Update: %v", err)
		}
	}
	update(t, s, func(tx store.Tx) error {
		if _, err := tx.NextSeq(""); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("NextSeq(\"\"): %v, want store.ErrInvalid", err)
		}
		if err := tx.Scan("", "", "", func(string, []byte) error { return nil }); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Scan(\"\"): %v, want store.ErrInvalid", err)
		}
		return nil
	})
}
