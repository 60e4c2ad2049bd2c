// Package redistest gives tests a real Redis: the single server named by
// REDIS_ADDR, the Redis Cluster whose nodes REDIS_CLUSTER_ADDRS lists
// (comma-separated; ./scripts/test.sh starts both), a fresh key prefix per
// test, and cleanup. Without the variable a test is skipped, except on CI
// (env CI set), where it fails.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"sync"
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

// ClusterAddrs are the seed addresses of the Redis Cluster under test, from
// REDIS_CLUSTER_ADDRS; skipped (failed on CI) like Addr when it is unset.
func ClusterAddrs(tb testing.TB) []string {
	tb.Helper()
	var addrs []string
	for a := range strings.SplitSeq(os.Getenv("REDIS_CLUSTER_ADDRS"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			addrs = append(addrs, a)
		}
	}
	if len(addrs) == 0 {
		if os.Getenv("CI") != "" {
			tb.Fatal("REDIS_CLUSTER_ADDRS is not set: CI must run the Redis Cluster tests")
		}
		tb.Skip("REDIS_CLUSTER_ADDRS is not set")
	}
	return addrs
}

// Client connects to the server under test; closed at cleanup.
func Client(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	return connect(tb, Addr(tb))
}

// ClusterClient connects to the Redis Cluster under test (a
// *redis.ClusterClient, as firebot builds it for a list of addresses);
// closed at cleanup.
func ClusterClient(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	return connect(tb, strings.Join(ClusterAddrs(tb), ","))
}

func connect(tb testing.TB, addr string) redis.UniversalClient {
	tb.Helper()
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
// cleanup, together with the keys of every street under it (the prefixes
// redisstore.StreetPrefix makes from it).
func Prefix(tb testing.TB, client redis.UniversalClient) string {
	tb.Helper()
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "firebot-test-" + hex.EncodeToString(b[:])
	prefix := "{" + name + "}:"
	// One SCAN for both: "{name}:…" and the streets' "{name:<street>}:…".
	tb.Cleanup(func() { deleteMatching(tb, client, "{"+name+"[}:]*") })
	return prefix
}

// Keys lists every key under prefix.
func Keys(tb testing.TB, client redis.UniversalClient, prefix string) []string {
	tb.Helper()
	keys, err := scanKeys(client, redisstore.GlobEscape(prefix)+"*")
	if err != nil {
		tb.Fatalf("SCAN %s*: %v", prefix, err)
	}
	return keys
}

// scanKeys lists the keys matching pattern, on every master of a Cluster.
func scanKeys(client redis.UniversalClient, pattern string) ([]string, error) {
	ctx := context.Background()
	var mu sync.Mutex
	var keys []string
	scan := func(ctx context.Context, c redis.Cmdable) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			keys = append(keys, iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	if cc, ok := client.(*redis.ClusterClient); ok {
		err := cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return scan(ctx, c) })
		return keys, err
	}
	return keys, scan(ctx, client)
}

// DeletePrefix deletes every key under prefix.
func DeletePrefix(tb testing.TB, client redis.UniversalClient, prefix string) {
	deleteMatching(tb, client, redisstore.GlobEscape(prefix)+"*")
}

// deleteMatching deletes every key matching the SCAN pattern.
func deleteMatching(tb testing.TB, client redis.UniversalClient, pattern string) {
	ctx := context.Background()
	keys, err := scanKeys(client, pattern)
	if err != nil {
		tb.Errorf("cleanup: SCAN %s: %v", pattern, err)
		return
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		// One DEL per key: on a Cluster the keys of several streets live in
		// different slots, and a pipeline routes each DEL to its node.
		_, err := client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range keys[:n] {
				p.Del(ctx, k)
			}
			return nil
		})
		if err != nil {
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
