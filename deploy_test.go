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

// The Dockerfile's base images carry exact version tags, the port it
// exposes is the one its listen override serves, and .dockerignore keeps
// the data directory and secrets out of the build context.
func TestDockerfilePinnedAndConsistent(t *testing.T) {
	b, err := os.ReadFile("deploy/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	var listenPort, exposed string
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "FROM":
			img := f[1]
			if img == "scratch" {
				continue
			}
			name, tag, ok := strings.Cut(img, ":")
			if !ok || tag == "latest" || !strings.ContainsAny(tag, "0123456789") || strings.Count(strings.SplitN(tag, "-", 2)[0], ".") < 2 {
				t.Errorf("FROM %s: base image %s not pinned to an exact version tag", img, name)
			}
		case "ENV":
			if v, ok := strings.CutPrefix(f[1], "FIREBOT_LISTEN="); ok {
				_, listenPort, _ = strings.Cut(v, ":")
				if !strings.HasPrefix(v, "0.0.0.0:") {
					t.Errorf("FIREBOT_LISTEN=%s is not reachable from outside the container", v)
				}
			}
		case "EXPOSE":
			exposed = f[1]
		}
	}
	if listenPort == "" || listenPort != exposed {
		t.Errorf("EXPOSE %q but FIREBOT_LISTEN port %q", exposed, listenPort)
	}
	ignore, err := os.ReadFile(".dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"data/", ".git", "config.yaml", "district.yaml", "*.db"} {
		if !strings.Contains(string(ignore), want+"\n") {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
}
