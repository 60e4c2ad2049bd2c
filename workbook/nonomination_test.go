package workbook

import (
	"context"
	"testing"

	"firebot/ledger"
	"firebot/store"
)

// A unit that recorded 本单位不推荐 shows it in 推荐人数 and no longer
// owes its nomination in the missing list.
func TestNoNominationShown(t *testing.T) {
	f := newFixture(t)
	err := f.st.Update(context.Background(), func(tx store.Tx) error {
		return ledger.MarkNotApplicable(tx, f.cfg.Campaign.ID, unitSchool, ledger.NotApplicable{
			TaskID: ledger.NoNominationTask, Reason: "本单位不推荐", By: "heping", At: exportNow})
	})
	if err != nil {
		t.Fatal(err)
	}
	wb := export(t, f)
	sum := rows(t, wb, SheetSummary)
	school := sum.find(1, "示例实验小学")
	if len(school) != 1 || at(school[0], sum.col(t, 1, "推荐人数")) != NoNominationText {
		t.Fatalf("school's line %q", school)
	}
	miss := rows(t, wb, SheetMissing)
	unit, item := miss.col(t, 0, "单位名称"), miss.col(t, 0, "未完成事项")
	for _, r := range miss.find(unit, "示例实验小学") {
		if r[item] == NominationItem {
			t.Fatalf("the school still owes its nomination: %q", r)
		}
	}
	if n := len(miss.find(item, NominationItem)); n != 21 {
		t.Fatalf("%d units owe a nomination, want 21", n)
	}
}
