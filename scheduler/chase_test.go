package scheduler

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/campaign"
	"firebot/store"
)

func TestChase(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(11, 20, 10, 0))
	reportFixture(f)
	d, ok := f.cfg.Campaign.Deadline("report")
	if !ok {
		t.Fatal("no report deadline")
	}
	// A muted group is chased anyway, and quiet hours (21:00–08:00) do not
	// defer a chase: it is the office asking now.
	f.update(func(tx store.Tx) error { return Mute(tx, &f.cfg.Campaign, "chat_shared", "jinbo", at(11, 20, 10, 0)) })
	now := at(11, 20, 22, 0)
	chase := func(round int) ChaseResult {
		t.Helper()
		var res ChaseResult
		f.update(func(tx store.Tx) error {
			var err error
			res, err = Chaser{}.Chase(tx, f.cfg, d, now, round, nil)
			return err
		})
		return res
	}
	wantRes := ChaseResult{Units: []string{"comm_nochat", "org_hotel", "org_other", "org_school"}, Groups: 2, Direct: 1}

	if diff := cmp.Diff(wantRes, chase(1)); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	got := f.drain()
	src := "chase:report:2023-11-20:1"
	title := "催报：活动信息和图文资料报送截止"
	deadline := "活动信息和图文资料报送截止：12月1日（周五）当天（还剩11天1小时）\n"
	orgTasks := "全员应急疏散演练、专项能力培训、职业技能培训、警示教育（三个一）、消防安全培训（三个一）、疏散演练及预案修订（三个一）、全民消防安全学习云平台注册学习、宣传氛围营造"
	want := []push{
		{Source: src, Key: src + ":chat:chat_school", Channel: "webhook", Target: "chat_school", Content: "<@heping> \n" +
			"**" + title + "**\n" + deadline +
			"> **示例实验小学**：尚未上报：" + orgTasks + "\n" + footer},
		// One message for the group bound to two owing units, muted or not.
		{Source: src, Key: src + ":chat:chat_shared", Channel: "webhook", Target: "chat_shared", Content: "<@jinbo> <@weilan> <@gelin> \n" +
			"**" + title + "**\n" + deadline +
			"> **示例大酒店**：尚未上报：主题宣传活动、" + orgTasks + "\n" +
			"> **示例物业服务公司**：尚未上报：主题宣传活动（已退回，待重新上报）、" + orgTasks + "\n" + footer},
		// A unit without a group: an application message to its officer.
		{Source: src, Key: src + ":unit:comm_nochat", Channel: "app", Target: "chener", Content: "【" + title + "】\n" + deadline +
			"桂花园社区：尚未上报：主题宣传活动、全员应急疏散演练、全民消防安全学习云平台注册学习、“四个一”消防体验、宣传氛围营造\n" + footer},
	}
	// Nothing for chat_a and chat_done: their units are done.
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pushes (-want +got):\n%s", diff)
	}

	// The same round again (a retried callback, a second process): the
	// same result, nothing sent twice.
	if diff := cmp.Diff(wantRes, chase(1)); diff != "" {
		t.Errorf("repeated round (-want +got):\n%s", diff)
	}
	if got := f.drain(); len(got) != 0 {
		t.Errorf("repeated round sent again: %v", targets(got))
	}

	// A second round: new keys, everyone owing chased again.
	if diff := cmp.Diff(wantRes, chase(2)); diff != "" {
		t.Errorf("round 2 (-want +got):\n%s", diff)
	}
	var keys []string
	for _, p := range f.drain() {
		keys = append(keys, p.Key)
	}
	if diff := cmp.Diff([]string{
		"chase:report:2023-11-20:2:chat:chat_school",
		"chase:report:2023-11-20:2:chat:chat_shared",
		"chase:report:2023-11-20:2:unit:comm_nochat",
	}, keys); diff != "" {
		t.Errorf("round 2 keys (-want +got):\n%s", diff)
	}

	// Round 1 of the next day is a new chase too.
	now = at(11, 21, 9, 0)
	chase(1)
	if got := f.drain(); len(got) != 3 || got[0].Source != "chase:report:2023-11-21:1" {
		t.Errorf("next day: %v", targets(got))
	}
}

func TestChaseNothingOwed(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(10, 26, 10, 0))
	d, ok := f.cfg.Campaign.Deadline("nomination_district")
	if !ok {
		t.Fatal("no nomination_district deadline")
	}
	for _, u := range f.cfg.Units {
		if u.Kind != campaign.KindSector {
			f.nominate(u.ID)
		}
	}
	var res ChaseResult
	f.update(func(tx store.Tx) error {
		var err error
		res, err = Chaser{}.Chase(tx, f.cfg, d, f.campaign.Now(), 1, nil)
		return err
	})
	if diff := cmp.Diff(ChaseResult{}, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if got := f.drain(); len(got) != 0 {
		t.Errorf("sent: %v", targets(got))
	}
}
