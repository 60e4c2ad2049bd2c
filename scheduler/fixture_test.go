package scheduler

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/ledger"
	"firebot/outbox"
	"firebot/store"
	"firebot/store/embedded"
)

// fixture is a store seeded with a roster, a fake campaign clock and a fake
// real clock.
type fixture struct {
	t        testing.TB
	cfg      *config.Config
	st       store.Store
	campaign *clock.Fake
	real     *clock.Fake
	path     string
}

// tempDir prefers a memory file system: the embedded store syncs every
// commit, and the tests commit a lot.
func tempDir(t testing.TB) string {
	t.Helper()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "firebot-scheduler-test-"); err == nil {
			t.Cleanup(func() { _ = os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}

// realEpoch is the fake real clock's reading (it never matters to the
// scheduler; the outbox stamps entries with it).
var realEpoch = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func newFixture(t testing.TB, cfg *config.Config, start time.Time) *fixture {
	t.Helper()
	f := &fixture{t: t, cfg: cfg, campaign: clock.NewFake(start), real: clock.NewFake(realEpoch),
		path: tempDir(t) + "/x.db"}
	f.open()
	f.update(func(tx store.Tx) error {
		_, err := store.SeedRoster(tx, cfg.Units, "test")
		return err
	})
	return f
}

// open (re)opens the embedded store, closing it at cleanup.
func (f *fixture) open() {
	f.t.Helper()
	st, err := embedded.Open(f.path, embedded.Options{Real: f.real})
	if err != nil {
		f.t.Fatal(err)
	}
	f.st = st
	f.t.Cleanup(func() { _ = st.Close() })
}

// reopen simulates a restart: the store file is closed and opened again.
func (f *fixture) reopen() {
	f.t.Helper()
	if err := f.st.Close(); err != nil {
		f.t.Fatal(err)
	}
	f.open()
}

func (f *fixture) update(fn func(tx store.Tx) error) {
	f.t.Helper()
	if err := f.st.Update(context.Background(), fn); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) scheduler(log *slog.Logger) *Scheduler {
	f.t.Helper()
	s, err := New(Options{Config: f.cfg, Store: f.st, Campaign: f.campaign, Logger: log})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// step moves the campaign clock to t and runs the scheduler up to it.
func (f *fixture) step(s *Scheduler, t time.Time) {
	f.t.Helper()
	f.campaign.Set(t)
	if err := s.RunUntil(context.Background(), t); err != nil {
		f.t.Fatal(err)
	}
}

// confirm records active reports of tasks by unit at the current campaign
// time, in one unit of work.
func (f *fixture) confirm(unit string, tasks ...string) {
	f.t.Helper()
	now := f.campaign.Now()
	f.update(func(tx store.Tx) error {
		for _, task := range tasks {
			r := &store.Record{Kind: store.KindConfirmation, CampaignID: f.cfg.Campaign.ID, UnitID: unit, TaskID: task,
				ReporterID: "reporter", CreatedAt: now, UpdatedAt: now}
			if err := ledger.Encode(r, ledger.Confirmation{Date: now.Format("2006-01-02"), Fields: map[string]string{"participants": "30"}}); err != nil {
				return err
			}
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// confirmAll records every task that applies to unit.
func (f *fixture) confirmAll(unit string) {
	f.t.Helper()
	u, ok := f.cfg.Units.Unit(unit)
	if !ok {
		f.t.Fatalf("no unit %s", unit)
	}
	var ids []string
	for _, task := range f.cfg.Campaign.TasksFor(u) {
		ids = append(ids, task.ID)
	}
	f.confirm(unit, ids...)
}

// nominate records an active nomination by each unit.
func (f *fixture) nominate(units ...string) {
	f.t.Helper()
	now := f.campaign.Now()
	f.update(func(tx store.Tx) error {
		for _, unit := range units {
			r := &store.Record{Kind: store.KindNomination, CampaignID: f.cfg.Campaign.ID, UnitID: unit,
				ReporterID: "reporter", CreatedAt: now, UpdatedAt: now}
			if err := ledger.Encode(r, ledger.Nomination{NomineeKind: "个人", Name: "张某", Affiliation: unit, Years: 3, Scope: 2,
				Deeds: "多年坚持消防宣传。", Phone: "13800000000", RecommenderID: "reporter"}); err != nil {
				return err
			}
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// push is an outbox entry as a test compares it.
type push struct {
	Source   string
	Key      string
	Channel  string
	Target   string
	Content  string
	Mentions []string // of a text push (markdown carries them in Content)
}

// drain claims and returns every outbox entry enqueued since the last
// drain, in enqueue order.
func (f *fixture) drain() []push {
	f.t.Helper()
	return drainStore(f.t, f.st, f.real.Now())
}

func drainStore(t testing.TB, st store.Store, realNow time.Time) []push {
	t.Helper()
	var es []*store.OutboxEntry
	err := st.Update(context.Background(), func(tx store.Tx) error {
		var err error
		es, err = store.ClaimOutbox(tx, realNow.Add(time.Hour), 1<<20, 1000*time.Hour, "test")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]push, 0, len(es))
	for _, e := range es {
		m, err := outbox.Decode(e)
		if err != nil {
			t.Fatal(err)
		}
		p := push{Source: e.Source, Key: e.Key, Channel: e.Channel, Target: e.Target}
		switch {
		case m.Webhook != nil && m.Webhook.Markdown != nil:
			p.Content = m.Webhook.Markdown.Content
		case m.Webhook != nil && m.Webhook.Text != nil:
			p.Content, p.Mentions = m.Webhook.Text.Content, m.Webhook.Text.MentionedList
		case m.App != nil && m.App.Text != nil:
			p.Content = m.App.Text.Content
		default:
			t.Fatalf("unexpected payload %s", e.Payload)
		}
		out = append(out, p)
	}
	return out
}

// targets lists "source target" of pushes, for compact comparisons.
func targets(ps []push) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, strings.TrimPrefix(p.Source, "reminder:")+" "+p.Channel+" "+p.Target)
	}
	return out
}

// smallRoster is a roster made for targeting tests: a group shared by two
// units, a unit without a group, a unit that will be done, two sectors.
func smallRoster() campaign.Roster {
	chat := func(id string) []campaign.Chat { return []campaign.Chat{{ID: id, WebhookKey: "k"}} }
	return campaign.Roster{
		{ID: "sector_north", Name: "北片板块", Kind: campaign.KindSector, Officers: []string{"wangjun"}},
		{ID: "sector_south", Name: "南片板块", Kind: campaign.KindSector, Officers: []string{"chenjing"}},
		{ID: "comm_a", Name: "学田湾社区", Kind: campaign.KindCommunity, Sector: "sector_north", Officers: []string{"zhangsan", "lisi"}, Chats: chat("chat_a")},
		{ID: "comm_nochat", Name: "桂花园社区", Kind: campaign.KindCommunity, Sector: "sector_south", Officers: []string{"chener"}},
		{ID: "org_school", Name: "示例实验小学", Kind: campaign.KindOrganisation, Sector: "sector_north", Category: campaign.CategorySchool, Officers: []string{"heping"}, Chats: chat("chat_school")},
		{ID: "org_hotel", Name: "示例大酒店", Kind: campaign.KindOrganisation, Sector: "sector_south", Category: campaign.CategoryHotel, Officers: []string{"jinbo", "weilan"}, Chats: chat("chat_shared")},
		{ID: "org_other", Name: "示例物业服务公司", Kind: campaign.KindOrganisation, Sector: "sector_south", Category: campaign.CategoryOther, Officers: []string{"gelin", "jinbo"}, Chats: chat("chat_shared")},
		{ID: "org_done", Name: "示例金融中心", Kind: campaign.KindOrganisation, Sector: "sector_north", Category: campaign.CategoryHighRise, Officers: []string{"panxue"}, Chats: chat("chat_done")},
	}
}
