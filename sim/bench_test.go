package sim_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
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
	"firebot/ledger"
	"firebot/sim"
	"firebot/store"
	"firebot/store/redisstore"
)

// BenchmarkCallbacks measures robot text callbacks through the full HTTP
// path with 64 concurrent senders:
//
//	floor     verify + decrypt + parse + encrypt a reply, no application logic
//	embedded  firebot on the embedded store (durable before the answer)
//	redis     firebot on Redis (REDIS_ADDR)
//
// The floor answers with the text firebot answers, so that both encrypt,
// send and (in the sender) decrypt and parse replies of the same size: the
// difference is firebot's own work. Each reports callbacks/s and p50/p99
// latency; compare the modes of one run (docs/performance.md).
func BenchmarkCallbacks(b *testing.B) {
	answer := benchAnswer(b)
	b.Run("floor", func(b *testing.B) {
		srv := httptest.NewServer(floorHandler(b, answer))
		defer srv.Close()
		runCallbacks(b, srv.URL, "/wecom/robot")
	})
	b.Run("embedded", func(b *testing.B) {
		s := benchSim(b, nil)
		runCallbacks(b, "http://"+s.Service.Addr(), "/wecom/robot")
	})
	b.Run("redis", func(b *testing.B) {
		addr := os.Getenv("REDIS_ADDR")
		if addr == "" {
			b.Skip("REDIS_ADDR not set")
		}
		client, err := redisstore.NewClient(redisstore.ClientOptions{Addr: addr})
		if err != nil {
			b.Fatal(err)
		}
		// Cleanups run last-registered first: the service (registered by
		// benchSim) stops before its keys are deleted and the client closed.
		b.Cleanup(func() { client.Close() })
		prefix := fmt.Sprintf("{firebot-bench-%d}:", time.Now().UnixNano())
		b.Cleanup(func() {
			keys, _ := client.Keys(context.Background(), prefix+"*").Result()
			for i := 0; i < len(keys); i += 500 {
				client.Del(context.Background(), keys[i:min(i+500, len(keys))]...)
			}
		})
		st := redisstore.New(client, prefix, redisstore.Options{})
		s := benchSim(b, st)
		runCallbacks(b, "http://"+s.Service.Addr(), "/wecom/robot")
	})
}

func benchConfig(b *testing.B) *config.Config {
	cfg := configtest.Example(b)
	return cfg
}

