package service_test

import (
	"context"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"firebot/bot"
	"firebot/bot/driver"
	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/ledger"
	"firebot/scheduler"
	"firebot/service"
	"firebot/sim"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
	"firebot/wecom/fakewecom"
)

// districtFixture is a district of three streets, each the example
// configuration with its own chat and user ids (prefixed with the street
// id), on one fake WeCom.
type districtFixture struct {
	d       *service.District
	fake    *fakewecom.Server
	robot   *driver.Driver
	app     *driver.Driver
	streets map[string]*config.Config
}

// streetConfig is the example configuration as street id: every chat and
// user id prefixed, so no group or person belongs to two streets.
func streetConfig(t *testing.T, id, dir, api string) *config.Config {
	cfg := *configtest.Example(t)
	p := func(s string) string { return id + "-" + s }
	cfg.WeCom.APIBaseURL = api
	cfg.Store.Path = filepath.Join(dir, id+".db")
	cfg.Media.Dir = filepath.Join(dir, "media")
	users := make([]string, 0, len(cfg.Access.OfficeUsers))
	for _, u := range cfg.Access.OfficeUsers {
		users = append(users, p(u))
	}
	cfg.Access.OfficeUsers = users
	chats := make([]campaign.Chat, 0, len(cfg.Access.OfficeChats))
	for _, c := range cfg.Access.OfficeChats {
		chats = append(chats, campaign.Chat{ID: p(c.ID), WebhookKey: campaign.Secret(sim.ChatKey(p(c.ID)))})
	}
	cfg.Access.OfficeChats = chats
	units := make(campaign.Roster, 0, len(cfg.Units))
	for _, u := range cfg.Units {
		var officers []string
		for _, o := range u.Officers {
			officers = append(officers, p(o))
		}
		var uc []campaign.Chat
		for _, c := range u.Chats {
			uc = append(uc, campaign.Chat{ID: p(c.ID), WebhookKey: campaign.Secret(sim.ChatKey(p(c.ID)))})
		}
		u.Officers, u.Chats, u.OfficerInfo = officers, uc, nil
		units = append(units, u)
	}
	cfg.Units = units
	return &cfg
}

// newDistrict starts the district on one embedded file; newDistrictOn
// takes the backend all slots share.
func newDistrict(t *testing.T) *districtFixture {
	t.Helper()
	real := clock.NewFake(time.Now())
	root, err := embedded.Open(filepath.Join(t.TempDir(), "firebot.db"), embedded.Options{Real: real})
	if err != nil {
		t.Fatal(err)
	}
	return newDistrictOn(t, root, real)
}

