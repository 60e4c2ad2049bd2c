package sim_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"firebot/bot"
	"firebot/bot/driver"
	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/service"
	"firebot/sim"
	"firebot/store"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
	"firebot/wecom/fakewecom"
)

// The district of the end-to-end tests (issue 23): 渝中区 with three
// streets, each the example street with its own chat and user ids
// (prefixed with the street id) and its own hour for the eve-of-event
// notice (main_event_notice), so that their campaigns differ.
var districtStreets = []struct{ id, name, notice string }{
	{"sqs", "上清寺街道", "16:00"},
	{"jfb", "解放碑街道", "17:00"},
	{"qxg", "七星岗街道", "18:00"},
}

const (
	districtStaff  = "qu-zhang"      // district_users
	districtChat   = "chat_district" // district_chats
	districtNotice = "消防集中宣传活动通知"    // main_event_notice's title, in every street
)

// districtConfig builds the district with WeCom at fakeURL and the media in
// dir. Every replica (in this process or a child) builds it alike.
func districtConfig(t *testing.T, fakeURL, dir string) *config.District {
	t.Helper()
	dist := &config.District{ID: "yuzhong", Name: "渝中区", Users: []string{districtStaff},
		Chats: []campaign.Chat{{ID: districtChat, WebhookKey: campaign.Secret(sim.ChatKey(districtChat))}}}
	for _, s := range districtStreets {
		dist.Streets = append(dist.Streets, &config.Street{ID: s.id, Name: s.name, Config: districtStreetConfig(t, s.id, s.notice, fakeURL, dir)})
	}
	dist.Shared = dist.Streets[0].Config
	return dist
}

// districtStreetConfig is the example configuration as street id: every
// chat and user id prefixed with it, every chat with its own webhook key,
// the last unit renamed to a name only this street has, and the eve-of-
// event notice at notice.
func districtStreetConfig(t *testing.T, id, notice, fakeURL, dir string) *config.Config {
	t.Helper()
	cfg := *configtest.Example(t)
	p := func(s string) string { return id + "-" + s }
	chats := func(in []campaign.Chat) []campaign.Chat {
		out := make([]campaign.Chat, 0, len(in))
		for _, c := range in {
			out = append(out, campaign.Chat{ID: p(c.ID), WebhookKey: campaign.Secret(sim.ChatKey(p(c.ID)))})
		}
		return out
	}
	prefixed := func(in []string) []string {
		out := make([]string, 0, len(in))
		for _, s := range in {
			out = append(out, p(s))
		}
		return out
	}
	cfg.WeCom.APIBaseURL = fakeURL
	cfg.WeCom.ReplyBudget = 20 * time.Second // two replicas under -race on a shared machine
	cfg.Store.Path = filepath.Join(dir, "unused.db")
	cfg.Media.Dir = filepath.Join(dir, "media")
	cfg.Access.OfficeUsers = prefixed(cfg.Access.OfficeUsers)
	cfg.Access.OfficeChats = chats(cfg.Access.OfficeChats)
	units := make(campaign.Roster, 0, len(cfg.Units))
	for _, u := range cfg.Units {
		u.Officers, u.Chats, u.OfficerInfo = prefixed(u.Officers), chats(u.Chats), nil
		units = append(units, u)
	}
	units[len(units)-1].Name = streetName(id) + "消防站"
	cfg.Campaign.Name = strings.Replace(cfg.Campaign.Name, "上清寺街道", streetName(id), 1)
	cfg.Campaign.Organiser = streetName(id) + "办事处"
	cfg.Units = units
	plans := slices.Clone(cfg.Reminders.Plans)
	found := false
	for i := range plans {
		if plans[i].ID == "main_event_notice" {
			offsets := slices.Clone(plans[i].Offsets)
			offsets[0] = "-1d@" + notice
			plans[i].Offsets, found = offsets, true
		}
	}
	if !found {
		t.Fatal("the example configuration has no main_event_notice")
	}
	cfg.Reminders.Plans = plans
	return &cfg
}

func streetName(id string) string {
	for _, s := range districtStreets {
		if s.id == id {
			return s.name
		}
	}
	return ""
}

