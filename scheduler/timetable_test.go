package scheduler

import (
	"errors"
	"strings"
	"testing"
	"time"

	_ "time/tzdata"

	"github.com/google/go-cmp/cmp"

	"firebot/config"
	"firebot/config/configtest"
)

// loadExample parses the repository's config.example.yaml (the 2023
// campaign) and fails on any problem, including the scheduler's own.
func loadExample(t testing.TB) *config.Config {
	t.Helper()
	cfg := configtest.Example(t)
	for _, p := range Check(cfg) {
		t.Fatalf("problem: %s", p)
	}
	return cfg
}

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

// at builds a time in Asia/Shanghai; mo/d/h/mi in 2023.
func at(mo time.Month, d, h, mi int) time.Time { return time.Date(2023, mo, d, h, mi, 0, 0, shanghai) }

func weekdays9(from, to time.Time) []time.Time {
	var out []time.Time
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			out = append(out, d)
		}
	}
	return out
}

// TestTimetable2023: every reminder of config.example.yaml fires at the time
// the issue lists, and nothing else fires.
func TestTimetable2023(t *testing.T) {
	cfg := loadExample(t)
	tt, err := NewTimetable(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]time.Time{
		"nomination_chase":    {at(10, 26, 15, 0), at(10, 27, 9, 0), at(10, 27, 15, 0)},
		"nomination_last_day": {at(10, 28, 9, 0)},
		"main_event_notice":   {at(11, 8, 16, 0), at(11, 9, 8, 30)},
		"report_chase":        {at(11, 24, 9, 0), at(11, 28, 9, 0), at(11, 30, 9, 0), at(12, 1, 9, 0), at(12, 1, 15, 0)},
		"office_digest":       weekdays9(at(11, 1, 9, 0), at(12, 1, 9, 0)),
		"friday_nudge":        {at(11, 3, 16, 0), at(11, 10, 16, 0), at(11, 17, 16, 0), at(11, 24, 16, 0)},
	}
	if n := len(want["office_digest"]); n != 23 {
		t.Fatalf("test setup: %d weekdays, want 23", n)
	}
	all := tt.Fires(time.Date(2023, 1, 1, 0, 0, 0, 0, shanghai), time.Date(2024, 12, 31, 0, 0, 0, 0, shanghai))
	got := map[string][]time.Time{}
	for i, f := range all {
		got[f.Plan] = append(got[f.Plan], f.At)
		if !f.At.Equal(f.Nominal) || f.Deferred {
			t.Errorf("%s %v deferred to %v", f.Plan, f.Nominal, f.At)
		}
		if i > 0 && f.At.Before(all[i-1].At) {
			t.Errorf("fires out of order at %d: %v after %v", i, f.At, all[i-1].At)
		}
		if f.At.Location().String() != "Asia/Shanghai" {
			t.Errorf("%s %v: location %v", f.Plan, f.At, f.At.Location())
		}
	}
	for plan, times := range want {
		t.Run(plan, func(t *testing.T) {
			if diff := cmp.Diff(times, got[plan]); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
	if len(got) != len(want) {
		t.Errorf("plans fired: %v", keys(got))
	}

	// The last-day flag: the 10-27 nominations (district deadline 17:00),
	// 10-28 09:00 (street deadline) and the two 12-01 report reminders.
	var lastDay []string
	for _, f := range all {
		if f.LastDay {
			lastDay = append(lastDay, f.Plan+" "+f.At.Format("01-02 15:04"))
		}
	}
	wantLast := []string{
		"nomination_chase 10-27 09:00", "nomination_chase 10-27 15:00", "nomination_last_day 10-28 09:00",
		"report_chase 12-01 09:00", "office_digest 12-01 09:00", "report_chase 12-01 15:00",
	}
	if diff := cmp.Diff(wantLast, lastDay); diff != "" {
		t.Errorf("last-day fires (-want +got):\n%s", diff)
	}

	// A window in the middle: [from, to) is half open.
	mid := tt.Fires(at(11, 24, 9, 0), at(11, 24, 16, 0))
	var ids []string
	for _, f := range mid {
		ids = append(ids, f.Plan)
	}
	if diff := cmp.Diff([]string{"report_chase", "office_digest"}, ids); diff != "" {
		t.Errorf("11-24 09:00..16:00 (-want +got):\n%s", diff)
	}
	if next, ok := tt.Next(at(11, 24, 9, 0)); !ok || !next.At.Equal(at(11, 24, 16, 0)) || next.Plan != "friday_nudge" {
		t.Errorf("Next after 11-24 09:00 = %v %v %v", next.Plan, next.At, ok)
	}
	if _, ok := tt.Next(at(12, 1, 15, 0)); ok {
		t.Error("Next after the last reminder found one")
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// testConfig is the example with its plans replaced.
func testConfig(t testing.TB, plans ...config.Plan) *config.Config {
	cfg := loadExample(t)
	cfg.Reminders.Plans = plans
	return cfg
}

func TestNothingBeforeAnnouncement(t *testing.T) {
	cfg := testConfig(t,
		config.Plan{ID: "daily", Cron: "0 10 * * *", To: "2023-10-28", Audience: config.Audience{Type: config.AudienceAllBound}},
		config.Plan{ID: "early", At: []string{"2023-10-25 10:00", "2023-10-26 00:00"}, Audience: config.Audience{Type: config.AudienceAllBound}},
		config.Plan{ID: "week_before", Deadline: "nomination_district", Offsets: []string{"-7d@09:00", "-1d@09:00"}, Audience: config.Audience{Type: config.AudienceMissing}},
	)
	tt, err := NewTimetable(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range tt.Fires(time.Date(2023, 1, 1, 0, 0, 0, 0, shanghai), time.Date(2024, 1, 1, 0, 0, 0, 0, shanghai)) {
		got = append(got, f.Plan+" "+f.At.Format("01-02 15:04"))
	}
	// 10-26 00:00 is in quiet hours: it goes out at 08:00.
	want := []string{"early 10-26 08:00", "week_before 10-26 09:00", "daily 10-26 10:00", "daily 10-27 10:00", "daily 10-28 10:00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fires (-want +got):\n%s", diff)
	}
}

func TestQuietHours(t *testing.T) {
	aud := config.Audience{Type: config.AudienceMissing}
	tests := []struct {
		name         string
		plan         config.Plan
		nominal, at  time.Time
		deferred     bool
		lastDay      bool
		urgentIgnore bool
	}{
		{"evening moves to the morning", config.Plan{At: []string{"2023-11-10 22:30"}, Audience: aud},
			at(11, 10, 22, 30), at(11, 11, 8, 0), true, false, false},
		{"early morning moves to 08:00", config.Plan{At: []string{"2023-11-10 06:15"}, Audience: aud},
			at(11, 10, 6, 15), at(11, 10, 8, 0), true, false, false},
		{"21:00 is quiet", config.Plan{At: []string{"2023-11-10 21:00"}, Audience: aud},
			at(11, 10, 21, 0), at(11, 11, 8, 0), true, false, false},
		{"08:00 is allowed", config.Plan{At: []string{"2023-11-10 08:00"}, Audience: aud},
			at(11, 10, 8, 0), at(11, 10, 8, 0), false, false, false},
		{"urgent is not deferred", config.Plan{At: []string{"2023-11-10 22:30"}, Urgent: true, Audience: aud},
			at(11, 10, 22, 30), at(11, 10, 22, 30), false, false, false},
		{"last day: not deferred past the deadline", config.Plan{Deadline: "nomination_street", Offsets: []string{"-1h"}, Audience: aud},
			at(10, 28, 22, 59).Add(59 * time.Second), at(10, 28, 22, 59).Add(59 * time.Second), false, true, false},
		{"last day: deferred when still before the deadline", config.Plan{Deadline: "nomination_district", Offsets: []string{"0d@07:00"}, Audience: aud},
			at(10, 27, 7, 0), at(10, 27, 8, 0), true, true, false},
		{"the day before a deadline moves to the morning", config.Plan{Deadline: "report", Offsets: []string{"-1d@22:00"}, Audience: aud},
			at(11, 30, 22, 0), at(12, 1, 8, 0), true, false, false},
		{"never past an event", config.Plan{Event: "main_event", Offsets: []string{"-12h"}, Audience: aud},
			at(11, 8, 21, 30), at(11, 9, 8, 0), true, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.plan.ID = "p"
			cfg := testConfig(t, tc.plan)
			tt, err := NewTimetable(cfg)
			if err != nil {
				t.Fatal(err)
			}
			fs := tt.Fires(at(10, 1, 0, 0), at(12, 31, 0, 0))
			if len(fs) != 1 {
				t.Fatalf("fires = %+v", fs)
			}
			f := fs[0]
			if !f.Nominal.Equal(tc.nominal) || !f.At.Equal(tc.at) || f.Deferred != tc.deferred || f.LastDay != tc.lastDay {
				t.Errorf("fire = nominal %v at %v deferred %v lastDay %v; want %v %v %v %v",
					f.Nominal, f.At, f.Deferred, f.LastDay, tc.nominal, tc.at, tc.deferred, tc.lastDay)
			}
		})
	}

	t.Run("off", func(t *testing.T) {
		cfg := testConfig(t, config.Plan{ID: "p", At: []string{"2023-11-10 23:00"}, Audience: aud})
		cfg.Reminders.QuietHours = config.QuietHours{}
		tt, _ := NewTimetable(cfg)
		if fs := tt.Fires(at(10, 1, 0, 0), at(12, 31, 0, 0)); len(fs) != 1 || !fs[0].At.Equal(at(11, 10, 23, 0)) {
			t.Errorf("fires = %+v", fs)
		}
	})
	t.Run("a deferred fire is found by its new time", func(t *testing.T) {
		cfg := testConfig(t, config.Plan{ID: "p", At: []string{"2023-11-10 23:00"}, Audience: aud})
		tt, _ := NewTimetable(cfg)
		if fs := tt.Fires(at(11, 11, 8, 0), at(11, 11, 8, 1)); len(fs) != 1 {
			t.Errorf("fires in [08:00, 08:01) = %+v", fs)
		}
		if fs := tt.Fires(at(11, 10, 22, 0), at(11, 11, 7, 0)); len(fs) != 0 {
			t.Errorf("fires in the night = %+v", fs)
		}
	})
}

func TestParseOffset(t *testing.T) {
	deadline := at(10, 27, 17, 0)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"-1d@09:00", at(10, 26, 9, 0)},
		{"-1d@15:00", at(10, 26, 15, 0)},
		{"0d@09:00", at(10, 27, 9, 0)},
		{"-0d@9:05", at(10, 27, 9, 5)},
		{"-7d@23:59", at(10, 20, 23, 59)},
		{"-2d", at(10, 25, 17, 0)},
		{"-2h", at(10, 27, 15, 0)},
		{"-1h30m", at(10, 27, 15, 30)},
		{"-90m", at(10, 27, 15, 30)},
		{" -30m ", at(10, 27, 16, 30)},
		{"0s", deadline},
	}
	for _, tc := range tests {
		o, err := parseOffset(tc.in)
		if err != nil {
			t.Errorf("parseOffset(%q): %v", tc.in, err)
			continue
		}
		if got := o.apply(deadline); !got.Equal(tc.want) {
			t.Errorf("parseOffset(%q).apply = %v, want %v", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"", "1d@09:00", "+1d", "2h", "-1d@25:00", "-1d@09:60", "-1d09:00", "-1d@9", "-xd", "-1.5d",
		"d@09:00", "--1d", "-1d@", "-1w", "yesterday", "-99999d", "-1d@-1:00"} {
		if _, err := parseOffset(bad); err == nil {
			t.Errorf("parseOffset(%q) succeeded", bad)
		}
	}
}

func TestCheck(t *testing.T) {
	missing := config.Audience{Type: config.AudienceMissing}
	tests := []struct {
		name string
		plan config.Plan
		path string // of the first problem
		msg  string // part of its message
	}{
		{"no time", config.Plan{Deadline: "report", Audience: missing}, "reminders.plans[0]", "offsets、at 或 cron"},
		{"offsets without anchor", config.Plan{Offsets: []string{"-1d@09:00"}, Audience: missing}, "reminders.plans[0].offsets", "deadline 或 event"},
		{"bad offset", config.Plan{Deadline: "report", Offsets: []string{"-1d@09:00", "tomorrow"}, Audience: missing}, "reminders.plans[0].offsets[1]", "tomorrow"},
		{"offset after the deadline", config.Plan{Deadline: "nomination_district", Offsets: []string{"0d@18:00"}, Audience: missing}, "reminders.plans[0].offsets[0]", "之后"},
		{"bad at", config.Plan{At: []string{"11月8日"}, Audience: missing}, "reminders.plans[0].at[0]", "无法解析时间"},
		{"bad cron", config.Plan{Cron: "0 9 * *", Audience: missing}, "reminders.plans[0].cron", "无法解析 cron"},
		{"cron with zone", config.Plan{Cron: "CRON_TZ=UTC 0 9 * * *", Audience: missing}, "reminders.plans[0].cron", "时区"},
		{"cron every", config.Plan{Cron: "@every 1h", Audience: missing}, "reminders.plans[0].cron", "@every"},
		{"cron and offsets", config.Plan{Deadline: "report", Cron: "0 9 * * *", Offsets: []string{"-1d@09:00"}, Audience: missing}, "reminders.plans[0].cron", "只能选一种"},
		{"bad from", config.Plan{Cron: "0 9 * * *", From: "soon", Audience: missing}, "reminders.plans[0].from", "无法解析时间"},
		{"to before from", config.Plan{Cron: "0 9 * * *", From: "2023-11-02", To: "2023-11-01", Audience: missing}, "reminders.plans[0].to", "早于"},
		{"unknown deadline", config.Plan{Deadline: "nope", Offsets: []string{"-1h"}, Audience: missing}, "reminders.plans[0].deadline", "nope"},
		{"no audience", config.Plan{At: []string{"2023-11-01 09:00"}}, "reminders.plans[0].audience.type", "缺少提醒对象"},
		{"kind without kinds", config.Plan{At: []string{"2023-11-01 09:00"}, Audience: config.Audience{Type: config.AudienceKind}}, "reminders.plans[0].audience.kinds", "kinds"},
		{"category without categories", config.Plan{At: []string{"2023-11-01 09:00"}, Audience: config.Audience{Type: config.AudienceCategory}}, "reminders.plans[0].audience.categories", "categories"},
		{"unknown sector", config.Plan{At: []string{"2023-11-01 09:00"}, Audience: config.Audience{Type: config.AudienceSector, Sectors: []string{"comm_xuetianwan"}}}, "reminders.plans[0].audience.sectors[0]", "板块"},
		{"unknown unit", config.Plan{At: []string{"2023-11-01 09:00"}, Audience: config.Audience{Type: config.AudienceAllBound, Units: []string{"nobody"}}}, "reminders.plans[0].audience.units[0]", "nobody"},
		{"unknown task", config.Plan{Deadline: "report", Offsets: []string{"-1h"}, Audience: config.Audience{Type: config.AudienceMissing, Tasks: []string{"dance"}}}, "reminders.plans[0].audience.tasks[0]", "dance"},
		{"task of another deadline", config.Plan{Deadline: "nomination_district", Offsets: []string{"-1h"}, Audience: config.Audience{Type: config.AudienceMissing, Tasks: []string{"evacuation_drill"}}}, "reminders.plans[0].audience.tasks[0]", "不在截止项"},
		{"nomination not due", config.Plan{Deadline: "report", Offsets: []string{"-1h"}, Audience: config.Audience{Type: config.AudienceMissing, Tasks: []string{TaskNomination}}}, "reminders.plans[0].audience.tasks[0]", "不包括志愿者推荐"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.plan.ID = "p"
			cfg := testConfig(t, tc.plan)
			ps := Check(cfg)
			if len(ps) == 0 {
				t.Fatal("no problem")
			}
			if ps[0].Path != tc.path || !strings.Contains(ps[0].Msg, tc.msg) {
				t.Errorf("first problem = %s, want path %s and %q", ps[0], tc.path, tc.msg)
			}
			if _, err := NewTimetable(cfg); !errors.Is(err, ErrBadPlan) {
				t.Errorf("NewTimetable error = %v, want ErrBadPlan", err)
			}
		})
	}
	t.Run("office without chats", func(t *testing.T) {
		cfg := testConfig(t, config.Plan{ID: "p", Cron: "0 9 * * *", Audience: config.Audience{Type: config.AudienceOffice}})
		cfg.Access.OfficeChats = nil
		if ps := Check(cfg); len(ps) != 1 || !strings.Contains(ps[0].Msg, "office_chats") {
			t.Errorf("problems = %v", ps)
		}
	})
	t.Run("example has line numbers", func(t *testing.T) {
		cfg := loadExample(t)
		cfg.Reminders.Plans[2].Offsets = []string{"soon"}
		ps := Check(cfg)
		if len(ps) != 1 || ps[0].Line == 0 || ps[0].File != configtest.Path() {
			t.Errorf("problems = %v", ps)
		}
	})
}
