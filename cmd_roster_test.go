package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/campaign"
	"firebot/clock"
	"firebot/roster"
	"firebot/store"
	"firebot/store/embedded"
)

// dataCareConfig writes testdata/minimal.yaml to a temporary directory with
// its own store file and addresses on which no service answers. It returns
// the configuration's path and the store's.
func dataCareConfig(t *testing.T) (cfgPath, dbPath string) {
	t.Helper()
	data, err := os.ReadFile("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dbPath = filepath.Join(dir, "firebot.db")
	text := strings.NewReplacer(
		"listen: 127.0.0.1:8080", "listen: 127.0.0.1:0",
		"admin_listen: 127.0.0.1:8081", "admin_listen: 127.0.0.1:0",
	).Replace(string(data))
	text += "store: {path: " + dbPath + "}\nmedia: {dir: " + filepath.Join(dir, "media") + "}\n"
	cfgPath = filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, dbPath
}

// withStore opens the store file between two commands (the embedded store
// admits one process at a time).
func withStore(t *testing.T, dbPath string, fn func(store.Store)) {
	t.Helper()
	st, err := embedded.Open(dbPath, embedded.Options{Real: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fn(st)
}

type rosterState struct {
	Units    campaign.Roster
	Bindings []store.Binding
	Audit    []store.AuditEntry
}

func readRosterState(t *testing.T, dbPath string) rosterState {
	t.Helper()
	var s rosterState
	withStore(t, dbPath, func(st store.Store) {
		err := st.View(context.Background(), func(tx store.Tx) error {
			var err error
			if s.Units, err = store.Roster(tx); err != nil {
				return err
			}
			if err := store.EachBinding(tx, func(b store.Binding) error { s.Bindings = append(s.Bindings, b); return nil }); err != nil {
				return err
			}
			return store.EachAudit(tx, 0, func(e store.AuditEntry) error { s.Audit = append(s.Audit, e); return nil })
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	return s
}

func TestRosterImportCommand(t *testing.T) {
	ctx := context.Background()
	cfgPath, dbPath := dataCareConfig(t)
	dir := filepath.Dir(cfgPath)
	good := filepath.Join(dir, "名册.csv")
	os.WriteFile(good, []byte("\uFEFF单位编号,单位名称,类型,所属板块,类别,安全员,群聊ID,群机器人key\n"+
		"sector_a,东片板块,板块,,,wangjun,,\n"+
		"comm_a,示例社区,社区,东片板块,,zhangsan、lisi,chat_a,key-a\n"+
		"org_b,示例中学,社会单位,sector_a,学校,lisi,,\n"), 0o600)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("单位编号,单位名称,类型,所属板块,类别,安全员\n"+
		"sector_a,东片板块,板块,,,wangjun\n"+
		"org_c,示例小学,社会单位,,学校,heping\n"+ // the configured org_a's name
		"org_d,某单位,社会单位,,网吧,\n"), 0o600)

	code, out, errOut := runArgs(t, ctx, "roster", "import", "-config", cfgPath, "-dry-run", good)
	if code != 0 || !strings.Contains(out, "试运行（未写入任何数据）：将新增 2 个单位，更新 1 个，未变 0 个") {
		t.Fatalf("dry run: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	before := readRosterState(t, dbPath)
	if len(before.Units) != 2 || len(before.Audit) != 0 {
		t.Fatalf("after a dry run the store holds only the configured roster, got %+v", before)
	}

	code, out, errOut = runArgs(t, ctx, "roster", "import", bad, "-config", cfgPath)
	if code != 1 || out != "" {
		t.Errorf("bad file: exit %d, stdout %q", code, out)
	}
	for _, want := range []string{"名册有 2 处问题，未导入任何数据", "第 3 行【单位名称】", "示例小学", "第 4 行【类别】：未知的类别“网吧”"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if d := cmp.Diff(before, readRosterState(t, dbPath)); d != "" {
		t.Errorf("a rejected import wrote (-before +after):\n%s", d)
	}
	runArgs(t, ctx, "roster", "import", "-dry-run", "-config", cfgPath, good)
	if d := cmp.Diff(before, readRosterState(t, dbPath)); d != "" {
		t.Errorf("a dry run wrote (-before +after):\n%s", d)
	}

	code, out, errOut = runArgs(t, ctx, "roster", "import", "-config", cfgPath, good)
	if code != 0 || !strings.Contains(out, "名册已导入：新增 2 个单位，更新 1 个，未变 0 个") || strings.Contains(out, "key-a") {
		t.Fatalf("import: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	withStore(t, dbPath, func(st store.Store) {
		st.View(ctx, func(tx store.Tx) error {
			us, _ := store.UnitsOfOfficer(tx, "lisi")
			if len(us) != 2 || us[0].ID != "comm_a" || us[1].ID != "org_b" {
				t.Errorf("UnitsOfOfficer(lisi) = %+v", us)
			}
			if ids, _ := store.UnitsOfChat(tx, "chat_a"); len(ids) != 1 || ids[0] != "comm_a" {
				t.Errorf("UnitsOfChat(chat_a) = %v", ids)
			}
			if k, _ := store.WebhookKey(tx, "chat_a"); k != "key-a" {
				t.Errorf("webhook key %q", k)
			}
			u, _ := store.GetUnit(tx, "comm_a")
			if u.Sector != "sector_a" {
				t.Errorf("comm_a = %+v", u)
			}
			var audit []store.AuditEntry
			store.EachAudit(tx, 0, func(e store.AuditEntry) error { audit = append(audit, e); return nil })
			if len(audit) != 1 || audit[0].Action != roster.AuditAction || audit[0].Target != "名册.csv" || !strings.HasPrefix(audit[0].Actor, "cli") {
				t.Errorf("audit %+v", audit)
			}
			return nil
		})
	})
}

func TestRosterTemplateCommand(t *testing.T) {
	ctx := context.Background()
	cfgPath, _ := dataCareConfig(t)
	for _, name := range []string{"模板.xlsx", "模板.csv"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if code, _, errOut := runArgs(t, ctx, "roster", "template", "-o", path); code != 0 {
				t.Fatalf("template: exit %d: %s", code, errOut)
			}
			code, out, errOut := runArgs(t, ctx, "roster", "import", "-dry-run", "-config", cfgPath, path)
			if code != 0 || !strings.Contains(out, "新增 6 个单位") {
				t.Errorf("dry-run import of the template: exit %d\n%s\n%s", code, out, errOut)
			}
		})
	}
}

func TestRosterCommandUsage(t *testing.T) {
	ctx := context.Background()
	cfgPath, _ := dataCareConfig(t)
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"roster"}, 2, "用法"},
		{[]string{"roster", "export"}, 2, "未知子命令"},
		{[]string{"roster", "import", "-config", cfgPath}, 2, "请给出名册文件"},
		{[]string{"roster", "import", "-config", cfgPath, "a.csv", "b.csv"}, 2, "多余的参数"},
		{[]string{"roster", "import", "-config", cfgPath, "nope.csv"}, 1, "无法读取名册文件"},
		{[]string{"roster", "template"}, 2, "-o"},
		{[]string{"roster", "template", "-o", "x.txt"}, 2, ".xlsx"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, errOut := runArgs(t, ctx, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.err)
			}
		})
	}
}
