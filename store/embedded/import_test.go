package embedded

import (
	"path/filepath"
	"testing"
	"time"

	"firebot/clock"
	"firebot/store"
	"firebot/store/storetest"
)

// TestImportStreet: a single-street file's data moves into a street of
// another file.
func TestImportStreet(t *testing.T) {
	clk := clock.NewFake(storetest.Epoch)
	dir := t.TempDir()
	src := openTest(t, filepath.Join(dir, "street.db"), clk)
	dst := openTest(t, filepath.Join(dir, "district.db"), clk)
	storetest.CheckImport(t, storetest.ImportSetup{Src: src, Dst: dst, Clock: clk,
		Import: func(street string) (store.ImportStats, error) { return dst.ImportStreet(t.Context(), src, street) }})
}

// TestImportStreetSameFile: a file that served one street moves that data
// into a street of its own.
func TestImportStreetSameFile(t *testing.T) {
	clk := clock.NewFake(storetest.Epoch)
	s := openTest(t, filepath.Join(t.TempDir(), "firebot.db"), clk)
	storetest.CheckImport(t, storetest.ImportSetup{Src: s, Dst: s, Clock: clk,
		Import: func(street string) (store.ImportStats, error) { return s.ImportStreet(t.Context(), s, street) }})
}

// TestImportedExpiryAfterReopen: the expiry index that Open rebuilds finds
// the imported expiring entries.
func TestImportedExpiryAfterReopen(t *testing.T) {
	clk := clock.NewFake(storetest.Epoch)
	dir := t.TempDir()
	src := openTest(t, filepath.Join(dir, "street.db"), clk)
	path := filepath.Join(dir, "district.db")
	dst, err := Open(path, Options{Real: clk})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Update(t.Context(), func(tx store.Tx) error { return tx.PutTTL("t", "k", []byte("v"), time.Hour) }); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.ImportStreet(t.Context(), src, "jfb"); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	dst = openTest(t, path, clk)
	get := func() error {
		return dst.Street("jfb").View(t.Context(), func(tx store.Tx) error { _, err := tx.Get("t", "k"); return err })
	}
	if err := get(); err != nil {
		t.Errorf("after reopen: %v", err)
	}
	clk.Advance(time.Hour)
	if n, err := dst.Sweep(t.Context()); err != nil || n != 1 {
		t.Errorf("Sweep after the expiry: %d, %v; want 1", n, err)
	}
}
