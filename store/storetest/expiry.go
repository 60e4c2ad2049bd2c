package storetest

import (
	"testing"
	"time"

	"firebot/store"
)

var expiryTests = []Test{
	{"ExpiresOnRealClock", testExpiresOnRealClock},
	{"NonPositiveTTL", testNonPositiveTTL},
	{"RewriteAfterExpiry", testRewriteAfterExpiry},
	{"TxNow", testTxNow},
}

func testExpiresOnRealClock(t *testing.T, open Opener) {
	s, clk := openFresh(t, open)
	putTTL(t, s, "exp", "minute", "m", time.Minute)
	putTTL(t, s, "exp", "hour", "h", time.Hour)
	put(t, s, "exp", "durable", "d")

	steps := []struct {
		advance time.Duration
		live    []string
		gone    []string
	}{
		{0, []string{"minute", "hour", "durable"}, nil},
		{59 * time.Second, []string{"minute", "hour", "durable"}, nil},
		{time.Second, []string{"hour", "durable"}, []string{"minute"}}, // exactly at expiry: gone
		{58 * time.Minute, []string{"hour", "durable"}, []string{"minute"}},
		{2 * time.Minute, []string{"durable"}, []string{"minute", "hour"}},
		{365 * 24 * time.Hour, []string{"durable"}, []string{"minute", "hour"}},
	}
	elapsed := time.Duration(0)
	for _, st := range steps {
		elapsed += st.advance
		clk.Advance(st.advance)
		for _, k := range st.live {
			if _, err := get(t, s, "exp", k); err != nil {
				t.Errorf("after %v: %q: %v, want live", elapsed, k, err)
			}
		}
		for _, k := range st.gone {
			wantMissing(t, s, "exp", k)
		}
	}
}

// testNonPositiveTTL: an entry whose ttl is not positive has expired on
// arrival, so writing it removes the key.
func testNonPositiveTTL(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	put(t, s, "np", "durable", "d")
	putTTL(t, s, "np", "expiring", "e", time.Hour)
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutTTL("np", "durable", []byte("x"), 0); err != nil {
			return err
		}
		if err := tx.PutTTL("np", "expiring", []byte("x"), -time.Second); err != nil {
			return err
		}
		return tx.PutTTL("np", "fresh", []byte("x"), 0)
	})
	for _, k := range []string{"durable", "expiring", "fresh"} {
		wantMissing(t, s, "np", k)
	}
	if got := scanKeys(t, s, "np", "", ""); len(got) != 0 {
		t.Errorf("Scan lists %q", got)
	}
}

func testRewriteAfterExpiry(t *testing.T, open Opener) {
	s, clk := openFresh(t, open)
	putTTL(t, s, "re", "k", "first", time.Minute)
	clk.Advance(time.Hour)
	wantMissing(t, s, "re", "k")
	putTTL(t, s, "re", "k", "second", time.Minute)
	wantValue(t, s, "re", "k", "second")
	clk.Advance(30 * time.Second)
	wantValue(t, s, "re", "k", "second")
	clk.Advance(30 * time.Second)
	wantMissing(t, s, "re", "k")
	put(t, s, "re", "k", "durable")
	clk.Advance(time.Hour)
	wantValue(t, s, "re", "k", "durable")
}

func testTxNow(t *testing.T, open Opener) {
	s, clk := openFresh(t, open)
	clk.Advance(90 * time.Minute)
	want := Epoch.Add(90 * time.Minute)
	check := func(name string) func(store.Tx) error {
		return func(tx store.Tx) error {
			if got := tx.Now(); !got.Equal(want) {
				t.Errorf("%s: Tx.Now() = %v, want the real clock's %v", name, got, want)
			}
			return nil
		}
	}
	update(t, s, check("Update"))
	view(t, s, check("View"))
}
