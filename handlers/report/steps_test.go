package report

import (
	"strings"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/config/configtest"
	"firebot/handlers"
)

// Table tests for every step function, without I/O: each case runs one
// step's Answer on a prepared state and checks the outcome, the message
// and the stored value.

func testEnv(t *testing.T, now string, unitIDs ...string) *handlers.Env {
	t.Helper()
	cfg := configtest.Example(t)
	var units []campaign.Unit
	for _, id := range unitIDs {
		u, ok := cfg.Units.Unit(id)
		if !ok {
			t.Fatalf("no unit %s", id)
		}
		units = append(units, u)
	}
	n := configtest.At(t, now)
	return &handlers.Env{Campaign: &cfg.Campaign, Units: units, Now: n, Today: time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, n.Location()), Images: true, LatePolicy: cfg.Nominations.LatePolicy}
}

type stepCase struct {
	name   string
	values map[string]string // state before
	in     string
	photos []string
	edit   bool
	done   bool
	msg    string            // substring of the message ("" = no message expected)
	want   map[string]string // values after ("" = absent)
}

func runStepCases(t *testing.T, e *handlers.Env, mk func(e *handlers.Env, s *handlers.State) *handlers.Step, cases []stepCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := handlers.State{Values: map[string]string{}, Done: map[string]bool{}}
			for _, u := range e.Units {
				s.Units = append(s.Units, u.ID)
			}
			for k, v := range tc.values {
				s.Values[k] = v
			}
			st := mk(e, &s)
			a := st.Answer(e, &s, handlers.Input{Text: tc.in, Photos: tc.photos, Edit: tc.edit})
			if a.Done != tc.done {
				t.Fatalf("done = %v, want %v (msg %q)", a.Done, tc.done, a.Msg)
			}
			if tc.msg == "" && a.Msg != "" && !a.Done {
				t.Fatalf("unexpected message %q", a.Msg)
			}
			if tc.msg != "" && !strings.Contains(a.Msg, tc.msg) {
				t.Fatalf("message %q lacks %q", handlers.Clip(a.Msg, 200), tc.msg)
			}
			for k, v := range tc.want {
				if got := s.Values[k]; got != v {
					t.Fatalf("value %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func confirmStep(id string) func(e *handlers.Env, s *handlers.State) *handlers.Step {
	f := newConfirmFlow()
	return func(e *handlers.Env, s *handlers.State) *handlers.Step { return f.Step(e, s, id) }
}

func TestUnitStep(t *testing.T) {
	two := testEnv(t, "2023-11-06 10:00", "comm_xuetianwan", "comm_niujiaotuo")
	runStepCases(t, two, confirmStep("unit"), []stepCase{
		{name: "number", in: "2", done: true, want: map[string]string{"unit": "comm_niujiaotuo"}},
		{name: "name prefix", in: "学田湾", done: true, want: map[string]string{"unit": "comm_xuetianwan"}},
		{name: "out of range", in: "9", msg: "没有第 9 项"},
		{name: "unknown", in: "火星", msg: "没有这个选项"},
		{name: "keeps applicable task", values: map[string]string{"unit": "comm_xuetianwan", "task": "all_hands_drill"}, in: "2", done: true,
			want: map[string]string{"unit": "comm_niujiaotuo", "task": "all_hands_drill"}},
	})
	mixed := testEnv(t, "2023-11-06 10:00", "comm_xuetianwan", "org_school_a")
	runStepCases(t, mixed, confirmStep("unit"), []stepCase{
		{name: "drops task that does not apply", values: map[string]string{"unit": "org_school_a", "task": "evacuation_drill", "f.participants": "80"},
			in: "1", done: true, want: map[string]string{"unit": "comm_xuetianwan", "task": "", "f.participants": ""}},
	})
	one := testEnv(t, "2023-11-06 10:00", "org_school_a")
	runStepCases(t, one, confirmStep("unit"), []stepCase{
		{name: "single unit", values: map[string]string{"unit": "org_school_a"}, in: "1", msg: "只能为示例实验小学填写"},
	})
}

func TestTaskStep(t *testing.T) {
	e := testEnv(t, "2023-11-06 10:00", "org_school_a")
	base := map[string]string{"unit": "org_school_a"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{"unit": "org_school_a"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	runStepCases(t, e, confirmStep("task"), []stepCase{
		{name: "number", values: base, in: "2", done: true, want: map[string]string{"task": "evacuation_drill"}},
		{name: "name", values: base, in: "疏散演练", done: true, want: map[string]string{"task": "evacuation_drill"}},
		{name: "keyword", values: base, in: "看了警示片", done: true, want: map[string]string{"task": "warning_education"}},
		{name: "out of range", values: base, in: "11", msg: "没有第 11 项"},
		{name: "unknown", values: base, in: "做饭", msg: "没有这个选项"},
		{name: "no unit", in: "1", msg: "请先选择单位"},
		{name: "change clears fields", values: with("task", "evacuation_drill", "f.participants", "80"), in: "1", done: true,
			want: map[string]string{"task": "theme_publicity", "f.participants": ""}},
		{name: "the free text fills participants", values: with("hint.text", "组织了疏散演练，80人参加"), in: "2", done: true,
			want: map[string]string{"task": "evacuation_drill", "f.participants": "80"}},
	})
	comm := testEnv(t, "2023-11-06 10:00", "comm_xuetianwan")
	runStepCases(t, comm, confirmStep("task"), []stepCase{
		{name: "only applicable tasks are numbered", values: map[string]string{"unit": "comm_xuetianwan"}, in: "4", done: true, want: map[string]string{"task": "four_ones"}},
	})
}

func TestDateStep(t *testing.T) {
	e := testEnv(t, "2023-11-06 10:00", "org_school_a")
	task := map[string]string{"unit": "org_school_a", "task": "evacuation_drill"}
	runStepCases(t, e, confirmStep("date"), []stepCase{
		{name: "today", values: task, in: "今天", done: true, want: map[string]string{"date": "2023-11-06"}},
		{name: "yesterday", values: task, in: "昨天", done: true, want: map[string]string{"date": "2023-11-05"}},
		{name: "day before", values: task, in: "前天", done: true, want: map[string]string{"date": "2023-11-04"}},
		{name: "last friday", values: task, in: "上周五", done: true, want: map[string]string{"date": "2023-11-03"}},
		{name: "month day", values: task, in: "11月3日", done: true, want: map[string]string{"date": "2023-11-03"}},
		{name: "dotted", values: task, in: "11.3", done: true, want: map[string]string{"date": "2023-11-03"}},
		{name: "iso", values: task, in: "2023-11-03", done: true, want: map[string]string{"date": "2023-11-03"}},
		{name: "day of month", values: task, in: "3号", done: true, want: map[string]string{"date": "2023-11-03"}},
		{name: "future", values: task, in: "明天", msg: "不能晚于今天（11月6日（周一））"},
		{name: "before the window", values: task, in: "10月20日", msg: "“疏散演练”的日期须在11月1日至11月30日之间，10月20日不在这个范围内"},
		{name: "window without task", values: map[string]string{"unit": "org_school_a"}, in: "10月20日", msg: "活动的日期须在11月1日至11月30日之间"},
		{name: "no such day", values: task, in: "11月32日", msg: "11月没有32日"},
		{name: "gibberish", values: task, in: "不知道", msg: "看不懂这个日期"},
	})
}

func TestIntFieldStep(t *testing.T) {
	e := testEnv(t, "2023-11-06 10:00", "org_school_a")
	evac := map[string]string{"unit": "org_school_a", "task": "evacuation_drill"}
	pending := map[string]string{"unit": "org_school_a", "task": "evacuation_drill", "p.participants": "5000"}
	runStepCases(t, e, confirmStep("f:participants"), []stepCase{
		{name: "digits", values: evac, in: "80", done: true, want: map[string]string{"f.participants": "80"}},
		{name: "chinese", values: evac, in: "八十", done: true, want: map[string]string{"f.participants": "80"}},
		{name: "with unit", values: evac, in: "80人", done: true, want: map[string]string{"f.participants": "80"}},
		{name: "full width", values: evac, in: "８０", done: true, want: map[string]string{"f.participants": "80"}},
		{name: "zero below min", values: evac, in: "0", msg: "参演人数至少是 1"},
		{name: "words", values: evac, in: "很多人", msg: "看不懂这个数字"},
		{name: "decimal", values: evac, in: "80.5", msg: "正整数"},
		{name: "large asks to confirm", values: evac, in: "5000", want: map[string]string{"p.participants": "5000", "f.participants": ""}},
		{name: "confirm large", values: pending, in: "是", done: true, want: map[string]string{"f.participants": "5000", "p.participants": ""}},
		{name: "confirm with 确认", values: pending, in: "确认", done: true, want: map[string]string{"f.participants": "5000"}},
		{name: "reject large", values: pending, in: "否", msg: "请重新输入", want: map[string]string{"f.participants": "", "p.participants": ""}},
		{name: "correct large", values: pending, in: "500", done: true, want: map[string]string{"f.participants": "500", "p.participants": ""}},
	})
	cloud := map[string]string{"unit": "org_school_a", "task": "cloud_learning"}
	runStepCases(t, e, confirmStep("f:registrations"), []stepCase{
		{name: "zero allowed", values: cloud, in: "0", done: true, want: map[string]string{"f.registrations": "0"}},
		{name: "none means zero", values: cloud, in: "没有", done: true, want: map[string]string{"f.registrations": "0"}},
		{name: "households", values: cloud, in: "120个", done: true, want: map[string]string{"f.registrations": "120"}},
	})
}

func TestListAndTextFieldSteps(t *testing.T) {
	e := testEnv(t, "2023-11-06 10:00", "org_school_a")
	atm := map[string]string{"unit": "org_school_a", "task": "atmosphere"}
	runStepCases(t, e, confirmStep("f:kinds"), []stepCase{
		{name: "texts", values: atm, in: "横幅、海报", done: true, want: map[string]string{"f.kinds": "横幅、海报"}},
		{name: "numbers", values: atm, in: "1 3", done: true, want: map[string]string{"f.kinds": "灯箱、宣传栏"}},
		{name: "duplicates", values: atm, in: "横幅，横幅和海报", done: true, want: map[string]string{"f.kinds": "横幅、海报"}},
		{name: "free item", values: atm, in: "宣传单", done: true, want: map[string]string{"f.kinds": "宣传单"}},
		{name: "bad number", values: atm, in: "9", msg: "没有第 9 项"},
		{name: "empty", values: atm, in: "，", msg: "请至少填写1项物料种类"},
	})
	plan := map[string]string{"unit": "org_school_a", "task": "drill_plan_update"}
	runStepCases(t, e, confirmStep("f:plan_revision"), []stepCase{
		{name: "ok", values: plan, in: "修订了疏散预案", done: true, want: map[string]string{"f.plan_revision": "修订了疏散预案"}},
		{name: "too short", values: plan, in: "改", msg: "预案修订情况至少2字，现在只有1字"},
		{name: "empty", values: plan, in: " ", msg: "请填写预案修订情况"},
		{name: "too long", values: plan, in: strings.Repeat("字", 301), msg: "最多300字，现在有301字"},
		{name: "limit", values: plan, in: strings.Repeat("字", 300), done: true},
	})
	runStepCases(t, e, confirmStep("place"), []stepCase{
		{name: "ok", in: "学校操场", done: true, want: map[string]string{"place": "学校操场"}},
		{name: "empty", in: "", msg: "内容是空的"},
		{name: "too long", in: strings.Repeat("地", 101), msg: "地点最多100字，现在有101字"},
	})
	runStepCases(t, e, confirmStep("desc"), []stepCase{
		{name: "limit", in: strings.Repeat("述", 500), done: true},
		{name: "too long", in: strings.Repeat("述", 501), msg: "简要描述最多500字，现在有501字"},
	})
	runStepCases(t, e, confirmStep("photos"), []stepCase{
		{name: "photo", photos: []string{"pending/a.jpg"}, msg: "已收到照片，共1张"},
		{name: "done", in: "完成", done: true},
		{name: "continue", in: "继续", msg: "请继续发送图片"},
		{name: "text", in: "你好", msg: "请直接发送图片"},
	})
}
