package workbook

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/config"
	"firebot/ledger"
	"firebot/store"
)

// Large campaigns for the benchmarks and the memory check: n units (a
// third communities, the rest organisations of every category) with the
// example's tasks, 10 confirmations per unit and a nomination for every
// tenth unit, each with 500 characters of deeds.

var (
	benchMu    sync.Mutex
	benchDir   string
	benchFiles = map[int]string{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range []string{benchDir, shared.dir} {
		if d != "" {
			os.RemoveAll(d)
		}
	}
	os.Exit(code)
}

// bigRoster is the example's sectors and n generated units.
func bigRoster(base *config.Config, n int) campaign.Roster {
	var r campaign.Roster
	var sectors []string
	for _, u := range base.Units {
		if u.Kind == campaign.KindSector {
			r = append(r, u)
			sectors = append(sectors, u.ID)
		}
	}
	cats := campaign.Categories()
	for i := range n {
		u := campaign.Unit{ID: fmt.Sprintf("u%05d", i), Sector: sectors[i%len(sectors)], Officers: []string{fmt.Sprintf("officer%05d", i)}}
		if i%3 == 0 {
			u.Kind, u.Name = campaign.KindCommunity, fmt.Sprintf("第%d社区", i)
		} else {
			u.Kind, u.Category = campaign.KindOrganisation, cats[i%len(cats)]
			u.Name = fmt.Sprintf("示例%s%d号", u.Category, i)
		}
		r = append(r, u)
	}
	return r
}

// bigConfig is the example configuration with a generated roster.
func bigConfig(tb testing.TB, n int) *config.Config {
	cfg := loadConfig(tb, tb.TempDir())
	cfg.Units = bigRoster(cfg, n)
	return cfg
}

// bigStore returns the path of a store file of n units, made once per
// test binary.
func bigStore(tb testing.TB, n int) string {
	tb.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if p, ok := benchFiles[n]; ok {
		return p
	}
	if benchDir == "" {
		d, err := os.MkdirTemp("", "firebot-report-bench-")
		if err != nil {
			tb.Fatal(err)
		}
		benchDir = d
	}
	path := filepath.Join(benchDir, fmt.Sprintf("units-%d.db", n))
	cfg := bigConfig(tb, n)
	st := openStore(tb, path)
	defer st.Close()
	c := &cfg.Campaign
	deeds := string([]rune(strings.Repeat("长期参与社区消防巡查和宣传，组织居民疏散演练。", 25))[:500])
	ctx := context.Background()
	const batch = 250
	for start := 0; start < len(cfg.Units); start += batch {
		units := cfg.Units[start:min(start+batch, len(cfg.Units))]
		err := st.Update(ctx, func(tx store.Tx) error {
			if start == 0 {
				if _, err := store.SeedRoster(tx, cfg.Units, "config"); err != nil {
					return err
				}
			}
			for i, u := range units {
				tasks := c.TasksFor(u)
				if len(tasks) == 0 {
					continue
				}
				k := start + i
				for j := range 10 {
					t := tasks[j%len(tasks)]
					fields := map[string]string{}
					for _, f := range t.Fields {
						fields[f.ID] = strconv.Itoa(10 + j)
					}
					r := &store.Record{Kind: store.KindConfirmation, CampaignID: c.ID, UnitID: u.ID, TaskID: t.ID,
						ReporterID: u.Officers[0], CreatedAt: time.Date(2023, 11, 1+j, 10, k%60, 0, 0, cst)}
					if err := ledger.Encode(r, ledger.Confirmation{
						Date: fmt.Sprintf("2023-11-%02d", 1+j), Fields: fields, Place: u.Name + "大院",
						Description: "组织开展消防宣传活动，发放宣传资料，讲解灭火器使用方法。", ReporterName: "安全员",
						Photos: []string{"x-1.jpg", "x-2.jpg"},
					}); err != nil {
						return err
					}
					if err := store.PutRecord(tx, r); err != nil {
						return err
					}
				}
				if k%10 == 0 {
					r := &store.Record{Kind: store.KindNomination, CampaignID: c.ID, UnitID: u.ID, ReporterID: u.Officers[0],
						CreatedAt: time.Date(2023, 10, 25, 10, 0, 0, 0, cst)}
					if err := ledger.Encode(r, ledger.Nomination{NomineeKind: "个人", Name: fmt.Sprintf("志愿者%d", k),
						Affiliation: u.Name, Years: 3, Scope: 2, Deeds: deeds, Phone: "13800138000", RecommenderID: u.Officers[0]}); err != nil {
						return err
					}
					if err := store.PutRecord(tx, r); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	benchFiles[n] = path
	return path
}

func BenchmarkExport(b *testing.B) {
	for _, n := range []int{500, 2000, 8000} {
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			path := bigStore(b, n)
			cfg := bigConfig(b, n)
			st := openStore(b, path)
			defer st.Close()
			tmp := b.TempDir()
			b.ReportAllocs()
			b.ResetTimer()
			var size int64
			for b.Loop() {
				cw := &countWriter{w: io.Discard}
				if err := Write(context.Background(), cw, st, cfg, Options{Now: exportNow, TmpDir: tmp}); err != nil {
					b.Fatal(err)
				}
				size = cw.n
			}
			b.ReportMetric(float64(size)/1e6, "MB-xlsx")
		})
	}
}

// TestExportPeakRSS measures the peak resident memory of a separate
// process exporting a large campaign. It is slow, so it runs only when
// asked: FIREBOT_REPORT_RSS_UNITS=2000 go test -run PeakRSS ./workbook
func TestExportPeakRSS(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("FIREBOT_REPORT_RSS_UNITS"))
	if n <= 0 {
		t.Skip("set FIREBOT_REPORT_RSS_UNITS to measure")
	}
	path := bigStore(t, n)
	cmd := exec.Command(os.Args[0], "-test.run=^TestExportRSSChild$", "-test.v")
	cmd.Env = append(os.Environ(), "FIREBOT_REPORT_RSS_CHILD="+path, "FIREBOT_REPORT_RSS_UNITS=")
	cmd.Env = append(cmd.Env, "FIREBOT_REPORT_RSS_CHILD_UNITS="+strconv.Itoa(n))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var hwm int
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "VmHWM:" {
			hwm, _ = strconv.Atoi(f[1])
		}
	}
	t.Logf("%d units: child output:\n%s", n, out)
	if hwm == 0 {
		t.Fatal("no VmHWM in the child's output")
	}
	if n <= 2000 && hwm > 300*1024 {
		t.Errorf("peak RSS %d MB > 300 MB", hwm/1024)
	}
}

// TestExportRSSChild is the measured process of TestExportPeakRSS.
func TestExportRSSChild(t *testing.T) {
	path := os.Getenv("FIREBOT_REPORT_RSS_CHILD")
	if path == "" {
		t.Skip("run by TestExportPeakRSS")
	}
	n, _ := strconv.Atoi(os.Getenv("FIREBOT_REPORT_RSS_CHILD_UNITS"))
	cfg := bigConfig(t, n)
	st := openStore(t, path)
	defer st.Close()
	out, err := os.Create(filepath.Join(t.TempDir(), "report.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	start := time.Now()
	if err := Write(context.Background(), out, st, cfg, Options{Now: exportNow, TmpDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	fi, _ := out.Stat()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") || strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "RssAnon:") || strings.HasPrefix(line, "RssFile:") {
			fmt.Println(line)
		}
	}
	fmt.Printf("export: %v, %d bytes\n", elapsed.Round(time.Millisecond), fi.Size())
}
