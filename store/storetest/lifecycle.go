package storetest

import (
	"errors"
	"testing"

	"firebot/store"
)

var lifecycleTests = []Test{
	{"Ping", testPing},
	{"Closed", testClosed},
}

func testPing(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	if err := s.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func testClosed(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	put(t, s, "c", "k", "v")
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	called := false
	fn := func(store.Tx) error { called = true; return nil }
	if err := s.Update(t.Context(), fn); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Update after Close: %v, want ErrClosed", err)
	}
	if err := s.View(t.Context(), fn); !errors.Is(err, store.ErrClosed) {
		t.Errorf("View after Close: %v, want ErrClosed", err)
	}
	if err := s.Ping(t.Context()); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Ping after Close: %v, want ErrClosed", err)
	}
	if called {
		t.Errorf("fn ran after Close")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
