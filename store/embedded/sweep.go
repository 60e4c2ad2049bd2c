package embedded

import (
	"bytes"
	"context"

	bolt "go.etcd.io/bbolt"
)

// sweepChunk bounds the deletions of one Sweep transaction so that a large
// backlog never holds the writer lock for long.
const sweepChunk = 1000

// Sweep deletes every expiring entry whose expiry has passed on the real
// clock and reports how many it deleted. It commits in small transactions and
// stops early, with ctx.Err(), when ctx is done. The service calls it
// periodically; reads never depend on it, since expired entries already read
// as not found.
func (s *Store) Sweep(ctx context.Context) (int, error) {
	total := 0
	for {
		if err := s.begin(ctx); err != nil {
			return total, err
		}
		n := 0
		err := s.db.Update(func(btx *bolt.Tx) error {
			n = 0
			now := s.real.Now()
			return btx.ForEach(func(name []byte, b *bolt.Bucket) error {
				if !bytes.HasPrefix(name, []byte(ttlPrefix)) {
					return nil
				}
				var expired [][]byte
				c := b.Cursor()
				for k, v := c.First(); k != nil && n+len(expired) < sweepChunk; k, v = c.Next() {
					if !live(v, now) {
						expired = append(expired, bytes.Clone(k))
					}
				}
				for _, k := range expired {
					if err := b.Delete(k); err != nil {
						return err
					}
				}
				n += len(expired)
				return nil
			})
		})
		if err != nil {
			return total, s.result("sweep", err)
		}
		total += n
		if n < sweepChunk {
			if total > 0 {
				s.log.Debug("embedded: swept expired entries", "count", total)
			}
			return total, nil
		}
	}
}
