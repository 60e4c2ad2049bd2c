package sim_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"firebot/bot"
	"firebot/clock"
	"firebot/config/configtest"
	"firebot/sim"
	"firebot/store"
	"firebot/store/redisstore"

	"github.com/redis/go-redis/v9"
)

// ownRedis is a redis-server this test starts and kills, writing an
// append-only file synced on every write.
type ownRedis struct {
	t    *testing.T
	dir  string
	port int
	cmd  *exec.Cmd
}

func startOwnRedis(t *testing.T) *ownRedis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server not installed (scripts/test.sh installs it)")
		}
		t.Skip("redis-server not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	r := &ownRedis{t: t, dir: t.TempDir(), port: port}
	r.start()
	t.Cleanup(r.kill)
	return r
}

func (r *ownRedis) addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

func (r *ownRedis) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", fmt.Sprint(r.port), "--bind", "127.0.0.1",
		"--dir", r.dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "")
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	for i := 0; i < 200; i++ { // wait for it to accept connections
		c, err := net.DialTimeout("tcp", r.addr(), 50*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(10 * time.Millisecond) // waiting for a process to start, not for time to pass
	}
	r.t.Fatal("redis-server did not start")
}

func (r *ownRedis) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		r.cmd.Process.Signal(syscall.SIGKILL)
		r.cmd.Wait()
		r.cmd = nil
	}
}

// recordingHandler stores one confirmation per message and answers with
// its id: an answer that names an id promises the record is durable.
var recordingHandler = bot.HandlerFunc(func(ctx context.Context, tx store.Tx, m *bot.Message) (bot.Reply, error) {
	r := &store.Record{Kind: store.KindConfirmation, CampaignID: "2023-119", UnitID: "comm_xuetianwan", ReporterID: m.SenderID, Data: []byte(`{"msg":"` + m.MsgID + `"}`)}
	if err := store.PutRecord(tx, r); err != nil {
		return bot.NoReply, err
	}
	return bot.Reply{Text: "已记录 " + r.ID}, nil
})

func TestRedisRestartDuringConfirmations(t *testing.T) {
	ctx := context.Background()
	rd := startOwnRedis(t)
	// The client redisstore.NewClient builds, with go-redis's waits between
	// its tries shortened: as many dials and retries per command, but
	// spaced by milliseconds instead of 100 ms (dials) and up to 1 s
	// (commands). Messages during the outage then fail as they would, in
	// a fraction of the time (the test took ~52 s with the defaults).
	client := redis.NewClient(&redis.Options{Addr: rd.addr(), PoolSize: redisstore.DefaultPoolSize,
		DialerRetryTimeout: time.Millisecond, MinRetryBackoff: time.Millisecond, MaxRetryBackoff: 4 * time.Millisecond})
	defer client.Close()
	st := redisstore.New(client, "{firebot}:", redisstore.Options{MaxAttempts: 3})
	cfg := configtest.Example(t)
	s, err := sim.New(ctx, sim.Options{Config: cfg, Dir: t.TempDir(), Store: st, Handler: recordingHandler, Real: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	acknowledged := map[string]string{} // record id → message
	busy := 0
	for i := 0; i < 150; i++ {
		switch i {
		case 50:
			rd.kill() // the outage begins
		case 80:
			rd.start() // Redis comes back with its append-only file
		}
		reply, err := s.Say(ctx, "chat_comm_xuetianwan", "wangxiao", fmt.Sprintf("上报 第%d条", i))
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		switch {
		case strings.HasPrefix(reply, "已记录 "):
			acknowledged[strings.TrimPrefix(reply, "已记录 ")] = fmt.Sprint(i)
		case reply == bot.BusyText:
			busy++
			if i < 50 || i >= 90 {
				t.Errorf("message %d got the busy reply while Redis was up", i)
			}
		default:
			t.Fatalf("message %d: unexpected reply %q", i, reply)
		}
	}
	if busy == 0 {
		t.Fatal("no message met the outage")
	}
	// Every confirmation acknowledged to a user is in the store, and the
	// store holds nothing else (no half-written records from the outage).
	stored := 0
	err = st.View(ctx, func(tx store.Tx) error {
		return store.EachRecord(tx, "2023-119", store.KindConfirmation, time.Time{}, time.Time{}, func(r *store.Record) error {
			stored++
			if _, ok := acknowledged[r.ID]; !ok {
				return fmt.Errorf("%s is stored but was never acknowledged", r.ID)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if stored != len(acknowledged) {
		t.Fatalf("%d records stored, %d acknowledged", stored, len(acknowledged))
	}
	t.Logf("%d acknowledged, %d busy replies during the outage", len(acknowledged), busy)

}
