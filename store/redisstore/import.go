package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"firebot/store"
)

// importPage is how many keys ImportStreet copies per pair of round trips.
const importPage = 500

// ImportStreet copies every key of src (a firebot of one street, under its
// own prefix, on this client or another) to street of s, under
// StreetPrefix(s's prefix, street): durable entries, bucket indexes and
// counters with DUMP and RESTORE, expiring entries that are still live on
// the real clock with their value and server TTL. Record ids and sequences
// so go on where src left off. Source and destination may be in different
// slots, on different nodes or servers: every key is read on its node and
// written on the street's.
//
// It refuses with store.ErrStreetNotEmpty when the street holds any key,
// and never overwrites one; when a copy fails midway, the keys it wrote are
// deleted again, so the import can be run once more. src is left
// unchanged. Run it with no firebot using src or the street.
func (s *Store) ImportStreet(ctx context.Context, src *Store, street string) (store.ImportStats, error) {
	var stats store.ImportStats
	if !store.ValidStreet(street) {
		return stats, fmt.Errorf("redisstore: import into street %q: %w", street, ErrInvalid)
	}
	if s.isClosed() || src.isClosed() {
		return stats, store.ErrClosed
	}
	dst := s.Street(street).(*Store)
	if dst.client == src.client && (strings.HasPrefix(dst.prefix, src.prefix) || strings.HasPrefix(src.prefix, dst.prefix)) {
		return stats, fmt.Errorf("redisstore: import %s into %s: the prefixes overlap: %w", src.prefix, dst.prefix, ErrInvalid)
	}
	held := false
	err := eachKeyPage(ctx, dst.client, dst.prefix, 1, func([]string) error {
		held = true
		return errStopPages
	})
	if err != nil {
		return stats, s.unavailable("import", err)
	}
	if held {
		return stats, fmt.Errorf("redisstore: import into %s: %w", dst.prefix, store.ErrStreetNotEmpty)
	}
	c := &copier{src: src, dst: dst, now: s.real.Now()}
	err = eachKeyPage(ctx, src.client, src.prefix, importPage, func(keys []string) error { return c.copyPage(ctx, keys) })
	if err != nil {
		c.undo()
		if !errors.Is(err, store.ErrStreetNotEmpty) {
			err = s.unavailable("import", err)
		}
		return store.ImportStats{}, err
	}
	s.log.Info("street imported", "street", street, "from", src.prefix, "to", dst.prefix,
		"durable", c.stats.Durable, "expiring", c.stats.Expiring, "counters", c.stats.Counters)
	return c.stats, nil
}

// copier copies keys of src to dst, remembering what it wrote.
type copier struct {
	src, dst *Store
	now      time.Time
	stats    store.ImportStats
	written  []string
}

// copyPage copies keys (all under src's prefix) in two round trips: read
// them all, then write them all.
func (c *copier) copyPage(ctx context.Context, keys []string) error {
	type read struct {
		key  string // without the prefix
		val  *redis.StringCmd
		pttl *redis.DurationCmd
	}
	reads := make([]read, len(keys))
	_, err := c.src.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			r := read{key: strings.TrimPrefix(k, c.src.prefix), pttl: p.PTTL(ctx, k)}
			if strings.HasPrefix(r.key, "t:") {
				r.val = p.Get(ctx, k)
			} else {
				r.val = p.Dump(ctx, k)
			}
			reads[i] = r
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	var writes []redis.Cmder
	var wrote []string
	var readErr error
	_, err = c.dst.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, r := range reads {
			v, err := r.val.Result()
			ttl := r.pttl.Val()
			if errors.Is(err, redis.Nil) || ttl == -2 {
				continue // gone since the SCAN
			}
			if err != nil {
				readErr = err
				return err // nothing of the page is sent
			}
			switch {
			case ttl == -1:
				ttl = 0 // no expiry
			case ttl < time.Millisecond:
				ttl = time.Millisecond // about to expire: not never
			}
			key := c.dst.prefix + r.key
			switch {
			case strings.HasPrefix(r.key, "t:"):
				if !live(v, c.now) {
					continue
				}
				c.stats.Expiring++
				writes = append(writes, p.SetArgs(ctx, key, v, redis.SetArgs{Mode: "NX", TTL: ttl}))
			default:
				switch {
				case strings.HasPrefix(r.key, "d:"):
					c.stats.Durable++
				case strings.HasPrefix(r.key, "seq:"):
					c.stats.Counters++
				}
				writes = append(writes, p.Restore(ctx, key, ttl, v))
			}
			wrote = append(wrote, key)
		}
		return nil
	})
	if readErr != nil || (err != nil && len(writes) == 0) {
		return err // the page was not sent
	}
	// Remember every key sent, written or not: undo deletes only keys of
	// the street, which held none when the import began.
	c.written = append(c.written, wrote...)
	for _, w := range writes {
		switch err := w.Err(); {
		case err == nil:
		case errors.Is(err, redis.Nil), strings.HasPrefix(err.Error(), "BUSYKEY"):
			// SET NX did not set, RESTORE found the key: someone wrote to
			// the street meanwhile.
			return fmt.Errorf("redisstore: import: %s appeared meanwhile: %w", w.Args()[1], store.ErrStreetNotEmpty)
		default:
			return err
		}
	}
	return nil
}

// undo deletes the keys the copy wrote, one DEL each (on a Cluster the
// pipeline routes each to its node).
func (c *copier) undo() {
	ctx := context.Background()
	for len(c.written) > 0 {
		n := min(len(c.written), importPage)
		_, err := c.dst.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range c.written[:n] {
				p.Del(ctx, k)
			}
			return nil
		})
		if err != nil {
			c.dst.log.Error("import failed and its keys could not all be deleted", "prefix", c.dst.prefix, "err", err)
			return
		}
		c.written = c.written[n:]
	}
}

// errStopPages ends eachKeyPage early without error.
var errStopPages = errors.New("stop")

// eachKeyPage calls fn with the keys under prefix, up to n at a time. On
// a Cluster it scans the master of the prefix's slot when the prefix has a
// hash tag (all its keys are there), and every master otherwise.
func eachKeyPage(ctx context.Context, client redis.UniversalClient, prefix string, n int, fn func([]string) error) error {
	scan := func(ctx context.Context, c redis.Cmdable) error {
		iter := c.Scan(ctx, 0, GlobEscape(prefix)+"*", int64(max(n, 100))).Iterator()
		page := make([]string, 0, n)
		for iter.Next(ctx) {
			if page = append(page, iter.Val()); len(page) == n {
				if err := fn(page); err != nil {
					return err
				}
				page = page[:0]
			}
		}
		if err := iter.Err(); err != nil {
			return err
		}
		if len(page) > 0 {
			return fn(page)
		}
		return nil
	}
	var err error
	switch cc, ok := client.(*redis.ClusterClient); {
	case !ok:
		err = scan(ctx, client)
	case hasHashTag(prefix):
		var node *redis.Client
		if node, err = cc.MasterForKey(ctx, prefix); err == nil {
			err = scan(ctx, node)
		}
	default:
		// ForEachMaster runs concurrently and fn is not safe for that:
		// list the masters, then scan them one after the other.
		var mu sync.Mutex
		var masters []*redis.Client
		err = cc.ForEachMaster(ctx, func(_ context.Context, node *redis.Client) error {
			mu.Lock()
			defer mu.Unlock()
			masters = append(masters, node)
			return nil
		})
		for _, node := range masters {
			if err != nil {
				break
			}
			err = scan(ctx, node)
		}
	}
	if errors.Is(err, errStopPages) {
		return nil
	}
	return err
}
