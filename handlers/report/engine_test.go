package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/bot"
	"firebot/handlers"
	"firebot/handlers/flowtest"
)

// The dialog engine as a pure function: control words, the order of
// questions, pre-filled states and editing on the summary.

func schoolState() handlers.State {
	return handlers.State{Units: []string{"org_school_a"}, Unit: "org_school_a", Data: &confirmData{}, Done: map[string]bool{"unit": true}}
}

func TestEngineConfirmationToSummary(t *testing.T) {
	e := flowtest.Env(t, "2023-11-06 10:00", "org_school_a")
	f := newConfirmFlow()
	s, tr := flowtest.Drive(t, f, e, schoolState(), "2", "昨天", "80", "操场", "跳过", "完成")
	if s.Step != handlers.StepSummary || !tr.Ask {
		t.Fatalf("step %q, turn %+v", s.Step, tr)
	}
	for _, w := range []string{"单位：示例实验小学", "项目：疏散演练", "日期：11月5日（周日）", "参演人数：80", "地点：操场", "简要描述：（未填）", "照片：无"} {
		if !strings.Contains(tr.Text, w) {
			t.Fatalf("summary lacks %q:\n%s", w, tr.Text)
		}
	}
	if !slices.ContainsFunc(tr.Buttons, func(b bot.Button) bool { return b.Value == handlers.CtlConfirm }) {
		t.Fatalf("no confirm button: %+v", tr.Buttons)
	}
	_, tr = f.Next(e, s, handlers.Input{Text: "确认"})
	if !tr.Submit {
		t.Fatalf("确认 did not submit: %+v", tr)
	}
}

