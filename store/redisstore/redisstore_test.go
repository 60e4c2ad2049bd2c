package redisstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"firebot/clock"
	"firebot/store"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
	"firebot/store/storetest"
)

// openTest opens a Store under a fresh prefix (redistest.Prefix, whose
// keys are deleted at cleanup).
func openTest(t testing.TB, real clock.Clock, opts redisstore.Options) *redisstore.Store {
	t.Helper()
	client := redistest.Client(t)
	opts.Real = real
	s := redisstore.New(client, redistest.Prefix(t, client), opts)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	redistest.Addr(t) // skip (or fail on CI) once, not in every subtest
	storetest.Run(t, func(t *testing.T, real *clock.Fake) store.Store {
		return openTest(t, real, redisstore.Options{})
	})
}

// TestExpiringKeysHaveServerTTL: Redis collects every expiring entry itself;
// durable keys never expire.
func TestExpiringKeysHaveServerTTL(t *testing.T) {
	s := openTest(t, clock.NewFake(storetest.Epoch), redisstore.Options{})
	ttls := map[string]time.Duration{
		"a": 1500 * time.Millisecond,
		"b": time.Minute,
		"c": 24 * time.Hour,
		"d": 90*time.Second + 300*time.Microsecond, // not whole milliseconds
	}
	err := s.Update(t.Context(), func(tx store.Tx) error {
		for k, ttl := range ttls {
			if err := tx.PutTTL("dedupe", k, []byte("x"), ttl); err != nil {
				return err
			}
		}
		// Durable turned expiring, and expiring turned durable.
		if err := tx.Put("dedupe", "e", []byte("x")); err != nil {
			return err
		}
		if err := tx.PutTTL("dedupe", "e", []byte("x"), time.Hour); err != nil {
			return err
		}
		if err := tx.PutTTL("records", "f", []byte("x"), time.Hour); err != nil {
			return err
		}
		if _, err := tx.NextSeq("n"); err != nil {
			return err
		}
		return tx.Put("records", "f", []byte("x"))
	})
	if err != nil {
		t.Fatal(err)
	}
	ttls["e"] = time.Hour
	expiring := 0
	for _, key := range redistest.Keys(t, redisstore.ClientOf(s), s.Prefix()) {
		pttl, err := redisstore.ClientOf(s).PTTL(t.Context(), key).Result()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(key, s.Prefix()+"t:") {
			expiring++
			k := strings.TrimPrefix(key, s.Prefix()+"t:dedupe:")
			if pttl <= 0 || pttl > ttls[k]+time.Millisecond {
				t.Errorf("expiring key %q: PTTL %v, want in (0, %v]", key, pttl, ttls[k])
			}
		} else if pttl != -1 {
			t.Errorf("durable key %q: PTTL %v, want none", key, pttl)
		}
	}
	if expiring != len(ttls) {
		t.Errorf("%d expiring keys on the server, want %d", expiring, len(ttls))
	}
}

