// Package redistest gives tests outside the store a real Redis: the server
// named by REDIS_ADDR, a fresh key prefix per test, and cleanup. Without
// REDIS_ADDR a test is skipped, except on CI (env CI set), where it fails.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"

	"firebot/clock"
	"firebot/store/redisstore"
)

// Addr is the server under test.
func Addr(tb testing.TB) string {
	tb.Helper()
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("REDIS_ADDR is not set: CI must run the Redis tests")
		}
		tb.Skip("REDIS_ADDR is not set")
	}
	return addr
}

// Client connects to the server under test; closed at cleanup.
func Client(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	addr := Addr(tb)
	client, err := redisstore.NewClient(redisstore.ClientOptions{Addr: addr})
	if err != nil {
		tb.Fatal(err)
	}
	if err := client.Ping(context.Background()).Err(); err != nil {
		tb.Fatalf("Redis at %s: %v", addr, err)
	}
	tb.Cleanup(func() { _ = client.Close() })
	return client
}

// Prefix returns a fresh hash-tagged key prefix whose keys are deleted at
// cleanup.
func Prefix(tb testing.TB, client redis.UniversalClient) string {
	tb.Helper()
	var b [8]byte
	_, _ = rand.Read(b[:])
	prefix := "{firebot-test-" + hex.EncodeToString(b[:]) + "}:"
	tb.Cleanup(func() { DeletePrefix(tb, client, prefix) })
	return prefix
}

// Keys lists every key under prefix.
func Keys(tb testing.TB, client redis.UniversalClient, prefix string) []string {
	tb.Helper()
	keys, err := scanKeys(client, prefix)
	if err != nil {
		tb.Fatalf("SCAN %s*: %v", prefix, err)
	}
	return keys
}

func scanKeys(client redis.UniversalClient, prefix string) ([]string, error) {
	ctx := context.Background()
	iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	return keys, iter.Err()
}

// DeletePrefix deletes every key under prefix.
func DeletePrefix(tb testing.TB, client redis.UniversalClient, prefix string) {
	ctx := context.Background()
	keys, err := scanKeys(client, prefix)
	if err != nil {
		tb.Errorf("cleanup: SCAN %s*: %v", prefix, err)
		return
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		if err := client.Del(ctx, keys[:n]...).Err(); err != nil {
			tb.Errorf("cleanup: %v", err)
			return
		}
		keys = keys[n:]
	}
}

// Stores opens n stores, each over its own client (as n firebot replicas
// would), sharing one fresh prefix.
func Stores(tb testing.TB, real clock.Clock, n int) []*redisstore.Store {
	tb.Helper()
	var prefix string
	out := make([]*redisstore.Store, 0, n)
	for i := 0; i < n; i++ {
		c := Client(tb)
		if i == 0 {
			prefix = Prefix(tb, c)
		}
		s := redisstore.New(c, prefix, redisstore.Options{Real: real})
		tb.Cleanup(func() { _ = s.Close() })
		out = append(out, s)
	}
	return out
}
