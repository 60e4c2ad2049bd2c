package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"firebot/clock"
	"firebot/store"
)

// StreetStore is a store that keeps streets apart (store.Streets).
type StreetStore interface {
	store.Store
	store.Streets
}

// StreetsOpener opens a fresh, empty StreetStore whose real clock is real,
// registering its own cleanup like Opener.
type StreetsOpener func(t *testing.T, real *clock.Fake) StreetStore

// streetTests are the tests of RunStreets: each street of one store is a
// store of its own: keys, counters and scans never cross streets.
var streetTests = []struct {
	name string
	run  func(t *testing.T, open StreetsOpener)
}{
	{"Isolation", testStreetIsolation},
	{"ExpiryPerStreet", testStreetExpiry},
	{"EmptyStreetIsOwnLayout", testStreetEmptyIsRoot},
	{"Close", testStreetClose},
	{"InvalidIDs", testStreetInvalidIDs},
}

// RunStreets runs the street tests against the backend that open opens. A
// backend that implements store.Streets runs it besides Run, and Run itself
// over a street's store.
func RunStreets(t *testing.T, open StreetsOpener) {
	t.Helper()
	for _, tc := range streetTests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open) })
	}
}

// testStreetIsolation: two streets and the single-street layout write the
// same keys, counters, records and leases, and none sees another's; deleting
// in one leaves the others.
func testStreetIsolation(t *testing.T, open StreetsOpener) {
	root := open(t, clock.NewFake(Epoch))
	names := []string{"", "jiefangbei", "qixinggang"}
	stores := make([]store.Store, len(names))
	for i, name := range names {
		stores[i] = root.Street(name)
		update(t, stores[i], func(tx store.Tx) error {
			for _, k := range []string{"k", "k2"} {
				if err := tx.Put("b", k, []byte(name+"/"+k)); err != nil {
					return err
				}
			}
			if err := tx.PutTTL("t", "k", []byte(name), time.Hour); err != nil {
				return err
			}
			for range i + 1 { // counters of different heights per street
				if _, err := tx.NextSeq("n"); err != nil {
					return err
				}
			}
			if _, err := store.AcquireLease(tx, "leader", "holder-"+name, time.Minute); err != nil {
				return err
			}
			return store.PutRecord(tx, &store.Record{Kind: store.KindConfirmation, CampaignID: "c",
				UnitID: "u-" + name, CreatedAt: Epoch})
		})
	}
	for i, name := range names {
		update(t, stores[i], func(tx store.Tx) error {
			if got := txScanKeys(t, tx, "b", ""); !slices.Equal(got, []string{"k", "k2"}) {
				t.Errorf("street %q: Scan(b) = %q, want [k k2]", name, got)
			}
			for _, bk := range []struct{ bucket, key, want string }{{"b", "k", name + "/k"}, {"t", "k", name}} {
				if v, err := tx.Get(bk.bucket, bk.key); err != nil || string(v) != bk.want {
					t.Errorf("street %q: Get(%s, %s) = %q, %v; want %q", name, bk.bucket, bk.key, v, err, bk.want)
				}
			}
			if n, err := tx.NextSeq("n"); err != nil || n != uint64(i+2) {
				t.Errorf("street %q: NextSeq(n) = %d, %v; want %d", name, n, err, i+2)
			}
			if l, err := store.AcquireLease(tx, "leader", "holder-"+name, time.Minute); err != nil {
				t.Errorf("street %q: renew own lease: %v, %v", name, l, err)
			}
			r, err := store.GetRecord(tx, "HD-0001")
			if err != nil || r.UnitID != "u-"+name {
				t.Errorf("street %q: GetRecord(HD-0001) = %+v, %v; want unit u-%s", name, r, err, name)
			}
			recs, err := store.RecordsOfUnit(tx, "c", "u-"+names[(i+1)%len(names)])
			if err != nil || len(recs) != 0 {
				t.Errorf("street %q: another street's unit has records %v, %v", name, recs, err)
			}
			return nil
		})
	}
	// Deleting in one street leaves the others.
	update(t, stores[1], func(tx store.Tx) error {
		for _, b := range []string{"b", "t"} {
			if err := tx.Delete(b, "k"); err != nil {
				return err
			}
		}
		return nil
	})
	wantMissing(t, stores[1], "b", "k")
	wantMissing(t, stores[1], "t", "k")
	if got := scanKeys(t, stores[1], "b", "", ""); !slices.Equal(got, []string{"k2"}) {
		t.Errorf("after delete: Scan(b) = %q, want [k2]", got)
	}
	for _, i := range []int{0, 2} {
		wantValue(t, stores[i], "b", "k", names[i]+"/k")
		wantValue(t, stores[i], "t", "k", names[i])
		if got := scanKeys(t, stores[i], "b", "", ""); !slices.Equal(got, []string{"k", "k2"}) {
			t.Errorf("street %q after another's delete: Scan(b) = %q", names[i], got)
		}
	}
}

