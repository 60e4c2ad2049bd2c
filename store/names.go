package store

import (
	"fmt"
	"strings"
)

// ValidBucket reports whether name may name a bucket in every backend: not
// empty, not starting with "~" (reserved for the backends' own records) and
// without ":" (the Redis key separator). A backend refuses any other name
// with ErrInvalid.
func ValidBucket(name string) bool {
	return name != "" && !strings.HasPrefix(name, "~") && !strings.Contains(name, ":")
}

// MaxKeySize is the longest key every backend accepts: bbolt's limit
// (32,768 bytes) less the 8 bytes of expiry the embedded backend puts in
// front of an expiring entry's key.
const MaxKeySize = 32760

// ValidKey reports whether key may be a key in every backend: not empty and
// at most MaxKeySize bytes. A backend refuses any other key with
// ErrInvalid.
func ValidKey(key string) bool {
	return key != "" && len(key) <= MaxKeySize
}

// TxRules applies the rules above, and a transaction's own, to each use of
// a backend's Tx (a counter's too), with the backend's errors: Prefix
// starts the messages, Done is the error of a Tx used after its function
// returned, Invalid and ReadOnly are the backend's ErrInvalid and
// ErrReadOnly. Both backends use it, so they refuse the same uses with the
// same messages.
type TxRules struct {
	Prefix   string
	Done     error
	Invalid  error
	ReadOnly error
}

// Bucket checks a use of a whole bucket (a scan): the Tx is not done and
// the name is valid.
func (r TxRules) Bucket(done bool, bucket string) error {
	if done {
		return r.Done
	}
	if !ValidBucket(bucket) {
		return fmt.Errorf("%s: bucket %q: %w", r.Prefix, bucket, r.Invalid)
	}
	return nil
}

// Read checks a read of one key: the Tx is not done, the bucket and key
// are valid.
func (r TxRules) Read(done bool, bucket, key string) error {
	if err := r.Bucket(done, bucket); err != nil {
		return err
	}
	if !ValidKey(key) {
		return fmt.Errorf("%s: key of %d bytes in bucket %q: %w", r.Prefix, len(key), bucket, r.Invalid)
	}
	return nil
}

// Write checks a write of one key: a valid read, through a writable Tx.
func (r TxRules) Write(done, writable bool, bucket, key string) error {
	if err := r.Read(done, bucket, key); err != nil {
		return err
	}
	if !writable {
		return fmt.Errorf("%s: write %s/%q: %w", r.Prefix, bucket, key, r.ReadOnly)
	}
	return nil
}

// Seq checks op (a counter's "next seq" or "take seq") on counter name:
// the Tx is not done, the name is not empty and the Tx is writable.
func (r TxRules) Seq(done, writable bool, op, name string) error {
	if done {
		return r.Done
	}
	if name == "" {
		return fmt.Errorf("%s: %s: empty counter name: %w", r.Prefix, op, r.Invalid)
	}
	if !writable {
		return fmt.Errorf("%s: %s %q: %w", r.Prefix, op, name, r.ReadOnly)
	}
	return nil
}
