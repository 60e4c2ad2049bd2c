package scheduler_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	_ "time/tzdata"

	"firebot/bot"
	"firebot/clock"
	"firebot/config"
	"firebot/handlers"
	"firebot/scheduler"
	"firebot/store"
	"firebot/store/embedded"
)

func TestMuteThroughTheRouter(t *testing.T) {
	data, err := os.ReadFile("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, problems := config.Parse("config.example.yaml", data, nil)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	cfg.Media.Dir = t.TempDir()
	st, err := embedded.Open(t.TempDir()+"/x.db", embedded.Options{Real: clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.Update(ctx, func(tx store.Tx) error {
		_, err := store.SeedRoster(tx, cfg.Units, "test")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2023, 11, 3, 10, 0, 0, 0, cfg.Location)
	r := handlers.New(handlers.Deps{Config: cfg, Campaign: clock.NewFake(now), GroupStatus: scheduler.MuteStatus(&cfg.Campaign)})
	for _, c := range scheduler.ChatCommands() {
		r.Register(c)
	}
	say := func(chat, user, text string) string {
		t.Helper()
		var rep bot.Reply
		err := st.Update(ctx, func(tx store.Tx) error {
			var err error
			rep, err = r.Handle(ctx, tx, &bot.Message{Channel: bot.ChannelRobot, Kind: bot.KindText, ChatID: chat,
				ChatType: bot.ChatGroup, SenderID: user, Text: text, DedupeKey: chat + user + text})
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

	if got := say("chat_org_school_a", "heping", "免打扰"); !strings.Contains(got, "已为本群开启免打扰") || !muted("chat_org_school_a") {
		t.Errorf("officer mute: %q", got)
	}
	// An officer of another unit is not an officer of this group.
	if got := say("chat_org_hotel_a", "heping", "免打扰"); !strings.Contains(got, "只有本群所绑定单位的安全员") || muted("chat_org_hotel_a") {
		t.Errorf("other officer: %q", got)
	}
	// Not an officer at all: refused by the router's role check.
	if got := say("chat_org_hotel_a", "passerby", "免打扰"); muted("chat_org_hotel_a") || got == "" {
		t.Errorf("stranger: %q", got)
	}
	// 进度 in the group shows the mute line the service hands the router.
	if got := say("chat_org_school_a", "heping", "进度"); !strings.Contains(got, "本群提醒：已暂停") {
		t.Errorf("progress while muted: %q", got)
	}
	if got := say("chat_org_school_a", "zhujun", "恢复提醒"); !strings.Contains(got, "已恢复") || muted("chat_org_school_a") {
		t.Errorf("office unmute: %q", got)
	}
	var actions []string
	if err := st.View(ctx, func(tx store.Tx) error {
		return store.EachAudit(tx, 0, func(e store.AuditEntry) error {
			if e.Action == scheduler.AuditMute || e.Action == scheduler.AuditUnmute {
				actions = append(actions, e.Action+" "+e.Actor)
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if got := say("chat_org_school_a", "heping", "进度"); !strings.Contains(got, "本群提醒：正常") {
		t.Errorf("progress after unmute: %q", got)
	}
	if strings.Join(actions, ",") != "mute heping,mute heping,unmute zhujun" {
		t.Errorf("audit: %v", actions)
	}
}
