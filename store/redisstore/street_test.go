package redisstore_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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

// TestConformanceStreet runs the suite through a street of a prefix whose
// own layout and another street hold data under the same names.
func TestConformanceStreet(t *testing.T) {
	redistest.Addr(t)
	storetest.Run(t, func(t *testing.T, real *clock.Fake) store.Store {
		s := openStreets(t, redistest.Client(t), real)
		storetest.Crowd(t, s)
		return s.Street("jiefangbei")
	})
}

func TestStreets(t *testing.T) {
	redistest.Addr(t)
	storetest.RunStreets(t, func(t *testing.T, real *clock.Fake) storetest.StreetStore {
		return openStreets(t, redistest.Client(t), real)
	})
}

// TestConformanceCluster runs the suite on the Redis Cluster, on the
// single-street layout and through streets (crowded by others): every
// test's store is another street, so the suite's transactions run in many
// slots on all masters.
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
			s := openStreets(t, client, real)
			storetest.Crowd(t, s)
			return s.Street("s" + strconv.Itoa(n))
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

// TestStreetsSpreadOverMasters: on the Cluster, each of 30 streets keeps
// its keys in a slot of its own, on the master that owns the slot, and the
// streets spread over all three masters; with the default key prefix the
// 30 streets are roughly balanced (computed from their slots, so the
// figure does not depend on the test's random prefix).
func TestStreetsSpreadOverMasters(t *testing.T) {
	redistest.ClusterAddrs(t)
	client := redistest.ClusterClient(t)
	cc, ok := client.(*redis.ClusterClient)
	if !ok {
		t.Fatalf("cluster client is %T", client)
	}
	ctx := t.Context()
	shards, err := cc.ClusterShards(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	masterOf := func(slot int64) string {
		for _, sh := range shards {
			for _, r := range sh.Slots {
				if r.Start > slot || slot > r.End {
					continue
				}
				for _, n := range sh.Nodes {
					if n.Role == "master" {
						return net.JoinHostPort(n.IP, strconv.FormatInt(n.Port, 10))
					}
				}
			}
		}
		t.Fatalf("no master owns slot %d", slot)
		return ""
	}
	slotOf := func(key string) int64 {
		slot, err := client.ClusterKeySlot(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		return slot
	}

	// Where the keys really are: ask every master for its keys.
	held := map[string]string{} // key → master holding it
	var mu sync.Mutex
	root := openStreets(t, client, clock.NewFake(storetest.Epoch))
	const streets = 30
	ids := make([]string, streets)
	for i := range ids {
		ids[i] = fmt.Sprintf("street-%02d", i)
		err := root.Street(ids[i]).Update(ctx, func(tx store.Tx) error {
			if err := store.PutRecord(tx, &store.Record{Kind: store.KindConfirmation, CampaignID: "c", UnitID: "u"}); err != nil {
				return err
			}
			return tx.PutTTL("t", "k", []byte(ids[i]), time.Hour)
		})
		if err != nil {
			t.Fatalf("street %s: %v", ids[i], err)
		}
	}
	err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
		keys, err := c.Keys(ctx, redisstore.GlobEscape(strings.TrimSuffix(root.Prefix(), "}:"))+":*").Result()
		mu.Lock()
		defer mu.Unlock()
		for _, k := range keys {
			held[k] = c.Options().Addr
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slots := map[int64]bool{}
	perMaster := map[string]int{}
	for _, id := range ids {
		prefix, _ := redisstore.StreetPrefix(root.Prefix(), id)
		var slot int64 = -1
		n := 0
		for k, master := range held {
			if !strings.HasPrefix(k, prefix) {
				continue
			}
			n++
			if ks := slotOf(k); slot < 0 {
				slot = ks
			} else if ks != slot {
				t.Errorf("street %s has keys in slots %d and %d", id, slot, ks)
			}
			if want := masterOf(slot); master != want {
				t.Errorf("key %s on %s, want %s (slot %d)", k, master, want, slot)
			}
		}
		if n < 5 { // the record, its three indexes, its counter and "t"
			t.Fatalf("street %s: %d keys found on the masters", id, n)
		}
		slots[slot] = true
		perMaster[masterOf(slot)]++
	}
	if len(slots) != streets || len(perMaster) != len(shards) || len(shards) != 3 {
		t.Errorf("%d streets in %d slots on masters %v; want one slot each, on all 3 masters", streets, len(slots), perMaster)
	}

	// Balance with the default key prefix: 30 streets over 3 masters would
	// be 10 each if even; CRC16 of these ids gives 7, 10 and 13.
	balance := map[string]int{}
	for _, id := range ids {
		prefix, _ := redisstore.StreetPrefix("", id)
		balance[masterOf(slotOf(prefix+"d:b:k"))]++
	}
	for master, n := range balance {
		if n < 5 || n > 15 {
			t.Errorf("default prefix: master %s holds %d of %d streets, want 5..15 (%v)", master, n, streets, balance)
		}
	}
	t.Logf("streets per master: %v (prefix %s), %v (default prefix)", perMaster, root.Prefix(), balance)
}

// TestStreetBracesWarnOnce: a key prefix whose braces are dropped in the
// street prefixes is logged once, as a warning, with the component.
func TestStreetBracesWarnOnce(t *testing.T) {
	for _, c := range []struct {
		prefix string
		warns  int
	}{{"app:{firebot}:", 1}, {"{firebot}:", 0}, {"firebot:", 0}} {
		var buf bytes.Buffer
		log := slog.New(slog.NewJSONHandler(&buf, nil))
		s := redisstore.New(nil, c.prefix, redisstore.Options{Logger: log})
		buf.Reset() // New's own warning about a prefix without a hash tag
		for _, id := range []string{"a", "b", "a"} {
			st := s.Street(id).(*redisstore.Store)
			if !redisstore.HasHashTag(st.Prefix()) {
				t.Errorf("%q: street %s prefix %q has no hash tag", c.prefix, id, st.Prefix())
			}
		}
		lines := strings.Count(buf.String(), `"level":"WARN"`)
		if lines != c.warns || (lines > 0 && !strings.Contains(buf.String(), `"component":"redisstore"`)) {
			t.Errorf("key prefix %q: %d warnings, want %d: %s", c.prefix, lines, c.warns, buf.String())
		}
	}
}
