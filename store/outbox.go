package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Outbox entry statuses.
const (
	OutboxPending = "pending" // waiting for delivery (or claimed and in flight)
	OutboxSent    = "sent"
	OutboxFailed  = "failed" // permanently, or given up after retries
)

// OutboxEntry is one push waiting to be delivered, or its delivery record.
// All times are on the real clock.
type OutboxEntry struct {
	ID      string          `json:"id"`
	Key     string          `json:"key"`              // idempotency key: campaign action + target
	Source  string          `json:"source,omitempty"` // what caused it, e.g. "broadcast:GB-0001"
	Channel string          `json:"channel"`          // webhook | app | appchat | aibot
	Target  string          `json:"target"`           // chat id, user ids, or response url
	Payload json.RawMessage `json:"payload"`          // the message, encoded by the sender

	Status     string    `json:"status"`
	Attempts   int       `json:"attempts"`
	NextAt     time.Time `json:"next_at"` // due time, or end of the visibility timeout
	CreatedAt  time.Time `json:"created_at"`
	ClaimToken string    `json:"claim_token,omitempty"`
	SentAt     time.Time `json:"sent_at,omitempty"`
	ErrCode    int       `json:"errcode,omitempty"`
	LastError  string    `json:"last_error,omitempty"`
	Reason     string    `json:"reason,omitempty"` // plain-Chinese reason for users
}

// InFlight reports whether the entry is claimed and not yet acknowledged.
func (e *OutboxEntry) InFlight() bool { return e.Status == OutboxPending && e.ClaimToken != "" }

// ErrClaimLost means another worker re-claimed an entry after its visibility
// timeout, so a retry cannot be scheduled by this worker.
var ErrClaimLost = errors.New("store: outbox claim lost")

