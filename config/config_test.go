package config

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// base is a small valid configuration the broken fixtures start from.
const base = `server:
  listen: 127.0.0.1:8080
  admin_listen: 127.0.0.1:8081
timezone: Asia/Shanghai
wecom:
  corp_id: ww_test
  agent_id: 1000002
  secret: test-secret-value
  encoding_aes_key: abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG
store:
  driver: embedded
dialog:
  idle_timeout: 30m
reminders:
  quiet_hours: 21:00-08:00
  plans:
    - id: p1
      deadline: report
      offsets: ["-1d@09:00"]
      audience: {type: missing}
nominations:
  late_policy: accept
privacy:
  retention: 180d
access:
  office_users: [zhujun]
campaign:
  id: 2023-119
  name: 测试活动
  announced: 2023-10-26
  period: {start: 2023-11-01, end: 2023-11-30}
  events:
    - {id: main_event, name: 集中宣传, time: "2023-11-09 09:30"}
  deadlines:
    - {id: report, title: 报送截止, time: 2023-12-01, covers: [report]}
  tasks:
    - id: evacuation_drill
      name: 疏散演练
      applies_to: {kinds: [organisation], categories: [学校]}
      deadline: report
      fields:
        - {id: participants, name: 人数, type: int}
units:
  - {id: s1, name: 板块一, kind: sector}
  - {id: c1, name: 社区一, kind: community, sector: s1}
  - {id: o1, name: 小学, kind: organisation, category: 学校}
  - {id: o2, name: 酒店, kind: organisation, category: 宾馆酒店}
`

func parse(t *testing.T, text string, env map[string]string) (*Config, []Problem) {
	t.Helper()
	return Parse("config.yaml", []byte(text), func(k string) string { return env[k] })
}

func TestBaseIsValid(t *testing.T) {
	cfg, problems := parse(t, base, nil)
	for _, p := range problems {
		t.Errorf("problem: %s", p)
	}
	if cfg.Server.Listen != DefaultListen || cfg.Store.Path != DefaultStorePath ||
		cfg.WeCom.ReplyBudget != DefaultReplyBudget || cfg.Store.Redis.KeyPrefix != "{firebot}:" ||
		cfg.Outbox.GiveUpAfter != DefaultGiveUpAfter || cfg.Media.Dir != DefaultMediaDir {
		t.Errorf("defaults not applied: %+v", cfg)
	}
	if cfg.Reminders.Plans[0].Offsets[0] != "-1d@09:00" || cfg.Reminders.Plans[0].Audience.Type != AudienceMissing {
		t.Errorf("plan = %+v", cfg.Reminders.Plans[0])
	}
}

