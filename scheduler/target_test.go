package scheduler

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/campaign"
	"firebot/config"
	"firebot/ledger"
	"firebot/store"
)

// smallConfig is the example campaign and plans with the small roster.
func smallConfig(t testing.TB) *config.Config {
	cfg := loadExample(t)
	cfg.Units = smallRoster()
	return cfg
}

// reportFixture gives the small roster some progress on the report:
// org_done and comm_a are done, org_school did two tasks, org_hotel has a
// task marked not applicable, org_other has a report sent back.
func reportFixture(f *fixture) {
	f.t.Helper()
	f.confirmAll("org_done")
	f.confirm("org_school", "evacuation_drill", "theme_publicity")
	f.confirmAll("comm_a")
	f.update(func(tx store.Tx) error {
		return ledger.MarkNotApplicable(tx, f.cfg.Campaign.ID, "org_hotel", ledger.NotApplicable{
			TaskID: "evacuation_drill", Reason: "停业装修", By: "zhujun", At: f.campaign.Now()})
	})
	f.update(func(tx store.Tx) error {
		now := f.campaign.Now()
		return store.PutRecord(tx, &store.Record{Kind: store.KindConfirmation, CampaignID: f.cfg.Campaign.ID,
			UnitID: "org_other", TaskID: "theme_publicity", Status: store.StatusReturned, CreatedAt: now, UpdatedAt: now})
	})
}

const footer = "发送“进度”查看详情；如有疑问请联系朱君（023-63850029）。"

func TestTargetingNominations(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(10, 26, 8, 0))
	s := f.scheduler(nil)
	f.step(s, at(10, 26, 10, 0))
	f.nominate("comm_a", "org_done")
	f.step(s, at(10, 26, 15, 0))
	got := f.drain()
	src := "reminder:nomination_chase:2023-10-26T15:00+08:00"
	want := []push{
		{Source: src, Key: src + ":chat:chat_school", Channel: "webhook", Target: "chat_school", Content: "<@heping> \n" +
			"**最美消防志愿者推荐催报**\n" +
			"最美消防志愿者推荐截止（区）：10月27日（周五）17:00（还剩1天2小时）\n" +
			"> **示例实验小学**：尚未推荐志愿者\n" + footer},
		// One message for the group bound to two units, mentioning the
		// officers of both once each.
		{Source: src, Key: src + ":chat:chat_shared", Channel: "webhook", Target: "chat_shared", Content: "<@jinbo> <@weilan> <@gelin> \n" +
			"**最美消防志愿者推荐催报**\n" +
			"最美消防志愿者推荐截止（区）：10月27日（周五）17:00（还剩1天2小时）\n" +
			"> **示例大酒店**：尚未推荐志愿者\n" +
			"> **示例物业服务公司**：尚未推荐志愿者\n" + footer},
		// A unit without a group: an application message to its officer.
		{Source: src, Key: src + ":unit:comm_nochat", Channel: "app", Target: "chener", Content: "【最美消防志愿者推荐催报】\n" +
			"最美消防志愿者推荐截止（区）：10月27日（周五）17:00（还剩1天2小时）\n" +
			"桂花园社区：尚未推荐志愿者\n" + footer},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pushes (-want +got):\n%s", diff)
	}
	// Sectors are not asked for nominations, finished units get nothing.
	for _, p := range got {
		if p.Target == "chat_a" || p.Target == "chat_done" {
			t.Errorf("finished unit reminded: %+v", p)
		}
	}

	// The street deadline's last day: the district deadline has passed, the
	// reminder names the street deadline.
	f.nominate("org_school")
	f.step(s, at(10, 28, 9, 0))
	got = f.drain()
	if diff := cmp.Diff([]string{
		"nomination_chase:2023-10-27T09:00+08:00 webhook chat_shared",
		"nomination_chase:2023-10-27T09:00+08:00 app chener",
		"nomination_chase:2023-10-27T15:00+08:00 webhook chat_shared",
		"nomination_chase:2023-10-27T15:00+08:00 app chener",
		"nomination_last_day:2023-10-28T09:00+08:00 webhook chat_shared",
		"nomination_last_day:2023-10-28T09:00+08:00 app chener",
	}, targets(got)); diff != "" {
		t.Errorf("pushes (-want +got):\n%s", diff)
	}
	if c := got[4].Content; !strings.Contains(c, "最美消防志愿者推荐截止（街道）：10月28日（周六）当天（<font color=\"warning\">今天截止，还剩14小时59分钟</font>）") {
		t.Errorf("last-day content:\n%s", c)
	}
}

