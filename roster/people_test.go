package roster

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/campaign"
	"firebot/store"
)

// Officers may carry a name and phone in parentheses, and a unit a
// contact; both reach the store, and leaving the cells empty keeps them.
func TestImportOfficerNamesAndContact(t *testing.T) {
	ctx := context.Background()
	st := seeded(t)
	head := csvHeader + ",联系人,联系电话"
	data := csvOf(head,
		`comm_a,学田湾社区,社区,北片板块,,"zhangsan（张三，13800000001）、lisi(李四)",,,王主任,023-63600001`,
		"comm_new,新社区,社区,南片板块,,qianqi（钱七 13800000007） zhaoliu,,,,",
	)
	if _, err := Import(ctx, st, data, importOpts("units.csv")); err != nil {
		t.Fatal(err)
	}
	units := func() campaign.Roster {
		var r campaign.Roster
		if err := st.View(ctx, func(tx store.Tx) error {
			var err error
			r, err = store.Roster(tx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return r
	}
	check := func(r campaign.Roster) {
		t.Helper()
		a, _ := r.Unit("comm_a")
		want := []campaign.Person{{ID: "zhangsan", Name: "张三", Phone: "13800000001"}, {ID: "lisi", Name: "李四"}}
		if diff := cmp.Diff(want, a.OfficerPeople()); diff != "" {
			t.Errorf("comm_a officers (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(&campaign.Person{Name: "王主任", Phone: "023-63600001"}, a.Contact); diff != "" {
			t.Errorf("comm_a contact (-want +got):\n%s", diff)
		}
		n, _ := r.Unit("comm_new")
		want = []campaign.Person{{ID: "qianqi", Name: "钱七", Phone: "13800000007"}, {ID: "zhaoliu"}}
		if diff := cmp.Diff(want, n.OfficerPeople()); diff != "" {
			t.Errorf("comm_new officers (-want +got):\n%s", diff)
		}
		if got := r.NameOf("lisi"); got != "李四" {
			t.Errorf("NameOf(lisi) = %q", got)
		}
	}
	r := units()
	check(r)
	// Roster order: the seed's order, then the imported unit.
	var ids []string
	for _, u := range r {
		ids = append(ids, u.ID)
	}
	if diff := cmp.Diff([]string{"sector_north", "sector_south", "comm_a", "org_a", "comm_new"}, ids); diff != "" {
		t.Errorf("roster order (-want +got):\n%s", diff)
	}
	// A later sheet naming the unit only keeps names, phones and contact.
	data = csvOf(csvHeader, "comm_a,学田湾社区,社区,北片板块,,,,")
	if _, err := Import(ctx, st, data, importOpts("units.csv")); err != nil {
		t.Fatal(err)
	}
	check(units())
}

func TestSplitOfficers(t *testing.T) {
	got := splitOfficers("a（甲，1380）、b (乙 139) c,d")
	if diff := cmp.Diff([]string{"a（甲，1380）", "b (乙 139)", "c", "d"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
