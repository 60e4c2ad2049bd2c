package roster

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"firebot/campaign"
	"firebot/store"
)

// validCSV adds a sector, a community and a school, and updates two
// stored units.
var validCSV = csvOf(
	csvHeader,
	"sector_mid,中片板块,板块,,,zhaoliu,,",
	"comm_b,曾家岩社区,社区,中片板块,,qianqi、zhaoliu,chat_b,https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=key-b",
	`org_b,示例第二中学,社会单位,sector_mid,学校,"lisi, heping",chat_c 、chat_new,`,
	"comm_a,学田湾社区,社区,北片板块,,zhangsan,,",
	",示例实验小学,社会单位,南片板块,学校,,,",
)

func TestImportCSV(t *testing.T) {
	ctx := context.Background()
	for _, bom := range []bool{false, true} {
		t.Run(map[bool]string{false: "no BOM", true: "BOM"}[bom], func(t *testing.T) {
			st := seeded(t)
			data := validCSV
			if bom {
				data = append(append([]byte(nil), utf8BOM...), data...)
			}
			res, err := Import(ctx, st, data, importOpts("units.csv"))
			if err != nil {
				t.Fatal(err)
			}
			checkApplied(t, st, res)
		})
	}
}

func TestImportGB18030(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(validCSV)
	if err != nil {
		t.Fatal(err)
	}
	st := seeded(t)
	res, err := Import(context.Background(), st, gb, importOpts("units.csv"))
	if err != nil {
		t.Fatal(err)
	}
	checkApplied(t, st, res)
}

