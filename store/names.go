package store

import "strings"

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
