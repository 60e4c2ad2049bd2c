package report

import (
	"strings"
	"testing"

	"firebot/handlers/flowtest"
)

// Table tests for every step function, without I/O: each case runs one
// step's Answer on a prepared state and checks the outcome, the message
// and the stored value.

func TestUnitStep(t *testing.T) {
	two := flowtest.Env(t, "2023-11-06 10:00", "comm_xuetianwan", "comm_niujiaotuo")
	flowtest.RunSteps(t, two, newConfirmFlow(), "unit", []flowtest.StepCase{
		{Name: "number", In: "2", Done: true, Want: map[string]string{"unit": "comm_niujiaotuo"}},
		{Name: "name prefix", In: "学田湾", Done: true, Want: map[string]string{"unit": "comm_xuetianwan"}},
		{Name: "out of range", In: "9", Msg: "没有第 9 项"},
		{Name: "unknown", In: "火星", Msg: "没有这个选项"},
		{Name: "keeps applicable task", Values: map[string]string{"unit": "comm_xuetianwan", "task": "all_hands_drill"}, In: "2", Done: true,
			Want: map[string]string{"unit": "comm_niujiaotuo", "task": "all_hands_drill"}},
	})
	mixed := flowtest.Env(t, "2023-11-06 10:00", "comm_xuetianwan", "org_school_a")
	flowtest.RunSteps(t, mixed, newConfirmFlow(), "unit", []flowtest.StepCase{
		{Name: "drops task that does not apply", Values: map[string]string{"unit": "org_school_a", "task": "evacuation_drill", "f.participants": "80"},
			In: "1", Done: true, Want: map[string]string{"unit": "comm_xuetianwan", "task": "", "f.participants": ""}},
	})
	one := flowtest.Env(t, "2023-11-06 10:00", "org_school_a")
	flowtest.RunSteps(t, one, newConfirmFlow(), "unit", []flowtest.StepCase{
		{Name: "single unit", Values: map[string]string{"unit": "org_school_a"}, In: "1", Msg: "只能为示例实验小学填写"},
	})
}