func TestEngineControls(t *testing.T) {
	e := flowtest.Env(t, "2023-11-06 10:00", "org_school_a")
	f := newConfirmFlow()
	tests := []struct {
		name   string
		inputs []string
		step   string
		text   string // substring of the last turn
		cancel bool
		values map[string]string
	}{
		{name: "cancel at any step", inputs: []string{"2", "取消"}, cancel: true, text: "已取消上报，没有保存任何内容"},
		{name: "cancel synonym", inputs: []string{"退出"}, cancel: true},
		{name: "back at the first step", inputs: []string{"返回"}, step: "task", text: "已经是第一步了"},
		{name: "back", inputs: []string{"2", "昨天", "返回"}, step: "date", text: "回到上一步"},
		{name: "back twice", inputs: []string{"2", "昨天", "返回", "返回"}, step: "task"},
		{name: "back keeps value", inputs: []string{"2", "昨天", "返回", "今天"}, step: "f:participants", values: map[string]string{"date": "2023-11-06"}},
		{name: "skip a required step", inputs: []string{"跳过"}, step: "task", text: "“项目”必须填写，不能跳过"},
		{name: "skip an optional step", inputs: []string{"2", "昨天", "80", "跳过"}, step: "desc", text: "已跳过"},
		{name: "help keeps the step", inputs: []string{"2", "帮助"}, step: "date", text: "例如：今天、昨天、上周五"},
		{name: "help lists controls", inputs: []string{"2", "昨天", "80", "帮助"}, step: "place", text: "跳过（这一项可以不填）"},
		{name: "confirm too early", inputs: []string{"2", "确认"}, step: "date", text: "现在还不能“确认”"},
		{name: "done too early", inputs: []string{"完成"}, step: "task", text: "现在还不能“完成”"},
		{name: "validation keeps the step", inputs: []string{"2", "明天"}, step: "date", text: "不能晚于今天"},
		{name: "large number", inputs: []string{"2", "昨天", "5000"}, step: "f:participants", text: "数字比较大，确认无误吗"},
		{name: "large number confirmed", inputs: []string{"2", "昨天", "5000", "是"}, step: "place", values: map[string]string{"f.participants": "5000"}},
		{name: "none as zero on a required step", inputs: []string{"9", "昨天", "没有"}, step: "place", values: map[string]string{"f.registrations": "0"}},
		{name: "none skips an optional step", inputs: []string{"2", "昨天", "80", "无"}, step: "desc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, tr := flowtest.Drive(t, f, e, schoolState(), tc.inputs...)
			if tr.Cancel != tc.cancel {
				t.Fatalf("cancel = %v: %+v", tr.Cancel, tr)
			}
			if tc.step != "" && s.Step != tc.step {
				t.Fatalf("step = %q, want %q (%s)", s.Step, tc.step, tr.Text)
			}
			if !strings.Contains(tr.Text, tc.text) {
				t.Fatalf("turn lacks %q:\n%s", tc.text, tr.Text)
			}
			for k, v := range tc.values {
				if got := s.Named()[k]; got != v {
					t.Fatalf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestEngineSummaryEdits(t *testing.T) {
	e := flowtest.Env(t, "2023-11-06 10:00", "org_school_a")
	f := newConfirmFlow()
	atSummary, tr := flowtest.Drive(t, f, e, schoolState(), "2", "昨天", "80", "操场", "跳过", "跳过")
	if atSummary.Step != handlers.StepSummary {
		t.Fatalf("not at summary: %s", tr.Text)
	}
	tests := []struct {
		name   string
		inputs []string
		step   string
		text   string
		values map[string]string
	}{
		{name: "count", inputs: []string{"人数 90"}, step: handlers.StepSummary, text: "已修改“参演人数”", values: map[string]string{"f.participants": "90"}},
		{name: "count without space", inputs: []string{"人数90人"}, step: handlers.StepSummary, values: map[string]string{"f.participants": "90"}},
		{name: "field by full name", inputs: []string{"参演人数：120"}, step: handlers.StepSummary, values: map[string]string{"f.participants": "120"}},
		{name: "with 修改 and 改为", inputs: []string{"修改人数改为95"}, step: handlers.StepSummary, values: map[string]string{"f.participants": "95"}},
		{name: "date", inputs: []string{"日期 11月3日"}, step: handlers.StepSummary, text: "日期：11月3日（周五）", values: map[string]string{"date": "2023-11-03"}},
		{name: "place", inputs: []string{"地点 社区广场"}, step: handlers.StepSummary, values: map[string]string{"place": "社区广场"}},
		{name: "description", inputs: []string{"描述 全校师生参加"}, step: handlers.StepSummary, values: map[string]string{"desc": "全校师生参加"}},
		{name: "invalid value moves to the step", inputs: []string{"日期 明天"}, step: "date", text: "不能晚于今天", values: map[string]string{"date": "2023-11-05"}},
		{name: "back from the edited step", inputs: []string{"日期 明天", "返回"}, step: handlers.StepSummary},
		{name: "label alone asks it", inputs: []string{"地点"}, step: "place", text: "活动在哪里开展的"},
		{name: "label alone then answer", inputs: []string{"地点", "礼堂"}, step: handlers.StepSummary, values: map[string]string{"place": "礼堂"}},
		{name: "large number asks", inputs: []string{"人数 5000"}, step: "f:participants", text: "数字比较大"},
		{name: "large number confirmed", inputs: []string{"人数 5000", "是"}, step: handlers.StepSummary, values: map[string]string{"f.participants": "5000"}},
		{name: "task change asks the new fields", inputs: []string{"项目 1"}, step: "f:participants", values: map[string]string{"task": "theme_publicity", "f.participants": ""}},
		{name: "task change then summary", inputs: []string{"项目 1", "200", "跳过"}, step: handlers.StepSummary, text: "参与人数：200"},
		{name: "unit not editable with one unit", inputs: []string{"单位 2"}, step: handlers.StepSummary, text: "可以修改：项目"},
		{name: "unknown label", inputs: []string{"天气 晴"}, step: handlers.StepSummary, text: "没看懂要修改哪一项。可以修改：项目、日期、参演人数、地点、简要描述、照片"},
		{name: "done is not confirm", inputs: []string{"完成"}, step: handlers.StepSummary, text: "请回复“确认”"},
		{name: "skip on summary", inputs: []string{"跳过"}, step: handlers.StepSummary, text: "无误请回复“确认”提交"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, tr := atSummary, handlers.Turn{}
			for _, in := range tc.inputs {
				s, tr = f.Next(e, s, handlers.Input{Text: in})
			}
			if s.Step != tc.step {
				t.Fatalf("step = %q, want %q (%s)", s.Step, tc.step, tr.Text)
			}
			if !strings.Contains(tr.Text, tc.text) {
				t.Fatalf("turn lacks %q:\n%s", tc.text, tr.Text)
			}
			for k, v := range tc.values {
				if got := s.Named()[k]; got != v {
					t.Fatalf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
	// The engine never changes the state it was given.
	before := atSummary.Clone()
	f.Next(e, atSummary, handlers.Input{Text: "人数 90"})
	if diff := cmp.Diff(before, atSummary.Clone()); diff != "" {
		t.Fatalf("next mutated its input (-before +after):\n%s", diff)
	}
}

func TestEnginePrefilledAsksOnlyWhatIsMissing(t *testing.T) {
	e := flowtest.Env(t, "2023-11-06 10:00", "org_school_a")
	f := newConfirmFlow()
	s := schoolState()
	data(&s).Task = "evacuation_drill"
	data(&s).setField("participants", "80")
	for _, id := range []string{"task", "f:participants", "place", "desc", "photos"} {
		s.Done[id] = true
	}
	s, tr := f.Begin(e, s, "")
	if s.Step != "date" {
		t.Fatalf("first question %q: %s", s.Step, tr.Text)
	}
	s, tr = f.Next(e, s, handlers.Input{Text: "今天"})
	if s.Step != handlers.StepSummary {
		t.Fatalf("after the date: %q", s.Step)
	}
}
