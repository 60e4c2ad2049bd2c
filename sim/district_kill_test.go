package sim_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"firebot/bot"
	"firebot/bot/driver"
	"firebot/clock"
	"firebot/config/configtest"
	"firebot/service"
	"firebot/sim"
	"firebot/store"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
)

// The district's kill test runs replica A of the district as a child
// process (this test binary again, as TestReplicaKilledMidWave does for
// one street): it serves callbacks and runs every street's delivery loop
// with its outbox visibility shortened to replicaLease and its pools to
// replicaPool, and the fake WeCom holds each of its calls open.
const (
	districtDirEnv    = "FIREBOT_DISTRICT_CHILD_DIR"    // shared media directory
	districtURLEnv    = "FIREBOT_DISTRICT_CHILD_URL"    // the fake WeCom
	districtPrefixEnv = "FIREBOT_DISTRICT_CHILD_PREFIX" // the cluster key prefix
)

// TestDistrictKillChild is replica A of TestDistrictReplicaKilledMidWave:
// the district on the cluster, serving callbacks on the listener inherited
// as fd 3 and saying "ready" on fd 4, until it is killed. In a normal run
// it is skipped.
func TestDistrictKillChild(t *testing.T) {
	dir := os.Getenv(districtDirEnv)
	if dir == "" {
		t.Skip("replica A of TestDistrictReplicaKilledMidWave")
	}
	// The parent kills us long before this; the deadline only keeps an
	// orphan from running forever.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dist := districtConfig(t, os.Getenv(districtURLEnv), dir)
	client, err := redisstore.NewClient(redisstore.ClientOptions{Addr: strings.Join(redistest.ClusterAddrs(t), ",")})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.FileListener(os.NewFile(3, "callbacks"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := service.OpenDistrict(ctx, dist, service.Options{
		Real: clock.Real{}, Campaign: clock.NewFake(configtest.At(t, "2023-11-08 18:00")),
		Store:    redisstore.New(client, os.Getenv(districtPrefixEnv), redisstore.Options{}),
		Listener: ln, ManualScheduler: true, OutboxPoll: 20 * time.Millisecond,
		HTTPClient: &http.Client{Transport: taggedTransport{"A"}, Timeout: time.Minute},
		OutboxPool: replicaPool, OutboxVisibility: replicaLease,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(ctx); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(os.NewFile(4, "events"), "ready")
	<-ctx.Done()
}

// TestDistrictReplicaKilledMidWave: replica A of the district holds
// claimed, undelivered pushes of every street's reminder wave and of a
// district broadcast confirmed on it when it is SIGKILLed; replica B, on
// the same Redis Cluster prefix, delivers every push exactly once per
// group and office (issue 23, "one replica is SIGKILLed mid reminder wave
// without loss").
func TestDistrictReplicaKilledMidWave(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	if os.Getenv(districtDirEnv) != "" {
		t.Skip("in the child")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	prefix := redistest.Prefix(t, redistest.ClusterClient(t))
	dir := t.TempDir()
	fake, dist := districtFake(t, dir, nil)
	held := holdCalls(fake, "A")

	child := startChild(t, ctx, "TestDistrictKillChild", districtDirEnv+"="+dir, districtURLEnv+"="+fake.URL(), districtPrefixEnv+"="+prefix)
	child.await(t, ctx, "ready")

	// A serves the district's callbacks: a group's 进度 runs in its street.
	shared := dist.Shared.WeCom
	robot, err := driver.New("http://"+child.addr, driver.Options{
		Channel: bot.ChannelRobot, Path: "/wecom/robot", Token: shared.Robot.Token.Reveal(),
		EncodingAESKey: shared.Robot.EncodingAESKey.Reveal(), APIBase: fake.URL(), Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := robot.SendRobotText(ctx, "qxg-chat_comm_xuetianwan", "group", "qxg-zhangsan", "张三", "@firebot 进度")
	if err != nil || res.Status != 200 || !strings.Contains(sim.ReplyText(res.Reply), "学田湾社区") {
		t.Fatalf("进度 on replica A: %v %q", err, sim.ReplyText(res.Reply))
	}

	// District staff broadcast on A: its pushes to the three street
	// offices are A's to deliver (and A's calls hang).
	const text = "请各街道今晚完成消防通道检查"
	app, err := driver.New("http://"+child.addr, driver.Options{
		Channel: bot.ChannelApp, Path: "/wecom/app", Token: shared.Token.Reveal(), EncodingAESKey: shared.EncodingAESKey.Reveal(),
		ReceiveID: shared.CorpID, APIBase: fake.URL(), CorpID: shared.CorpID, Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"广播 " + text, "确认"} {
		res, err := app.SendAppText(ctx, districtStaff, in)
		if err != nil || res.Status != 200 {
			t.Fatalf("%s on replica A: %v", in, err)
		}
		if got := sim.ReplyText(res.Reply); in == "确认" && !strings.Contains(got, "广播已发出") {
			t.Fatalf("确认 on replica A: %q", got)
		}
	}

	// Replica B, in this process; the test steps its schedulers and
	// delivery (A's schedulers are manual: only B plans the waves).
	camp := clock.NewFake(configtest.At(t, "2023-11-08 14:00"))
	b := openDistrictReplica(t, ctx, dist, prefix, "B", fake.URL(), service.Options{Real: clock.Real{}, Campaign: camp})
	schedule := func(at time.Time) {
		t.Helper()
		for _, s := range b.d.Streets {
			if err := s.RunSchedulerUntil(ctx, at); err != nil {
				t.Fatal(err)
			}
		}
	}
	schedule(camp.Now()) // the schedulers' first pass

	// 18:00: every street's eve-of-event notice is due at once (上清寺's
	// from 16:00, 解放碑's from 17:00, both within the grace). A claims a
	// full pool in each street and the broadcast's pushes in the district
	// slot (its calls hang); B delivers the rest.
	at := configtest.At(t, "2023-11-08 18:00")
	schedule(at)
	camp.Set(at)
	for slices.ContainsFunc(streetStores(b.d), func(st store.Store) bool { return len(inFlight(t, ctx, st)) < replicaPool }) ||
		len(inFlight(t, ctx, b.d.Store)) == 0 {
		pollWait(t, ctx, "replica A to claim a full pool in every street and the broadcast")
	}
	if err := b.deliver(ctx); err != nil {
		t.Fatal(err)
	}
	offices := districtOffices(dist)
	var groups []string
	for _, s := range dist.Streets {
		groups = append(groups, boundGroups(s.Config)...)
	}
	before := copies(fake, districtNotice, "")
	if len(before) >= len(groups) {
		t.Fatalf("the wave reached all %d groups before the kill: nothing was tested", len(before))
	}

	// Kill A in the middle of the wave.
	killed := child.kill(t)
	claimed := 0
	for _, st := range append([]store.Store{b.d.Store}, streetStores(b.d)...) {
		claimed += len(inFlight(t, ctx, st))
	}
	t.Logf("at the kill: %d of %d groups have the notice, %d of %d offices the broadcast, %d entries claimed by A and undelivered, %d calls held",
		len(before), len(groups), len(reachedBy(fake, "【渝中区通知】"+text)), len(offices), claimed, held.Load())
	if claimed == 0 {
		t.Fatal("nothing was in flight at the kill")
	}

	// B alone delivers until the wave and the broadcast are complete.
	var recovered time.Duration
	for {
		if err := b.deliver(ctx); err != nil {
			t.Fatal(err)
		}
		if len(copies(fake, districtNotice, "")) == len(groups) && len(reachedBy(fake, "【渝中区通知】"+text)) == len(offices) {
			recovered = time.Since(killed)
			break
		}
		pollWait(t, ctx, "replica B to take over the wave")
	}
	if err := b.deliver(ctx); err != nil {
		t.Fatal(err)
	}
	if n := districtPending(t, ctx, b.d); n != 0 {
		t.Errorf("%d outbox entries still waiting after the takeover", n)
	}
	exactlyOnce(t, "the district's wave", copies(fake, districtNotice, ""), groups)
	exactlyOnce(t, "the district broadcast", reachedBy(fake, "【渝中区通知】"+text), offices)
	t.Logf("recovery after the kill: wave and broadcast complete in %v (A's visibility: %v)", recovered.Round(time.Millisecond), replicaLease)
}

// inFlight lists the outbox entries of st claimed and not yet delivered.
func inFlight(t *testing.T, ctx context.Context, st store.Store) []*store.OutboxEntry {
	t.Helper()
	var es []*store.OutboxEntry
	if err := st.View(ctx, func(tx store.Tx) error {
		var err error
		es, err = store.OutboxInFlight(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return es
}