func TestTaskStep(t *testing.T) {
	e := flowtest.Env(t, "2023-11-06 10:00", "org_school_a")
	base := map[string]string{"unit": "org_school_a"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{"unit": "org_school_a"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	flowtest.RunSteps(t, e, newConfirmFlow(), "task", []flowtest.StepCase{
		{Name: "number", Values: base, In: "2", Done: true, Want: map[string]string{"task": "evacuation_drill"}},
		{Name: "name", Values: base, In: "疏散演练", Done: true, Want: map[string]string{"task": "evacuation_drill"}},
		{Name: "keyword", Values: base, In: "看了警示片", Done: true, Want: map[string]string{"task": "warning_education"}},
		{Name: "out of range", Values: base, In: "11", Msg: "没有第 11 项"},
		{Name: "unknown", Values: base, In: "做饭", Msg: "没有这个选项"},
		{Name: "no unit", In: "1", Msg: "请先选择单位"},
		{Name: "change clears fields", Values: with("task", "evacuation_drill", "f.participants", "80"), In: "1", Done: true,
			Want: map[string]string{"task": "theme_publicity", "f.participants": ""}},
		{Name: "the free text fills participants", Values: with("hint.text", "组织了疏散演练，80人参加"), In: "2", Done: true,
			Want: map[string]string{"task": "evacuation_drill", "f.participants": "80"}},
	})
	comm := flowtest.Env(t, "2023-11-06 10:00", "comm_xuetianwan")
	flowtest.RunSteps(t, comm, newConfirmFlow(), "task", []flowtest.StepCase{
		{Name: "only applicable tasks are numbered", Values: map[string]string{"unit": "comm_xuetianwan"}, In: "4", Done: true, Want: map[string]string{"task": "four_ones"}},
	})
}

func TestDateStep(t *testing.T) {
	e := flowtest.Env(t, "2023-11-06 10:00", "org_school_a")
	task := map[string]string{"unit": "org_school_a", "task": "evacuation_drill"}
	flowtest.RunSteps(t, e, newConfirmFlow(), "date", []flowtest.StepCase{
		{Name: "today", Values: task, In: "今天", Done: true, Want: map[string]string{"date": "2023-11-06"}},
		{Name: "yesterday", Values: task, In: "昨天", Done: true, Want: map[string]string{"date": "2023-11-05"}},
		{Name: "day before", Values: task, In: "前天", Done: true, Want: map[string]string{"date": "2023-11-04"}},
		{Name: "last friday", Values: task, In: "上周五", Done: true, Want: map[string]string{"date": "2023-11-03"}},
		{Name: "month day", Values: task, In: "11月3日", Done: true, Want: map[string]string{"date": "2023-11-03"}},
		{Name: "dotted", Values: task, In: "11.3", Done: true, Want: map[string]string{"date": "2023-11-03"}},
		{Name: "iso", Values: task, In: "2023-11-03", Done: true, Want: map[string]string{"date": "2023-11-03"}},
		{Name: "day of month", Values: task, In: "3号", Done: true, Want: map[string]string{"date": "2023-11-03"}},
		{Name: "future", Values: task, In: "明天", Msg: "不能晚于今天（11月6日（周一））"},
		{Name: "before the window", Values: task, In: "10月20日", Msg: "“疏散演练”的日期须在11月1日至11月30日之间，10月20日不在这个范围内"},
		{Name: "window without task", Values: map[string]string{"unit": "org_school_a"}, In: "10月20日", Msg: "活动的日期须在11月1日至11月30日之间"},
		{Name: "no such day", Values: task, In: "11月32日", Msg: "11月没有32日"},
		{Name: "gibberish", Values: task, In: "不知道", Msg: "看不懂这个日期"},
	})
}

func TestIntFieldStep(t *testing.T) {
	e := flowtest.Env(t, "2023-11-06 10:00", "org_school_a")
	evac := map[string]string{"unit": "org_school_a", "task": "evacuation_drill"}
	pending := map[string]string{"unit": "org_school_a", "task": "evacuation_drill", "p.participants": "5000"}
	flowtest.RunSteps(t, e, newConfirmFlow(), "f:participants", []flowtest.StepCase{
		{Name: "digits", Values: evac, In: "80", Done: true, Want: map[string]string{"f.participants": "80"}},
		{Name: "chinese", Values: evac, In: "八十", Done: true, Want: map[string]string{"f.participants": "80"}},
		{Name: "with unit", Values: evac, In: "80人", Done: true, Want: map[string]string{"f.participants": "80"}},
		{Name: "full width", Values: evac, In: "８０", Done: true, Want: map[string]string{"f.participants": "80"}},
		{Name: "zero below min", Values: evac, In: "0", Msg: "参演人数至少是 1"},
		{Name: "words", Values: evac, In: "很多人", Msg: "看不懂这个数字"},
		{Name: "decimal", Values: evac, In: "80.5", Msg: "正整数"},
		{Name: "large asks to confirm", Values: evac, In: "5000", Want: map[string]string{"p.participants": "5000", "f.participants": ""}},
		{Name: "confirm large", Values: pending, In: "是", Done: true, Want: map[string]string{"f.participants": "5000", "p.participants": ""}},
		{Name: "confirm with 确认", Values: pending, In: "确认", Done: true, Want: map[string]string{"f.participants": "5000"}},
		{Name: "reject large", Values: pending, In: "否", Msg: "请重新输入", Want: map[string]string{"f.participants": "", "p.participants": ""}},
		{Name: "correct large", Values: pending, In: "500", Done: true, Want: map[string]string{"f.participants": "500", "p.participants": ""}},
	})
	cloud := map[string]string{"unit": "org_school_a", "task": "cloud_learning"}
	flowtest.RunSteps(t, e, newConfirmFlow(), "f:registrations", []flowtest.StepCase{
		{Name: "zero allowed", Values: cloud, In: "0", Done: true, Want: map[string]string{"f.registrations": "0"}},
		{Name: "none means zero", Values: cloud, In: "没有", Done: true, Want: map[string]string{"f.registrations": "0"}},
		{Name: "households", Values: cloud, In: "120个", Done: true, Want: map[string]string{"f.registrations": "120"}},
	})
}

func TestListAndTextFieldSteps(t *testing.T) {
	e := flowtest.Env(t, "2023-11-06 10:00", "org_school_a")
	atm := map[string]string{"unit": "org_school_a", "task": "atmosphere"}
	flowtest.RunSteps(t, e, newConfirmFlow(), "f:kinds", []flowtest.StepCase{
		{Name: "texts", Values: atm, In: "横幅、海报", Done: true, Want: map[string]string{"f.kinds": "横幅、海报"}},
		{Name: "numbers", Values: atm, In: "1 3", Done: true, Want: map[string]string{"f.kinds": "灯箱、宣传栏"}},
		{Name: "duplicates", Values: atm, In: "横幅，横幅和海报", Done: true, Want: map[string]string{"f.kinds": "横幅、海报"}},
		{Name: "free item", Values: atm, In: "宣传单", Done: true, Want: map[string]string{"f.kinds": "宣传单"}},
		{Name: "bad number", Values: atm, In: "9", Msg: "没有第 9 项"},
		{Name: "empty", Values: atm, In: "，", Msg: "请至少填写1项物料种类"},
	})
	plan := map[string]string{"unit": "org_school_a", "task": "drill_plan_update"}
	flowtest.RunSteps(t, e, newConfirmFlow(), "f:plan_revision", []flowtest.StepCase{
		{Name: "ok", Values: plan, In: "修订了疏散预案", Done: true, Want: map[string]string{"f.plan_revision": "修订了疏散预案"}},
		{Name: "too short", Values: plan, In: "改", Msg: "预案修订情况至少2字，现在只有1字"},
		{Name: "empty", Values: plan, In: " ", Msg: "请填写预案修订情况"},
		{Name: "too long", Values: plan, In: strings.Repeat("字", 301), Msg: "最多300字，现在有301字"},
		{Name: "limit", Values: plan, In: strings.Repeat("字", 300), Done: true},
	})
	flowtest.RunSteps(t, e, newConfirmFlow(), "place", []flowtest.StepCase{
		{Name: "ok", In: "学校操场", Done: true, Want: map[string]string{"place": "学校操场"}},
		{Name: "empty", In: "", Msg: "内容是空的"},
		{Name: "too long", In: strings.Repeat("地", 101), Msg: "地点最多100字，现在有101字"},
	})
	flowtest.RunSteps(t, e, newConfirmFlow(), "desc", []flowtest.StepCase{
		{Name: "limit", In: strings.Repeat("述", 500), Done: true},
		{Name: "too long", In: strings.Repeat("述", 501), Msg: "简要描述最多500字，现在有501字"},
	})
	flowtest.RunSteps(t, e, newConfirmFlow(), "photos", []flowtest.StepCase{
		{Name: "photo", Photos: []string{"pending/a.jpg"}, Msg: "已收到照片，共1张"},
		{Name: "done", In: "完成", Done: true},
		{Name: "continue", In: "继续", Msg: "请继续发送图片"},
		{Name: "text", In: "你好", Msg: "请直接发送图片"},
	})
}
