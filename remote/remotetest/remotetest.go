// Package remotetest serves the admin API on a real Unix socket for tests
// of ops and tools.
package remotetest

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"firebot/remote"
)

// SocketPath returns a fresh socket path short enough for sun_path (test
// temporary directories can exceed its 108 bytes).
func SocketPath(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "fbadm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "firebot.sock")
}

// Serve serves env's admin API on the socket at path (SocketPath when
// empty) until the test ends, as the service does; env.Identity defaults to
// the store identity of env.Config. It returns a client for it.
func Serve(t testing.TB, env *remote.Env, path string) *remote.Client {
	t.Helper()
	if path == "" {
		path = SocketPath(t)
	}
	if env.Identity == "" {
		env.Identity = remote.StoreIdentity(env.Config)
	}
	ln, err := remote.Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := remote.NewServer(env)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Error(err)
		}
	})
	return &remote.Client{Socket: path, Identity: env.Identity}
}