func TestBrokenFixtures(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		path     string
		mark     string // text on the expected line (default: new)
	}{
		{"aes key length", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "tooShortKey", "wecom.encoding_aes_key", ""},
		{"aes key not base64", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "abcdefghijklmnopqrstuvwxyz0123456789ABCDE!?", "wecom.encoding_aes_key", ""},
		{"unknown store driver", "driver: embedded", "driver: mysql", "store.driver", ""},
		{"redis without addr", "driver: embedded", "driver: redis", "store.redis.addr", "store:"},
		{"negative redis pool", "driver: embedded", "driver: embedded\n  redis: {pool_size: -1}", "store.redis.pool_size", "redis:"},
		{"duplicate unit id", "{id: o2,", "{id: o1,", "units[3].id", "{id: o1, name: 酒店"},
		{"duplicate unit name", "name: 酒店", "name: 小学", "units[3].name", "name: 小学, kind: organisation, category: 宾馆酒店"},
		{"unknown unit kind", "kind: community", "kind: street", "units[1].kind", ""},
		{"unknown unit category", "category: 宾馆酒店", "category: 医院", "units[3].category", ""},
		{"organisation without category", ", category: 宾馆酒店}", "}", "units[3].category", "{id: o2"},
		{"unknown sector", "sector: s1", "sector: s9", "units[1].sector", ""},
		{"task unknown kind", "kinds: [organisation]", "kinds: [organization]", "campaign.tasks[0].applies_to.kinds[0]", ""},
		{"task unknown category", "categories: [学校]", "categories: [小学]", "campaign.tasks[0].applies_to.categories[0]", ""},
		{"task unknown field type", "type: int", "type: number", "campaign.tasks[0].fields[0].type", ""},
		{"task unknown deadline", "      deadline: report\n      fields", "      deadline: reprot\n      fields", "campaign.tasks[0].deadline", "deadline: reprot"},
		{"deadline far outside period", "time: 2023-12-01", "time: 2024-12-01", "campaign.deadlines[0].time", ""},
		{"event far outside period", `time: "2023-11-09 09:30"`, `time: "2022-11-09 09:30"`, "campaign.events[0].time", ""},
		{"period start after end", "start: 2023-11-01", "start: 2023-12-01", "campaign.period.start", ""},
		{"announced after period", "announced: 2023-10-26", "announced: 2023-12-05", "campaign.announced", ""},
		{"unparsable time", "announced: 2023-10-26", "announced: 2023-10-32", "campaign.announced", ""},
		{"unloadable timezone", "timezone: Asia/Shanghai", "timezone: Asia/Shanghia", "timezone", ""},
		{"empty office users", "office_users: [zhujun]", "office_users: []", "access.office_users", ""},
		{"bad duration", "idle_timeout: 30m", "idle_timeout: 30 minutes", "dialog.idle_timeout", ""},
		{"bad retention", "retention: 180d", "retention: 180days", "privacy.retention", ""},
		{"zero duration", "idle_timeout: 30m", "idle_timeout: 0s", "dialog.idle_timeout", ""},
		{"bad quiet hours", "quiet_hours: 21:00-08:00", "quiet_hours: 21:00-8", "reminders.quiet_hours", ""},
		{"unknown late policy", "late_policy: accept", "late_policy: maybe", "nominations.late_policy", ""},
		{"admin listen not loopback", "admin_listen: 127.0.0.1:8081", "admin_listen: 0.0.0.0:8081", "server.admin_listen", ""},
		{"admin listen all interfaces", "admin_listen: 127.0.0.1:8081", "admin_listen: :8081", "server.admin_listen", ""},
		{"callback max age beyond dedupe memory", "agent_id: 1000002", "agent_id: 1000002\n  callback_max_age: 3h", "wecom.callback_max_age", "callback_max_age: 3h"},
		{"empty admin socket", "admin_listen: 127.0.0.1:8081", "admin_socket: \"\"", "server.admin_socket", ""},
		{"zero exports keep", "timezone: Asia/Shanghai", "timezone: Asia/Shanghai\nmedia: {exports_keep: 0s}", "media.exports_keep", "media: {exports_keep: 0s}"},
		{"unknown key", "  listen: 127.0.0.1:8080", "  lisen: 127.0.0.1:8080", "server.lisen", ""},
		{"unknown top-level key", "timezone: Asia/Shanghai", "timezone: Asia/Shanghai\ntimezon: UTC", "timezon", "timezon: UTC"},
		{"duplicate key", "timezone: Asia/Shanghai", "timezone: Asia/Shanghai\ntimezone: Asia/Shanghai", "timezone", "timezone: Asia/Shanghai\nwecom"},
		{"not an integer", "agent_id: 1000002", "agent_id: abc", "wecom.agent_id", ""},
		{"list where map expected", "store:\n  driver: embedded", "store: [embedded]", "store", ""},
		{"duplicate plan id", "      audience: {type: missing}", "      audience: {type: missing}\n    - id: p1", "reminders.plans[1].id", "- id: p1\nnominations"},
		{"plan unknown deadline", "      deadline: report\n      offsets", "      deadline: reprot\n      offsets", "reminders.plans[0].deadline", "deadline: reprot"},
		{"plan unknown event", "      deadline: report\n      offsets", "      event: opening\n      offsets", "reminders.plans[0].event", "event: opening"},
		{"plan unknown audience", "{type: missing}", "{type: everyone}", "reminders.plans[0].audience.type", ""},
		{"duplicate task field", "        - {id: participants, name: 人数, type: int}", "        - {id: participants, name: 人数, type: int}\n        - {id: participants, name: 人数2, type: int}", "campaign.tasks[0].fields[1].id", "人数2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("fixture: %q not in base", tt.old)
			}
			text := strings.Replace(base, tt.old, tt.new, 1)
			mark := tt.mark
			if mark == "" {
				mark = tt.new
			}
			i := strings.Index(text, mark)
			if i < 0 {
				t.Fatalf("fixture: mark %q not in text", mark)
			}
			wantLine := strings.Count(text[:i], "\n") + 1
			_, problems := parse(t, text, nil)
			for _, p := range problems {
				if p.Path == tt.path {
					if p.Line != wantLine {
						t.Errorf("%s: line %d, want %d", p, p.Line, wantLine)
					}
					want := fmt.Sprintf("config.yaml:%d: %s: ", wantLine, tt.path)
					if !strings.HasPrefix(p.String(), want) {
						t.Errorf("String() = %q, want prefix %q", p.String(), want)
					}
					return
				}
			}
			t.Errorf("no problem at %s; got:\n%s", tt.path, listProblems(problems))
		})
	}
}

