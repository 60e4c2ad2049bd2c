package remote

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestCredAllowed(t *testing.T) {
	const uid, gid = 998, 997 // the service's user and group
	for _, c := range []struct {
		cred *Cred
		want bool
	}{
		{nil, false},
		{&Cred{UID: 0, GID: 0}, true},        // root
		{&Cred{UID: uid, GID: 100}, true},    // the service's user
		{&Cred{UID: 1000, GID: gid}, true},   // in the service's group
		{&Cred{UID: 1000, GID: 1000}, false}, // anyone else
		{&Cred{UID: 65534, GID: 65534}, false},
	} {
		if got := c.cred.allowed(uid, gid); got != c.want {
			t.Errorf("%+v: allowed %v, want %v", c.cred, got, c.want)
		}
	}
}

// A TCP connection has no peer credentials: the socket server refuses it.
func TestNewServerRefusesWithoutPeerCred(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = NewServer(&Env{Identity: "x"})
	srv.Start()
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/admin/hello")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("status %d", resp.StatusCode)
	}
}

// Listen replaces a stale socket but neither a live one nor a plain file.
func TestListen(t *testing.T) {
	dir, err := os.MkdirTemp("", "fbl")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "sub", "firebot.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(path); err == nil {
		t.Error("a live socket was replaced")
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close() // a stale socket file stays behind
	ln, err = Listen(path)
	if err != nil {
		t.Fatalf("stale socket: %v", err)
	}
	ln.Close()
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, []byte("data"), 0o600)
	if _, err := Listen(plain); err == nil {
		t.Error("a plain file was replaced")
	}
	if b, _ := os.ReadFile(plain); string(b) != "data" {
		t.Error("plain file changed")
	}
}
