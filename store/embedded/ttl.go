package embedded

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Expiring entries are kept in expiry order: bucket "~exp/<bucket>" holds
// each under the key expiry|key (expiry: 8-byte big-endian unix nanoseconds
// on the real clock). Entries written with the same ttl therefore append at
// the right edge of their tree, so a commit of many of them (every callback
// writes two) dirties a few pages instead of one leaf and its branch pages
// per entry, and Sweep removes the expired ones from the left edge.
//
// Finding an entry by its key needs its expiry: the expiry index, in
// memory, maps each bucket and key to its expiry. It is rebuilt from the
// file by Open. To answer Views from their snapshot, the index keeps, per
// key, the versions that some running View may still need, each tagged
// with the id of the transaction that wrote it.
const (
	expPrefix = "~exp/"
	// oldTTLPrefix is the layout before the expiry index: value = expiry
	// then value, under the bare key. Open moves such entries to expPrefix.
	oldTTLPrefix = "~ttl/"
)

// live reports whether an entry of the old layout (expiry, then value)
// expires after now (unix nanoseconds).
func live(v []byte, now int64) bool {
	return len(v) >= 8 && int64(binary.BigEndian.Uint64(v)) > now
}

// expKey is the stored key of an expiring entry.
func expKey(exp int64, key string) []byte {
	k := make([]byte, 8+len(key))
	binary.BigEndian.PutUint64(k, uint64(exp))
	copy(k[8:], key)
	return k
}

// splitExpKey undoes expKey.
func splitExpKey(k []byte) (exp int64, key string, ok bool) {
	if len(k) <= 8 {
		return 0, "", false
	}
	return int64(binary.BigEndian.Uint64(k)), string(k[8:]), true
}

// version is one state of an expiring key: its expiry, or 0 for absent,
// as written by transaction tx.
type version struct {
	tx  uint64
	exp int64
}

// expIndex is the expiry index. Writers (serialized by bbolt) read the
// newest versions; a View reads the newest version its snapshot holds.
type expIndex struct {
	mu      sync.Mutex
	keys    map[string]map[string][]version // bucket → key → versions, oldest first
	readers map[uint64]int                  // running Views by the committed tx they started after
	// committed is the id of the last transaction known committed: every
	// View that starts now reads a snapshot at least this new.
	committed uint64
	// dirty are the keys holding more than their newest version, or a
	// deletion: tidy drops what no View needs any more. tidied is the
	// floor it last ran with.
	dirty  map[string]map[string]struct{}
	tidied uint64
}

func newExpIndex(committed uint64) *expIndex {
	return &expIndex{keys: map[string]map[string][]version{}, readers: map[uint64]int{},
		committed: committed, dirty: map[string]map[string]struct{}{}}
}

// latest is the newest expiry of bucket/key (ok false: absent).
func (x *expIndex) latest(bucket, key string) (int64, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	vs := x.keys[bucket][key]
	if len(vs) == 0 || vs[len(vs)-1].exp == 0 {
		return 0, false
	}
	return vs[len(vs)-1].exp, true
}

// at is the expiry of bucket/key in the snapshot of transaction snap.
func (x *expIndex) at(bucket, key string, snap uint64) (int64, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	vs := x.keys[bucket][key]
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].tx <= snap {
			return vs[i].exp, vs[i].exp != 0
		}
	}
	return 0, false
}

// enter registers a View about to open its snapshot and returns the token
// for leave. Versions it may read stay until it leaves.
func (x *expIndex) enter() uint64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.readers[x.committed]++
	return x.committed
}

func (x *expIndex) leave(token uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.readers[token]--; x.readers[token] <= 0 {
		delete(x.readers, token)
	}
	x.tidy()
}

// floor is the oldest snapshot a running or future View can read.
func (x *expIndex) floor() uint64 {
	floor := x.committed
	for r := range x.readers {
		floor = min(floor, r)
	}
	return floor
}

// put keeps the versions of bucket/key, pruned to what Views at floor or
// later can read.
func (x *expIndex) put(bucket, key string, vs []version, floor uint64) {
	vs = prune(vs, floor)
	m := x.keys[bucket]
	if m == nil {
		m = map[string][]version{}
		x.keys[bucket] = m
	}
	d := x.dirty[bucket]
	switch {
	case len(vs) == 0 || len(vs) == 1 && vs[0].exp == 0 && vs[0].tx <= floor:
		delete(m, key)
		delete(d, key)
	case len(vs) == 1 && vs[0].exp != 0:
		m[key] = vs
		delete(d, key)
	default:
		m[key] = vs
		if d == nil {
			d = map[string]struct{}{}
			x.dirty[bucket] = d
		}
		d[key] = struct{}{}
	}
}

