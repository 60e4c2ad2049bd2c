package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"firebot/archive"
	"firebot/ledger"
	"firebot/store"
)

// firebot archive on a campaign long over (testdata/minimal.yaml's ends on
// 2023-12-01; the tools run on the real clock): refused until exported or
// forced, then archived, and the nominees' personal data, past retention,
// deleted.
func TestArchiveCommand(t *testing.T) {
	ctx := context.Background()
	cfgPath, dbPath := dataCareConfig(t)
	created := time.Date(2023, 10, 27, 10, 0, 0, 0, time.UTC)
	var nomID string
	withStore(t, dbPath, func(st store.Store) {
		err := st.Update(ctx, func(tx store.Tx) error {
			r := &store.Record{Kind: store.KindNomination, CampaignID: "test-119", UnitID: "comm_a", ReporterID: "zhangsan", CreatedAt: created}
			if err := ledger.Encode(r, ledger.Nomination{NomineeKind: "个人", Name: "王芳", Deeds: "多年义务宣传", Phone: "13800138000", RecommenderID: "zhangsan"}); err != nil {
				return err
			}
			err := store.PutRecord(tx, r)
			nomID = r.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	code, out, errOut := runArgs(t, ctx, "archive", "-config", cfgPath)
	if code != 1 || out != "" || !strings.Contains(errOut, "还没有导出") || !strings.Contains(errOut, "-force") {
		t.Errorf("archive before export: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	code, out, errOut = runArgs(t, ctx, "archive", "-force", "-config", cfgPath)
	if code != 0 {
		t.Fatalf("archive -force: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"活动 test-119（测试宣传月）已归档", "推荐记录 1 条", "已删除活动 test-119 中 1 条推荐记录的手机号和事迹"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	withStore(t, dbPath, func(st store.Store) {
		st.View(ctx, func(tx store.Tx) error {
			if ok, err := archive.IsArchived(tx, "test-119"); !ok || err != nil {
				t.Errorf("IsArchived = %v, %v", ok, err)
			}
			r, err := store.GetRecord(tx, nomID)
			if err != nil {
				t.Fatal(err)
			}
			n, _ := ledger.DecodeNomination(r)
			if n.Phone != "" || n.Deeds != "" || !n.Redacted || n.Name != "王芳" {
				t.Errorf("nomination after archive: %+v", n)
			}
			var actions []string
			store.EachAudit(tx, 0, func(e store.AuditEntry) error { actions = append(actions, e.Action); return nil })
			if strings.Join(actions, ",") != archive.AuditArchive+","+archive.AuditRedact {
				t.Errorf("audit actions %v", actions)
			}
			return nil
		})
	})
	code, _, errOut = runArgs(t, ctx, "archive", "-config", cfgPath, "-force")
	if code != 1 || !strings.Contains(errOut, "已于") {
		t.Errorf("second archive: exit %d, stderr %s", code, errOut)
	}
	if code, _, errOut := runArgs(t, ctx, "archive", "-config", cfgPath, "now"); code != 2 || !strings.Contains(errOut, "多余的参数") {
		t.Errorf("stray argument: exit %d, stderr %s", code, errOut)
	}
}
