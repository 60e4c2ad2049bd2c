package workbook

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/ledger"
	"firebot/store"
	"firebot/store/embedded"
)

var cst = time.FixedZone("CST", 8*3600)

// exportNow is the campaign clock at the export: the morning of December 1.
var exportNow = time.Date(2023, 12, 1, 9, 0, 0, 0, cst)

// loadConfig loads the example configuration with media under dir.
func loadConfig(tb testing.TB, mediaDir string) *config.Config {
	tb.Helper()
	cfg := configtest.Example(tb)
	cfg.Media.Dir = mediaDir
	return cfg
}

func openStore(tb testing.TB, path string) store.Store {
	tb.Helper()
	st, err := embedded.Open(path, embedded.Options{Real: clock.NewFake(exportNow)})
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// fixture is a store with the example's roster and a handful of records
// covering every case the report shows.
type fixture struct {
	st    store.Store
	cfg   *config.Config
	media string
	// ids of the records made, by name
	theme, drill, returned, school, withdrawn, nomination string
	deeds                                                 string
	photos                                                map[string][]byte // zip name → content
	files                                                 map[string]string // zip name → file under media
}

const (
	unitComm   = "comm_xuetianwan" // 学田湾社区
	unitSchool = "org_school_a"    // 示例实验小学
)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixtureIn(t, t.TempDir())
	t.Cleanup(func() { f.st.Close() })
	return f
}

