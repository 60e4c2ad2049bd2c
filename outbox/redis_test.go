package outbox_test

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

// redisAddr is the Redis server for the Redis tests (env REDIS_ADDR). Without
// it they are skipped, except on CI (env CI set), where they fail.
func redisAddr(tb testing.TB) string {
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

// redisClient connects to the server under test; closed at cleanup.
func redisClient(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	addr := redisAddr(tb)
	client, err := redisstore.NewClient(addr, "", "", 0)
	if err != nil {
		tb.Fatal(err)
	}
	if err := client.Ping(context.Background()).Err(); err != nil {
		tb.Fatalf("Redis at %s: %v", addr, err)
	}
	tb.Cleanup(func() { _ = client.Close() })
	return client
}

// redisPrefix returns a fresh key prefix whose keys are deleted at cleanup.
func redisPrefix(tb testing.TB, client redis.UniversalClient) string {
	tb.Helper()
	var b [8]byte
	_, _ = rand.Read(b[:])
	prefix := "{firebot-test-" + hex.EncodeToString(b[:]) + "}:"
	tb.Cleanup(func() { deletePrefix(tb, client, prefix) })
	return prefix
}

func deletePrefix(tb testing.TB, client redis.UniversalClient, prefix string) {
	ctx := context.Background()
	iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
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

// openRedis returns a Store on the server under test under prefix; each
// call is a separate Store (a separate replica) sharing the state.
func openRedis(tb testing.TB, client redis.UniversalClient, prefix string, real clock.Clock) *redisstore.Store {
	tb.Helper()
	s := redisstore.New(client, prefix, redisstore.Options{Real: real})
	tb.Cleanup(func() { _ = s.Close() })
	return s
}