func TestTargetingReport(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(11, 20, 10, 0))
	reportFixture(f)
	s := f.scheduler(nil)
	f.step(s, at(11, 24, 9, 0))
	got := f.drain()
	if diff := cmp.Diff([]string{
		"report_chase:2023-11-24T09:00+08:00 webhook chat_school",
		"report_chase:2023-11-24T09:00+08:00 webhook chat_shared",
		"report_chase:2023-11-24T09:00+08:00 app chener",
		"office_digest:2023-11-24T09:00+08:00 webhook chat_office",
	}, targets(got)); diff != "" {
		t.Fatalf("pushes (-want +got):\n%s", diff)
	}
	deadline := "活动信息和图文资料报送截止：12月1日（周五）当天（还剩7天14小时）\n"
	orgTasks := "全员应急疏散演练、专项能力培训、职业技能培训、警示教育（三个一）、消防安全培训（三个一）、疏散演练及预案修订（三个一）、全民消防安全学习云平台注册学习、宣传氛围营造"
	wantContent := []string{
		"<@heping> \n**活动信息和图文资料报送提醒**\n" + deadline +
			"> **示例实验小学**：尚未上报：" + orgTasks + "\n" + footer,
		"<@jinbo> <@weilan> <@gelin> \n**活动信息和图文资料报送提醒**\n" + deadline +
			"> **示例大酒店**：尚未上报：主题宣传活动、" + orgTasks + "\n" +
			"> **示例物业服务公司**：尚未上报：主题宣传活动（已退回，待重新上报）、" + orgTasks + "\n" + footer,
		"【活动信息和图文资料报送提醒】\n" + deadline +
			"桂花园社区：尚未上报：主题宣传活动、全员应急疏散演练、全民消防安全学习云平台注册学习、“四个一”消防体验、宣传氛围营造\n" + footer,
		"**消防宣传月进度日报**\n" + deadline +
			"截至 11月24日（周五）09:00：已完成 2/6 个单位，共尚缺 31 项\n" +
			"**按板块**\n" +
			"> 北片板块：已完成 2/3，尚缺 8 项\n" +
			"> 南片板块：已完成 0/3，尚缺 23 项\n" +
			"**按类别**\n" +
			"> 社区：已完成 1/2，尚缺 5 项\n" +
			"> 学校：已完成 0/1，尚缺 8 项\n" +
			"> 宾馆酒店：已完成 0/1，尚缺 9 项\n" +
			"> 高层建筑：已完成 1/1\n" +
			"> 其他：已完成 0/1，尚缺 9 项\n" +
			"**进度最慢的单位**\n" +
			"> 1. 示例物业服务公司（南片板块）：尚缺 9 项\n" +
			"> 2. 示例大酒店（南片板块）：尚缺 9 项\n" +
			"> 3. 示例实验小学（北片板块）：尚缺 8 项\n" +
			"> 4. 桂花园社区（南片板块）：尚缺 5 项",
	}
	for i, w := range wantContent {
		if diff := cmp.Diff(w, got[i].Content); diff != "" {
			t.Errorf("%s (-want +got):\n%s", got[i].Target, diff)
		}
	}
}

func TestTargetingEvent(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(11, 8, 12, 0))
	reportFixture(f)
	s := f.scheduler(nil)
	f.step(s, at(11, 8, 16, 0))
	got := f.drain()
	// Every bound group, done or not; a unit without a group gets the
	// notice by application message.
	if diff := cmp.Diff([]string{
		"main_event_notice:2023-11-08T16:00+08:00 webhook chat_a",
		"main_event_notice:2023-11-08T16:00+08:00 webhook chat_done",
		"main_event_notice:2023-11-08T16:00+08:00 webhook chat_school",
		"main_event_notice:2023-11-08T16:00+08:00 webhook chat_shared",
		"main_event_notice:2023-11-08T16:00+08:00 app chener",
	}, targets(got)); diff != "" {
		t.Fatalf("pushes (-want +got):\n%s", diff)
	}
	want := "<@jinbo> <@weilan> <@gelin> \n**消防集中宣传活动通知**\n" +
		"活动：消防集中宣传活动\n" +
		"时间：11月9日（周四）09:30（还剩17小时30分钟）\n" +
		"地点：学田湾正街59号\n" +
		"请各单位安全员准时参加；如有疑问请联系朱君（023-63850029）。"
	if diff := cmp.Diff(want, got[3].Content); diff != "" {
		t.Errorf("event content (-want +got):\n%s", diff)
	}
}

