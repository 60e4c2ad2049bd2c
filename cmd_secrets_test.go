package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Recognisable secrets, each of which must never be printed.
var testSecrets = map[string]string{
	"wecom.secret":             "WECOMSECRET-9f8e7d6c5b",
	"wecom.token":              "CALLBACKTOKEN-1a2b3c4d",
	"wecom.encoding_aes_key":   "AESKEYSECRETaeskeysecretAESKEYSECRETaeskey0",
	"wecom.robot.token":        "ROBOTTOKEN-5e6f7a8b",
	"office webhook_key":       "OFFICEWEBHOOK-0c0d0e0f",
	"unit webhook_key":         "UNITWEBHOOK-1f2e3d4c",
	"store.redis.password":     "REDISPASSWORD-55667788",
	"the password in the URL":  "URLPASSWORD-42424242",
	"the bad key of the check": "BADAESKEY-SECRET-0000",
}

func secretsConfig(t *testing.T, store, aesKey string) string {
	t.Helper()
	dir := t.TempDir()
	text := `server:
  listen: 127.0.0.1:0
  admin_socket: ` + filepath.Join(dir, "firebot.sock") + `
wecom:
  corp_id: ww_test_corp
  agent_id: 1000002
  secret: ` + testSecrets["wecom.secret"] + `
  token: ` + testSecrets["wecom.token"] + `
  encoding_aes_key: ` + aesKey + `
  robot:
    token: ` + testSecrets["wecom.robot.token"] + `
    encoding_aes_key: ` + testSecrets["wecom.encoding_aes_key"] + `
` + store + `
media: {dir: ` + filepath.Join(dir, "media") + `}
access:
  office_users: [zhujun]
  office_chats:
    - {id: chat_office, webhook_key: ` + testSecrets["office webhook_key"] + `}
campaign:
  id: test-119
  name: 测试宣传月
  announced: 2023-10-26
  period: {start: 2023-11-01, end: 2023-11-30}
  deadlines:
    - {id: report, title: 报送截止, time: 2023-12-01, covers: [report]}
  tasks:
    - id: evacuation_drill
      name: 疏散演练
      applies_to: {kinds: [organisation]}
      fields:
        - {id: participants, name: 参演人数, type: int, required: true, min: 1}
units:
  - {id: org_a, name: 示例小学, kind: organisation, category: 学校, chats: [{id: chat_a, webhook_key: ` + testSecrets["unit webhook_key"] + `}]}
`
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The service, the tools and config check, run with recognisable secrets
// and a Redis URL that cannot connect, print none of them.
func TestNoSecretPrinted(t *testing.T) {
	aes := testSecrets["wecom.encoding_aes_key"]
	redisURL := "store:\n  driver: redis\n  redis:\n    addr: redis://firebot:" + testSecrets["the password in the URL"] +
		"@127.0.0.1:1/0\n    password: " + testSecrets["store.redis.password"]
	dir := t.TempDir()
	embeddedStore := "store: {path: " + filepath.Join(dir, "firebot.db") + "}"
	redisCfg := secretsConfig(t, redisURL, aes)
	embeddedCfg := secretsConfig(t, embeddedStore, aes)
	badKeyCfg := secretsConfig(t, embeddedStore, testSecrets["the bad key of the check"])
	out := filepath.Join(dir, "report.xlsx")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	runs := []struct {
		name string
		ctx  context.Context
		args []string
		code int
	}{
		{"config check (redis URL)", context.Background(), []string{"config", "check", "-config", redisCfg}, 0},
		{"config check (bad key)", context.Background(), []string{"config", "check", "-config", badKeyCfg}, 1},
		{"serve (redis unreachable)", context.Background(), []string{"serve", "-config", redisCfg}, 1},
		{"serve json (redis unreachable)", context.Background(), []string{"serve", "-config", redisCfg, "-log", "json"}, 1},
		{"export (redis unreachable)", context.Background(), []string{"export", "-config", redisCfg, "-o", out}, 1},
		{"archive (redis unreachable)", context.Background(), []string{"archive", "-config", redisCfg}, 1},
		{"serve (embedded)", cancelled, []string{"serve", "-config", embeddedCfg, "-now", "2023-11-08 09:00"}, 0},
		{"reminders (embedded)", context.Background(), []string{"reminders", "plan", "-config", embeddedCfg}, 0},
	}
	for _, r := range runs {
		code, stdout, stderr := runArgs(t, r.ctx, r.args...)
		if code != r.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", r.name, code, r.code, stdout, stderr)
		}
		if stdout+stderr == "" {
			t.Errorf("%s: printed nothing", r.name)
		}
		for i, line := range strings.Split(stdout+stderr, "\n") {
			for what, secret := range testSecrets {
				if strings.Contains(line, secret) {
					t.Errorf("%s: line %d prints %s: %s", r.name, i+1, what, line)
				}
			}
		}
		if strings.Contains(r.name, "redis") && r.code != 0 && !strings.Contains(stderr, "redis://***@127.0.0.1:1") {
			t.Errorf("%s: the failing address is not named (redacted):\n%s", r.name, stderr)
		}
	}
}
