package redisstore_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"firebot/clock"
	"firebot/store"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
	"firebot/store/storetest"
)

func TestStreetPrefix(t *testing.T) {
	cases := []struct {
		keyPrefix, street, want string
		dropped                 bool
	}{
		{"", "", "{firebot}:", false},
		{"{firebot}:", "", "{firebot}:", false},
		{"app:{x}:", "", "app:{x}:", false}, // single street: today's layout, untouched
		{"", "jfb", "{firebot:jfb}:", false},
		{"{firebot}:", "jfb", "{firebot:jfb}:", false},
		{"{firebot}", "jfb", "{firebot:jfb}:", false},
		{"firebot:", "jfb", "{firebot:jfb}:", false},
		{"fb-prod", "解放碑", "{fb-prod:解放碑}:", false},
		{"app:{firebot}:", "jfb", "{app:firebot:jfb}:", true},
		{"{a}{b}:", "jfb", "{ab:jfb}:", true},
		{"{}:", "jfb", "{:jfb}:", true},
	}
	for _, c := range cases {
		got, dropped := redisstore.StreetPrefix(c.keyPrefix, c.street)
		if got != c.want || dropped != c.dropped {
			t.Errorf("StreetPrefix(%q, %q) = %q, %v; want %q, %v", c.keyPrefix, c.street, got, dropped, c.want, c.dropped)
		}
		if !redisstore.HasHashTag(got) {
			t.Errorf("StreetPrefix(%q, %q) = %q has no hash tag", c.keyPrefix, c.street, got)
		}
	}
}

func TestGlobEscape(t *testing.T) {
	for in, want := range map[string]string{"{firebot}:": "{firebot}:", `a*b?[c]\`: `a\*b\?\[c\]\\`} {
		if got := redisstore.GlobEscape(in); got != want {
			t.Errorf("GlobEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

// openStreets opens a store under a fresh prefix on client; the keys of its
// streets are deleted at cleanup with the prefix's (redistest.Prefix).
func openStreets(t *testing.T, client redis.UniversalClient, real clock.Clock) *redisstore.Store {
	t.Helper()
	s := redisstore.New(client, redistest.Prefix(t, client), redisstore.Options{Real: real})
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformanceStreet(t *testing.T) {
	redistest.Addr(t)
	storetest.Run(t, func(t *testing.T, real *clock.Fake) store.Store {
		return openStreets(t, redistest.Client(t), real).Street("jiefangbei")
	})
}

func TestStreets(t *testing.T) {
	redistest.Addr(t)
	storetest.RunStreets(t, func(t *testing.T, real *clock.Fake) storetest.StreetStore {
		return openStreets(t, redistest.Client(t), real)
	})
}

// TestConformanceCluster runs the suite on the Redis Cluster, on the
// single-street layout and through streets: every test's store is another
// street, so the suite's transactions run in many slots on all masters.
func TestConformanceCluster(t *testing.T) {
	redistest.ClusterAddrs(t)
	client := redistest.ClusterClient(t)
	t.Run("Single", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T, real *clock.Fake) store.Store {
			return openStreets(t, client, real)
		})
	})
	n := 0
	t.Run("Street", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T, real *clock.Fake) store.Store {
			n++
			return openStreets(t, client, real).Street("s" + strconv.Itoa(n))
		})
	})
}

func TestStreetsCluster(t *testing.T) {
	redistest.ClusterAddrs(t)
	client := redistest.ClusterClient(t)
	storetest.RunStreets(t, func(t *testing.T, real *clock.Fake) storetest.StreetStore {
		return openStreets(t, client, real)
	})
}

// TestStreetsSpreadOverMasters: on the Cluster, the keys of 30 streets land
// in 30 slots spread over the three masters, roughly evenly, and each
// street's keys stay in its one slot.
func TestStreetsSpreadOverMasters(t *testing.T) {
	redistest.ClusterAddrs(t)
	client := redistest.ClusterClient(t)
	cc, ok := client.(*redis.ClusterClient)
	if !ok {
		t.Fatalf("cluster client is %T", client)
	}
	ctx := t.Context()
	root := openStreets(t, client, clock.NewFake(storetest.Epoch))
	const streets = 30
	slotOf := map[string]int64{} // street → slot of its keys
	for i := range streets {
		id := fmt.Sprintf("street-%02d", i)
		s := root.Street(id)
		err := s.Update(ctx, func(tx store.Tx) error {
			if err := store.PutRecord(tx, &store.Record{Kind: store.KindConfirmation, CampaignID: "c", UnitID: "u"}); err != nil {
				return err
			}
			return tx.Put("b", "k", []byte(id))
		})
		if err != nil {
			t.Fatalf("street %s: %v", id, err)
		}
		prefix, _ := redisstore.StreetPrefix(root.Prefix(), id)
		keys := redistest.Keys(t, client, prefix)
		if len(keys) == 0 {
			t.Fatalf("street %s wrote no keys under %s", id, prefix)
		}
		for _, k := range keys {
			slot, err := client.ClusterKeySlot(ctx, k).Result()
			if err != nil {
				t.Fatal(err)
			}
			if first, seen := slotOf[id]; seen && first != slot {
				t.Errorf("street %s has keys in slots %d and %d", id, first, slot)
			}
			slotOf[id] = slot
		}
	}
	if slots := slices.Compact(slices.Sorted(maps.Values(slotOf))); len(slots) != streets {
		t.Errorf("%d streets in %d slots, want one each", streets, len(slots))
	}
	// Count the streets whose keys each master holds, asking each master.
	perMaster := map[string]int{}
	err := cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
		keys, err := c.Keys(ctx, redisstore.GlobEscape(strings.TrimSuffix(root.Prefix(), "}:"))+":street-*").Result()
		if err != nil {
			return err
		}
		held := map[string]bool{}
		for _, k := range keys {
			held[k[:strings.IndexByte(k, '}')]] = true
		}
		perMaster[c.Options().Addr] = len(held)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for addr, n := range perMaster {
		total += n
		// 30 streets over 3 masters: 10 each when even; CRC16 of the tags
		// spreads them, deterministically for these ids.
		if n < 5 || n > 15 {
			t.Errorf("master %s holds %d of %d streets, want 5..15 (%v)", addr, n, streets, perMaster)
		}
	}
	if len(perMaster) != 3 || total != streets {
		t.Errorf("streets per master %v, want 3 masters holding %d streets in all", perMaster, streets)
	}
	t.Logf("streets per master: %v", perMaster)
}
