package sim_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"firebot/archive"
	"firebot/clock"
	"firebot/config/configtest"
	"firebot/ledger"
	"firebot/sim"
	"firebot/store"
)

// campaignSim starts firebot on the example configuration with both clocks
// fake: the campaign clock at campaignAt, the real clock at real time.
func campaignSim(t *testing.T, dir string, campaignAt time.Time) (*sim.Sim, *clock.Fake) {
	t.Helper()
	cfg := configtest.Example(t)
	camp := clock.NewFake(campaignAt)
	s, err := sim.New(context.Background(), sim.Options{Config: cfg, Dir: dir, Real: clock.NewFake(time.Now()), Campaign: camp})
	if err != nil {
		t.Fatal(err)
	}
	return s, camp
}

// talk sends each line and returns the last reply; it fails on any error.
func talk(t *testing.T, send func(string) (string, error), lines ...string) string {
	t.Helper()
	var last string
	for _, l := range lines {
		r, err := send(l)
		if err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		last = r
	}
	return last
}

func record(t *testing.T, s *sim.Sim, id string) *store.Record {
	t.Helper()
	var r *store.Record
	err := s.Service.Store.View(context.Background(), func(tx store.Tx) error {
		var err error
		r, err = store.GetRecord(tx, id)
		return err
	})
	if err != nil {
		t.Fatalf("record %s: %v", id, err)
	}
	return r
}

func TestConfirmationInGroupThroughCallbacks(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2023, 11, 6, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	s, _ := campaignSim(t, t.TempDir(), at)
	defer s.Close()
	say := func(l string) (string, error) { return s.Say(ctx, "chat_comm_xuetianwan", "wangxiao", l) }
	last := talk(t, say, "上报", "2", "11月3日", "八十人", "社区广场", "跳过", "人数 86", "确认")
	if !strings.Contains(last, "HD-0001") {
		t.Fatalf("no record id in %q", last)
	}
	r := record(t, s, "HD-0001")
	c, err := ledger.DecodeConfirmation(r)
	if err != nil {
		t.Fatal(err)
	}
	if r.UnitID != "comm_xuetianwan" || r.TaskID != "all_hands_drill" || c.Date != "2023-11-03" || c.Fields["participants"] != "86" || c.Place != "社区广场" {
		t.Fatalf("record %+v payload %+v", r, c)
	}
}

func TestFreeTextShortcutAndRestartMidDialog(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	at := time.Date(2023, 11, 6, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	s, _ := campaignSim(t, dir, at)
	first, err := s.Say(ctx, "chat_comm_xuetianwan", "wangxiao", "今天上午我们社区组织了全员应急疏散演练，80人参加")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, "80") {
		t.Fatalf("shortcut did not fill the count: %q", first)
	}
	s.Close() // the service stops mid-dialog…

	s, _ = campaignSim(t, dir, at.Add(5*time.Minute)) // …and comes back on the same store
	defer s.Close()
	last := talk(t, func(l string) (string, error) { return s.Say(ctx, "chat_comm_xuetianwan", "wangxiao", l) }, "确认")
	if !strings.Contains(last, "HD-0001") {
		t.Fatalf("dialog not resumed after restart: %q", last)
	}
	c, _ := ledger.DecodeConfirmation(record(t, s, "HD-0001"))
	if c.Date != "2023-11-06" || c.Fields["participants"] != "80" {
		t.Fatalf("payload %+v", c)
	}
}

func TestNominationPrivatelyWithPhotoAndLongDeeds(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2023, 10, 27, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	s, camp := campaignSim(t, t.TempDir(), at)
	defer s.Close()
	say := func(l string) (string, error) { return s.SayPrivately(ctx, "zhangsan", l) }
	talk(t, say, "推荐", "个人", "李大妈", "学田湾社区红袖章志愿队", "5", "2")
	long := strings.Repeat("巡查", 600) // 1,200 characters
	reply := talk(t, say, long)
	if !strings.Contains(reply, "1200") {
		t.Fatalf("over-long deeds not refused with the count: %q", reply)
	}
	talk(t, say, strings.Repeat("巡查", 450), "完成", "13812345678")
	last := talk(t, say, "确认")
	if !strings.Contains(last, "TJ-0001") {
		t.Fatalf("nomination not saved: %q", last)
	}
	n, _ := ledger.DecodeNomination(record(t, s, "TJ-0001"))
	if n.Name != "李大妈" || n.Years != 5 || len([]rune(n.Deeds)) != 900 || n.Phone == "" {
		t.Fatalf("nomination %+v", n)
	}

	// A photo sent privately attaches to the user's latest record.
	camp.Set(time.Date(2023, 11, 8, 15, 0, 0, 0, at.Location()))
	done := talk(t, func(l string) (string, error) { return s.Say(ctx, "chat_comm_xuetianwan", "zhangsan", l) },
		"上报", "1", "今天", "120", "跳过", "跳过", "确认")
	if !strings.Contains(done, "HD-0001") {
		t.Fatalf("confirmation not saved: %q", done)
	}
	png, err := os.ReadFile(filepath.Join("testdata", "photo.png"))
	if err != nil {
		t.Fatal(err)
	}
	img := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(png) }))
	defer img.Close()
	turn, err := s.ImageIn(ctx, sim.PrivateChat("zhangsan"), "zhangsan", img.URL+"/p.png")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(turn.Text, "HD-0001") {
		t.Fatalf("photo reply %q does not name the record", turn.Text)
	}
	c, _ := ledger.DecodeConfirmation(record(t, s, "HD-0001"))
	if len(c.Photos) != 1 {
		t.Fatalf("photos %v", c.Photos)
	}
	if _, err := os.Stat(filepath.Join(s.Config.Media.Dir, c.Photos[0])); err != nil {
		t.Fatalf("photo file: %v", err)
	}
}

