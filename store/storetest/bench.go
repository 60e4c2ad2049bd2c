package storetest

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"firebot/store"
)

// BenchUpdateParallel measures concurrent Updates on s: each operation is one
// Update writing a small durable entry and a small expiring entry, the shape
// of handling one incoming message (a record plus a dedupe marker). It runs
// 8 goroutines per GOMAXPROCS, since writers mostly wait on I/O.
func BenchUpdateParallel(b *testing.B, s store.Store) {
	value := []byte(`{"unit":"街道消防站","kind":"drill","n":1}`)
	var next atomic.Uint64
	ctx := context.Background()
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			key := strconv.FormatUint(next.Add(1), 10)
			err := s.Update(ctx, func(tx store.Tx) error {
				if err := tx.Put("bench", key, value); err != nil {
					return err
				}
				return tx.PutTTL("bench_dedupe", key, []byte{1}, time.Hour)
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}
