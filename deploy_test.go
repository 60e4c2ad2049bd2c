package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The systemd unit must pass systemd-analyze verify (with the binary path
// pointed at an executable that exists here).
func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	unit, err := os.ReadFile("deploy/firebot.service")
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(unit), "/opt/firebot/firebot", self)
	for _, want := range []string{"ProtectSystem=strict", "NoNewPrivileges=yes", "StateDirectory=firebot", "User=firebot",
		"RuntimeDirectory=firebot", "FIREBOT_ADMIN_SOCKET=/run/firebot/firebot.sock"} {
		if !strings.Contains(text, want) {
			t.Errorf("unit lacks %s", want)
		}
	}
	text = strings.ReplaceAll(text, "User=firebot", "User=root")
	text = strings.ReplaceAll(text, "Group=firebot", "Group=root")
	path := filepath.Join(t.TempDir(), "firebot.service")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}
