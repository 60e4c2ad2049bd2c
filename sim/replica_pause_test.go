package sim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"firebot/bot"
	"firebot/bot/driver"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/office"
	"firebot/service"
	"firebot/sim"
	"firebot/store"
	"firebot/store/redisstore/redistest"
)

// pausedExporter stops after its replica has taken the job, as a replica
// paused by a long GC or a suspended VM, until the test lets it go on;
// then it builds the real workbook (into the same directory the other
// replica already used).
type pausedExporter struct {
	taken, resume chan struct{}
}

func (e pausedExporter) Export(ctx context.Context, st store.Store, cfg *config.Config, dir string, now time.Time) (office.Export, error) {
	close(e.taken)
	<-e.resume
	return office.ReportExporter{}.Export(ctx, st, cfg, dir, now)
}

// Replica A takes a 导出 and pauses past its job lease (10 minutes of the
// shared fake real clock, no waiting); replica B takes the job over and
// delivers it. When A wakes up and finishes the same job, nothing is
// uploaded a second time: the export reaches the office chat once.
func TestReplicaPausedPastItsLease(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	real := clock.NewFake(time.Now())
	client := redistest.Client(t)
	prefix := redistest.Prefix(t, client)
	fake, cfg := replicaFake(t, t.TempDir(), real)
	camp := clock.NewFake(configtest.At(t, "2023-12-01 17:00"))
	paused := pausedExporter{taken: make(chan struct{}), resume: make(chan struct{})}
	a := startReplica(t, ctx, cfg, prefix, "A", service.Options{Real: real, Campaign: camp, Exporter: paused})
	b := startReplica(t, ctx, cfg, prefix, "B", service.Options{Real: real, Campaign: camp})

	robot, err := driver.New("http://"+a.Addr(), driver.Options{
		Channel: bot.ChannelRobot, Path: "/wecom/robot",
		Token: cfg.WeCom.Robot.Token.Reveal(), EncodingAESKey: cfg.WeCom.Robot.EncodingAESKey.Reveal(),
		APIBase: fake.URL(), WebhookKey: sim.ChatKey("chat_office"), Timeout: 20 * time.Second, Clock: real,
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := robot.SendRobotText(ctx, "chat_office", "group", "zhujun", "朱君", "@firebot 导出")
	if err != nil || res.Status != 200 || !strings.Contains(sim.ReplyText(res.Reply), "正在生成") {
		t.Fatalf("导出 on replica A: %v (HTTP %d)", err, res.Status)
	}

	// A takes the job and pauses in the middle of it.
	aDone := make(chan error, 1)
	go func() { aDone <- a.OfficeTick(ctx) }()
	select {
	case <-paused.taken:
	case err := <-aDone:
		t.Fatalf("replica A's tick ended without taking the job: %v", err)
	case <-ctx.Done():
		t.Fatal("replica A did not take the job")
	}
	flush := func(s *service.Service) {
		t.Helper()
		if _, err := s.Outbox.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// While A's lease runs, B leaves the job alone.
	if err := b.OfficeTick(ctx); err != nil {
		t.Fatal(err)
	}
	flush(b)
	if n := len(copies(fake, "【导出】", "")); n != 0 {
		t.Fatalf("replica B exported while replica A held the job (%d)", n)
	}
	// Past A's lease, B does the job and delivers it.
	real.Advance(11 * time.Minute)
	if err := b.OfficeTick(ctx); err != nil {
		t.Fatal(err)
	}
	flush(b)
	if n := len(copies(fake, "【导出】", "")); n != 1 {
		t.Fatalf("replica B's takeover delivered %d exports, want 1", n)
	}
	// A wakes up and finishes the same job.
	close(paused.resume)
	if err := <-aDone; err != nil {
		t.Fatal(err)
	}
	flush(a)
	flush(b)

	exactlyOnce(t, "export", copies(fake, "【导出】", ""), []string{"chat_office"})
	files := 0
	for _, m := range fake.Messages() {
		if m.MsgType == "file" {
			files++
		}
	}
	if files != 1 {
		t.Errorf("%d files uploaded, want the workbook once", files)
	}
}
