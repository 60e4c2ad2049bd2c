package embedded

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"firebot/store"
)

// ImportStreet copies the single-street data of src (its own layout, street
// "" — what a firebot of one street keeps) into street of s, in one unit of
// work: every durable entry, every live expiring entry with its expiry, and
// every counter with its value, so record ids go on where src left off. It
// refuses with store.ErrStreetNotEmpty when the street already holds data,
// and leaves src unchanged. src may be s itself (a file that served one
// street moves that street's data into a street of its own; the old layout
// stays until deleted). Run it with no service using either file.
func (s *Store) ImportStreet(ctx context.Context, src *Store, street string) (store.ImportStats, error) {
	var stats store.ImportStats
	if !store.ValidStreet(street) {
		return stats, fmt.Errorf("embedded: import into street %q: %w", street, ErrInvalid)
	}
	err := s.update(ctx, streetNS(street), func(st store.Tx) error {
		t := st.(*tx)
		stats = store.ImportStats{}
		if nonEmpty, err := t.holdsData(); err != nil || nonEmpty {
			if err == nil {
				err = fmt.Errorf("embedded: import into street %q: %w", street, store.ErrStreetNotEmpty)
			}
			return err
		}
		if src == s {
			return t.copyFrom(t.btx, &stats)
		}
		if err := src.begin(ctx); err != nil {
			return err
		}
		return src.db.View(func(from *bolt.Tx) error { return t.copyFrom(from, &stats) })
	})
	if err != nil {
		return store.ImportStats{}, err
	}
	s.log.Info("street imported", "street", street, "from", src.path,
		"durable", stats.Durable, "expiring", stats.Expiring, "counters", stats.Counters)
	return stats, nil
}

// holdsData reports whether any stored bucket of t's namespace holds an
// entry.
func (t *tx) holdsData() (bool, error) {
	found := false
	err := t.btx.ForEach(func(name []byte, b *bolt.Bucket) error {
		n := string(name)
		if !strings.HasPrefix(n, t.ns) && !strings.HasPrefix(n, expPrefix+t.ns) {
			return nil
		}
		if k, _ := b.Cursor().First(); k != nil {
			found = true
		}
		return nil
	})
	return found, err
}

// copyFrom copies the file's own layout as from holds it into t's
// namespace: durable buckets with Put, expiring entries that are still
// live with PutTTL (to the same expiry), counters as they are.
func (t *tx) copyFrom(from *bolt.Tx, stats *store.ImportStats) error {
	var names []string
	err := from.ForEach(func(name []byte, _ *bolt.Bucket) error {
		names = append(names, string(name))
		return nil
	})
	if err != nil {
		return t.fail("import", err)
	}
	now := t.now.UnixNano()
	for _, name := range names {
		b := from.Bucket([]byte(name))
		var err error
		switch {
		case strings.HasPrefix(name, streetPrefix), strings.HasPrefix(name, expPrefix+streetPrefix):
			continue // other streets: not the single-street layout
		case name == seqBucket:
			err = t.copyCounters(b, stats)
		case strings.HasPrefix(name, expPrefix):
			bucket := name[len(expPrefix):]
			err = b.ForEach(func(k, v []byte) error {
				exp, key, ok := splitExpKey(k)
				if !ok {
					return fmt.Errorf("bucket %q: malformed key %x", name, k)
				}
				if exp <= now {
					return nil
				}
				stats.Expiring++
				return t.PutTTL(bucket, key, v, time.Duration(exp-now))
			})
		case strings.HasPrefix(name, "~"):
			err = fmt.Errorf("unknown reserved bucket %q", name)
		default:
			err = b.ForEach(func(k, v []byte) error {
				stats.Durable++
				return t.Put(name, string(k), v)
			})
		}
		if err != nil {
			return fmt.Errorf("embedded: import %s: %w", name, err)
		}
	}
	return nil
}

// copyCounters sets t's namespace's counters to those of b.
func (t *tx) copyCounters(b *bolt.Bucket, stats *store.ImportStats) error {
	to, err := t.btx.CreateBucketIfNotExists([]byte(t.ns + seqBucket))
	if err != nil {
		return t.fail("import counters", err)
	}
	return b.ForEach(func(k, v []byte) error {
		if len(v) != 8 {
			return fmt.Errorf("counter %q holds %d bytes", k, len(v))
		}
		stats.Counters++
		return to.Put(bytes.Clone(k), bytes.Clone(v))
	})
}
