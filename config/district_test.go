package config

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// districtHead is a valid district file without its streets' location.
const districtHead = `district: {id: yuzhong, name: 渝中区}
district_users: [boss]
district_chats: [{id: chat_district}]
store: {path: shared/firebot.db}
`

// street returns a valid street file (11 lines) with the given name,
// office user, unit officer and unit chat.
func street(name, office, officer, chat string) string {
	return `street: {name: ` + name + `}
access:
  office_users: [` + office + `]
campaign:
  id: 2023-119
  name: 宣传月
  period: {start: 2023-11-01, end: 2023-11-30}
  deadlines: [{id: report, title: 截止, time: 2023-12-01}]
units:
  - {id: c1, name: 社区一, kind: community, officers: [` + officer + `]}
  - {id: c2, name: 社区二, kind: community, chats: [{id: ` + chat + `}]}
`
}

// writeFiles writes files (relative path → text) into a new temp dir and
// returns the dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// formatted gives each problem as "file:line: path: msg" with file relative
// to dir.
func formatted(dir string, problems []Problem) []string {
	var out []string
	for _, p := range problems {
		rel, err := filepath.Rel(dir, p.File)
		if err != nil {
			rel = p.File
		}
		p.File = filepath.ToSlash(rel)
		out = append(out, p.String())
	}
	return out
}