func listProblems(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}

func TestUnknownKeySuggests(t *testing.T) {
	_, problems := parse(t, strings.Replace(base, "idle_timeout:", "idle_timout:", 1), nil)
	if len(problems) != 1 || !strings.Contains(problems[0].Msg, "idle_timeout") {
		t.Errorf("problems = %v", problems)
	}
}

func TestManyProblemsAllReported(t *testing.T) {
	text := strings.NewReplacer(
		"driver: embedded", "driver: mysql",
		"category: 宾馆酒店", "category: 医院",
		"late_policy: accept", "late_policy: maybe",
	).Replace(base)
	_, problems := parse(t, text, nil)
	if len(problems) != 3 {
		t.Fatalf("got %d problems, want 3:\n%s", len(problems), listProblems(problems))
	}
	for i := 1; i < len(problems); i++ {
		if problems[i].Line < problems[i-1].Line {
			t.Errorf("problems not in line order:\n%s", listProblems(problems))
		}
	}
}

func TestSyntaxError(t *testing.T) {
	cfg, problems := parse(t, "server:\n  listen: [unclosed\nunits: x\n", nil)
	if cfg != nil || len(problems) != 1 || problems[0].Line == 0 || !strings.Contains(problems[0].Msg, "YAML") {
		t.Errorf("cfg %v problems %v", cfg != nil, problems)
	}
	if _, problems := parse(t, "", nil); len(problems) != 1 {
		t.Errorf("empty file: %v", problems)
	}
}

func TestNullKeepsDefaults(t *testing.T) {
	cfg, problems := parse(t, base+"media:\noutbox:\n  give_up_after:\n", nil)
	if len(problems) != 0 {
		t.Fatal(listProblems(problems))
	}
	if cfg.Media.Dir != DefaultMediaDir || cfg.Outbox.GiveUpAfter != DefaultGiveUpAfter {
		t.Errorf("media %q outbox %v", cfg.Media.Dir, cfg.Outbox.GiveUpAfter)
	}
}

func TestEnvOverridesWin(t *testing.T) {
	env := map[string]string{
		"FIREBOT_WECOM_SECRET":           "env-secret",
		"FIREBOT_WECOM_TOKEN":            "env-token",
		"FIREBOT_WECOM_ENCODING_AES_KEY": "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut",
		"FIREBOT_ROBOT_TOKEN":            "env-robot-token",
		"FIREBOT_ROBOT_ENCODING_AES_KEY": "ROBOTUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut",
		"FIREBOT_AIBOT_TOKEN":            "env-aibot-token",
		"FIREBOT_AIBOT_ENCODING_AES_KEY": "AIBOTUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut",
		"FIREBOT_REDIS_PASSWORD":         "env-redis-password",
		"FIREBOT_LISTEN":                 "0.0.0.0:9090",
		"FIREBOT_ADMIN_SOCKET":           "/run/firebot/firebot.sock",
	}
	cfg, problems := parse(t, base, env)
	if len(problems) != 0 {
		t.Fatal(listProblems(problems))
	}
	w := cfg.WeCom
	got := []string{
		w.Secret.Reveal(), w.Token.Reveal(), w.EncodingAESKey.Reveal(),
		w.Robot.Token.Reveal(), w.Robot.EncodingAESKey.Reveal(),
		w.AIBot.Token.Reveal(), w.AIBot.EncodingAESKey.Reveal(),
		cfg.Store.Redis.Password.Reveal(),
		cfg.Server.Listen, cfg.Server.AdminSocket,
	}
	var want []string
	for _, name := range EnvVars() {
		want = append(want, env[name])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("secrets (-want +got):\n%s", diff)
	}

	// Without the environment the file's values stay.
	cfg, _ = parse(t, base, nil)
	if cfg.WeCom.Secret.Reveal() != "test-secret-value" {
		t.Errorf("secret = %q", cfg.WeCom.Secret.Reveal())
	}
}