func benchSim(b *testing.B, st store.Store) *sim.Sim {
	s, err := sim.New(context.Background(), sim.Options{Config: benchConfig(b), Dir: b.TempDir(), Store: st, Campaign: clock.NewFake(time.Date(2023, 11, 6, 10, 0, 0, 0, time.UTC))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// benchMessage is what every benchmark callback says.
const benchMessage = "@firebot 帮助"

// benchAnswer is firebot's answer to benchMessage in a benchmark chat.
func benchAnswer(b *testing.B) string {
	s := benchSim(b, nil)
	// SayIn mentions the robot itself.
	t, err := s.SayIn(context.Background(), "chat_bench_0", "user0", strings.TrimPrefix(benchMessage, "@firebot "), true)
	if err != nil || !strings.Contains(t.Text, "可以帮你") {
		b.Fatalf("firebot's answer to %q: %q, %v", benchMessage, t.Text, err)
	}
	return t.Text
}

// floorHandler is the protocol floor: everything WeCom obliges a callback
// server to do, and nothing else. It answers with the given text.
func floorHandler(b *testing.B, answer string) http.Handler {
	cfg := benchConfig(b)
	codec, err := bot.NewCodec(cfg.WeCom.Robot.Token.Reveal(), cfg.WeCom.Robot.EncodingAESKey.Reveal(), "", nil)
	if err != nil {
		b.Fatal(err)
	}
	var rd bot.Renderer
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := bot.ParseParams(r.URL.RawQuery)
		if err != nil {
			http.Error(w, "bad", 400)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		pt, err := codec.Open(p, body, bot.FormatXML)
		if err != nil {
			http.Error(w, "bad", 400)
			return
		}
		m, err := bot.ParseRobot(pt, bot.FormatXML, "")
		if err != nil {
			http.Error(w, "bad", 400)
			return
		}
		reply, _ := rd.Render(m, bot.Reply{Text: answer})
		sealed, _ := codec.Seal(reply, p.Timestamp, p.Nonce, bot.FormatXML)
		w.Write(sealed)
	})
}

// runCallbacks sends b.N distinct robot text callbacks from 64 goroutines
// and reports throughput and latency percentiles.
func runCallbacks(b *testing.B, base, path string) {
	cfg := benchConfig(b)
	transport := &http.Transport{MaxIdleConnsPerHost: 128}
	d, err := driver.New(base, driver.Options{Channel: bot.ChannelRobot, Path: path,
		Token: cfg.WeCom.Robot.Token.Reveal(), EncodingAESKey: cfg.WeCom.Robot.EncodingAESKey.Reveal(),
		HTTPClient: &http.Client{Transport: transport}, MaxAttempts: 1})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	load(b, true, func(i int) bool {
		res, err := d.SendRobotText(ctx, fmt.Sprintf("chat_bench_%d", i%200), "group", fmt.Sprintf("user%d", i%500), "用户", benchMessage)
		return err == nil && res.Status == 200 && len(res.Reply) > 0
	})
}

// loadResult is what load measured: callbacks per second and the 99th
// percentile latency (zero unless latency was asked for).
type loadResult struct {
	Rate float64
	P99  time.Duration
}

// load runs send(0..b.N-1) from 64 goroutines, fails the benchmark if any
// send fails, and reports callbacks/s (and latency percentiles when
// latency is set).
func load(b *testing.B, latency bool, send func(i int) bool) loadResult {
	const senders = 64
	lat := make([]time.Duration, b.N)
	var next, failed atomic.Int64
	b.ResetTimer()
	cpu0 := processCPU()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < senders; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N {
					return
				}
				t0 := time.Now()
				if !send(i) {
					failed.Add(1)
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := processCPU() - cpu0
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d callbacks failed", n, b.N)
	}
	res := loadResult{Rate: float64(b.N) / elapsed.Seconds()}
	b.ReportMetric(res.Rate, "callbacks/s")
	// CPU time of the whole process (senders included) per callback: steadier
	// than throughput on a shared machine.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/callback")
	if latency {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(lat[b.N/2].Microseconds())/1000, "p50-ms")
		res.P99 = lat[b.N*99/100]
		b.ReportMetric(float64(res.P99.Microseconds())/1000, "p99-ms")
	}
	return res
}

// BenchmarkCallbacksLargeData is firebot on the embedded store answering
// 进度 in bound groups, with the example roster and with 8,000 units and
// 100,000 records: the per-message cost must not grow with the data.
//
//	go test -run '^$' -bench CallbacksLargeData -benchtime 3000x ./sim/
func BenchmarkCallbacksLargeData(b *testing.B) {
	b.Run("example", func(b *testing.B) {
		cfg := benchConfig(b)
		s := benchSimWith(b, cfg, nil)
		// The same records per unit as the large case (100,000 / 8,000),
		// so only the size of the data differs.
		seedRecords(b, s, cfg, len(cfg.Units)*100000/8000)
		var chats []string
		for _, u := range cfg.Units {
			for _, c := range u.Chats {
				chats = append(chats, c.ID)
			}
		}
		runProgressCallbacks(b, s, chats)
	})
	b.Run("8000units-100000records", func(b *testing.B) {
		cfg := benchConfig(b)
		cfg.Units = bigRoster(cfg, 8000)
		s := benchSimWith(b, cfg, nil)
		seedRecords(b, s, cfg, 100000)
		var chats []string
		for _, u := range cfg.Units {
			if len(u.Chats) > 0 {
				chats = append(chats, u.Chats[0].ID)
			}
		}
		runProgressCallbacks(b, s, chats)
	})
}

func benchSimWith(b *testing.B, cfg *config.Config, st store.Store) *sim.Sim {
	s, err := sim.New(context.Background(), sim.Options{Config: cfg, Dir: b.TempDir(), Store: st, Campaign: clock.NewFake(time.Date(2023, 11, 20, 10, 0, 0, 0, cfg.Location))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// bigRoster makes n units like the example's (communities and
// organisations of every category), each with its own group chat.
func bigRoster(cfg *config.Config, n int) campaign.Roster {
	cats := campaign.Categories()
	out := make(campaign.Roster, 0, n)
	for i := 0; i < n; i++ {
		u := campaign.Unit{ID: fmt.Sprintf("u%05d", i), Name: fmt.Sprintf("单位%05d", i), Sector: cfg.Units[0].ID,
			Officers: []string{fmt.Sprintf("officer%05d", i)}, Chats: []campaign.Chat{{ID: fmt.Sprintf("chat_u%05d", i)}}}
		if i%4 == 0 {
			u.Kind = campaign.KindCommunity
		} else {
			u.Kind, u.Category = campaign.KindOrganisation, cats[i%len(cats)]
		}
		out = append(out, u)
	}
	return append(campaign.Roster{cfg.Units[0]}, out...)
}

func seedRecords(b *testing.B, s *sim.Sim, cfg *config.Config, n int) {
	ctx := context.Background()
	var units campaign.Roster
	for _, u := range cfg.Units {
		if len(cfg.Campaign.TasksFor(u)) > 0 && len(u.Officers) > 0 {
			units = append(units, u)
		}
	}
	const batch = 2000
	for done := 0; done < n; done += batch {
		err := s.Service.Store.Update(ctx, func(tx store.Tx) error {
			for i := done; i < min(done+batch, n); i++ {
				u := units[i%len(units)]
				tasks := cfg.Campaign.TasksFor(u)
				t := tasks[i%len(tasks)]
				r := &store.Record{Kind: store.KindConfirmation, CampaignID: cfg.Campaign.ID, UnitID: u.ID, TaskID: t.ID,
					ReporterID: u.Officers[0], CreatedAt: time.Date(2023, 11, 1+i%19, 9, 0, 0, 0, cfg.Location)}
				if err := ledger.Encode(r, ledger.Confirmation{Date: "2023-11-02", Fields: map[string]string{"participants": "80"}}); err != nil {
					return err
				}
				if err := store.PutRecord(tx, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func runProgressCallbacks(b *testing.B, s *sim.Sim, chats []string) {
	ctx := context.Background()
	load(b, false, func(i int) bool {
		reply, err := s.Say(ctx, chats[i%len(chats)], fmt.Sprintf("user%d", i%500), "进度")
		return err == nil && strings.Contains(reply, "已完成")
	})
}

// processCPU is the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
