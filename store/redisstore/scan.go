package redisstore

import (
	"errors"
	"slices"
	"strings"

	"github.com/redis/go-redis/v9"

	"firebot/store"
)

// scanPage is how many keys Scan reads from the server per round trip pair.
const scanPage = 256

// Scan merges the bucket's committed keys (read page by page from its sorted
// set) with the unit of work's buffered writes, re-checking the buffer at
// every step so that fn's own writes during the scan are honoured.
func (t *tx) Scan(bucket, prefix, start string, fn func(key string, value []byte) error) error {
	return t.scan(bucket, prefix, start, fn, true)
}

// scan is Scan, watching what it reads only when watch is set.
func (t *tx) scan(bucket, prefix, start string, fn func(key string, value []byte) error, watch bool) error {
	if err := rules.Bucket(t.done, bucket); err != nil {
		return err
	}
	from := max(start, prefix)
	sc := &serverCursor{t: t, bucket: bucket, loose: !watch}
	sc.min, sc.max = rangeBounds(prefix, from)
	pg, ok := t.pages[bucket+sep+prefix]
	if !ok && !watch {
		pg, ok = t.seenPages[bucket+sep+prefix]
	}
	if ok && from == prefix {
		// Prefetched: its index is watched (unless loose) and its first
		// page is read.
		sc.keys, sc.values, sc.done, sc.watched = pg.keys, pg.values, pg.done, true
		if len(pg.keys) > 0 {
			sc.min = "(" + pg.keys[len(pg.keys)-1]
		}
	}
	last, started := "", false
	for {
		key, value, ok, err := sc.peek(last, started)
		if err != nil {
			return err
		}
		if bk, found := t.nextBufferedPut(bucket, prefix, from, last, started); found && (!ok || bk <= key) {
			key, value, ok = bk, t.writes[bucket+":"+bk].value, true
		}
		if !ok {
			return nil
		}
		last, started = key, true
		if err := fn(key, clone(value)); err != nil {
			if errors.Is(err, store.ErrStopScan) {
				return nil
			}
			return err
		}
	}
}

// nextBufferedPut returns the smallest key of a buffered Put in bucket that
// has prefix, is >= from, and (once started) is > last.
func (t *tx) nextBufferedPut(bucket, prefix, from, last string, started bool) (string, bool) {
	keys := t.puts[bucket]
	i, _ := slices.BinarySearch(keys, from)
	if started {
		var found bool
		if i, found = slices.BinarySearch(keys, last); found {
			i++
		}
	}
	if i < len(keys) && strings.HasPrefix(keys[i], prefix) {
		return keys[i], true
	}
	return "", false
}

// serverCursor pages through a bucket's committed keys and values.
type serverCursor struct {
	t        *tx
	bucket   string
	min, max string // ZRANGEBYLEX bounds of the next page
	watched  bool   // the sorted set is watched
	loose    bool   // nothing is watched (the Unwatched view)
	done     bool   // no more pages
	keys     []string
	values   []any
	i        int
}

// peek returns the next committed key (> last once started) that the unit of
// work has not itself written, with its value.
func (c *serverCursor) peek(last string, started bool) (string, []byte, bool, error) {
	for {
		for ; c.i < len(c.keys); c.i++ {
			key := c.keys[c.i]
			if started && key <= last {
				continue
			}
			if _, written := c.t.writes[c.bucket+":"+key]; written {
				continue
			}
			v, ok := c.values[c.i].(string)
			if !ok {
				continue // indexed but gone: skip
			}
			return key, []byte(v), true, nil
		}
		if c.done {
			return "", nil, false, nil
		}
		if err := c.fetch(); err != nil {
			return "", nil, false, err
		}
	}
}

// fetch reads the next page of keys, then their values. In an Update both
// the sorted set and the value keys are watched before they are read.
func (c *serverCursor) fetch() error {
	t := c.t
	zk := t.s.indexKey(c.bucket)
	var watch []string
	if !c.watched && !c.loose {
		watch, c.watched = []string{zk}, true
	}
	var rng *redis.StringSliceCmd
	err := t.watchAndRead(watch, func(p redis.Pipeliner) {
		rng = p.ZRangeByLex(t.ctx, zk, &redis.ZRangeBy{Min: c.min, Max: c.max, Count: scanPage})
	})
	if err != nil {
		return t.fail("scan", err)
	}
	c.keys, c.values, c.i = rng.Val(), nil, 0
	if len(c.keys) < scanPage {
		c.done = true
	}
	if len(c.keys) == 0 {
		return nil
	}
	c.min = "(" + c.keys[len(c.keys)-1]
	dks := make([]string, len(c.keys))
	for i, k := range c.keys {
		dks[i] = t.s.durableKey(c.bucket, k)
	}
	c.values, err = t.mget("scan", !c.loose, dks...)
	return err
}

// prefixEnd returns the smallest string greater than every string with
// prefix, or false when there is none (empty prefix, or all 0xff bytes).
func prefixEnd(prefix string) (string, bool) {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}
