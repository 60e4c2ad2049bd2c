package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"firebot/config/configtest"
)

// tempConfig copies config.example.yaml with its store, media and listen
// addresses moved into a temp dir.
func tempConfig(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(configtest.Path())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := strings.NewReplacer(
		"listen: 127.0.0.1:8080", "listen: 127.0.0.1:0",
		"admin_listen: 127.0.0.1:8081", "admin_listen: 127.0.0.1:1",
		"path: data/firebot.db", "path: "+filepath.Join(dir, "firebot.db"),
		"dir: data/media", "dir: "+filepath.Join(dir, "media"),
	).Replace(string(data))
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRemindersPlanPrints2023Schedule(t *testing.T) {
	cfg := tempConfig(t)
	code, out, errOut := runArgs(t, context.Background(), "reminders", "plan", "-config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"2023-10-26 15:00  nomination_chase",
		"2023-11-09 08:30  main_event_notice",
		"2023-12-01 15:00  report_chase",
		"共 38 条提醒",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	code, out, _ = runArgs(t, context.Background(), "reminders", "plan", "-config", cfg, "-from", "2023-11-24T00:00:00+08:00", "-to", "2023-11-25T00:00:00+08:00")
	if code != 0 || strings.Count(out, "\n2023-11-24") != 3 {
		t.Fatalf("window: exit %d\n%s", code, out)
	}
}
