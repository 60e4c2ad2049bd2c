package store

import (
	"fmt"
	"time"
)

// Memo names one of the callback layer's memories (bot.Memory), each kept
// in its own bucket with a time to live.
type Memo int

const (
	MemoOutcome Memo = iota // channel|dedupe key → what the message was answered with
	MemoNonce               // channel|timestamp|nonce → hash of the plaintext seen
	MemoStream              // intelligent-robot stream id → the reply's plaintext
)

// bucket is m's bucket; "" for a Memo that is none of the above.
func (m Memo) bucket() string {
	switch m {
	case MemoOutcome:
		return "cb_dedupe"
	case MemoNonce:
		return "cb_nonce"
	case MemoStream:
		return "cb_stream"
	}
	return ""
}

// Callbacks is the callback layer's memory over a Store: its units of work
// (the Store's), and inside them the memories that make callbacks
// idempotent. It satisfies bot.Memory.
type Callbacks struct{ Store }

// Recall returns what tx remembers under key, ErrNotFound when nothing
// (or nothing unexpired).
func (Callbacks) Recall(tx Tx, m Memo, key string) ([]byte, error) {
	b := m.bucket()
	if b == "" {
		return nil, fmt.Errorf("store: unknown callback memo %d", m)
	}
	return tx.Get(b, key)
}

// Remember keeps v under key for ttl.
func (Callbacks) Remember(tx Tx, m Memo, key string, v []byte, ttl time.Duration) error {
	b := m.bucket()
	if b == "" {
		return fmt.Errorf("store: unknown callback memo %d", m)
	}
	return tx.PutTTL(b, key, v, ttl)
}

// MemoRead is the read of a memory, for Prefetch.
func (Callbacks) MemoRead(m Memo, key string) Read {
	return Read{Bucket: m.bucket(), Key: key}
}
