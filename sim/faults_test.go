package sim_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"firebot/campaign"
	"firebot/clock"
	"firebot/config/configtest"
	"firebot/office/broadcast"
	"firebot/sim"
	"firebot/store"
	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

// The fake WeCom fails about 10 % of the calls of a working day (the
// 11-24 report chase and office digest, a 100-group broadcast with its
// delivery report, the Friday nudge) with errcode -1, HTTP 5xx or no answer
// at all. Everything is still delivered, exactly once per target, and the
// failures show in the metrics.

// faultClientTimeout bounds a hung call. Loopback calls to the fake take
// milliseconds; a legitimate call running this long would be a timeout the
// fake had in fact served, i.e. a duplicate, and the test would say so.
const faultClientTimeout = time.Second

// faultKind is one of the three kinds of failure injected.
type faultKind int

const (
	faultBusy    faultKind = iota // errcode -1
	fault5xx                      // HTTP 500 or 502
	faultTimeout                  // no answer until the client gives up
)

// faultPicker decides which calls fail: a call fails when the hash of its
// path, webhook key and body falls in one tenth, with the kind and the
// number of times (once, or for a quarter of them twice) taken from the same
// hash. Retries repeat the body, so each chosen push fails a fixed number of
// times, then goes through, whatever the order of the calls.
type faultPicker struct {
	mu       sync.Mutex
	failed   map[uint64]int    // hash → failures so far
	injected map[faultKind]int // failed calls by kind
}

func (p *faultPicker) match(kind faultKind, status int) func(*http.Request, []byte) bool {
	return func(r *http.Request, body []byte) bool {
		sum := sha256.Sum256(slices.Concat([]byte(r.URL.Path+"\x00"+r.URL.Query().Get("key")+"\x00"), body))
		v := binary.BigEndian.Uint64(sum[:8])
		if v%10 != 0 || faultKind(v/10%3) != kind {
			return false
		}
		if kind == fault5xx && 500+2*int(v/30%2) != status {
			return false
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		times := 1 // a quarter of the chosen pushes fail twice
		if v/60%4 == 0 {
			times = 2
		}
		if p.failed[v] >= times {
			return false
		}
		p.failed[v]++
		p.injected[kind]++
		return true
	}
}

func (p *faultPicker) inject(f *fakewecom.Server) {
	for _, api := range []string{"webhook/send", "message/send"} {
		busy := fakewecom.SystemBusy()
		busy.Match = p.match(faultBusy, 0)
		f.InjectFault(api, 0, busy)
		for _, status := range []int{500, 502} {
			e := fakewecom.HTTPStatus(status)
			e.Match = p.match(fault5xx, status)
			f.InjectFault(api, 0, e)
		}
		hang := fakewecom.Hang()
		hang.Match = p.match(faultTimeout, 0)
		f.InjectFault(api, 0, hang)
	}
}

func (p *faultPicker) counts() map[faultKind]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.injected)
}

// faultDay is what one run of the working day left behind.
type faultDay struct {
	pushes  []string            // every push the fake accepted, as "[群 chat] text", sorted
	calls   map[string]float64  // firebot_wecom_calls_total by errcode, summed over APIs
	retries float64             // firebot_outbox_deliveries_total{status="retry"}
	picked  map[faultKind]int   // failed calls injected
	flushes int                 // delivery rounds until nothing was pending
	elapsed time.Duration       // wall-clock time of the run
	bcast   map[string][]string // broadcast outbox entries' statuses by group
}

const faultBulk = 100

func bulkChat(i int) string { return fmt.Sprintf("chat_fault_%03d", i) }