func TestLoadDistrict(t *testing.T) {
	a := street("甲街道", "office_a", "officer_a", "chat_a")
	b := street("乙街道", "office_b", "officer_b", "chat_b")
	dir := districtHead + "streets_dir: streets\n"
	tests := []struct {
		name  string
		files map[string]string
		ids   []string // the streets loaded, in order
		want  []string // problem prefixes, in order
	}{
		{"clean", map[string]string{"district.yaml": dir, "streets/b.yaml": b, "streets/a.yaml": a, "streets/notes.txt": "x"},
			[]string{"a", "b"}, nil},
		{"explicit list keeps its order, .yaml optional", map[string]string{
			"district.yaml":  districtHead + "streets: [s/b, s/a.yaml]\n",
			"s/a.yaml":       a,
			"s/b.yaml":       b,
			"s/ignored.yaml": "not: a street",
		}, []string{"b", "a"}, nil},
		{"list relative to streets_dir", map[string]string{
			"district.yaml": dir + "streets: [a]\n", "streets/a.yaml": a, "streets/b.yaml": "ignored: yes",
		}, []string{"a"}, nil},
		{"missing streets dir", map[string]string{"district.yaml": districtHead + "streets_dir: nope/\n"},
			nil, []string{"district.yaml:5: streets_dir: 无法读取街道目录 \"nope/\""}},
		{"no streets given", map[string]string{"district.yaml": districtHead},
			nil, []string{"district.yaml: streets_dir: 请用 streets_dir 写明"}},
		{"empty streets dir", map[string]string{"district.yaml": dir, "streets/README": "x"},
			nil, []string{"district.yaml:5: streets_dir: 街道目录 \"streets\" 里没有街道文件"}},
		{"listed file missing", map[string]string{"district.yaml": districtHead + "streets:\n  - a\n  - c\n", "a.yaml": a},
			[]string{"a"}, []string{"district.yaml:7: streets[1]: 找不到街道文件"}},
		{"file listed twice", map[string]string{"district.yaml": districtHead + "streets: [a, a.yaml]\n", "a.yaml": a},
			[]string{"a"}, []string{"district.yaml:5: streets[1]: 街道文件 DIR/a.yaml 重复列出"}},
		{"district header missing", map[string]string{"district.yaml": "streets_dir: streets\n", "streets/a.yaml": a},
			[]string{"a"}, []string{
				"district.yaml: district.id: 缺少区的 id",
				"district.yaml: district.name: 缺少区的名称",
				"district.yaml: district_users: 至少要有一名区级用户",
			}},
		{"district users and chats repeated", map[string]string{
			"district.yaml":  "district: {id: Yuzhong, name: 渝中区}\ndistrict_users: [boss, boss]\ndistrict_chats: [{id: x}, {id: x}]\nstreets_dir: streets\n",
			"streets/a.yaml": a,
		}, []string{"a"}, []string{
			`district.yaml:1: district.id: 区的 id "Yuzhong" 只能由`,
			`district.yaml:2: district_users[1]: 用户 "boss" 重复`,
			`district.yaml:3: district_chats[1].id: 群聊 "x" 已绑定在 district_chats[0]`,
		}},
		{"street sections in the district file", map[string]string{
			"district.yaml": dir + "campaign: {id: x}\nunits: []\n", "streets/a.yaml": a,
		}, []string{"a"}, []string{
			"district.yaml:6: campaign: 该项属于街道",
			"district.yaml:7: units: 该项属于街道",
		}},
		{"shared and district sections in a street file", map[string]string{
			"district.yaml": dir, "streets/a.yaml": "store: {driver: redis}\n" + a + "timezone: UTC\ndistrict_users: [x]\n",
		}, []string{"a"}, []string{
			"streets/a.yaml:1: store: 该项只能写在区级配置里（district.yaml），各街道共用",
			"streets/a.yaml:13: timezone: 该项只能写在区级配置里",
			"streets/a.yaml:14: district_users: 该项只能写在区级配置里",
		}},
		{"street ids", map[string]string{
			"district.yaml":          dir,
			"streets/a.yaml":         a,
			"streets/b.yaml":         "street: {id: a, name: 乙街道}\n" + strings.SplitN(b, "\n", 2)[1],
			"streets/Bad_Name.yaml":  street("丙街道", "o3", "p3", "c3"),
			"streets/c.yaml":         "street: {id: \"-c\", name: 丁街道}\n" + strings.SplitN(street("", "o4", "p4", "c4"), "\n", 2)[1],
			"streets/no-name.yml":    strings.SplitN(street("", "o5", "p5", "c5"), "\n", 2)[1],
			"streets/yuzhong.yaml":   street("戊街道", "o6", "p6", "c6"),
			"streets/.hidden.yaml":   "ignored",
			"streets/dir.yaml/x.txt": "a directory is not a street",
		}, []string{"Bad_Name", "a", "a", "-c", "no-name", "yuzhong"}, []string{
			`streets/Bad_Name.yaml: street.id: 街道 id 取自文件名 "Bad_Name.yaml"`,
			`streets/b.yaml:1: street.id: 街道 id "a" 与 `,
			`streets/c.yaml:1: street.id: 街道 id "-c" 只能由`,
			`streets/no-name.yml: street.name: 缺少街道名称`,
			`streets/yuzhong.yaml: street.id: 街道 id "yuzhong" 与区的 id 相同`,
		}},
		{"a user or chat belongs to one street", map[string]string{
			"district.yaml":  dir,
			"streets/a.yaml": a,
			// b's office user is a's officer, b's officer is a district
			// user, b's unit chat is a's, and its office chat the district's.
			"streets/b.yaml": strings.Replace(street("乙街道", "officer_a", "boss", "chat_a"), "office_users: [officer_a]",
				"office_users: [officer_a]\n  office_chats: [{id: chat_district}]", 1),
		}, []string{"a", "b"}, []string{
			`streets/b.yaml:3: access.office_users[0]: 用户 "officer_a" 已属于甲街道（` + "DIR/streets/a.yaml:10）：一个用户只能属于一个街道",
			`streets/b.yaml:4: access.office_chats[0].id: 群聊 "chat_district" 属于区级（DIR/district.yaml:3），不能同时属于街道`,
			`streets/b.yaml:11: units[0].officers[0]: 用户 "boss" 属于区级（DIR/district.yaml:2），不能同时属于街道`,
			`streets/b.yaml:12: units[1].chats[0].id: 群聊 "chat_a" 已属于甲街道（DIR/streets/a.yaml:11）`,
		}},
		{"a street's own problems and a broken street", map[string]string{
			"district.yaml":  dir,
			"streets/a.yaml": strings.Replace(a, "kind: community, officers", "kind: school, officers", 1),
			"streets/b.yaml": "street: [\n",
			"streets/c.yaml": "",
		}, []string{"a"}, []string{
			`streets/a.yaml:10: units[0].kind: 未知的单位类型 "school"`,
			"streets/b.yaml:1: YAML 语法错误",
			"streets/c.yaml: 街道文件是空的",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeFiles(t, tt.files)
			dist, problems, err := loadDistrict(filepath.Join(root, "district.yaml"), nil)
			if err != nil {
				t.Fatal(err)
			}
			got := formatted(root, problems)
			ok := len(got) == len(tt.want)
			for i := 0; ok && i < len(got); i++ {
				want := strings.ReplaceAll(tt.want[i], "DIR", root)
				ok = strings.HasPrefix(got[i], want)
			}
			if !ok {
				t.Errorf("problems:\n%s\nwant prefixes:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			var ids []string
			for _, s := range dist.Streets {
				ids = append(ids, s.ID)
			}
			if diff := cmp.Diff(tt.ids, ids); diff != "" {
				t.Errorf("street ids (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDistrictSharesSections: every street's Config carries the district
// file's shared sections, with the environment's overrides, and reads its
// times in the district's timezone; lookups say which street owns a chat or
// a user.
func TestDistrictSharesSections(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"district.yaml":  districtHead + "timezone: Asia/Urumqi\nstreets_dir: streets\n",
		"streets/a.yaml": street("甲街道", "office_a", "officer_a", "chat_a"),
		"streets/b.yaml": street("乙街道", "office_b", "officer_b", "chat_b"),
	})
	env := map[string]string{"FIREBOT_WECOM_SECRET": "from-env"}
	dist, problems, err := loadDistrict(filepath.Join(root, "district.yaml"), func(k string) string { return env[k] })
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	for _, s := range dist.Streets {
		c := s.Config
		if c.Store.Path != "shared/firebot.db" || c.WeCom.Secret.Reveal() != "from-env" || c.Location.String() != "Asia/Urumqi" ||
			c.Campaign.Period.Start.Location().String() != "Asia/Urumqi" || c.File != s.File || c.Street.ID != s.ID {
			t.Errorf("street %s: store %q secret %q zone %v file %q", s.ID, c.Store.Path, c.WeCom.Secret.Reveal(), c.Location, c.File)
		}
	}
	if dist.Shared.Line("store.path") != 4 || dist.Streets[1].Config.Line("units[1].chats[0].id") != 11 {
		t.Errorf("lines: district store.path %d, street b chat %d", dist.Shared.Line("store.path"), dist.Streets[1].Config.Line("units[1].chats[0].id"))
	}
	lookups := []struct {
		got  *Street
		ok   bool
		want string
	}{}
	for _, id := range []string{"chat_a", "chat_b", "chat_district", "nope"} {
		s, ok := dist.StreetOfChat(id)
		lookups = append(lookups, struct {
			got  *Street
			ok   bool
			want string
		}{s, ok, id})
	}
	var got []string
	for _, l := range lookups {
		id := "-"
		if l.ok {
			id = l.got.ID
		}
		got = append(got, l.want+"→"+id)
	}
	for _, id := range []string{"office_a", "officer_b", "boss", "nope"} {
		s, ok := dist.StreetOfUser(id)
		sid := "-"
		if ok {
			sid = s.ID
		}
		got = append(got, id+"→"+sid+"/"+strconv.FormatBool(dist.IsDistrictUser(id)))
	}
	want := []string{"chat_a→a", "chat_b→b", "chat_district→-", "nope→-",
		"office_a→a/false", "officer_b→b/false", "boss→-/true", "nope→-/false"}
	if diff := cmp.Diff(want, got); diff != "" || !dist.IsDistrictChat("chat_district") || dist.IsDistrictChat("chat_a") {
		t.Errorf("lookups (-want +got):\n%s", diff)
	}
	if s, ok := dist.Street("b"); !ok || s.Name != "乙街道" {
		t.Errorf("Street(b) = %v, %v", s, ok)
	}
}

// TestExampleIsDistrictOfOne: config.example.yaml, a lone file, loads as a
// district of one whose street has no id (today's store layout) and is
// exactly what Parse gives.
func TestExampleIsDistrictOfOne(t *testing.T) {
	dist, problems, err := loadDistrict(examplePath, nil)
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	if !dist.Single || dist.ID != "" || len(dist.Users) != 0 || len(dist.Streets) != 1 || dist.File != examplePath {
		t.Fatalf("district = %+v", dist)
	}
	s := dist.Streets[0]
	if s.ID != "" || s.File != examplePath || s.Config != dist.Shared {
		t.Errorf("street = %+v", s)
	}
	data, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Parse(examplePath, data, nil)
	if diff := cmp.Diff(want, s.Config, cmp.AllowUnexported(Config{}, lineIndex{}),
		cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })); diff != "" {
		t.Errorf("street config differs from Parse (-want +got):\n%s", diff)
	}
	if u, ok := dist.StreetOfUser("zhujun"); !ok || u != s {
		t.Errorf("StreetOfUser(zhujun) = %v, %v", u, ok)
	}
}

// TestLoneFileStreetID: a lone file may name its street; a bad id is a
// problem there too.
func TestLoneFileStreetID(t *testing.T) {
	_, problems := parse(t, "street: {id: Shang Qing, name: 上清寺街道}\n"+base, nil)
	if len(problems) != 1 || problems[0].Path != "street.id" || problems[0].Line != 1 {
		t.Errorf("problems = %v", problems)
	}
	cfg, problems := parse(t, "street: {id: shangqingsi}\n"+base, nil)
	if len(problems) != 0 || cfg.Street.ID != "shangqingsi" {
		t.Errorf("street %+v, problems %v", cfg.Street, problems)
	}
}

// TestKeysClassified: every top-level key of Config is either shared or a
// street's, never both, so a new section must say where it belongs; and
// copyShared copies exactly the shared ones.
func TestKeysClassified(t *testing.T) {
	typ := reflect.TypeFor[Config]()
	var keys []string
	field := map[string]int{}
	for i := 0; i < typ.NumField(); i++ {
		if k := typ.Field(i).Tag.Get("yaml"); k != "" && k != "-" {
			keys = append(keys, k)
			field[k] = i
		}
	}
	both := append(SharedKeys(), StreetKeys()...)
	sort.Strings(keys)
	sort.Strings(both)
	if diff := cmp.Diff(keys, both); diff != "" {
		t.Errorf("Config keys vs shared+street keys (-config +classified):\n%s", diff)
	}
	cfg, problems := parse(t, base, nil)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	// Every section differs from its default.
	cfg.Server.Listen, cfg.WeCom.CorpID, cfg.Store.Path, cfg.Media.Dir = "10.0.0.1:1", "c", "p", "m"
	cfg.Dialog.IdleTimeout, cfg.Outbox.GiveUpAfter, cfg.Privacy.Retention = 1, 1, 1
	cfg.Timezone, cfg.Location = "UTC", time.UTC
	cfg.Street.ID, cfg.Nominations.LatePolicy = "s", LateRefuse
	dst := Default()
	copyShared(dst, cfg)
	src, got := reflect.ValueOf(cfg).Elem(), reflect.ValueOf(dst).Elem()
	for _, k := range SharedKeys() {
		if !reflect.DeepEqual(src.Field(field[k]).Interface(), got.Field(field[k]).Interface()) {
			t.Errorf("copyShared did not copy %s", k)
		}
	}
	for _, k := range StreetKeys() {
		if reflect.DeepEqual(src.Field(field[k]).Interface(), got.Field(field[k]).Interface()) {
			t.Errorf("copyShared copied street section %s", k)
		}
	}
	if dst.Location != cfg.Location {
		t.Errorf("Location not copied")
	}
}
