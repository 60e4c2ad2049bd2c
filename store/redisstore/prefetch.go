package redisstore

import (
	"github.com/redis/go-redis/v9"

	"firebot/store"
)

// page is the first page of a prefetched key range.
type page struct {
	keys   []string
	values []any
	done   bool // the range has no more keys
}

var _ store.Prefetcher = (*tx)(nil)

// Prefetch reads the named entries and the first page of the named ranges
// in one round trip (and the ranges' values in a second one, when a range
// holds keys), watching everything it reads in an Update. Later Gets and
// Scans of the same entries and ranges are answered from it. Invalid names
// are skipped: the read itself will report them.
func (t *tx) Prefetch(reads []store.Read) error { return t.prefetch(reads, true) }

// prefetch is Prefetch; without watch nothing is watched, and what it reads
// is kept apart, for the Unwatched view's reads only.
func (t *tx) prefetch(reads []store.Read, watch bool) error {
	if t.done {
		return errDone
	}
	var (
		watched, mget []string
		gets          []string // cache keys, in mget order (two MGET keys each)
		ranges        []store.Read
	)
	for _, r := range reads {
		if rules.Bucket(false, r.Bucket) != nil {
			continue
		}
		if r.Prefix {
			_, ok := t.pages[r.Bucket+sep+r.Key]
			if !ok && !watch {
				_, ok = t.seenPages[r.Bucket+sep+r.Key]
			}
			if !ok {
				watched = append(watched, t.s.indexKey(r.Bucket))
				ranges = append(ranges, r)
			}
			continue
		}
		ck := r.Bucket + ":" + r.Key
		if !store.ValidKey(r.Key) || t.got[ck] != nil || t.writes[ck] != nil || (!watch && t.seen[ck] != nil) {
			continue
		}
		dk, tk := t.s.durableKey(r.Bucket, r.Key), t.s.expiringKey(r.Bucket, r.Key)
		watched, mget, gets = append(watched, dk, tk), append(mget, dk, tk), append(gets, ck)
	}
	if len(watched) == 0 {
		return nil
	}
	if !watch {
		watched = nil
	}
	got, pages := &t.got, &t.pages
	if !watch {
		got, pages = &t.seen, &t.seenPages
	}
	var vals *redis.SliceCmd
	rngs := make([]*redis.StringSliceCmd, len(ranges))
	err := t.watchAndRead(watched, func(p redis.Pipeliner) {
		if len(mget) > 0 {
			vals = p.MGet(t.ctx, mget...)
		}
		for i, r := range ranges {
			lo, hi := rangeBounds(r.Key, r.Key)
			rngs[i] = p.ZRangeByLex(t.ctx, t.s.indexKey(r.Bucket), &redis.ZRangeBy{Min: lo, Max: hi, Count: scanPage})
		}
	})
	if err != nil {
		return t.fail("prefetch", err)
	}
	if vals != nil {
		v, err := t.checkMGet("prefetch", vals, len(mget))
		if err != nil {
			return err
		}
		if *got == nil {
			*got = map[string][]any{}
		}
		for i, ck := range gets {
			(*got)[ck] = v[2*i : 2*i+2]
		}
	}
	var dks []string
	fetched := make([]*page, len(ranges))
	for i, r := range ranges {
		pg := &page{keys: rngs[i].Val()}
		pg.done = len(pg.keys) < scanPage
		for _, k := range pg.keys {
			dks = append(dks, t.s.durableKey(r.Bucket, k))
		}
		fetched[i] = pg
	}
	if len(dks) > 0 {
		v, err := t.mget("prefetch", watch, dks...)
		if err != nil {
			return err
		}
		for _, pg := range fetched {
			pg.values, v = v[:len(pg.keys)], v[len(pg.keys):]
		}
	}
	if *pages == nil {
		*pages = map[string]*page{}
	}
	for i, r := range ranges {
		(*pages)[r.Bucket+sep+r.Key] = fetched[i]
	}
	return nil
}

// unwatched is the Unwatched view of a tx: the same unit of work, whose
// reads watch nothing.
type unwatched struct{ *tx }

var (
	_ store.Unwatcher  = (*tx)(nil)
	_ store.Prefetcher = unwatched{}
)

// Unwatched returns a view of the unit of work whose reads are not
// validated at commit (see store.ReadCommitted).
func (t *tx) Unwatched() store.Tx { return unwatched{t} }

func (u unwatched) Get(bucket, key string) ([]byte, error) { return u.get(bucket, key, false) }

func (u unwatched) Scan(bucket, prefix, start string, fn func(key string, value []byte) error) error {
	return u.scan(bucket, prefix, start, fn, false)
}

func (u unwatched) Prefetch(reads []store.Read) error { return u.prefetch(reads, false) }

// sep separates bucket and prefix in the key of a prefetched range.
const sep = "\x00"

// rangeBounds are the ZRANGEBYLEX bounds of the keys that start with prefix
// and are >= from.
func rangeBounds(prefix, from string) (lo, hi string) {
	lo, hi = "["+from, "+"
	if end, ok := prefixEnd(prefix); ok {
		hi = "(" + end
	}
	return lo, hi
}
