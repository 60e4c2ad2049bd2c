package archive

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/ledger"
	"firebot/store"
	"firebot/store/embedded"
)

var cst = time.FixedZone("CST", 8*3600)

// lastDeadline of the 2023 test campaign.
var lastDeadline = time.Date(2023, 12, 1, 23, 59, 59, 0, cst)

var unit = campaign.Unit{ID: "comm_a", Name: "学田湾社区", Kind: campaign.KindCommunity}

func testConfig(id string, last time.Time) *config.Config {
	cfg := config.Default()
	cfg.Location = cst
	cfg.Campaign = campaign.Campaign{
		ID:   id,
		Name: "测试宣传月 " + id,
		Deadlines: []campaign.Deadline{
			{ID: "nomination_street", Time: last.AddDate(0, -1, -3), Covers: []string{campaign.CoversNomination}},
			{ID: "report", Time: last, Covers: []string{campaign.CoversReport}},
		},
		Tasks:      []campaign.Task{{ID: "drill", Name: "疏散演练", Deadline: "report"}},
		Nomination: &campaign.Nomination{Title: "最美消防志愿者"},
	}
	cfg.Units = campaign.Roster{unit}
	return cfg
}

type fixture struct {
	st    store.Store
	clock *clock.Fake // the campaign clock
	cfg   *config.Config
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := embedded.Open(filepath.Join(t.TempDir(), "firebot.db"), embedded.Options{Real: clock.NewFake(lastDeadline)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &fixture{st: st, clock: clock.NewFake(lastDeadline.Add(-10 * 24 * time.Hour)), cfg: testConfig("2023-119", lastDeadline)}
}

var nominations = []ledger.Nomination{
	{NomineeKind: "个人", Name: "王芳", Affiliation: "学田湾社区", Years: 3, Scope: 1, Deeds: "十年如一日开展消防宣传……", Phone: "13800138000", RecommenderID: "zhangsan"},
	{NomineeKind: "集体", Name: "学田湾志愿队", Affiliation: "学田湾社区", Years: 1, YearsReason: "新成立", Scope: 2, Deeds: "组织楼栋巡查", Phone: "023-63800000", RecommenderID: "lisi", Late: true},
}

// fill writes a confirmation and the nominations for campaign id.
func (f *fixture) fill(t *testing.T, id string) {
	t.Helper()
	err := f.st.Update(context.Background(), func(tx store.Tx) error {
		hd := &store.Record{Kind: store.KindConfirmation, CampaignID: id, UnitID: unit.ID, TaskID: "drill", ReporterID: "zhangsan", CreatedAt: f.clock.Now()}
		if err := ledger.Encode(hd, ledger.Confirmation{Date: "2023-11-09", Place: "小区广场", Fields: map[string]string{"participants": "120"}}); err != nil {
			return err
		}
		if err := store.PutRecord(tx, hd); err != nil {
			return err
		}
		for i, n := range nominations {
			r := &store.Record{Kind: store.KindNomination, CampaignID: id, UnitID: unit.ID, ReporterID: n.RecommenderID,
				CreatedAt: f.clock.Now().Add(time.Duration(i) * time.Minute)}
			if err := ledger.Encode(r, n); err != nil {
				return err
			}
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) records(t *testing.T, id string) []*store.Record {
	t.Helper()
	var out []*store.Record
	err := f.st.View(context.Background(), func(tx store.Tx) error {
		for _, k := range []store.Kind{store.KindConfirmation, store.KindNomination} {
			if err := store.EachRecord(tx, id, k, time.Time{}, time.Time{}, func(r *store.Record) error {
				out = append(out, r)
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fixture) audit(t *testing.T) []store.AuditEntry {
	t.Helper()
	var out []store.AuditEntry
	err := f.st.View(context.Background(), func(tx store.Tx) error {
		return store.EachAudit(tx, 0, func(e store.AuditEntry) error { out = append(out, e); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fixture) archived(t *testing.T, id string) bool {
	t.Helper()
	var got bool
	err := f.st.View(context.Background(), func(tx store.Tx) (err error) {
		got, err = IsArchived(tx, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (f *fixture) markExported(t *testing.T) {
	t.Helper()
	err := f.st.Update(context.Background(), func(tx store.Tx) error {
		return MarkExported(tx, f.cfg.Campaign.ID, f.clock.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestArchiveRefusals(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.fill(t, "2023-119")
	_, err := Archive(ctx, f.st, f.cfg, "cli:zhujun", Options{Now: f.clock.Now()})
	if !errors.Is(err, ErrNotExported) || !strings.Contains(refusalText(err, f.cfg.Location).Error(), "-force") {
		t.Errorf("archive before export: %v", err)
	}
	f.markExported(t)
	_, err = Archive(ctx, f.st, f.cfg, "cli:zhujun", Options{Now: f.clock.Now()})
	var r *Refusal
	if !errors.As(err, &r) || !errors.Is(err, ErrStillRunning) || !r.At.Equal(lastDeadline) ||
		!strings.Contains(refusalText(err, f.cfg.Location).Error(), "最后截止时间 2023-12-01 23:59 还没到") {
		t.Errorf("archive before the last deadline: %v", err)
	}
	if f.archived(t, "2023-119") || len(f.audit(t)) != 0 {
		t.Fatal("a refused archive wrote")
	}
	f.clock.Set(lastDeadline.Add(time.Hour))
	sum, err := Archive(ctx, f.st, f.cfg, "cli:zhujun", Options{Now: f.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Counts[store.KindConfirmation] != 1 || sum.Counts[store.KindNomination] != 2 || sum.Exported.IsZero() ||
		!sum.RedactFrom.Equal(lastDeadline.Add(config.DefaultRetention)) {
		t.Errorf("summary %+v", sum)
	}
	_, err = Archive(ctx, f.st, f.cfg, "cli:zhujun", Options{Now: f.clock.Now(), Force: true})
	if !errors.Is(err, ErrAlreadyArchived) {
		t.Errorf("second archive: %v", err)
	}
}

func TestArchiveForce(t *testing.T) {
	f := newFixture(t)
	sum, err := Archive(context.Background(), f.st, f.cfg, "cli:zhujun", Options{Now: f.clock.Now(), Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Exported.IsZero() || !f.archived(t, "2023-119") {
		t.Errorf("forced archive: %+v", sum)
	}
	if a := f.audit(t); len(a) != 1 || !strings.Contains(a[0].Detail, "-force") {
		t.Errorf("audit %+v", a)
	}
	if out := sum.Format(cst, nil); !strings.Contains(out, "没有导出记录") {
		t.Errorf("format:\n%s", out)
	}
}

// After archiving, the old campaign is read-only and the next one, on the
// same store, starts clean.
func TestArchiveThenNewCampaign(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.fill(t, "2023-119")
	f.markExported(t)
	f.clock.Set(lastDeadline.Add(24 * time.Hour))
	if _, err := Archive(ctx, f.st, f.cfg, "cli:zhujun", Options{Now: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if !f.archived(t, "2023-119") || f.archived(t, "2024-119") {
		t.Fatal("IsArchived wrong")
	}
	next := testConfig("2024-119", lastDeadline.AddDate(1, 0, 0))
	err := f.st.View(ctx, func(tx store.Tx) error {
		if err := CheckWritable(tx, "2023-119"); !errors.Is(err, ErrArchived) {
			t.Errorf("CheckWritable(old) = %v", err)
		}
		if err := CheckWritable(tx, "2024-119"); err != nil {
			t.Errorf("CheckWritable(new) = %v", err)
		}
		old, err := ledger.Of(tx, &f.cfg.Campaign, unit)
		if err != nil {
			return err
		}
		if !old.Reported() || len(old.Nominations) != 2 || len(old.Missing()) != 0 {
			t.Errorf("old campaign progress lost: %+v", old)
		}
		p, err := ledger.Of(tx, &next.Campaign, unit)
		if err != nil {
			return err
		}
		if p.Reported() || len(p.Nominations) != 0 || len(p.Missing()) != 1 {
			t.Errorf("new campaign does not start clean: %+v", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	a := f.audit(t)
	if len(a) != 1 || a[0].Action != AuditArchive || a[0].Target != "2023-119" || a[0].Actor != "cli:zhujun" {
		t.Errorf("audit %+v", a)
	}
}

func TestRedact(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.fill(t, "2023-119")
	f.markExported(t)
	f.clock.Set(lastDeadline.Add(time.Hour))
	if _, err := Archive(ctx, f.st, f.cfg, "cli:zhujun", Options{Now: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	before := f.records(t, "2023-119")
	auditBefore := len(f.audit(t))

	// The configuration has moved on to next year's campaign.
	next := testConfig("2024-119", lastDeadline.AddDate(1, 0, 0))
	f.fill(t, "2024-119")

	f.clock.Set(lastDeadline.Add(config.DefaultRetention - time.Second))
	if red, err := Redact(ctx, f.st, next, f.clock.Now()); err != nil || len(red) != 0 {
		t.Fatalf("before retention ends: %v, %v", red, err)
	}
	if d := cmp.Diff(before, f.records(t, "2023-119")); d != "" {
		t.Fatalf("redacted too early:\n%s", d)
	}

	f.clock.Set(lastDeadline.Add(config.DefaultRetention))
	red, err := Redact(ctx, f.st, next, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]Redaction{{CampaignID: "2023-119", Records: 2}}, red); d != "" {
		t.Errorf("redactions (-want +got):\n%s", d)
	}
	after := f.records(t, "2023-119")
	if len(after) != len(before) {
		t.Fatalf("%d records after, %d before", len(after), len(before))
	}
	for i := range before {
		b, a := before[i], after[i]
		if b.Kind == store.KindConfirmation {
			if d := cmp.Diff(b, a); d != "" {
				t.Errorf("confirmation changed:\n%s", d)
			}
			continue
		}
		want, _ := ledger.DecodeNomination(b)
		want.Phone, want.Deeds, want.Redacted = "", "", true
		got, err := ledger.DecodeNomination(a)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("nomination %s (-want +got):\n%s", a.ID, d)
		}
		b.Data, a.Data = nil, nil
		if d := cmp.Diff(b, a); d != "" {
			t.Errorf("record fields of %s changed:\n%s", a.ID, d)
		}
	}
	for _, r := range f.records(t, "2024-119") {
		if n, err := ledger.DecodeNomination(r); err == nil && (n.Redacted || n.Phone == "") {
			t.Errorf("current campaign's %s redacted", r.ID)
		}
	}
	audit := f.audit(t)
	if len(audit) != auditBefore+1 {
		t.Fatalf("audit: %+v", audit)
	}
	e := audit[len(audit)-1]
	if e.Action != AuditRedact || e.Target != "2023-119" || !strings.Contains(e.Detail, "2 条") || !e.At.Equal(f.clock.Now()) {
		t.Errorf("audit entry %+v", e)
	}

	// Idempotent.
	redacted := f.records(t, "2023-119")
	f.clock.Advance(24 * time.Hour)
	if red, err := Redact(ctx, f.st, next, f.clock.Now()); err != nil || len(red) != 0 {
		t.Errorf("second run: %v, %v", red, err)
	}
	if d := cmp.Diff(redacted, f.records(t, "2023-119")); d != "" {
		t.Errorf("second run changed records:\n%s", d)
	}
	if n := len(f.audit(t)); n != len(audit) {
		t.Errorf("second run wrote %d audit entries", n-len(audit))
	}
}

// A campaign the configuration moved on from without archiving is still
// found by retention, because Redact remembered it while it was configured.
func TestRedactUnarchivedPastCampaign(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.fill(t, "2023-119")
	if red, err := Redact(ctx, f.st, f.cfg, f.clock.Now()); err != nil || len(red) != 0 {
		t.Fatalf("first run: %v %v", red, err)
	}
	next := testConfig("2024-119", lastDeadline.AddDate(1, 0, 0))
	f.clock.Set(lastDeadline.Add(config.DefaultRetention + time.Hour))
	red, err := Redact(ctx, f.st, next, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]Redaction{{CampaignID: "2023-119", Records: 2}}, red); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// privacy.retention is honoured.
func TestRedactRetentionSetting(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.cfg.Privacy.Retention = 30 * 24 * time.Hour
	f.fill(t, "2023-119")
	f.clock.Set(lastDeadline.Add(30 * 24 * time.Hour))
	red, err := Redact(ctx, f.st, f.cfg, f.clock.Now())
	if err != nil || len(red) != 1 || red[0].Records != 2 {
		t.Errorf("Redact = %v, %v", red, err)
	}
}
