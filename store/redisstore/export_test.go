package redisstore

import "github.com/redis/go-redis/v9"

// What the external tests (package redisstore_test, which may use
// redistest without an import cycle) need to see inside a Store.

// ClientOf is the client s talks to.
func ClientOf(s *Store) redis.UniversalClient { return s.client }

// DurableKeyOf is the server key of a durable entry.
func DurableKeyOf(s *Store, bucket, key string) string { return s.durableKey(bucket, key) }

// HasHashTag is hasHashTag.
var HasHashTag = hasHashTag