// runFaultDay runs the working day, with the faults when picker is set.
func runFaultDay(t *testing.T, picker *faultPicker) faultDay {
	t.Helper()
	start := time.Now()
	ctx := context.Background()
	cfg := configtest.Example(t)
	cfg.Units = slices.Clone(cfg.Units)
	for i := range faultBulk {
		cfg.Units = append(cfg.Units, campaign.Unit{
			ID: fmt.Sprintf("org_fault_%03d", i), Name: fmt.Sprintf("故障测试单位%03d", i), Kind: campaign.KindOrganisation,
			Category: campaign.CategoryOther, Chats: []campaign.Chat{{ID: bulkChat(i)}},
		})
	}
	cst := time.FixedZone("CST", 8*3600)
	real := clock.NewFake(time.Date(2023, 11, 24, 0, 0, 0, 0, time.UTC))
	// The service's WeCom client waits 30 s for an answer; a hung call is
	// given up after faultClientTimeout here.
	s, err := sim.New(ctx, sim.Options{Config: cfg, Dir: t.TempDir(), Real: real,
		Campaign:   clock.NewFake(time.Date(2023, 11, 24, 8, 0, 0, 0, cst)),
		HTTPClient: &http.Client{Timeout: faultClientTimeout}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if picker != nil {
		picker.inject(s.Fake)
	}

	day := faultDay{}
	drain := func() {
		t.Helper()
		for range 30 {
			if err := s.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			day.flushes++
			var depth int
			if err := s.Service.Store.View(ctx, func(tx store.Tx) error {
				var err error
				depth, _, err = store.OutboxPendingStats(tx)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if depth == 0 {
				return
			}
			real.Advance(2 * time.Minute) // past every backoff of the first attempts
		}
		t.Fatal("the outbox never drained")
	}

	// 09:00: the report chase (-7d@09:00 of 12-01) and the office digest.
	if err := s.Advance(ctx, time.Date(2023, 11, 24, 9, 0, 0, 0, cst)); err != nil {
		t.Fatal(err)
	}
	// The broadcast goes out while the reminders are still queued.
	got, err := s.Say(ctx, "chat_office", "zhujun", "广播 其他 @所有人 回执 请各单位本周五前完成消防设施自查。")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, fmt.Sprintf("发送到：%d个群", faultBulk)) {
		t.Fatalf("preview: %s", got)
	}
	if got, err = s.Say(ctx, "chat_office", "zhujun", "确认"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "已发出广播 GB-0001") {
		t.Fatalf("confirmation: %s", got)
	}
	drain()
	// 16:00: the Friday nudge.
	if err := s.Advance(ctx, time.Date(2023, 11, 24, 16, 0, 0, 0, cst)); err != nil {
		t.Fatal(err)
	}
	drain()

	for _, r := range s.Fake.Messages() {
		day.pushes = append(day.pushes, sim.Describe(r))
	}
	slices.Sort(day.pushes)
	day.bcast = map[string][]string{}
	err = s.Service.Store.View(ctx, func(tx store.Tx) error {
		es, err := store.OutboxBySource(tx, broadcast.Source("GB-0001", 1))
		for _, e := range es {
			day.bcast[e.Target] = append(day.bcast[e.Target], e.Status)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	day.calls, day.retries = faultMetrics(t, s.Service.Registry)
	if picker != nil {
		day.picked = picker.counts()
	}
	day.elapsed = time.Since(start)
	return day
}

// faultMetrics reads the WeCom calls by errcode (summed over APIs) and the
// outbox retries from reg.
func faultMetrics(t *testing.T, reg *prometheus.Registry) (map[string]float64, float64) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]float64{}
	var retries float64
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			switch mf.GetName() {
			case wecom.CallsMetric:
				calls[labels["errcode"]] += m.GetCounter().GetValue()
			case "firebot_outbox_deliveries_total":
				if labels["status"] == "retry" {
					retries += m.GetCounter().GetValue()
				}
			}
		}
	}
	return calls, retries
}

func TestFaultsDuringRemindersAndBroadcast(t *testing.T) {
	// The same day without faults says what should arrive.
	clean := runFaultDay(t, nil)
	picker := &faultPicker{failed: map[uint64]int{}, injected: map[faultKind]int{}}
	faulty := runFaultDay(t, picker)
	count := func(pushes []string, sub string) int {
		n := 0
		for _, p := range pushes {
			if strings.Contains(p, sub) {
				n++
			}
		}
		return n
	}
	t.Logf("%d pushes (%d to groups, %d application messages); without faults %d flushes in %v, with faults %d flushes in %v; failed calls injected: %d busy, %d 5xx, %d timeouts",
		len(faulty.pushes), count(faulty.pushes, "[群 "), count(faulty.pushes, "[应用消息"),
		clean.flushes, clean.elapsed.Round(time.Millisecond), faulty.flushes, faulty.elapsed.Round(time.Millisecond),
		faulty.picked[faultBusy], faulty.picked[fault5xx], faulty.picked[faultTimeout])

	// The day was a real one: reminders to units, the digest to the office,
	// the broadcast to every group and its report.
	for _, want := range []string{"消防设施自查", "【广播送达情况】GB-0001", "活动信息和图文资料报送提醒", "消防宣传月进度日报", "本周进度提醒"} {
		if count(clean.pushes, want) == 0 {
			t.Errorf("no push with %q in the day", want)
		}
	}
	if n := count(clean.pushes, "消防设施自查"); n < faultBulk {
		t.Errorf("the broadcast reached %d groups", n)
	}
	if clean.retries != 0 || clean.calls["-1"]+clean.calls["timeout"] != 0 {
		t.Errorf("faults without injection: %v, %v retries", clean.calls, clean.retries)
	}

	// Everything was delivered, exactly once per target: the pushes equal
	// the fault-free day's, one for one.
	if diff := cmp.Diff(clean.pushes, faulty.pushes); diff != "" {
		t.Errorf("pushes differ from the day without faults (-clean +faulty):\n%s", diff)
	}
	for i := range faultBulk {
		if st := faulty.bcast[bulkChat(i)]; !slices.Equal(st, []string{store.OutboxSent}) {
			t.Errorf("broadcast to %s: %v", bulkChat(i), st)
		}
	}
	if rep := count(faulty.pushes, fmt.Sprintf("成功%d个，失败0个", faultBulk)); rep != 1 {
		t.Errorf("%d delivery reports say all %d groups were reached", rep, faultBulk)
	}

	// Every kind of fault was met, and each shows in the metrics.
	total := 0
	for _, k := range []faultKind{faultBusy, fault5xx, faultTimeout} {
		if faulty.picked[k] == 0 {
			t.Errorf("no call failed with fault kind %d", k)
		}
		total += faulty.picked[k]
	}
	var http5xx float64
	for code, n := range faulty.calls {
		if strings.HasPrefix(code, wecom.OutcomeHTTP+"5") {
			http5xx += n
		}
	}
	got := map[string]float64{"-1": faulty.calls["-1"], "http_5xx": http5xx, "timeout": faulty.calls[wecom.OutcomeTimeout]}
	want := map[string]float64{"-1": float64(faulty.picked[faultBusy]), "http_5xx": float64(faulty.picked[fault5xx]), "timeout": float64(faulty.picked[faultTimeout])}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("firebot_wecom_calls_total by errcode (-injected +counted):\n%s", diff)
	}
	if faulty.retries != float64(total) {
		t.Errorf(`firebot_outbox_deliveries_total{status="retry"} = %v, want %d (one per failed call)`, faulty.retries, total)
	}
	var calls float64
	for _, n := range faulty.calls {
		calls += n
	}
	share := float64(total) / calls
	t.Logf("%d of %v WeCom calls failed (%.1f%%)", total, calls, 100*share)
	if share < 0.05 || share > 0.2 {
		t.Errorf("%d of %v calls failed: not about 10%%", total, calls)
	}
}
