package nominate

import (
	"strings"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/config/configtest"
	"firebot/handlers"
)

// Table tests for the nomination's steps and its flow, without I/O, as
// the core's for its own (handlers/steps_test.go, engine_test.go).

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

// drive starts f on s and feeds it the inputs, returning the last state
// and turn.
func drive(t *testing.T, f *handlers.Flow, e *handlers.Env, s handlers.State, inputs ...string) (handlers.State, handlers.Turn) {
	t.Helper()
	s, tr := f.Begin(e, s, "")
	for _, in := range inputs {
		if tr.Submit || tr.Cancel {
			t.Fatalf("input %q after the dialog ended", in)
		}
		s, tr = f.Next(e, s, handlers.Input{Text: in})
	}
	return s, tr
}

func nominateStep(id string) func(e *handlers.Env, s *handlers.State) *handlers.Step {
	f := newNominateFlow()
	return func(e *handlers.Env, s *handlers.State) *handlers.Step { return f.Step(e, s, id) }
}

func TestNominationSteps(t *testing.T) {
	e := testEnv(t, "2023-10-26 10:00", "comm_xuetianwan")
	runStepCases(t, e, nominateStep("kind"), []stepCase{
		{name: "individual", in: "个人", done: true, want: map[string]string{"kind": "个人"}},
		{name: "number", in: "2", done: true, want: map[string]string{"kind": "集体"}},
		{name: "other", in: "团队", msg: "请回复“个人”或“集体”"},
	})
	runStepCases(t, e, nominateStep("name"), []stepCase{
		{name: "ok", in: "李梅", done: true, want: map[string]string{"name": "李梅"}},
		{name: "empty", in: "  ", msg: "请填写姓名"},
		{name: "too long", in: strings.Repeat("名", 51), msg: "姓名最多50字，现在有51字"},
	})
	runStepCases(t, e, nominateStep("affiliation"), []stepCase{
		{name: "ok", in: "学田湾社区居委会", done: true, want: map[string]string{"affiliation": "学田湾社区居委会"}},
		{name: "empty", in: "", msg: "请填写工作单位"},
		{name: "too long", in: strings.Repeat("单", 101), msg: "工作单位最多100字，现在有101字"},
	})
	runStepCases(t, e, nominateStep("years"), []stepCase{
		{name: "digits", in: "3", done: true, want: map[string]string{"years": "3"}},
		{name: "with 年", in: "3年", done: true, want: map[string]string{"years": "3"}},
		{name: "chinese", in: "五年多", done: true, want: map[string]string{"years": "5"}},
		{name: "under the minimum", in: "1", done: true, msg: "原则上应从事消防公益服务2年以上，1年不足2年", want: map[string]string{"years": "1"}},
		{name: "less than a year", in: "不到一年", done: true, want: map[string]string{"years": "0"}},
		{name: "enough clears reason", values: map[string]string{"reason": "旧理由"}, in: "4", done: true, want: map[string]string{"reason": ""}},
		{name: "implausible", in: "100", msg: "100年不太可能"},
		{name: "words", in: "很久了", msg: "请回复从事消防公益服务的整年数"},
	})
	runStepCases(t, e, nominateStep("reason"), []stepCase{
		{name: "ok", in: "虽然只有一年，但带动了全社区。", done: true},
		{name: "too short", in: "很好", msg: "理由至少5字"},
		{name: "too long", in: strings.Repeat("理", 201), msg: "理由最多200字，现在有201字"},
	})
	runStepCases(t, e, nominateStep("scope"), []stepCase{
		{name: "number", in: "2", done: true, want: map[string]string{"scope": "2"}},
		{name: "label prefix", in: "科研", done: true, want: map[string]string{"scope": "3"}},
		{name: "out of range", in: "9", msg: "没有第 9 项"},
	})
	runStepCases(t, e, nominateStep("phone"), []stepCase{
		{name: "mobile", in: "138 1234 5678", done: true, want: map[string]string{"phone": "13812345678"}},
		{name: "landline", in: "(023)63850029", done: true, want: map[string]string{"phone": "023-63850029"}},
		{name: "bad", in: "12345", msg: "手机号应为 11 位数字"},
		{name: "letters", in: "abc", msg: "电话"},
	})
}

