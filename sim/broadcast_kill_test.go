package sim_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"firebot/bot"
	"firebot/bot/driver"
	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/office/broadcast"
	"firebot/service"
	"firebot/sim"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/wecom/fakewecom"
)

// The service is SIGKILLed in the middle of a 500-group broadcast and
// restarted on the same store. The service runs in a child process (this
// test binary again) so that it can be killed; the fake WeCom runs in the
// parent, so its record of what was delivered outlives the service.
const (
	killDirEnv     = "FIREBOT_KILL_CHILD_DIR" // the child's data directory
	killURLEnv     = "FIREBOT_KILL_CHILD_URL" // the fake WeCom's URL
	killGroups     = 500
	killPool       = 8 // the outbox worker pool, in the child and after the restart
	killVisibility = 2 * time.Minute
	killAfter      = 150 // broadcast messages recorded at the fake before the kill
	killOffice     = "chat_office"
	killIssuer     = "zhujun"
	killText       = "请各单位11月10日前完成消防设施自查。"
)

var killCampaignAt = time.Date(2023, 11, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func killChat(i int) string { return fmt.Sprintf("chat_kill_%03d", i) }

// killConfig is the example configuration with 500 more units (category
// 其他), each bound to its own group, every chat with its own webhook key
// (sim.ChatKey), WeCom at fakeURL and the store in dir. Parent and child
// build it alike.
func killConfig(t *testing.T, fakeURL, dir string) *config.Config {
	t.Helper()
	cfg := configtest.Example(t)
	cfg.WeCom.APIBaseURL = fakeURL
	cfg.Store.Path = filepath.Join(dir, "firebot.db")
	cfg.Media.Dir = filepath.Join(dir, "media")
	units := slices.Clone(cfg.Units)
	for i := range killGroups {
		units = append(units, campaign.Unit{
			ID: fmt.Sprintf("org_kill_%03d", i), Name: fmt.Sprintf("广播单位%03d", i), Kind: campaign.KindOrganisation,
			Category: campaign.CategoryOther, Chats: []campaign.Chat{{ID: killChat(i)}},
		})
	}
	keyed := func(chats []campaign.Chat) []campaign.Chat {
		out := slices.Clone(chats)
		for i := range out {
			out[i].WebhookKey = campaign.Secret(sim.ChatKey(out[i].ID))
		}
		return out
	}
	for i := range units {
		units[i].Chats = keyed(units[i].Chats)
	}
	cfg.Units = units
	cfg.Access.OfficeChats = keyed(cfg.Access.OfficeChats)
	return cfg
}

// TestBroadcastKillChild is the service process of TestServiceKilledDuringBroadcast:
// it serves callbacks on the listener inherited as fd 3, delivers the outbox
// with its own loop, says "ready" on fd 4 and runs until it is killed. In a
// normal run it is skipped.
func TestBroadcastKillChild(t *testing.T) {
	dir := os.Getenv(killDirEnv)
	if dir == "" {
		t.Skip("the service process of TestServiceKilledDuringBroadcast")
	}
	// The parent kills us long before this; the deadline only keeps an
	// orphan from running forever.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := killConfig(t, os.Getenv(killURLEnv), dir)
	ln, err := net.FileListener(os.NewFile(3, "callbacks"))
	if err != nil {
		t.Fatal(err)
	}
	admin, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(ctx, cfg, service.Options{
		Real: clock.Real{}, Campaign: clock.NewFake(killCampaignAt),
		Listener: ln, AdminListener: admin, ManualScheduler: true,
		OutboxPool: killPool, OutboxVisibility: killVisibility,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ready := os.NewFile(4, "ready")
	fmt.Fprintln(ready, "ready")
	ready.Close()
	<-ctx.Done()
}

func TestServiceKilledDuringBroadcast(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	if os.Getenv(killDirEnv) != "" {
		t.Skip("in the child")
	}
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	dir := t.TempDir()
	base := configtest.Example(t)
	fake := fakewecom.New(fakewecom.Options{CorpID: base.WeCom.CorpID, Secret: base.WeCom.Secret.Reveal(), AgentID: base.WeCom.AgentID})
	t.Cleanup(fake.Close)
	cfg := killConfig(t, fake.URL(), dir)
	for _, u := range cfg.Units {
		fake.AddUser(u.Officers...)
		for _, c := range u.Chats {
			fake.RegisterWebhookKey(sim.ChatKey(c.ID), c.ID)
		}
	}
	for _, c := range cfg.Access.OfficeChats {
		fake.RegisterWebhookKey(sim.ChatKey(c.ID), c.ID)
	}
	fake.AddUser(cfg.Access.OfficeUsers...)
	fake.SetLatency(20 * time.Millisecond)

	// The child inherits the callback listener (so its address is known
	// before it starts) and the write end of a pipe it says "ready" on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	lnFile, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	readyR, readyW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(os.Args[0], "-test.run=^TestBroadcastKillChild$", "-test.v")
	cmd.Env = append(os.Environ(), killDirEnv+"="+dir, killURLEnv+"="+fake.URL())
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.ExtraFiles = []*os.File{lnFile, readyW}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The child holds its own copies now.
	lnFile.Close()
	ln.Close()
	readyW.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		err := <-exited
		exited <- err
	})
	childDied := func(err error, what string) {
		t.Helper()
		exited <- err // for the cleanup
		t.Fatalf("the service process exited %s: %v\n%s", what, err, out.Bytes())
	}
	ready := make(chan error, 1)
	go func() {
		_, err := bufio.NewReader(readyR).ReadString('\n')
		readyR.Close()
		ready <- err
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatalf("the service process did not start: %v\n%s", err, out.Bytes())
		}
	case err := <-exited:
		childDied(err, "before it was ready")
	case <-ctx.Done():
		t.Fatalf("the service process did not start in time\n%s", out.Bytes())
	}
	started := time.Now()

	// The office user issues the broadcast through real robot callbacks.
	robot, err := driver.New("http://"+addr, driver.Options{
		Channel: bot.ChannelRobot, Path: "/wecom/robot",
		Token: cfg.WeCom.Robot.Token.Reveal(), EncodingAESKey: cfg.WeCom.Robot.EncodingAESKey.Reveal(),
		APIBase: fake.URL(), WebhookKey: sim.ChatKey(killOffice), Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	say := func(text string) string {
		t.Helper()
		res, err := robot.SendRobotText(ctx, killOffice, "group", killIssuer, "朱君", "@firebot "+text)
		if err != nil {
			t.Fatalf("%q: %v\n%s", text, err, out.Bytes())
		}
		if res.Status != 200 {
			t.Fatalf("%q: HTTP %d", text, res.Status)
		}
		return sim.ReplyText(res.Reply)
	}
	got := say("广播 其他 " + killText)
	for _, want := range []string{fmt.Sprintf("范围：其他（%d个单位）", killGroups+1), fmt.Sprintf("发送到：%d个群", killGroups)} {
		if !strings.Contains(got, want) {
			t.Fatalf("preview lacks %q:\n%s", want, got)
		}
	}
	if got := say("确认"); !strings.Contains(got, "已发出广播 GB-0001") {
		t.Fatalf("confirmation:\n%s", got)
	}

	// Kill the service once killAfter groups have their message.
	waited := make(chan error, 1)
	go func() { _, err := fake.WaitFor(ctx, killAfter); waited <- err }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("the service did not deliver %d messages: %v\n%s", killAfter, err, out.Bytes())
		}
	case err := <-exited:
		childDied(err, "before it was killed")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = <-exited
	exited <- err // for the cleanup
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the service ended with %v, not by SIGKILL\n%s", err, out.Bytes())
	}
	killed := time.Now()
	atKill := len(fake.Messages())

	// Before the restart: what the store says was claimed and not
	// acknowledged (C), and what was acknowledged as sent. The restart's
	// real clock is past the visibility timeout, so the claimed entries are
	// due again.
	real := clock.NewFake(time.Now().Add(killVisibility + time.Minute))
	st, err := embedded.Open(cfg.Store.Path, embedded.Options{Real: real})
	if err != nil {
		t.Fatal(err)
	}
	inFlight := map[string]bool{} // groups whose entry was claimed and not acknowledged
	acked := map[string]bool{}    // groups whose entry was acknowledged as sent
	err = st.View(ctx, func(tx store.Tx) error {
		claimed, err := store.OutboxInFlight(tx)
		if err != nil {
			return err
		}
		for _, e := range claimed {
			inFlight[e.Target] = true
		}
		es, err := store.OutboxBySource(tx, broadcast.Source("GB-0001", 1))
		if err != nil {
			return err
		}
		if len(es) != killGroups {
			return fmt.Errorf("%d broadcast entries in the outbox, want %d", len(es), killGroups)
		}
		for _, e := range es {
			switch e.Status {
			case store.OutboxSent:
				acked[e.Target] = true
			case store.OutboxFailed:
				return fmt.Errorf("%s to %s failed before the kill: %s", e.ID, e.Target, e.LastError)
			}
		}
		return nil
	})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	c := len(inFlight)
	t.Logf("at the kill: %d recorded by the fake, %d acknowledged, %d claimed and not acknowledged", atKill, len(acked), c)
	if c > killPool {
		t.Fatalf("%d entries in flight at the kill, more than the pool (%d)", c, killPool)
	}
	if len(acked) < killAfter-killPool || len(acked) > atKill {
		t.Fatalf("%d acknowledged, but the fake recorded %d", len(acked), atKill)
	}
	if atKill >= killGroups {
		t.Fatalf("the broadcast was complete before the kill (%d messages): nothing was tested", atKill)
	}

	// Restart on the same store, in this process, and deliver.
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	admin2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ln2.Close()
		t.Fatal(err)
	}
	svc, err := service.New(ctx, cfg, service.Options{
		Real: real, Campaign: clock.NewFake(killCampaignAt),
		Listener: ln2, AdminListener: admin2, ManualOutbox: true, ManualScheduler: true,
		OutboxPool: killPool, OutboxVisibility: killVisibility,
	})
	if err != nil {
		ln2.Close()
		admin2.Close()
		t.Fatal(err)
	}
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := svc.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	}()
	drained := false
	for range 10 {
		if _, err := svc.Outbox.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
		if err := svc.OfficeTick(ctx); err != nil { // the delivery report
			t.Fatal(err)
		}
		if _, err := svc.Outbox.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
		var depth int
		if err := svc.Store.View(ctx, func(tx store.Tx) error {
			var err error
			depth, _, err = store.OutboxPendingStats(tx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if depth == 0 {
			drained = true
			break
		}
		real.Advance(2 * time.Minute)
	}
	if !drained {
		t.Fatal("the outbox never drained after the restart")
	}

	// Every group has the broadcast; duplicates ≤ C ≤ pool, and only groups
	// in flight at the kill got one; nothing acknowledged was sent again.
	received := map[string]int{}
	var reports []string
	for i, m := range fake.Messages() {
		switch {
		case m.ChatID == killOffice && strings.Contains(m.Content(), "【广播送达情况】"):
			reports = append(reports, m.Content())
		case strings.Contains(m.Content(), killText):
			received[m.ChatID]++
			if i >= atKill && acked[m.ChatID] {
				t.Errorf("%s was acknowledged before the kill and sent again", m.ChatID)
			}
		default:
			t.Errorf("unexpected push to %s: %s", m.ChatID, m.Content())
		}
	}
	dups := 0
	for i := range killGroups {
		switch n := received[killChat(i)]; {
		case n == 0:
			t.Errorf("%s never received the broadcast", killChat(i))
		case n > 1:
			dups += n - 1
			if !inFlight[killChat(i)] {
				t.Errorf("%s received %d copies but was not in flight at the kill", killChat(i), n)
			}
		}
	}
	t.Logf("duplicates: %d ≤ in flight at the kill: %d ≤ pool: %d", dups, c, killPool)
	if dups > c {
		t.Errorf("%d duplicate deliveries, more than the %d entries in flight at the kill", dups, c)
	}
	err = svc.Store.View(ctx, func(tx store.Tx) error {
		es, err := store.OutboxBySource(tx, broadcast.Source("GB-0001", 1))
		for _, e := range es {
			if e.Status != store.OutboxSent {
				return fmt.Errorf("%s to %s is %s after the restart", e.ID, e.Target, e.Status)
			}
		}
		return err
	})
	if err != nil {
		t.Error(err)
	}
	// The issuer's report, sent once after the restart, counts every group.
	if len(reports) != 1 || !strings.Contains(reports[0], fmt.Sprintf("发送到%d个群：成功%d个", killGroups, killGroups)) {
		t.Errorf("delivery reports: %q", reports)
	}
	t.Logf("child start %v, broadcast until the kill %v, restart and delivery %v",
		started.Sub(began).Round(time.Millisecond), killed.Sub(started).Round(time.Millisecond), time.Since(killed).Round(time.Millisecond))
}
