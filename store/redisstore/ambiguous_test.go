package redisstore_test

import (
	"errors"
	"testing"

	"firebot/store"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
)

// TestExecReplyLost: Redis runs the EXEC but the connection drops before
// its reply arrives. Update cannot know whether it committed and says so
// (ErrAmbiguous, still an ErrUnavailable); the writes are in fact there.
// A connection that fails before EXEC is plainly unavailable.
func TestExecReplyLost(t *testing.T) {
	proxy := redistest.NewCutProxy(t)
	client, err := redisstore.NewClient(redisstore.ClientOptions{Addr: proxy.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	direct := redistest.Client(t)
	prefix := redistest.Prefix(t, direct)
	s := redisstore.New(client, prefix, redisstore.Options{})
	check := redisstore.New(direct, prefix, redisstore.Options{})

	proxy.CutAfterExec([]byte("committed-value"))
	err = s.Update(t.Context(), func(tx store.Tx) error {
		if _, err := tx.Get("b", "k"); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return tx.Put("b", "k", []byte("committed-value"))
	})
	if !errors.Is(err, store.ErrAmbiguous) || !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Update whose EXEC reply was lost: %v, want ErrAmbiguous and ErrUnavailable", err)
	}
	if proxy.Cuts() != 1 {
		t.Fatalf("%d cuts, want 1", proxy.Cuts())
	}
	if err := check.View(t.Context(), func(tx store.Tx) error {
		v, err := tx.Get("b", "k")
		if err != nil || string(v) != "committed-value" {
			t.Errorf("after the lost reply: %q %v, want the write committed", v, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// The store works again on a new connection.
	if err := s.Update(t.Context(), func(tx store.Tx) error { return tx.Put("b", "k2", []byte("v")) }); err != nil {
		t.Fatalf("Update after the cut: %v", err)
	}

	// Gone before anything was sent: unavailable, not ambiguous.
	proxy.SetDown(true)
	err = s.Update(t.Context(), func(tx store.Tx) error {
		if _, err := tx.Get("b", "k"); err != nil {
			return err
		}
		return tx.Put("b", "k3", []byte("v"))
	})
	if !errors.Is(err, store.ErrUnavailable) || errors.Is(err, store.ErrAmbiguous) {
		t.Fatalf("Update with Redis gone: %v, want ErrUnavailable only", err)
	}
}
