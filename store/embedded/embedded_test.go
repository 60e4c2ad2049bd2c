package embedded

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"firebot/clock"
	"firebot/store"
	"firebot/store/storetest"
)

func openTest(t testing.TB, path string, real clock.Clock) *Store {
	t.Helper()
	s, err := Open(path, Options{Real: real})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, real *clock.Fake) store.Store {
		return openTest(t, filepath.Join(t.TempDir(), "data", "firebot.db"), real)
	})
}

func TestOpenCreatesPrivateDirectories(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "firebot.db")
	openTest(t, path, nil)
	fi, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("directory mode %v, want 0700", perm)
	}
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "firebot.db")
	openTest(t, path, nil)
	_, err := Open(path, Options{OpenTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	for _, want := range []string{path, "locked by another process"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

// TestDurability: an Update that has returned survives the process being
// killed right after. The test binary re-executes itself as the child.
func TestDurability(t *testing.T) {
	if path := os.Getenv("FIREBOT_DURABILITY_CHILD"); path != "" {
		durabilityChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "firebot.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestDurability$", "-test.count=1")
	cmd.Env = append(os.Environ(), "FIREBOT_DURABILITY_CHILD="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe() // closing it lets the child exit if we fail
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	written := false
	for lines.Scan() {
		if lines.Text() == "written" {
			written = true
			break
		}
	}
	// SIGKILL: no deferred Close, no chance to flush anything.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatalf("kill child: %v", err)
	}
	_ = cmd.Wait()
	if !written {
		t.Fatalf("child never reported its write (scanner: %v)", lines.Err())
	}

	s := openTest(t, path, nil)
	if !s.Syncing() {
		t.Errorf("Syncing() = false: commits are not fsynced")
	}
	err = s.View(t.Context(), func(tx store.Tx) error {
		v, err := tx.Get("durable", "k")
		if err != nil {
			return err
		}
		if string(v) != "survives SIGKILL" {
			return fmt.Errorf("value %q", v)
		}
		return nil
	})
	if err != nil {
		t.Errorf("after SIGKILL: %v", err)
	}
}

// durabilityChild writes once, reports it, and waits to be killed (or for
// its stdin to close, if the parent went away).
func durabilityChild(path string) {
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(2)
	}
	if !s.Syncing() {
		fmt.Fprintln(os.Stderr, "child: not syncing")
		os.Exit(2)
	}
	err = s.Update(context.Background(), func(tx store.Tx) error {
		return tx.Put("durable", "k", []byte("survives SIGKILL"))
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child update:", err)
		os.Exit(2)
	}
	fmt.Println("written")
	_, _ = io.Copy(io.Discard, os.Stdin)
	os.Exit(3)
}

func TestSweep(t *testing.T) {
	clk := clock.NewFake(storetest.Epoch)
	s := openTest(t, filepath.Join(t.TempDir(), "firebot.db"), clk)
	const short, long = 2500, 10 // more than one sweep chunk
	err := s.Update(t.Context(), func(tx store.Tx) error {
		for i := range short {
			if err := tx.PutTTL("dedupe", fmt.Sprint(i), []byte("x"), time.Minute); err != nil {
				return err
			}
		}
		for i := range long {
			if err := tx.PutTTL("lease", fmt.Sprint(i), []byte("x"), time.Hour); err != nil {
				return err
			}
		}
		return tx.Put("dedupe", "durable", []byte("x"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.Sweep(t.Context()); err != nil || n != 0 {
		t.Fatalf("Sweep before expiry: %d, %v; want 0", n, err)
	}
	clk.Advance(2 * time.Minute)
	if n, err := s.Sweep(t.Context()); err != nil || n != short {
		t.Fatalf("Sweep: %d, %v; want %d", n, err, short)
	}
	counts := map[string]int{}
	err = s.db.View(func(btx *bolt.Tx) error {
		return btx.ForEach(func(name []byte, b *bolt.Bucket) error {
			counts[string(name)] = b.Stats().KeyN
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"dedupe": 1, expPrefix + "dedupe": 0, expPrefix + "lease": long}
	for name, n := range want {
		if counts[name] != n {
			t.Errorf("bucket %q holds %d keys, want %d", name, counts[name], n)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Sweep(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Sweep with cancelled context: %v", err)
	}
}

func TestGetCollectsExpiredInsideUpdate(t *testing.T) {
	clk := clock.NewFake(storetest.Epoch)
	s := openTest(t, filepath.Join(t.TempDir(), "firebot.db"), clk)
	err := s.Update(t.Context(), func(tx store.Tx) error {
		return tx.PutTTL("b", "k", []byte("x"), time.Second)
	})
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	err = s.Update(t.Context(), func(tx store.Tx) error {
		if _, err := tx.Get("b", "k"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get expired: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.View(func(btx *bolt.Tx) error {
		if k, _ := btx.Bucket([]byte(expPrefix + "b")).Cursor().First(); k != nil {
			return errors.New("expired entry still stored after Get in Update")
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func BenchmarkUpdateParallel(b *testing.B) {
	s := openTest(b, filepath.Join(b.TempDir(), "firebot.db"), nil)
	storetest.BenchUpdateParallel(b, s)
}

// TestConformanceStreet runs the suite through a street of a file that
// other streets and the file's own layout also use.
func TestConformanceStreet(t *testing.T) {
	storetest.Run(t, func(t *testing.T, real *clock.Fake) store.Store {
		s := openTest(t, filepath.Join(t.TempDir(), "firebot.db"), real)
		storetest.Crowd(t, s)
		return s.Street("jiefangbei")
	})
}

func TestStreets(t *testing.T) {
	storetest.RunStreets(t, func(t *testing.T, real *clock.Fake) storetest.StreetStore {
		return openTest(t, filepath.Join(t.TempDir(), "firebot.db"), real)
	})
}