func TestAudiences(t *testing.T) {
	tests := []struct {
		name     string
		audience config.Audience
		want     []string
	}{
		{"officers: one application message per officer", config.Audience{Type: config.AudienceOfficers},
			[]string{"app chener", "app gelin", "app heping", "app jinbo", "app weilan"}},
		{"category", config.Audience{Type: config.AudienceCategory, Categories: []campaign.Category{"学校", "高层建筑"}},
			[]string{"webhook chat_school"}},
		{"kind", config.Audience{Type: config.AudienceKind, Kinds: []campaign.Kind{"community"}},
			[]string{"app chener"}},
		{"sector", config.Audience{Type: config.AudienceSector, Sectors: []string{"sector_south"}},
			[]string{"webhook chat_shared", "app chener"}},
		{"units", config.Audience{Type: config.AudienceMissing, Units: []string{"org_other", "org_done"}},
			[]string{"webhook chat_shared"}},
		{"tasks", config.Audience{Type: config.AudienceMissing, Tasks: []string{"four_ones"}},
			[]string{"app chener"}},
		{"all bound, with a deadline: done units get nothing", config.Audience{Type: config.AudienceAllBound},
			[]string{"webhook chat_school", "webhook chat_shared", "app chener"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := smallConfig(t)
			cfg.Reminders.Plans = []config.Plan{{ID: "p", Deadline: "report", At: []string{"2023-11-24 10:00"}, Audience: tc.audience}}
			if ps := Check(cfg); len(ps) > 0 {
				t.Fatal(ps)
			}
			f := newFixture(t, cfg, at(11, 20, 10, 0))
			reportFixture(f)
			s := f.scheduler(nil)
			f.step(s, at(11, 24, 10, 0))
			var got []string
			for _, p := range f.drain() {
				got = append(got, p.Channel+" "+p.Target)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("pushes (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("officer of two units gets one message naming both", func(t *testing.T) {
		cfg := smallConfig(t)
		cfg.Reminders.Plans = []config.Plan{{ID: "p", Deadline: "report", At: []string{"2023-11-24 10:00"}, Audience: config.Audience{Type: config.AudienceOfficers}}}
		f := newFixture(t, cfg, at(11, 20, 10, 0))
		reportFixture(f)
		f.step(f.scheduler(nil), at(11, 24, 10, 0))
		for _, p := range f.drain() {
			if p.Target == "jinbo" && (!strings.Contains(p.Content, "示例大酒店：尚未上报") || !strings.Contains(p.Content, "示例物业服务公司：尚未上报")) {
				t.Errorf("jinbo's message:\n%s", p.Content)
			}
			if p.Target == "weilan" && strings.Contains(p.Content, "示例物业服务公司") {
				t.Errorf("weilan's message names a unit she is not an officer of:\n%s", p.Content)
			}
		}
	})
}

func TestMute(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(11, 20, 10, 0))
	reportFixture(f)
	ctx := context.Background()
	cfg := f.cfg
	// The commands (handlers/mute) leave chat_school, the office chat and
	// an unbound chat muted; chat_shared was muted and unmuted.
	f.update(func(tx store.Tx) error {
		for _, m := range []struct{ chat, by string }{
			{"chat_school", "heping"}, {"chat_office", "zhujun"}, {"chat_shared", "gelin"}, {"chat_nobody", "zhujun"},
		} {
			if err := Mute(tx, &cfg.Campaign, m.chat, m.by, f.campaign.Now()); err != nil {
				return err
			}
		}
		return Unmute(tx, "chat_shared")
	})
	var status []string
	err := f.st.View(ctx, func(tx store.Tx) error {
		for _, chat := range []string{"chat_school", "chat_shared"} {
			s, err := MuteStatus(&f.cfg.Campaign)(tx, chat)
			if err != nil {
				return err
			}
			status = append(status, s)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{
		"本群提醒：已暂停（heping 于 11月20日（周一）10:00 设置免打扰；截止当天的提醒照常发送，发送“恢复提醒”恢复）",
		"本群提醒：正常（发送“免打扰”可暂停）",
	}, status); diff != "" {
		t.Errorf("status (-want +got):\n%s", diff)
	}

	// chat_school and the office chat are muted: the 11-24 and 11-30
	// reminders skip them, the last day's reach them.
	s := f.scheduler(nil)
	f.step(s, at(11, 20, 10, 0)) // first start
	f.step(s, at(11, 30, 9, 0))
	var got []string
	for _, p := range f.drain() {
		got = append(got, targets([]push{p})...)
	}
	notMuted := func(day string) []string {
		return []string{
			"report_chase:" + day + " webhook chat_shared",
			"report_chase:" + day + " app chener",
		}
	}
	want := append(notMuted("2023-11-24T09:00+08:00"), "friday_nudge:2023-11-24T16:00+08:00 webhook chat_shared", "friday_nudge:2023-11-24T16:00+08:00 app chener")
	want = append(append(want, notMuted("2023-11-28T09:00+08:00")...), notMuted("2023-11-30T09:00+08:00")...)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("muted period (-want +got):\n%s", diff)
	}
	f.step(s, at(12, 1, 9, 0))
	if diff := cmp.Diff([]string{
		"report_chase:2023-12-01T09:00+08:00 webhook chat_school",
		"report_chase:2023-12-01T09:00+08:00 webhook chat_shared",
		"report_chase:2023-12-01T09:00+08:00 app chener",
		"office_digest:2023-12-01T09:00+08:00 webhook chat_office",
	}, targets(f.drain())); diff != "" {
		t.Errorf("last day (-want +got):\n%s", diff)
	}
}
