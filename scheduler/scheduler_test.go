package scheduler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/clock"
	"firebot/config"
	"firebot/store"
)

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newLog() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewTextHandler(b, nil)), b
}

func TestFirstStartSendsNothingOld(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(11, 25, 10, 0))
	log, logs := newLog()
	s := f.scheduler(log)
	f.step(s, at(11, 25, 10, 0))
	if got := f.drain(); len(got) != 0 {
		t.Errorf("first start sent %v", targets(got))
	}
	if !strings.Contains(logs.String(), "started for the first time") {
		t.Errorf("logs:\n%s", logs)
	}
	f.step(s, at(11, 27, 9, 0))
	if diff := cmp.Diff([]string{"office_digest:2023-11-27T09:00+08:00 webhook chat_office"}, targets(f.drain())); diff != "" {
		t.Errorf("after the start (-want +got):\n%s", diff)
	}
}

// TestRestart: a new Scheduler on the reopened store carries on where the
// old one stopped, and never sends a reminder twice, even when it crashed
// after sending and before recording its watermark.
func TestRestart(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(10, 26, 8, 0))
	s := f.scheduler(nil)
	f.step(s, at(10, 26, 8, 0))
	f.step(s, at(10, 27, 9, 0))
	first := targets(f.drain())
	if len(first) != 10 { // 2 fires × (4 groups + 1 unit without a group)
		t.Fatalf("before the restart: %v", first)
	}

	f.reopen()
	s = f.scheduler(nil)
	f.step(s, at(10, 27, 9, 5))
	if got := f.drain(); len(got) != 0 {
		t.Errorf("restart resent %v", targets(got))
	}

	// A crash between the sends and the watermark: the watermark is behind.
	f.update(func(tx store.Tx) error {
		return store.PutMeta(tx, metaWatermark+f.cfg.Campaign.ID, at(10, 26, 12, 0).Format(time.RFC3339Nano))
	})
	f.reopen()
	s = f.scheduler(nil)
	f.step(s, at(10, 27, 9, 10))
	if got := f.drain(); len(got) != 0 {
		t.Errorf("restart after a crash resent %v", targets(got))
	}
	f.step(s, at(10, 27, 15, 0))
	if got := targets(f.drain()); len(got) != 5 || !strings.HasPrefix(got[0], "nomination_chase:2023-10-27T15:00") {
		t.Errorf("after the restart: %v", got)
	}
}

func TestCatchUp(t *testing.T) {
	tests := []struct {
		name    string
		restart time.Time
		grace   time.Duration
		want    []string // sources sent at the restart, all marked 补发
		skipped []string // fires logged as skipped
	}{
		{"inside the grace", at(10, 27, 10, 0), 6 * time.Hour,
			[]string{"nomination_chase:2023-10-27T09:00+08:00"}, []string{"2023-10-26T15:00"}},
		{"both inside a long grace", at(10, 27, 10, 0), 24 * time.Hour,
			[]string{"nomination_chase:2023-10-26T15:00+08:00", "nomination_chase:2023-10-27T09:00+08:00"}, nil},
		{"outside the grace", at(10, 27, 14, 0), 3 * time.Hour,
			nil, []string{"2023-10-26T15:00", "2023-10-27T09:00"}},
		{"deadline passed", at(10, 27, 18, 0), 24 * time.Hour,
			nil, []string{"its deadline or the campaign is over"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := smallConfig(t)
			cfg.Reminders.Grace = tc.grace
			f := newFixture(t, cfg, at(10, 26, 8, 0))
			f.step(f.scheduler(nil), at(10, 26, 12, 0)) // then down
			f.reopen()
			log, logs := newLog()
			s := f.scheduler(log)
			f.campaign.Set(tc.restart)
			if err := s.RunUntil(context.Background(), tc.restart); err != nil {
				t.Fatal(err)
			}
			got := f.drain()
			var sources []string
			for _, p := range got {
				src := strings.TrimPrefix(p.Source, "reminder:")
				if len(sources) == 0 || sources[len(sources)-1] != src {
					sources = append(sources, src)
				}
				if !strings.Contains(p.Content, "【补发】") || !strings.Contains(p.Content, "因服务中断补发") {
					t.Errorf("late push not marked 补发:\n%s", p.Content)
				}
			}
			if diff := cmp.Diff(tc.want, sources); diff != "" {
				t.Errorf("late sources (-want +got):\n%s", diff)
			}
			for _, s := range tc.skipped {
				if !strings.Contains(logs.String(), s) {
					t.Errorf("logs do not mention %s:\n%s", s, logs)
				}
			}
			// Nothing twice: another restart sends nothing more.
			f.reopen()
			f.step(f.scheduler(nil), tc.restart.Add(time.Minute))
			if again := f.drain(); len(again) != 0 {
				t.Errorf("second restart sent %v", targets(again))
			}
		})
	}

	t.Run("the late message speaks from now", func(t *testing.T) {
		f := newFixture(t, smallConfig(t), at(10, 26, 8, 0))
		f.step(f.scheduler(nil), at(10, 26, 12, 0))
		f.reopen()
		f.step(f.scheduler(nil), at(10, 27, 10, 0))
		got := f.drain()
		want := "<@heping> \n**【补发】最美消防志愿者推荐催报**\n" +
			"（原定 10月27日（周五）09:00 发送，因服务中断补发）\n" +
			"最美消防志愿者推荐截止（区）：10月27日（周五）17:00（<font color=\"warning\">今天截止，还剩7小时0分钟</font>）\n" +
			"> **示例实验小学**：尚未推荐志愿者\n" + footer
		if len(got) != 5 || got[2].Target != "chat_school" {
			t.Fatalf("pushes: %v", targets(got))
		}
		if diff := cmp.Diff(want, got[2].Content); diff != "" {
			t.Errorf("late content (-want +got):\n%s", diff)
		}
	})
}

