package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"firebot/campaign"
)

// District is a whole deployment: a district with its own staff and chats,
// the deployment-wide sections every street shares, and the streets.
//
// A district file names the district and where its street files are; each
// street file has the street's own sections (StreetKeys). A lone
// configuration file, like config.example.yaml, is a district of one: Single
// is set, the district has no id, staff or chats, and its one street has the
// id the file gives (usually none, which keeps today's store layout).
type District struct {
	ID    string
	Name  string
	Users []string        // district_users: WeCom user ids of the district staff
	Chats []campaign.Chat // district_chats: the district's own group chats
	// File is the district file; for a district of one, the street's file.
	File string
	// Single reports a district of one, loaded from a lone configuration file.
	Single bool
	// Shared holds the deployment-wide sections (SharedKeys), the same as
	// in every street's Config; its street sections hold only defaults.
	// Its Line answers for the district file. For a district of one it is
	// the street's own Config.
	Shared *Config
	// Streets in the order of the district file's streets list, or of
	// their file names in streets_dir.
	Streets []*Street

	chatOwner map[string]*Street // chat id → street; nil value: a district chat
	userOwner map[string]*Street // user id → street; nil value: a district user
}

// Street is one street of a district.
type Street struct {
	ID   string // Config.Street.ID
	Name string // Config.Street.Name
	File string // the street's file, as Problem.File names it
	// Config is complete: the street's own sections from its file and the
	// shared sections from the district file, so code written for one
	// street's configuration works per street unchanged.
	Config *Config
}

// The top-level keys, by where they belong. A test keeps SharedKeys and
// StreetKeys together equal to Config's keys.
var (
	// sharedKeys configure the process and what all streets share: one
	// listener, one WeCom corp, app and robots, one store, one media
	// directory (exports under it), one dialog engine, outbox and retention
	// rule, one timezone.
	sharedKeys = []string{"server", "timezone", "wecom", "store", "media", "dialog", "outbox", "privacy"}
	// streetKeys are each street's own: its campaign (with its contacts),
	// roster, office users and chats, reminder plans and late policy.
	streetKeys = []string{"street", "access", "campaign", "units", "reminders", "nominations"}
	// districtKeys exist only in a district file.
	districtKeys = []string{"district", "district_users", "district_chats", "streets_dir", "streets"}
)

// SharedKeys lists the deployment-wide top-level keys: in a district they are
// written once, in the district file.
func SharedKeys() []string { return append([]string(nil), sharedKeys...) }

// StreetKeys lists the top-level keys each street file has.
func StreetKeys() []string { return append([]string(nil), streetKeys...) }

// districtDoc is a district file. The shared sections point into the
// district's shared Config, so they decode in place.
type districtDoc struct {
	District   Identity        `yaml:"district"`
	Users      []string        `yaml:"district_users"`
	Chats      []campaign.Chat `yaml:"district_chats"`
	StreetsDir string          `yaml:"streets_dir"`
	Streets    []string        `yaml:"streets"`

	Server   *Server  `yaml:"server"`
	Timezone *string  `yaml:"timezone"`
	WeCom    *WeCom   `yaml:"wecom"`
	Store    *Store   `yaml:"store"`
	Media    *Media   `yaml:"media"`
	Dialog   *Dialog  `yaml:"dialog"`
	Outbox   *Outbox  `yaml:"outbox"`
	Privacy  *Privacy `yaml:"privacy"`
}

// copyShared copies the deployment-wide sections from src to dst.
func copyShared(dst, src *Config) {
	dst.Server = src.Server
	dst.Timezone, dst.Location = src.Timezone, src.Location
	dst.WeCom = src.WeCom
	dst.Store = src.Store
	dst.Media = src.Media
	dst.Dialog = src.Dialog
	dst.Outbox = src.Outbox
	dst.Privacy = src.Privacy
}

// LoadDistrict reads a district file and its street files, or a lone
// configuration file as a district of one, with the process environment
// supplying the FIREBOT_* overrides as for Load. The error is only for an
// unreadable file at path; every other mistake, in any file, is a Problem
// naming that file, in file order (the district file first). The District
// is nil only when the file at path is not YAML at all, and usable only when
// there are no problems.
func LoadDistrict(path string) (*District, []Problem, error) {
	return loadDistrict(path, os.Getenv)
}

