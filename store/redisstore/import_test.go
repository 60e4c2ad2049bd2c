package redisstore_test

import (
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"firebot/clock"
	"firebot/store"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
	"firebot/store/storetest"
)

// checkImport runs storetest.CheckImport from a single-street store on
// srcClient into a store of streets on dstClient, then checks that the
// street's expiring keys kept a server TTL and its durable keys have none.
func checkImport(t *testing.T, srcClient, dstClient redis.UniversalClient) {
	clk := clock.NewFake(storetest.Epoch)
	src, dst := openStreets(t, srcClient, clk), openStreets(t, dstClient, clk)
	storetest.CheckImport(t, storetest.ImportSetup{Src: src, Dst: dst, Clock: clk,
		Import: func(street string) (store.ImportStats, error) { return dst.ImportStreet(t.Context(), src, street) }})
	prefix, _ := redisstore.StreetPrefix(dst.Prefix(), "jfb")
	keys := redistest.Keys(t, dstClient, prefix)
	for _, k := range keys {
		ttl, err := dstClient.PTTL(t.Context(), k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if expiring := strings.HasPrefix(k, prefix+"t:"); expiring != (ttl > 0) {
			t.Errorf("%s: server TTL %v", k, ttl)
		}
	}
	if len(keys) < 20 {
		t.Errorf("street jfb holds %d keys: %q", len(keys), keys)
	}
}

func TestImportStreet(t *testing.T) {
	client := redistest.Client(t)
	checkImport(t, client, client)
}

// TestImportStreetCluster: the source's slot and the street's are on
// different masters (or at least different slots); every key moves.
func TestImportStreetCluster(t *testing.T) {
	client := redistest.ClusterClient(t)
	checkImport(t, client, client)
}

// TestImportStreetIntoCluster: a single server's street moves to a street
// on the Cluster.
func TestImportStreetIntoCluster(t *testing.T) {
	checkImport(t, redistest.Client(t), redistest.ClusterClient(t))
}

// TestImportPrefixesOverlap: a street cannot be imported from a prefix its
// own keys are under.
func TestImportPrefixesOverlap(t *testing.T) {
	client := redistest.Client(t)
	dst := openStreets(t, client, clock.NewFake(storetest.Epoch))
	src := redisstore.New(client, strings.TrimSuffix(dst.Prefix(), "}:"), redisstore.Options{})
	if _, err := dst.ImportStreet(t.Context(), src, "jfb"); err == nil || !strings.Contains(err.Error(), "overlap") {
		t.Errorf("import from %s: %v, want the prefixes overlap", src.Prefix(), err)
	}
}
