package district_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/district"
	"firebot/ledger"
	"firebot/store"
	"firebot/store/embedded"
)

var camp = &campaign.Campaign{
	ID: "2023-119",
	Tasks: []campaign.Task{
		{ID: "drill", AppliesTo: campaign.AppliesTo{Kinds: []campaign.Kind{campaign.KindOrganisation}}},
		{ID: "publicity", AppliesTo: campaign.AppliesTo{Kinds: []campaign.Kind{campaign.KindCommunity, campaign.KindOrganisation}}},
	},
	Nomination: &campaign.Nomination{AppliesTo: campaign.AppliesTo{Kinds: []campaign.Kind{campaign.KindCommunity}}},
}

// street opens a store holding roster and, per unit, the tasks it did.
func street(t *testing.T, roster campaign.Roster, done map[string][]string) store.Store {
	t.Helper()
	st, err := embedded.Open(filepath.Join(t.TempDir(), "s.db"), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	err = st.Update(context.Background(), func(tx store.Tx) error {
		if _, err := store.SeedRoster(tx, roster, "test"); err != nil {
			return err
		}
		for unit, tasks := range done {
			for _, task := range tasks {
				r := &store.Record{Kind: store.KindConfirmation, CampaignID: camp.ID, UnitID: unit, TaskID: task,
					Status: store.StatusActive, CreatedAt: time.Date(2023, 11, 1, 9, 0, 0, 0, time.UTC)}
				if task == "nominate" {
					r.Kind, r.TaskID = store.KindNomination, ""
				} else if err := ledger.Encode(r, ledger.Confirmation{Date: "2023-11-01"}); err != nil {
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
		t.Fatal(err)
	}
	return st
}

type downStore struct{ store.Store }

func (downStore) View(context.Context, func(store.Tx) error) error { return store.ErrUnavailable }

func TestStatsByStreetKindAndCategory(t *testing.T) {
	jfb := street(t, campaign.Roster{
		{ID: "c1", Name: "解放碑社区", Kind: campaign.KindCommunity},
		{ID: "o1", Name: "巴蜀中学", Kind: campaign.KindOrganisation, Category: campaign.CategorySchool},
		{ID: "s1", Name: "北片板块", Kind: campaign.KindSector}, // nothing to do: not counted
	}, map[string][]string{"c1": {"publicity", "nominate"}, "o1": {"drill"}})
	qxg := street(t, campaign.Roster{
		{ID: "c1", Name: "七星岗社区", Kind: campaign.KindCommunity},
		{ID: "o1", Name: "市急救中心", Kind: campaign.KindOrganisation, Category: campaign.CategoryMedical},
		{ID: "o2", Name: "某酒店", Kind: campaign.KindOrganisation},
	}, map[string][]string{"o1": {"drill", "publicity"}})

	o, err := district.Stats(context.Background(), []district.Street{
		{ID: "jfb", Name: "解放碑街道", Campaign: camp, Store: jfb},
		{ID: "qxg", Name: "七星岗街道", Campaign: camp, Store: qxg},
		{ID: "down", Name: "朝天门街道", Campaign: camp, Store: downStore{jfb}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Worked by hand: 解放碑 c1 publicity 1/1, o1 drill 1/2; 七星岗 c1 0/1,
	// o1 2/2, o2 0/2. Record ids repeat across streets (HD-0001 in each):
	// the totals must count both.
	tests := []struct {
		got  district.Tally
		want string
	}{
		{o.Total, "全区：完成4/8项（50%），推荐1份（1/2个单位），2个单位未报任何内容"},
		{o.Streets[0], "解放碑街道：完成2/3项（67%），推荐1份（1/1个单位）"},
		{o.Streets[1], "七星岗街道：完成2/5项（40%），推荐0份（0/1个单位），2个单位未报任何内容"},
		{o.Kinds[0], "社区：完成1/2项（50%），推荐1份（1/2个单位），1个单位未报任何内容"},
		{o.Kinds[1], "社会单位：完成3/6项（50%），1个单位未报任何内容"},
		{o.Categories[0], "学校：完成1/2项（50%）"},
	}
	for i, tc := range tests {
		if got := tc.got.Line(); got != tc.want {
			t.Errorf("line %d = %q, want %q", i, got, tc.want)
		}
	}
	if len(o.Streets) != 2 || len(o.Kinds) != 2 || len(o.Categories) != 3 {
		t.Fatalf("streets %d kinds %d categories %d", len(o.Streets), len(o.Kinds), len(o.Categories))
	}
	text := o.Text()
	for _, want := range []string{"【全区进度】2个街道，5个单位", "按街道：", "· 七星岗街道", "社会单位按类别：", "· 其他：", "未计入：朝天门街道"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

func TestStatsStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := district.Stats(ctx, []district.Street{{ID: "a", Campaign: camp, Store: street(t, nil, nil)}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