func newDistrictOn(t *testing.T, root store.Store, real *clock.Fake) *districtFixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	base := configtest.Example(t)
	fake := fakewecom.New(fakewecom.Options{CorpID: base.WeCom.CorpID, Secret: base.WeCom.Secret.Reveal(), AgentID: base.WeCom.AgentID, Real: real})
	t.Cleanup(fake.Close)
	f := &districtFixture{fake: fake, streets: map[string]*config.Config{}}
	dist := &config.District{ID: "yuzhong", Name: "渝中区", Users: []string{"qu-zhang"},
		Chats: []campaign.Chat{{ID: "chat_district", WebhookKey: campaign.Secret(sim.ChatKey("chat_district"))}}}
	fake.RegisterWebhookKey(sim.ChatKey("chat_district"), "chat_district")
	for _, s := range []struct{ id, name string }{{"sqs", "上清寺街道"}, {"jfb", "解放碑街道"}, {"qxg", "七星岗街道"}} {
		cfg := streetConfig(t, s.id, dir, fake.URL())
		cfg.Units[len(cfg.Units)-1].Name = s.name + "消防站" // a name only this street has
		fake.AddUser(cfg.Access.OfficeUsers...)
		for _, c := range cfg.Access.OfficeChats {
			fake.RegisterWebhookKey(string(c.WebhookKey), c.ID)
		}
		for _, u := range cfg.Units {
			fake.AddUser(u.Officers...)
			for _, c := range u.Chats {
				fake.RegisterWebhookKey(string(c.WebhookKey), c.ID)
			}
		}
		f.streets[s.id] = cfg
		dist.Streets = append(dist.Streets, &config.Street{ID: s.id, Name: s.name, Config: cfg})
	}
	dist.Shared = dist.Streets[0].Config
	fake.AddUser(dist.Users...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d, err := service.OpenDistrict(ctx, dist, service.Options{Real: real, Campaign: clock.NewFake(configtest.At(t, "2023-11-20 10:00")),
		Store: root, Listener: ln, ManualOutbox: true, ManualScheduler: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Shutdown(context.Background()) })
	f.d = d
	mk := func(ch bot.Channel, path, token, key, receiveID string) *driver.Driver {
		dr, err := driver.New("http://"+d.Addr(), driver.Options{Channel: ch, Path: path, Token: token, EncodingAESKey: key,
			ReceiveID: receiveID, Clock: real, APIBase: fake.URL(), CorpID: base.WeCom.CorpID})
		if err != nil {
			t.Fatal(err)
		}
		return dr
	}
	f.robot = mk(bot.ChannelRobot, "/wecom/robot", base.WeCom.Robot.Token.Reveal(), base.WeCom.Robot.EncodingAESKey.Reveal(), "")
	f.app = mk(bot.ChannelApp, "/wecom/app", base.WeCom.Token.Reveal(), base.WeCom.EncodingAESKey.Reveal(), base.WeCom.CorpID)
	return f
}

func (f *districtFixture) say(t *testing.T, chat, user, text string) string {
	t.Helper()
	res, err := f.robot.SendRobotText(context.Background(), chat, "group", user, user, text)
	if err != nil {
		t.Fatal(err)
	}
	return sim.ReplyText(res.Reply)
}

// private sends text in user's one-to-one chat and returns the answer:
// the passive reply and what was pushed to user (a long answer is pushed
// in parts from the outbox of the street, or the district, it ran in).
func (f *districtFixture) private(t *testing.T, user, text string) string {
	t.Helper()
	ctx := context.Background()
	seen := len(f.fake.Messages())
	res, err := f.app.SendAppText(ctx, user, text)
	if err != nil {
		t.Fatal(err)
	}
	answer := sim.ReplyText(res.Reply)
	if _, err := f.d.Outbox.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"sqs", "jfb", "qxg"} {
		if _, err := f.d.Street(id).Outbox.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range f.fake.Messages()[seen:] {
		if m.ToUser == user {
			answer += "\n" + string(m.Body)
		}
	}
	return answer
}

// TestDistrictRoutesEachStreet: a group's and a person's messages run in
// their own street (its store, its office's view), the district staff see
// every street, and strangers are told how to join one.
func TestDistrictRoutesEachStreet(t *testing.T) {
	checkRoutes(t, newDistrict(t))
}

// TestDistrictOnRedisCluster: the same on a Redis Cluster, where each
// street's slot carries its own hash tag.
func TestDistrictOnRedisCluster(t *testing.T) {
	checkRoutes(t, newDistrictOnCluster(t))
}

// newDistrictOnCluster starts the district on the test Redis Cluster.
func newDistrictOnCluster(t *testing.T) *districtFixture {
	t.Helper()
	client := redistest.ClusterClient(t)
	real := clock.NewFake(time.Now())
	return newDistrictOn(t, redisstore.New(client, redistest.Prefix(t, client), redisstore.Options{Real: real}), real)
}

