package redisstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"firebot/store"
)

// commit applies the buffered writes with MULTI/EXEC; EXEC fails with
// redis.TxFailedErr when a watched key changed. With validateOnly (fn
// failed) or no writes, it runs a no-op EXEC that only validates the reads.
func (t *tx) commit(validateOnly bool) error {
	if err := t.ctx.Err(); err != nil {
		return err
	}
	_, err := t.rtx.TxPipelined(t.ctx, func(p redis.Pipeliner) error {
		if !validateOnly {
			for _, w := range t.writes {
				t.apply(p, w)
			}
			for name, n := range t.seqs {
				p.Set(t.ctx, t.s.seqKey(name), n, 0)
			}
		}
		if p.Len() == 0 {
			p.Exists(t.ctx, t.s.txKey)
		}
		return nil
	})
	if err == nil || errors.Is(err, redis.TxFailedErr) || redis.IsExecAbortError(err) {
		// EXEC ran, and released the watched keys.
		t.watching = false
	}
	if !validateOnly && connFailed(err) {
		// MULTI…EXEC may have been sent and run before the connection
		// failed (or the context ended while waiting for EXEC's reply):
		// nobody can tell whether the writes committed.
		return fmt.Errorf("%w: %w", store.ErrAmbiguous, err)
	}
	return err
}

// release sends UNWATCH when the Update ends with keys still watched (no
// EXEC ran: fn's read failed, the context ended), so that the pooled
// connection does not carry the watch into another transaction. After a
// connection failure it sends nothing: the client drops that connection,
// and a new one would only make a failing Update slower to fail.
func (t *tx) release() {
	if t.watching && !connFailed(t.err) {
		_ = t.rtx.Unwatch(context.WithoutCancel(t.ctx)).Err()
	}
	t.watching = false
}

func (t *tx) apply(p redis.Pipeliner, w *write) {
	ctx, s := t.ctx, t.s
	dk, tk, zk := s.durableKey(w.bucket, w.key), s.expiringKey(w.bucket, w.key), s.indexKey(w.bucket)
	switch w.kind {
	case writePut:
		p.Set(ctx, dk, w.value, 0)
		p.Del(ctx, tk)
		p.ZAdd(ctx, zk, redis.Z{Member: w.key})
	case writePutTTL:
		v := make([]byte, 8+len(w.value))
		binary.BigEndian.PutUint64(v, uint64(w.expiry.UnixNano()))
		copy(v[8:], w.value)
		// Whole milliseconds, rounded up, so PX is never 0.
		px := (w.ttl + time.Millisecond - 1) / time.Millisecond * time.Millisecond
		p.SetArgs(ctx, tk, v, redis.SetArgs{TTL: px})
		p.Del(ctx, dk)
		p.ZRem(ctx, zk, w.key)
	case writeDelete:
		p.Del(ctx, dk, tk)
		p.ZRem(ctx, zk, w.key)
	}
}

// live reports whether a stored expiring value's expiry is after now.
func live(v string, now time.Time) bool {
	return len(v) >= 8 && int64(binary.BigEndian.Uint64([]byte(v[:8]))) > now.UnixNano()
}

// clone copies b; never nil.
func clone(b []byte) []byte {
	out := make([]byte, len(b))
	copy(out, b)
	return out
}
