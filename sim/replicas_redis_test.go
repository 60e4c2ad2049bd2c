package sim_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"firebot/bot/driver"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/sim"
	"firebot/store"
	"firebot/store/redisstore/redistest"
	"firebot/wecom/fakewecom"
)

// replicaPair is two firebot replicas (in-process services) sharing one
// Redis key prefix, one fake WeCom, one media directory and both clocks,
// as two `serve` processes behind a load balancer would share them.
type replicaPair struct {
	t     *testing.T
	ctx   context.Context
	a, b  *sim.Sim
	real  *clock.Fake
	camp  *clock.Fake
	fake  *fakewecom.Server
	cfg   *config.Config
	turns int // callbacks sent, to alternate between the replicas
}

func newReplicaPair(t *testing.T, campaignAt string) *replicaPair {
	t.Helper()
	ctx := context.Background()
	real := clock.NewFake(time.Now())
	camp := clock.NewFake(configtest.At(t, campaignAt))
	stores := redistest.Stores(t, real, 2)
	cfg := configtest.Example(t)
	// Two replicas under -race on a shared machine: this test is about
	// exactly-once, not the 3 s passive-reply budget.
	cfg.WeCom.ReplyBudget = 20 * time.Second
	dir := t.TempDir() // media are shared storage between replicas
	// Small pools, so that a wave is claimed in several bites and both
	// replicas take part in it.
	a, err := sim.New(ctx, sim.Options{Config: cfg, Dir: dir, Store: stores[0], Real: real, Campaign: camp, OutboxPool: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Fake.Close() })
	t.Cleanup(func() { _ = a.Close() })
	b, err := sim.New(ctx, sim.Options{Config: cfg, Dir: dir, Store: stores[1], Real: real, Campaign: camp, Fake: a.Fake, OutboxPool: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return &replicaPair{t: t, ctx: ctx, a: a, b: b, real: real, camp: camp, fake: a.Fake, cfg: a.Config}
}

// both runs f on the two replicas at once and fails the test on an error.
func (p *replicaPair) both(what string, f func(*sim.Sim) error) {
	p.t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, s := range []*sim.Sim{p.a, p.b} {
		wg.Go(func() { errs[i] = f(s) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			p.t.Fatalf("%s on replica %c: %v", what, 'A'+i, err)
		}
	}
}

// advance moves the campaign clock to at, both replicas' schedulers racing
// for every fire on the way.
func (p *replicaPair) advance(at string) {
	p.t.Helper()
	to := configtest.At(p.t, at)
	p.both("scheduler", func(s *sim.Sim) error { return s.Service.RunSchedulerUntil(p.ctx, to) })
	p.camp.Set(to)
}

// settle delivers on both replicas at once, with their office ticks, a
// real minute apart (rate windows), until the outbox is empty.
func (p *replicaPair) settle() {
	p.t.Helper()
	for range 10 {
		p.both("flush", func(s *sim.Sim) error { return s.Flush(p.ctx) })
		var depth int
		if err := p.a.Service.Store.View(p.ctx, func(tx store.Tx) error {
			var err error
			depth, _, err = store.OutboxPendingStats(tx)
			return err
		}); err != nil {
			p.t.Fatal(err)
		}
		if depth == 0 {
			return
		}
		p.real.Advance(time.Minute)
	}
	p.t.Fatal("the outbox never drained")
}

// send posts one robot text callback to the next replica in turn (A, B,
// A, …) and returns the result, whose request can be posted again.
func (p *replicaPair) send(chatID, userID, text string) (*driver.Result, *sim.Sim) {
	p.t.Helper()
	s := p.a
	if p.turns%2 == 1 {
		s = p.b
	}
	p.turns++
	h, err := s.Robot.RobotHeader(chatID, "group", userID, userID)
	if err != nil {
		p.t.Fatal(err)
	}
	h.WebhookURL = p.fake.URL() + "/cgi-bin/webhook/send?key=" + sim.ChatKey(chatID)
	res, err := s.Robot.Send(p.ctx, "/wecom/robot", driver.RobotText(s.Robot.Format(), h, "@firebot "+text))
	if err != nil || res.Status != 200 {
		p.t.Fatalf("%s %q: %v (HTTP %d)", userID, text, err, res.Status)
	}
	return res, s
}

func (p *replicaPair) say(chatID, userID, text string) string {
	p.t.Helper()
	res, _ := p.send(chatID, userID, text)
	return sim.ReplyText(res.Reply)
}

// copies counts, per chat, the messages the fake WeCom recorded whose
// content has marker and not unless (the delivery report quotes the
// broadcast).
func copies(fake *fakewecom.Server, marker, unless string) map[string]int {
	n := map[string]int{}
	for _, m := range fake.Messages() {
		if c := m.Content(); strings.Contains(c, marker) && (unless == "" || !strings.Contains(c, unless)) {
			for _, c := range m.Chats {
				n[c]++
			}
		}
	}
	return n
}

// boundGroups are the groups of the configured units.
func boundGroups(cfg *config.Config) []string {
	var out []string
	for _, u := range cfg.Units {
		for _, c := range u.Chats {
			out = append(out, c.ID)
		}
	}
	return out
}

// exactlyOnce fails unless every group in want got marker exactly once and
// no other chat got it; it reports the deliveries and duplicates.
func exactlyOnce(t *testing.T, what string, got map[string]int, want []string) {
	t.Helper()
	dups, missing := 0, 0
	for _, g := range want {
		switch n := got[g]; {
		case n == 0:
			missing++
			t.Errorf("%s: %s never received it", what, g)
		case n > 1:
			dups += n - 1
			t.Errorf("%s: %s received it %d times", what, g, n)
		}
		delete(got, g)
	}
	for c, n := range got {
		t.Errorf("%s: %s is not addressed but received it %d times", what, c, n)
	}
	t.Logf("%s: %d groups, %d missing, %d duplicates", what, len(want), missing, dups)
}

// Two replicas on one Redis, every callback alternating between them and
// both running the scheduler, the outbox and the office jobs at the same
// moments: a reminder fire reaches every bound group once, a broadcast
// issued on replica A and confirmed on B reaches every group once with one
// delivery report, an 导出 runs once, and WeCom's retry of a callback to
// the other replica — after the first was answered, or while it is still
// at work — is handled once, with the same reply (issue 23, item 4).
func TestReplicasShareOneRedis(t *testing.T) {
	p := newReplicaPair(t, "2023-11-08 14:00")
	groups := boundGroups(p.cfg)

	// The scheduler's first pass marks where it starts; the 16:00 notice
	// (main_event_notice, every bound group) is then due on both replicas.
	p.advance("2023-11-08 14:00")
	p.advance("2023-11-08 16:00")
	p.settle()
	exactlyOnce(t, "reminder", copies(p.fake, "消防集中宣传活动通知", ""), groups)

	// A conversation whose turns alternate between the replicas (the
	// dialog state is in Redis), ending in a confirmation that WeCom
	// retries to the other replica.
	for _, in := range []string{"上报", "2", "11月3日", "80", "跳过", "跳过"} {
		p.say("chat_comm_xuetianwan", "grid01", in)
	}
	first, on := p.send("chat_comm_xuetianwan", "grid01", "确认")
	other := p.a
	if on == p.a {
		other = p.b
	}
	retry, err := other.Robot.Do(p.ctx, first.Request)
	if err != nil || retry.Status != 200 {
		t.Fatalf("the retry to the other replica: %v (HTTP %d)", err, retry.Status)
	}
	if got, want := sim.ReplyText(retry.Reply), sim.ReplyText(first.Reply); got != want || !strings.Contains(want, "上报成功") {
		t.Errorf("the retry was answered %q, the first delivery %q", got, want)
	}
	if err := p.a.Service.Store.View(p.ctx, func(tx store.Tx) error {
		own, err := store.RecordsOfReporter(tx, p.cfg.Campaign.ID, "grid01")
		if len(own) != 1 {
			t.Errorf("grid01 has %d records after a retried confirmation, want 1", len(own))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}

	// WeCom gave up waiting for the first delivery and retried while the
	// first replica was still at work: both replicas get the same
	// confirmation at the same moment.
	for _, in := range []string{"上报", "2", "11月5日", "60", "跳过", "跳过"} {
		p.say("chat_comm_xuetianwan", "grid02", in)
	}
	h, err := p.a.Robot.RobotHeader("chat_comm_xuetianwan", "group", "grid02", "grid02")
	if err != nil {
		t.Fatal(err)
	}
	h.WebhookURL = p.fake.URL() + "/cgi-bin/webhook/send?key=" + sim.ChatKey("chat_comm_xuetianwan")
	req, err := p.a.Robot.Seal("/wecom/robot", driver.RobotText(p.a.Robot.Format(), h, "@firebot 确认"))
	if err != nil {
		t.Fatal(err)
	}
	replies := make([]string, 2)
	var wg sync.WaitGroup
	for i, s := range []*sim.Sim{p.a, p.b} {
		wg.Go(func() {
			res, err := s.Robot.Do(p.ctx, req)
			if err != nil || res.Status != 200 {
				t.Errorf("replica %c: %v", 'A'+i, err)
				return
			}
			replies[i] = sim.ReplyText(res.Reply)
		})
	}
	wg.Wait()
	if replies[0] != replies[1] || !strings.Contains(replies[0], "这次是另一次活动") {
		t.Errorf("one confirmation at both replicas at once was answered %q and %q", replies[0], replies[1])
	}
	// It is asked once whether this is another activity than grid01's.
	if got := p.say("chat_comm_xuetianwan", "grid02", "另一次"); !strings.Contains(got, "上报成功") {
		t.Errorf("另一次: %q", got)
	}
	if err := p.a.Service.Store.View(p.ctx, func(tx store.Tx) error {
		own, err := store.RecordsOfReporter(tx, p.cfg.Campaign.ID, "grid02")
		if len(own) != 1 {
			t.Errorf("grid02 has %d records after one confirmation reached both replicas, want 1", len(own))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}

	// A broadcast: previewed on one replica, confirmed on the other.
	const text = "请各单位11月10日前完成消防设施自查。"
	if got := p.say("chat_office", "zhujun", "广播 全部 "+text); !strings.Contains(got, "【广播预览】") {
		t.Fatalf("broadcast preview:\n%s", got)
	}
	if got := p.say("chat_office", "zhujun", "确认"); !strings.Contains(got, "已发出广播 GB-0001") {
		t.Fatalf("broadcast confirmation:\n%s", got)
	}
	p.settle()
	exactlyOnce(t, "broadcast", copies(p.fake, text, "【广播送达情况】"), groups)
	exactlyOnce(t, "broadcast report", copies(p.fake, "【广播送达情况】", ""), []string{"chat_office"})

	// An export, asked on one replica; both run their office jobs.
	if got := p.say("chat_office", "zhujun", "导出"); !strings.Contains(got, "正在生成") {
		t.Fatalf("export:\n%s", got)
	}
	p.settle()
	exactlyOnce(t, "export", copies(p.fake, "【导出】", ""), []string{"chat_office"})
	files := 0
	for _, m := range p.fake.Messages() {
		if m.MsgType == "file" {
			files++
		}
	}
	if files != 1 {
		t.Errorf("%d files uploaded to the office chat, want the workbook once", files)
	}
	sentA, sentB := sentBy(t, p.a.Service.Registry), sentBy(t, p.b.Service.Registry)
	t.Logf("deliveries: %v by replica A, %v by replica B", sentA, sentB)
	if sentA == 0 || sentB == 0 {
		t.Errorf("one replica delivered nothing (A %v, B %v): the replicas did not share the work", sentA, sentB)
	}
}

// sentBy is how many pushes the outbox workers whose metrics g gathers
// delivered (a service's registry, or a district's with every street's).
func sentBy(t *testing.T, g prometheus.Gatherer) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var n float64
	for _, mf := range mfs {
		if mf.GetName() != "firebot_outbox_deliveries_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "status" && l.GetValue() == store.OutboxSent {
					n += m.GetCounter().GetValue()
				}
			}
		}
	}
	return n
}