func TestBadAESKeyFromEnv(t *testing.T) {
	const bad = "not-a-valid-key-from-env"
	_, problems := parse(t, base, map[string]string{"FIREBOT_ROBOT_ENCODING_AES_KEY": bad})
	if len(problems) != 1 || problems[0].Path != "wecom.robot.encoding_aes_key" ||
		!strings.Contains(problems[0].Msg, "FIREBOT_ROBOT_ENCODING_AES_KEY") {
		t.Fatalf("problems = %v", problems)
	}
	if strings.Contains(problems[0].String(), bad) {
		t.Errorf("secret leaked: %s", problems[0])
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	secrets := []string{
		"corpSecretValue123", "callbackTokenValue", "robotTokenValue9", "aibotTokenValue7",
		"redisPasswordValue", "webhook-key-value-1", "office-webhook-value",
		"badAESKeyValue", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF1",
	}
	text := strings.NewReplacer(
		"secret: test-secret-value", "secret: corpSecretValue123\n  token: callbackTokenValue\n"+
			"  robot: {token: robotTokenValue9, encoding_aes_key: badAESKeyValue}\n"+
			"  aibot: {token: aibotTokenValue7, encoding_aes_key: abcdefghijklmnopqrstuvwxyz0123456789ABCDEF1}",
		"driver: embedded", "driver: redis\n  redis: {addr: 127.0.0.1:6379, password: redisPasswordValue}",
		"kind: community, sector: s1}", "kind: community, sector: s1, chats: [{id: c, webhook_key: webhook-key-value-1}]}",
		"office_users: [zhujun]", "office_users: [zhujun]\n  office_chats: [{id: o, webhook_key: office-webhook-value}]",
	).Replace(base)
	cfg, problems := parse(t, text, nil)
	if len(problems) != 1 || problems[0].Path != "wecom.robot.encoding_aes_key" {
		t.Fatalf("want the robot AES key problem, got:\n%s", listProblems(problems))
	}
	// A secret in the wrong shape is reported without its value too.
	_, shapeProblems := parse(t, strings.Replace(text, "token: callbackTokenValue", "token: [callbackTokenValue]", 1), nil)
	if len(shapeProblems) != 2 {
		t.Fatalf("want 2 problems, got:\n%s", listProblems(shapeProblems))
	}
	outputs := []string{
		fmt.Sprintf("%+v", cfg), fmt.Sprintf("%v", *cfg), fmt.Sprintf("%#v", cfg.WeCom),
		listProblems(problems), listProblems(shapeProblems),
	}
	for _, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("secret %q appears in %.200s…", s, out)
			}
		}
	}
	if cfg.Units[1].Chats[0].WebhookKey.Reveal() != "webhook-key-value-1" {
		t.Error("webhook key not decoded")
	}
}