// TestCatchUpInQuietHours: a reminder missed before a restart at night goes
// out, late, when quiet hours end, if that is still within the grace; a
// second restart in the night does not lose or repeat it.
func TestCatchUpInQuietHours(t *testing.T) {
	for _, tc := range []struct {
		grace time.Duration
		sent  bool
	}{{12 * time.Hour, true}, {6 * time.Hour, false}} {
		t.Run(tc.grace.String(), func(t *testing.T) {
			cfg := smallConfig(t)
			cfg.Reminders.Grace = tc.grace
			cfg.Reminders.Plans = []config.Plan{{ID: "evening", Cron: "30 20 * * *", From: "2023-11-10", To: "2023-11-10",
				Audience: config.Audience{Type: config.AudienceMissing, Tasks: []string{"four_ones"}}}}
			f := newFixture(t, cfg, at(11, 10, 12, 0))
			f.step(f.scheduler(nil), at(11, 10, 12, 0))
			f.reopen()
			s := f.scheduler(nil)
			f.step(s, at(11, 10, 22, 0))
			if got := f.drain(); len(got) != 0 {
				t.Errorf("sent in quiet hours: %v", targets(got))
			}
			f.reopen() // down again in the night
			s = f.scheduler(nil)
			f.step(s, at(11, 10, 23, 0))
			f.step(s, at(11, 11, 7, 59))
			if got := f.drain(); len(got) != 0 {
				t.Errorf("sent in quiet hours: %v", targets(got))
			}
			f.step(s, at(11, 11, 8, 0))
			got := f.drain()
			if !tc.sent {
				if len(got) != 0 {
					t.Errorf("sent beyond the grace: %v", targets(got))
				}
				return
			}
			if diff := cmp.Diff([]string{"evening:2023-11-10T20:30+08:00 webhook chat_a", "evening:2023-11-10T20:30+08:00 app chener"}, targets(got)); diff != "" {
				t.Fatalf("pushes (-want +got):\n%s", diff)
			}
			if !strings.Contains(got[0].Content, "【补发】") || !strings.Contains(got[0].Content, "原定 11月10日（周五）20:30 发送") {
				t.Errorf("not marked 补发:\n%s", got[0].Content)
			}
			f.step(s, at(11, 12, 8, 0))
			if again := f.drain(); len(again) != 0 {
				t.Errorf("sent twice: %v", targets(again))
			}
		})
	}
}

func TestQuietHoursAtRunTime(t *testing.T) {
	cfg := smallConfig(t)
	cfg.Reminders.Plans = []config.Plan{
		{ID: "late_evening", At: []string{"2023-10-26 22:30"}, Audience: config.Audience{Type: config.AudienceMissing, Tasks: []string{"four_ones"}}},
		{ID: "last_hour", Deadline: "nomination_street", Offsets: []string{"-1h"}, Audience: config.Audience{Type: config.AudienceMissing}},
	}
	f := newFixture(t, cfg, at(10, 26, 8, 0))
	s := f.scheduler(nil)
	f.step(s, at(10, 26, 8, 0))
	f.step(s, at(10, 26, 23, 0))
	if got := f.drain(); len(got) != 0 {
		t.Errorf("sent in quiet hours: %v", targets(got))
	}
	f.step(s, at(10, 27, 8, 0))
	got := f.drain()
	if len(got) == 0 || got[0].Source != "reminder:late_evening:2023-10-26T22:30+08:00" {
		t.Fatalf("deferred fire: %v", targets(got))
	}
	for _, p := range got {
		if strings.Contains(p.Content, "补发") {
			t.Errorf("a deferred reminder is not late:\n%s", p.Content)
		}
	}
	// The street deadline is 10-28 23:59:59: an hour before is in quiet
	// hours, and deferring it would pass the deadline, so it goes out then.
	f.step(s, at(10, 28, 22, 59))
	if got := f.drain(); len(got) != 0 {
		t.Errorf("sent early: %v", targets(got))
	}
	f.step(s, at(10, 28, 23, 0))
	if got := targets(f.drain()); len(got) != 5 || !strings.HasPrefix(got[0], "last_hour:2023-10-28T22:59+08:00") {
		t.Errorf("last-day fire in quiet hours: %v", got)
	}
}

