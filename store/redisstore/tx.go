package redisstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"firebot/store"
)

// MaxKeySize is the longest key accepted (store.MaxKeySize, as in the
// embedded backend).
const MaxKeySize = store.MaxKeySize

type writeKind int

const (
	writePut writeKind = iota + 1
	writePutTTL
	writeDelete
)

// write is one buffered change to a key, applied at commit.
type write struct {
	bucket, key string
	kind        writeKind
	value       []byte        // writePut, writePutTTL
	ttl         time.Duration // writePutTTL: server-side expiry
	expiry      time.Time     // writePutTTL: on the real clock
}

// tx is a store.Tx. In an Update it reads through the WATCHing connection
// rtx and buffers writes; in a View rtx is nil and reads use the client.
// Not safe for concurrent use.
type tx struct {
	s    *Store
	ctx  context.Context
	rtx  *redis.Tx
	now  time.Time
	done bool
	err  error // first backend failure; poisons the commit

	writes map[string]*write   // by bucket+":"+key
	puts   map[string][]string // bucket → sorted keys of buffered Puts
	seqs   map[string]uint64   // counter name → value to store

	// TakeSeq: the values taken during the Update (shared by the runs of
	// its function) and how many of each counter's this run handed out.
	taken map[string][]uint64
	used  map[string]int

	// Prefetched reads (their keys are watched like any read's).
	got   map[string][]any // bucket+":"+key → MGET of (durable, expiring)
	pages map[string]*page // bucket+sep+prefix → the range's first page
	// Reads prefetched through the Unwatched view, not watched: only that
	// view's reads are answered from them.
	seen      map[string][]any
	seenPages map[string]*page

	// watching: a pipeline WATCHed keys and no EXEC has released them yet.
	watching bool
}

var _ store.Tx = (*tx)(nil)

var errDone = errors.New("redisstore: transaction already finished")

// rules are the store's rules for each use of a Tx, with this backend's
// errors.
var rules = store.TxRules{Prefix: "redisstore", Done: errDone, Invalid: ErrInvalid, ReadOnly: ErrReadOnly}

func (s *Store) newTx(ctx context.Context, rtx *redis.Tx, taken map[string][]uint64) *tx {
	return &tx{s: s, ctx: ctx, rtx: rtx, now: s.real.Now(), taken: taken}
}

func (t *tx) Now() time.Time { return t.now }

func (t *tx) writable() bool { return t.rtx != nil }

// reader is where reads go: the WATCHing connection or the client.
func (t *tx) reader() redis.Cmdable {
	if t.rtx != nil {
		return t.rtx
	}
	return t.s.client
}

// fail records a backend error and returns it wrapped with ErrUnavailable.
func (t *tx) fail(op string, err error) error {
	err = t.s.unavailable(op, err)
	if t.err == nil {
		t.err = err
	}
	return err
}

// watchAndRead runs read after WATCHing keys, in one round trip. In a View
// nothing is watched.
func (t *tx) watchAndRead(keys []string, read func(p redis.Pipeliner)) error {
	watched := false
	defer func() {
		// A connection that failed is dropped by the client, watch and all.
		t.watching = t.watching || watched
	}()
	_, err := t.reader().Pipelined(t.ctx, func(p redis.Pipeliner) error {
		if t.writable() && len(keys) > 0 {
			watched = true
			args := make([]any, 0, 1+len(keys))
			args = append(args, "watch")
			for _, k := range keys {
				args = append(args, k)
			}
			p.Do(t.ctx, args...)
		}
		read(p)
		return nil
	})
	if errors.Is(err, redis.Nil) {
		return nil
	}
	if connFailed(err) {
		watched = false
	}
	return err
}

// mget reads keys in one round trip, WATCHing them first when watch is
// set, and checks that a value (or nil) came back for each; op names the
// caller in errors.
func (t *tx) mget(op string, watch bool, keys ...string) ([]any, error) {
	var cmd *redis.SliceCmd
	var watched []string
	if watch {
		watched = keys
	}
	if err := t.watchAndRead(watched, func(p redis.Pipeliner) { cmd = p.MGet(t.ctx, keys...) }); err != nil {
		return nil, t.fail(op, err)
	}
	return t.checkMGet(op, cmd, len(keys))
}

// checkMGet returns an MGET's values, failing unless there are n.
func (t *tx) checkMGet(op string, cmd *redis.SliceCmd, n int) ([]any, error) {
	if v := cmd.Val(); len(v) == n {
		return v, nil
	}
	return nil, t.fail(op, fmt.Errorf("MGET returned %d values for %d keys", len(cmd.Val()), n))
}

// connFailed reports whether err is a failure of the connection rather than
// an error reply of the server.
func connFailed(err error) bool {
	var reply redis.Error
	return err != nil && !errors.As(err, &reply)
}

func (t *tx) Get(bucket, key string) ([]byte, error) { return t.get(bucket, key, true) }