// EnqueueOutbox adds entries in the caller's unit of work. An entry whose
// idempotency key is already known is skipped: its existing id is returned
// in its place, so a restarted action never sends twice.
func EnqueueOutbox(tx Tx, entries ...*OutboxEntry) ([]string, error) {
	ids := make([]string, 0, len(entries))
	now := tx.Now()
	for _, e := range entries {
		if e.Key == "" || e.Channel == "" {
			return nil, fmt.Errorf("store: enqueue outbox: key and channel are required")
		}
		if b, err := tx.Get(bOutboxByKey, e.Key); err == nil {
			ids = append(ids, string(b))
			continue
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		// Every late answer enqueues a push: take the id without making
		// concurrent answers collide on the counter (ids may have gaps).
		n, err := tx.TakeSeq(seqOutbox)
		if err != nil {
			return nil, err
		}
		e.ID = fmt.Sprintf("OB-%010d", n)
		e.Status = OutboxPending
		e.Attempts = 0
		e.ClaimToken = ""
		e.CreatedAt = now
		if e.NextAt.IsZero() {
			e.NextAt = now
		}
		if err := writeOutbox(tx, e); err != nil {
			return nil, err
		}
		if err := tx.Put(bOutboxByKey, e.Key, []byte(e.ID)); err != nil {
			return nil, err
		}
		if e.Source != "" {
			if err := tx.Put(bOutboxBySrc, JoinKey(e.Source, e.ID), nil); err != nil {
				return nil, err
			}
		}
		ids = append(ids, e.ID)
	}
	return ids, nil
}

func dueKey(at time.Time, id string) string { return JoinKey(timeKey(at), id) }

func writeOutbox(tx Tx, e *OutboxEntry) error {
	if err := PutJSON(tx, bOutbox, e.ID, e); err != nil {
		return err
	}
	if e.Status == OutboxPending {
		return tx.Put(bOutboxDue, dueKey(e.NextAt, e.ID), nil)
	}
	return nil
}

// GetOutbox reads one entry.
func GetOutbox(tx Tx, id string) (*OutboxEntry, error) {
	var e OutboxEntry
	if err := GetJSON(tx, bOutbox, id, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

// OutboxByKey reads the entry enqueued under an idempotency key.
func OutboxByKey(tx Tx, key string) (*OutboxEntry, error) {
	b, err := tx.Get(bOutboxByKey, key)
	if err != nil {
		return nil, err
	}
	return GetOutbox(tx, string(b))
}

// ClaimOutbox claims up to limit pending entries due at or before now. Each
// claimed entry becomes invisible to other claimers until now+visibility;
// if it is not acknowledged by then it is delivered again.
func ClaimOutbox(tx Tx, now time.Time, limit int, visibility time.Duration, token string) ([]*OutboxEntry, error) {
	return ClaimOutboxFunc(tx, now, limit, visibility, token, nil)
}

// ClaimOutboxFunc is ClaimOutbox claiming only the due entries that take
// accepts (nil: all). The others stay due, untouched, for a later claim; at
// most MaxOutboxSkipped of them are looked at, so a long run of refused
// entries costs a bounded number of reads. take may be called again for
// the same entry when the unit of work is retried.
func ClaimOutboxFunc(tx Tx, now time.Time, limit int, visibility time.Duration, token string, take func(*OutboxEntry) bool) ([]*OutboxEntry, error) {
	due, err := dueOutbox(tx, now, limit, take)
	if err != nil {
		return nil, err
	}
	out := make([]*OutboxEntry, 0, len(due))
	for _, d := range due {
		if err := tx.Delete(bOutboxDue, d.key); err != nil {
			return nil, err
		}
		e := d.e
		if e == nil || e.Status != OutboxPending {
			continue // a stale index entry: dropped
		}
		e.Attempts++
		e.ClaimToken = token
		e.NextAt = now.Add(visibility)
		if err := writeOutbox(tx, e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// OutboxClaimable reports whether ClaimOutboxFunc with the same arguments
// would change anything (claim an entry or drop a stale index entry). It
// only reads, so tx may be a View: a worker asks it before opening a unit
// of work, and writes nothing while nothing is due.
func OutboxClaimable(tx Tx, now time.Time, take func(*OutboxEntry) bool) (bool, error) {
	due, err := dueOutbox(tx, now, 1, take)
	return len(due) > 0, err
}

// MaxOutboxSkipped bounds the due entries one claim looks at and leaves.
const MaxOutboxSkipped = 512

type dueEntry struct {
	key string
	e   *OutboxEntry // nil, or not pending: a stale index entry
}

// dueOutbox lists, in due order, up to limit due entries that take accepts,
// with the stale index entries met on the way (which count against limit).
func dueOutbox(tx Tx, now time.Time, limit int, take func(*OutboxEntry) bool) ([]dueEntry, error) {
	var out []dueEntry
	end := timeKey(now) + "\xff"
	start, skipped := "", 0
	for len(out) < limit && skipped < MaxOutboxSkipped {
		var keys []string
		page := limit - len(out)
		if skipped > 0 {
			page = max(page, 16) // read ahead: more may be refused
		}
		err := tx.Scan(bOutboxDue, "", start, func(key string, _ []byte) error {
			if key > end || len(keys) >= page {
				return ErrStopScan
			}
			keys = append(keys, key)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			break
		}
		if len(keys) > 1 && Prefetches(tx) {
			reads := make([]Read, len(keys))
			for i, k := range keys {
				reads[i] = Read{Bucket: bOutbox, Key: k[strings.LastIndex(k, sep)+1:]}
			}
			if err := Prefetch(tx, reads...); err != nil {
				return nil, err
			}
		}
		for _, key := range keys {
			if len(out) >= limit {
				break
			}
			e, err := GetOutbox(tx, key[strings.LastIndex(key, sep)+1:])
			switch {
			case errors.Is(err, ErrNotFound):
				out = append(out, dueEntry{key: key})
			case err != nil:
				return nil, err
			case e.Status != OutboxPending || take == nil || take(e):
				out = append(out, dueEntry{key: key, e: e})
			default:
				skipped++
			}
		}
		if len(keys) < page {
			break
		}
		start = keys[len(keys)-1] + "\x00"
	}
	return out, nil
}

// DeliveryResult is the outcome of one delivery attempt.
type DeliveryResult struct {
	Sent    bool
	ErrCode int
	Error   string
	Reason  string
}

// AckOutbox records a final outcome (sent, or failed for good). If the claim
// was lost to another worker (the visibility timeout passed) the outcome is
// still recorded, and lost reports it so the caller can count a possible
// duplicate. (Being a report, not an error, it does not roll the unit of
// work back.)
func AckOutbox(tx Tx, id, token string, at time.Time, res DeliveryResult) (lost bool, err error) {
	e, err := GetOutbox(tx, id)
	if err != nil {
		return false, err
	}
	if e.Status != OutboxPending {
		return e.ClaimToken != token, nil // already final; never downgrade a sent entry
	}
	lost = e.ClaimToken != token
	if err := tx.Delete(bOutboxDue, dueKey(e.NextAt, e.ID)); err != nil {
		return false, err
	}
	e.ClaimToken = ""
	e.ErrCode, e.LastError, e.Reason = res.ErrCode, res.Error, res.Reason
	if res.Sent {
		e.Status, e.SentAt = OutboxSent, at
	} else {
		e.Status = OutboxFailed
	}
	return lost, writeOutbox(tx, e)
}

// RetryOutbox puts a claimed entry back in the queue, due at next, with the
// error of the failed attempt.
func RetryOutbox(tx Tx, id, token string, next time.Time, res DeliveryResult) error {
	e, err := GetOutbox(tx, id)
	if err != nil {
		return err
	}
	if e.Status != OutboxPending || e.ClaimToken != token {
		return nil // someone else owns it now; leave their schedule alone
	}
	if err := tx.Delete(bOutboxDue, dueKey(e.NextAt, e.ID)); err != nil {
		return err
	}
	e.ClaimToken = ""
	e.NextAt = next
	e.ErrCode, e.LastError, e.Reason = res.ErrCode, res.Error, res.Reason
	return writeOutbox(tx, e)
}

// OutboxBySource lists the entries caused by one source (a broadcast, a
// reminder fire) with their delivery status.
func OutboxBySource(tx Tx, source string) ([]*OutboxEntry, error) {
	var out []*OutboxEntry
	err := scanParts(tx, bOutboxBySrc, func(id string, _ []byte) error {
		e, err := GetOutbox(tx, id)
		if err != nil {
			return err
		}
		out = append(out, e)
		return nil
	}, source)
	return out, err
}

// OutboxPendingStats reports how many entries wait (in flight included) and
// the creation time of the oldest one.
func OutboxPendingStats(tx Tx) (depth int, oldest time.Time, err error) {
	err = tx.Scan(bOutboxDue, "", "", func(key string, _ []byte) error {
		depth++
		id := key[strings.LastIndex(key, sep)+1:]
		e, err := GetOutbox(tx, id)
		if err != nil {
			return nil
		}
		if oldest.IsZero() || e.CreatedAt.Before(oldest) {
			oldest = e.CreatedAt
		}
		return nil
	})
	return depth, oldest, err
}

// OutboxInFlight lists entries claimed and not yet acknowledged (after a
// crash these are the only ones that may be delivered twice).
func OutboxInFlight(tx Tx) ([]*OutboxEntry, error) {
	var out []*OutboxEntry
	err := tx.Scan(bOutboxDue, "", "", func(key string, _ []byte) error {
		id := key[strings.LastIndex(key, sep)+1:]
		e, err := GetOutbox(tx, id)
		if err != nil {
			return err
		}
		if e.InFlight() {
			out = append(out, e)
		}
		return nil
	})
	return out, err
}
