package store

import "time"

// Unwatcher is implemented by the Tx of a backend whose reads in an Update
// are validated at commit (Redis WATCHes every key it reads, so any writer
// of what was read makes the unit of work run again). Unwatched returns a
// view of the same unit of work whose reads are not validated.
type Unwatcher interface {
	Unwatched() Tx
}

// ReadCommitted returns a read-only view of tx for reads that only inform a
// reply, such as a unit's progress shown after a confirmation. Its reads see
// what the unit of work wrote and the latest committed state, but they do
// not make the unit of work conflict with concurrent writers of what they
// read: on Redis, 32 confirmations in one unit each list the unit's records
// without colliding with each other. Never base a write on such a read.
// Writes through the view fail with ErrReadOnly. On a backend whose units of
// work run one at a time (embedded), it reads exactly as tx does.
func ReadCommitted(tx Tx) Tx {
	if u, ok := tx.(Unwatcher); ok {
		tx = u.Unwatched()
	}
	ro := readOnly{tx}
	if p, ok := tx.(Prefetcher); ok {
		return readOnlyPrefetcher{ro, p}
	}
	return ro
}

// readOnly forwards the reads of a Tx and refuses its writes.
type readOnly struct{ tx Tx }

func (r readOnly) Get(bucket, key string) ([]byte, error) { return r.tx.Get(bucket, key) }
func (r readOnly) Scan(bucket, prefix, start string, fn func(key string, value []byte) error) error {
	return r.tx.Scan(bucket, prefix, start, fn)
}
func (r readOnly) Now() time.Time                                   { return r.tx.Now() }
func (readOnly) Put(string, string, []byte) error                   { return ErrReadOnly }
func (readOnly) Delete(string, string) error                        { return ErrReadOnly }
func (readOnly) NextSeq(string) (uint64, error)                     { return 0, ErrReadOnly }
func (readOnly) TakeSeq(string) (uint64, error)                     { return 0, ErrReadOnly }
func (readOnly) PutTTL(string, string, []byte, time.Duration) error { return ErrReadOnly }

type readOnlyPrefetcher struct {
	readOnly
	p Prefetcher
}

func (r readOnlyPrefetcher) Prefetch(reads []Read) error { return r.p.Prefetch(reads) }