func TestPlaceholder(t *testing.T) {
	example := loadExample(t)
	tests := []struct {
		name                             string
		edit                             func(c *Config)
		placeholder, creds, realWeComAPI bool
	}{
		{"example as-is", func(*Config) {}, true, true, true},
		{"fake server", func(c *Config) { c.WeCom.APIBaseURL = "http://127.0.0.1:9999" }, false, true, false},
		{"real credentials", func(c *Config) {
			c.WeCom.CorpID, c.WeCom.Secret = "ww1234567890abcdef", "realSecret"
		}, false, false, true},
		{"only secret replaced", func(c *Config) { c.WeCom.Secret = "realSecret" }, true, true, true},
		{"real host with port", func(c *Config) { c.WeCom.APIBaseURL = "https://QYAPI.weixin.qq.com:443" }, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *example
			tt.edit(&c)
			if c.Placeholder() != tt.placeholder || c.PlaceholderCredentials() != tt.creds || c.UsesRealWeCom() != tt.realWeComAPI {
				t.Errorf("Placeholder %v PlaceholderCredentials %v UsesRealWeCom %v; want %v %v %v",
					c.Placeholder(), c.PlaceholderCredentials(), c.UsesRealWeCom(),
					tt.placeholder, tt.creds, tt.realWeComAPI)
			}
		})
	}
	if err := checkAESKey(PlaceholderAESKey); err != nil {
		t.Errorf("placeholder AES key: %v", err)
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{"config.yaml", 12, "units[3].category", `未知类别 "医院"`}, `config.yaml:12: units[3].category: 未知类别 "医院"`},
		{Problem{"config.yaml", 0, "wecom.secret", "x"}, "config.yaml: wecom.secret: x"},
		{Problem{"config.yaml", 3, "", "YAML 语法错误"}, "config.yaml:3: YAML 语法错误"},
		{Problem{"", 0, "", "x"}, "x"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30m", 30 * time.Minute, true},
		{"4320h", 180 * 24 * time.Hour, true},
		{"180d", 180 * 24 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{"180days", 0, false},
		{"d", 0, false},
		{"-1d", 0, false},
		{"", 0, false},
		{"1d-2h", 0, false},
	}
	for _, tt := range tests {
		got, err := parseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseDuration(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestQuietHours(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	at := func(d, h, m int) time.Time { return time.Date(2023, 11, d, h, m, 0, 0, loc) }
	night, err := parseQuietHours("21:00-08:00")
	if err != nil {
		t.Fatal(err)
	}
	lunch, _ := parseQuietHours("12:00-13:30")
	off, _ := parseQuietHours("off")
	tests := []struct {
		q     QuietHours
		t     time.Time
		quiet bool
		until time.Time
	}{
		{night, at(9, 20, 59), false, at(9, 20, 59)},
		{night, at(9, 21, 0), true, at(10, 8, 0)},
		{night, at(9, 23, 30), true, at(10, 8, 0)},
		{night, at(10, 7, 59), true, at(10, 8, 0)},
		{night, at(10, 8, 0), false, at(10, 8, 0)},
		{lunch, at(9, 12, 15), true, at(9, 13, 30)},
		{lunch, at(9, 13, 30), false, at(9, 13, 30)},
		{off, at(9, 23, 0), false, at(9, 23, 0)},
	}
	for _, tt := range tests {
		if got := tt.q.Contains(tt.t); got != tt.quiet {
			t.Errorf("%v.Contains(%v) = %v", tt.q, tt.t, got)
		}
		if got := tt.q.Until(tt.t); !got.Equal(tt.until) {
			t.Errorf("%v.Until(%v) = %v, want %v", tt.q, tt.t, got, tt.until)
		}
	}
	for _, bad := range []string{"21:00", "21-08", "25:00-08:00", "08:00-08:00"} {
		if _, err := parseQuietHours(bad); err == nil {
			t.Errorf("parseQuietHours(%q) succeeded", bad)
		}
	}
}

func TestRedisAddrs(t *testing.T) {
	got := Redis{Addr: "a:1, b:2,,c:3"}.Addrs()
	if diff := cmp.Diff([]string{"a:1", "b:2", "c:3"}, got); diff != "" {
		t.Error(diff)
	}
}

// The admin socket defaults to firebot.sock beside the store; exports are
// kept 30 days; the dedupe memory itself is an acceptable callback age.
func TestAdminSocketAndExportsDefaults(t *testing.T) {
	cfg, problems := parse(t, strings.Replace(base, "  driver: embedded", "  driver: embedded\n  path: /var/lib/firebot/data/firebot.db", 1), nil)
	if len(problems) != 0 {
		t.Fatal(listProblems(problems))
	}
	if cfg.Server.AdminSocket != "/var/lib/firebot/data/firebot.sock" || cfg.Media.ExportsKeep != 30*24*time.Hour {
		t.Errorf("admin socket %q, exports keep %v", cfg.Server.AdminSocket, cfg.Media.ExportsKeep)
	}
	_, problems = parse(t, strings.Replace(base, "agent_id: 1000002", "agent_id: 1000002\n  callback_max_age: 2h", 1), nil)
	if len(problems) != 0 {
		t.Errorf("callback_max_age equal to the dedupe memory: %s", listProblems(problems))
	}
}

// A bad listen address from FIREBOT_LISTEN names the variable.
func TestListenFromEnvProblem(t *testing.T) {
	_, problems := parse(t, base, map[string]string{"FIREBOT_LISTEN": "no-port"})
	if len(problems) != 1 || problems[0].Path != "server.listen" || !strings.Contains(problems[0].Msg, "FIREBOT_LISTEN") {
		t.Errorf("problems: %s", listProblems(problems))
	}
}
