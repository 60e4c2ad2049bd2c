package embedded

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"firebot/store"
)

const (
	ttlPrefix = "~ttl/" // bucket of the expiring entries of a store bucket
	seqBucket = "~seq"  // counters
	// MaxKeySize is the longest key accepted (bbolt's own limit).
	MaxKeySize = bolt.MaxKeySize
)

// tx is a store.Tx over one bbolt transaction. Not safe for concurrent use.
type tx struct {
	btx      *bolt.Tx
	writable bool
	now      time.Time
	done     bool
}

var _ store.Tx = (*tx)(nil)

// errDone: the Tx was used after its function returned.
var errDone = errors.New("embedded: transaction already finished")

func (t *tx) Now() time.Time { return t.now }

func (t *tx) Get(bucket, key string) ([]byte, error) {
	if err := t.check(bucket, key, false); err != nil {
		return nil, err
	}
	if b := t.btx.Bucket([]byte(bucket)); b != nil {
		if v := b.Get([]byte(key)); v != nil {
			return clone(v), nil
		}
	}
	tb := t.btx.Bucket([]byte(ttlPrefix + bucket))
	if tb == nil {
		return nil, store.ErrNotFound
	}
	v := tb.Get([]byte(key))
	if v == nil {
		return nil, store.ErrNotFound
	}
	if live(v, t.now) {
		return clone(v[8:]), nil
	}
	if t.writable {
		// Lazy collection; a failure here only leaves work for Sweep.
		_ = tb.Delete([]byte(key))
	}
	return nil, store.ErrNotFound
}

func (t *tx) Put(bucket, key string, value []byte) error {
	if err := t.check(bucket, key, true); err != nil {
		return err
	}
	b, err := t.btx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return t.fail("put", err)
	}
	if err := b.Put([]byte(key), clone(value)); err != nil {
		return t.fail("put", err)
	}
	if tb := t.btx.Bucket([]byte(ttlPrefix + bucket)); tb != nil {
		if err := tb.Delete([]byte(key)); err != nil {
			return t.fail("put", err)
		}
	}
	return nil
}

func (t *tx) PutTTL(bucket, key string, value []byte, ttl time.Duration) error {
	if err := t.check(bucket, key, true); err != nil {
		return err
	}
	if ttl <= 0 {
		// Expired on arrival: the key no longer exists.
		return t.Delete(bucket, key)
	}
	tb, err := t.btx.CreateBucketIfNotExists([]byte(ttlPrefix + bucket))
	if err != nil {
		return t.fail("put ttl", err)
	}
	v := make([]byte, 8+len(value))
	binary.BigEndian.PutUint64(v, uint64(t.now.Add(ttl).UnixNano()))
	copy(v[8:], value)
	if err := tb.Put([]byte(key), v); err != nil {
		return t.fail("put ttl", err)
	}
	if b := t.btx.Bucket([]byte(bucket)); b != nil {
		if err := b.Delete([]byte(key)); err != nil {
			return t.fail("put ttl", err)
		}
	}
	return nil
}

func (t *tx) Delete(bucket, key string) error {
	if err := t.check(bucket, key, true); err != nil {
		return err
	}
	for _, name := range []string{bucket, ttlPrefix + bucket} {
		if b := t.btx.Bucket([]byte(name)); b != nil {
			if err := b.Delete([]byte(key)); err != nil {
				return t.fail("delete", err)
			}
		}
	}
	return nil
}

func (t *tx) Scan(bucket, prefix, start string, fn func(key string, value []byte) error) error {
	if t.done {
		return errDone
	}
	if err := checkBucket(bucket); err != nil {
		return err
	}
	b := t.btx.Bucket([]byte(bucket))
	if b == nil {
		return nil
	}
	from := max(start, prefix)
	c := b.Cursor()
	k, v := c.Seek([]byte(from))
	for k != nil && bytes.HasPrefix(k, []byte(prefix)) {
		key := string(k)
		if err := fn(key, clone(v)); err != nil {
			if errors.Is(err, store.ErrStopScan) {
				return nil
			}
			return err
		}
		if t.writable {
			// fn may have written to this bucket, which invalidates the
			// cursor's position: find the next key afresh.
			c = b.Cursor()
			k, v = c.Seek([]byte(key))
			if k != nil && string(k) == key {
				k, v = c.Next()
			}
			continue
		}
		k, v = c.Next()
	}
	return nil
}

func (t *tx) NextSeq(name string) (uint64, error) {
	if t.done {
		return 0, errDone
	}
	if name == "" {
		return 0, fmt.Errorf("embedded: next seq: empty counter name: %w", ErrInvalid)
	}
	if !t.writable {
		return 0, fmt.Errorf("embedded: next seq %q: %w", name, ErrReadOnly)
	}
	b, err := t.btx.CreateBucketIfNotExists([]byte(seqBucket))
	if err != nil {
		return 0, t.fail("next seq", err)
	}
	var n uint64
	if v := b.Get([]byte(name)); len(v) == 8 {
		n = binary.BigEndian.Uint64(v)
	}
	n++
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], n)
	if err := b.Put([]byte(name), buf[:]); err != nil {
		return 0, t.fail("next seq", err)
	}
	return n, nil
}

// check validates the names and, for writes, that the Tx is writable.
func (t *tx) check(bucket, key string, write bool) error {
	if t.done {
		return errDone
	}
	if err := checkBucket(bucket); err != nil {
		return err
	}
	if key == "" || len(key) > MaxKeySize {
		return fmt.Errorf("embedded: key of %d bytes in bucket %q: %w", len(key), bucket, ErrInvalid)
	}
	if write && !t.writable {
		return fmt.Errorf("embedded: write %s/%q: %w", bucket, key, ErrReadOnly)
	}
	return nil
}

func checkBucket(bucket string) error {
	if bucket == "" || strings.HasPrefix(bucket, "~") || strings.Contains(bucket, ":") {
		return fmt.Errorf("embedded: bucket %q: %w", bucket, ErrInvalid)
	}
	return nil
}

func (t *tx) fail(op string, err error) error {
	return fmt.Errorf("embedded: %s: %w: %w", op, store.ErrUnavailable, err)
}

// live reports whether an expiring entry's stored expiry is after now.
func live(v []byte, now time.Time) bool {
	return len(v) >= 8 && int64(binary.BigEndian.Uint64(v)) > now.UnixNano()
}

// clone copies b into memory that outlives the transaction; never nil.
func clone(b []byte) []byte {
	out := make([]byte, len(b))
	copy(out, b)
	return out
}
