package store

import "strings"

// ValidBucket reports whether name may name a bucket in every backend: not
// empty, not starting with "~" (reserved for the backends' own records) and
// without ":" (the Redis key separator). A backend refuses any other name
// with ErrInvalid.
func ValidBucket(name string) bool {
	return name != "" && !strings.HasPrefix(name, "~") && !strings.Contains(name, ":")
}
