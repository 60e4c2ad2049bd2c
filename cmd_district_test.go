package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"firebot/archive"
	"firebot/clock"
	"firebot/config"
	"firebot/ledger"
	"firebot/service"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/workbook"
)

// The example district's streets, as the commands list them.
const exampleStreets = "chaotianmen（朝天门街道）、jiefangbei（解放碑街道）、shangqingsi（上清寺街道）"

// districtSetup writes the example district with its store in a short
// temporary directory (the admin socket, beside the store, must fit
// sun_path) and records in two streets: a drill and a nomination each,
// by their own units. It returns the district file and the store file.
func districtSetup(t *testing.T) (cfgPath, dbPath string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "fbd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	dbPath = filepath.Join(dir, "firebot.db")
	cfgPath = districtFiles(t, dbPath)
	st, err := embedded.Open(dbPath, embedded.Options{Real: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2023, 11, 9, 10, 0, 0, 0, time.UTC)
	for _, s := range []struct{ street, unit, officer, task, nominee string }{
		{"jiefangbei", "comm_jiefangbei", "liming", "all_hands_drill", "解放碑志愿者"},
		{"shangqingsi", "comm_xuetianwan", "zhangsan", "theme_publicity", "上清寺志愿者"},
	} {
		err := st.Street(s.street).Update(context.Background(), func(tx store.Tx) error {
			r := &store.Record{Kind: store.KindConfirmation, CampaignID: "2023-119", UnitID: s.unit, TaskID: s.task,
				ReporterID: s.officer, CreatedAt: at, UpdatedAt: at}
			if err := ledger.Encode(r, ledger.Confirmation{Date: "2023-11-09", Fields: map[string]string{"participants": "80"}}); err != nil {
				return err
			}
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
			n := &store.Record{Kind: store.KindNomination, CampaignID: "2023-119", UnitID: s.unit, ReporterID: s.officer, CreatedAt: at, UpdatedAt: at}
			if err := ledger.Encode(n, ledger.Nomination{NomineeKind: "个人", Name: s.nominee, Affiliation: "志愿队", Years: 3, Scope: 1,
				Deeds: "巡查", Phone: "13800000000", RecommenderID: s.officer}); err != nil {
				return err
			}
			return store.PutRecord(tx, n)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return cfgPath, dbPath
}

// streetCSV runs export -street street into a details CSV and returns it.
func streetCSV(t *testing.T, cfgPath, street string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), street+".csv")
	if code, _, errOut := runArgs(t, context.Background(), "export", "-config", cfgPath, "-street", street, "-o", out); code != 0 {
		t.Fatalf("export -street %s: exit %d: %s", street, code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDistrictStreetFlag: with a district file, -street picks the street's
// data only; a per-street command without it, or with a street the
// district lacks, names the file and lists the streets, and exits 2.
func TestDistrictStreetFlag(t *testing.T) {
	ctx := context.Background()
	cfgPath, dbPath := districtSetup(t)
	jfb, sqs := streetCSV(t, cfgPath, "jiefangbei"), streetCSV(t, cfgPath, "shangqingsi")
	if !strings.Contains(jfb, "解放碑社区") || strings.Contains(jfb, "学田湾社区") {
		t.Errorf("jiefangbei's details:\n%s", jfb)
	}
	if !strings.Contains(sqs, "学田湾社区") || strings.Contains(sqs, "解放碑社区") {
		t.Errorf("shangqingsi's details:\n%s", sqs)
	}

	code, out, errOut := runArgs(t, ctx, "reminders", "plan", "-config", cfgPath, "-street", "jiefangbei")
	if code != 0 || !strings.Contains(out, "report_chase") || strings.Contains(out, "nomination_chase") {
		t.Errorf("reminders plan -street jiefangbei: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}

	roster := filepath.Join(t.TempDir(), "名册.csv")
	if err := os.WriteFile(roster, []byte("单位编号,单位名称,类型,所属板块,类别,安全员,群聊ID,群机器人key,联系人,联系电话\n"+
		"comm_new,朝天门新社区,社区,,,ctm_officer,chat_ctm_new,,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	csvOut := filepath.Join(t.TempDir(), "x.csv")
	perStreet := [][]string{
		{"reminders", "plan", "-config", cfgPath},
		{"roster", "import", "-config", cfgPath, roster},
		{"archive", "-config", cfgPath, "-force"},
		{"chat", "-config", cfgPath},
		{"export", "-config", cfgPath, "-o", csvOut},
	}
	for _, args := range perStreet {
		code, _, errOut := runArgs(t, ctx, args...)
		if code != 2 || !strings.Contains(errOut, cfgPath) || !strings.Contains(errOut, exampleStreets) {
			t.Errorf("%v without -street: exit %d, stderr %q", args, code, errOut)
		}
		code, _, errOut = runArgs(t, ctx, append(args, "-street", "nosuch")...)
		if code != 2 || !strings.Contains(errOut, `没有街道 "nosuch"`) || !strings.Contains(errOut, exampleStreets) {
			t.Errorf("%v -street nosuch: exit %d, stderr %q", args, code, errOut)
		}
	}
	if _, err := os.Stat(csvOut); !os.IsNotExist(err) {
		t.Errorf("a refused export wrote %s", csvOut)
	}

	// roster import and archive act in their street only.
	if code, out, errOut := runArgs(t, ctx, "roster", "import", "-config", cfgPath, "-street", "chaotianmen", roster); code != 0 {
		t.Fatalf("roster import -street chaotianmen: exit %d: %s%s", code, out, errOut)
	}
	if code, out, errOut := runArgs(t, ctx, "archive", "-config", cfgPath, "-street", "jiefangbei", "-force"); code != 0 {
		t.Fatalf("archive -street jiefangbei: exit %d: %s%s", code, out, errOut)
	}
	withDistrictStore(t, dbPath, func(st *embedded.Store) {
		for _, s := range []struct {
			street   string
			unit     bool
			archived bool
		}{{"chaotianmen", true, false}, {"jiefangbei", false, true}, {"shangqingsi", false, false}} {
			err := st.Street(s.street).View(ctx, func(tx store.Tx) error {
				units, err := store.Roster(tx)
				if err != nil {
					return err
				}
				if _, ok := units.Unit("comm_new"); ok != s.unit {
					t.Errorf("%s: imported unit there %v, want %v", s.street, ok, s.unit)
				}
				archived, err := archive.IsArchived(tx, "2023-119")
				if archived != s.archived {
					t.Errorf("%s: archived %v, want %v", s.street, archived, s.archived)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}

// withDistrictStore opens a district's store file between two commands.
func withDistrictStore(t *testing.T, dbPath string, fn func(*embedded.Store)) {
	t.Helper()
	st, err := embedded.Open(dbPath, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fn(st)
}

// TestSingleStreetFlag: a lone configuration file has no street id, so a
// -street given with it is refused rather than ignored.
func TestSingleStreetFlag(t *testing.T) {
	cfg := tempConfig(t)
	code, _, errOut := runArgs(t, context.Background(), "reminders", "plan", "-config", cfg, "-street", "jiefangbei")
	if code != 2 || !strings.Contains(errOut, cfg) || !strings.Contains(errOut, "没有街道 id") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// checkDistrictWorkbook opens a district export and checks it has every
// street: a summary line each and both streets' nominations.
func checkDistrictWorkbook(t *testing.T, path string) {
	t.Helper()
	wb, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	var sum, noms strings.Builder
	for _, sheet := range []struct {
		name string
		b    *strings.Builder
	}{{workbook.SheetSummary, &sum}, {workbook.SheetNominations, &noms}} {
		rows, err := wb.GetRows(sheet.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			sheet.b.WriteString(strings.Join(r, "|") + "\n")
		}
	}
	for _, name := range []string{"朝天门街道", "解放碑街道", "上清寺街道"} {
		if !strings.Contains(sum.String(), name) {
			t.Errorf("summary lacks %s:\n%s", name, sum.String())
		}
	}
	for _, n := range []string{"解放碑街道 TJ-0001", "解放碑志愿者", "上清寺街道 TJ-0001", "上清寺志愿者"} {
		if !strings.Contains(noms.String(), n) {
			t.Errorf("nominations lack %s:\n%s", n, noms.String())
		}
	}
}

// TestDistrictExport: export with a district file and no -street writes
// the district workbook; the per-street parts are refused without -street.
func TestDistrictExport(t *testing.T) {
	cfgPath, _ := districtSetup(t)
	out := filepath.Join(t.TempDir(), "district.xlsx")
	code, stdout, errOut := runArgs(t, context.Background(), "export", "-config", cfgPath, "-o", out)
	if code != 0 || !strings.Contains(stdout, "全区汇总表（3 个街道）") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	checkDistrictWorkbook(t, out)
	photos := filepath.Join(t.TempDir(), "p.zip")
	code, _, errOut = runArgs(t, context.Background(), "export", "-config", cfgPath, "-o", out, "-photos", photos)
	if code != 2 || !strings.Contains(errOut, "-street") {
		t.Errorf("district export with -photos: exit %d, stderr %q", code, errOut)
	}
}

// TestDistrictBackupRestore: backup with a district file copies the whole
// store, every street; restored as another deployment's store, each
// street's data is there, apart as before.
func TestDistrictBackupRestore(t *testing.T) {
	cfgPath, _ := districtSetup(t)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if code, out, errOut := runArgs(t, context.Background(), "backup", "-config", cfgPath, "-o", backup); code != 0 || !strings.Contains(out, "已备份") {
		t.Fatalf("backup: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	restored := restoreTo(t, backup)
	jfb, sqs := streetCSV(t, restored, "jiefangbei"), streetCSV(t, restored, "shangqingsi")
	if !strings.Contains(jfb, "解放碑社区") || strings.Contains(jfb, "学田湾社区") {
		t.Errorf("restored jiefangbei:\n%s", jfb)
	}
	if !strings.Contains(sqs, "学田湾社区") || strings.Contains(sqs, "解放碑社区") {
		t.Errorf("restored shangqingsi:\n%s", sqs)
	}
}

// restoreTo copies a backup in place of a new district deployment's store
// and returns that deployment's district file.
func restoreTo(t *testing.T, backup string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "fbr")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	data, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "firebot.db")
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return districtFiles(t, db)
}

// TestDistrictCommandsThroughService: while the district's serve holds
// the store file, the commands run in it through its admin socket: a
// street's export in that street, the district export and the backup of
// the whole store at the district's level.
func TestDistrictCommandsThroughService(t *testing.T) {
	ctx := context.Background()
	cfgPath, _ := districtSetup(t)
	dist, problems, err := config.LoadDistrict(cfgPath)
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d, err := service.OpenDistrict(ctx, dist, service.Options{Listener: ln, ManualOutbox: true, ManualScheduler: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(ctx); err != nil {
		d.Shutdown(ctx)
		t.Fatal(err)
	}
	defer d.Shutdown(ctx)
	if d.AdminAddr() == "" {
		t.Fatal("the district opened no admin socket")
	}

	jfb := streetCSV(t, cfgPath, "jiefangbei")
	if !strings.Contains(jfb, "解放碑社区") || strings.Contains(jfb, "学田湾社区") {
		t.Errorf("jiefangbei's details through the service:\n%s", jfb)
	}
	code, out, errOut := runArgs(t, ctx, "reminders", "plan", "-config", cfgPath, "-street", "shangqingsi")
	if code != 0 || !strings.Contains(out, "nomination_chase") {
		t.Errorf("reminders plan -street shangqingsi: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	xlsx := filepath.Join(t.TempDir(), "district.xlsx")
	if code, out, errOut := runArgs(t, ctx, "export", "-config", cfgPath, "-o", xlsx); code != 0 {
		t.Fatalf("district export: exit %d: %s%s", code, out, errOut)
	}
	checkDistrictWorkbook(t, xlsx)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if code, out, errOut := runArgs(t, ctx, "backup", "-config", cfgPath, "-o", backup); code != 0 {
		t.Fatalf("backup: exit %d: %s%s", code, out, errOut)
	}
	if err := d.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	sqs := streetCSV(t, restoreTo(t, backup), "shangqingsi")
	if !strings.Contains(sqs, "学田湾社区") || strings.Contains(sqs, "解放碑社区") {
		t.Errorf("shangqingsi from the online backup:\n%s", sqs)
	}
}

// TestCampaignCloneDistrictStreet: campaign clone from a district file
// clones the campaign of the street -street names, from its street file,
// and says how to put the new file in place; without -street it lists the
// streets.
func TestCampaignCloneDistrictStreet(t *testing.T) {
	ctx := context.Background()
	cfgPath := districtFiles(t, filepath.Join(t.TempDir(), "firebot.db"))
	to := filepath.Join(t.TempDir(), "jiefangbei-2024.yaml")
	code, _, errOut := runArgs(t, ctx, "campaign", "clone", "-from", cfgPath, "-to", to, "-year", "2024")
	if code != 2 || !strings.Contains(errOut, exampleStreets) {
		t.Errorf("without -street: exit %d, stderr %q", code, errOut)
	}
	code, out, errOut := runArgs(t, ctx, "campaign", "clone", "-from", cfgPath, "-street", "jiefangbei", "-to", to, "-year", "2024")
	if code != 0 || !strings.Contains(out, "替换街道目录里的") || !strings.Contains(out, "jiefangbei.yaml") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	b, err := os.ReadFile(to)
	if err != nil {
		t.Fatal(err)
	}
	if text := string(b); !strings.Contains(text, "name: 解放碑街道") || !strings.Contains(text, "2024-12-05") || strings.Contains(text, "wecom") {
		t.Errorf("the new street file:\n%s", text)
	}
}
