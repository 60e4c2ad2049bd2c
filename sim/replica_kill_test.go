package sim_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"firebot/bot"
	"firebot/bot/driver"
	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/office"
	"firebot/service"
	"firebot/sim"
	"firebot/store"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
	"firebot/wecom/fakewecom"
)

// Two replicas share one Redis: replica A runs in a child process (this
// test binary again) so that it can be SIGKILLed, replica B in this
// process; the fake WeCom runs here too, so its record of what was
// delivered outlives A. A's calls to WeCom never finish (the fake holds
// every call that carries A's header), so whatever A claims stays claimed
// and undelivered until A dies; A's 导出 blocks in the middle of building
// the workbook. A's outbox visibility and job lease are shortened to
// replicaLease, so the survivor takes over in seconds of real time.
const (
	replicaDirEnv    = "FIREBOT_REPLICA_CHILD_DIR"    // shared media directory
	replicaURLEnv    = "FIREBOT_REPLICA_CHILD_URL"    // the fake WeCom
	replicaPrefixEnv = "FIREBOT_REPLICA_CHILD_PREFIX" // the Redis key prefix
	replicaHeader    = "X-Test-Replica"               // marks A's calls to WeCom
	replicaPool      = 8                              // A's outbox pool: what it can hold at the kill
	replicaLease     = 4 * time.Second                // A's outbox visibility and job lease
	replicaWave      = "消防集中宣传活动通知"                   // main_event_notice, every bound group
)

// replicaConfig is the example configuration with WeCom at fakeURL, the
// media in dir and every chat with its own webhook key (sim.ChatKey).
// Both replicas build it alike.
func replicaConfig(t *testing.T, fakeURL, dir string) *config.Config {
	t.Helper()
	cfg := configtest.Example(t)
	cfg.WeCom.APIBaseURL = fakeURL
	cfg.WeCom.ReplyBudget = 20 * time.Second // -race on a shared machine
	cfg.Store.Path = filepath.Join(dir, "unused.db")
	cfg.Media.Dir = filepath.Join(dir, "media")
	keyed := func(chats []campaign.Chat) []campaign.Chat {
		out := slices.Clone(chats)
		for i := range out {
			out[i].WebhookKey = campaign.Secret(sim.ChatKey(out[i].ID))
		}
		return out
	}
	units := slices.Clone(cfg.Units)
	for i := range units {
		units[i].Chats = keyed(units[i].Chats)
	}
	cfg.Units = units
	cfg.Access.OfficeChats = keyed(cfg.Access.OfficeChats)
	return cfg
}

// taggedTransport marks every call with the replica's name.
type taggedTransport struct{ name string }

func (tt taggedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(replicaHeader, tt.name)
	return http.DefaultTransport.RoundTrip(r)
}

// stuckExporter says "exporting" on its events file and never finishes:
// the replica dies in the middle of the job.
type stuckExporter struct {
	mu     *sync.Mutex
	events *os.File
}

func (e stuckExporter) Export(ctx context.Context, _ store.Store, _ *config.Config, _ string, _ time.Time) (office.Export, error) {
	e.mu.Lock()
	fmt.Fprintln(e.events, "exporting")
	e.mu.Unlock()
	<-ctx.Done()
	return office.Export{}, ctx.Err()
}

