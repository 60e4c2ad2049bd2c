package bot

import (
	"context"
	"errors"
	"time"

	"firebot/store"
)

func (e *Endpoint) remembered(ctx context.Context, mem Memory, key, nonceKey string, sum []byte) (outcome, bool, error) {
	var res outcome
	found := false
	err := mem.View(ctx, func(tx store.Tx) error {
		var err error
		found, err = e.recall(mem, tx, key, nonceKey, sum, &res)
		return err
	})
	return res, found, err
}

// checkNonce refuses a (timestamp, nonce) pair seen before with another
// plaintext. The same plaintext again is WeCom retrying, not a replay.
func (e *Endpoint) checkNonce(mem Memory, tx store.Tx, nonceKey string, sum []byte) error {
	prev, err := mem.Recall(tx, store.MemoNonce, nonceKey)
	switch {
	case err == nil:
		if string(prev) != string(sum) {
			return errReplay
		}
		return nil
	case errors.Is(err, store.ErrNotFound):
		return nil
	default:
		return err
	}
}

// commitAnswer answers m and commits the answer with its dedupe and replay
// memories (and whatever the handler wrote) in one unit of work.
//
// When the store cannot tell whether that unit of work committed
// (store.ErrAmbiguous: the connection dropped after EXEC), it is run again
// before anything is answered. It starts by reading the dedupe memory, so
// if the first commit landed, its outcome is the answer and the handler
// does not run again; if it did not, the message is processed now. A first
// commit arriving late cannot double the message either: it watched the
// dedupe key that the second one writes. Only when the store stays
// unreachable is the result left ambiguous (answered with UncertainText).
func (e *Endpoint) commitAnswer(ctx context.Context, c *call, key, nonceKey string, sum []byte, m *Message) (outcome, error) {
	var ambiguous error
	for i, pause := range e.ambiguousPauses() {
		if i > 0 && pause > 0 {
			t := time.NewTimer(pause)
			select {
			case <-ctx.Done():
				t.Stop()
				return outcome{}, ambiguous
			case <-t.C:
			}
		}
		res, err := e.commitOnce(ctx, c, key, nonceKey, sum, m)
		switch {
		case err == nil:
			if ambiguous != nil {
				e.opts.Logger.Info("ambiguous commit resolved", "channel", e.opts.Channel, "msgid", m.MsgID)
			}
			return res, nil
		case errors.Is(err, store.ErrAmbiguous):
			ambiguous = err
			e.opts.Logger.Warn("commit outcome unknown; asking the store again", "channel", e.opts.Channel, "msgid", m.MsgID, "err", err)
		case ambiguous == nil:
			return res, err
		default:
			// Still unknown whether the first commit landed.
			e.opts.Logger.Warn("store unreachable while resolving an ambiguous commit", "channel", e.opts.Channel, "msgid", m.MsgID, "err", err)
		}
	}
	return outcome{}, ambiguous
}

// commitOnce runs commitAnswer's unit of work once.
func (e *Endpoint) commitOnce(ctx context.Context, c *call, key, nonceKey string, sum []byte, m *Message) (outcome, error) {
	var res outcome
	err := c.mem.Update(ctx, func(tx store.Tx) error {
		res = outcome{}
		if store.Prefetches(tx) {
			if err := store.Prefetch(tx, e.reads(c.mem, key, nonceKey, m)...); err != nil {
				return err
			}
		}
		known, err := e.recall(c.mem, tx, key, nonceKey, sum, &res)
		if err != nil || known {
			return err // known: committed by a concurrent replica
		}
		if res, err = e.answer(ctx, tx, c, m); err != nil {
			return err
		}
		return e.remember(c.mem, tx, key, nonceKey, sum, res)
	})
	return res, err
}

// recall reads the message's memories: it fails for a replayed (timestamp,
// nonce) pair and reports whether the message was already answered (and
// with what).
func (e *Endpoint) recall(mem Memory, tx store.Tx, key, nonceKey string, sum []byte, res *outcome) (bool, error) {
	if err := e.checkNonce(mem, tx, nonceKey, sum); err != nil {
		return false, err
	}
	b, err := mem.Recall(tx, store.MemoOutcome, key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	*res, err = unmarshalOutcome(b)
	return err == nil, err
}

// remember writes the message's dedupe and replay memories.
func (e *Endpoint) remember(mem Memory, tx store.Tx, key, nonceKey string, sum []byte, res outcome) error {
	if err := mem.Remember(tx, store.MemoOutcome, key, res.marshal(), e.opts.DedupeTTL); err != nil {
		return err
	}
	return mem.Remember(tx, store.MemoNonce, nonceKey, sum, e.opts.DedupeTTL)
}

// reads are the reads that processing m starts with: the replay and
// dedupe memories, the chat's push key and what the handler announces.
func (e *Endpoint) reads(mem Memory, key, nonceKey string, m *Message) []store.Read {
	reads := []store.Read{mem.MemoRead(store.MemoNonce, nonceKey), mem.MemoRead(store.MemoOutcome, key)}
	if m.WebhookKey != "" {
		reads = append(reads, store.WebhookKeyRead(m.ChatID))
	}
	if ra, ok := e.opts.Handler.(ReadAhead); ok {
		reads = append(reads, ra.Reads(m)...)
	}
	return reads
}
