package embedded

import (
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"firebot/clock"
	"firebot/store"
)

// BenchmarkConcurrentWriters: n writers in a closed loop, each Update
// storing one expiring entry the size of a callback's dedupe answer. It
// guards the group commit at every concurrency, not only at the callback
// benchmark's: a commit policy that helps 64 HTTP senders must not slow 10
// writers down (docs/performance.md).
func BenchmarkConcurrentWriters(b *testing.B) {
	value := make([]byte, 1500)
	for _, n := range []int{1, 4, 10, 24, 64} {
		b.Run(fmt.Sprint(n, "writers"), func(b *testing.B) {
			s := openTest(b, filepath.Join(b.TempDir(), "firebot.db"), clock.Real{})
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
						err := s.Update(b.Context(), func(tx store.Tx) error {
							return tx.PutTTL("dedupe", fmt.Sprint("key-", i), value, time.Hour)
						})
						if err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "updates/s")
		})
	}
}
