package sim_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"firebot/bot"
	"firebot/bot/driver"
	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/district"
	"firebot/service"
	"firebot/sim"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
	"firebot/wecom/fakewecom"
)

// The district benchmarks (issue 23) run a generated city on the Redis
// Cluster REDIS_CLUSTER_ADDRS names (skipped without it): n streets of m
// units each, every street the example street with its own chat and user
// ids. docs/performance.md ("区级部署") has the commands and the figures.

// cityUnits is the number of units in each generated street.
const cityUnits = 50

// cityStart is the campaign clock of a generated city: before the
// example's first reminder, so every reminder is still to come.
var cityStart = time.Date(2023, 11, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))

// city is a generated district, started, on the cluster.
type city struct {
	d      *service.District
	client redis.UniversalClient
	prefix string   // the deployment's key prefix (every street's slot under it)
	chats  []string // every unit's group chat, street by street
	build  time.Duration
}

// cityStreet is the example street as street id, with units units: the
// example's own (ids and chats prefixed with the street id, so no group or
// person belongs to two streets), then generated ones like them.
func cityStreet(base *config.Config, id string, units int) *config.Config {
	cfg := *base
	p := func(s string) string { return id + "-" + s }
	chat := func(c string) campaign.Chat {
		return campaign.Chat{ID: p(c), WebhookKey: campaign.Secret(sim.ChatKey(p(c)))}
	}
	cfg.Access.OfficeUsers = nil
	for _, u := range base.Access.OfficeUsers {
		cfg.Access.OfficeUsers = append(cfg.Access.OfficeUsers, p(u))
	}
	cfg.Access.OfficeChats = nil
	for _, c := range base.Access.OfficeChats {
		cfg.Access.OfficeChats = append(cfg.Access.OfficeChats, chat(c.ID))
	}
	roster := make(campaign.Roster, 0, units)
	for _, u := range base.Units[:min(units, len(base.Units))] {
		var officers []string
		for _, o := range u.Officers {
			officers = append(officers, p(o))
		}
		var chats []campaign.Chat
		for _, c := range u.Chats {
			chats = append(chats, chat(c.ID))
		}
		u.Officers, u.Chats, u.OfficerInfo = officers, chats, nil
		roster = append(roster, u)
	}
	cats := campaign.Categories()
	for i := len(roster); i < units; i++ {
		u := campaign.Unit{ID: fmt.Sprintf("gen%03d", i), Name: fmt.Sprintf("%s单位%03d", id, i), Sector: base.Units[0].ID,
			Kind: campaign.KindOrganisation, Category: cats[i%len(cats)],
			Officers: []string{p(fmt.Sprintf("officer%03d", i))}, Chats: []campaign.Chat{chat(fmt.Sprintf("chat_gen%03d", i))}}
		roster = append(roster, u)
	}
	cfg.Units = roster
	return &cfg
}

// openCity builds and starts a district of n generated streets on the
// cluster, under a fresh prefix whose keys are deleted at cleanup. The
// campaign clock stands still at cityStart and reminders run only when a
// benchmark asks (ManualScheduler); the outboxes and office jobs run.
func openCity(b *testing.B, n int) *city {
	b.Helper()
	ctx := context.Background()
	client := redistest.ClusterClient(b)
	c := &city{client: client, prefix: redistest.Prefix(b, client)}
	base := configtest.Example(b)
	fake := fakewecom.New(fakewecom.Options{CorpID: base.WeCom.CorpID, Secret: base.WeCom.Secret.Reveal(), AgentID: base.WeCom.AgentID})
	b.Cleanup(fake.Close)
	dir := b.TempDir()
	dist := &config.District{ID: "city", Name: "生成的区"}
	for i := range n {
		id := fmt.Sprintf("s%04d", i)
		cfg := cityStreet(base, id, cityUnits)
		cfg.WeCom.APIBaseURL = fake.URL()
		cfg.Media.Dir = filepath.Join(dir, "media")
		dist.Streets = append(dist.Streets, &config.Street{ID: id, Name: id + "街道", Config: cfg})
		for _, u := range cfg.Units {
			for _, ch := range u.Chats {
				c.chats = append(c.chats, ch.ID)
			}
		}
	}
	dist.Shared = dist.Streets[0].Config
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	root := redisstore.New(client, c.prefix, redisstore.Options{})
	start := time.Now()
	d, err := service.OpenDistrict(ctx, dist, service.Options{Campaign: clock.NewFake(cityStart), Store: root, Listener: ln, ManualScheduler: true})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Start(ctx); err != nil {
		d.Shutdown(ctx)
		b.Fatal(err)
	}
	c.build = time.Since(start)
	// Registered after the prefix's cleanup, so it runs before it: the
	// district stops before its keys are deleted.
	b.Cleanup(func() { d.Shutdown(context.Background()) })
	c.d = d
	return c
}