// get reads an entry, watching it when watch is set.
func (t *tx) get(bucket, key string, watch bool) ([]byte, error) {
	if err := rules.Read(t.done, bucket, key); err != nil {
		return nil, err
	}
	if w, ok := t.writes[bucket+":"+key]; ok {
		if w.kind == writeDelete || (w.kind == writePutTTL && !w.expiry.After(t.now)) {
			return nil, store.ErrNotFound
		}
		return clone(w.value), nil
	}
	vals, ok := t.got[bucket+":"+key]
	if !ok && !watch {
		vals, ok = t.seen[bucket+":"+key]
	}
	if !ok {
		var err error
		if vals, err = t.mget("get", watch, t.s.durableKey(bucket, key), t.s.expiringKey(bucket, key)); err != nil {
			return nil, err
		}
	}
	if v, ok := vals[0].(string); ok {
		return []byte(v), nil
	}
	if v, ok := vals[1].(string); ok && live(v, t.now) {
		return []byte(v[8:]), nil
	}
	return nil, store.ErrNotFound
}

func (t *tx) Put(bucket, key string, value []byte) error {
	if err := rules.Write(t.done, t.writable(), bucket, key); err != nil {
		return err
	}
	t.buffer(&write{bucket: bucket, key: key, kind: writePut, value: clone(value)})
	return nil
}

func (t *tx) PutTTL(bucket, key string, value []byte, ttl time.Duration) error {
	if err := rules.Write(t.done, t.writable(), bucket, key); err != nil {
		return err
	}
	if ttl <= 0 {
		// Expired on arrival: the key no longer exists.
		t.buffer(&write{bucket: bucket, key: key, kind: writeDelete})
		return nil
	}
	t.buffer(&write{bucket: bucket, key: key, kind: writePutTTL, value: clone(value),
		ttl: ttl, expiry: t.now.Add(ttl)})
	return nil
}

func (t *tx) Delete(bucket, key string) error {
	if err := rules.Write(t.done, t.writable(), bucket, key); err != nil {
		return err
	}
	t.buffer(&write{bucket: bucket, key: key, kind: writeDelete})
	return nil
}

// buffer records w, replacing any earlier write to the same key, and keeps
// the sorted list of buffered Puts that Scan merges in.
func (t *tx) buffer(w *write) {
	if t.writes == nil {
		t.writes = map[string]*write{}
		t.puts = map[string][]string{}
	}
	t.writes[w.bucket+":"+w.key] = w
	keys := t.puts[w.bucket]
	i, found := slices.BinarySearch(keys, w.key)
	switch {
	case w.kind == writePut && !found:
		t.puts[w.bucket] = slices.Insert(keys, i, w.key)
	case w.kind != writePut && found:
		t.puts[w.bucket] = slices.Delete(keys, i, i+1)
	}
}

func (t *tx) NextSeq(name string) (uint64, error) {
	if err := rules.Seq(t.done, t.writable(), "next seq", name); err != nil {
		return 0, err
	}
	n, ok := t.seqs[name]
	if !ok {
		key := t.s.seqKey(name)
		var cmd *redis.StringCmd
		if err := t.watchAndRead([]string{key}, func(p redis.Pipeliner) { cmd = p.Get(t.ctx, key) }); err != nil {
			return 0, t.fail("next seq", err)
		}
		if v, err := cmd.Result(); err == nil {
			if n, err = strconv.ParseUint(v, 10, 64); err != nil {
				return 0, t.fail("next seq", fmt.Errorf("counter %q holds %q", name, v))
			}
		}
		if t.seqs == nil {
			t.seqs = map[string]uint64{}
		}
	}
	n++
	t.seqs[name] = n
	return n, nil
}

// TakeSeq increments the counter with INCR at once, outside the optimistic
// transaction: nothing is watched, so concurrent takers never conflict. The
// value is kept for the Update's later runs of its function; if the Update
// does not commit, it is a gap.
func (t *tx) TakeSeq(name string) (uint64, error) {
	if _, ok := t.seqs[name]; ok && !t.done {
		// The counter is watched and will be SET at commit: an INCR now
		// would fail that commit on every run.
		return t.NextSeq(name)
	}
	if err := rules.Seq(t.done, t.writable(), "take seq", name); err != nil {
		return 0, err
	}
	if t.used == nil {
		t.used = map[string]int{}
	}
	i := t.used[name]
	if i < len(t.taken[name]) {
		t.used[name] = i + 1
		return t.taken[name][i], nil
	}
	n, err := t.rtx.Incr(t.ctx, t.s.seqKey(name)).Result()
	if err != nil {
		return 0, t.fail("take seq", err)
	}
	if n <= 0 {
		return 0, t.fail("take seq", fmt.Errorf("counter %q went to %d", name, n))
	}
	t.taken[name] = append(t.taken[name], uint64(n))
	t.used[name] = i + 1
	return uint64(n), nil
}
