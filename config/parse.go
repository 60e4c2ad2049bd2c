package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ErrRead is wrapped by Load when the file cannot be read.
var ErrRead = errors.New("config: read file")

// Load reads the file at path and parses it with the process environment.
// The error is only for an unreadable file; mistakes in it are Problems.
func Load(path string) (*Config, []Problem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrRead, err)
	}
	cfg, problems := Parse(path, data, os.Getenv)
	return cfg, problems, nil
}

// Parse reads a configuration. filename is only used in problems; getenv
// (may be nil) supplies the FIREBOT_* secret overrides. The Config is
// returned filled as far as possible even when there are problems, and is
// nil only when the text is not YAML at all. The configuration is usable only
// when there are no problems.
func Parse(filename string, data []byte, getenv func(string) string) (*Config, []Problem) {
	d := newDecoder(filename)
	root, ok := d.root(data)
	if !ok {
		return nil, d.problems
	}
	cfg := Default()
	cfg.File = filename
	cfg.lines = &lineIndex{m: d.lines}
	if root == nil {
		d.addf(0, "", "配置文件是空的")
		return cfg, d.problems
	}
	d.loc = d.location(cfg, root)
	cfg.Location = d.loc
	d.decode(root, "", reflect.ValueOf(cfg).Elem(), nil)
	cfg.Location = d.loc // decode left the Timezone text; keep the loaded zone
	d.applyEnv(cfg, getenv)
	d.complete(cfg)
	d.validate(cfg)
	return cfg, d.sorted()
}

func newDecoder(filename string) *decoder {
	return &decoder{
		file:     filename,
		lines:    map[string]int{},
		dateOnly: map[string]bool{},
		fromEnv:  map[string]string{},
	}
}

// root parses the YAML text and returns its top node, nil for an empty
// document. ok is false (and a problem recorded) when the text is not YAML.
func (d *decoder) root(data []byte) (root *yaml.Node, ok bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlError(err)
		d.addf(line, "", "YAML 语法错误：%s", msg)
		return nil, false
	}
	if len(doc.Content) == 0 {
		return nil, true
	}
	return resolve(doc.Content[0]), true
}

// sorted returns the problems ordered by line, those without a line last.
func (d *decoder) sorted() []Problem {
	sort.SliceStable(d.problems, func(i, j int) bool {
		a, b := d.problems[i].Line, d.problems[j].Line
		return a != 0 && (b == 0 || a < b)
	})
	return d.problems
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlError(err error) (int, string) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, m[2]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// location loads the timezone before anything else, so that times are read
// in it. An unloadable zone is a problem; UTC+8 stands in meanwhile.
func (d *decoder) location(cfg *Config, root *yaml.Node) *time.Location {
	name := DefaultTimezone
	line := 0
	if root.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if v := resolve(root.Content[i+1]); root.Content[i].Value == "timezone" && v.Kind == yaml.ScalarNode && !isNull(v) {
				name, line = v.Value, v.Line
			}
		}
	}
	if name == "" || name == "Local" {
		d.addf(line, "timezone", "请写明时区名称，例如 Asia/Shanghai")
		return fallbackLocation
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		d.addf(line, "timezone", "无法加载时区 %q", name)
		return fallbackLocation
	}
	return loc
}

// envSecrets are the secrets the environment may supply; they win over the file.
var envSecrets = []struct {
	name, path string
	field      func(*Config) *Secret
}{
	{"FIREBOT_WECOM_SECRET", "wecom.secret", func(c *Config) *Secret { return &c.WeCom.Secret }},
	{"FIREBOT_WECOM_TOKEN", "wecom.token", func(c *Config) *Secret { return &c.WeCom.Token }},
	{"FIREBOT_WECOM_ENCODING_AES_KEY", "wecom.encoding_aes_key", func(c *Config) *Secret { return &c.WeCom.EncodingAESKey }},
	{"FIREBOT_ROBOT_TOKEN", "wecom.robot.token", func(c *Config) *Secret { return &c.WeCom.Robot.Token }},
	{"FIREBOT_ROBOT_ENCODING_AES_KEY", "wecom.robot.encoding_aes_key", func(c *Config) *Secret { return &c.WeCom.Robot.EncodingAESKey }},
	{"FIREBOT_AIBOT_TOKEN", "wecom.aibot.token", func(c *Config) *Secret { return &c.WeCom.AIBot.Token }},
	{"FIREBOT_AIBOT_ENCODING_AES_KEY", "wecom.aibot.encoding_aes_key", func(c *Config) *Secret { return &c.WeCom.AIBot.EncodingAESKey }},
	{"FIREBOT_REDIS_PASSWORD", "store.redis.password", func(c *Config) *Secret { return &c.Store.Redis.Password }},
}

// envSettings are the plain settings the environment may override (a
// container sets its listen address without editing the file).
var envSettings = []struct {
	name, path string
	field      func(*Config) *string
}{
	{"FIREBOT_LISTEN", "server.listen", func(c *Config) *string { return &c.Server.Listen }},
	{"FIREBOT_ADMIN_SOCKET", "server.admin_socket", func(c *Config) *string { return &c.Server.AdminSocket }},
}

// EnvVars lists the environment variables Parse consults.
func EnvVars() []string {
	out := make([]string, 0, len(envSecrets)+len(envSettings))
	for _, e := range envSecrets {
		out = append(out, e.name)
	}
	for _, e := range envSettings {
		out = append(out, e.name)
	}
	return out
}

func (d *decoder) applyEnv(cfg *Config, getenv func(string) string) {
	if getenv == nil {
		return
	}
	for _, e := range envSecrets {
		if v := getenv(e.name); v != "" {
			*e.field(cfg) = Secret(v)
			d.fromEnv[e.path] = e.name
		}
	}
	for _, e := range envSettings {
		if v := getenv(e.name); v != "" {
			*e.field(cfg) = v
			d.fromEnv[e.path] = e.name
		}
	}
}

// complete fills what depends on other values: task date windows default to
// the campaign period, deadlines remember whether they were bare dates, and
// the API base URL loses its trailing slash.
func (d *decoder) complete(cfg *Config) {
	c := &cfg.Campaign
	for i := range c.Tasks {
		w := &c.Tasks[i].DateWindow
		if w.Start.IsZero() {
			w.Start = c.Period.Start
		}
		if w.End.IsZero() {
			w.End = c.Period.End
		}
	}
	for i := range c.Deadlines {
		c.Deadlines[i].DateOnly = d.dateOnly[fmt.Sprintf("campaign.deadlines[%d].time", i)]
	}
	cfg.WeCom.APIBaseURL = strings.TrimRight(cfg.WeCom.APIBaseURL, "/")
	if cfg.Server.AdminSocket == "" && d.lines["server.admin_socket"] == 0 {
		cfg.Server.AdminSocket = filepath.Join(filepath.Dir(cfg.Store.Path), DefaultAdminSocket)
	}
}