func loadDistrict(path string, getenv func(string) string) (*District, []Problem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrRead, err)
	}
	d := newDecoder(path)
	root, ok := d.root(data)
	if !ok {
		return nil, d.problems, nil
	}
	if !hasKey(root, districtKeys) {
		cfg, problems := Parse(path, data, getenv)
		dist := &District{File: path, Single: true, Shared: cfg}
		dist.Streets = []*Street{{ID: cfg.Street.ID, Name: cfg.Street.Name, File: path, Config: cfg}}
		dist.index()
		return dist, problems, nil
	}

	shared := Default()
	shared.File = path
	shared.lines = &lineIndex{m: d.lines}
	doc := &districtDoc{
		Server: &shared.Server, Timezone: &shared.Timezone, WeCom: &shared.WeCom, Store: &shared.Store,
		Media: &shared.Media, Dialog: &shared.Dialog, Outbox: &shared.Outbox, Privacy: &shared.Privacy,
	}
	d.loc = d.location(shared, root)
	root = d.without(root, streetKeys, "该项属于街道，请写在各街道的文件里（见 streets_dir）")
	d.decode(root, "", reflect.ValueOf(doc).Elem(), nil)
	shared.Location = d.loc
	d.applyEnv(shared, getenv)
	d.complete(shared)
	d.validateShared(shared)
	d.validateDistrict(doc)

	dist := &District{
		ID: doc.District.ID, Name: doc.District.Name, Users: doc.Users, Chats: doc.Chats,
		File: path, Shared: shared,
	}
	streets := d.streetFiles(doc, path)
	files := []string{path}
	byFile := map[string][]Problem{path: d.sorted()}
	for _, file := range streets {
		files = append(files, file)
		data, err := os.ReadFile(file)
		if err != nil {
			byFile[file] = append(byFile[file], Problem{File: file, Msg: fmt.Sprintf("无法读取街道文件：%v", err)})
			continue
		}
		cfg, problems := parseStreet(file, data, shared, path)
		byFile[file] = append(byFile[file], problems...)
		if cfg != nil {
			dist.Streets = append(dist.Streets, &Street{ID: cfg.Street.ID, Name: cfg.Street.Name, File: file, Config: cfg})
		}
	}
	for _, p := range dist.index() {
		byFile[p.File] = append(byFile[p.File], p)
	}
	var problems []Problem
	for _, f := range files {
		problems = append(problems, (&decoder{problems: byFile[f]}).sorted()...)
	}
	return dist, problems, nil
}

// parseStreet reads one street file of a district: the street's own
// sections from the file, the shared sections from the district's.
func parseStreet(file string, data []byte, shared *Config, districtFile string) (*Config, []Problem) {
	d := newDecoder(file)
	d.district = districtFile
	root, ok := d.root(data)
	if !ok {
		return nil, d.problems
	}
	if root == nil {
		d.addf(0, "", "街道文件是空的")
		return nil, d.problems
	}
	cfg := Default()
	copyShared(cfg, shared)
	cfg.File = file
	cfg.lines = &lineIndex{m: d.lines}
	d.loc = shared.Location
	root = d.without(root, append(SharedKeys(), districtKeys...),
		fmt.Sprintf("该项只能写在区级配置里（%s），各街道共用", filepath.Base(districtFile)))
	d.decode(root, "", reflect.ValueOf(cfg).Elem(), nil)
	if _, written := d.lines["street.id"]; !written && cfg.Street.ID == "" {
		cfg.Street.ID = idFromFile(file)
	}
	d.complete(cfg)
	d.validateStreet(cfg)
	return cfg, d.sorted()
}

// idFromFile is a street file's name without its .yaml or .yml extension.
func idFromFile(file string) string {
	base := filepath.Base(file)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func isYAML(name string) bool {
	ext := filepath.Ext(name)
	return ext == ".yaml" || ext == ".yml"
}

// hasKey reports whether the mapping n has any of keys at its top level.
func hasKey(n *yaml.Node, keys []string) bool {
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		for _, k := range keys {
			if n.Content[i].Value == k {
				return true
			}
		}
	}
	return false
}

// without returns the mapping n less the keys listed, reporting each one
// found with msg at its line. Anything but a mapping is returned as is (the
// decoder reports it).
func (d *decoder) without(n *yaml.Node, keys []string, msg string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return n
	}
	out := *n
	out.Content = nil
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		banned := false
		for _, b := range keys {
			banned = banned || k.Value == b
		}
		if banned {
			d.addf(k.Line, k.Value, "%s", msg)
			continue
		}
		out.Content = append(out.Content, k, n.Content[i+1])
	}
	return &out
}

