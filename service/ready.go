package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"firebot/store"
)

// bReady holds one expiring marker per process, written by /readyz to
// show that the store still takes writes: a full disk, or a Redis that
// refuses writes, still answers reads and pings.
const bReady = "readyz"

func newReadyKey() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ready reports whether the store is reachable and commits a write.
func (s *Service) ready(ctx context.Context) error { return storesReady(ctx, s.readyKey, s.Store) }

// storesReady reports whether every store is reachable and commits a
// write of this process's marker key.
func storesReady(ctx context.Context, key string, stores ...store.Store) error {
	for _, st := range stores {
		if err := st.Ping(ctx); err != nil {
			return fmt.Errorf("store unreachable: %w", err)
		}
		err := st.Update(ctx, func(tx store.Tx) error {
			return tx.PutTTL(bReady, key, []byte{1}, time.Minute)
		})
		if err != nil {
			return fmt.Errorf("store cannot write: %w", err)
		}
	}
	return nil
}