// cityCallbacks sends b.N robot text callbacks (帮助, from 500 users) to
// the given group chats in turn through the district's front.
func cityCallbacks(b *testing.B, c *city, chats []string) loadResult {
	d := cityDriver(b, c)
	ctx := context.Background()
	return load(b, true, func(i int) bool {
		res, err := d.SendRobotText(ctx, chats[i%len(chats)], "group", fmt.Sprintf("user%d", i%500), "用户", benchMessage)
		return err == nil && res.Status == 200 && strings.Contains(sim.ReplyText(res.Reply), "可以帮你")
	})
}

// warmCity sends one callback to each of chats, unmeasured, so that the
// rounds compare streets and groups in their steady state.
func warmCity(b *testing.B, c *city, chats []string) {
	d := cityDriver(b, c)
	var wg sync.WaitGroup
	var failed atomic.Int64
	for w := range 16 {
		wg.Go(func() {
			for i := w; i < len(chats); i += 16 {
				if _, err := d.SendRobotText(context.Background(), chats[i], "group", fmt.Sprintf("user%d", i%500), "用户", benchMessage); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		b.Fatalf("warming up: %d of %d callbacks failed", n, len(chats))
	}
}

func cityDriver(b *testing.B, c *city) *driver.Driver {
	base := configtest.Example(b)
	d, err := driver.New("http://"+c.d.Addr(), driver.Options{Channel: bot.ChannelRobot, Path: "/wecom/robot",
		Token: base.WeCom.Robot.Token.Reveal(), EncodingAESKey: base.WeCom.Robot.EncodingAESKey.Reveal(),
		HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}, MaxAttempts: 1})
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkDistrictCallbacks compares callbacks to a city of 1,000
// streets and 50,000 units with callbacks to a district of one street,
// both on the cluster, both through the district's front (routing, the
// street's slot, its conversation layer). The city's callbacks go to
// every street's groups in turn, so every unit of work lands in another
// slot. Both are warmed first (warmCity); then three alternating rounds,
// each logging the city/street ratios of throughput and p99.
//
//	REDIS_CLUSTER_ADDRS=127.0.0.1:17001,127.0.0.1:17002,127.0.0.1:17003 \
//	  go test -run '^$' -bench DistrictCallbacks -benchtime 3000x -timeout 30m ./sim/
func BenchmarkDistrictCallbacks(b *testing.B) {
	one := openCity(b, 1)
	many := openCity(b, 1000)
	b.Logf("built 1 street in %v, 1000 streets (%d units) in %v", one.build, 1000*cityUnits, many.build)
	// Interleave the streets' groups: consecutive callbacks, different streets.
	var spread []string
	perStreet := len(many.chats) / 1000
	for k := range perStreet {
		for s := range 1000 {
			spread = append(spread, many.chats[s*perStreet+k])
		}
	}
	// The rounds cycle over 3,000 groups, three of every street, each
	// warmed first: a group's first message does once what its later ones
	// do not (its street's matcher and vocabulary on first use, the group's
	// webhook key learned and stored), and the single street's 50 groups
	// are warm after a few callbacks anyway.
	spread = spread[:3*1000]
	warmCity(b, one, one.chats)
	warmCity(b, many, spread)
	for round := 1; round <= 3; round++ {
		var street, cityRes loadResult
		b.Run(fmt.Sprintf("street-%d", round), func(b *testing.B) { street = cityCallbacks(b, one, one.chats) })
		b.Run(fmt.Sprintf("city-%d", round), func(b *testing.B) { cityRes = cityCallbacks(b, many, spread) })
		if street.Rate > 0 && street.P99 > 0 {
			b.Logf("round %d: city/street throughput %.2f×, p99 %.2f×", round, cityRes.Rate/street.Rate, float64(cityRes.P99)/float64(street.P99))
		}
	}
}

// BenchmarkDistrictIdle builds and starts n streets and reports what an
// idle street costs: the heap after GC (minus the heap before building)
// per street, goroutines per street, the time to build and start one
// street, and how evenly the seeded keys spread over the cluster's
// masters (the fullest master's keys over the emptiest's).
//
//	go test -run '^$' -bench DistrictIdle -benchtime 1x -timeout 30m ./sim/
func BenchmarkDistrictIdle(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			heap0, g0 := settledHeap()
			c := openCity(b, n)
			heap1, g1 := settledHeap()
			runtime.KeepAlive(c)
			b.ReportMetric(float64(heap1-heap0)/float64(n)/1024, "heap-KiB/street")
			b.ReportMetric(float64(g1-g0)/float64(n), "goroutines/street")
			b.ReportMetric(float64(c.build.Milliseconds())/float64(n), "build-ms/street")
			idle, server := idleCPU(b, c, 5*time.Second)
			b.ReportMetric(idle*100, "idle-cpu-%")
			b.ReportMetric(server*100, "idle-redis-cpu-%")
			perMaster := keysPerMaster(b, c)
			b.ReportMetric(float64(slices.Max(perMaster))/float64(max(slices.Min(perMaster), 1)), "keys-max/min")
			b.Logf("%d streets: keys per master %v", n, perMaster)
		})
	}
}