// TestJumpIsNotDowntime: one RunUntil across the whole campaign fires
// everything on the way, in order, none marked 补发.
func TestJumpIsNotDowntime(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(10, 26, 8, 0))
	s := f.scheduler(nil)
	f.step(s, at(10, 26, 8, 0))
	f.step(s, at(12, 1, 18, 0))
	got := f.drain()
	var fires []string
	for _, p := range got {
		if strings.Contains(p.Content, "补发") {
			t.Errorf("jump marked 补发: %s", p.Key)
		}
		src := strings.TrimPrefix(p.Source, "reminder:")
		if len(fires) == 0 || fires[len(fires)-1] != src {
			fires = append(fires, src)
		}
	}
	var want []string
	for _, fr := range s.Timetable().Fires(at(10, 26, 8, 0), at(12, 1, 18, 1)) {
		want = append(want, strings.TrimPrefix(Source(fr), "reminder:"))
	}
	if diff := cmp.Diff(want, fires); diff != "" {
		t.Errorf("fires (-want +got):\n%s", diff)
	}
}

// TestPanicIsRecovered: a panicking fire is logged and skipped, the next
// fires (of the same plan too) still run.
func TestPanicIsRecovered(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(10, 26, 8, 0))
	log, logs := newLog()
	s := f.scheduler(log)
	dispatch := s.fire
	s.fire = func(ctx context.Context, p *plan, fr Fire, now time.Time) error {
		if fr.Nominal.Equal(at(10, 26, 15, 0)) {
			panic("boom")
		}
		return dispatch(ctx, p, fr, now)
	}
	f.step(s, at(10, 26, 8, 0))
	f.step(s, at(10, 27, 9, 0))
	got := targets(f.drain())
	if len(got) != 5 || !strings.HasPrefix(got[0], "nomination_chase:2023-10-27T09:00") {
		t.Errorf("pushes: %v", got)
	}
	if l := logs.String(); !strings.Contains(l, "boom") || !strings.Contains(l, "reminder failed; skipped") {
		t.Errorf("logs:\n%s", l)
	}
}

// TestStoreErrorRetries: a failing fire stops RunUntil with an error and is
// tried again by the next call.
func TestStoreErrorRetries(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(10, 26, 8, 0))
	s := f.scheduler(nil)
	dispatch := s.fire
	fail := true
	s.fire = func(ctx context.Context, p *plan, fr Fire, now time.Time) error {
		if fail && fr.Nominal.Equal(at(10, 27, 9, 0)) {
			return store.ErrUnavailable
		}
		return dispatch(ctx, p, fr, now)
	}
	f.step(s, at(10, 26, 8, 0))
	f.campaign.Set(at(10, 27, 10, 0))
	if err := s.RunUntil(context.Background(), at(10, 27, 10, 0)); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("RunUntil error = %v", err)
	}
	if got := targets(f.drain()); len(got) != 5 {
		t.Errorf("before the failure: %v", got)
	}
	fail = false
	f.step(s, at(10, 27, 10, 0))
	if got := targets(f.drain()); len(got) != 5 || !strings.HasPrefix(got[0], "nomination_chase:2023-10-27T09:00") {
		t.Errorf("retried: %v", got)
	}
}

// speedClock is a fake campaign clock that claims to run 60× fast.
type speedClock struct{ *clock.Fake }

func (speedClock) Speed() float64 { return 60 }

func TestRun(t *testing.T) {
	for _, speed := range []float64{1, 60} {
		t.Run(fmt.Sprintf("speed %v", speed), func(t *testing.T) {
			f := newFixture(t, smallConfig(t), at(10, 26, 8, 0))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var slept []time.Duration
			var cl clock.Clock = f.campaign
			if speed != 1 {
				cl = speedClock{f.campaign}
			}
			s, err := New(Options{Config: f.cfg, Store: f.st, Campaign: cl, Recheck: 24 * time.Hour,
				Wait: func(ctx context.Context, d time.Duration) error {
					slept = append(slept, d)
					if !f.campaign.Now().Before(at(10, 27, 9, 0)) {
						cancel()
						return ctx.Err()
					}
					f.campaign.Advance(time.Duration(float64(d) * speed))
					return nil
				}})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Run(ctx); err != nil {
				t.Fatalf("Run = %v", err)
			}
			want := []time.Duration{7 * time.Hour, 18 * time.Hour, 6 * time.Hour}
			for i := range want {
				want[i] = time.Duration(float64(want[i]) / speed)
			}
			if diff := cmp.Diff(want, slept); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			if got := targets(f.drain()); len(got) != 10 {
				t.Errorf("pushes: %v", got)
			}
		})
	}
}
