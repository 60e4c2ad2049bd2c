package embedded

import (
	"bytes"
	"context"

	bolt "go.etcd.io/bbolt"

	"firebot/store"
)

// sweepChunk bounds the deletions of one Sweep transaction so that a large
// backlog never holds the writer lock for long.
const sweepChunk = 1000

// Sweep deletes every expiring entry whose expiry has passed on the real
// clock and reports how many it deleted. It commits in small transactions
// (group-committed like any Update) and stops early, with ctx.Err(), when
// ctx is done. The service calls it periodically; reads never depend on
// it, since expired entries already read as not found. Entries are stored
// in expiry order, so each bucket's expired ones are at its start.
func (s *Store) Sweep(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.Update(ctx, func(st store.Tx) error {
			t := st.(*tx)
			n = 0
			now := t.now.UnixNano()
			var buckets []string
			err := t.btx.ForEach(func(name []byte, _ *bolt.Bucket) error {
				if bytes.HasPrefix(name, []byte(expPrefix)) {
					buckets = append(buckets, string(name[len(expPrefix):]))
				}
				return nil
			})
			if err != nil {
				return t.fail("sweep", err)
			}
			for _, bucket := range buckets {
				c := t.btx.Bucket([]byte(expPrefix + bucket)).Cursor()
				var expired [][]byte
				for k, _ := c.First(); k != nil && n+len(expired) < sweepChunk; k, _ = c.Next() {
					if exp, _, ok := splitExpKey(k); ok && exp > now {
						break
					}
					expired = append(expired, bytes.Clone(k))
				}
				for _, k := range expired {
					if err := c.Bucket().Delete(k); err != nil {
						return t.fail("sweep", err)
					}
					// The index forgets the key only if this was the entry
					// it finds (a damaged file may hold a later one too).
					exp, key, ok := splitExpKey(k)
					if indexed, found := t.expiry(bucket, key); ok && found && indexed == exp {
						t.pend.set(bucket, key, 0)
					}
				}
				n += len(expired)
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < sweepChunk {
			if total > 0 {
				s.log.Debug("swept expired entries", "count", total)
			}
			return total, nil
		}
	}
}
