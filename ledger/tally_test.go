package ledger_test

import (
	"testing"

	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
)

func TestTally(t *testing.T) {
	task := func(done bool) ledger.TaskStatus {
		s := ledger.TaskStatus{Required: 1}
		if done {
			s.Records = []*store.Record{{ID: "HD-0001"}}
		}
		return s
	}
	units := []ledger.UnitProgress{
		{Tasks: []ledger.TaskStatus{task(true), task(false)}, NominationExpected: true, Nominations: []*store.Record{{ID: "TJ-0001"}}},
		{Tasks: []ledger.TaskStatus{task(false)}, NominationExpected: true},
		{Unit: campaign.Unit{Kind: campaign.KindSector}}, // nothing to do: not counted
	}
	total := ledger.Tally{Label: "全街道"}
	for _, p := range units {
		if ledger.Counted(p) {
			total.Add(p)
		}
	}
	sum := ledger.Tally{Label: "全区"}
	sum.Merge(total)
	sum.Merge(total)
	for _, tc := range []struct {
		got, want string
	}{
		{total.Line(), "全街道：完成1/3项（33%），推荐1份（1/2个单位），1个单位未报任何内容"},
		{sum.Line(), "全区：完成2/6项（33%），推荐2份（2/4个单位），2个单位未报任何内容"},
		{ledger.Tally{Label: "空"}.Line(), "空：完成0/0项（—）"},
		{ledger.Percent(2, 3), "67%"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