// districtFake starts a fake WeCom (on real; nil is the real clock) that
// knows every chat and user of the district, and returns it with the
// district configured against it.
func districtFake(t *testing.T, dir string, real clock.Clock) (*fakewecom.Server, *config.District) {
	t.Helper()
	base := configtest.Example(t)
	fake := fakewecom.New(fakewecom.Options{CorpID: base.WeCom.CorpID, Secret: base.WeCom.Secret.Reveal(), AgentID: base.WeCom.AgentID, Real: real})
	t.Cleanup(fake.Close)
	dist := districtConfig(t, fake.URL(), dir)
	fake.AddUser(dist.Users...)
	fake.RegisterWebhookKey(sim.ChatKey(districtChat), districtChat)
	for _, s := range dist.Streets {
		fake.AddUser(s.Config.Access.OfficeUsers...)
		for _, c := range s.Config.Access.OfficeChats {
			fake.RegisterWebhookKey(string(c.WebhookKey), c.ID)
		}
		for _, u := range s.Config.Units {
			fake.AddUser(u.Officers...)
			for _, c := range u.Chats {
				fake.RegisterWebhookKey(string(c.WebhookKey), c.ID)
			}
		}
	}
	return fake, dist
}

// streetGroups are the bound groups of one street of dist.
func streetGroups(dist *config.District, id string) []string {
	for _, s := range dist.Streets {
		if s.ID == id {
			return boundGroups(s.Config)
		}
	}
	return nil
}

// districtReplica is one `serve` process of the district: a District on
// its own connection to the shared Redis Cluster, with drivers that post
// callbacks to it.
type districtReplica struct {
	name       string
	d          *service.District
	robot, app *driver.Driver
}

