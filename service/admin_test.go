package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"firebot/archive"
	"firebot/clock"
	"firebot/config"
	"firebot/remote"
	"firebot/service"
	"firebot/store"
)

// adminService starts a service whose admin socket lives in a fresh
// directory (mode 0755, so other users can reach the socket file and only
// its own mode and the peer check keep them out).
func adminService(t *testing.T, edit func(cfg *config.Config)) (*service.Service, *config.Config, *bytes.Buffer) {
	t.Helper()
	dir, err := os.MkdirTemp("", "fbsvc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := exampleConfig(t)
	cfg.Store.Path = filepath.Join(dir, "firebot.db")
	cfg.Media.Dir = filepath.Join(dir, "media")
	cfg.Server.AdminSocket = filepath.Join(dir, "run", "firebot.sock")
	if edit != nil {
		edit(cfg)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	now := time.Date(2023, 12, 5, 10, 0, 0, 0, cfg.Location)
	svc, err := service.New(context.Background(), cfg, service.Options{
		Real: clock.NewFake(now), Campaign: clock.NewFake(now), Live: true, Listener: ln,
		ManualOutbox: true, ManualScheduler: true, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	return svc, cfg, &logs
}

func archived(t *testing.T, svc *service.Service) (bool, []store.AuditEntry) {
	t.Helper()
	var ok bool
	var audit []store.AuditEntry
	err := svc.Store.View(context.Background(), func(tx store.Tx) error {
		var err error
		if ok, err = archive.IsArchived(tx, svc.Config.Campaign.ID); err != nil {
			return err
		}
		return store.EachAudit(tx, 0, func(e store.AuditEntry) error { audit = append(audit, e); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return ok, audit
}

// The legacy port serves only loopback requests with the token, the
// expected Host and no Origin: a forged one (DNS rebinding, a browser page,
// another local process without the token) changes nothing.
func TestLegacyAdminListenRefusesForgedRequests(t *testing.T) {
	const token = "s3cret-admin-token-0123456789"
	tokenFile := filepath.Join(t.TempDir(), "admin.token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	svc, _, logs := adminService(t, func(cfg *config.Config) {
		cfg.Server.AdminListen, cfg.Server.AdminTokenFile = "127.0.0.1:0", tokenFile
	})
	addr := svc.LegacyAdminAddr()
	if addr == "" {
		t.Fatalf("admin_listen not open:\n%s", logs)
	}
	body := `{"force":true,"by":"zhujun"}`
	send := func(host, origin, auth string) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/admin/op/archive", strings.NewReader(body))
		req.Host = host
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, f := range []struct{ name, host, origin, auth string }{
		{"no token", addr, "", ""},
		{"wrong token", addr, "", "Bearer wrong-token-0123456789"},
		{"wrong Host (DNS rebinding)", "evil.example:8081", "", "Bearer " + token},
		{"Origin (browser page)", addr, "http://evil.example", "Bearer " + token},
	} {
		if code := send(f.host, f.origin, f.auth); code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", f.name, code)
		}
		if ok, audit := archived(t, svc); ok || len(audit) != 0 {
			t.Fatalf("%s: archived %v, audit %+v", f.name, ok, audit)
		}
	}
	if code := send(addr, "", "Bearer "+token); code != http.StatusOK {
		t.Fatalf("the genuine request: status %d", code)
	}
	ok, audit := archived(t, svc)
	if !ok || len(audit) == 0 || strings.Contains(audit[len(audit)-1].Actor, "zhujun") ||
		!strings.HasPrefix(audit[len(audit)-1].Actor, "admin_listen token") {
		t.Errorf("archived %v, audit %+v: the audit must name the token, not whom the request claims", ok, audit)
	}
}

// Without a token file admin_listen stays closed, and the service starts.
func TestLegacyAdminListenWithoutTokenStaysClosed(t *testing.T) {
	svc, _, logs := adminService(t, func(cfg *config.Config) { cfg.Server.AdminListen = "127.0.0.1:0" })
	if svc.LegacyAdminAddr() != "" {
		t.Errorf("admin_listen open at %s without a token", svc.LegacyAdminAddr())
	}
	if !strings.Contains(logs.String(), "admin_token_file") {
		t.Errorf("no warning:\n%s", logs)
	}
	resp, err := http.Get("http://" + svc.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// The socket has mode 0660; a caller through it is audited by its peer
// credentials, whatever the request claims.
func TestAdminSocketAuditsPeer(t *testing.T) {
	svc, cfg, _ := adminService(t, nil)
	fi, err := os.Stat(cfg.Server.AdminSocket)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o660 {
		t.Errorf("socket mode %v, want socket 0660", fi.Mode())
	}
	c := &remote.Client{Socket: cfg.Server.AdminSocket, Identity: remote.StoreIdentity(cfg)}
	var out bytes.Buffer
	if err := c.Run(context.Background(), archive.OpArchive, archive.Params{Force: true, By: "zhujun"}, &out); err != nil {
		t.Fatal(err)
	}
	ok, audit := archived(t, svc)
	self := (&remote.Cred{PID: os.Getpid(), UID: os.Getuid(), GID: os.Getgid()}).String()
	if !ok || len(audit) == 0 || audit[len(audit)-1].Actor != self {
		t.Errorf("archived %v, audit %+v; want actor %q", ok, audit, self)
	}
	// A client expecting another store refuses the answer.
	other := &remote.Client{Socket: cfg.Server.AdminSocket, Identity: "embedded:/elsewhere/firebot.db"}
	if err := other.Run(context.Background(), "ping", nil, io.Discard); err == nil || !strings.Contains(err.Error(), "does not serve this store") {
		t.Errorf("identity mismatch: %v", err)
	}
	svc.Shutdown(context.Background())
	if _, err := os.Stat(cfg.Server.AdminSocket); !os.IsNotExist(err) {
		t.Errorf("socket left behind after shutdown: %v", err)
	}
}

// A process running as another user is refused: by the socket's mode, and
// by the peer-credential check when the mode is loosened.
func TestAdminSocketRefusesOtherUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a helper process as another user")
	}
	_, cfg, logs := adminService(t, nil)
	sock := cfg.Server.AdminSocket
	if err := os.Chmod(filepath.Dir(sock), 0o755); err != nil {
		t.Fatal(err)
	}
	// The helper is this test binary, copied where user nobody may run it.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(filepath.Dir(filepath.Dir(sock)), "helper")
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	asNobody := func() string {
		cmd := exec.Command(bin, "-test.run=^TestAdminSocketHelper$")
		cmd.Env = []string{"FIREBOT_ADMIN_HELPER=" + sock}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	if out := asNobody(); !strings.Contains(out, "HELPER dial:") || !strings.Contains(out, "permission denied") {
		t.Errorf("mode 0660: the other user got %q", out)
	}
	if err := os.Chmod(sock, 0o666); err != nil {
		t.Fatal(err)
	}
	if out := asNobody(); !strings.Contains(out, "HELPER status: 403") {
		t.Errorf("mode 0666: the other user got %q", out)
	}
	if !strings.Contains(logs.String(), "uid=65534") {
		t.Errorf("refusal not logged:\n%s", logs)
	}
}

// TestAdminSocketHelper is the other user's process in
// TestAdminSocketRefusesOtherUser.
func TestAdminSocketHelper(t *testing.T) {
	sock := os.Getenv("FIREBOT_ADMIN_HELPER")
	if sock == "" {
		t.Skip("helper process only")
	}
	conn, err := net.Dial("unix", sock)
	if err != nil {
		fmt.Printf("HELPER dial: %v\n", err)
		return
	}
	defer conn.Close()
	client := &http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) { return conn, nil }}}
	resp, err := client.Post("http://firebot/admin/op/archive", "application/json", strings.NewReader(`{"force":true}`))
	if err != nil {
		fmt.Printf("HELPER post: %v\n", err)
		return
	}
	defer resp.Body.Close()
	var h json.RawMessage
	json.NewDecoder(resp.Body).Decode(&h)
	fmt.Printf("HELPER status: %d\n", resp.StatusCode)
}
