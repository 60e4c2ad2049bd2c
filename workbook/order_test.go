package workbook

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
)

// addRecord stores one more record in the fixture's campaign.
func (f *fixture) addRecord(t *testing.T, r *store.Record, payload any) string {
	t.Helper()
	err := f.st.Update(context.Background(), func(tx store.Tx) error {
		id, err := store.NewRecordID(tx, r.Kind)
		if err != nil {
			return err
		}
		r.ID, r.CampaignID, r.UpdatedAt = id, f.cfg.Campaign.ID, r.CreatedAt
		if err := ledger.Encode(r, payload); err != nil {
			return err
		}
		return store.PutRecord(tx, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func exportAt(t *testing.T, f *fixture, now time.Time) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, f.st, f.cfg, Options{Now: now, TmpDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wb.Close() })
	return wb
}

// Units in roster order (not id order) in 汇总; 推荐表 sheets in record
// order whichever unit each came from; a report made after its task's
// deadline marked 逾期 in 汇总 (note and red date) and in 活动明细.
func TestOrderAndLateMarks(t *testing.T) {
	f := newFixture(t)
	nom := func(unit, name string, day int) string {
		return f.addRecord(t, &store.Record{Kind: store.KindNomination, UnitID: unit, ReporterID: "heping",
			CreatedAt: time.Date(2023, 10, day, 10, 0, 0, 0, cst)}, ledger.Nomination{
			NomineeKind: "个人", Name: name, Affiliation: "x", Years: 3, Scope: 1, Deeds: "巡查", Phone: "13800000000", RecommenderID: "heping"})
	}
	tj2 := nom("org_school_a", "李老师", 20) // a unit late in the roster
	tj3 := nom("comm_niujiaotuo", "赵阿姨", 21)
	lateID := f.addRecord(t, &store.Record{Kind: store.KindConfirmation, UnitID: unitComm, TaskID: "atmosphere",
		ReporterID: "zhangsan", CreatedAt: time.Date(2023, 12, 2, 10, 0, 0, 0, cst)}, ledger.Confirmation{
		Date: "2023-11-30", Fields: map[string]string{}, ReporterName: "张三"})

	wb := exportAt(t, f, time.Date(2023, 12, 3, 9, 0, 0, 0, cst))
	var forms []string
	for _, s := range wb.GetSheetList() {
		if strings.HasPrefix(s, FormSheetPrefix) {
			forms = append(forms, s)
		}
	}
	want := []string{"推荐表-" + f.nomination + "-王秀英", "推荐表-" + tj2 + "-李老师", "推荐表-" + tj3 + "-赵阿姨"}
	if diff := cmp.Diff(want, forms); diff != "" {
		t.Errorf("推荐表 sheets (-want +got):\n%s", diff)
	}

	tb := rows(t, wb, SheetSummary)
	var units, wantUnits []string
	for _, r := range tb[summaryFirstData-1 : len(tb)-1] {
		units = append(units, at(r, 1))
	}
	for _, u := range f.cfg.Units {
		if u.Kind != campaign.KindSector {
			wantUnits = append(wantUnits, u.Name)
		}
	}
	if diff := cmp.Diff(wantUnits, units); diff != "" {
		t.Errorf("汇总 units not in roster order (-want +got):\n%s", diff)
	}

	i := tb.col(t, 1, "宣传氛围营造")
	comm := tb.find(1, "学田湾社区")[0]
	if !strings.Contains(at(comm, i), lateID+"逾期上报") || at(comm, i+1) != "2023-11-30" {
		t.Errorf("汇总 late record: %q %q", at(comm, i), at(comm, i+1))
	}
	ref, _ := excelize.CoordinatesToCellName(i+2, slicesIndex(tb, "学田湾社区")+1)
	checkDateCell(t, wb, SheetSummary, ref, "2023-11-30 00:00")
	if !redFont(t, wb, SheetSummary, ref) {
		t.Errorf("汇总!%s: a late date is not red", ref)
	}
	onTime := tb.col(t, 1, "主题宣传活动")
	ref, _ = excelize.CoordinatesToCellName(onTime+2, slicesIndex(tb, "学田湾社区")+1)
	if redFont(t, wb, SheetSummary, ref) {
		t.Errorf("汇总!%s: an on-time date is red", ref)
	}

	d := rows(t, wb, SheetDetails)
	id, flag, when := d.col(t, 0, "编号"), d.col(t, 0, "逾期"), d.col(t, 0, "上报时间")
	for _, r := range d[1:] {
		wantFlag := ""
		if r[id] == lateID {
			wantFlag = "是"
		}
		if at(r, flag) != wantFlag {
			t.Errorf("活动明细 %s 逾期 %q, want %q", r[id], at(r, flag), wantFlag)
		}
	}
	row := slicesIndexCol(d, id, lateID) + 1
	ref, _ = excelize.CoordinatesToCellName(when+1, row)
	checkDateCell(t, wb, SheetDetails, ref, "2023-12-02 10:00")
	ref, _ = excelize.CoordinatesToCellName(d.col(t, 0, "活动日期")+1, row)
	checkDateCell(t, wb, SheetDetails, ref, "2023-11-30 00:00")
}

func slicesIndex(tb table, unit string) int { return slicesIndexCol(tb, 1, unit) }

func slicesIndexCol(tb table, c int, v string) int {
	for i, r := range tb {
		if at(r, c) == v {
			return i
		}
	}
	return -1
}

func redFont(t *testing.T, wb *excelize.File, sheet, ref string) bool {
	t.Helper()
	id, err := wb.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	s, err := wb.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return s.Font != nil && strings.EqualFold(s.Font.Color, "9C0006")
}
