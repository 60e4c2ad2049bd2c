package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// GetJSON reads key from bucket and decodes it into v.
func GetJSON(tx Tx, bucket, key string, v any) error {
	b, err := tx.Get(bucket, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("store: decode %s/%s: %w", bucket, key, err)
	}
	return nil
}

// PutJSON encodes v and writes it as a durable entry.
func PutJSON(tx Tx, bucket, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%s: %w", bucket, key, err)
	}
	return tx.Put(bucket, key, b)
}

// KeySep joins the parts of a composite key. It sorts before every printable
// character, so "a\x00" prefixes never match "ab\x00". Stored keys depend
// on it: never change it.
const KeySep = "\x00"

const sep = KeySep

// JoinKey joins the parts of a composite key with KeySep. Every package that
// stores composite keys builds them with it.
func JoinKey(parts ...string) string { return strings.Join(parts, KeySep) }

// KeyPrefix is the prefix of the composite keys whose leading parts are
// parts, for Scan: JoinKey(parts...) followed by KeySep.
func KeyPrefix(parts ...string) string { return JoinKey(parts...) + KeySep }

// scanParts lists every durable key of bucket under the composite prefix
// parts (each followed by the separator) and calls fn with the last part.
func scanParts(tx Tx, bucket string, fn func(last string, value []byte) error, parts ...string) error {
	prefix := KeyPrefix(parts...)
	return tx.Scan(bucket, prefix, "", func(key string, value []byte) error {
		return fn(strings.TrimPrefix(key, prefix), value)
	})
}

// PutIfAbsent writes value under key unless a live entry exists; it reports
// whether it wrote. ttl 0 writes a durable entry. Use it inside Update so the
// claim commits together with the effects it guards.
func PutIfAbsent(tx Tx, bucket, key string, value []byte, ttl time.Duration) (bool, error) {
	_, err := tx.Get(bucket, key)
	switch {
	case err == nil:
		return false, nil
	case !errors.Is(err, ErrNotFound):
		return false, err
	}
	if ttl > 0 {
		return true, tx.PutTTL(bucket, key, value, ttl)
	}
	return true, tx.Put(bucket, key, value)
}

func jsonUnmarshal(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("store: decode: %w", err)
	}
	return nil
}