// newFixtureIn makes the fixture in dir; the caller closes f.st.
func newFixtureIn(t testing.TB, dir string) *fixture {
	t.Helper()
	f := &fixture{media: filepath.Join(dir, "media"), photos: map[string][]byte{}}
	f.cfg = loadConfig(t, f.media)
	for i := range f.cfg.Units {
		if f.cfg.Units[i].ID == unitComm { // a contact, and an officer with a name
			f.cfg.Units[i].Contact = &campaign.Person{Name: "李主任", Phone: "023-63600001"}
			f.cfg.Units[i].OfficerInfo = []campaign.Person{{ID: "zhangsan", Name: "张三", Phone: "13800000001"}, {ID: "lisi"}}
		}
	}
	f.st = openStore(t, filepath.Join(dir, "firebot.db"))

	// 1000 characters of deeds: every character distinct enough that a cut
	// anywhere would show.
	var b strings.Builder
	for i := 0; b.Len() == 0 || len([]rune(b.String())) < 1000; i++ {
		b.WriteString(fmt.Sprintf("第%d年带队巡查消防通道，", i%10))
	}
	f.deeds = string([]rune(b.String())[:1000])

	photo := func(name string, content string) string {
		p := filepath.Join(f.media, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	c := &f.cfg.Campaign
	at := func(day, hour int) time.Time { return time.Date(2023, 11, day, hour, 0, 0, 0, cst) }

	err := f.st.Update(context.Background(), func(tx store.Tx) error {
		if _, err := store.SeedRoster(tx, f.cfg.Units, "config"); err != nil {
			return err
		}
		// The office user's name, as user/get gave it (LearnNames).
		if err := store.PutUserName(tx, "zhujun", store.UserName{Name: "朱军", At: exportNow}); err != nil {
			return err
		}
		put := func(id *string, r *store.Record, payload any) error {
			r.CampaignID = c.ID
			r.UpdatedAt = r.CreatedAt
			if err := ledger.Encode(r, payload); err != nil {
				return err
			}
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
			*id = r.ID
			return nil
		}
		// HD-0001: the community's theme publicity, two photos.
		if err := put(&f.theme, &store.Record{Kind: store.KindConfirmation, UnitID: unitComm, TaskID: "theme_publicity",
			ReporterID: "zhangsan", CreatedAt: at(5, 16)}, ledger.Confirmation{
			Date: "2023-11-05", Place: "学田湾正街59号", Description: "社区消防宣传进楼栋，发放资料300份。",
			Fields: map[string]string{"participants": "120"},
			Photos: []string{photo("HD-0001-1.jpg", testJPEG(t, 640, 480)), photo("HD-0001-2.png", "photo two")}, ReporterName: "张三",
		}); err != nil {
			return err
		}
		// HD-0002: the community's all-hands drill; its second photo is gone from disk.
		if err := put(&f.drill, &store.Record{Kind: store.KindConfirmation, UnitID: unitComm, TaskID: "all_hands_drill",
			ReporterID: "lisi", CreatedAt: at(9, 11)}, ledger.Confirmation{
			Date: "2023-11-09", Fields: map[string]string{"participants": "85"}, ReporterName: "李四",
			Photos: []string{photo("HD-0002-1.jpg", testPNG(t, 300, 600)), "HD-0002-2.jpg"},
		}); err != nil {
			return err
		}
		// HD-0003: the community's 四个一, sent back by the office.
		if err := put(&f.returned, &store.Record{Kind: store.KindConfirmation, UnitID: unitComm, TaskID: "four_ones",
			ReporterID: "zhangsan", Status: store.StatusReturned, CreatedAt: at(12, 10)}, ledger.Confirmation{
			Date: "2023-11-12", Fields: map[string]string{"evacuation_route": "30", "equipment": "20", "home_check": "15", "base_visit": "0"},
			ReporterName: "张三", ReturnReason: "照片不清晰，请补充活动现场照片", ReturnedBy: "zhujun",
			Photos: []string{photo("HD-0003-1.jpg", "blurred")},
		}); err != nil {
			return err
		}
		// HD-0004: the school's drill, entered by the office (代录); its photo
		// is still under pending/.
		if err := put(&f.school, &store.Record{Kind: store.KindConfirmation, UnitID: unitSchool, TaskID: "evacuation_drill",
			ReporterID: "zhujun", CreatedAt: at(20, 15)}, ledger.Confirmation{
			Date: "2023-11-17", Fields: map[string]string{"participants": "1200"}, Place: "操场",
			ReporterName: "何平", EnteredBy: "zhujun", SuppliedBy: "王老师 13900000000", Photos: []string{photo("pending/0a1b2c.JPG", "school drill")},
		}); err != nil {
			return err
		}
		// HD-0005: withdrawn; appears nowhere.
		if err := put(&f.withdrawn, &store.Record{Kind: store.KindConfirmation, UnitID: unitSchool, TaskID: "warning_education",
			ReporterID: "heping", Status: store.StatusWithdrawn, CreatedAt: at(21, 9)}, ledger.Confirmation{
			Date: "2023-11-21", Fields: map[string]string{"participants": "40"}, Photos: []string{photo("HD-0005-1.jpg", "withdrawn")},
		}); err != nil {
			return err
		}
		// TJ-0001: the community's nomination: late, under two years, 1000 characters of deeds.
		if err := put(&f.nomination, &store.Record{Kind: store.KindNomination, UnitID: unitComm, ReporterID: "zhangsan",
			CreatedAt: time.Date(2023, 10, 29, 10, 30, 0, 0, cst)}, ledger.Nomination{
			NomineeKind: "个人", Name: "王秀英", Affiliation: "学田湾社区红袖章巡逻队", Years: 1, YearsReason: "退休后加入，表现突出",
			Scope: 2, Deeds: f.deeds, Phone: "13800138000", RecommenderID: "zhangsan", RecommenderName: "张三",
			Late: true, UnderYears: true,
		}); err != nil {
			return err
		}
		// 学田湾社区 does not have to report on the learning platform.
		return ledger.MarkNotApplicable(tx, c.ID, unitComm, ledger.NotApplicable{
			TaskID: "cloud_learning", Reason: "已由区里统一组织", By: "zhujun", At: at(15, 10)})
	})
	if err != nil {
		t.Fatal(err)
	}
	f.files = map[string]string{
		"学田湾社区/" + f.theme + "-1.jpg":   "HD-0001-1.jpg",
		"学田湾社区/" + f.theme + "-2.png":   "HD-0001-2.png",
		"学田湾社区/" + f.drill + "-1.jpg":   "HD-0002-1.jpg",
		"示例实验小学/" + f.school + "-1.jpg": "pending/0a1b2c.JPG",
	}
	for zn, file := range f.files {
		b, err := os.ReadFile(filepath.Join(f.media, filepath.FromSlash(file)))
		if err != nil {
			t.Fatal(err)
		}
		f.photos[zn] = b
	}
	return f
}

// rewritePhotos replaces every photo's content with content(zip name).
func (f *fixture) rewritePhotos(t testing.TB, content func(zipName string) []byte) {
	t.Helper()
	for zn, file := range f.files {
		b := content(zn)
		if err := os.WriteFile(filepath.Join(f.media, filepath.FromSlash(file)), b, 0o644); err != nil {
			t.Fatal(err)
		}
		f.photos[zn] = b
	}
}

// The workbook of the fixture, exported once for the tests that only read
// it (an export takes a second or two under the race detector).
var shared struct {
	once sync.Once
	dir  string
	f    *fixture
	wb   *excelize.File
}

func sharedExport(t *testing.T) (*fixture, *excelize.File) {
	t.Helper()
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "firebot-report-test-")
		if err != nil {
			t.Fatal(err)
		}
		shared.dir = dir
		f := newFixtureIn(t, dir)
		defer f.st.Close()
		shared.wb = exportWorkbook(t, f)
		shared.f = f
	})
	if shared.f == nil {
		t.Fatal("the shared fixture could not be made")
	}
	return shared.f, shared.wb
}

// testJPEG and testPNG are real pictures (a gradient with a red square in
// the top-left corner) for the thumbnails.
func testJPEG(t testing.TB, w, h int) string {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func testPNG(t testing.TB, w, h int) string {
	var b bytes.Buffer
	if err := png.Encode(&b, testImage(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func testImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 200, 255}
			if x < w/4 && y < h/4 {
				c = color.RGBA{220, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}