func TestArchivedCampaignIsReadOnly(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2023, 12, 5, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	s, _ := campaignSim(t, t.TempDir(), at)
	defer s.Close()
	if _, err := archive.Archive(ctx, s.Service.Store, s.Config, "zhujun", archive.Options{Now: at, Force: true}); err != nil {
		t.Fatal(err)
	}
	reply, err := s.Say(ctx, "chat_comm_xuetianwan", "wangxiao", "上报")
	if err != nil || !strings.Contains(reply, "已归档") {
		t.Fatalf("上报 after archive: %q %v", reply, err)
	}
	reply, err = s.Say(ctx, "chat_comm_xuetianwan", "wangxiao", "进度")
	if err != nil || !strings.Contains(reply, "学田湾社区") {
		t.Fatalf("进度 after archive: %q %v", reply, err)
	}
}

// A broadcast asking for read-back offers officers a 收到 button on an
// application card; clicking it acknowledges for their unit.
func TestBroadcastAckByCardButton(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2023, 10, 26, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	s, _ := campaignSim(t, t.TempDir(), at)
	defer s.Close()
	if _, err := s.Say(ctx, "chat_office", "zhujun", "广播 社区 回执 请各社区本周内完成消防设施自查"); err != nil {
		t.Fatal(err)
	}
	if r, err := s.Say(ctx, "chat_office", "zhujun", "确认"); err != nil || !strings.Contains(r, "GB-0001") {
		t.Fatalf("confirm: %q %v", r, err)
	}
	pushes, err := s.NewPushes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var card string
	for _, p := range pushes {
		if p.API == "message/send" && p.MsgType == "template_card" && p.ToUser == "zhangsan|lisi" {
			card = string(p.Body)
		}
	}
	if !strings.Contains(card, `"key":"收到 GB-0001"`) {
		t.Fatalf("no 收到 card for 学田湾社区's officers in %v", pushes)
	}
	res, err := s.App.SendAppCardEvent(ctx, "lisi", "button_interaction", "ack-GB-0001-comm_xuetianwan", "收到 GB-0001", "RC1", nil)
	if err != nil || res.Status != 200 {
		t.Fatalf("click: %v %+v", err, res)
	}
	got, err := s.Say(ctx, "chat_office", "zhujun", "回执 GB-0001")
	if err != nil {
		t.Fatal(err)
	}
	acked, _, _ := strings.Cut(got, "未回执")
	if !strings.Contains(acked, "学田湾社区") {
		t.Fatalf("read-back does not list 学田湾社区 as acknowledged:\n%s", got)
	}
}

// 免打扰 in a group stops its reminders (not those of a deadline's last
// day); 恢复提醒 restarts them; 进度 shows the state.
func TestMuteThroughCallbacks(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2023, 11, 27, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	s, _ := campaignSim(t, t.TempDir(), at)
	defer s.Close()
	chat := "chat_comm_xuetianwan"
	if r, err := s.Say(ctx, chat, "wangxiao", "免打扰"); err != nil || strings.Contains(r, "已暂停") {
		t.Fatalf("a grid worker muted the group: %q %v", r, err)
	}
	if r, err := s.Say(ctx, chat, "zhangsan", "免打扰"); err != nil || !strings.Contains(r, "免打扰") {
		t.Fatalf("officer mute: %q %v", r, err)
	}
	if r, _ := s.Say(ctx, chat, "zhangsan", "进度"); !strings.Contains(r, "已暂停") {
		t.Fatalf("进度 does not show the mute: %q", r)
	}
	reached := func(to time.Time) bool {
		if err := s.Advance(ctx, to); err != nil {
			t.Fatal(err)
		}
		pushes, err := s.NewPushes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pushes {
			if p.ChatID == chat {
				return true
			}
		}
		return false
	}
	if reached(time.Date(2023, 11, 28, 9, 30, 0, 0, at.Location())) {
		t.Fatal("a muted group got the 11-28 reminder")
	}
	if !reached(time.Date(2023, 12, 1, 9, 30, 0, 0, at.Location())) {
		t.Fatal("the last-day reminder did not reach the muted group")
	}
	if r, err := s.Say(ctx, chat, "zhangsan", "恢复提醒"); err != nil || !strings.Contains(r, "恢复") {
		t.Fatalf("unmute: %q %v", r, err)
	}
}
