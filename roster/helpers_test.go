package roster

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/clock"
	"firebot/store"
	"firebot/store/embedded"
)

var testNow = time.Date(2023, 10, 30, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := embedded.Open(filepath.Join(t.TempDir(), "firebot.db"), embedded.Options{Real: clock.NewFake(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// seedRoster is the configured roster the tests start from.
var seedRoster = campaign.Roster{
	{ID: "sector_north", Name: "北片板块", Kind: campaign.KindSector, Officers: []string{"wangjun"}},
	{ID: "sector_south", Name: "南片板块", Kind: campaign.KindSector},
	{ID: "comm_a", Name: "学田湾社区", Kind: campaign.KindCommunity, Sector: "sector_north",
		Officers: []string{"zhangsan", "lisi"}, Chats: []campaign.Chat{{ID: "chat_comm_a", WebhookKey: "key-a"}}},
	{ID: "org_a", Name: "示例实验小学", Kind: campaign.KindOrganisation, Sector: "sector_south",
		Category: campaign.CategorySchool, Officers: []string{"heping"}},
}

// seeded returns a store seeded with seedRoster, as the service leaves it.
func seeded(t *testing.T) store.Store {
	t.Helper()
	st := openStore(t)
	err := st.Update(context.Background(), func(tx store.Tx) error {
		_, err := store.SeedRoster(tx, seedRoster, "config")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// snapshot is everything an import may write.
type snapshot struct {
	Units    campaign.Roster
	Bindings []store.Binding
	Audit    []store.AuditEntry
	Keys     map[string]string
	Officers map[string][]string
}

func snap(t *testing.T, st store.Store) snapshot {
	t.Helper()
	s := snapshot{Keys: map[string]string{}, Officers: map[string][]string{}}
	err := st.View(context.Background(), func(tx store.Tx) error {
		var err error
		if s.Units, err = store.Roster(tx); err != nil {
			return err
		}
		if err := store.EachBinding(tx, func(b store.Binding) error {
			s.Bindings = append(s.Bindings, b)
			return nil
		}); err != nil {
			return err
		}
		if err := store.EachAudit(tx, 0, func(e store.AuditEntry) error {
			s.Audit = append(s.Audit, e)
			return nil
		}); err != nil {
			return err
		}
		for _, c := range []string{"chat_comm_a", "chat_new", "chat_b", "chat_c"} {
			if k, err := store.WebhookKey(tx, c); err == nil {
				s.Keys[c] = k
			}
		}
		for _, o := range []string{"wangjun", "zhangsan", "lisi", "heping", "zhaoliu", "qianqi"} {
			us, err := store.UnitsOfOfficer(tx, o)
			if err != nil {
				return err
			}
			for _, u := range us {
				s.Officers[o] = append(s.Officers[o], u.ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func csvOf(lines ...string) []byte {
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}

const csvHeader = "单位编号,单位名称,类型,所属板块,类别,安全员,群聊ID,群机器人key"

func importOpts(name string) Options {
	return Options{FileName: name, By: "cli:tester", Now: testNow, Seed: seedRoster}
}