// ValidStreetID reports whether id can name a street or district: 1 to 40
// lowercase ASCII letters, digits and '-', not starting or ending with '-'.
// Street ids appear in store keys, paths and commands.
func ValidStreetID(id string) bool {
	if id == "" || len(id) > 40 || id[0] == '-' || id[len(id)-1] == '-' {
		return false
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

const badStreetID = "只能由小写英文字母、数字和 - 组成（最多 40 个字符，不以 - 开头或结尾）"

// validateStreetName checks street.id and street.name: optional in a lone
// file, and in a district's street file the id (defaulted from the file
// name) must be valid and the name given.
func (d *decoder) validateStreetName(c *Config) {
	s := c.Street
	_, written := d.lines["street.id"]
	switch {
	case d.district == "" && s.ID == "":
	case s.ID == "":
		d.at("street.id", "街道 id 不能为空（不写时取文件名）")
	case !ValidStreetID(s.ID) && !written:
		d.addf(0, "street.id", "街道 id 取自文件名 %q，%s：请改文件名，或写明 street.id", filepath.Base(d.file), badStreetID)
	case !ValidStreetID(s.ID):
		d.at("street.id", "街道 id %q %s", s.ID, badStreetID)
	}
	if d.district != "" && strings.TrimSpace(s.Name) == "" {
		d.at("street.name", "缺少街道名称 street.name（例如 上清寺街道）")
	}
}

// validateDistrict checks the district file's own keys.
func (d *decoder) validateDistrict(doc *districtDoc) {
	switch id := doc.District.ID; {
	case id == "":
		d.at("district.id", "缺少区的 id（例如 yuzhong）")
	case !ValidStreetID(id):
		d.at("district.id", "区的 id %q %s", id, badStreetID)
	}
	d.required("district.name", doc.District.Name, "区的名称 district.name（例如 渝中区）")
	if len(doc.Users) == 0 {
		d.at("district_users", "至少要有一名区级用户（企业微信账号）")
	}
	seen := map[string]bool{}
	for i, u := range doc.Users {
		switch {
		case strings.TrimSpace(u) == "":
			d.at(index("district_users", i), "用户账号不能为空")
		case seen[u]:
			d.at(index("district_users", i), "用户 %q 重复", u)
		}
		seen[u] = true
	}
	chats := map[string]string{}
	for i, ch := range doc.Chats {
		d.chat(index("district_chats", i), ch, chats)
	}
}

// streetFiles lists the district's street files: those named in streets
// (relative to streets_dir, or else to the district file's directory; the
// .yaml may be left out), or else every *.yaml and *.yml file in
// streets_dir, by name.
func (d *decoder) streetFiles(doc *districtDoc, districtPath string) []string {
	base := filepath.Dir(districtPath)
	if doc.StreetsDir == "" && len(doc.Streets) == 0 {
		d.at("streets_dir", "请用 streets_dir 写明街道文件所在的目录（或用 streets 列出各街道的文件）")
		return nil
	}
	dir := base
	if doc.StreetsDir != "" {
		dir = doc.StreetsDir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(base, dir)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			d.at("streets_dir", "无法读取街道目录 %q（相对于 %s 所在的目录）：目录不存在或没有权限", doc.StreetsDir, filepath.Base(districtPath))
			return nil
		}
		if len(doc.Streets) == 0 {
			var out []string
			for _, e := range entries {
				if name := e.Name(); !e.IsDir() && !strings.HasPrefix(name, ".") && isYAML(name) {
					out = append(out, filepath.Join(dir, name))
				}
			}
			if len(out) == 0 {
				d.at("streets_dir", "街道目录 %q 里没有街道文件（*.yaml）", doc.StreetsDir)
			}
			return out
		}
	}
	var out []string
	listed := map[string]bool{}
	for i, name := range doc.Streets {
		p := name
		if !isYAML(p) {
			p += ".yaml"
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			d.at(index("streets", i), "找不到街道文件 %s", p)
			continue
		}
		if listed[p] {
			d.at(index("streets", i), "街道文件 %s 重复列出", p)
			continue
		}
		listed[p] = true
		out = append(out, p)
	}
	return out
}
