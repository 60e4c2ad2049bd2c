// Package store is firebot's durable state: one small key/value interface with
// atomic units of work, and the typed helpers every other package uses on top
// of it (records, dialogs, outbox, leases, roster, bindings, audit).
//
// Two backends implement Store and behave identically (store/storetest is the
// conformance suite both run):
//
//   - store/embedded: bbolt, syncing on, concurrent writers group-committed;
//   - store/redisstore: go-redis v9 over redis.UniversalClient, every key under
//     a prefix whose hash tag keeps all keys in one Cluster slot.
//
// The model is buckets of ordered keys. A bucket holds durable entries (Put,
// listed by Scan in key order) and expiring entries (PutTTL, never listed;
// their expiry is measured on the real clock given to the backend, and on
// Redis they also carry a server-side TTL so expired keys are collected).
//
// Update runs a function as one atomic unit of work: everything it writes
// commits together or not at all. The function may be run more than once
// (bbolt batches retry individually; Redis retries on WATCH conflicts), so it
// must not have effects outside the transaction other than assigning results.
//
// One deployment may serve many streets: a backend that implements Streets
// gives each street a Store of its own over the shared file or client, and
// street "" is the single-street layout (streets.go).
//
// Keys that every submission touches must not serialize the submissions on
// an optimistic backend: take hot counters with TakeSeq (record ids, audit
// and outbox sequence numbers), and read what only informs a reply through
// ReadCommitted.
package store

import (
	"context"
	"errors"
	"time"
)

// Errors returned by every backend.
var (
	// ErrNotFound: the key does not exist or has expired.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a compare-and-swap saw another version.
	ErrConflict = errors.New("store: version conflict")
	// ErrUnavailable wraps backend failures (disk, network) so callers can
	// answer "busy" without knowing the backend.
	ErrUnavailable = errors.New("store: unavailable")
	// ErrAmbiguous: a unit of work was sent to be committed but its outcome
	// never came back (Redis dropped the connection after EXEC), so it may
	// or may not have committed. It comes wrapped together with
	// ErrUnavailable; a caller that must answer truthfully reads back what
	// the unit of work wrote before saying it failed.
	ErrAmbiguous = errors.New("store: commit outcome unknown")
	// ErrClosed: the store has been closed.
	ErrClosed = errors.New("store: closed")
	// ErrLeaseHeld: another holder owns an unexpired lease.
	ErrLeaseHeld = errors.New("store: lease held by another holder")
	// ErrReadOnly: a write through a read-only view (ReadCommitted, or a
	// backend's View). Each backend's own ErrReadOnly wraps this one.
	ErrReadOnly = errors.New("store: write through a read-only view")
	// ErrInvalid: an empty or reserved bucket name, an empty or oversized
	// key, or an empty counter name. Each backend's ErrInvalid wraps it.
	ErrInvalid = errors.New("store: invalid bucket or key")
)

// Store is implemented by each backend.
type Store interface {
	// Update runs fn in one read-write unit of work. If fn returns an error
	// nothing it wrote is kept and that error is returned. fn may run more
	// than once.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn with a read-only view. Writes through it fail.
	View(ctx context.Context, fn func(Tx) error) error
	// Ping reports whether the backend is reachable (for /readyz).
	Ping(ctx context.Context) error
	// Close releases the backend.
	Close() error
}

// Tx is the view of the store inside one unit of work.
type Tx interface {
	// Get returns the value of key in bucket, or ErrNotFound (also for an
	// expired entry).
	Get(bucket, key string) ([]byte, error)
	// Put writes a durable entry.
	Put(bucket, key string, value []byte) error
	// PutTTL writes an entry that expires ttl after now on the backend's real
	// clock. Expiring entries are not listed by Scan.
	PutTTL(bucket, key string, value []byte, ttl time.Duration) error
	// Delete removes key (durable or expiring); deleting a missing key is not
	// an error.
	Delete(bucket, key string) error
	// Scan calls fn for each durable entry of bucket whose key starts with
	// prefix, in ascending byte order of keys, starting at the first key >=
	// start (start "" means from the beginning of prefix). Returning
	// ErrStopScan from fn ends the scan without error.
	Scan(bucket, prefix, start string, fn func(key string, value []byte) error) error
	// NextSeq increments and returns the named counter (first value 1).
	// The increment is part of the unit of work: if it does not commit, the
	// value is handed out again.
	NextSeq(name string) (uint64, error)
	// TakeSeq increments and returns the named counter like NextSeq, but
	// without making the unit of work conflict with other takers of the
	// same counter, so that a hot counter (record ids) does not serialize
	// its writers. Units of work that commit never get the same value; one
	// that does not commit may leave a gap (Redis) instead of returning its
	// value. Runs of one Update's function get the same values again.
	// NextSeq and TakeSeq share counters; within one unit of work, TakeSeq
	// after NextSeq of the same counter behaves as NextSeq.
	TakeSeq(name string) (uint64, error)
	// Now is the backend's real clock, for helpers that stamp expiry times.
	Now() time.Time
}

// ErrStopScan ends a Scan early without error.
var ErrStopScan = errors.New("store: stop scan")
