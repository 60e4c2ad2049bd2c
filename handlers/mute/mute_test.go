package mute

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"firebot/bot"
	"firebot/clock"
	"firebot/config/configtest"
	"firebot/handlers"
	"firebot/scheduler"
	"firebot/store"
	"firebot/store/embedded"
)

// TestMuteThroughTheRouter sends 免打扰, 恢复提醒 and 进度 through a router
// with these commands registered, in order, and checks each reply, the
// mute state after it and the audit trail.
func TestMuteThroughTheRouter(t *testing.T) {
	cfg := configtest.Example(t)
	st, err := embedded.Open(filepath.Join(t.TempDir(), "x.db"), embedded.Options{Real: clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	now := configtest.At(t, "2023-11-03 10:00")
	if err := st.Update(ctx, func(tx store.Tx) error {
		if _, err := store.SeedRoster(tx, cfg.Units, "test"); err != nil {
			return err
		}
		// The hotel's group is also bound to the school: heping is an
		// officer of one of its two units.
		return store.Bind(tx, store.Binding{ChatID: "chat_org_hotel_a", UnitID: "org_school_a", By: "zhujun", At: now})
	}); err != nil {
		t.Fatal(err)
	}
	r := handlers.New(handlers.Options{Config: cfg, Campaign: clock.NewFake(now), GroupStatus: scheduler.MuteStatus(&cfg.Campaign)})
	for _, c := range append(handlers.InfoCommands(), Commands()...) { // 进度 shows the mute
		r.Register(c)
	}
	say := func(chat, user, text string) string {
		t.Helper()
		var rep bot.Reply
		err := st.Update(ctx, func(tx store.Tx) error {
			var err error
			rep, err = r.Handle(ctx, tx, &bot.Message{Channel: bot.ChannelRobot, Kind: bot.KindText, ChatID: chat,
				ChatType: bot.ChatGroup, SenderID: user, Text: text, MsgID: chat + user + text})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Text
	}
	muted := func(chat string) bool {
		t.Helper()
		var m bool
		if err := st.View(ctx, func(tx store.Tx) error {
			var err error
			_, m, err = scheduler.Muted(tx, &cfg.Campaign, chat)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return m
	}
	const on = "已为本群开启免打扰：定时提醒暂停发送，但截止当天的提醒仍会发送。发送“恢复提醒”可恢复，发送“进度”可查看状态。"
	for i, tc := range []struct {
		why              string
		chat, user, text string
		want             string
		muted            bool // the chat's state afterwards
	}{
		{"an officer, not of this group's unit", "chat_org_school_a", "wangjun", "免打扰", notAllowed, false},
		{"the unit's officer", "chat_org_school_a", "heping", "免打扰", on, true},
		{"again", "chat_org_school_a", "heping", "暂停提醒",
			"本群已经是免打扰状态（heping 于 11月3日（周五）10:00 设置）。截止当天的提醒仍会发送；发送“恢复提醒”可恢复。", true},
		{"office staff in the office chat", "chat_office", "zhujun", "免打扰", on, true},
		{"nobody: the router's role check", "chat_org_hotel_a", "passerby", "免打扰", "只有单位安全员和街道工作人员可以使用", false},
		{"officer of one of two units", "chat_org_hotel_a", "heping", "静音", on, true},
		{"an unbound chat", "chat_nobody", "zhangsan", "免打扰", notAllowed, false},
		{"office staff anywhere", "chat_nobody", "zhujun", "免打扰", on, true},
		{"进度 shows the mute", "chat_org_school_a", "heping", "进度", "本群提醒：已暂停（heping 于 11月3日（周五）10:00 设置免打扰", true},
		{"unmute", "chat_org_hotel_a", "jinbo", "恢复提醒", "已恢复本群的定时提醒。", false},
		{"unmute again", "chat_org_hotel_a", "jinbo", "开启提醒", "本群的提醒本来就是开启的，无需恢复。", false},
		{"unmute by an officer elsewhere", "chat_org_school_a", "zhangsan", "恢复提醒", notAllowed, true},
		{"office unmutes", "chat_org_school_a", "zhujun", "解除免打扰", "已恢复本群的定时提醒。", false},
		{"进度 after unmute", "chat_org_school_a", "heping", "进度", "本群提醒：正常（发送“免打扰”可暂停）", false},
	} {
		got := say(tc.chat, tc.user, tc.text)
		if !strings.Contains(got, tc.want) {
			t.Errorf("%d %s: %s %s %q: reply %q, want it to contain %q", i, tc.why, tc.chat, tc.user, tc.text, got, tc.want)
		}
		if m := muted(tc.chat); m != tc.muted {
			t.Errorf("%d %s: %s muted %v, want %v", i, tc.why, tc.chat, m, tc.muted)
		}
	}
	var actions []string
	if err := st.View(ctx, func(tx store.Tx) error {
		return store.EachAudit(tx, 0, func(e store.AuditEntry) error {
			if e.Action == AuditMute || e.Action == AuditUnmute {
				actions = append(actions, e.Action+" "+e.Actor+" "+e.ChatID+" "+map[bool]string{true: "yes", false: "no"}[e.Allowed])
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"mute wangjun chat_org_school_a no", "mute heping chat_org_school_a yes", "mute heping chat_org_school_a yes",
		"mute zhujun chat_office yes", "mute heping chat_org_hotel_a yes", "mute zhangsan chat_nobody no", "mute zhujun chat_nobody yes",
		"unmute jinbo chat_org_hotel_a yes", "unmute jinbo chat_org_hotel_a yes", "unmute zhangsan chat_org_school_a no",
		"unmute zhujun chat_org_school_a yes",
	}, "\n")
	if got := strings.Join(actions, "\n"); got != want {
		t.Errorf("audit:\n%s\nwant:\n%s", got, want)
	}
}
