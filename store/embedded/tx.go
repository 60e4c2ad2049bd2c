package embedded

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"firebot/store"
)

const (
	seqBucket = "~seq" // counters
	// MaxKeySize is the longest key accepted (store.MaxKeySize).
	MaxKeySize = store.MaxKeySize
	// This blank constant fails to compile if MaxKeySize and the 8 bytes
	// of expiry in front of an expiring entry's key outgrow bbolt's limit.
	_ = uint(bolt.MaxKeySize - 8 - MaxKeySize)
)

// tx is a store.Tx over one bbolt transaction. Not safe for concurrent use.
type tx struct {
	btx      *bolt.Tx
	ns       string // the street's namespace (street.go); "" for the file's own layout
	writable bool
	now      time.Time
	done     bool
	idx      *expIndex
	// pend holds the expiring-entry changes of the batch (writers only);
	// snap is the id of a View's snapshot.
	pend pending
	snap uint64
}

var _ store.Tx = (*tx)(nil)

// errDone: the Tx was used after its function returned.
var errDone = errors.New("embedded: transaction already finished")

// rules are the store's rules for each use of a Tx, with this backend's
// errors.
var rules = store.TxRules{Prefix: "embedded", Done: errDone, Invalid: ErrInvalid, ReadOnly: ErrReadOnly}

func (t *tx) Now() time.Time { return t.now }

// Bucket names: the methods of Tx take a caller's bucket name, which the
// tx's namespace turns into the stored name (t.ns + bucket); the expiry
// index, pend and the helpers below work on stored names.

// expiry is the expiry of the expiring entry bucket/key (a stored bucket
// name) as this transaction sees it (ok false: there is none, expired or not).
func (t *tx) expiry(bucket, key string) (int64, bool) {
	if !t.writable {
		return t.idx.at(bucket, key, t.snap)
	}
	if exp, known := t.pend.get(bucket, key); known {
		return exp, exp != 0
	}
	return t.idx.latest(bucket, key)
}

// dropExpiring deletes the expiring entry bucket/key (a stored bucket
// name), if there is one.
func (t *tx) dropExpiring(bucket, key string) error {
	exp, ok := t.expiry(bucket, key)
	if !ok {
		return nil
	}
	if b := t.btx.Bucket([]byte(expPrefix + bucket)); b != nil {
		if err := b.Delete(expKey(exp, key)); err != nil {
			return err
		}
	}
	t.pend.set(bucket, key, 0)
	return nil
}

func (t *tx) Get(bucket, key string) ([]byte, error) {
	if err := rules.Read(t.done, bucket, key); err != nil {
		return nil, err
	}
	bucket = t.ns + bucket
	if b := t.btx.Bucket([]byte(bucket)); b != nil {
		if v := b.Get([]byte(key)); v != nil {
			return clone(v), nil
		}
	}
	exp, ok := t.expiry(bucket, key)
	if !ok {
		return nil, store.ErrNotFound
	}
	if exp <= t.now.UnixNano() {
		if t.writable {
			// Lazy collection; a failure here only leaves work for Sweep.
			_ = t.dropExpiring(bucket, key)
		}
		return nil, store.ErrNotFound
	}
	if b := t.btx.Bucket([]byte(expPrefix + bucket)); b != nil {
		if v := b.Get(expKey(exp, key)); v != nil {
			return clone(v), nil
		}
	}
	return nil, store.ErrNotFound
}

func (t *tx) Put(bucket, key string, value []byte) error {
	if err := rules.Write(t.done, t.writable, bucket, key); err != nil {
		return err
	}
	bucket = t.ns + bucket
	b, err := t.btx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return t.fail("put", err)
	}
	if err := b.Put([]byte(key), clone(value)); err != nil {
		return t.fail("put", err)
	}
	if err := t.dropExpiring(bucket, key); err != nil {
		return t.fail("put", err)
	}
	return nil
}

func (t *tx) PutTTL(bucket, key string, value []byte, ttl time.Duration) error {
	if err := rules.Write(t.done, t.writable, bucket, key); err != nil {
		return err
	}
	if ttl <= 0 {
		// Expired on arrival: the key no longer exists.
		return t.Delete(bucket, key)
	}
	bucket = t.ns + bucket
	if err := t.dropExpiring(bucket, key); err != nil {
		return t.fail("put ttl", err)
	}
	eb, err := t.btx.CreateBucketIfNotExists([]byte(expPrefix + bucket))
	if err != nil {
		return t.fail("put ttl", err)
	}
	exp := t.now.Add(ttl).UnixNano()
	if err := eb.Put(expKey(exp, key), clone(value)); err != nil {
		return t.fail("put ttl", err)
	}
	t.pend.set(bucket, key, exp)
	if b := t.btx.Bucket([]byte(bucket)); b != nil {
		if err := b.Delete([]byte(key)); err != nil {
			return t.fail("put ttl", err)
		}
	}
	return nil
}

func (t *tx) Delete(bucket, key string) error {
	if err := rules.Write(t.done, t.writable, bucket, key); err != nil {
		return err
	}
	bucket = t.ns + bucket
	if b := t.btx.Bucket([]byte(bucket)); b != nil {
		if err := b.Delete([]byte(key)); err != nil {
			return t.fail("delete", err)
		}
	}
	if err := t.dropExpiring(bucket, key); err != nil {
		return t.fail("delete", err)
	}
	return nil
}

func (t *tx) Scan(bucket, prefix, start string, fn func(key string, value []byte) error) error {
	if err := rules.Bucket(t.done, bucket); err != nil {
		return err
	}
	b := t.btx.Bucket([]byte(t.ns + bucket))
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
	if err := rules.Seq(t.done, t.writable, "next seq", name); err != nil {
		return 0, err
	}
	b, err := t.btx.CreateBucketIfNotExists([]byte(t.ns + seqBucket))
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

// TakeSeq is NextSeq: units of work run one at a time, so a counter never
// makes them collide, and one that does not commit leaves no gap.
func (t *tx) TakeSeq(name string) (uint64, error) { return t.NextSeq(name) }

func (t *tx) fail(op string, err error) error {
	return fmt.Errorf("embedded: %s: %w: %w", op, store.ErrUnavailable, err)
}

// clone copies b into memory that outlives the transaction; never nil.
func clone(b []byte) []byte {
	out := make([]byte, len(b))
	copy(out, b)
	return out
}