// settledHeap is the live heap after two collections, and the number of
// goroutines.
func settledHeap() (uint64, int) {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, runtime.NumGoroutine()
}

// idleCPU is the share of one core the process (and, second, the
// cluster's masters together) use while the city idles for d: the
// streets' background loops (outbox polls, office jobs, sweeps).
func idleCPU(b *testing.B, c *city, d time.Duration) (float64, float64) {
	redis0 := clusterCPU(b, c)
	cpu0 := processCPU()
	time.Sleep(d) // measuring idle time is the point: nothing to wait for
	cpu := processCPU() - cpu0
	return cpu.Seconds() / d.Seconds(), (clusterCPU(b, c) - redis0) / d.Seconds()
}

// clusterCPU is the CPU seconds the cluster's masters have used.
func clusterCPU(b *testing.B, c *city) float64 {
	cc := c.client.(*redis.ClusterClient)
	var mu sync.Mutex
	var total float64
	err := cc.ForEachMaster(context.Background(), func(ctx context.Context, m *redis.Client) error {
		info, err := m.Info(ctx, "cpu").Result()
		if err != nil {
			return err
		}
		for line := range strings.SplitSeq(info, "\n") {
			k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
			if k == "used_cpu_sys" || k == "used_cpu_user" {
				f, _ := strconv.ParseFloat(v, 64)
				mu.Lock()
				total += f
				mu.Unlock()
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return total
}

// keysPerMaster counts the city's keys on each master of the cluster.
func keysPerMaster(b *testing.B, c *city) []int {
	cc, ok := c.client.(*redis.ClusterClient)
	if !ok {
		b.Fatalf("%T is not a cluster client", c.client)
	}
	ctx := context.Background()
	// The prefix is "{name}:"; the streets' slots are "{name:<street>}:".
	pattern := redisstore.GlobEscape(strings.TrimSuffix(strings.TrimPrefix(c.prefix, "{"), "}:"))
	pattern = "{" + pattern + "[}:]*"
	var counts []int
	var mu sync.Mutex
	err := cc.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
		n := 0
		iter := m.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			n++
		}
		mu.Lock()
		counts = append(counts, n)
		mu.Unlock()
		return iter.Err()
	})
	if err != nil {
		b.Fatal(err)
	}
	return counts
}

// BenchmarkDistrictReminderFire is the time to plan one reminder fire
// across every street of a city: each street's scheduler runs until the
// same fire time (the example's reminders in order, one fire time per
// iteration), which reads the street's roster and bindings and enqueues
// its pushes in its own slot. Delivery is not timed (the outboxes send
// afterwards).
//
//	go test -run '^$' -bench DistrictReminderFire -benchtime 3x -timeout 30m ./sim/
func BenchmarkDistrictReminderFire(b *testing.B) {
	for _, n := range []int{100, 1000} {
		// Built once: the testing package calls a benchmark's function more
		// than once (b.N = 1 first), and the city takes a while to build.
		c := openCity(b, n)
		ctx := context.Background()
		var times []time.Time
		for _, f := range c.d.Streets[0].Scheduler.Timetable().Fires(cityStart, cityStart.AddDate(0, 2, 0)) {
			if len(times) == 0 || f.At.After(times[len(times)-1]) {
				times = append(times, f.At)
			}
		}
		// The first run of a scheduler resumes from its watermark: not timed.
		for _, s := range c.d.Streets {
			if err := s.Scheduler.RunUntil(ctx, cityStart); err != nil {
				b.Fatal(err)
			}
		}
		next := 0 // the next fire time: each call goes on where the last stopped
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			if next+b.N > len(times) {
				b.Fatalf("%d more fire times wanted, the timetable has %d left", b.N, len(times)-next)
			}
			b.ResetTimer()
			for i := range b.N {
				for _, s := range c.d.Streets {
					if err := s.Scheduler.RunUntil(ctx, times[next+i]); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			next += b.N
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/fire")
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n)/1000, "ms/street")
		})
	}
}

// BenchmarkDistrictStats is the district's 统计 over 100 streets: each
// street's roster and progress read in its own slot and totalled
// (district.Stats, as district staff get it).
//
//	go test -run '^$' -bench DistrictStats -benchtime 5x -timeout 30m ./sim/
func BenchmarkDistrictStats(b *testing.B) {
	c := openCity(b, 100) // once: see BenchmarkDistrictReminderFire
	var streets []district.Street
	for i, s := range c.d.Streets {
		sp := c.d.Spec.Streets[i]
		streets = append(streets, district.Street{ID: sp.ID, Name: sp.Name, Campaign: &s.Config.Campaign, Store: s.Store})
	}
	ctx := context.Background()
	b.Run("100", func(b *testing.B) {
		for range b.N {
			o, err := district.Stats(ctx, streets)
			if err != nil {
				b.Fatal(err)
			}
			if len(o.Streets) != 100 || len(o.Unreadable) > 0 {
				b.Fatalf("%d streets read, %d unreadable", len(o.Streets), len(o.Unreadable))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/stats")
	})
}