// TestPrefixIsolation: two stores with different prefixes share a server
// without seeing each other's entries, counters or indexes.
func TestPrefixIsolation(t *testing.T) {
	clk := clock.NewFake(storetest.Epoch)
	a, b := openTest(t, clk, redisstore.Options{}), openTest(t, clk, redisstore.Options{})
	for _, s := range []*redisstore.Store{a, b} {
		err := s.Update(t.Context(), func(tx store.Tx) error {
			if _, err := tx.NextSeq("n"); err != nil {
				return err
			}
			if err := tx.PutTTL("t", "k", []byte(s.Prefix()), time.Hour); err != nil {
				return err
			}
			return tx.Put("b", "k", []byte(s.Prefix()))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Update(t.Context(), func(tx store.Tx) error { return tx.Delete("b", "k") }); err != nil {
		t.Fatal(err)
	}
	err := b.Update(t.Context(), func(tx store.Tx) error {
		for _, bucket := range []string{"b", "t"} {
			if v, err := tx.Get(bucket, "k"); err != nil || string(v) != b.Prefix() {
				t.Errorf("b: %s/k = %q, %v; want its own value %q", bucket, v, err, b.Prefix())
			}
		}
		var keys []string
		err := tx.Scan("b", "", "", func(k string, _ []byte) error { keys = append(keys, k); return nil })
		if err != nil || len(keys) != 1 {
			t.Errorf("b: Scan = %q, %v; want [k]", keys, err)
		}
		if n, err := tx.NextSeq("n"); err != nil || n != 2 {
			t.Errorf("b: NextSeq = %d, %v; want 2", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*redisstore.Store{a, b} {
		for _, key := range redistest.Keys(t, redisstore.ClientOf(s), s.Prefix()) {
			other := a
			if s == a {
				other = b
			}
			if strings.HasPrefix(key, other.Prefix()) {
				t.Errorf("key %q is under both prefixes", key)
			}
		}
	}
}

// TestConflictGivesUp: a writer that keeps changing what Update read makes
// it retry MaxAttempts times and then fail with ErrConflict.
func TestConflictGivesUp(t *testing.T) {
	s := openTest(t, clock.NewFake(storetest.Epoch), redisstore.Options{MaxAttempts: 3})
	runs := 0
	err := s.Update(t.Context(), func(tx store.Tx) error {
		runs++
		if _, err := tx.Get("b", "hot"); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		// Another writer commits between our read and our commit.
		if err := redisstore.ClientOf(s).Set(t.Context(), redisstore.DurableKeyOf(s, "b", "hot"), runs, 0).Err(); err != nil {
			return err
		}
		return tx.Put("b", "mine", []byte("x"))
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Update: %v, want ErrConflict", err)
	}
	if runs != 3 {
		t.Errorf("fn ran %d times, want 3", runs)
	}
	if _, err := redisstore.ClientOf(s).Get(t.Context(), redisstore.DurableKeyOf(s, "b", "mine")).Result(); !errors.Is(err, redis.Nil) {
		t.Errorf("conflicting write was committed: %v", err)
	}
}

// TestFnErrorIsValidated: an error that fn based on a stale read is not
// returned; fn runs again on fresh data.
func TestFnErrorIsValidated(t *testing.T) {
	s := openTest(t, clock.NewFake(storetest.Epoch), redisstore.Options{})
	errStale := errors.New("saw the old value")
	runs := 0
	err := s.Update(t.Context(), func(tx store.Tx) error {
		runs++
		_, err := tx.Get("b", "k")
		if runs == 1 {
			// The key appears right after fn read it as missing.
			if err := redisstore.ClientOf(s).Set(t.Context(), redisstore.DurableKeyOf(s, "b", "k"), "v", 0).Err(); err != nil {
				return err
			}
			return errStale
		}
		return err
	})
	if err != nil || runs != 2 {
		t.Errorf("Update = %v after %d runs; want nil after 2", err, runs)
	}
}

func TestUnavailable(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialerRetries: 1, DialTimeout: time.Second})
	t.Cleanup(func() { _ = client.Close() })
	s := redisstore.New(client, "", redisstore.Options{})
	if err := s.Ping(t.Context()); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Ping: %v, want ErrUnavailable", err)
	}
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.Put("b", "k", []byte("v")) })
	if !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Update: %v, want ErrUnavailable", err)
	}
	var getErr error
	err = s.View(t.Context(), func(tx store.Tx) error {
		_, getErr = tx.Get("b", "k")
		return nil // even when fn swallows the failure, View reports it
	})
	if !errors.Is(getErr, store.ErrUnavailable) || !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("View: Get %v, View %v; want ErrUnavailable from both", getErr, err)
	}
}

func TestNewClient(t *testing.T) {
	cases := []struct {
		name, addr, master string
		db                 int
		want               string // client type, or "error"
		wantDB             int
		pool               int // configured pool size (0: default)
	}{
		{"single", "127.0.0.1:6379", "", 2, "*redis.Client", 2, 0},
		{"single with pool size", "127.0.0.1:6379", "", 0, "*redis.Client", 0, 7},
		{"url with pool size", "redis://127.0.0.1:6379", "", 0, "*redis.Client", 0, 9},
		{"url", "redis://:pw@127.0.0.1:6379/3", "", 0, "*redis.Client", 3, 0},
		{"url without db", "redis://127.0.0.1:6379", "", 4, "*redis.Client", 4, 0},
		{"tls url", "rediss://127.0.0.1:6380/1", "", 0, "*redis.Client", 1, 0},
		{"cluster", "10.0.0.1:6379, 10.0.0.2:6379,10.0.0.3:6379", "", 0, "*redis.ClusterClient", 0, 0},
		{"cluster with pool size", "10.0.0.1:6379,10.0.0.2:6379", "", 0, "*redis.ClusterClient", 0, 11},
		{"sentinel", "10.0.0.1:26379,10.0.0.2:26379", "mymaster", 1, "*redis.Client", 1, 0},
		{"empty", " ", "", 0, "error", 0, 0},
		{"only commas", ",,", "", 0, "error", 0, 0},
		{"cluster with db", "10.0.0.1:6379,10.0.0.2:6379", "", 1, "error", 0, 0},
		{"bad url", "redis://:secret@host:port:x/zz", "", 0, "error", 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			client, err := redisstore.NewClient(redisstore.ClientOptions{Addr: c.addr, MasterName: c.master, Password: "pw", DB: c.db, PoolSize: c.pool})
			if c.want == "error" {
				if err == nil {
					_ = client.Close()
					t.Fatal("no error")
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error leaks the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			var got string
			switch cl := client.(type) {
			case *redis.Client:
				got = "*redis.Client"
				if db := cl.Options().DB; db != c.wantDB {
					t.Errorf("DB %d, want %d", db, c.wantDB)
				}
				if cl.Options().Password != "pw" {
					t.Errorf("password not set")
				}
				checkPool(t, cl.Options().PoolSize, c.pool)
			case *redis.ClusterClient:
				got = "*redis.ClusterClient"
				checkPool(t, cl.Options().PoolSize, c.pool)
			default:
				got = "other"
			}
			if got != c.want {
				t.Errorf("client %s, want %s", got, c.want)
			}
		})
	}
}

func TestPrefixHashTag(t *testing.T) {
	for prefix, want := range map[string]bool{"{firebot}:": true, "firebot:": false, "{}:": false, "a{b}c:": true} {
		if got := redisstore.HasHashTag(prefix); got != want {
			t.Errorf("hasHashTag(%q) = %v, want %v", prefix, got, want)
		}
	}
	if s := redisstore.New(nil, "", redisstore.Options{}); s.Prefix() != redisstore.DefaultPrefix {
		t.Errorf("default prefix %q", s.Prefix())
	}
}

func BenchmarkUpdateParallel(b *testing.B) {
	s := openTest(b, nil, redisstore.Options{})
	storetest.BenchUpdateParallel(b, s)
}

// checkPool: the client's pool is the configured size, or redisstore.DefaultPoolSize.
func checkPool(t *testing.T, got, configured int) {
	t.Helper()
	want := configured
	if want == 0 {
		want = redisstore.DefaultPoolSize
	}
	if got != want {
		t.Errorf("pool size %d, want %d", got, want)
	}
}