// testStreetExpiry: expiring entries of one key expire per street.
func testStreetExpiry(t *testing.T, open StreetsOpener) {
	clk := clock.NewFake(Epoch)
	root := open(t, clk)
	a, b := root.Street("a"), root.Street("b")
	putTTL(t, a, "t", "k", "a", time.Minute)
	putTTL(t, b, "t", "k", "b", time.Hour)
	clk.Advance(2 * time.Minute)
	wantMissing(t, a, "t", "k")
	wantValue(t, b, "t", "k", "b")
	wantMissing(t, root, "t", "k")
}

// testStreetEmptyIsRoot: Street("") reads and writes the store's own layout.
func testStreetEmptyIsRoot(t *testing.T, open StreetsOpener) {
	root := open(t, clock.NewFake(Epoch))
	put(t, root, "b", "k", "root")
	same := root.Street("")
	wantValue(t, same, "b", "k", "root")
	put(t, same, "b", "k2", "via street")
	wantValue(t, root, "b", "k2", "via street")
	wantMissing(t, root.Street("x"), "b", "k")
}

// testStreetClose: closing a street's store stops it only; closing the store
// stops its streets.
func testStreetClose(t *testing.T, open StreetsOpener) {
	root := open(t, clock.NewFake(Epoch))
	a, b := root.Street("a"), root.Street("b")
	put(t, a, "b", "k", "a")
	if err := a.Close(); err != nil {
		t.Fatalf("Close street: %v", err)
	}
	if err := a.Ping(t.Context()); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Ping of a closed street: %v, want ErrClosed", err)
	}
	put(t, b, "b", "k", "b")
	wantValue(t, b, "b", "k", "b")
	wantValue(t, root.Street("a"), "b", "k", "a") // a new store of the street
	if err := root.Ping(t.Context()); err != nil {
		t.Errorf("Ping after a street closed: %v", err)
	}
	if err := root.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := b.Update(t.Context(), func(store.Tx) error { return nil }); !errors.Is(err, store.ErrClosed) {
		t.Errorf("street Update after the store closed: %v, want ErrClosed", err)
	}
}

// testStreetInvalidIDs: ids that could mix with the backends' separators
// are refused.
func testStreetInvalidIDs(t *testing.T, open StreetsOpener) {
	root := open(t, clock.NewFake(Epoch))
	for _, id := range []string{"a:b", "a/b", "~a", "{a}", "a b", strings.Repeat("x", store.MaxStreetLen+1), "\xff"} {
		if _, err := store.ForStreet(root, id); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("ForStreet(%q): %v, want ErrInvalid", id, err)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Street(%q) did not panic", id)
				}
			}()
			root.Street(id)
		}()
	}
	for _, id := range []string{"jiefangbei", "解放碑街道", "street-01_b"} {
		if _, err := store.ForStreet(root, id); err != nil {
			t.Errorf("ForStreet(%q): %v", id, err)
		}
	}
}

// crowdBuckets and crowdCounters are names the suite's tests use.
var (
	crowdBuckets = []string{"a", "atom", "b", "c", "cancel", "cas", "claim", "d", "exp", "hot", "kind",
		"large", "mix", "np", "o", "own", "r", "rc", "re", "ro", "rt", "ryw", "scan", "stop", "sweep",
		"swept", "t", "unit", "vals", "war", "rec", "rec_unit", "rec_time", "rec_user", "audit", "ob"}
	crowdCounters = []string{"a", "b", "a:b/c", "atom-seq", "hot", "ids", "n", "ro", "record:HD", "record:TJ", "audit", "outbox"}
)

// Crowd fills the single-street layout of s and a street "neighbour" with
// durable and expiring entries and counters under the names the suite
// uses, so that Run through another street of s fails wherever a street
// sees another's data:
//
//	storetest.Run(t, func(t *testing.T, real *clock.Fake) store.Store {
//		s := open(t, real)
//		storetest.Crowd(t, s)
//		return s.Street("jiefangbei")
//	})
func Crowd(t *testing.T, s store.Streets) {
	t.Helper()
	for _, other := range []store.Store{s.Street(""), s.Street("neighbour")} {
		update(t, other, func(tx store.Tx) error {
			for _, b := range crowdBuckets {
				for _, k := range []string{"a", "k", "k1", "m", "x/1", "z"} {
					if err := tx.Put(b, k, []byte("crowd")); err != nil {
						return err
					}
				}
				if err := tx.PutTTL(b, "e", []byte("crowd"), 24*time.Hour); err != nil {
					return err
				}
			}
			for _, c := range crowdCounters {
				for range 3 {
					if _, err := tx.NextSeq(c); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
}