// TestReplicaKillChild is replica A of TestReplicaKilledMidWave: it serves
// callbacks on the listener inherited as fd 3, runs its own delivery and
// office loops, says "ready" (and later "exporting") on fd 4 and runs
// until it is killed. In a normal run it is skipped.
func TestReplicaKillChild(t *testing.T) {
	dir := os.Getenv(replicaDirEnv)
	if dir == "" {
		t.Skip("replica A of TestReplicaKilledMidWave")
	}
	// The parent kills us long before this; the deadline only keeps an
	// orphan from running forever.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := replicaConfig(t, os.Getenv(replicaURLEnv), dir)
	client, err := redisstore.NewClient(redisstore.ClientOptions{Addr: redistest.Addr(t)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.FileListener(os.NewFile(3, "callbacks"))
	if err != nil {
		t.Fatal(err)
	}
	admin, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	events, mu := os.NewFile(4, "events"), &sync.Mutex{}
	svc, err := service.New(ctx, cfg, service.Options{
		Real: clock.Real{}, Campaign: clock.NewFake(configtest.At(t, "2023-11-08 16:00")),
		Store:    redisstore.New(client, os.Getenv(replicaPrefixEnv), redisstore.Options{}),
		Listener: ln, AdminListener: admin, ManualScheduler: true, OutboxPoll: 20 * time.Millisecond,
		HTTPClient: &http.Client{Transport: taggedTransport{"A"}, Timeout: time.Minute},
		Exporter:   stuckExporter{mu: mu, events: events}, JobLease: replicaLease,
		OutboxPool: replicaPool, OutboxVisibility: replicaLease,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	fmt.Fprintln(events, "ready")
	mu.Unlock()
	<-ctx.Done()
}

// TestReplicaKilledMidWave: replica A holds claimed, undelivered pushes of
// a reminder wave and a half-done 导出 when it is SIGKILLed; replica B,
// sharing its Redis, delivers every push of the wave exactly once per
// group and the export once (issue 23, item 4).
func TestReplicaKilledMidWave(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	if os.Getenv(replicaDirEnv) != "" {
		t.Skip("in the child")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	client := redistest.Client(t)
	prefix := redistest.Prefix(t, client)
	dir := t.TempDir()
	fake, cfg := replicaFake(t, dir, nil)
	held := holdCalls(fake, "A")

	child := startChild(t, ctx, "TestReplicaKillChild", replicaDirEnv+"="+dir, replicaURLEnv+"="+fake.URL(), replicaPrefixEnv+"="+prefix)
	child.await(t, ctx, "ready")

	// Replica B, in this process; the test steps its scheduler and
	// delivery (nothing else fires the wave: A's scheduler is manual).
	camp := clock.NewFake(configtest.At(t, "2023-11-08 14:00"))
	b := startReplicaB(t, ctx, cfg, prefix, camp)
	if err := b.RunSchedulerUntil(ctx, camp.Now()); err != nil { // the scheduler's first pass
		t.Fatal(err)
	}

	// The office asks replica A for the export; A takes the job and is
	// stuck building it.
	robot, err := driver.New("http://"+child.addr, driver.Options{
		Channel: bot.ChannelRobot, Path: "/wecom/robot",
		Token: cfg.WeCom.Robot.Token.Reveal(), EncodingAESKey: cfg.WeCom.Robot.EncodingAESKey.Reveal(),
		APIBase: fake.URL(), WebhookKey: sim.ChatKey("chat_office"), Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := robot.SendRobotText(ctx, "chat_office", "group", "zhujun", "朱君", "@firebot 导出")
	if err != nil || res.Status != 200 || !strings.Contains(sim.ReplyText(res.Reply), "正在生成") {
		t.Fatalf("导出 on replica A: %v (HTTP %d) %q", err, res.Status, sim.ReplyText(res.Reply))
	}
	child.await(t, ctx, "exporting")
	exporting := time.Now()

	// The 16:00 wave: B's scheduler enqueues it, A claims what its pool
	// holds (its calls hang), B delivers the rest.
	at := configtest.At(t, "2023-11-08 16:00")
	if err := b.RunSchedulerUntil(ctx, at); err != nil {
		t.Fatal(err)
	}
	camp.Set(at)
	for held.Load() < replicaPool {
		pollWait(t, ctx, "replica A to claim its pool")
	}
	if _, err := b.Outbox.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.OfficeTick(ctx); err != nil {
		t.Fatal(err)
	}
	groups := boundGroups(cfg)
	before := copies(fake, replicaWave, "")
	if len(before) >= len(groups) {
		t.Fatalf("the wave reached all %d groups before the kill: nothing was tested", len(before))
	}
	if time.Since(exporting) < replicaLease && len(copies(fake, "【导出】", "")) > 0 {
		t.Fatal("replica B exported while replica A held the job")
	}

	// Kill A in the middle of the wave and of the export.
	killed := child.kill(t)
	claimed := len(inFlight(t, ctx, b.Store))
	t.Logf("the kill came %v after A took the export job", killed.Sub(exporting).Round(time.Millisecond))
	t.Logf("at the kill: %d of %d groups have the reminder, %d entries claimed by A and undelivered, %d calls held",
		len(before), len(groups), claimed, held.Load())
	if claimed == 0 {
		t.Fatal("nothing was in flight at the kill")
	}

	// B alone, its delivery and its office work running side by side as
	// in a serving replica, until the wave and the export are done.
	var waveDone, exportDone time.Duration
	stop := make(chan struct{})
	var tickErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			if tickErr = b.OfficeTick(ctx); tickErr != nil {
				return
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	for waveDone == 0 || exportDone == 0 {
		if _, err := b.Outbox.DeliverDue(ctx); err != nil {
			t.Error(err)
			break
		}
		if waveDone == 0 && len(copies(fake, replicaWave, "")) == len(groups) {
			waveDone = time.Since(killed)
		}
		if exportDone == 0 && len(copies(fake, "【导出】", "")) > 0 {
			exportDone = time.Since(killed)
		}
		if ctx.Err() != nil {
			t.Error("timed out waiting for replica B to take over")
			break
		}
		if waveDone == 0 || exportDone == 0 {
			pollWait(t, ctx, "replica B to take over")
		}
	}
	close(stop)
	wg.Wait()
	if tickErr != nil {
		t.Fatal(tickErr)
	}
	if t.Failed() {
		t.FailNow()
	}
	if _, err := b.Outbox.DeliverDue(ctx); err != nil { // anything the last tick enqueued
		t.Fatal(err)
	}
	var depth int
	if err := b.Store.View(ctx, func(tx store.Tx) error {
		var err error
		depth, _, err = store.OutboxPendingStats(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if depth != 0 {
		t.Errorf("%d outbox entries still waiting after the takeover", depth)
	}

	exactlyOnce(t, "reminder wave", copies(fake, replicaWave, ""), groups)
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
	t.Logf("recovery after the kill: wave complete in %v, export delivered in %v (A's visibility and job lease: %v)",
		waveDone.Round(time.Millisecond), exportDone.Round(time.Millisecond), replicaLease)
}

// pollWait waits a short real moment before a condition is looked at
// again, failing the test when ctx ends.
func pollWait(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	select {
	case <-ctx.Done():
		t.Fatalf("timed out waiting for %s", what)
	case <-time.After(20 * time.Millisecond):
	}
}

// replicaFake starts a fake WeCom (on real, nil: the real clock) that
// knows every chat and user of replicaConfig, and returns it with the
// configuration pointed at it.
func replicaFake(t *testing.T, dir string, real clock.Clock) (*fakewecom.Server, *config.Config) {
	t.Helper()
	base := configtest.Example(t)
	fake := fakewecom.New(fakewecom.Options{CorpID: base.WeCom.CorpID, Secret: base.WeCom.Secret.Reveal(), AgentID: base.WeCom.AgentID, Real: real})
	t.Cleanup(fake.Close)
	cfg := replicaConfig(t, fake.URL(), dir)
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
	return fake, cfg
}

// replicaChild is replica A's process.
type replicaChild struct {
	cmd    *exec.Cmd
	addr   string
	out    *bytes.Buffer
	exited chan error
	events <-chan string // the lines A writes on fd 4
}

// startChild starts replica A, the test function named test of this
// binary with env added, with the callback listener (whose address is
// known before it starts) as fd 3 and an events pipe as fd 4.
func startChild(t *testing.T, ctx context.Context, test string, env ...string) *replicaChild {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &replicaChild{addr: ln.Addr().String(), out: &bytes.Buffer{}, exited: make(chan error, 1)}
	lnFile, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	evR, evW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	c.cmd = exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v")
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	c.cmd.ExtraFiles = []*os.File{lnFile, evW}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lnFile.Close() // the child holds its own copies now
	ln.Close()
	evW.Close()
	go func() { c.exited <- c.cmd.Wait() }()
	t.Cleanup(func() {
		_ = c.cmd.Process.Kill()
		err := <-c.exited
		c.exited <- err
	})
	events := make(chan string, 4)
	go func() {
		defer evR.Close()
		sc := bufio.NewScanner(evR)
		for sc.Scan() {
			select {
			case events <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	c.events = events
	return c
}

// await waits for A to say what on its events pipe, failing the test when
// A says something else, exits or ctx ends first.
func (c *replicaChild) await(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	select {
	case line := <-c.events:
		if line != what {
			t.Fatalf("replica A said %q, want %q\n%s", line, what, c.out.Bytes())
		}
	case err := <-c.exited:
		c.exited <- err
		t.Fatalf("replica A exited before %q: %v\n%s", what, err, c.out.Bytes())
	case <-ctx.Done():
		t.Fatalf("replica A did not say %q in time\n%s", what, c.out.Bytes())
	}
}

// holdCalls makes the fake hold open, never answering, every call to
// WeCom that replica name makes (taggedTransport marks them), so that
// whatever the replica claims stays claimed and undelivered; it returns
// the count of calls held.
func holdCalls(fake *fakewecom.Server, name string) *atomic.Int64 {
	var held atomic.Int64
	for _, api := range []string{"webhook/send", "webhook/upload_media", "message/send", "gettoken", "appchat/send"} {
		fake.InjectFault(api, 0, fakewecom.Fault{Kind: fakewecom.FaultHang, Match: func(r *http.Request, _ []byte) bool {
			if r.Header.Get(replicaHeader) != name {
				return false
			}
			held.Add(1)
			return true
		}})
	}
	return &held
}

// kill SIGKILLs A and returns when it is dead.
func (c *replicaChild) kill(t *testing.T) time.Time {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-c.exited
	c.exited <- err // for the cleanup
	if ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("replica A ended with %v, not by SIGKILL\n%s", err, c.out.Bytes())
	}
	return time.Now()
}

// startReplicaB starts replica B in this process on the shared prefix,
// with default leases; the test steps its scheduler and outbox.
func startReplicaB(t *testing.T, ctx context.Context, cfg *config.Config, prefix string, camp clock.Clock) *service.Service {
	t.Helper()
	return startReplica(t, ctx, cfg, prefix, "B", service.Options{Real: clock.Real{}, Campaign: camp})
}

// startReplica starts a replica named name in this process on the shared
// prefix, with its WeCom calls marked with the name; the test steps its
// scheduler, outbox and office work. opts gives the clocks and what else
// the test sets.
func startReplica(t *testing.T, ctx context.Context, cfg *config.Config, prefix, name string, opts service.Options) *service.Service {
	t.Helper()
	admin, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts = replicaOptions(t, redisstore.New(redistest.Client(t), prefix, redisstore.Options{Real: opts.Real}), name, opts)
	opts.AdminListener = admin
	svc, err := service.New(ctx, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	serve(t, ctx, svc)
	return svc
}

// replicaOptions completes opts for a replica named name that runs in
// this process on st, serving callbacks on a listener of its own: its
// WeCom calls are marked with the name (taggedTransport), its outbox pool
// is replicaPool, and its outboxes and schedulers are the test's to step.
func replicaOptions(t *testing.T, st store.Store, name string, opts service.Options) service.Options {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts.Store, opts.Listener, opts.ManualOutbox, opts.ManualScheduler = st, ln, true, true
	opts.HTTPClient = &http.Client{Transport: taggedTransport{name}, Timeout: time.Minute}
	opts.OutboxPool = replicaPool
	return opts
}

// serve starts r, a street's service or a district, and shuts it down
// when the test ends.
func serve(t *testing.T, ctx context.Context, r interface {
	Start(context.Context) error
	Shutdown(context.Context) error
}) {
	t.Helper()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	})
}