func TestDeedsStep(t *testing.T) {
	e := testEnv(t, "2023-10-26 10:00", "comm_xuetianwan")
	k1000 := strings.Repeat("事", 1000)
	k1001 := strings.Repeat("事", 1001)
	spaced := strings.Repeat("事 \n\u3000", 1000) // whitespace does not count
	runStepCases(t, e, nominateStep("deeds"), []stepCase{
		{name: "first message", in: "李梅长期参与社区消防宣传。", msg: "已收到第1段（13字），事迹材料目前共13字", want: map[string]string{"deeds": "李梅长期参与社区消防宣传。"}},
		{name: "appends", values: map[string]string{"deeds": "第一段内容。"}, in: "第二段内容。", msg: "已收到第2段（6字），事迹材料目前共12字", want: map[string]string{"deeds": "第一段内容。\n第二段内容。"}},
		{name: "continue", values: map[string]string{"deeds": "第一段内容。"}, in: "继续", msg: "请接着发送"},
		{name: "1000 accepted", values: map[string]string{"deeds": k1000}, in: "完成", done: true, msg: "1000字，已收下"},
		{name: "1000 in one message", in: k1000, msg: "目前共1000字"},
		{name: "1001 refused and kept", in: k1001, msg: "现在1段共1001字，超出1字", want: map[string]string{"deeds": k1001}},
		{name: "over by appending", values: map[string]string{"deeds": k1000}, in: "多多", msg: "现在2段共1002字",
			want: map[string]string{"deeds": k1000 + "\n多多", deedsPartsKey: `["` + k1000 + `","多多"]`}},
		{name: "done while over", values: map[string]string{"deeds": k1001}, in: "完成", msg: "现在1段共1001字"},
		{name: "confirm is asked about", values: map[string]string{"deeds": "第一段内容。"}, in: "确认", msg: "还在填写事迹材料", want: map[string]string{"deeds": "第一段内容。"}},
		{name: "continue while over", values: map[string]string{"deeds": k1001}, in: "继续", msg: "它会替换上面全部1段"},
		{name: "replacement after refusal", values: map[string]string{"deeds": k1001}, in: "精简后的事迹，共十二个字。", msg: "已用这条消息替换原来的全部1段事迹",
			want: map[string]string{"deeds": "精简后的事迹，共十二个字。"}},
		{name: "replacement still over", values: map[string]string{"deeds": k1001}, in: k1001 + "多", msg: "仍超过上限1000字，没有替换", want: map[string]string{"deeds": k1001}},
		{name: "drop a part", values: map[string]string{deedsPartsKey: `["` + k1000 + `","多多"]`, "deeds": k1000 + "\n多多"}, in: "删除第2段", msg: "已删除第2段（2字）",
			want: map[string]string{"deeds": k1000}},
		{name: "question asked about", values: map[string]string{"deeds": "第一段内容。"}, in: "截止是哪天？", msg: "看起来是一个问题",
			want: map[string]string{"deeds": "第一段内容。", deedsPendingKey: "截止是哪天？"}},
		{name: "sentence starting with a command word appended", values: map[string]string{"deeds": "第一段内容。"}, in: "报告厅里她讲了一堂消防安全课。", msg: "已收到第2段"},
		{name: "phone asked about", values: map[string]string{"deeds": "第一段内容。"}, in: "13812345678", msg: "电话号码", want: map[string]string{"deeds": "第一段内容。"}},
		{name: "added after asking", values: map[string]string{"deeds": "第一段内容。", deedsPendingKey: "她还好吗？"}, in: "加入", msg: "已收到第2段",
			want: map[string]string{"deeds": "第一段内容。\n她还好吗？", deedsPendingKey: ""}},
		{name: "label typed in the step replaces", values: map[string]string{"deeds": "第一段内容。"}, in: "事迹：" + k1000, msg: "替换原来的全部1段",
			want: map[string]string{"deeds": k1000}},
		{name: "whitespace not counted", in: spaced, msg: "目前共1000字"},
		{name: "empty done", in: "完成", msg: "还没有收到事迹材料"},
		{name: "too short", values: map[string]string{"deeds": "很好"}, in: "完成", msg: "只有2字，太短了"},
		{name: "edit replaces", values: map[string]string{"deeds": "旧的事迹旧的事迹旧的事迹"}, in: "新的事迹新的事迹新的事迹", edit: true, done: true,
			want: map[string]string{"deeds": "新的事迹新的事迹新的事迹"}},
	})
	group := *e
	group.Group = true
	runStepCases(t, &group, nominateStep("deeds"), []stepCase{
		{name: "group shows a preview", in: strings.Repeat("长", 1200), msg: "第1段：1200字（长长长长长长长长长长长长…）"},
	})
}