// The same sheet as validCSV, as an office keeps it in Excel: a title row,
// a 序号 column, columns in another order, a blank row.
func TestImportXLSX(t *testing.T) {
	rows := [][]any{
		{"上清寺街道消防安全重点单位名册"},
		{"序号", "单位名称", "单位编号", "类型", "类别", "所属板块", "安全员", "群聊 ID", "群机器人Key（选填）", "备注"},
		{1, "中片板块", "sector_mid", "板块", nil, nil, "zhaoliu"},
		{2, "曾家岩社区", "comm_b", "社区", nil, "中片板块", "qianqi、zhaoliu", "chat_b", "key-b"},
		{},
		{3, "示例第二中学", "org_b", "社会单位", "学校", "sector_mid", "lisi,heping", "chat_c、chat_new", nil, "新增"},
		{4, "学田湾社区", "comm_a", "社区", nil, "北片板块", "zhangsan"},
		{5, "示例实验小学", nil, "社会单位", "学校", "南片板块"},
	}
	data := xlsxOf(t, rows)
	st := seeded(t)
	res, err := Import(context.Background(), st, data, importOpts("units.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	checkApplied(t, st, res)
	if res.Added[0].Row != 3 {
		t.Errorf("first added unit from row %d, want 3 (the spreadsheet's numbering)", res.Added[0].Row)
	}
}

func xlsxOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if len(r) == 0 {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func checkApplied(t *testing.T, st store.Store, res *Result) {
	t.Helper()
	checkAppliedBy(t, st, res, "cli:tester")
}

// checkAppliedBy is checkApplied with the audit's expected actor.
func checkAppliedBy(t *testing.T, st store.Store, res *Result, actor string) {
	t.Helper()
	if got := res.Summary(); got != "新增 3 个单位，更新 1 个，未变 1 个（读取 5 行 = 新增 + 更新 + 未变）" {
		t.Errorf("summary %q", got)
	}
	err := st.View(context.Background(), func(tx store.Tx) error {
		org, err := store.GetUnit(tx, "org_b")
		if err != nil {
			return err
		}
		want := campaign.Unit{ID: "org_b", Name: "示例第二中学", Kind: campaign.KindOrganisation, Sector: "sector_mid",
			Category: campaign.CategorySchool, Officers: []string{"lisi", "heping"},
			Chats: []campaign.Chat{{ID: "chat_c"}, {ID: "chat_new"}}}
		if d := cmp.Diff(want, org); d != "" {
			t.Errorf("org_b (-want +got):\n%s", d)
		}
		comm, _ := store.GetUnit(tx, "comm_b")
		if comm.Sector != "sector_mid" {
			t.Errorf("comm_b sector %q, want the id of 中片板块", comm.Sector)
		}
		for officer, want := range map[string][]string{
			"zhaoliu":  {"comm_b", "sector_mid"},
			"lisi":     {"org_b"}, // no longer an officer of comm_a
			"zhangsan": {"comm_a"},
			"heping":   {"org_a", "org_b"}, // org_a's empty 安全员 cell keeps heping
		} {
			us, err := store.UnitsOfOfficer(tx, officer)
			if err != nil {
				return err
			}
			var got []string
			for _, u := range us {
				got = append(got, u.ID)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("UnitsOfOfficer(%s) (-want +got):\n%s", officer, d)
			}
		}
		for chat, want := range map[string][]string{
			"chat_b": {"comm_b"}, "chat_c": {"org_b"}, "chat_new": {"org_b"}, "chat_comm_a": {"comm_a"},
		} {
			got, err := store.UnitsOfChat(tx, chat)
			if err != nil {
				return err
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("UnitsOfChat(%s) (-want +got):\n%s", chat, d)
			}
		}
		if k, err := store.WebhookKey(tx, "chat_b"); err != nil || k != "key-b" {
			t.Errorf("webhook key of chat_b = %q, %v", k, err)
		}
		if k, _ := store.WebhookKey(tx, "chat_comm_a"); k != "key-a" {
			t.Errorf("webhook key of chat_comm_a = %q, want it kept", k)
		}
		var audits []store.AuditEntry
		store.EachAudit(tx, 0, func(e store.AuditEntry) error { audits = append(audits, e); return nil })
		if len(audits) != 1 || audits[0].Action != AuditAction || audits[0].Actor != actor ||
			!audits[0].Allowed || audits[0].Detail != res.Summary() {
			t.Errorf("audit = %+v", audits)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestImportRejects(t *testing.T) {
	tests := []struct {
		name  string
		row   string // the bad row (sheet row 3, after a good row 2)
		want  string // in the problem's reason
		col   string
		atRow int // 0: 3
	}{
		{"unknown kind", "x1,某单位,学堂,,,,,", "未知的类型“学堂”", "类型", 0},
		{"missing kind", "x1,某单位,,,,,,", "缺少类型", "类型", 0},
		{"unknown category", "x1,某单位,社会单位,,网吧,,,", "未知的类别“网吧”", "类别", 0},
		{"organisation without category", "x1,某单位,社会单位,,,,,", "社会单位必须填写类别", "类别", 0},
		{"category on a community", "x1,某社区,社区,,学校,,,", "只有社会单位填写类别", "类别", 0},
		{"missing name", "x1,,社区,,,,,", "缺少单位名称", "单位名称", 0},
		{"bad id characters", "x 1,某社区,社区,,,,,", "单位编号“x 1”只能由", "单位编号", 0},
		{"new unit without id", ",全新社区,社区,,,,,", "缺少单位编号", "单位编号", 0},
		{"duplicate id in the file", "new_ok,另一个社区,社区,,,,,", "单位编号“new_ok”与第 2 行重复", "单位编号", 0},
		{"duplicate name in the file", "x1,新社区,社区,,,,,", "单位名称“新社区”与第 2 行重复", "单位名称", 0},
		{"name of another stored unit", "x1,学田湾社区,社区,,,,,", "与系统中已有的单位（编号 comm_a）重复", "单位名称", 0},
		{"sector not found", "x1,某社区,社区,东片板块,,,,", "所属板块“东片板块”不存在", "所属板块", 0},
		{"sector is not a sector", "x1,某社区,社区,学田湾社区,,,,", "“学田湾社区”是社区，不是板块", "所属板块", 0},
		{"sector inside a sector", "x1,东片板块,板块,北片板块,,,,", "板块本身不属于其他板块", "所属板块", 0},
		{"officer written as a name", "x1,某社区,社区,,,张三、lisi,,", "安全员“张三”不是有效的企业微信账号", "安全员", 0},
		{"officer with a bad character", "x1,某社区,社区,,,zhang#san,,", "安全员“zhang#san”", "安全员", 0},
		{"bad chat id", "x1,某社区,社区,,,,chat/1,", "群聊ID“chat/1”格式不对", "群聊ID", 0},
		{"key without exactly one chat", "x1,某社区,社区,,,,chat_b、chat_c,abc", "群聊ID必须恰好填写一个群", "群机器人key", 0},
		{"bad key", "x1,某社区,社区,,,,chat_b,ab$c", "群机器人key格式不对", "群机器人key", 0},
		{"sector emptied while stored units belong to it", "sector_north,北片板块,社区,,,,,", "仍有单位属于这个板块：学田湾社区", "类型", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := seeded(t)
			before := snap(t, st)
			data := csvOf(csvHeader, "new_ok,新社区,社区,南片板块,,qianqi,chat_new,", tt.row)
			for _, dry := range []bool{true, false} {
				opts := importOpts("bad.csv")
				opts.DryRun = dry
				res, err := Import(context.Background(), st, data, opts)
				var inv *InvalidError
				if !errors.As(err, &inv) || !errors.Is(err, ErrInvalid) || res != nil {
					t.Fatalf("dry %v: Import = %v, %v; want an *InvalidError", dry, res, err)
				}
				want := tt.atRow
				if want == 0 {
					want = 3
				}
				if len(inv.Problems) != 1 {
					t.Fatalf("dry %v: want one problem, got:\n%v", dry, err)
				}
				p := inv.Problems[0]
				if p.Row != want || p.Column != tt.col || !strings.Contains(p.Reason, tt.want) {
					t.Errorf("dry %v: problem %+v, want row %d column %s reason containing %q", dry, p, want, tt.col, tt.want)
				}
				if !strings.Contains(err.Error(), "未导入任何数据") || !strings.Contains(err.Error(), p.String()) {
					t.Errorf("error text:\n%s", err)
				}
			}
			if d := cmp.Diff(before, snap(t, st)); d != "" {
				t.Errorf("store changed by a rejected import (-before +after):\n%s", d)
			}
		})
	}
}

// Every problem of a file is reported at once, in row order.
func TestImportRejectsEveryRow(t *testing.T) {
	st := seeded(t)
	before := snap(t, st)
	data := csvOf(csvHeader,
		"a1,甲社区,社区,,,,,",
		"a1,乙社区,社区,,,,,",     // row 3: duplicate id
		"a3,丙单位,社会单位,,,,,",   // row 4: no category
		"a4,学田湾社区,社区,,,,,",   // row 5: stored name
		"a5,丁社区,社区,西片板块,,,,", // row 6: unknown sector
		"a6,戊社区,社区,,,王五,,",   // row 7: officer name
	)
	_, err := Import(context.Background(), st, data, importOpts("bad.csv"))
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("err = %v", err)
	}
	var rows []int
	for _, p := range inv.Problems {
		rows = append(rows, p.Row)
	}
	if d := cmp.Diff([]int{3, 4, 5, 6, 7}, rows); d != "" {
		t.Errorf("problem rows (-want +got):\n%s\n%v", d, err)
	}
	if d := cmp.Diff(before, snap(t, st)); d != "" {
		t.Errorf("store changed (-before +after):\n%s", d)
	}
}

func TestImportRejectsFile(t *testing.T) {
	tests := []struct {
		name string
		file string
		data []byte
		want string
	}{
		{"empty", "u.csv", nil, "文件是空的"},
		{"no header", "u.csv", csvOf("a,b,c", "1,2,3"), "没有找到表头"},
		{"header only", "u.csv", csvOf(csvHeader), "表头下面没有任何单位"},
		{"old xls", "u.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), "旧版 .xls"},
		{"xlsx name, other bytes", "u.xlsx", []byte("hello"), "不是有效的 .xlsx"},
		{"broken zip", "u.xlsx", []byte("PK\x03\x04garbage"), "无法打开 Excel 文件"},
		{"binary", "u.csv", []byte{0xff, 0xfe, 0, 0, 0xff}, "CSV"},
		{"duplicate column", "u.csv", csvOf(csvHeader+",安全员账号", "a,甲社区,社区,,,,,,"), "只能出现一次"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := seeded(t)
			before := snap(t, st)
			_, err := Import(context.Background(), st, tt.data, importOpts(tt.file))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrInvalid with %q", err, tt.want)
			}
			if d := cmp.Diff(before, snap(t, st)); d != "" {
				t.Errorf("store changed (-before +after):\n%s", d)
			}
		})
	}
}

func TestDryRun(t *testing.T) {
	ctx := context.Background()
	st := seeded(t)
	before := snap(t, st)
	opts := importOpts("units.csv")
	opts.DryRun = true
	dry, err := Import(ctx, st, validCSV, opts)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(before, snap(t, st)); d != "" {
		t.Errorf("dry run wrote (-before +after):\n%s", d)
	}
	var out bytes.Buffer
	dry.Format(&out)
	for _, want := range []string{
		"试运行（未写入任何数据）：将新增 3 个单位，更新 1 个，未变 1 个（读取 5 行 = 新增 + 更新 + 未变）。",
		"+ comm_b 曾家岩社区（第 3 行）",
		"所属板块：中片板块",
		"群机器人key：已设置",
		"~ comm_a 学田湾社区（第 5 行）",
		"安全员：zhangsan、lisi → zhangsan",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry-run output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "key-b") {
		t.Errorf("output shows a webhook key:\n%s", out.String())
	}
	real, err := Import(ctx, st, validCSV, importOpts("units.csv"))
	if err != nil {
		t.Fatal(err)
	}
	dry.DryRun = false
	if d := cmp.Diff(dry, real); d != "" {
		t.Errorf("dry run and real run differ (-dry +real):\n%s", d)
	}
	again, err := Import(ctx, st, validCSV, importOpts("units.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Summary(); got != "新增 0 个单位，更新 0 个，未变 5 个（读取 5 行 = 新增 + 更新 + 未变）" {
		t.Errorf("second import: %s", got)
	}
}

// On a store the service never started on, the configured roster is seeded
// first, so the sheet updates it instead of being overwritten by it later.
func TestImportSeedsFirst(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	res, err := Import(ctx, st, csvOf(csvHeader, "comm_a,学田湾社区,社区,北片板块,,zhangsan,,"), importOpts("u.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary() != "新增 0 个单位，更新 1 个，未变 0 个（读取 1 行 = 新增 + 更新 + 未变）" {
		t.Errorf("summary %s", res.Summary())
	}
	s := snap(t, st)
	if len(s.Units) != len(seedRoster) || s.Keys["chat_comm_a"] != "key-a" {
		t.Errorf("store after import: %+v", s)
	}
	// A seeded store is not seeded again.
	err = st.Update(ctx, func(tx store.Tx) error {
		seededAgain, err := store.SeedRoster(tx, seedRoster, "config")
		if seededAgain {
			t.Error("SeedRoster seeded again after an import")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestListCells(t *testing.T) {
	ctx := context.Background()
	st := seeded(t)
	// 无 clears officers and unbinds chats; a new chat list replaces the old.
	_, err := Import(ctx, st, csvOf(csvHeader,
		"comm_a,学田湾社区,社区,北片板块,,无,chat_b,",
		"org_a,示例实验小学,社会单位,南片板块,学校,heping,无,",
	), importOpts("u.csv"))
	if err != nil {
		t.Fatal(err)
	}
	st.View(ctx, func(tx store.Tx) error {
		u, _ := store.GetUnit(tx, "comm_a")
		if len(u.Officers) != 0 || len(u.Chats) != 1 || u.Chats[0].ID != "chat_b" {
			t.Errorf("comm_a = %+v", u)
		}
		if us, _ := store.UnitsOfChat(tx, "chat_comm_a"); len(us) != 0 {
			t.Errorf("chat_comm_a still bound to %v", us)
		}
		if us, _ := store.UnitsOfOfficer(tx, "zhangsan"); len(us) != 0 {
			t.Errorf("zhangsan still officer of %v", us)
		}
		return nil
	})
}