// openDistrictReplica opens and starts a replica named name on the
// cluster under prefix; its WeCom calls carry the name (taggedTransport).
// opts gives the clocks and what else the test sets; the outboxes and
// schedulers are the test's to step.
func openDistrictReplica(t *testing.T, ctx context.Context, dist *config.District, prefix, name string, fakeURL string, opts service.Options) *districtReplica {
	t.Helper()
	opts = replicaOptions(t, redisstore.New(redistest.ClusterClient(t), prefix, redisstore.Options{Real: opts.Real}), name, opts)
	d, err := service.OpenDistrict(ctx, dist, opts)
	if err != nil {
		t.Fatal(err)
	}
	serve(t, ctx, d)
	shared := dist.Shared.WeCom
	mk := func(ch bot.Channel, path, token, key, receiveID string) *driver.Driver {
		dr, err := driver.New("http://"+d.Addr(), driver.Options{Channel: ch, Path: path, Token: token, EncodingAESKey: key,
			ReceiveID: receiveID, Clock: opts.Real, APIBase: fakeURL, CorpID: shared.CorpID, Timeout: 30 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return dr
	}
	return &districtReplica{name: name, d: d,
		robot: mk(bot.ChannelRobot, "/wecom/robot", shared.Robot.Token.Reveal(), shared.Robot.EncodingAESKey.Reveal(), ""),
		app:   mk(bot.ChannelApp, "/wecom/app", shared.Token.Reveal(), shared.EncodingAESKey.Reveal(), shared.CorpID),
	}
}

// deliver runs every outbox of the replica once — the district's and each
// street's, with the street's office jobs — as its loops would.
func (r *districtReplica) deliver(ctx context.Context) error {
	if _, err := r.d.Outbox.DeliverDue(ctx); err != nil {
		return err
	}
	for _, s := range r.d.Streets {
		if _, err := s.Outbox.DeliverDue(ctx); err != nil {
			return err
		}
		if err := s.OfficeTick(ctx); err != nil {
			return err
		}
		if _, err := s.Outbox.DeliverDue(ctx); err != nil {
			return err
		}
	}
	return nil
}

// streetStores are the street slots of d.
func streetStores(d *service.District) []store.Store {
	out := make([]store.Store, 0, len(d.Streets))
	for _, s := range d.Streets {
		out = append(out, s.Store)
	}
	return out
}

// districtPending counts the outbox entries still waiting in every slot of d.
func districtPending(t *testing.T, ctx context.Context, d *service.District) int {
	t.Helper()
	total := 0
	for _, st := range append([]store.Store{d.Store}, streetStores(d)...) {
		if err := st.View(ctx, func(tx store.Tx) error {
			n, _, err := store.OutboxPendingStats(tx)
			total += n
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	return total
}

// districtPair is two replicas of the district on one Redis Cluster key
// prefix, one fake WeCom, one media directory and both clocks.
type districtPair struct {
	t     *testing.T
	ctx   context.Context
	a, b  *districtReplica
	real  *clock.Fake
	camp  *clock.Fake
	fake  *fakewecom.Server
	dist  *config.District
	turns int
}

func newDistrictPair(t *testing.T, campaignAt string) *districtPair {
	t.Helper()
	ctx := context.Background()
	real := clock.NewFake(time.Now())
	camp := clock.NewFake(configtest.At(t, campaignAt))
	prefix := redistest.Prefix(t, redistest.ClusterClient(t))
	dir := t.TempDir()
	fake, dist := districtFake(t, dir, real)
	p := &districtPair{t: t, ctx: ctx, real: real, camp: camp, fake: fake, dist: dist}
	p.a = openDistrictReplica(t, ctx, dist, prefix, "A", fake.URL(), service.Options{Real: real, Campaign: camp})
	p.b = openDistrictReplica(t, ctx, dist, prefix, "B", fake.URL(), service.Options{Real: real, Campaign: camp})
	return p
}

// both runs f on the two replicas at once and fails the test on an error.
func (p *districtPair) both(what string, f func(*districtReplica) error) {
	p.t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, r := range []*districtReplica{p.a, p.b} {
		wg.Go(func() { errs[i] = f(r) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			p.t.Fatalf("%s on replica %c: %v", what, 'A'+i, err)
		}
	}
}

// advance moves the campaign clock to at, both replicas running every
// street's scheduler for every fire on the way.
func (p *districtPair) advance(at string) {
	p.t.Helper()
	to := configtest.At(p.t, at)
	p.both("scheduler", func(r *districtReplica) error {
		for _, s := range r.d.Streets {
			if err := s.RunSchedulerUntil(p.ctx, to); err != nil {
				return err
			}
		}
		return nil
	})
	p.camp.Set(to)
}

// settle delivers on both replicas at once, a real minute apart (rate
// windows), until every outbox of the district is empty.
func (p *districtPair) settle() {
	p.t.Helper()
	for range 10 {
		p.both("delivery", func(r *districtReplica) error { return r.deliver(p.ctx) })
		if districtPending(p.t, p.ctx, p.a.d) == 0 {
			return
		}
		p.real.Advance(time.Minute)
	}
	p.t.Fatal("the outboxes never drained")
}

// next is the replica the next callback goes to: A, B, A, …
func (p *districtPair) next() *districtReplica {
	r := p.a
	if p.turns%2 == 1 {
		r = p.b
	}
	p.turns++
	return r
}

// say posts a robot text callback from a group to the next replica and
// returns the passive reply.
func (p *districtPair) say(chatID, userID, text string) string {
	p.t.Helper()
	r := p.next()
	res, err := r.robot.SendRobotText(p.ctx, chatID, "group", userID, userID, "@firebot "+text)
	if err != nil || res.Status != 200 {
		p.t.Fatalf("%s in %s on replica %s: %v", text, chatID, r.name, err)
	}
	return sim.ReplyText(res.Reply)
}

// private sends text in user's one-to-one chat with the app to replica r
// and returns the answer: the passive reply and whatever was pushed to
// user after the outboxes settled.
func (p *districtPair) private(r *districtReplica, user, text string) string {
	p.t.Helper()
	seen := len(p.fake.Messages())
	res, err := r.app.SendAppText(p.ctx, user, text)
	if err != nil || res.Status != 200 {
		p.t.Fatalf("%s from %s on replica %s: %v", text, user, r.name, err)
	}
	answer := sim.ReplyText(res.Reply)
	p.settle()
	for _, m := range p.fake.Messages()[seen:] {
		if m.ToUser == user {
			answer += "\n" + string(m.Body)
		}
	}
	return answer
}

// reachedBy counts, per chat and per user, the messages whose content has
// marker.
func reachedBy(fake *fakewecom.Server, marker string) map[string]int {
	n := map[string]int{}
	for _, m := range fake.Messages() {
		if !strings.Contains(m.Content(), marker) {
			continue
		}
		for _, c := range m.Chats {
			n[c]++
		}
		if m.ToUser != "" {
			n[m.ToUser]++
		}
	}
	return n
}

// TestDistrictReplicasOnCluster is issue 23's end-to-end run: a district
// of three streets whose campaigns differ, two replicas on one Redis
// Cluster, callbacks alternating between them and both running every
// street's scheduler and delivery at the same moments. Each street's
// reminder reaches each of its groups exactly once and at its own hour; a
// district broadcast previewed on one replica and confirmed on the other
// reaches each street's office once; the district's 统计 spans the three
// streets and a street's people see only their street.
func TestDistrictReplicasOnCluster(t *testing.T) {
	p := newDistrictPair(t, "2023-11-08 14:00")
	p.advance("2023-11-08 14:00") // the schedulers' first pass marks where they start

	// The eve-of-event notice: 上清寺 at 16:00, 解放碑 at 17:00, 七星岗
	// at 18:00; at each hour only that street's groups get it.
	var all []string
	for _, s := range districtStreets {
		p.advance("2023-11-08 " + s.notice)
		p.settle()
		all = append(all, streetGroups(p.dist, s.id)...)
		got := copies(p.fake, districtNotice, "")
		for c := range got {
			if !slices.Contains(all, c) {
				t.Errorf("at %s %s already has the notice, before its street's hour", s.notice, c)
			}
		}
		exactlyOnce(t, s.name+" notice at "+s.notice, filterChats(got, streetGroups(p.dist, s.id)), streetGroups(p.dist, s.id))
	}
	exactlyOnce(t, "the district's notices", copies(p.fake, districtNotice, ""), all)

	// Group conversations alternate between the replicas and stay in
	// their street.
	for _, s := range districtStreets {
		group := s.id + "-chat_comm_xuetianwan"
		for range 2 {
			got := p.say(group, s.id+"-zhangsan", "进度")
			if got == "" || strings.Contains(got, "还没有归属") {
				t.Errorf("进度 in %s: %q", group, got)
			}
			for _, o := range districtStreets {
				if o.id != s.id && strings.Contains(got, o.name) {
					t.Errorf("进度 in %s shows %s:\n%s", group, o.name, got)
				}
			}
		}
	}

	// The district's 统计 (on A) spans the three streets.
	got := p.private(p.a, districtStaff, "统计")
	for _, want := range []string{"【全区进度】3个街道", "上清寺街道：", "解放碑街道：", "七星岗街道：", "按单位类型："} {
		if !strings.Contains(got, want) {
			t.Errorf("district 统计 lacks %q:\n%s", want, got)
		}
	}
	// A street's office, on either replica, sees only its street. (WeCom
	// drops a repeated text to the same person within half an hour.)
	for _, r := range []*districtReplica{p.a, p.b} {
		p.real.Advance(31 * time.Minute)
		for _, s := range districtStreets {
			got := p.private(r, s.id+"-zhujun", "统计")
			if !strings.Contains(got, "【统计】"+s.name) || strings.Contains(got, "全区") {
				t.Errorf("%s-zhujun's 统计 on %s: %q", s.id, r.name, got)
			}
			for _, o := range districtStreets {
				if o.id != s.id && strings.Contains(got, o.name) {
					t.Errorf("%s-zhujun's 统计 on %s shows %s:\n%s", s.id, r.name, o.name, got)
				}
			}
		}
	}

	// A district broadcast: previewed on A, confirmed on B.
	const text = "请各街道于11月30日前完成汇总报送"
	preview := p.private(p.a, districtStaff, "广播 "+text)
	if !strings.Contains(preview, "将发给3个街道") || !strings.Contains(preview, "回复“确认”发送") {
		t.Fatalf("broadcast preview on A: %q", preview)
	}
	if n := len(reachedBy(p.fake, "【渝中区通知】"+text)); n != 0 {
		t.Fatalf("the preview reached %d chats", n)
	}
	if got := p.private(p.b, districtStaff, "确认"); !strings.Contains(got, "广播已发出") {
		t.Fatalf("确认 on B: %q", got)
	}
	reached := reachedBy(p.fake, "【渝中区通知】"+text)
	offices := districtOffices(p.dist)
	exactlyOnce(t, "district broadcast", reached, offices)
	if got := p.private(p.a, districtStaff, "确认"); !strings.Contains(got, "没有等待确认的广播") {
		t.Errorf("a second 确认 on A: %q", got)
	}
	if n := reachedBy(p.fake, "【渝中区通知】"+text); len(n) != len(offices) {
		t.Errorf("after a second 确认 the broadcast reached %v", n)
	}

	sentA, sentB := sentBy(t, p.a.d.Registry), sentBy(t, p.b.d.Registry)
	t.Logf("deliveries: %v by replica A, %v by replica B", sentA, sentB)
	if sentA == 0 || sentB == 0 {
		t.Errorf("one replica delivered nothing (A %v, B %v): the replicas did not share the work", sentA, sentB)
	}
}

// districtOffices are the office chats and office users of every street:
// where a district broadcast to all streets goes.
func districtOffices(dist *config.District) []string {
	var out []string
	for _, s := range dist.Streets {
		for _, c := range s.Config.Access.OfficeChats {
			out = append(out, c.ID)
		}
		out = append(out, s.Config.Access.OfficeUsers...)
	}
	return out
}

// filterChats keeps the counts of the chats in keep.
func filterChats(got map[string]int, keep []string) map[string]int {
	out := map[string]int{}
	for c, n := range got {
		if slices.Contains(keep, c) {
			out[c] = n
		}
	}
	return out
}