func TestEngineNomination(t *testing.T) {
	e := testEnv(t, "2023-10-26 10:00", "comm_xuetianwan")
	f := newNominateFlow()
	s0 := handlers.State{Units: []string{"comm_xuetianwan"}, Values: map[string]string{"unit": "comm_xuetianwan"}, Done: map[string]bool{"unit": true}}
	deeds := "李梅同志多年来坚持参与社区消防宣传。"
	s, tr := drive(t, f, e, s0, "个人", "李梅", "学田湾社区居委会", "1")
	if s.Step != "reason" || !strings.Contains(tr.Text, "1年不足2年") {
		t.Fatalf("under years: step %q: %s", s.Step, tr.Text)
	}
	s, tr = drive(t, f, e, s0, "个人", "李梅", "学田湾社区居委会", "1", "带动了全社区参与消防宣传。", "2", deeds, "完成", "13812345678")
	if s.Step != handlers.StepSummary {
		t.Fatalf("step %q: %s", s.Step, tr.Text)
	}
	for _, w := range []string{"类型：个人", "姓名：李梅", "服务年限：1年（不足2年）", "不足年限的理由：带动了全社区参与消防宣传。", "推荐范围：2. 宣传教育培训", "联系电话：13812345678", deeds} {
		if !strings.Contains(tr.Text, w) {
			t.Fatalf("summary lacks %q:\n%s", w, tr.Text)
		}
	}
	// Raising the years drops the reason from the dialog.
	s2, tr := f.Next(e, s, handlers.Input{Text: "年限 3"})
	if s2.Step != handlers.StepSummary || strings.Contains(tr.Text, "理由") || s2.Values["reason"] != "" {
		t.Fatalf("years 3: step %q reason %q:\n%s", s2.Step, s2.Values["reason"], tr.Text)
	}
	// Lowering them asks for a reason before the summary.
	s3, tr := f.Next(e, s2, handlers.Input{Text: "年限 0"})
	if s3.Step != "reason" {
		t.Fatalf("years 0: step %q:\n%s", s3.Step, tr.Text)
	}
	// Phone on the summary, masked in a group.
	g := *e
	g.Group = true
	_, tr = f.Next(&g, s, handlers.Input{Text: "电话 13900001111"})
	if !strings.Contains(tr.Text, "联系电话：139****1111") || strings.Contains(tr.Text, "13900001111") {
		t.Fatalf("group summary phone:\n%s", tr.Text)
	}
	_, tr = f.Next(e, s, handlers.Input{Text: "电话 123"})
	if !strings.Contains(tr.Text, "手机号应为 11 位数字") {
		t.Fatalf("bad phone edit:\n%s", tr.Text)
	}
	_, tr = f.Next(e, s, handlers.Input{Text: "事迹 " + strings.Repeat("长", 1001)})
	if !strings.Contains(tr.Text, "这次发来的有1001字，没有修改") {
		t.Fatalf("long deeds edit:\n%s", handlers.Clip(tr.Text, 200))
	}
	// Only the text after the label counts: 1000 characters are taken.
	s4, tr := f.Next(e, s, handlers.Input{Text: "事迹 " + strings.Repeat("长", 1000)})
	if s4.Step != handlers.StepSummary || s4.Values["deeds"] != strings.Repeat("长", 1000) || !strings.Contains(tr.Text, "已修改“事迹材料”") {
		t.Fatalf("1000 deeds edit: step %q:\n%s", s4.Step, handlers.Clip(tr.Text, 200))
	}
}