// tidy prunes the dirty keys when the floor has moved since it last ran.
func (x *expIndex) tidy() {
	floor := x.floor()
	if floor == x.tidied {
		return
	}
	x.tidied = floor
	for bucket, keys := range x.dirty {
		for key := range keys {
			x.put(bucket, key, x.keys[bucket][key], floor)
		}
	}
}

// publish adds the versions written by transaction id before it commits:
// no snapshot holds that transaction yet, so no View reads them early.
func (x *expIndex) publish(id uint64, changes pending) {
	x.mu.Lock()
	defer x.mu.Unlock()
	floor := x.floor()
	for bucket, keys := range changes {
		for key, exp := range keys {
			x.put(bucket, key, append(x.keys[bucket][key], version{tx: id, exp: exp}), floor)
		}
	}
}

// prune drops the versions older than the newest one at or before floor:
// no View still running or yet to start reads them.
func prune(vs []version, floor uint64) []version {
	keep := 0
	for i, v := range vs {
		if v.tx <= floor {
			keep = i
		}
	}
	if keep == 0 {
		return vs
	}
	return append(vs[:0], vs[keep:]...)
}

// settle records the outcome of transaction id's commit: on success Views
// may now read it; on failure its versions are withdrawn.
func (x *expIndex) settle(id uint64, changes pending, committed bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if committed {
		x.committed = max(x.committed, id)
		x.tidy()
		return
	}
	floor := x.floor()
	for bucket, keys := range changes {
		for key := range keys {
			vs := x.keys[bucket][key]
			if n := len(vs); n > 0 && vs[n-1].tx == id {
				vs = vs[:n-1]
			}
			x.put(bucket, key, vs, floor)
		}
	}
}

// pending are the expiring-entry changes of one write transaction (a
// batch), published when all its functions succeeded.
type pending map[string]map[string]int64

func (p pending) set(bucket, key string, exp int64) {
	m := p[bucket]
	if m == nil {
		m = map[string]int64{}
		p[bucket] = m
	}
	m[key] = exp
}

func (p pending) get(bucket, key string) (exp int64, known bool) {
	exp, known = p[bucket][key]
	return exp, known
}

// loadExpIndex moves entries of the old layout to the new one and builds
// the index from the file. It runs in Open, before any other transaction.
func loadExpIndex(db *bolt.DB, nowNanos int64) (*expIndex, int, error) {
	moved := 0
	err := db.Update(func(btx *bolt.Tx) error {
		var old [][]byte
		err := btx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if bytes.HasPrefix(name, []byte(oldTTLPrefix)) {
				old = append(old, bytes.Clone(name))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, name := range old {
			to, err := btx.CreateBucketIfNotExists([]byte(expPrefix + string(name[len(oldTTLPrefix):])))
			if err != nil {
				return err
			}
			err = btx.Bucket(name).ForEach(func(k, v []byte) error {
				if !live(v, nowNanos) {
					return nil
				}
				moved++
				return to.Put(expKey(int64(binary.BigEndian.Uint64(v)), string(k)), bytes.Clone(v[8:]))
			})
			if err != nil {
				return err
			}
			if err := btx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("move expiring entries to the expiry layout: %w", err)
	}
	var x *expIndex
	err = db.View(func(btx *bolt.Tx) error {
		x = newExpIndex(uint64(btx.ID()))
		return btx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if !bytes.HasPrefix(name, []byte(expPrefix)) {
				return nil
			}
			bucket := string(name[len(expPrefix):])
			m := map[string][]version{}
			x.keys[bucket] = m
			return b.ForEach(func(k, _ []byte) error {
				exp, key, ok := splitExpKey(k)
				if !ok {
					return fmt.Errorf("bucket %q: malformed key %x", name, k)
				}
				// A key stored twice (never written so; only a damaged file
				// could hold it) is found under its later expiry; Sweep
				// removes the other when it expires.
				if prev := m[key]; len(prev) == 0 || prev[0].exp < exp {
					m[key] = []version{{tx: x.committed, exp: exp}}
				}
				return nil
			})
		})
	})
	if err != nil {
		return nil, 0, fmt.Errorf("build the expiry index: %w", err)
	}
	return x, moved, nil
}