func checkRoutes(t *testing.T, f *districtFixture) {
	ctx := context.Background()
	// Record ids repeat across streets: each street keeps its media apart.
	for id := range f.streets {
		if dir := f.d.Street(id).Config.Media.Dir; filepath.Base(dir) != id || filepath.Dir(dir) != f.streets[id].Media.Dir {
			t.Errorf("street %s media under %s, want %s/%s", id, dir, f.streets[id].Media.Dir, id)
		}
	}

	// 免打扰 in 解放碑's community group is kept in 解放碑's store only.
	if got := f.say(t, "jfb-chat_comm_xuetianwan", "jfb-zhangsan", "免打扰"); !strings.Contains(got, "已为本群开启免打扰") {
		t.Fatalf("免打扰 in jfb: %q", got)
	}
	for id, want := range map[string]bool{"jfb": true, "sqs": false, "qxg": false} {
		s := f.d.Street(id)
		var muted bool
		if err := s.Store.View(ctx, func(tx store.Tx) error {
			var err error
			_, muted, err = scheduler.Muted(tx, &s.Config.Campaign, "jfb-chat_comm_xuetianwan")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if muted != want {
			t.Errorf("street %s: muted = %v, want %v", id, muted, want)
		}
	}

	// A street's office sees its own street: its 统计 is the street's.
	got := f.private(t, "sqs-zhujun", "统计")
	if strings.Contains(got, "全区") || strings.Contains(got, "解放碑街道") || got == "" {
		t.Fatalf("street office 统计 shows more than its street: %q", got)
	}

	// The district staff's 统计 spans the three streets.
	got = f.private(t, "qu-zhang", "统计")
	for _, want := range []string{"【全区进度】3个街道", "上清寺街道：", "解放碑街道：", "七星岗街道：", "按单位类型："} {
		if !strings.Contains(got, want) {
			t.Errorf("district 统计 lacks %q:\n%s", want, got)
		}
	}
	// A street's staff cannot reach the district's view.
	if got := f.private(t, "jfb-zhujun", "统计"); strings.Contains(got, "全区") {
		t.Errorf("street staff got the district view: %q", got)
	}

	// A stranger's group belongs to no street.
	if got := f.say(t, "chat_unknown", "passerby", "进度"); !strings.Contains(got, "还没有归属任何街道") {
		t.Errorf("unknown group: %q", got)
	}
	// 绑定 in a new group goes to the street of the unit it names; a name
	// every street has goes by the sender's street.
	for _, tc := range []struct{ chat, user, unit, want string }{
		{"chat_new1", "passerby", "七星岗街道消防站", "qxg"},
		{"chat_new2", "jfb-zhangsan", f.streets["jfb"].Units[3].Name, "jfb"},
	} {
		if got := f.say(t, tc.chat, tc.user, "绑定 "+tc.unit); strings.Contains(got, "还没有归属") || got == "" {
			t.Errorf("绑定 %s: %q", tc.unit, got)
		}
		var street []byte
		if err := f.d.Store.View(ctx, func(tx store.Tx) error {
			var err error
			street, err = tx.Get("route_chat", tc.chat)
			return err
		}); err != nil || string(street) != tc.want {
			t.Errorf("route index for %s = %q, %v; want %s", tc.chat, street, err, tc.want)
		}
	}
}

// delivered flushes every outbox and returns what reached WeCom since seen.
func (f *districtFixture) delivered(t *testing.T, seen int) []fakewecom.Recorded {
	t.Helper()
	ctx := context.Background()
	if _, err := f.d.Outbox.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	return f.fake.Messages()[seen:]
}

// TestDistrictChaseAndBroadcast: the district's 催报 reaches one street's
// office, its 广播 reaches every street's office chat once and only after
// 确认, and an unknown street sends nothing.
func TestDistrictChaseAndBroadcast(t *testing.T) {
	f := newDistrict(t)
	reached := func(msgs []fakewecom.Recorded, want string) map[string]int {
		got := map[string]int{}
		for _, m := range msgs {
			if !strings.Contains(string(m.Body), want) {
				continue
			}
			for _, c := range m.Chats {
				got[c]++
			}
			if m.ToUser != "" {
				got[m.ToUser]++
			}
		}
		return got
	}

	seen := len(f.fake.Messages())
	if got := f.private(t, "qu-zhang", "催报 解放碑"); !strings.Contains(got, "已提醒解放碑街道") {
		t.Fatalf("催报: %q", got)
	}
	got := reached(f.delivered(t, seen), "【渝中区催报】解放碑街道：完成")
	if len(got) != 2 || got["jfb-chat_office"] != 1 || got["jfb-zhujun"] != 1 {
		t.Fatalf("催报 reached %v, want jfb's office chat and staff once each", got)
	}

	seen = len(f.fake.Messages())
	if got := f.private(t, "qu-zhang", "广播 解放碑街道、朝天门街道 请于本周五前汇总"); !strings.Contains(got, "没有找到街道：朝天门街道") {
		t.Fatalf("unknown street: %q", got)
	}
	if got := f.private(t, "qu-zhang", "确认"); !strings.Contains(got, "没有等待确认的广播") {
		t.Fatalf("确认 after a refused broadcast: %q", got)
	}
	if msgs := f.delivered(t, seen); len(msgs) != 0 {
		t.Fatalf("a refused broadcast sent %d messages", len(msgs))
	}

	preview := f.private(t, "qu-zhang", "广播 请各街道于11月30日前完成汇总报送")
	if !strings.Contains(preview, "将发给3个街道") || !strings.Contains(preview, "回复“确认”发送") {
		t.Fatalf("preview: %q", preview)
	}
	if msgs := f.delivered(t, seen); len(msgs) != 0 {
		t.Fatalf("the preview sent %d messages", len(msgs))
	}
	if got := f.private(t, "qu-zhang", "确认"); !strings.Contains(got, "广播已发出") {
		t.Fatalf("确认: %q", got)
	}
	got = reached(f.delivered(t, seen), "【渝中区通知】请各街道于11月30日前完成汇总报送")
	for _, want := range []string{"sqs-chat_office", "jfb-chat_office", "qxg-chat_office", "sqs-zhujun", "jfb-zhujun", "qxg-zhujun"} {
		if got[want] != 1 {
			t.Errorf("%s got the broadcast %d times, want 1 (all: %v)", want, got[want], got)
		}
	}
	if len(got) != 6 {
		t.Errorf("broadcast reached %v, want the three offices only", got)
	}
	// Street staff cannot use the district's desk.
	if got := f.private(t, "jfb-zhujun", "广播 全区 测试"); strings.Contains(got, "将发给3个街道") {
		t.Errorf("street staff reached the district broadcast: %q", got)
	}
}

// TestDistrictExport: the district staff's 导出 writes one workbook under
// the media directory's district/exports and sends it as a file to the
// district chat; it holds every street, each street's TJ-0001 shown with
// its street.
func TestDistrictExport(t *testing.T) {
	f := newDistrict(t)
	ctx := context.Background()
	for _, id := range []string{"jfb", "sqs"} {
		s := f.d.Street(id)
		unit := s.Config.Units[len(s.Config.Units)-1]
		if err := s.Store.Update(ctx, func(tx store.Tx) error {
			r := &store.Record{Kind: store.KindNomination, CampaignID: s.Config.Campaign.ID, UnitID: unit.ID,
				ReporterID: id + "-zhangsan", CreatedAt: configtest.At(t, "2023-10-20 10:00")}
			if err := ledger.Encode(r, ledger.Nomination{NomineeKind: "个人", Name: "王秀英", Affiliation: unit.Name,
				Years: 3, Scope: 1, Deeds: "多年坚持消防宣传。", Phone: "13800138000"}); err != nil {
				return err
			}
			return store.PutRecord(tx, r)
		}); err != nil {
			t.Fatal(err)
		}
	}

	seen := len(f.fake.Messages())
	got := f.private(t, "qu-zhang", "导出")
	if !strings.Contains(got, "已发到区级工作群") {
		t.Fatalf("导出: %q", got)
	}
	var heads, files int
	for _, m := range f.delivered(t, seen) {
		if !slices.Contains(m.Chats, "chat_district") {
			continue
		}
		switch {
		case m.MsgType == "file":
			files++
		case strings.Contains(m.Content(), "【渝中区导出】"):
			heads++
		}
	}
	if heads != 1 || files != 1 {
		t.Fatalf("district chat got %d heads and %d files, want one each", heads, files)
	}

	found, err := filepath.Glob(filepath.Join(f.streets["jfb"].Media.Dir, "district", "exports", "*.xlsx"))
	if err != nil || len(found) != 1 {
		t.Fatalf("district exports: %v, %v", found, err)
	}
	wb, err := excelize.OpenFile(found[0])
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	summary, err := wb.GetRows("汇总")
	if err != nil {
		t.Fatal(err)
	}
	var streets []string
	for _, r := range summary[3:] {
		streets = append(streets, r[1])
	}
	if want := []string{"上清寺街道", "解放碑街道", "七星岗街道", "合计"}; !slices.Equal(streets, want) {
		t.Errorf("汇总 lines %q, want %q", streets, want)
	}
	noms, err := wb.GetRows("志愿者推荐")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range noms[1:] {
		ids = append(ids, r[1])
	}
	if want := []string{"上清寺街道 TJ-0001", "解放碑街道 TJ-0001"}; !slices.Equal(ids, want) {
		t.Errorf("志愿者推荐 ids %q, want %q", ids, want)
	}
	for _, sheet := range []string{"推荐表-上清寺-TJ-0001-王秀英", "推荐表-解放碑-TJ-0001-王秀英"} {
		if idx, err := wb.GetSheetIndex(sheet); err != nil || idx < 0 {
			t.Errorf("no sheet %s in %q", sheet, wb.GetSheetList())
		}
	}

	// A street's staff cannot export the district.
	if got := f.private(t, "jfb-zhujun", "导出"); strings.Contains(got, "区级工作群") {
		t.Errorf("street staff reached the district export: %q", got)
	}
}

// TestDistrictExportStreetUnreadable: a street whose store fails stops the
// export: the reply names the street, and nothing is sent or kept.
func TestDistrictExportStreetUnreadable(t *testing.T) {
	f := newDistrict(t)
	ctx := context.Background()
	if err := f.d.Street("qxg").Store.Close(); err != nil {
		t.Fatal(err)
	}
	seen := len(f.fake.Messages())
	res, err := f.app.SendAppText(ctx, "qu-zhang", "导出")
	if err != nil {
		t.Fatal(err)
	}
	got := sim.ReplyText(res.Reply)
	msgs := f.delivered(t, seen)
	for _, m := range msgs {
		got += "\n" + string(m.Body)
	}
	if !strings.Contains(got, "七星岗街道的数据暂时读不到") {
		t.Errorf("reply %q does not name the unreadable street", got)
	}
	for _, m := range msgs {
		if m.MsgType == "file" || slices.Contains(m.Chats, "chat_district") {
			t.Errorf("sent to the district chat: %s %s", m.MsgType, m.Body)
		}
	}
	found, err := filepath.Glob(filepath.Join(f.streets["jfb"].Media.Dir, "district", "exports", "*"))
	if err != nil || len(found) != 0 {
		t.Errorf("files left: %v (%v)", found, err)
	}
}

// TestDistrictStaffEnterWord: "进入 街道名", the words the desk's help and
// reply use, enters the street as naming it alone does; "进入" alone or
// with a name that is no street asks which street and enters none.
func TestDistrictStaffEnterWord(t *testing.T) {
	f := newDistrict(t)
	if got := f.private(t, "qu-zhang", "进入"); !strings.Contains(got, "请写明进入哪个街道") {
		t.Fatalf("进入 alone: %q", got)
	}
	if got := f.private(t, "qu-zhang", "进入 观音岩街道"); !strings.Contains(got, "没有找到街道：观音岩街道") {
		t.Fatalf("进入 an unknown street: %q", got)
	}
	if got := f.private(t, "qu-zhang", "统计"); !strings.Contains(got, "【全区进度】") {
		t.Fatalf("统计 after entering no street: %q", got)
	}
	if got := f.private(t, "qu-zhang", "进入 解放碑街道"); !strings.Contains(got, "已进入解放碑街道") {
		t.Fatalf("进入 解放碑街道: %q", got)
	}
	if got := f.private(t, "qu-zhang", "统计"); strings.Contains(got, "全区") || !strings.Contains(got, "全街道") {
		t.Fatalf("统计 after 进入 解放碑街道: %q", got)
	}
}

// TestDistrictFullWidthSpace: the district's commands read words apart by
// a full-width space (an input method in full-width mode types one), as
// a street's commands do: 催报, 广播 with its streets, and a street's name
// that enters the street.
func TestDistrictFullWidthSpace(t *testing.T) {
	f := newDistrict(t)
	if got := f.private(t, "qu-zhang", "催报　解放碑"); !strings.Contains(got, "已提醒解放碑街道") {
		t.Fatalf("催报 with a full-width space: %q", got)
	}
	if got := f.private(t, "qu-zhang", "广播　解放碑街道　请于本周五前汇总"); !strings.Contains(got, "将发给1个街道（解放碑街道）") {
		t.Fatalf("广播 with full-width spaces: %q", got)
	}
	if got := f.private(t, "qu-zhang", "取消"); !strings.Contains(got, "广播已取消") {
		t.Fatalf("取消: %q", got)
	}
	if got := f.private(t, "qu-zhang", "解放碑街道　统计"); strings.Contains(got, "全区") || !strings.Contains(got, "全街道") {
		t.Fatalf("a street's 统计 with a full-width space: %q", got)
	}
}

// TestDistrictStaffActInAStreet: district staff enter a street by naming
// it and act there as its office, for reading and notifying only: the
// street's own 统计, a 广播 to its schools with the street's preview and
// 确认, while 代录 is refused; 返回区级 brings them back.
func TestDistrictStaffActInAStreet(t *testing.T) {
	f := newDistrict(t)
	if got := f.private(t, "qu-zhang", "解放碑街道"); !strings.Contains(got, "已进入解放碑街道") {
		t.Fatalf("entering: %q", got)
	}
	if got := f.private(t, "qu-zhang", "统计"); strings.Contains(got, "全区") || !strings.Contains(got, "全街道") {
		t.Fatalf("统计 in the street: %q", got)
	}
	if got := f.private(t, "qu-zhang", "代录 学田湾社区"); !strings.Contains(got, "不能新增或修改街道的记录") {
		t.Fatalf("代录 by district staff: %q", got)
	}
	seen := len(f.fake.Messages())
	preview := f.private(t, "qu-zhang", "广播 学校 请周五前报送演练方案")
	if !strings.Contains(preview, "请周五前报送演练方案") || !strings.Contains(preview, "确认") {
		t.Fatalf("street broadcast preview: %q", preview)
	}
	if got := f.private(t, "qu-zhang", "确认"); got == "" || strings.Contains(got, "没有等待确认的广播") {
		t.Fatalf("确认 in the street: %q", got)
	}
	if _, err := f.d.Street("jfb").Outbox.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	reached := map[string]bool{}
	for _, m := range f.fake.Messages()[seen:] {
		if strings.Contains(string(m.Body), "请周五前报送演练方案") {
			for _, c := range m.Chats {
				reached[c] = true
			}
		}
	}
	if len(reached) == 0 {
		t.Fatal("the street broadcast reached no group")
	}
	for c := range reached {
		if !strings.HasPrefix(c, "jfb-") {
			t.Errorf("the street broadcast reached %s, outside 解放碑街道", c)
		}
	}
	if got := f.private(t, "qu-zhang", "返回区级"); !strings.Contains(got, "已回到区级") {
		t.Fatalf("返回区级: %q", got)
	}
	if got := f.private(t, "qu-zhang", "统计"); !strings.Contains(got, "【全区进度】3个街道") {
		t.Fatalf("统计 back in the district: %q", got)
	}
	// The district's broadcasts still go to the streets' own office staff
	// only, not back to the district staff acting in them.
	f.private(t, "qu-zhang", "广播 解放碑街道 测试通知")
	f.private(t, "qu-zhang", "确认")
	for _, m := range f.fake.Messages() {
		if m.ToUser == "qu-zhang" && strings.Contains(string(m.Body), "【渝中区通知】") {
			t.Errorf("the district's broadcast reached district staff: %s", m.Body)
		}
	}
}
